package alerting

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/opsqa/opsqa/internal/repository"
)

// fixture is a repository with one alert of every kind of coverage.
const fixture = `
-- opsqa.yaml --
organisation: Test
repository: acme/kb
default_branch: main
site: {base_url: "https://kb.example.com/"}
alert_rules: [monitoring/*.yaml]
-- content/runbooks/disk-full.md --
---
id: disk-full
title: Disk full
service: postgres
alerts: [DiskFull, DiskFullSite, DiskFullGitHub]
---
# Disk full
-- processes/change.md --
---
id: change
title: Change
---
-- monitoring/rules.yaml --
groups:
  - name: db
    rules:
      - alert: DiskFull
        annotations: {runbook_url: ../content/runbooks/disk-full.md}
      - alert: DiskFullSite
        labels: {service: storage}
        annotations: {runbook_url: "https://kb.example.com/runbooks/disk-full/"}
      - alert: DiskFullGitHub
        annotations: {runbook_url: "https://github.com/acme/kb/blob/main/content/runbooks/disk-full.md"}
      - alert: NotListed
        annotations: {runbook_url: ../content/runbooks/disk-full.md}
      - alert: NoURL
        expr: up == 0
      - alert: Dangling
        annotations: {runbook_url: "https://kb.example.com/runbooks/disk-ful/"}
      - alert: Process
        annotations: {runbook_url: ../processes/change.md}
      # opsqa-disable-next-line alert-runbooks: heartbeat, pages nobody
      - alert: Watchdog
        expr: vector(1)
      - record: job:up:sum
        expr: sum(up)
`

func load(t *testing.T, archive string) *repository.Repository {
	t.Helper()
	root := t.TempDir()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	repo, err := repository.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// TestRead pins the verdict of every alert: covered only when the URL,
// in any of the three forms, leads to a runbook that lists the alert; the
// service from the label, else from the runbook; the exempt heartbeat
// neither checked nor counted; the recording rule no alert at all.
func TestRead(t *testing.T) {
	scan := Read(load(t, fixture))
	type verdict struct {
		service, problem string
		covered, exempt  bool
	}
	want := map[string]verdict{
		"DiskFull":       {service: "postgres", covered: true},
		"DiskFullSite":   {service: "storage", covered: true},
		"DiskFullGitHub": {service: "postgres", covered: true},
		"NotListed":      {service: "postgres", problem: "runbook disk-full does not list it"},
		"NoURL":          {problem: "no runbook_url"},
		"Dangling":       {problem: "runbook_url leads to no runbook"},
		"Process":        {problem: "runbook_url leads to no runbook"},
		"Watchdog":       {exempt: true},
	}
	if len(scan.Alerts) != len(want) {
		t.Fatalf("got %d alerts, want %d: %+v", len(scan.Alerts), len(want), scan.Alerts)
	}
	for _, a := range scan.Alerts {
		w, ok := want[a.Name]
		if !ok {
			t.Errorf("unexpected alert %q", a.Name)
			continue
		}
		got := verdict{service: a.Service, problem: a.Problem, covered: a.Covered, exempt: a.Exempt}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", a.Name, got, w)
		}
		if a.Pos.File != "monitoring/rules.yaml" || a.Pos.Line == 0 {
			t.Errorf("%s: position %v, want a line of monitoring/rules.yaml", a.Name, a.Pos)
		}
	}
	if n := len(scan.Counted()); n != len(want)-1 {
		t.Errorf("Counted() = %d alerts, want all but the exempt one (%d)", n, len(want)-1)
	}
	// One finding per uncovered alert, none for the covered or exempt.
	if len(scan.Findings) != 4 {
		t.Errorf("got %d findings, want 4: %+v", len(scan.Findings), scan.Findings)
	}
	for _, f := range scan.Findings {
		if f.Fix == "" {
			t.Errorf("finding without a fix: %+v", f)
		}
	}
}

// TestReadNoRules: without alert_rules there is nothing to cover, which
// is not the same as nothing covered.
func TestReadNoRules(t *testing.T) {
	scan := Read(load(t, "-- opsqa.yaml --\norganisation: Test\n"))
	if len(scan.Alerts) != 0 || len(scan.Findings) != 0 {
		t.Errorf("got %+v, want nothing", scan)
	}
}

// TestReadUnmatchedGlob reports a pattern that matches no file at its
// place in opsqa.yaml.
func TestReadUnmatchedGlob(t *testing.T) {
	scan := Read(load(t, "-- opsqa.yaml --\norganisation: Test\nalert_rules:\n  - alerts/*.yml\n"))
	if len(scan.Findings) != 1 || scan.Findings[0].Pos.File != "opsqa.yaml" || scan.Findings[0].Pos.Line != 3 {
		t.Errorf("got %+v, want one finding at opsqa.yaml:3", scan.Findings)
	}
}
