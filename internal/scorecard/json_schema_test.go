package scorecard

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/opsqa/opsqa/schemas"
)

const reportSchemaURL = "https://opsqa.dev/schemas/scorecards.schema.json"

func reportSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := schemas.FS.ReadFile("scorecards.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(reportSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(reportSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// schemaTestReport is a report whose cards hold every status, a null
// score, items and remediation: each shape the schema has to describe.
func schemaTestReport(t *testing.T) []byte {
	t.Helper()
	in := testInput()
	met, missed := true, false
	in.KPI["db"] = ServiceKPI{
		MTTR:     MTTR{N: 6, MeanSeconds: 1500, TargetSeconds: 1800, Met: &met},
		Response: ResponseTally{Eligible: 10, Within: 8, TargetRatio: 0.8, Met: &met},
	}
	in.KPI["web"] = ServiceKPI{
		MTTR:     MTTR{N: 2, MeanSeconds: 2000.4, TargetSeconds: 1800, Met: &missed},
		Response: ResponseTally{Eligible: 5, Within: 3, TargetRatio: 0.8, Met: &missed},
	}
	r, err := Evaluate(parseConfig(t, testConfig), in, now)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range append(slices.Clone(r.Services), r.Teams...) {
		seen["subject "+c.Subject] = true
		seen["null score"] = seen["null score"] || c.Score == nil
		seen["score"] = seen["score"] || c.Score != nil
		for _, ch := range c.Checks {
			seen["status "+string(ch.Status)] = true
			seen["unit "+ch.Unit] = true
			seen["items"] = seen["items"] || len(ch.Items) > 0
			seen["remediation"] = seen["remediation"] || ch.Remediation != ""
		}
	}
	for _, want := range []string{
		"subject service", "subject team", "null score", "score",
		"status pass", "status fail", "status not-applicable", "status not-measured",
		"unit ratio", "unit seconds", "items", "remediation",
	} {
		if !seen[want] {
			t.Errorf("the test report has no %s; the schema test would not cover it", want)
		}
	}
	// As the site build writes it: plain encoding/json.
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReportJSONMatchesSchema(t *testing.T) {
	sch := reportSchema(t)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaTestReport(t)))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("report does not match schemas/scorecards.schema.json: %v", err)
	}
}

// TestReportSchemaIsStrict edits a valid report the ways a change to the
// Go types would, and checks that the schema notices each one.
func TestReportSchemaIsStrict(t *testing.T) {
	sch := reportSchema(t)
	valid := schemaTestReport(t)
	for name, edit := range map[string]func(r *editableReport){
		"renamed report key":           func(r *editableReport) { rename(r.v, "as_of", "asOf") },
		"renamed card key":             func(r *editableReport) { rename(r.card("services", anyCard), "checks", "results") },
		"renamed check key":            func(r *editableReport) { rename(r.check(Pass), "figure", "text") },
		"missing null score":           func(r *editableReport) { delete(r.card("services", unscored), "score") },
		"score above 100":              func(r *editableReport) { r.card("services", anyCard)["score"] = 101 },
		"unknown status":               func(r *editableReport) { r.check(Pass)["status"] = "passed" },
		"unknown unit":                 func(r *editableReport) { r.check(Pass)["unit"] = "minutes" },
		"service card among teams":     func(r *editableReport) { r.card("teams", anyCard)["subject"] = SubjectService },
		"team on a team card":          func(r *editableReport) { r.card("teams", anyCard)["team"] = "app" },
		"zero for an unmeasured value": func(r *editableReport) { r.check(NotMeasured)["value"] = 0 },
		"remediation on a pass":        func(r *editableReport) { r.check(Pass)["remediation"] = "Nothing to do." },
	} {
		t.Run(name, func(t *testing.T) {
			r := &editableReport{t: t}
			if err := json.Unmarshal(valid, &r.v); err != nil {
				t.Fatal(err)
			}
			edit(r)
			if err := sch.Validate(r.v); err == nil {
				t.Error("the schema accepts it")
			}
		})
	}
}

// editableReport is a report decoded as plain JSON values, to edit.
type editableReport struct {
	t *testing.T
	v map[string]any
}

func anyCard(map[string]any) bool    { return true }
func unscored(c map[string]any) bool { return c["score"] == nil }

// card returns the first card of the list ("services" or "teams") that
// match accepts.
func (r *editableReport) card(list string, match func(map[string]any) bool) map[string]any {
	r.t.Helper()
	for _, c := range r.v[list].([]any) {
		if m := c.(map[string]any); match(m) {
			return m
		}
	}
	r.t.Fatalf("no such card among the %s", list)
	return nil
}

// check returns the first check of any card with that status.
func (r *editableReport) check(status Status) map[string]any {
	r.t.Helper()
	for _, list := range []string{"services", "teams"} {
		for _, c := range r.v[list].([]any) {
			for _, ch := range c.(map[string]any)["checks"].([]any) {
				if m := ch.(map[string]any); m["status"] == string(status) {
					return m
				}
			}
		}
	}
	r.t.Fatalf("no %s check in the report", status)
	return nil
}

func rename(m map[string]any, from, to string) {
	m[to] = m[from]
	delete(m, from)
}
