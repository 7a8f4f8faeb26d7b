package quizfmt

import (
	"html"
	"regexp"
	"strings"
	"unicode"
)

// escapeMarkdown makes plain text read as itself in Markdown: inline
// punctuation is escaped, and so is what would start a block at a line's
// start (a list marker, a heading, a quote).
func escapeMarkdown(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		var b strings.Builder
		rs := []rune(l)
		for j, r := range rs {
			if needsEscape(rs, j) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		l = b.String()
		l = listMarker.ReplaceAllString(l, `$1\$2`)
		l = numberedMarker.ReplaceAllString(l, `$1\$2`)
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// needsEscape tells whether rs[j] would be Markdown syntax where it is.
// Only what can be is escaped, so that the text stays readable: an
// underscore inside a word, a lone tilde or an ampersand before a space
// are text already.
func needsEscape(rs []rune, j int) bool {
	at := func(k int) rune {
		if k < 0 || k >= len(rs) {
			return ' '
		}
		return rs[k]
	}
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	switch r := rs[j]; r {
	case '\\', '`', '*', '[', ']', '<':
		return true
	case '_':
		return !word(at(j-1)) || !word(at(j+1))
	case '~':
		return at(j-1) == '~' || at(j+1) == '~'
	case '&':
		return at(j+1) == '#' || word(at(j+1))
	case '#':
		return j == 0 || strings.TrimSpace(string(rs[:j])) == ""
	}
	return false
}

// listMarker and numberedMarker match the start of a line that Markdown
// would read as a list item, a quote, a setext underline or a thematic
// break: the
// marker is escaped.
var (
	listMarker     = regexp.MustCompile(`^(\s*)([-+=>])`)
	numberedMarker = regexp.MustCompile(`^(\s*\d{1,9})([.)])`)
)

var htmlTag = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>`)

// htmlToMarkdown turns the HTML of a Moodle text into Markdown: bold,
// italics, code and line breaks are kept, other tags are dropped with
// their text kept, entities are decoded and the text escaped.
func htmlToMarkdown(s string) string {
	var b strings.Builder
	inCode := false
	last := 0
	text := func(t string) {
		t = html.UnescapeString(t)
		if inCode {
			b.WriteString(t)
			return
		}
		b.WriteString(escapeMarkdown(t))
	}
	for _, m := range htmlTag.FindAllStringSubmatchIndex(s, -1) {
		text(s[last:m[0]])
		last = m[1]
		closing := m[3] > m[2]
		switch strings.ToLower(s[m[4]:m[5]]) {
		case "b", "strong":
			b.WriteString("**")
		case "i", "em":
			b.WriteString("*")
		case "code", "tt":
			b.WriteString("`")
			inCode = !closing
		case "br":
			b.WriteString("\n")
		case "p", "div":
			if closing {
				b.WriteString("\n\n")
			}
		}
	}
	text(s[last:])
	out := strings.TrimSpace(b.String())
	for strings.Contains(out, "\n\n\n") {
		out = strings.ReplaceAll(out, "\n\n\n", "\n\n")
	}
	return out
}
