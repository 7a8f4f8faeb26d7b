package lint

import (
	"bytes"
	"regexp"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// placeholderWordRe matches the placeholder words, upper case and whole:
// "todo", "TODOs" and "TODO_LIST" are words of their own.
var placeholderWordRe = regexp.MustCompile(`\b(?:TODO|TBD|FIXME|XXX)\b`)

// urlSpanRe matches what is not prose but an address, where a placeholder
// word is part of a name: URLs, link destinations, reference definitions,
// and suppression comments (whose reason may quote the word).
var urlSpanRe = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s<>"'` + "`" + `)\]]*` +
	`|\bmailto:[^\s<>"'` + "`" + `)\]]*` +
	`|\]\([^)\s]*` +
	`|^\s{0,3}\[[^\]]+\]:\s*\S+` +
	`|<!--.*?opsqa-disable.*?(?:-->|$)`)

var placeholderRule = Rule{
	ID:      "placeholder",
	Summary: "documents that are not drafts hold no TODO, TBD, FIXME or XXX",
	Doc: `An active document is one an engineer relies on: a "TODO" in its steps is
a step nobody wrote. The words TODO, TBD, FIXME and XXX, in upper case and
as whole words, are reported in the body and in front matter string values
of every document that is not a draft (status: draft may hold them; a
document without front matter is no draft). Words inside code are reported
too: a TODO in a command an engineer copies is a placeholder as well.
Words inside URLs and link destinations are not, as they are part of a
name. Write the missing content, or set status: draft until it is written.`,
	Severity: diag.Error,
	CheckDocument: func(p *Pass, d *document.Document) {
		if d.Kind == "" || d.String("status") == "draft" {
			return
		}
		if d.FrontMatter != nil {
			p.placeholdersInYAML(d, d.FrontMatter)
		}
		body := d.Body
		if !mayHoldPlaceholder(body) {
			return
		}
		for _, m := range placeholderWordRe.FindAllIndex(body, -1) {
			start := bytes.LastIndexByte(body[:m[0]], '\n') + 1
			end := len(body)
			if i := bytes.IndexByte(body[m[0]:], '\n'); i >= 0 {
				end = m[0] + i
			}
			if inSpans(m[0]-start, urlSpanRe.FindAllIndex(body[start:end], -1)) {
				continue
			}
			p.reportPlaceholder(d.BodyPos(m[0]), string(body[m[0]:m[1]]))
		}
	},
}

// mayHoldPlaceholder is a fast first look: most documents hold none of
// the words, and a plain search is far cheaper than the expression.
func mayHoldPlaceholder(b []byte) bool {
	for _, w := range []string{"TODO", "TBD", "FIXME", "XXX"} {
		if bytes.Contains(b, []byte(w)) {
			return true
		}
	}
	return false
}

func (p *Pass) reportPlaceholder(pos diag.Position, word string) {
	p.Report(pos, "write the missing content, or set status: draft until it is written",
		"placeholder %s in a document that is not a draft", word)
}

// placeholdersInYAML reports placeholder words in the string values under
// n (keys are the schema's business).
func (p *Pass) placeholdersInYAML(d *document.Document, n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 1; i < len(n.Content); i += 2 {
			p.placeholdersInYAML(d, n.Content[i])
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			p.placeholdersInYAML(d, c)
		}
	case yaml.ScalarNode:
		if n.ShortTag() != "!!str" {
			return
		}
		if !mayHoldPlaceholder([]byte(n.Value)) {
			return
		}
		matches := placeholderWordRe.FindAllStringIndex(n.Value, -1)
		if len(matches) == 0 {
			return
		}
		// Quoting, folding and escapes move the words in the source: the
		// k-th word of the value is the k-th in the source from where the
		// value starts, as a comment ends a scalar.
		start := d.NodePos(n)
		from := offsetOf(d.Source, start.Line, start.Column)
		src := d.Source[from:]
		inSource := placeholderWordRe.FindAllIndex(src, len(matches))
		for k, m := range matches {
			word := n.Value[m[0]:m[1]]
			if masked := urlSpanRe.FindAllStringIndex(n.Value, -1); inSpans(m[0], masked) {
				continue
			}
			pos := start
			if k < len(inSource) {
				pos = d.Pos(from + inSource[k][0])
			}
			p.reportPlaceholder(pos, word)
		}
	}
}

// offsetOf converts a 1-based line and rune column to a byte offset.
func offsetOf(src []byte, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(src) && src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off
}

func inSpans(i int, spans [][]int) bool {
	for _, s := range spans {
		if i >= s[0] && i < s[1] {
			return true
		}
	}
	return false
}
