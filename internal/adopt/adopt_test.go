package adopt

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/opsqa/opsqa/internal/config"
)

// repo writes the archive's files into a new folder.
func repo(t *testing.T, archive string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func survey(t *testing.T, archive string) *Proposal {
	t.Helper()
	p, err := Survey(repo(t, archive))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const rbody = "## Symptoms\n\nx\n\n## Diagnosis\n\nx\n\n## Mitigation\n\nx\n"

// Runbook URL schemes: how deep the files lie, the URL's ending and its
// case decide the mapping.
func TestRunbookURLSchemes(t *testing.T) {
	for _, tc := range []struct {
		name, url string
		files     []string
		want      config.RunbookURL
	}{
		{
			name:  "flat, exact case, .md ending",
			url:   "https://git.example.com/ops/runbooks/src/main/runbooks/DiskFull.md",
			files: []string{"runbooks/DiskFull.md"},
			want:  config.RunbookURL{URL: "https://git.example.com/ops/runbooks/src/main/runbooks/{alert}.md", Path: "runbooks/{alert}.md"},
		},
		{
			name:  "two folders deep, trailing slash, lower case",
			url:   "https://wiki.example.com/rb/infra/storage/diskfull/",
			files: []string{"runbooks/infra/storage/DiskFull.md"},
			want:  config.RunbookURL{URL: "https://wiki.example.com/rb/{group1}/{group2}/{alert}", Path: "runbooks/{group1}/{group2}/{alert}.md", IgnoreCase: true},
		},
		{
			name:  "one group, host in capitals",
			url:   "https://Runbooks.Example.com/node/DiskFull",
			files: []string{"runbooks/node/DiskFull.md"},
			want:  config.RunbookURL{URL: "https://runbooks.example.com/{group}/{alert}", Path: "runbooks/{group}/{alert}.md"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			archive := "-- rules/a.yaml --\ngroups:\n  - name: g\n    rules:\n      - alert: DiskFull\n        expr: up == 0\n        annotations:\n          runbook_url: " + tc.url + "\n"
			for _, f := range tc.files {
				archive += "-- " + f + " --\n# DiskFull\n\n" + rbody
			}
			p := survey(t, archive)
			if len(p.RunbookURLs) != 1 || p.RunbookURLs[0] != tc.want {
				t.Fatalf("runbook_urls = %+v, want %+v", p.RunbookURLs, tc.want)
			}
			if !slices.Equal(p.AlertRules, []string{"rules/a.yaml"}) {
				t.Errorf("alert_rules = %v", p.AlertRules)
			}
		})
	}
}

// A URL whose last part names no runbook proposes no scheme: it cannot
// be told from a link elsewhere.
func TestNoSchemeFromUnknownURLs(t *testing.T) {
	p := survey(t, `-- rules/a.yaml --
groups:
  - name: g
    rules:
      - alert: DiskFull
        expr: up == 0
        annotations:
          runbook_url: https://wiki.example.com/pages/12345
-- runbooks/DiskFull.md --
# DiskFull
`+rbody)
	if len(p.RunbookURLs) != 0 {
		t.Errorf("runbook_urls = %+v, want none", p.RunbookURLs)
	}
}

// Folders not named runbooks are found by what their files hold; a
// folder of other notes is not.
func TestRunbookFoldersByTheirSections(t *testing.T) {
	p := survey(t, `-- ops/procedures/a.md --
# A
`+rbody+`-- ops/procedures/b.md --
# B
`+rbody+`-- notes/c.md --
# C

## Agenda

x
`)
	var paths []string
	for _, c := range p.Collections {
		paths = append(paths, c.Path)
	}
	if !slices.Equal(paths, []string{"ops/procedures"}) {
		t.Errorf("collections = %v, want [ops/procedures]", paths)
	}
}

// When no one sequence of headings is shared by a third of the runbooks,
// the sections are those three in four have, in their usual order.
func TestSectionsWhenRunbooksVary(t *testing.T) {
	var b strings.Builder
	extras := []string{"Background", "Notes", "Links", "History", "Owners"}
	for i, e := range extras {
		b.WriteString("-- runbooks/r" + string(rune('a'+i)) + ".md --\n# R\n\n## Summary\n\nx\n\n## " + e + "\n\nx\n\n## Steps\n\nx\n")
	}
	p := survey(t, b.String())
	if want := []string{"Summary", "Steps"}; !slices.Equal(p.Sections, want) {
		t.Errorf("sections = %v, want %v", p.Sections, want)
	}
	if why := p.Why("sections"); !strings.Contains(why, "three in four") {
		t.Errorf("reason = %q", why)
	}
}

func TestGitHubRemote(t *testing.T) {
	for url, want := range map[string]string{
		"git@github.com:acme/ops.git":        "acme/ops",
		"https://github.com/acme/ops":        "acme/ops",
		"https://github.com/acme/ops.git":    "acme/ops",
		"ssh://git@github.com/acme/ops.git/": "acme/ops",
		"https://gitlab.com/acme/ops.git":    "",
	} {
		dir := repo(t, "-- .git/config --\n[remote \"upstream\"]\n\turl = git@github.com:other/x.git\n[remote \"origin\"]\n\turl = "+url+"\n")
		if got := gitHubRemote(dir); got != want {
			t.Errorf("%s: got %q, want %q", url, got, want)
		}
	}
}

func TestReviewIntervalFromGuideline(t *testing.T) {
	for text, want := range map[string]int{
		"Runbooks are reviewed every 90 days.":        90,
		"Review each runbook every 6 months, please.": 180,
		"We review them every 2 weeks.":               14,
		"Alerts fire every 5 minutes.":                0,
	} {
		dir := repo(t, "-- docs/runbook-guide.md --\n"+text+"\n")
		if got := reviewDays(dir, "docs/runbook-guide.md"); got != want {
			t.Errorf("%q: got %d, want %d", text, got, want)
		}
	}
}

// The proposal is a valid opsqa.yaml that says what was found.
func TestYAMLParses(t *testing.T) {
	p := survey(t, `-- runbooks/TEMPLATE.md --
# Title

## Symptoms

## Diagnosis

## Mitigation
-- runbooks/a.md --
---
title: A
weight: 3
---
`+rbody)
	cfg, err := config.Parse(p.YAML())
	if err != nil {
		t.Fatalf("%v\n%s", err, p.YAML())
	}
	if len(cfg.Collections) != 1 || !cfg.Collections[0].FrontMatterOptional() || !cfg.Collections[0].ExtraKeysAllowed() {
		t.Errorf("collections = %+v", cfg.Collections)
	}
	if !slices.Equal(cfg.RequiredSections["runbook"], []string{"Symptoms", "Diagnosis", "Mitigation"}) {
		t.Errorf("sections = %v", cfg.RequiredSections["runbook"])
	}
	if !slices.Equal(cfg.Lint.Ignore, []string{"runbooks/TEMPLATE.md"}) {
		t.Errorf("ignore = %v", cfg.Lint.Ignore)
	}
}
