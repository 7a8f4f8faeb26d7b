package diag

import (
	"strings"
	"unicode/utf8"
)

// Suggest returns the candidate closest to s, when it is close enough to
// be a likely typo: within a third of the word's length, at least 1 and at
// most 3 edits, compared case-insensitively.
func Suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	limit := min(max(utf8.RuneCountInString(s)/3, 1), 3)
	for _, c := range candidates {
		if d := distance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= limit && best != s {
		return best
	}
	return ""
}

// distance is the optimal string alignment distance over runes: the
// Levenshtein distance where swapping two neighbours ("titel" for "title",
// the commonest typo) costs one edit, not two.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows: the one before the previous is needed for swaps.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// DidYouMean returns `; did you mean "x"?` for a near miss of got among
// candidates (Suggest), or "", to end a message with.
func DidYouMean(got string, candidates []string) string {
	if s := Suggest(got, candidates); s != "" {
		return `; did you mean "` + s + `"?`
	}
	return ""
}
