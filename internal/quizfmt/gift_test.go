package quizfmt

import (
	"strings"
	"testing"
)

// TestReadGIFTCases checks what the golden files do not show: line ends,
// backslashes, line breaks in answers, decimal weights, braces left open.
func TestReadGIFTCases(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string // per question: id, text, options (* correct), explanation, |
		finding   string
	}{
		{"CRLF", "::a::Up?{\r\n=yes\r\n~no\r\n}\r\n\r\n::b::Down?{T}\r\n",
			"q-a Up? [*yes no] |q-b Down? [*True False] |", ""},
		{"backslash", `Path C:\\temp\: which drive? {=C ~D}`,
			`path-c-temp-which-drive Path C:\\temp: which drive? [*C D] |`, ""},
		{"line break in feedback", `Q? {=a ~b ####one\ntwo}`,
			"q-q Q? [*a b] one\ntwo|", ""},
		{"decimal weights", "Q? {~%33.33333%a ~%33.33333%b ~%33.33334%c ~%-100%d}",
			"q-q Q? multiple [*a *b *c d] |", ""},
		{"open brace", "Q? {=a ~b", "", `question "Q?" skipped: its answers need a { and a } after it`},
		{"one answer", "Q? {~a}", "", `question "Q?" skipped: it has fewer than two answers`},
		{"no positive weight", "Q? {~%-50%a ~b}", "", `question "Q?" skipped: no answer has a positive weight`},
		{"text before the answers", "Q? {x =a ~b}", "q-q Q? [*a b] |", `question "Q?": "x" before the first answer is left out`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, ds := ReadGIFT("t.gift", []byte(tc.src))
			var got strings.Builder
			for _, qu := range q.Questions {
				got.WriteString(qu.ID + " " + qu.Markdown)
				if qu.Multiple {
					got.WriteString(" multiple")
				}
				var opts []string
				for _, o := range qu.Options {
					if o.Correct {
						opts = append(opts, "*"+o.Markdown)
					} else {
						opts = append(opts, o.Markdown)
					}
				}
				got.WriteString(" [" + strings.Join(opts, " ") + "] " + qu.ExplanationMarkdown + "|")
			}
			if got.String() != tc.want {
				t.Errorf("got  %q\nwant %q", got.String(), tc.want)
			}
			found := tc.finding == ""
			for _, d := range ds {
				if tc.finding != "" && strings.Contains(d.Message, tc.finding) {
					found = true
				} else if !strings.Contains(d.Message, "has no feedback") {
					t.Errorf("unexpected finding %s", d)
				}
			}
			if !found {
				t.Errorf("no finding %q in %v", tc.finding, ds)
			}
		})
	}
}
