package quiz

import (
	"strings"
	"testing"
)

// FuzzParseAnswers feeds arbitrary issue text to the submission decoder:
// it must not panic, and what it accepts names each question once, by an
// id without surrounding space, with option indexes a trainee can pick.
func FuzzParseAnswers(f *testing.F) {
	for _, s := range []string{"first: a\nack: b,c", "x: ", "q: a; r: b", ":", "a:b:c", "é: z\n\n", "q: A, b ,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseAnswers(s)
		if err != nil {
			return
		}
		for id, picks := range got {
			if id != strings.TrimSpace(id) {
				t.Errorf("id %q keeps its spaces", id)
			}
			for _, p := range picks {
				if p < 0 || p >= 26 {
					t.Errorf("option index %d of %q is out of range", p, id)
				}
			}
		}
	})
}
