package issueform

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// formsDir holds the repository's own issue forms; the parser is tested
// against them so that a change to a form that breaks reading it fails here.
const formsDir = "../../.github/ISSUE_TEMPLATE"

func loadForm(t testing.TB, name string) *Template {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(formsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := ParseTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

func TestRepositoryForms(t *testing.T) {
	want := map[string]struct {
		label string
		ids   []string
	}{
		"incident.yml":    {"incident", []string{"service", "severity", "impact_started", "detected_by", "impact", "description"}},
		"problem.yml":     {"problem", []string{"service", "severity", "impact_started", "detected_by", "impact", "description", "steps"}},
		"feedback.yml":    {"feedback", []string{"page", "rating", "comments"}},
		"quiz-result.yml": {"quiz-result", []string{"quiz_id", "quiz_version", "answers", "score"}},
	}
	for file, w := range want {
		tmpl := loadForm(t, file)
		var ids []string
		for _, f := range tmpl.Fields {
			ids = append(ids, f.ID)
		}
		if !reflect.DeepEqual(ids, w.ids) {
			t.Errorf("%s: field ids %v, want %v", file, ids, w.ids)
		}
		if !reflect.DeepEqual(tmpl.Labels, []string{w.label}) {
			t.Errorf("%s: labels %v, want [%s]", file, tmpl.Labels, w.label)
		}
	}
	inc := loadForm(t, "incident.yml")
	sev, _ := inc.Field("severity")
	if len(sev.Options) != 4 || !strings.HasPrefix(sev.Options[0], "sev1") || !strings.HasPrefix(sev.Options[3], "sev4") {
		t.Errorf("severity options = %q, want sev1 … sev4", sev.Options)
	}
	svc, _ := inc.Field("service")
	if len(svc.Options) != 9 || svc.Options[2] != "postgres" {
		t.Errorf("service options = %q, want the nine services of opsqa.yaml", svc.Options)
	}
	started, _ := inc.Field("impact_started")
	if started.Type != "input" {
		t.Errorf("impact_started is a %s, want input", started.Type)
	}
}

func TestParseTemplateRejects(t *testing.T) {
	cases := map[string]string{
		"empty":          "",
		"no fields":      "name: X\nbody:\n  - type: markdown\n    attributes: {value: hi}\n",
		"duplicate":      "name: X\nbody:\n  - {type: input, id: a, attributes: {label: Same}}\n  - {type: input, id: b, attributes: {label: Same}}\n",
		"duplicate id":   "name: X\nbody:\n  - {type: input, id: a, attributes: {label: One}}\n  - {type: input, id: a, attributes: {label: Two}}\n",
		"no label":       "name: X\nbody:\n  - {type: input, id: a, attributes: {}}\n",
		"no id":          "name: X\nbody:\n  - {type: input, attributes: {label: One}}\n",
		"unknown type":   "name: X\nbody:\n  - {type: slider, id: a, attributes: {label: One}}\n",
		"not yaml":       "name: [\n",
		"body not alist": "name: X\nbody: 3\n",
	}
	for name, src := range cases {
		if _, err := ParseTemplate([]byte(src)); err == nil {
			t.Errorf("%s: ParseTemplate accepted %q", name, src)
		}
	}
}

// incidentBody is how GitHub renders a submission of incident.yml.
const incidentBody = `### Service

postgres

### Severity

sev1: outage of a tier-1 service or data loss for many customers

### Impact started

2026-05-09T02:10:00Z

### Detected by

alert

### Impact

Orders API returns 500 for every checkout.
Partners see failed bookings.

### Description

_No response_`

func TestParseRendered(t *testing.T) {
	tmpl := loadForm(t, "incident.yml")
	got := tmpl.Parse(incidentBody)
	want := map[string]string{
		"service":        "postgres",
		"severity":       "sev1: outage of a tier-1 service or data loss for many customers",
		"impact_started": "2026-05-09T02:10:00Z",
		"detected_by":    "alert",
		"impact":         "Orders API returns 500 for every checkout.\nPartners see failed bookings.",
		"description":    "",
	}
	if !reflect.DeepEqual(got.Fields, want) {
		t.Errorf("fields:\n got %q\nwant %q", got.Fields, want)
	}
	if len(got.Problems) != 0 {
		t.Errorf("problems: %q", got.Problems)
	}
	if _, err := time.Parse(time.RFC3339, got.Fields["impact_started"]); err != nil {
		t.Errorf("impact_started does not parse: %v", err)
	}
	// CRLF line endings, as browsers submit edits, read the same.
	crlf := tmpl.Parse(strings.ReplaceAll(incidentBody, "\n", "\r\n"))
	if !reflect.DeepEqual(crlf.Fields, want) || len(crlf.Problems) != 0 {
		t.Errorf("CRLF body: fields %q problems %q", crlf.Fields, crlf.Problems)
	}
}

func TestParseCases(t *testing.T) {
	tmpl := loadForm(t, "problem.yml")
	full := func(description, steps string) string {
		return "### Service\n\nredis\n\n### Severity\n\nsev3: partial degradation, or a tier-2 service, with a workaround\n\n" +
			"### Impact started\n\n_No response_\n\n### Detected by\n\nstaff\n\n### Impact\n\nSessions drop.\n\n" +
			"### Description\n\n" + description + "\n\n### Steps to reproduce\n\n" + steps + "\n"
	}
	cases := []struct {
		name     string
		body     string
		fields   map[string]string // only the fields checked
		absent   []string
		problems []string // substrings, in order
	}{
		{
			name:   "rendered textarea is unwrapped",
			body:   full("Evictions under load.", "```shell\nredis-cli info memory\n```"),
			fields: map[string]string{"steps": "redis-cli info memory", "description": "Evictions under load.", "impact_started": ""},
		},
		{
			name:   "fake heading inside a fence stays in the answer",
			body:   full("Logs:\n\n```\n### Impact\n### Steps to reproduce\n```\nend", "_No response_"),
			fields: map[string]string{"description": "Logs:\n\n```\n### Impact\n### Steps to reproduce\n```\nend", "steps": "", "impact": "Sessions drop."},
		},
		{
			name:   "tilde fence with a longer closing fence",
			body:   full("~~~~\n### Service\n~~~\nstill code\n~~~~~\nafter", "_No response_"),
			fields: map[string]string{"description": "~~~~\n### Service\n~~~\nstill code\n~~~~~\nafter", "service": "redis"},
		},
		{
			name:   "fake heading inside an HTML comment",
			body:   full("<!--\n### Severity\n-->\nseen", "_No response_"),
			fields: map[string]string{"description": "<!--\n### Severity\n-->\nseen", "severity": "sev3: partial degradation, or a tier-2 service, with a workaround"},
		},
		{
			name:   "fake heading inside details HTML",
			body:   full("<details>\n### Impact\n</details>", "_No response_"),
			fields: map[string]string{"description": "<details>\n### Impact\n</details>", "impact": "Sessions drop."},
		},
		{
			name:   "other headings are text",
			body:   full("### Timeline\n#### Service\n## Severity\nok", "_No response_"),
			fields: map[string]string{"description": "### Timeline\n#### Service\n## Severity\nok"},
		},
		{
			name:   "indented heading is code, closing hashes are not",
			body:   strings.Replace(full("    ### Impact", "x"), "### Service", "  ### Service ###", 1),
			fields: map[string]string{"service": "redis", "description": "    ### Impact"},
		},
		{
			name:     "heading pasted into an answer is a duplicate, neighbours left out",
			body:     full("see below\n### Impact\ncopied", "x"),
			fields:   map[string]string{"service": "redis", "steps": "x"},
			absent:   []string{"impact", "description", "detected_by"},
			problems: []string{`"### Impact" appears 2 times`},
		},
		{
			name:     "missing heading",
			body:     strings.Replace(full("d", "s"), "### Detected by\n\nstaff\n\n", "", 1),
			fields:   map[string]string{"service": "redis", "impact": "Sessions drop."},
			absent:   []string{"detected_by"},
			problems: []string{`"### Detected by" is missing`},
		},
		{
			name:     "not a form",
			body:     "The site is down!!\n\n# Help\n\n### Status\n",
			absent:   []string{"service", "severity"},
			problems: []string{"none of the \"Problem\" form's headings"},
		},
		{
			name:     "empty",
			body:     " \n\n",
			problems: []string{"the body is empty"},
		},
		{
			name:     "text before the first heading",
			body:     "Posted from the pager.\n\n" + full("d", "s"),
			fields:   map[string]string{"service": "redis"},
			problems: []string{"text before the first heading"},
		},
		{
			name:     "dropdown value not among the options",
			body:     strings.Replace(full("d", "s"), "\nredis\n", "\nthe cache\n", 1),
			fields:   map[string]string{"service": "the cache"},
			problems: []string{`field service: "the cache" is not one of the form's options`},
		},
		{
			name:     "invalid UTF-8",
			body:     full("bad \xff\xfe bytes", "s"),
			fields:   map[string]string{"description": "bad \uFFFD bytes"},
			problems: []string{"not valid UTF-8"},
		},
		{
			name:     "unclosed fence runs to the end, as GitHub renders it",
			body:     full("```\n### Steps to reproduce", "after") + "\n",
			fields:   map[string]string{"service": "redis", "description": "```\n### Steps to reproduce\n\n### Steps to reproduce\n\nafter"},
			absent:   []string{"steps"},
			problems: []string{`"### Steps to reproduce" is missing`},
		},
		{
			name:   "headings out of order are still unambiguous",
			body:   "### Severity\n\nsev4: minor or cosmetic, no customer impact\n\n### Service\n\ndns\n",
			fields: map[string]string{"service": "dns", "severity": "sev4: minor or cosmetic, no customer impact"},
			absent: []string{"impact"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := tmpl.Parse(c.body)
			for id, want := range c.fields {
				if v, ok := got.Fields[id]; !ok || v != want {
					t.Errorf("field %s = %q (present %v), want %q", id, v, ok, want)
				}
			}
			for _, id := range c.absent {
				if v, ok := got.Fields[id]; ok {
					t.Errorf("field %s = %q, want it left out", id, v)
				}
			}
			i := 0
			for _, p := range got.Problems {
				if i < len(c.problems) && strings.Contains(p, c.problems[i]) {
					i++
				}
			}
			if i < len(c.problems) {
				t.Errorf("problems %q, want ones containing %q", got.Problems, c.problems)
			}
			if len(c.problems) == 0 && len(c.absent) == 0 && len(got.Problems) != 0 {
				t.Errorf("unexpected problems %q", got.Problems)
			}
		})
	}
}

func TestParseHugeBody(t *testing.T) {
	tmpl := loadForm(t, "incident.yml")
	// 8 MiB of fences, fake headings and HTML; GitHub caps bodies at 65,536
	// characters, so this is far past anything real. It must stay linear.
	var b strings.Builder
	b.WriteString(incidentBody)
	b.WriteString("\n")
	for b.Len() < 8<<20 {
		b.WriteString("```\n### Impact\n```\n<!--\n### Service\n-->\n<details>\n### Severity\n</details>\n\n")
	}
	start := time.Now()
	got := tmpl.Parse(b.String())
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("parsing 8 MiB took %v", d)
	}
	if got.Fields["service"] != "postgres" || got.Fields["impact"] == "" || len(got.Problems) != 0 {
		t.Errorf("huge body: service %q, problems %q", got.Fields["service"], got.Problems)
	}
	if !strings.HasSuffix(got.Fields["description"], "</details>") {
		t.Errorf("the fenced tail should all belong to the description")
	}
}
