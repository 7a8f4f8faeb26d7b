package issueform

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bodies to the problem form's parser. Whatever
// the body, the parser must not panic, must return only the form's field
// ids with valid UTF-8 answers, must be deterministic, and must explain
// every field it leaves out.
func FuzzParse(f *testing.F) {
	tmpl := loadForm(f, "problem.yml")
	for _, seed := range []string{
		"",
		incidentBody,
		"### Service\n\n```\n### Severity\n",
		"<!--\n### Service\n-->\n### Service\n\nx",
		"<details>\n### Service\n\n### Service\nx",
		"### Service ###\n\n\xff\xfe\n### Impact\n\n_No response_",
		"~~~\n### Service\n``` \n### Service\n~~~~\n### Service",
		"<pre>\n### Impact\n</pre>\n### Impact\n\ny\n### Impact",
		"   ### Detected by\n    ### Detected by\n\t### Detected by",
	} {
		f.Add(seed)
	}
	ids := map[string]bool{}
	for _, fd := range tmpl.Fields {
		ids[fd.ID] = true
	}
	f.Fuzz(func(t *testing.T, body string) {
		got := tmpl.Parse(body)
		for id, v := range got.Fields {
			if !ids[id] {
				t.Fatalf("unknown field id %q", id)
			}
			if !utf8.ValidString(v) {
				t.Fatalf("field %s is not valid UTF-8: %q", id, v)
			}
		}
		if len(got.Fields) < len(tmpl.Fields) && len(got.Problems) == 0 {
			t.Fatalf("fields %q left out without a problem", got.Fields)
		}
		again := tmpl.Parse(body)
		if !reflect.DeepEqual(got, again) {
			t.Fatalf("parse is not deterministic")
		}
	})
}

// FuzzFencedAnswer renders a problem form whose free-text answers are
// arbitrary text inside code fences, as GitHub does for a textarea with
// render set. Whatever the text holds (fake headings, HTML, half fences),
// the parser must give it back whole and read every other field.
func FuzzFencedAnswer(f *testing.F) {
	tmpl := loadForm(f, "problem.yml")
	for _, seed := range []string{
		"plain",
		"### Impact\n### Service\n\nredis",
		"```\n### Steps to reproduce\n```",
		"~~~\n<!--\n### Severity",
		"<details>\n\n### Description\n",
		"_No response_ and more",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, value string) {
		if !utf8.ValidString(value) || strings.ContainsAny(value, "\r") || strings.TrimSpace(value) == NoResponse {
			t.Skip("GitHub normalizes these before rendering")
		}
		fence := strings.Repeat("`", max(3, longestRun(value, '`')+1))
		body := "### Service\n\nredis\n\n### Severity\n\nsev4: minor or cosmetic, no customer impact\n\n" +
			"### Impact started\n\n_No response_\n\n### Detected by\n\nother\n\n### Impact\n\nnone\n\n" +
			"### Description\n\n" + fence + "\n" + value + "\n" + fence + "\n\n" +
			"### Steps to reproduce\n\n" + fence + "shell\n" + value + "\n" + fence + "\n"
		got := tmpl.Parse(body)
		if len(got.Problems) != 0 {
			t.Fatalf("problems %q for body %q", got.Problems, body)
		}
		want := strings.TrimRight(value, " \t")
		if got.Fields["steps"] != want {
			t.Fatalf("steps = %q, want %q", got.Fields["steps"], want)
		}
		if desc := got.Fields["description"]; desc != fence+"\n"+value+"\n"+fence {
			t.Fatalf("description = %q", desc)
		}
		if got.Fields["service"] != "redis" || got.Fields["impact"] != "none" || got.Fields["impact_started"] != "" {
			t.Fatalf("other fields disturbed: %q", got.Fields)
		}
	})
}

func longestRun(s string, ch byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == ch {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
