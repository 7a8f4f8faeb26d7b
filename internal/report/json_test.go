package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/schemas"
)

func compileSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	data, err := schemas.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var sample = []diag.Diagnostic{
	{Pos: diag.Position{File: "content/runbooks/a.md", Line: 3, Column: 9}, Severity: diag.Error, Rule: "schema", Message: `"status" is "actve"`, Fix: "write \"active\""},
	{Pos: diag.Position{File: "processes/b.md", Line: 12, Column: 1}, Severity: diag.Warning, Rule: "review-overdue", Message: "review overdue by 3 days"},
	{Pos: diag.Position{File: "processes/c.md"}, Severity: diag.Info, Rule: "encoding", Message: "whole-file finding"},
}

// TestJSONMatchesSchema validates real output, empty and not, against
// schemas/lint-output.schema.json.
func TestJSONMatchesSchema(t *testing.T) {
	sch := compileSchema(t, "lint-output.schema.json")
	for _, ds := range [][]diag.Diagnostic{nil, sample} {
		var b bytes.Buffer
		f := &Findings{Diagnostics: ds, Files: 3}
		if ds != nil {
			f.Unchecked = unchecked
		}
		if err := JSON(&b, f); err != nil {
			t.Fatal(err)
		}
		if ds == nil && !strings.Contains(b.String(), `"diagnostics": []`) {
			t.Errorf("empty findings must print [], got:\n%s", b.String())
		}
		v, err := jsonschema.UnmarshalJSON(&b)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("output does not match its schema: %v", err)
		}
	}
}

var unchecked = []diag.Unchecked{
	{Rule: "alert-runbooks", Reason: "opsqa.yaml names no alert_rules files"},
	{Rule: "review-overdue", Reason: "no last_reviewed date", Files: []string{"a.md", "b.md", "c.md", "d.md"}},
}

// Every format says what was not checked: a clean run must not read as
// a full one.
func TestUncheckedInEveryFormat(t *testing.T) {
	f := &Findings{Files: 4, Unchecked: unchecked}
	for name, want := range map[string][]string{
		"text":    {"not checked: alert-runbooks: opsqa.yaml names no alert_rules files\n", "not checked: review-overdue in 4 files (a.md, b.md, c.md, …): no last_reviewed date\n"},
		"json":    {`"rule": "review-overdue"`, `"files": [`, `"d.md"`},
		"github":  {"::notice title=opsqa review-overdue not checked::review-overdue in 4 files"},
		"summary": {"Not checked:\n\n- alert-runbooks: opsqa.yaml names no alert\\_rules files\n"},
		"sarif":   {`"toolExecutionNotifications"`, `"not checked: alert-runbooks: opsqa.yaml names no alert_rules files"`, `"id": "review-overdue"`},
	} {
		var b bytes.Buffer
		var err error
		switch name {
		case "text":
			err = Text(&b, f, TextOptions{})
		case "json":
			err = JSON(&b, f)
		case "github":
			err = GitHub(&b, f)
		case "summary":
			err = Summary(&b, f)
		case "sarif":
			err = SARIF(&b, f, "1")
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s output lacks %q:\n%s", name, w, b.String())
			}
		}
	}
}

// TestSARIF checks the parts GitHub code scanning needs.
func TestSARIF(t *testing.T) {
	var b bytes.Buffer
	rules := []RuleInfo{{ID: "schema", Summary: "front matter matches", Doc: "Long help.", Severity: diag.Error}}
	if err := SARIF(&b, &Findings{Diagnostics: sample, Rules: rules}, "1.0.0"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct{ Text string }
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine, StartColumn int }
					}
				}
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("not a SARIF 2.1.0 log with one run: %s", b.String())
	}
	run := log.Runs[0]
	if got := run.Tool.Driver.Rules[0].Help.Text; got != "Long help." {
		t.Errorf("rule help = %q", got)
	}
	if len(run.Results) != 3 {
		t.Fatalf("results = %d, want 3", len(run.Results))
	}
	r := run.Results[0]
	if r.RuleID != "schema" || r.Level != "error" || r.Locations[0].PhysicalLocation.Region.StartLine != 3 || r.Locations[0].PhysicalLocation.Region.StartColumn != 9 {
		t.Errorf("first result = %+v", r)
	}
	if run.Results[2].Level != "note" || run.Results[2].Locations[0].PhysicalLocation.Region != nil {
		t.Errorf("a whole-file info finding is a note without a region: %+v", run.Results[2])
	}
	if run.Tool.Driver.Rules[run.Results[1].RuleIndex].ID != "review-overdue" {
		t.Error("ruleIndex does not point at the result's rule")
	}
	if run.Results[0].PartialFingerprints["opsqaFindingHash/v1"] == run.Results[1].PartialFingerprints["opsqaFindingHash/v1"] {
		t.Error("different findings share a fingerprint")
	}
}

// TestGitHubEscaping checks that a message cannot break out of its
// workflow command.
func TestGitHubEscaping(t *testing.T) {
	var b bytes.Buffer
	ds := []diag.Diagnostic{{Pos: diag.Position{File: "a,b:c.md", Line: 1, Column: 2}, Severity: diag.Error, Rule: "x", Message: "line one\n::error::injected 100%"}}
	if err := GitHub(&b, &Findings{Diagnostics: ds, Files: 1}); err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(b.String(), "\n", 2)[0]
	want := "::error file=a%2Cb%3Ac.md,line=1,col=2,title=opsqa x::line one%0A::error::injected 100%25"
	if first != want {
		t.Errorf("got  %s\nwant %s", first, want)
	}
}
