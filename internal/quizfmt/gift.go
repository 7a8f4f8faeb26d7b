package quizfmt

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/quiz"
)

// GIFT as Moodle reads it (question/format/gift/format.php): questions are
// separated by blank lines; a line starting with // is a comment; a
// backslash escapes ~ = # { } : and itself, and \n is a line break;
// "$CATEGORY: path" names the category of the questions after it;
// "::name::" names a question; "[markdown]", "[html]", "[plain]" or
// "[moodle]" (the default) give the format of a text; the answers are
// between the first { and the first }. The answer block decides the type:
// empty is an essay, "#…" numerical, one with ~ multiple choice, = with ->
// matching, T, TRUE, F or FALSE true/false, anything else short answer.
// No braces at all is a description.

// cell is one byte of a GIFT text with what the backslash before it, if
// any, made of it: an escaped byte is never syntax.
type cell struct {
	b       byte
	escaped bool
	off     int // in the source
}

// text is a run of cells.
type text []cell

func (t text) String() string {
	b := make([]byte, len(t))
	for i, c := range t {
		b[i] = c.b
	}
	return string(b)
}

// index is the first unescaped occurrence of s in t, or -1.
func (t text) index(s string) int {
	for i := 0; i+len(s) <= len(t); i++ {
		if t.at(i, s) {
			return i
		}
	}
	return -1
}

// lastIndex is the last unescaped occurrence of s in t, or -1.
func (t text) lastIndex(s string) int {
	for i := len(t) - len(s); i >= 0; i-- {
		if t.at(i, s) {
			return i
		}
	}
	return -1
}

func (t text) at(i int, s string) bool {
	for j := 0; j < len(s); j++ {
		if t[i+j].escaped || t[i+j].b != s[j] {
			return false
		}
	}
	return true
}

func (t text) hasPrefix(s string) bool { return len(t) >= len(s) && t.at(0, s) }

func isSpace(c cell) bool {
	return !c.escaped && (c.b == ' ' || c.b == '\t' || c.b == '\n' || c.b == '\r')
}

func (t text) trim() text {
	for len(t) > 0 && isSpace(t[0]) {
		t = t[1:]
	}
	for len(t) > 0 && isSpace(t[len(t)-1]) {
		t = t[:len(t)-1]
	}
	return t
}

// split cuts t at every unescaped sep.
func (t text) split(sep byte) []text {
	var out []text
	start := 0
	for i, c := range t {
		if c.b == sep && !c.escaped {
			out = append(out, t[start:i])
			start = i + 1
		}
	}
	return append(out, t[start:])
}

// offset is where t starts in the source, or def when t is empty.
func (t text) offset(def int) int {
	if len(t) == 0 {
		return def
	}
	return t[0].off
}

// giftBlock is one question's lines: comment lines are blanked, as
// Moodle does, and escapes are resolved.
func giftBlock(src []byte, start, end int) text {
	var t text
	for lineStart := start; lineStart < end; {
		lineEnd := lineStart
		for lineEnd < end && src[lineEnd] != '\n' {
			lineEnd++
		}
		line := strings.TrimSpace(string(src[lineStart:lineEnd]))
		if strings.HasPrefix(line, "//") {
			t = append(t, cell{b: ' ', off: lineStart})
		} else {
			for i := lineStart; i < lineEnd; i++ {
				if src[i] == '\\' && i+1 < lineEnd {
					switch n := src[i+1]; n {
					case '~', '=', '#', '{', '}', ':', '\\':
						t = append(t, cell{b: n, escaped: true, off: i})
						i++
						continue
					case 'n':
						t = append(t, cell{b: '\n', escaped: true, off: i})
						i++
						continue
					}
				}
				t = append(t, cell{b: src[i], off: i})
			}
		}
		if lineEnd < end {
			t = append(t, cell{b: '\n', off: lineEnd})
		}
		lineStart = lineEnd + 1
	}
	return t
}

// giftWeight is Moodle's answer weight: %50%, %-100%, %33.33333%.
var giftWeight = regexp.MustCompile(`^%(-*)([0-9]{1,2}\.?[0-9]*)%`)

// GIFT gives the formats of a text in square brackets.
var giftFormats = map[string]bool{"html": true, "moodle": true, "plain": true, "markdown": true}

// formatOf cuts a leading [format] off t; def when there is none.
func formatOf(t text, def string) (text, string) {
	t = t.trim()
	if !t.hasPrefix("[") {
		return t, def
	}
	end := t.index("]")
	if end < 0 {
		return t, def
	}
	if f := strings.ToLower(t[1:end].String()); giftFormats[f] {
		return t[end+1:].trim(), f
	}
	return t, def
}

