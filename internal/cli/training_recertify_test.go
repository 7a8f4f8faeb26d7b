package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/githubsync/githubtest"
)

// recertEntry is one element of recertify --format json.
type recertEntry struct {
	Person  string   `json:"person"`
	Action  string   `json:"action"`
	Issue   *int     `json:"issue"`
	URL     string   `json:"url"`
	State   string   `json:"state"`
	Modules []string `json:"modules"`
	Expires *string  `json:"expires"`
	Reason  string   `json:"reason"`
}

// recertify runs opsqa training recertify on the repository's own
// sample (as of 2026-11-01 Priya's change-manager certification is due
// on 2026-11-11 and Grace's expired on 2026-10-14) against the fake
// GitHub, with a token unless vars says otherwise.
func recertify(t *testing.T, srv *githubtest.Server, vars map[string]string, args ...string) (int, []recertEntry, string) {
	t.Helper()
	if vars == nil {
		vars = map[string]string{"GITHUB_TOKEN": syncTestToken}
	}
	vars["GITHUB_API_URL"] = srv.URL
	var out, errOut bytes.Buffer
	env := &Env{
		In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		Getenv:     func(k string) string { return vars[k] },
		Now:        func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) },
		Dir:        "../..",
		HTTPClient: srv.Client(),
	}
	code := Main(append([]string{"training", "recertify", "--format", "json"}, args...), env)
	for _, s := range []string{out.String(), errOut.String()} {
		if strings.Contains(s, syncTestToken) {
			t.Fatalf("the token is in the output:\n%s", s)
		}
	}
	var entries []recertEntry
	if code == 0 || out.Len() > 0 {
		if err := json.Unmarshal(out.Bytes(), &entries); err != nil {
			t.Fatalf("exit %d, output is not JSON: %v\n%s\nstderr: %s", code, err, out.String(), errOut.String())
		}
	}
	return code, entries, errOut.String()
}

