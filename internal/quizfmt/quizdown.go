package quizfmt

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/quiz"
)

// Quizdown as quizdown-js reads it (src/parser.ts): an optional YAML
// header of quiz options; every heading, whatever its level, starts a
// question; the first list after it holds the answers. An unordered list
// is multiple choice; an ordered one is single choice when its items are
// task items ("1. [x]"), a sequence question (put in order) when they are
// not. Paragraphs and code under the heading are the question's text, a
// blockquote is a hint, and a blockquote inside an answer is that
// answer's comment. A question may start with its own options between
// --- lines.

// quizdownOptions are the quiz options of quizdown-js's Config; the
// others it accepts are about looks, and have no place in a quiz file.
var quizdownOptions = map[string]string{
	"shuffle_answers":   "shuffle",
	"shuffle_questions": "",
	"nQuestions":        "",
	"start_on_load":     "",
	"primary_color":     "",
	"secondary_color":   "",
	"text_color":        "",
	"locale":            "",
}

// optionLine is a "key: value" line of a question's options block.
var optionLine = regexp.MustCompile(`^\s*[A-Za-z_]+\s*:\s*\S`)

// ReadQuizdown reads the questions of a quizdown Markdown file. Questions
// opsqa cannot represent (sequence and pairs) are skipped with a warning.
func ReadQuizdown(name string, src []byte) (*quiz.Quiz, []diag.Diagnostic) {
	var f findings
	q := &quiz.Quiz{Shuffle: true}
	if !bytes.HasPrefix(bytes.TrimLeft(src, "\ufeff"), []byte("---")) {
		// A file without a header; document.Parse wants one.
		return readQuizdownBody(name, append([]byte("---\n---\n"), src...), q, f, 2)
	}
	return readQuizdownBody(name, src, q, f, 0)
}

func readQuizdownBody(name string, src []byte, q *quiz.Quiz, f findings, shift int) (*quiz.Quiz, []diag.Diagnostic) {
	d, ds := document.Parse(name, src)
	pos := func(bodyOff int) diag.Position {
		p := d.BodyPos(bodyOff)
		p.Line -= shift
		return p
	}
	for _, x := range ds {
		x.Pos.Line = max(x.Pos.Line-shift, 0)
		f.ds = append(f.ds, x)
	}
	if d == nil {
		return q, f.ds
	}
	var keys []string
	for k := range d.Meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		to, known := quizdownOptions[k]
		switch {
		case to == "shuffle":
			q.Shuffle, _ = d.Meta[k].(bool)
		case known:
			f.add(d.FrontMatterPos(), diag.Info, "", "quizdown option %s has no equivalent in a quiz document; left out", k)
		default:
			f.add(d.FrontMatterPos(), diag.Info, "", "unknown quizdown option %s; left out", k)
		}
	}
	r := &quizdownReader{d: d, f: &f, pos: pos, ids: newIDs(), q: q}
	root := d.Markdown()
	var cur []ast.Node
	var head *ast.Heading
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if ok && !r.isOptions(h) {
			if head != nil {
				r.question(head, cur)
			} else {
				q.Intro = strings.TrimSpace(string(d.Body[:lineStart(d.Body, blockOffset(h))]))
			}
			head, cur = h, nil
			continue
		}
		cur = append(cur, n)
	}
	if head != nil {
		r.question(head, cur)
	}
	if head == nil && len(bytes.TrimSpace(d.Body)) > 0 {
		q.Intro = strings.TrimSpace(string(d.Body))
	}
	noteUnexplained(&f, q, pos)
	return q, f.ds
}

type quizdownReader struct {
	d   *document.Document
	f   *findings
	pos func(int) diag.Position
	ids *ids
	q   *quiz.Quiz
	n   int
}

// isOptions tells a question's options block that Markdown read as a
// setext heading ("---\nshuffle_answers: false\n---") from a question.
func (r *quizdownReader) isOptions(h *ast.Heading) bool {
	if _, ok := h.PreviousSibling().(*ast.ThematicBreak); !ok {
		return false
	}
	for _, l := range strings.Split(source(h, r.d.Body), "\n") {
		if !optionLine.MatchString(l) {
			return false
		}
	}
	return true
}

