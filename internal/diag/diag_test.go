package diag

import (
	"strings"
	"testing"
)

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		got        string
		candidates []string
		want       string
	}{
		{"servcie", []string{"service", "severity"}, "service"},
		{"actve", []string{"draft", "active", "deprecated"}, "active"},
		{"Active", []string{"active"}, "active"}, // case is not a typo worth hiding
		{"active", []string{"active"}, ""},       // nothing to suggest
		{"mitigatin", []string{"mitigation"}, "mitigation"},
		{"titel", []string{"title", "tags"}, "title"}, // a swap is one edit
		{"sevirity", []string{"severity", "service"}, "severity"},
		{"xyz", []string{"service"}, ""},      // too far
		{"订单", []string{"订单服务", "order"}, ""}, // two runes apart is too far for a two-rune word
	} {
		if got := Suggest(tc.got, tc.candidates); got != tc.want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tc.got, tc.candidates, got, tc.want)
		}
	}
}

func TestSortAndString(t *testing.T) {
	ds := []Diagnostic{
		{Pos: Position{File: "b.md", Line: 1, Column: 1}, Severity: Error, Rule: "x", Message: "m"},
		{Pos: Position{File: "a.md", Line: 10, Column: 2}, Severity: Warning, Rule: "y", Message: "m"},
		{Pos: Position{File: "a.md", Line: 2, Column: 5}, Severity: Info, Rule: "z", Message: "m"},
		{Pos: Position{File: "a.md"}, Severity: Error, Rule: "w", Message: "whole file"},
	}
	Sort(ds)
	var got []string
	for _, d := range ds {
		got = append(got, d.String())
	}
	want := "a.md: error w: whole file|a.md:2:5: info z: m|a.md:10:2: warning y: m|b.md:1:1: error x: m"
	if strings.Join(got, "|") != want {
		t.Errorf("sorted:\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
	if Count(ds, Warning) != 3 || Count(ds, Error) != 2 {
		t.Errorf("Count = %d warnings and up, %d errors", Count(ds, Warning), Count(ds, Error))
	}
}

func TestInvalidUTF8At(t *testing.T) {
	for in, want := range map[string]int{"": 0, "abc": 3, "订单": 6, "ab\xffc": 2, "订\xe5\x8d": 3} {
		if got := InvalidUTF8At([]byte(in)); got != want {
			t.Errorf("InvalidUTF8At(%q) = %d, want %d", in, got, want)
		}
	}
}