func summary(es []recertEntry) string {
	var parts []string
	for _, e := range es {
		n := "-"
		if e.Issue != nil {
			n = "#" + itoa(*e.Issue)
		}
		parts = append(parts, e.Action+" "+e.Person+" "+n)
	}
	return strings.Join(parts, ", ")
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// writes are the requests that changed something.
func writes(srv *githubtest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func newRecertServer(t *testing.T) *githubtest.Server {
	t.Helper()
	srv := githubtest.New("northwind-parcel", "operations", func() time.Time { return time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC) })
	t.Cleanup(srv.Close)
	// An incident and a recertification issue opened by hand, without
	// the marker: neither is opsqa's to touch.
	at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	body := "Please recertify the team"
	srv.Put(githubtest.Issue{Number: 1, Title: "Disk full", User: githubtest.User{Login: "li-na"}, Labels: []string{"incident"}, State: "open", CreatedAt: at, UpdatedAt: at})
	srv.Put(githubtest.Issue{Number: 2, Title: "Recertification", Body: &body, User: githubtest.User{Login: "kenji-sato"}, Labels: []string{"recertification"}, State: "open", CreatedAt: at, UpdatedAt: at})
	return srv
}

func TestRecertifyOpensThenUpdates(t *testing.T) {
	srv := newRecertServer(t)

	// First run: one issue each for the two people due.
	code, es, stderr := recertify(t, srv, nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := summary(es); got != "open priya-nair #3, open grace-mwangi #4" {
		t.Errorf("first run: %s", got)
	}
	if es[0].URL != "https://github.com/northwind-parcel/operations/issues/3" || *es[0].Expires != "2026-11-11" || es[0].State != "due" ||
		strings.Join(es[0].Modules, ",") != "change-management-basics,change-risk-and-cab" {
		t.Errorf("priya's entry: %+v", es[0])
	}
	priya, _ := srv.Issue(3)
	body := *priya.Body
	for _, want := range []string{
		"<!-- opsqa:recertify person=priya-nair -->\n",
		"@priya-nair, your **change-manager** certification expires on 2026-11-11.",
		"[change-management-basics-quiz](https://ops.northwind-parcel.example/training/quizzes/change-management-basics-quiz/)",
		"[Change management basics](https://ops.northwind-parcel.example/training/modules/change-management-basics/)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("priya's issue lacks %q:\n%s", want, body)
		}
	}
	if priya.Title != "Recertification due by 2026-11-11: Priya Nair (priya-nair)" || strings.Join(priya.Assignees, ",") != "priya-nair" ||
		strings.Join(priya.Labels, ",") != "recertification" {
		t.Errorf("priya's issue: %q, assignees %v, labels %v", priya.Title, priya.Assignees, priya.Labels)
	}
	if grace, _ := srv.Issue(4); !strings.HasPrefix(grace.Title, "Recertification expired 2026-10-14: Grace Mwangi") ||
		!strings.Contains(*grace.Body, "Until you pass these quizzes again you are not certified") {
		t.Errorf("grace's issue: %q\n%s", grace.Title, *grace.Body)
	}

	// Second run, nothing changed: no issue opened, none edited.
	srv.ResetLog()
	code, es, stderr = recertify(t, srv, nil)
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	if got := summary(es); got != "none priya-nair #3, none grace-mwangi #4" {
		t.Errorf("second run: %s", got)
	}
	if w := writes(srv); len(w) != 0 {
		t.Errorf("second run wrote %v", w)
	}

	// Later, Priya's certification has expired too: her issue is
	// updated, not opened again.
	srv.ResetLog()
	code, es, stderr = recertify(t, srv, nil, "--as-of", "2026-11-12")
	if code != 0 {
		t.Fatalf("third run: exit %d: %s", code, stderr)
	}
	if got := summary(es); got != "update priya-nair #3, none grace-mwangi #4" {
		t.Errorf("third run: %s", got)
	}
	if w := strings.Join(writes(srv), ", "); w != "PATCH /repos/northwind-parcel/operations/issues/3" {
		t.Errorf("third run wrote %s", w)
	}
	if priya, _ := srv.Issue(3); !strings.HasPrefix(priya.Title, "Recertification expired 2026-11-11") || priya.State != "open" {
		t.Errorf("priya's issue after the update: %q %s", priya.Title, priya.State)
	}
	if n := len(srv.Issues()); n != 4 {
		t.Errorf("%d issues on the server; want 4, no duplicate", n)
	}
	if hand, _ := srv.Issue(2); *hand.Body != "Please recertify the team" || hand.State != "open" {
		t.Errorf("the issue without the marker was touched: %+v", hand)
	}
}

// A person no longer due has their issue closed with the reason; a second
// issue for one person is closed as not planned.
func TestRecertifyClosesWhenNoLongerDue(t *testing.T) {
	srv := newRecertServer(t)
	if code, _, stderr := recertify(t, srv, nil); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dup := "<!-- opsqa:recertify person=grace-mwangi -->\nopened twice"
	at := time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC)
	srv.Put(githubtest.Issue{Number: 9, Title: "Recertification", Body: &dup, User: githubtest.Writer, Labels: []string{"recertification"}, State: "open", CreatedAt: at, UpdatedAt: at})

	// With a 5-day notice Priya (expiring 2026-11-11) is not due.
	srv.ResetLog()
	code, es, stderr := recertify(t, srv, nil, "--notice-days", "5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := summary(es); got != "none grace-mwangi #4, close priya-nair #3, close grace-mwangi #9" {
		t.Errorf("plan: %s", got)
	}
	priya, _ := srv.Issue(3)
	if priya.State != "closed" || priya.StateReason != "completed" {
		t.Errorf("priya's issue: %s %s", priya.State, priya.StateReason)
	}
	if want := "<!-- opsqa:recertify person=priya-nair -->\n**Closed: as of 2026-11-01 nothing is due: change-manager certified until 2026-11-11.**"; !strings.HasPrefix(*priya.Body, want) {
		t.Errorf("priya's closed issue:\n%s\nwant it to begin\n%s", *priya.Body, want)
	}
	if !strings.Contains(es[1].Reason, "nothing is due") {
		t.Errorf("close reason: %q", es[1].Reason)
	}
	if dup, _ := srv.Issue(9); dup.State != "closed" || dup.StateReason != "not_planned" || !strings.Contains(*dup.Body, "#4 is the one kept up to date") {
		t.Errorf("the duplicate: %s %s\n%s", dup.State, dup.StateReason, *dup.Body)
	}
	if code, es, _ := recertify(t, srv, nil, "--notice-days", "5"); code != 0 || summary(es) != "none grace-mwangi #4" {
		t.Errorf("after the closes: exit %d, %s", code, summary(es))
	}
}