// ReadGIFT reads the questions of a GIFT file (name is what findings
// print). The quiz's title is the last part of the last $CATEGORY, if
// any. Questions opsqa cannot represent are skipped with a warning;
// nothing in src makes it panic.
func ReadGIFT(name string, src []byte) (*quiz.Quiz, []diag.Diagnostic) {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	r := &giftReader{ix: newLineIndex(name, src), ids: newIDs(), q: &quiz.Quiz{Shuffle: true}}
	switch {
	case len(src) > document.MaxSize:
		r.f.add(diag.Position{File: name}, diag.Error, "split the file", "file is %d bytes, larger than the %d-byte limit for a quiz", len(src), document.MaxSize)
		return r.q, r.f.ds
	case bytes.IndexByte(src, 0) >= 0:
		r.f.add(r.ix.pos(bytes.IndexByte(src, 0)), diag.Error, "convert a GIFT text file", "file contains a NUL byte: it is binary, not GIFT text")
		return r.q, r.f.ds
	case diag.InvalidUTF8At(src) < len(src):
		r.f.add(r.ix.pos(diag.InvalidUTF8At(src)), diag.Error, "save the file as UTF-8, as Moodle writes GIFT", "invalid UTF-8: the file is not GIFT text")
		return r.q, r.f.ds
	}
	// Blocks are runs of lines that are not blank.
	start := -1
	for lineStart := 0; lineStart <= len(src); {
		lineEnd := lineStart
		for lineEnd < len(src) && src[lineEnd] != '\n' {
			lineEnd++
		}
		blank := strings.TrimSpace(string(src[lineStart:lineEnd])) == ""
		switch {
		case blank && start >= 0:
			r.question(giftBlock(src, start, lineStart))
			start = -1
		case !blank && start < 0:
			start = lineStart
		}
		lineStart = lineEnd + 1
	}
	if start >= 0 {
		r.question(giftBlock(src, start, len(src)))
	}
	noteUnexplained(&r.f, r.q, r.ix.pos)
	return r.q, r.f.ds
}

type giftReader struct {
	ix  *lineIndex
	f   findings
	ids *ids
	q   *quiz.Quiz
	n   int
	// start is where the question being read starts.
	start int
}

// giftAnswer is one answer of a multiple-choice block; = is a weight of
// 100.
type giftAnswer struct {
	text     string // Markdown
	feedback string // Markdown
	weight   float64
	off      int
}

func (r *giftReader) question(t text) {
	t = t.trim()
	if len(t) == 0 {
		return
	}
	r.start = t.offset(0)
	at := r.ix.pos(r.start)
	if t.hasPrefix("$CATEGORY:") {
		r.q.Title = categoryTitle(t[len("$CATEGORY:"):].trim().String())
		return
	}
	r.n++
	var name string
	if t.hasPrefix("::") {
		if end := t[2:].index("::"); end >= 0 {
			name = strings.TrimSpace(t[2 : 2+end].String())
			t = t[2+end+2:].trim()
		} else {
			t = t[2:]
		}
	}
	open, closing := t.index("{"), t.index("}")
	what := name
	if what == "" {
		stem := t
		if open >= 0 {
			stem = t[:open]
		}
		stem, _ = formatOf(stem, "")
		what = oneLine(stem.String(), 40)
	}
	skip := func(kind, why string) {
		r.f.add(at, diag.Warning, "rewrite it as multiple choice ({=right ~wrong}) or true/false, or leave it out", "%s question %q skipped: %s", kind, what, why)
	}
	switch {
	case open < 0 && closing < 0:
		skip("description", "a text without answers is no question")
		return
	case open < 0 || closing < 0 || closing < open:
		r.f.add(at, diag.Warning, "close the answers with } (or write \\{ \\} for braces in the text)", "question %q skipped: its answers need a { and a } after it", what)
		return
	}
	answers := t[open+1 : closing].trim()
	before, after := t[:open].trim(), t[closing+1:].trim()
	qtext := before
	if len(after) > 0 {
		// Moodle's missing word: the answers stand for a blank in the
		// sentence.
		qtext = append(append(append(text{}, before...), textOf(" _____ ", open)...), after...)
	}
	qtext, format := formatOf(qtext, "moodle")
	var general text
	if i := answers.lastIndex("####"); i >= 0 {
		general = answers[i+4:]
		answers = answers[:i].trim()
	}
	stem := strings.Join(strings.Fields(r.markdown(qtext, format)), " ")
	if stem == "" {
		r.f.add(at, diag.Warning, "write the question before its answers", "question %q skipped: it has no text", what)
		return
	}
	explanation := r.markdown(formatOf(general, format))
	switch {
	case len(answers) == 0:
		skip("essay", "opsqa grades only questions with options")
		return
	case answers[0].b == '#' && !answers[0].escaped:
		skip("numerical", "opsqa grades only questions with options")
		return
	case answers.index("~") >= 0:
		r.multichoice(at, what, name, stem, answers, format, explanation)
		return
	case answers.index("=") >= 0 && answers.index("->") >= 0:
		skip("matching", "opsqa has no matching questions")
		return
	}
	check := answers
	if i := answers.index("#"); i > 0 {
		check = answers[:i].trim()
	}
	switch v := check.String(); v {
	case "T", "TRUE", "F", "FALSE":
		r.trueFalse(name, stem, v[0] == 'T', answers, format, explanation)
	default:
		skip("short answer", "opsqa grades only questions with options")
	}
}

