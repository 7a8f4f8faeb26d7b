package diag

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Suggest returns the candidate closest to s, when it is close enough to
// be a likely typo: within a third of the word's length, at least 1 and at
// most 3 edits, compared case-insensitively.
func Suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	limit := suggestLimit(s)
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

// suggestLimit is the most edits Suggest accepts for s.
func suggestLimit(s string) int {
	return min(max(utf8.RuneCountInString(s)/3, 1), 3)
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

// Suggester answers Suggest for one list of candidates, asked many times:
// the names of a folder of thousands of files, once per broken link. The
// candidates, lower-cased, are stored in a trie that is walked with one
// row of the distance table per node; a branch is left as soon as no name
// below it can beat the best found so far, so a lookup reads the names
// that share most of a prefix with the word rather than every name. The
// answer is Suggest's, ties included (a test compares them).
type Suggester struct {
	candidates []string
	root       trieNode
	depth      int // of the longest candidate, in runes
}

type trieNode struct {
	r        rune
	children []trieNode
	// first is the index of the first candidate ending here, or -1: of
	// candidates equal but for case, Suggest keeps the first.
	first int
	// min is the smallest candidate index in the subtree, so that a branch
	// that could only tie with the best is left too.
	min int
}

// NewSuggester indexes candidates, whose order breaks ties as in Suggest.
func NewSuggester(candidates []string) *Suggester {
	s := &Suggester{candidates: candidates, root: trieNode{first: -1, min: len(candidates)}}
	for i, c := range candidates {
		n := &s.root
		n.min = min(n.min, i)
		rs := []rune(strings.ToLower(c))
		s.depth = max(s.depth, len(rs))
		for _, r := range rs {
			k := slices.IndexFunc(n.children, func(c trieNode) bool { return c.r == r })
			if k < 0 {
				k = len(n.children)
				n.children = append(n.children, trieNode{r: r, first: -1, min: i})
			}
			n = &n.children[k]
		}
		if n.first < 0 {
			n.first = i
		}
	}
	return s
}

// Suggest returns what Suggest(word, candidates) returns.
func (s *Suggester) Suggest(word string) string {
	q := []rune(strings.ToLower(word))
	w := suggestWalk{
		q:     q,
		rows:  make([][]int, s.depth+1),
		bestD: suggestLimit(word),
		bestI: len(s.candidates), // none yet: any name within the limit will do
	}
	for i := range w.rows {
		w.rows[i] = make([]int, len(q)+1)
	}
	for j := range w.rows[0] {
		w.rows[0][j] = j
	}
	if s.root.first >= 0 {
		w.consider(s.root.first, len(q))
	}
	w.walk(&s.root, 0)
	if w.bestI == len(s.candidates) || s.candidates[w.bestI] == word {
		return ""
	}
	return s.candidates[w.bestI]
}

// suggestWalk is one lookup: the word's runes, the rows of the distance
// table along the current path (row i for the node at depth i), and the
// best candidate so far, within the limit.
type suggestWalk struct {
	q            []rune
	rows         [][]int
	bestD, bestI int
}

// consider keeps candidate i at distance d if it beats the best: closer,
// or as close and earlier in the list, as Suggest's scan would keep it.
func (w *suggestWalk) consider(i, d int) {
	if d < w.bestD || d == w.bestD && i < w.bestI {
		w.bestD, w.bestI = d, i
	}
}

// walk fills the row of each child of n, at depth+1, the same recurrence
// as distance with the candidate's runes as rows.
func (w *suggestWalk) walk(n *trieNode, depth int) {
	if len(n.children) == 0 {
		return
	}
	i := depth + 1
	prev, cur := w.rows[depth], w.rows[i]
	for c := range n.children {
		child := &n.children[c]
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(w.q); j++ {
			cost := 1
			if child.r == w.q[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && child.r == w.q[j-2] && n.r == w.q[j-1] {
				v = min(v, w.rows[i-2][j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if child.first >= 0 {
			w.consider(child.first, cur[len(w.q)])
		}
		// No row further down has a smaller minimum (a row is at most one
		// more than the row before it, so even a swap, which reaches back
		// two rows, cannot go lower): rowMin bounds every name below.
		if rowMin > w.bestD || rowMin == w.bestD && child.min > w.bestI {
			continue
		}
		w.walk(child, i)
	}
}