// --dry-run reads the issues with a token, and nothing else, and without
// one does not touch GitHub at all.
func TestRecertifyDryRun(t *testing.T) {
	srv := newRecertServer(t)
	code, es, stderr := recertify(t, srv, nil, "--dry-run")
	if code != 0 || summary(es) != "open priya-nair -, open grace-mwangi -" {
		t.Fatalf("exit %d, %s: %s", code, summary(es), stderr)
	}
	if w := writes(srv); len(w) != 0 {
		t.Errorf("a dry run wrote %v", w)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests; want the one listing", n)
	}
	recertify(t, srv, nil)
	srv.ResetLog()
	code, es, _ = recertify(t, srv, nil, "--dry-run", "--as-of", "2026-11-12")
	if code != 0 || summary(es) != "update priya-nair #3, none grace-mwangi #4" {
		t.Errorf("dry run after the first: exit %d, %s", code, summary(es))
	}
	if w := writes(srv); len(w) != 0 {
		t.Errorf("a dry run wrote %v", w)
	}

	srv.ResetLog()
	code, es, _ = recertify(t, srv, map[string]string{}, "--dry-run")
	if code != 0 || summary(es) != "open priya-nair -, open grace-mwangi -" || len(srv.Requests()) != 0 {
		t.Errorf("dry run without a token: exit %d, %s, %d requests", code, summary(es), len(srv.Requests()))
	}
}

// Nobody due: an empty array, not null, and no write.
func TestRecertifyNothingDue(t *testing.T) {
	srv := newRecertServer(t)
	var out, errOut bytes.Buffer
	env := &Env{
		In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		Getenv: func(k string) string {
			return map[string]string{"GITHUB_TOKEN": syncTestToken, "GITHUB_API_URL": srv.URL}[k]
		},
		Now: time.Now, Dir: "../..", HTTPClient: srv.Client(),
	}
	if code := Main([]string{"training", "recertify", "--format", "json", "--as-of", "2026-08-01"}, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if got := strings.TrimSpace(out.String()); got != "[]" {
		t.Errorf("output %q; want []", got)
	}
	if w := writes(srv); len(w) != 0 {
		t.Errorf("wrote %v", w)
	}
}

func TestRecertifyErrors(t *testing.T) {
	srv := newRecertServer(t)

	// Without a token only a dry run works.
	code, _, stderr := recertify(t, srv, map[string]string{})
	if code != ExitUsage || !strings.Contains(stderr, "no GitHub token") || !strings.Contains(stderr, "--dry-run") {
		t.Errorf("no token: exit %d, %q", code, stderr)
	}
	code, _, stderr = recertify(t, srv, nil, "--notice-days", "-1")
	if code != ExitUsage {
		t.Errorf("--notice-days -1: exit %d, %q", code, stderr)
	}
	code, _, stderr = recertify(t, srv, nil, "--repo", "nope")
	if code != ExitUsage || !strings.Contains(stderr, "not OWNER/NAME") {
		t.Errorf("--repo nope: exit %d, %q", code, stderr)
	}

	// GitHub refuses the second issue: the first is reported as opened,
	// the failure names the person, the exit code is 3.
	posts := 0
	srv.Inject(githubtest.Fault{Kind: githubtest.Forbidden, Match: func(r *http.Request) bool {
		if r.Method != http.MethodPost {
			return false
		}
		posts++
		return posts == 2
	}})
	code, es, stderr := recertify(t, srv, nil)
	if code != ExitFailure || summary(es) != "open priya-nair #3" ||
		!strings.Contains(stderr, "open the recertification issue of grace-mwangi") || !strings.Contains(stderr, "403") {
		t.Errorf("refused: exit %d, %s, %q", code, summary(es), stderr)
	}
	srv.ClearFaults()
	if code, es, _ := recertify(t, srv, nil); code != 0 || summary(es) != "none priya-nair #3, open grace-mwangi #4" {
		t.Errorf("the run after: exit %d, %s", code, summary(es))
	}
}
