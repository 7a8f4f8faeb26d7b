package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/githubsync/githubtest"
	"github.com/opsqa/opsqa/internal/ticket"
)

const syncTestToken = "ghp_clitesttoken0123456789abcdefABCDEF"

// syncRepo lays out a repository with the project's own opsqa.yaml and
// issue forms, and a fake GitHub holding its issues.
func syncRepo(t *testing.T) (string, *githubtest.Server, func() time.Time) {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, "../../opsqa.yaml", filepath.Join(dir, "opsqa.yaml"))
	for _, f := range formFiles {
		copyFile(t, filepath.Join("../../.github/ISSUE_TEMPLATE", f), filepath.Join(dir, formsDir, f))
	}
	now := func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) }
	srv := githubtest.New("northwind-parcel", "operations", now)
	t.Cleanup(srv.Close)
	srv.Seed(25, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	return dir, srv, now
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func runSync(t *testing.T, dir string, srv *githubtest.Server, now func() time.Time, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		Getenv:     func(k string) string { return vars[k] },
		Now:        now,
		Dir:        dir,
		HTTPClient: srv.Client(),
	}
	code := Main(append([]string{"incidents", "sync"}, args...), env)
	return code, out.String(), errOut.String()
}

func TestIncidentsSync(t *testing.T) {
	dir, srv, now := syncRepo(t)
	vars := map[string]string{"GH_TOKEN": syncTestToken, "GITHUB_API_URL": strings.TrimSuffix(srv.URL, "/")}

	code, out, errOut := runSync(t, dir, srv, now, vars)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "northwind-parcel/operations: 23 tickets fetched, 23 changed, 23 total; 25 requests → data/snapshot.jsonl\n"
	if out != want || errOut != "" {
		t.Errorf("stdout %q\nstderr %q\nwant %q", out, errOut, want)
	}
	snap, err := ticket.ReadSnapshot(filepath.Join(dir, "data/snapshot.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Tickets) != 23 || snap.Repository != "northwind-parcel/operations" || !snap.SyncedAt.Equal(now()) {
		t.Errorf("snapshot: %d tickets of %s at %v", len(snap.Tickets), snap.Repository, snap.SyncedAt)
	}
	if r := srv.Requests()[0]; r.Authorization != "Bearer "+syncTestToken {
		t.Errorf("GH_TOKEN not used: %q", r.Authorization)
	}

	// Nothing changed: one free request.
	code, out, _ = runSync(t, dir, srv, now, vars)
	if code != ExitOK || !strings.Contains(out, "0 tickets fetched, 0 changed, 23 total; 1 request (nothing changed: not counted against the rate limit)") {
		t.Errorf("re-sync: exit %d, %q", code, out)
	}
	if strings.Contains(out+errOut, syncTestToken) {
		t.Errorf("the token was printed")
	}
}

func TestIncidentsSyncErrors(t *testing.T) {
	dir, srv, now := syncRepo(t)
	api := strings.TrimSuffix(srv.URL, "/")
	cases := []struct {
		name   string
		vars   map[string]string
		args   []string
		fault  *githubtest.Fault
		code   int
		stderr []string
	}{
		{name: "no token", vars: map[string]string{"GITHUB_API_URL": api}, code: ExitUsage,
			stderr: []string{"no GitHub token", "GITHUB_TOKEN", "GH_TOKEN", "northwind-parcel/operations"}},
		{name: "bad repo", vars: map[string]string{"GITHUB_TOKEN": syncTestToken}, args: []string{"--repo", "operations"}, code: ExitUsage,
			stderr: []string{`repository "operations" is not OWNER/NAME`}},
		{name: "stray argument", vars: map[string]string{"GITHUB_TOKEN": syncTestToken}, args: []string{"now"}, code: ExitUsage},
		{name: "GitHub refuses", vars: map[string]string{"GITHUB_TOKEN": syncTestToken, "GITHUB_API_URL": api},
			fault: &githubtest.Fault{Kind: githubtest.Forbidden}, code: ExitFailure,
			stderr: []string{"sync incidents: list issues of northwind-parcel/operations", "403 Forbidden", "Resource not accessible by integration"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.fault != nil {
				srv.Inject(*c.fault)
			}
			code, out, errOut := runSync(t, dir, srv, now, c.vars, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, c.code, errOut)
			}
			for _, w := range c.stderr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
			if out != "" || strings.Contains(errOut, syncTestToken) {
				t.Errorf("stdout %q, stderr %q", out, errOut)
			}
			if _, err := os.Stat(filepath.Join(dir, "data/snapshot.jsonl")); err == nil {
				t.Errorf("a failed sync wrote a snapshot")
			}
		})
	}
}

