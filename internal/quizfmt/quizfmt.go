// Package quizfmt converts quizzes between opsqa's quiz documents and the
// formats other tools write: Moodle's GIFT (read and written) and
// quizdown-js Markdown (read). Readers return the questions as a
// quiz.Quiz whose Markdown fields (Markdown, Option.Markdown,
// ExplanationMarkdown) hold the text to write, and findings for what they
// could not carry over: a question of a type opsqa cannot represent is
// skipped with a warning at its file:line:col, never dropped in silence.
// WriteQuiz turns the questions into a quiz document; WriteGIFT exports a
// parsed quiz document to GIFT.
package quizfmt

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/quiz"
)

// Rule is the rule name findings of the converters carry.
const Rule = "convert"

// lineIndex maps byte offsets of a source to positions.
type lineIndex struct {
	name   string
	src    []byte
	starts []int
}

func newLineIndex(name string, src []byte) *lineIndex {
	ix := &lineIndex{name: name, src: src, starts: []int{0}}
	for i, b := range src {
		if b == '\n' {
			ix.starts = append(ix.starts, i+1)
		}
	}
	return ix
}

// pos is the position of a byte offset; columns count code points.
func (ix *lineIndex) pos(off int) diag.Position {
	off = max(0, min(off, len(ix.src)))
	lo, hi := 0, len(ix.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if ix.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return diag.Position{File: ix.name, Line: lo + 1, Column: utf8.RuneCount(ix.src[ix.starts[lo]:off]) + 1}
}

// findings collects the diagnostics of one conversion.
type findings struct {
	ds []diag.Diagnostic
}

func (f *findings) add(pos diag.Position, sev diag.Severity, fix, format string, args ...any) {
	f.ds = append(f.ds, diag.Diagnostic{Pos: pos, Severity: sev, Rule: Rule, Message: fmt.Sprintf(format, args...), Fix: fix})
}

// Slug makes a front matter or question id from text: lower-case ASCII
// letters and digits, every other run of characters one hyphen, at most
// max bytes cut at a hyphen. The result matches the schema's slug
// pattern, or is empty when text holds no letter or digit.
func Slug(text string, maxLen int) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(text) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// "what's" reads better as "whats" than "what-s".
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > maxLen {
		s = s[:maxLen]
		if i := strings.LastIndexByte(s, '-'); i > maxLen/2 {
			s = s[:i]
		}
		s = strings.Trim(s, "-")
	}
	if len(s) == 1 {
		// The slug pattern wants two characters at least.
		s = "q-" + s
	}
	return s
}

// FileID is the quiz id a file name gives: its base name without the
// extension, as a slug.
func FileID(name string) string {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if ext := path.Ext(base); ext != "" {
		base = strings.TrimSuffix(base, ext)
	}
	return Slug(base, 80)
}

// ids hands out question ids, unique within one quiz: taken are the ids
// given, next the suffix to try next for a base id.
type ids struct {
	taken map[string]bool
	next  map[string]int
}

func newIDs() *ids { return &ids{taken: map[string]bool{}, next: map[string]int{}} }

// make returns the id for a question: from its name when it has one, else
// from its text, else q-N; a taken id gets -2, -3 ….
func (u *ids) make(name, text string, n int) string {
	id := Slug(name, 48)
	if id == "" {
		id = Slug(text, 40)
	}
	if id == "" {
		id = "q-" + strconv.Itoa(n)
	}
	base := id
	for u.taken[id] {
		u.next[base] = max(u.next[base], 2)
		id = base + "-" + strconv.Itoa(u.next[base])
		u.next[base]++
	}
	u.taken[id] = true
	return id
}

// answerFeedback is the explanation paragraph for one option's own
// feedback: opsqa has one explanation per question, shown whatever was
// answered, so each option's feedback says which option it is about.
func answerFeedback(option, feedback string) string {
	return "**" + strings.TrimSpace(option) + "**: " + feedback
}

// joinExplanation joins explanation paragraphs, skipping empty ones.
func joinExplanation(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// newQuestion is a question from Markdown texts; Text and Explanation
// hold the Markdown too, until the written document is parsed.
func newQuestion(id, text string, multiple bool, opts []quiz.Option, explanation string) quiz.Question {
	return quiz.Question{ID: id, Explicit: true, Text: text, Markdown: text, Multiple: multiple,
		Options: opts, Explanation: explanation, ExplanationMarkdown: explanation}
}

// noteUnexplained notes each question without an explanation: the quiz
// lint rule asks for one, so that a trainee learns from a mistake.
func noteUnexplained(f *findings, q *quiz.Quiz, pos func(int) diag.Position) {
	for _, qu := range q.Questions {
		if qu.ExplanationMarkdown == "" {
			f.add(pos(qu.Offset), diag.Info, "add a > blockquote after the options saying why the answer is right",
				"question %q has no feedback to explain its answer", qu.ID)
		}
	}
	diag.Sort(f.ds)
}