func (r *quizdownReader) question(h *ast.Heading, blocks []ast.Node) {
	r.n++
	body := r.d.Body
	at := r.pos(blockOffset(h))
	stem := strings.Join(strings.Fields(source(h, body)), " ")
	what := oneLine(document.InlineText(h, body), 40)
	var hints []string
	var list *ast.List
	for i, n := range blocks {
		switch b := n.(type) {
		case *ast.List:
			if list != nil {
				r.f.add(r.pos(blockOffset(b)), diag.Warning, "keep one list of answers", "question %q: a second list is left out", what)
				continue
			}
			list = b
		case *ast.Blockquote:
			hints = append(hints, quoteSource(b, body))
		case *ast.ThematicBreak:
		case *ast.Paragraph:
			if isOptionsBlock(blocks, i, body) {
				r.f.add(r.pos(blockOffset(b)), diag.Info, "", "question %q: its quizdown options are left out", what)
				continue
			}
			stem += " " + strings.Join(strings.Fields(source(b, body)), " ")
		case *ast.Heading:
			r.f.add(r.pos(blockOffset(b)), diag.Info, "", "question %q: its quizdown options are left out", what)
		default:
			r.f.add(r.pos(blockOffset(n)), diag.Warning, "rewrite it as text in the question's heading",
				"question %q: a %s under the heading is left out; the quiz shows a question's heading only", what, blockName(n))
		}
	}
	skip := func(kind, why string) {
		r.f.add(at, diag.Warning, "rewrite it as single or multiple choice, or leave it out", "%s question %q skipped: %s", kind, what, why)
	}
	if list == nil {
		skip("", "it has no list of answers")
		return
	}
	var opts []quiz.Option
	explanation := joinExplanation(hints...)
	tasks := 0
	for item := list.FirstChild(); item != nil; item = item.NextSibling() {
		o, comment, ok := r.option(item)
		if ok {
			tasks++
		}
		opts = append(opts, o)
		if comment != "" {
			explanation = joinExplanation(explanation, answerFeedback(o.Markdown, comment))
		}
	}
	correct := 0
	for _, o := range opts {
		if o.Correct {
			correct++
		}
	}
	switch {
	case list.IsOrdered() && tasks == 0:
		skip("sequence", "opsqa has no questions that put answers in order")
		return
	case tasks == 0:
		skip("pairs", "its answers have no [ ] or [x], and opsqa has no questions that pair answers")
		return
	case tasks < len(opts):
		skip("", "some answers have no [ ] or [x]")
		return
	case len(opts) < 2:
		skip("", "it has fewer than two answers")
		return
	case correct == 0:
		skip("", "no answer is marked [x]")
		return
	case list.IsOrdered() && correct > 1:
		skip("single-choice", fmt.Sprintf("%d answers are marked [x], and a single-choice question has one right answer", correct))
		return
	}
	// A heading's {#id} is kept: the file may be read by opsqa already.
	name := ""
	if v, ok := h.AttributeString("id"); ok {
		if b, ok := v.([]byte); ok {
			name = string(b)
		}
	}
	qu := newQuestion(r.ids.make(name, stem, r.n), stem, !list.IsOrdered(), opts, explanation)
	qu.Offset = blockOffset(h)
	r.q.Questions = append(r.q.Questions, qu)
}

// option reads one list item: its text (less the checkbox) and its
// comment, the blockquotes in it. ok is false for an item without a
// checkbox.
func (r *quizdownReader) option(item ast.Node) (o quiz.Option, comment string, ok bool) {
	body := r.d.Body
	var texts, comments []string
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		if bq, isQuote := c.(*ast.Blockquote); isQuote {
			comments = append(comments, quoteSource(bq, body))
			continue
		}
		if box, isBox := c.FirstChild().(*east.TaskCheckBox); isBox {
			ok, o.Correct = true, box.IsChecked
		}
		texts = append(texts, source(c, body))
	}
	text := strings.TrimSpace(strings.Join(texts, "\n\n"))
	text = taskBox.ReplaceAllString(text, "")
	o.Text, o.Markdown, o.Offset = text, text, blockOffset(item)
	return o, joinExplanation(comments...), ok
}

var taskBox = regexp.MustCompile(`^\[[ xX]\]\s*`)

// isOptionsBlock tells whether blocks[i], a paragraph, is a question's
// options between two --- lines.
func isOptionsBlock(blocks []ast.Node, i int, body []byte) bool {
	if i == 0 {
		return false
	}
	if _, ok := blocks[i-1].(*ast.ThematicBreak); !ok {
		return false
	}
	for _, l := range strings.Split(source(blocks[i], body), "\n") {
		if !optionLine.MatchString(l) {
			return false
		}
	}
	return true
}

func blockName(n ast.Node) string {
	switch n.(type) {
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return "code block"
	case *ast.HTMLBlock:
		return "HTML block"
	}
	return strings.ToLower(n.Kind().String())
}

// source is the Markdown of a block: its lines as goldmark read them
// (without the markers of the containers it is in), blocks inside it
// separated by a blank line.
func source(n ast.Node, src []byte) string {
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

// quoteSource is the Markdown inside a blockquote.
func quoteSource(b *ast.Blockquote, src []byte) string {
	var parts []string
	for c := b.FirstChild(); c != nil; c = c.NextSibling() {
		parts = append(parts, source(c, src))
	}
	return strings.Join(parts, "\n\n")
}

// blockOffset is where a block's first text is in the body.
func blockOffset(n ast.Node) int {
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

// lineStart is the start of the line off is on.
func lineStart(src []byte, off int) int {
	return bytes.LastIndexByte(src[:min(off, len(src))], '\n') + 1
}
