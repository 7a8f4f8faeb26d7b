package action

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/githubsync/githubtest"
	"github.com/opsqa/opsqa/internal/starter"
)

// fixture is a knowledge repository in Git: a base commit where every
// runbook is whole, and a pull request on top that changes two of them.
type fixture struct {
	dir, base string
}

const runbook = `---
id: %s
title: %s
owner: ops
service: web
status: active
last_reviewed: 2026-11-20
severity: sev2
alerts: []
escalation: {team: ops, after_minutes: 30}
---
## Summary

What breaks.

## Mitigation

What to do.
`

func newFixture(t *testing.T, broken bool) *fixture {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc := func(id string) string { return strings.ReplaceAll(runbook, "%s", id) }
	write("opsqa.yaml", `organisation: Example
collections:
  - {path: runbooks, kind: runbook}
teams:
  - {id: ops, name: Ops}
services:
  - {id: web, name: Web, team: ops}
required_sections:
  runbook: [Summary, Mitigation]
`)
	write("runbooks/disk-full.md", doc("disk-full"))
	write("runbooks/cert-expiry.md", doc("cert-expiry"))
	write("runbooks/queue-lag.md", doc("queue-lag"))
	gitCommit(t, dir)
	f := &fixture{dir: dir, base: gitHead(t, dir)}
	// The pull request: cert-expiry loses a section (when broken),
	// queue-lag gains a line.
	if broken {
		write("runbooks/cert-expiry.md", strings.Replace(doc("cert-expiry"), "## Mitigation\n\nWhat to do.\n", "", 1))
	}
	write("runbooks/queue-lag.md", doc("queue-lag")+"\nMore.\n")
	gitCommit(t, dir)
	return f
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// gitCommit commits everything in dir, making it a repository first.
func gitCommit(t *testing.T, dir string) {
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		git(t, dir, "init", "-q", "-b", "main")
	}
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "change")
}

func gitHead(t *testing.T, dir string) string { return git(t, dir, "rev-parse", "HEAD") }

// pullRequest is the github context of a pull request into
// example/runbooks from head.
func pullRequest(f *fixture, head string) map[string]any {
	return map[string]any{
		"repository": "example/runbooks", "event_name": "pull_request", "action_ref": "",
		"event": map[string]any{"pull_request": map[string]any{
			"base": map[string]any{"sha": f.base},
			"head": map[string]any{"repo": map[string]any{"full_name": head}},
		}},
	}
}

// TestActionSteps runs the action's own steps against fixture
// repositories: a pull request with an error, one from a fork, and one
// whose token may not upload SARIF.
func TestActionSteps(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the action's steps need git, which is not installed")
	}
	a := readAction(t)
	temp := t.TempDir() // shared: opsqa is built from this checkout once
	uploads := 0
	newRun := func(t *testing.T, f *fixture, github map[string]any, uploadOutcome string) *runner {
		r := newRunner(t, a, f.dir, temp, map[string]string{}, github)
		r.uses = func(s step, with map[string]string) string {
			switch {
			case strings.HasPrefix(s.Uses, "actions/setup-go@"), strings.HasPrefix(s.Uses, "actions/cache@"):
				return "success" // Go is here; the cache misses
			case strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@"):
				uploads++
				if _, err := os.Stat(filepath.Join(f.dir, with["sarif_file"])); err != nil {
					t.Errorf("the upload is given %s, which does not exist", with["sarif_file"])
				}
				return uploadOutcome
			}
			t.Fatalf("the action uses %s, which the test does not know", s.Uses)
			return ""
		}
		_ = os.Remove(r.summary)
		return r
	}

	t.Run("pull request with an error", func(t *testing.T) {
		f := newFixture(t, true)
		r := newRun(t, f, pullRequest(f, "example/runbooks"), "success")
		if r.run() {
			t.Errorf("the action succeeded on a lint error:\n%s", r.log.String())
		}
		log := r.log.String()
		for _, want := range []string{
			"::error file=runbooks/cert-expiry.md,line=", // an annotation on the changed file
			"lint found errors: see the annotations",     // the verdict
		} {
			if !strings.Contains(log, want) {
				t.Errorf("the log lacks %q:\n%s", want, log)
			}
		}
		if strings.Contains(log, "file=runbooks/disk-full.md") {
			t.Errorf("a file the pull request did not change was reported:\n%s", log)
		}
		summary, _ := os.ReadFile(r.summary)
		if !strings.Contains(string(summary), "## opsqa lint ❌ failed") {
			t.Errorf("the job summary is missing or wrong:\n%s", summary)
		}
		if got := r.output("errors"); got != "1" {
			t.Errorf("errors = %q, want 1", got)
		}
		if got := r.output("sarif"); got != "uploaded" {
			t.Errorf("sarif = %q, want uploaded", got)
		}
	})

	t.Run("pull request from a fork", func(t *testing.T) {
		before := uploads
		f := newFixture(t, false)
		r := newRun(t, f, pullRequest(f, "someone/runbooks"), "success")
		if !r.run() {
			t.Errorf("the action failed:\n%s", r.log.String())
		}
		if uploads != before {
			t.Error("SARIF was uploaded from a fork's pull request")
		}
		if !strings.Contains(r.log.String(), "::notice title=opsqa SARIF::a pull request from the fork someone/runbooks") {
			t.Errorf("no notice says why SARIF was skipped:\n%s", r.log.String())
		}
		if got := r.output("sarif"); got != "skipped" {
			t.Errorf("sarif = %q, want skipped", got)
		}
		if _, err := os.Stat(filepath.Join(f.dir, "opsqa.sarif")); err == nil {
			t.Error("a SARIF file was written for nothing")
		}
	})

	t.Run("token without security-events: write", func(t *testing.T) {
		f := newFixture(t, false)
		r := newRun(t, f, pullRequest(f, "example/runbooks"), "failure")
		if !r.run() {
			t.Errorf("a refused SARIF upload failed the action:\n%s", r.log.String())
		}
		if !strings.Contains(r.log.String(), "the SARIF upload was refused: the job needs permissions: security-events: write") {
			t.Errorf("no notice says the upload was refused:\n%s", r.log.String())
		}
		if got := r.output("sarif"); got != "refused" {
			t.Errorf("sarif = %q, want refused", got)
		}
		if got := r.output("errors"); got != "0" {
			t.Errorf("errors = %q, want 0", got)
		}
	})
}