// textOf is s as unescaped cells at off.
func textOf(s string, off int) text {
	t := make(text, len(s))
	for i := range s {
		t[i] = cell{b: s[i], off: off}
	}
	return t
}

func (r *giftReader) trueFalse(name, stem string, truth bool, answers text, format, explanation string) {
	// {T#feedback if wrong#feedback if right}
	parts := answers.split('#')
	feedback := func(i int) string {
		if i < len(parts) {
			return r.markdown(formatOf(parts[i], format))
		}
		return ""
	}
	wrong, right := feedback(1), feedback(2)
	opts := []quiz.Option{{Text: "True", Markdown: "True", Correct: truth}, {Text: "False", Markdown: "False", Correct: !truth}}
	fb := [2]string{right, wrong}
	if !truth {
		fb = [2]string{wrong, right}
	}
	for i, o := range opts {
		if fb[i] != "" {
			explanation = joinExplanation(explanation, answerFeedback(o.Markdown, fb[i]))
		}
	}
	r.add(name, stem, false, opts, explanation)
}

func (r *giftReader) multichoice(at diag.Position, what, name, stem string, block text, format, explanation string) {
	single := block.index("=") >= 0
	var answers []giftAnswer
	var cur text
	started := false
	flush := func() {
		a := cur.trim()
		ga := giftAnswer{off: a.offset(0)}
		if a[0].b == '=' {
			ga.weight = 100
			a = a[1:]
		} else {
			a = a[1:]
			if m := giftWeight.FindStringSubmatch(a.String()); m != nil {
				ga.weight, _ = strconv.ParseFloat(m[2], 64)
				if m[1] != "" {
					ga.weight = -ga.weight
				}
				a = a[len(m[0]):]
			}
		}
		body, fb := a, text(nil)
		if i := a.index("#"); i >= 0 {
			body, fb = a[:i], a[i+1:]
		}
		ga.text = r.markdown(formatOf(body, format))
		ga.feedback = r.markdown(formatOf(fb, format))
		answers = append(answers, ga)
	}
	for _, c := range block {
		if !c.escaped && (c.b == '~' || c.b == '=') {
			if started {
				flush()
			} else if pre := cur.trim(); len(pre) > 0 {
				r.f.add(r.ix.pos(pre.offset(0)), diag.Warning, "start every answer with = or ~", "question %q: %q before the first answer is left out", what, oneLine(pre.String(), 40))
			}
			cur, started = nil, true
		}
		cur = append(cur, c)
	}
	if started {
		flush()
	}
	if len(answers) < 2 {
		r.f.add(at, diag.Warning, "give at least two answers", "question %q skipped: it has fewer than two answers", what)
		return
	}
	var opts []quiz.Option
	correct := 0
	for _, a := range answers {
		if a.text == "" {
			r.f.add(r.ix.pos(a.off), diag.Warning, "write the answer's text", "question %q skipped: an answer has no text", what)
			return
		}
		ok := a.weight > 0
		if single {
			ok = a.weight == 100
			if a.weight > 0 && a.weight < 100 {
				r.f.add(r.ix.pos(a.off), diag.Warning, "check the answer: opsqa grades a question all or nothing",
					"question %q: partial credit of %g%% for %q is not kept; the answer counts as wrong", what, a.weight, oneLine(a.text, 40))
			}
		}
		if ok {
			correct++
		}
		opts = append(opts, quiz.Option{Text: a.text, Markdown: a.text, Correct: ok, Offset: a.off})
		if a.feedback != "" {
			explanation = joinExplanation(explanation, answerFeedback(a.text, a.feedback))
		}
	}
	switch {
	case single && correct != 1:
		r.f.add(at, diag.Warning, "keep one answer with =, or write every answer with ~%weight% for multiple answers",
			"question %q skipped: %d answers give full marks, and a single-choice question has one right answer", what, correct)
		return
	case correct == 0:
		r.f.add(at, diag.Warning, "give the right answers a positive weight (~%50%)", "question %q skipped: no answer has a positive weight", what)
		return
	}
	r.add(name, stem, !single, opts, explanation)
}

func (r *giftReader) add(name, stem string, multiple bool, opts []quiz.Option, explanation string) {
	qu := newQuestion(r.ids.make(name, stem, r.n), stem, multiple, opts, explanation)
	qu.Offset = r.start
	r.q.Questions = append(r.q.Questions, qu)
}

// markdown is a GIFT text in the given format as Markdown.
func (r *giftReader) markdown(t text, format string) string {
	s := t.trim().String()
	switch format {
	case "markdown":
	case "plain":
		s = escapeMarkdown(s)
	default: // html, moodle
		s = htmlToMarkdown(s)
	}
	// Trailing spaces at a line's end would be a hard break.
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// categoryTitle is the last part of a category path ("$course$/top/Ops
// quizzes" → "Ops quizzes"); // is a slash within a part.
func categoryTitle(p string) string {
	p = strings.ReplaceAll(p, "//", "\x00")
	parts := strings.Split(p, "/")
	return strings.TrimSpace(strings.ReplaceAll(parts[len(parts)-1], "\x00", "/"))
}

// oneLine shortens s to n characters on one line, for messages.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