func TestIncidentsSyncMissingForms(t *testing.T) {
	dir, srv, now := syncRepo(t)
	os.Remove(filepath.Join(dir, formsDir, "feedback.yml"))
	code, _, errOut := runSync(t, dir, srv, now, map[string]string{"GITHUB_TOKEN": syncTestToken, "GITHUB_API_URL": srv.URL})
	if code != ExitOK || !strings.Contains(errOut, "no issue form .github/ISSUE_TEMPLATE/feedback.yml") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	os.WriteFile(filepath.Join(dir, formsDir, "problem.yml"), []byte("name: [broken"), 0o644)
	code, _, errOut = runSync(t, dir, srv, now, map[string]string{"GITHUB_TOKEN": syncTestToken, "GITHUB_API_URL": srv.URL})
	if code != ExitUsage || !strings.Contains(errOut, "problem.yml") {
		t.Errorf("broken form: exit %d, stderr %q", code, errOut)
	}
}

func TestIncidentsSyncHelpStatesBounds(t *testing.T) {
	var out bytes.Buffer
	env := &Env{In: strings.NewReader(""), Out: &out, ErrOut: &out, Getenv: func(string) string { return "" }, Now: time.Now, Dir: t.TempDir()}
	if code := Main([]string{"incidents", "sync", "--help"}, env); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{
		"--timeout duration", "(default 30m0s)", "--request-timeout duration", "(default 30s)", "--allow-empty",
		"API origin only", "at most\n    5 redirects", "5000 pages of issues", "200 pages or 10000 events", "32 MiB", "64 KiB", "not a JSON array",
	} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("--help lacks %q", w)
		}
	}
}

