package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/training"
)

func trainingFixture(t *testing.T) *training.Records {
	cfg, err := config.Parse([]byte(`organisation: T
roles:
  - {id: on-call-engineer, name: On call, on_call: true}
teams:
  - id: ops
    name: Ops
    members:
      - {login: ann, name: "Ann <script>x</script>", role: on-call-engineer}
      - {login: bob, role: on-call-engineer}
`))
	if err != nil {
		t.Fatal(err)
	}
	cs := []training.Curriculum{{ID: "on-call", Audience: []string{"on-call-engineer"}, Modules: []string{"m1", "m2"}, RecertifyDays: 100, OnCall: true}}
	ms := []training.Module{{ID: "m1", Title: "One | two", Quiz: "q1"}, {ID: "m2", Title: "Two", Quiz: "q2"}}
	asOf := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	pass := func(who, quiz string, daysAgo int) training.Verdict {
		v := training.Verdict{Status: training.Passed, Submission: training.Submission{Author: who, QuizID: quiz, At: asOf.AddDate(0, 0, -daysAgo)}}
		v.Result.Score = 90
		return v
	}
	return training.Build(cfg, cs, ms, []training.Verdict{pass("ann", "q1", 90), pass("ann", "q2", 10), pass("bob", "q1", 5)}, asOf)
}

func TestTrainingReports(t *testing.T) {
	r := trainingFixture(t)
	var text bytes.Buffer
	if err := TrainingText(&text, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Training records as of 2026-06-01 (due: expiring within 30 days)",
		"due: expires 2026-06-11",     // ann: m1 passed 90 of 100 days ago
		"bob, on-call-engineer: m2",   // the on-call gap
		"in progress, 1 of 2 modules", // bob
		"✓ 90",                        // a matrix cell
		"  2 m2",                      // the column legend
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	var md bytes.Buffer
	if err := TrainingMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	if strings.Contains(out, "<script>") || !strings.Contains(out, "Ann &lt;script&gt;x&lt;/script&gt; (ann)") || !strings.Contains(out, "| One \\| two |") {
		t.Errorf("markdown does not escape names and titles:\n%s", out)
	}
	if !strings.Contains(out, "- **Ann &lt;script&gt;x&lt;/script&gt; (ann)**: on-call, due: expires 2026-06-11") {
		t.Errorf("markdown due list:\n%s", out)
	}
	var js bytes.Buffer
	if err := TrainingJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var back struct {
		SchemaVersion int `json:"schema_version"`
		People        []struct {
			Login string   `json:"login"`
			Gaps  []string `json:"gaps"`
		} `json:"people"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.SchemaVersion != 1 || len(back.People) != 2 || back.People[1].Gaps[0] != "m2" {
		t.Errorf("json: %v %+v", err, back)
	}
}
