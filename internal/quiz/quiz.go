// Package quiz reads quizzes written as Markdown: a heading per question
// (with a stable {#id}), a GFM task list of options where [x] marks a
// correct answer, and an optional blockquote explanation. An ordered list
// is single choice, an unordered one multiple choice, as in the quizdown
// dialect. The repository's file is the answer key: Grade re-scores
// submitted answers from it.
package quiz

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/opsqa/opsqa/internal/document"
)

// MaxOptions is the most options a question may have: a submission
// names them by the letters a to z.
const MaxOptions = 26

// answerSyntax are the characters ParseAnswers reads as structure, which
// a question id therefore may not hold.
const answerSyntax = ":;,\n\r\t "

// Quiz is a parsed quiz document.
type Quiz struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	PassMark int    `json:"pass_mark"`
	Shuffle  bool   `json:"shuffle"`
	// Mode is Practice or Exam (front matter "mode").
	Mode      string     `json:"mode"`
	Questions []Question `json:"questions"`
	// Intro is the Markdown before the first question.
	Intro string `json:"-"`
}

// The modes of a quiz. A practice quiz gives feedback per question on
// the site; an exam shows no answer key and is graded only from the
// repository.
const (
	Practice = "practice"
	Exam     = "exam"
)

// Question is one question.
type Question struct {
	// ID is the heading's explicit {#id}, else the slug of its text.
	ID       string `json:"id"`
	Explicit bool   `json:"-"`
	Text     string `json:"text"`
	// Multiple is true for an unordered list: any number of options may
	// be correct.
	Multiple    bool     `json:"multiple"`
	Options     []Option `json:"options"`
	Explanation string   `json:"explanation,omitempty"`
	// Markdown and ExplanationMarkdown are Text and Explanation as
	// written, for the site to render with their code spans and links.
	Markdown            string `json:"-"`
	ExplanationMarkdown string `json:"-"`
	// Offset is where the heading starts in the document body.
	Offset int `json:"-"`
	// Problems are structural faults found while parsing (no list, an
	// item without a checkbox), with the body offset they are at.
	Problems []Problem `json:"-"`
}

// Option is one answer of a question.
type Option struct {
	Text     string `json:"text"`
	Correct  bool   `json:"correct"`
	Offset   int    `json:"-"`
	Markdown string `json:"-"` // Text as written, less the checkbox
}

// Problem is a structural fault in a question.
type Problem struct {
	Offset  int
	Message string
}

// Parse reads the questions of a quiz document.
func Parse(d *document.Document) *Quiz {
	q := &Quiz{ID: d.ID(), Title: d.Title()}
	if v, ok := d.Meta["pass_mark"]; ok {
		q.PassMark, _ = strconv.Atoi(fmt.Sprint(v))
	}
	q.Shuffle, _ = d.Meta["shuffle"].(bool)
	// Practice when left out; any stated mode but practice is an exam,
	// so that a mistyped one (which the schema rejects) cannot publish
	// an exam's key.
	q.Mode = Exam
	if m, ok := d.Meta["mode"]; !ok || m == Practice {
		q.Mode = Practice
	}
	intro := len(d.Body)
	for _, h := range d.Headings() {
		if h.Level > 2 {
			continue
		}
		// Offset is where the heading's text starts: the intro ends at
		// the line's start, before the "##".
		intro = min(intro, bytes.LastIndexByte(d.Body[:h.Offset], '\n')+1)
		qu := Question{ID: h.ID, Explicit: h.Explicit, Text: h.Text, Offset: h.Offset, Markdown: markdown(h.Node, d.Body)}
		if i := strings.IndexAny(qu.ID, answerSyntax); i >= 0 {
			qu.Problems = append(qu.Problems, Problem{qu.Offset, fmt.Sprintf("question id %q holds %q, which the answers are written with (id: letters; …)", qu.ID, qu.ID[i:i+1])})
		}
		readBody(d, h.Node, &qu)
		q.Questions = append(q.Questions, qu)
	}
	q.Intro = strings.TrimSpace(string(d.Body[:intro]))
	return q
}

