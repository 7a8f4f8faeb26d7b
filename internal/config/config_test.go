package config

import (
	"os"
	"testing"
)

func TestParseMergesDefaults(t *testing.T) {
	c, err := Parse([]byte("organisation: X\nreview_intervals: {runbook: 30}\nrequired_sections: {process: [Purpose]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.ReviewInterval("runbook") != 30 || c.ReviewInterval("process") != 365 {
		t.Errorf("review intervals = %v", c.ReviewIntervals)
	}
	if len(c.RequiredSections["runbook"]) != 6 || c.RequiredSections["process"][0] != "Purpose" {
		t.Errorf("required sections = %v", c.RequiredSections)
	}
	if c.KPI.MTTRTargetSeconds != 1800 || c.KPI.ResolvedWithinTargetRatio != 0.8 || len(c.Collections) != 6 {
		t.Errorf("defaults lost: %+v", c.KPI)
	}
}

// TestParseKeepsWhatDecodes checks that one wrongly typed value does not
// throw the rest of the configuration away: lint still needs the teams.
func TestParseKeepsWhatDecodes(t *testing.T) {
	c, err := Parse([]byte("teams: [{id: ops, name: Ops}]\nkpi: {mttr_target_seconds: soon}\n"))
	if err == nil {
		t.Fatal("a wrongly typed value was accepted")
	}
	if c == nil || len(c.Teams) != 1 || c.Teams[0].ID != "ops" {
		t.Fatalf("config = %+v", c)
	}
}

func TestKindOf(t *testing.T) {
	c := Default()
	c.Collections = append(c.Collections, Collection{Path: "content/runbooks/legacy/", Kind: "process"})
	for path, want := range map[string]string{
		"content/runbooks/a.md":        "runbook",
		"content/runbooks/legacy/b.md": "process",
		"content/runbooksx/c.md":       "",
		"training/quizzes/q.md":        "quiz",
		"README.md":                    "",
	} {
		if got := c.KindOf(path); got != want {
			t.Errorf("KindOf(%s) = %q, want %q", path, got, want)
		}
	}
}

// TestSampleConfig reads the repository's own opsqa.yaml.
func TestSampleConfig(t *testing.T) {
	c, err := Load(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	if c.Repository != "northwind-parcel/operations" || len(c.Teams) < 3 || len(c.Services) < 9 {
		t.Errorf("sample config = %s, %d teams, %d services", c.Repository, len(c.Teams), len(c.Services))
	}
	if got := c.MemberTeams()["mei-lin"]; len(got) != 1 || got[0] != "operations" {
		t.Errorf("mei-lin's teams = %v", got)
	}
}
