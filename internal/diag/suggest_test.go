package diag

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSuggesterMatchesSuggest compares the index with the plain scan on
// many random lists and words: a small alphabet with upper case, a letter
// that lower-cases to two runes and invalid UTF-8, so that there are
// plenty of near misses, swaps, ties and names equal but for case.
func TestSuggesterMatchesSuggest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "c", "A", "B", "-", ".", "é", "İ", "\xff"}
	word := func(n int) string {
		s := ""
		for range n {
			s += alphabet[rng.IntN(len(alphabet))]
		}
		return s
	}
	// typo makes up to four random edits of s, by bytes: some of them
	// break a rune in two, as a typo would not, but as a path can.
	typo := func(s string) string {
		b := []byte(s)
		for range rng.IntN(5) {
			switch i := rng.IntN(len(b) + 1); {
			case rng.IntN(4) == 0 || len(b) == 0:
				b = slices.Insert(b, i, []byte(word(1))...)
			case i == len(b):
				b = b[:len(b)-1]
			case rng.IntN(3) == 0:
				b = slices.Delete(b, i, i+1)
			case rng.IntN(2) == 0 && i+1 < len(b):
				b[i], b[i+1] = b[i+1], b[i]
			default:
				b[i] = "xyzab"[rng.IntN(5)]
			}
		}
		return string(b)
	}
	for list := range 300 {
		var candidates []string
		for range rng.IntN(60) {
			candidates = append(candidates, word(rng.IntN(12)))
		}
		if list%2 == 0 {
			slices.Sort(candidates) // as a folder lists them
		}
		s := NewSuggester(candidates)
		for range 100 {
			var w string
			if len(candidates) > 0 && rng.IntN(4) != 0 {
				w = typo(candidates[rng.IntN(len(candidates))])
			} else {
				w = word(rng.IntN(14))
			}
			if got, want := s.Suggest(w), Suggest(w, candidates); got != want {
				t.Fatalf("Suggester(%q).Suggest(%q) = %q, Suggest = %q", candidates, w, got, want)
			}
		}
	}
}

// BenchmarkSuggester looks up a near miss among 5,000 file names of a
// folder, with the index and with the plain scan.
func BenchmarkSuggester(b *testing.B) {
	var names []string
	for i := range 5000 {
		names = append(names, fmt.Sprintf("runbook-%05d.md", i))
	}
	b.Run("index", func(b *testing.B) {
		s := NewSuggester(names)
		for b.Loop() {
			if s.Suggest("rnubook-04321.md") != "runbook-04321.md" {
				b.Fatal("wrong suggestion")
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			if Suggest("rnubook-04321.md", names) != "runbook-04321.md" {
				b.Fatal("wrong suggestion")
			}
		}
	})
}