// readBody reads the blocks after a question heading, up to the next
// heading of level 1 or 2.
func readBody(d *document.Document, h *ast.Heading, qu *Question) {
	var list *ast.List
	for n := h.NextSibling(); n != nil; n = n.NextSibling() {
		if next, ok := n.(*ast.Heading); ok && next.Level <= 2 {
			break
		}
		switch b := n.(type) {
		case *ast.List:
			if list != nil {
				qu.Problems = append(qu.Problems, Problem{blockOffset(b, d.Body), "a second list of options; a question has one"})
				continue
			}
			list = b
		case *ast.Blockquote:
			qu.Explanation = strings.TrimSpace(qu.Explanation + " " + blockText(b, d.Body))
			qu.ExplanationMarkdown = strings.TrimSpace(qu.ExplanationMarkdown + "\n\n" + markdown(b, d.Body))
		}
	}
	if list == nil {
		qu.Problems = append(qu.Problems, Problem{qu.Offset, "question has no list of options"})
		return
	}
	qu.Multiple = !list.IsOrdered()
	for item := list.FirstChild(); item != nil; item = item.NextSibling() {
		opt := Option{Offset: blockOffset(item, d.Body)}
		box := checkbox(item)
		if box == nil {
			qu.Problems = append(qu.Problems, Problem{opt.Offset, "option has no [ ] or [x] checkbox"})
			continue
		}
		if len(qu.Options) == MaxOptions {
			qu.Problems = append(qu.Problems, Problem{opt.Offset, fmt.Sprintf("more than %d options: answers are written as the letters a to z", MaxOptions)})
			break
		}
		opt.Correct = box.IsChecked
		opt.Text = document.InlineText(item, d.Body)
		opt.Markdown = checkboxMark.ReplaceAllString(markdown(item, d.Body), "")
		qu.Options = append(qu.Options, opt)
	}
}

// checkboxMark is the task list box that starts an option's source.
var checkboxMark = regexp.MustCompile(`^\[[ xX]\]\s*`)

// markdown returns the Markdown source of a block: the lines goldmark
// read for it and for the blocks inside it, without the markers of the
// containers they sit in ("> ", a list item's indent), blocks separated
// by a blank line.
func markdown(n ast.Node, src []byte) string {
	var blocks []string
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || c.Type() != ast.TypeBlock || c.Lines().Len() == 0 {
			return ast.WalkContinue, nil
		}
		var b strings.Builder
		for i := 0; i < c.Lines().Len(); i++ {
			seg := c.Lines().At(i)
			b.Write(seg.Value(src))
		}
		blocks = append(blocks, strings.TrimSpace(b.String()))
		return ast.WalkSkipChildren, nil
	})
	return strings.Join(blocks, "\n\n")
}

func checkbox(item ast.Node) *east.TaskCheckBox {
	first := item.FirstChild()
	if first == nil {
		return nil
	}
	if box, ok := first.FirstChild().(*east.TaskCheckBox); ok {
		return box
	}
	return nil
}

func blockOffset(n ast.Node, src []byte) int {
	for c := n; c != nil; c = c.FirstChild() {
		if l := c.Lines(); l != nil && l.Len() > 0 {
			return l.At(0).Start
		}
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	return 0
}

func blockText(n ast.Node, src []byte) string {
	var parts []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		parts = append(parts, document.InlineText(c, src))
	}
	return strings.Join(parts, " ")
}

// Correct returns the indexes of the correct options.
func (q Question) Correct() []int {
	var out []int
	for i, o := range q.Options {
		if o.Correct {
			out = append(out, i)
		}
	}
	return out
}

// Result is a graded submission.
type Result struct {
	Correct int `json:"correct"`
	Total   int `json:"total"`
	// Score is the percentage of questions answered exactly right.
	Score  int  `json:"score"`
	Passed bool `json:"passed"`
	// Wrong lists the ids of questions answered wrongly or not at all.
	Wrong []string `json:"wrong"`
}