func TestIncidentsSyncBounds(t *testing.T) {
	dir, srv, now := syncRepo(t)
	vars := map[string]string{"GITHUB_TOKEN": syncTestToken, "GITHUB_API_URL": srv.URL}
	if code, _, errOut := runSync(t, dir, srv, now, vars); code != ExitOK {
		t.Fatalf("first sync: exit %d: %s", code, errOut)
	}
	path := filepath.Join(dir, "data/snapshot.jsonl")
	before, _ := os.ReadFile(path)
	foreign := githubtest.NewForeign()
	defer foreign.Close()

	cases := []struct {
		name   string
		args   []string
		fault  *githubtest.Fault
		empty  bool // sync against a repository with no issues
		code   int
		stderr []string
	}{
		{name: "negative timeout", args: []string{"--timeout", "-1s"}, code: ExitUsage, stderr: []string{"--timeout and --request-timeout take a positive duration"}},
		{name: "not a duration", args: []string{"--request-timeout", "soon"}, code: ExitUsage, stderr: []string{"invalid argument"}},
		{name: "whole-sync deadline", args: []string{"--full", "--timeout", "150ms"},
			fault: &githubtest.Fault{Kind: githubtest.Hang, Times: githubtest.Forever, Match: githubtest.ListPage(1)}, code: ExitFailure,
			stderr: []string{"the sync did not finish within its deadline of 150ms", "--request-timeout and --timeout set the bounds"}},
		{name: "request timeout", args: []string{"--full", "--request-timeout", "50ms", "--timeout", "400ms"},
			fault: &githubtest.Fault{Kind: githubtest.Hang, Times: githubtest.Forever, Match: githubtest.ListPage(1)}, code: ExitFailure,
			stderr: []string{"no complete answer within the request timeout of 50ms", "would pass the sync deadline of 400ms", "--request-timeout and --timeout set the bounds"}},
		{name: "null page", args: []string{"--full"},
			fault: &githubtest.Fault{Kind: githubtest.RawBody, Body: []byte("null"), Match: githubtest.ListPage(1)}, code: ExitFailure,
			stderr: []string{"page is not a JSON array: got null"}},
		{name: "redirect to another origin", args: []string{"--full"},
			fault: &githubtest.Fault{Kind: githubtest.Redirect, Match: githubtest.ListPage(1), Target: func(*http.Request) string { return foreign.URL + "/?t=" + syncTestToken }}, code: ExitFailure,
			stderr: []string{"refused a redirect to " + foreign.URL + ": not the API origin"}},
		{name: "token echoed", fault: &githubtest.Fault{Kind: githubtest.EchoAuth}, code: ExitFailure,
			stderr: []string{"401 Unauthorized: Bad credentials: Bearer [REDACTED]"}},
		{name: "empty listing", args: []string{"--full"}, empty: true, code: ExitFailure,
			stderr: []string{"the listing is empty but the snapshot is not (23 tickets); not replacing it; pass --allow-empty"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			api := srv
			if c.empty {
				api = githubtest.New("northwind-parcel", "operations", now)
				defer api.Close()
			}
			api.ClearFaults()
			if c.fault != nil {
				api.Inject(*c.fault)
			}
			start := time.Now()
			v := map[string]string{"GITHUB_TOKEN": syncTestToken, "GITHUB_API_URL": api.URL}
			code, out, errOut := runSync(t, dir, api, now, v, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, c.code, errOut)
			}
			for _, w := range c.stderr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q lacks %q", errOut, w)
				}
			}
			if strings.Contains(out+errOut, syncTestToken) {
				t.Errorf("the token was printed: %q", errOut)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
				t.Errorf("the snapshot changed")
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	if len(foreign.Requests()) != 0 {
		t.Errorf("a request reached the other origin")
	}

	// --allow-empty: the repository really has no issues.
	empty := githubtest.New("northwind-parcel", "operations", now)
	defer empty.Close()
	code, out, errOut := runSync(t, dir, empty, now, map[string]string{"GITHUB_TOKEN": syncTestToken, "GITHUB_API_URL": empty.URL}, "--full", "--allow-empty")
	if code != ExitOK || !strings.Contains(out, "0 tickets fetched, 0 changed, 0 total") {
		t.Errorf("--allow-empty: exit %d, %q %q", code, out, errOut)
	}
}

// TestIncidentsSyncReportsExcluded checks that a sync says which
// tickets metrics and the site will leave out and why, writes back the
// ones it can (so that they are reported until fixed), and names the
// copies it dropped.
func TestIncidentsSyncReportsExcluded(t *testing.T) {
	dir, srv, now := syncRepo(t)
	vars := map[string]string{"GH_TOKEN": syncTestToken, "GITHUB_API_URL": strings.TrimSuffix(srv.URL, "/")}
	if code, _, errOut := runSync(t, dir, srv, now, vars); code != ExitOK || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	path := filepath.Join(dir, "data/snapshot.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	lines[0] = strings.Replace(lines[0], `"tickets":23`, `"tickets":24`, 1)
	lines[3] = strings.Replace(lines[3], `"class":"`, `"class":"x-`, 1)
	lines = append(lines[:6], append([]string{lines[5]}, lines[6:]...)...) // line 7 repeats line 6
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	var dup, odd ticket.Ticket
	for i, l := range map[int]string{0: lines[5], 1: lines[3]} {
		if err := json.Unmarshal([]byte(l), []*ticket.Ticket{&dup, &odd}[i]); err != nil {
			t.Fatal(err)
		}
	}

	code, out, errOut := runSync(t, dir, srv, now, vars)
	if code != ExitOK || !strings.Contains(out, "nothing changed") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	want := fmt.Sprintf("opsqa: warning: data/snapshot.jsonl: 1 ticket left out of the figures: 1 unknown_class\n"+
		"opsqa:   data/snapshot.jsonl:4: #%d %s: class %q is none of incident, problem, feedback, quiz-result, other\n"+
		"opsqa: warning: data/snapshot.jsonl:7: #%d dropped from the snapshot: duplicate of ticket #%d at line 6: the first is kept\n",
		odd.Number, odd.Class, string(odd.Class), dup.Number, dup.Number)
	if errOut != want {
		t.Errorf("stderr\n%s\nwant\n%s", errOut, want)
	}
	// The ticket of the unknown class is still in the snapshot, and
	// still reported by the next sync; the copy is gone.
	snap, err := ticket.ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Tickets) != 22 || len(snap.Excluded) != 1 || snap.Excluded[0].Number != odd.Number {
		t.Errorf("snapshot: %d tickets, excluded %+v", len(snap.Tickets), snap.Excluded)
	}
	if _, _, errOut = runSync(t, dir, srv, now, vars); !strings.Contains(errOut, "1 ticket left out of the figures: 1 unknown_class") || strings.Contains(errOut, "dropped") {
		t.Errorf("third sync: stderr %q", errOut)
	}
}