// TestActionRefreshesTheSite runs the action as the starter's site
// workflow runs it on its schedule, in a repository 'opsqa init' wrote,
// against a server speaking GitHub's REST API: it syncs the issues, puts
// the KPIs in the job summary and builds the site; a second refresh of
// unchanged issues costs no rate limit (the snapshot kept the ETags).
func TestActionRefreshesTheSite(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the action's steps need git, which is not installed")
	}
	dir := t.TempDir()
	files, err := starter.Files(starter.Params{Organisation: "Example", Today: "2026-12-01", ActionRef: "main"})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitCommit(t, dir)
	gh := githubtest.New("example", "runbooks", time.Now)
	defer gh.Close()
	gh.Seed(30, time.Now().Add(-60*24*time.Hour))

	a := readAction(t)
	temp := t.TempDir()
	refresh := func() *runner {
		r := newRunner(t, a, dir, temp, map[string]string{
			"lint": "false", "build": "true", "sync": "true", "repository": "example/runbooks", "github-token": "test-token",
		}, map[string]any{"repository": "example/runbooks", "event_name": "schedule", "action_ref": ""})
		r.env = []string{"GITHUB_API_URL=" + gh.URL}
		r.uses = func(s step, _ map[string]string) string {
			if strings.HasPrefix(s.Uses, "actions/setup-go@") || strings.HasPrefix(s.Uses, "actions/cache@") {
				return "success"
			}
			t.Fatalf("a refresh uses %s", s.Uses)
			return ""
		}
		_ = os.Remove(r.summary)
		if !r.run() {
			t.Fatalf("the refresh failed:\n%s", r.log.String())
		}
		return r
	}
	r := refresh()
	if strings.Contains(r.log.String(), "test-token") {
		t.Error("the token appears in the log")
	}
	summary, _ := os.ReadFile(r.summary)
	if !strings.Contains(string(summary), "MTTR") {
		t.Errorf("the job summary has no KPIs:\n%s", summary)
	}
	if got := r.output("site"); got != "public" {
		t.Errorf("site = %q, want public", got)
	}
	for _, f := range []string{"data/snapshot.jsonl", "public/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the refresh left no %s", f)
		}
	}
	first := gh.Counted()
	gh.ResetLog()
	refresh()
	if again := gh.Counted(); again != 0 || first == 0 {
		t.Errorf("the first refresh cost %d requests of the rate limit and the unchanged second %d; want some, then none", first, again)
	}
}