// Grade scores answers (question id → chosen option indexes) against the
// answer key. A question counts only when exactly the correct options are
// chosen; unknown question ids are ignored. The score rounds down, so a
// pass is never granted by rounding.
func Grade(q *Quiz, answers map[string][]int) Result {
	r := Result{Total: len(q.Questions), Wrong: []string{}}
	for _, qu := range q.Questions {
		got := slices.Clone(answers[qu.ID])
		sort.Ints(got)
		got = slices.Compact(got)
		if len(qu.Options) > 0 && slices.Equal(got, qu.Correct()) {
			r.Correct++
		} else {
			r.Wrong = append(r.Wrong, qu.ID)
		}
	}
	if r.Total > 0 {
		r.Score = r.Correct * 100 / r.Total
	}
	r.Passed = r.Total > 0 && r.Score >= q.PassMark
	return r
}

// ParseAnswers reads answers as a quiz-result issue carries them:
// "q-id: a,b; other-id: c", options lettered from a.
func ParseAnswers(s string) (map[string][]int, error) {
	out := map[string][]int{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, letters, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("parse answers: %q has no colon after the question id", part)
		}
		id = strings.TrimSpace(id)
		var picks []int
		for _, l := range strings.Split(letters, ",") {
			l = strings.ToLower(strings.TrimSpace(l))
			if l == "" {
				continue
			}
			if len(l) != 1 || l[0] < 'a' || l[0] > 'z' {
				return nil, fmt.Errorf("parse answers: option %q of %q is not a letter", l, id)
			}
			picks = append(picks, int(l[0]-'a'))
		}
		out[id] = picks
	}
	return out, nil
}

// Version names one version of a quiz file: the first 12 hex digits of
// the SHA-256 of its bytes. The site shows it and a submission carries
// it, so that a result is graded against the answer key the trainee saw,
// found in the repository's history by the same hash, even after the
// quiz has changed.
func Version(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:6])
}

// Page is what a quiz's page on the site may show; this is the one place
// that decides it. A practice page gives feedback in the browser, so it
// carries the answer key and the explanations. An exam page carries
// neither, so the built site (its pages, its search index) holds no key:
// an exam's answers are graded only from the repository. Texts are
// Markdown as written, for the site to render.
type Page struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	Mode     string `json:"mode"`
	PassMark int    `json:"pass_mark"`
	Shuffle  bool   `json:"shuffle"`
	// Intro is the Markdown before the first question.
	Intro     string         `json:"intro"`
	Questions []PageQuestion `json:"questions"`
}

// PageQuestion is a question as its page may show it.
type PageQuestion struct {
	ID          string       `json:"id"`
	Text        string       `json:"text"`
	Multiple    bool         `json:"multiple"`
	Options     []PageOption `json:"options"`
	Explanation string       `json:"explanation,omitempty"`
}

// PageOption is an option as its page may show it; Correct is set only
// on a practice page.
type PageOption struct {
	Text    string `json:"text"`
	Correct bool   `json:"correct,omitempty"`
}

// PageOf returns what the page of a quiz document may show, with the
// version of the file (Version) that a submission names.
func PageOf(d *document.Document) Page { return PageFor(d, false) }

// PageFor is PageOf for a quiz that a curriculum may hold to exam mode
// (its quiz_mode): exam makes the page an exam whatever the quiz's own
// mode, never the other way round.
func PageFor(d *document.Document, exam bool) Page {
	q := Parse(d)
	if exam {
		q.Mode = Exam
	}
	practice := q.Mode == Practice
	p := Page{ID: q.ID, Version: Version(d.Source), Mode: q.Mode, PassMark: q.PassMark, Shuffle: q.Shuffle,
		Intro: q.Intro, Questions: []PageQuestion{}}
	for _, qu := range q.Questions {
		pq := PageQuestion{ID: qu.ID, Text: qu.Markdown, Multiple: qu.Multiple, Options: []PageOption{}}
		if practice {
			pq.Explanation = qu.ExplanationMarkdown
		}
		for _, o := range qu.Options {
			pq.Options = append(pq.Options, PageOption{Text: o.Markdown, Correct: practice && o.Correct})
		}
		p.Questions = append(p.Questions, pq)
	}
	return p
}
