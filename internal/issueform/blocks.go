package issueform

import "strings"

// blockScanner follows the Markdown blocks whose lines are never headings:
// fenced code and raw HTML blocks (CommonMark's HTML block kinds 1, 2, 5 and
// 6). A "### Label" line inside them is text, so the parser must not split
// there.
type blockScanner struct {
	fenceChar byte // '`' or '~' while inside a fence
	fenceLen  int
	htmlEnd   string // the text that ends the current HTML block; "\n" for a blank line
}

// opaque reports whether line belongs to a fence or an HTML block, updating
// the state. Lines that open or close a block are opaque too.
func (b *blockScanner) opaque(line string) bool {
	switch {
	case b.fenceChar != 0:
		if fenceCloses(line, b.fenceChar, b.fenceLen) {
			b.fenceChar, b.fenceLen = 0, 0
		}
		return true
	case b.htmlEnd == "\n":
		if strings.TrimSpace(line) == "" {
			b.htmlEnd = ""
		}
		return true
	case b.htmlEnd != "":
		if strings.Contains(strings.ToLower(line), b.htmlEnd) {
			b.htmlEnd = ""
		}
		return true
	}
	if ch, n, ok := fenceOpen(line); ok {
		b.fenceChar, b.fenceLen = ch, n
		return true
	}
	if end, ok := htmlBlockStart(line); ok {
		rest := strings.ToLower(trimIndent(line))
		// Kinds 1, 2 and 5 may end on the line that opens them; the end
		// marker must come after the opening one.
		if end != "\n" && strings.Contains(rest[1:], end) {
			return true
		}
		b.htmlEnd = end
		return true
	}
	return false
}

// fenceOpen reports whether line opens a fenced code block, with its fence
// character and length.
func fenceOpen(line string) (byte, int, bool) {
	s := trimIndent(line)
	if len(s) < 3 || (s[0] != '`' && s[0] != '~') {
		return 0, 0, false
	}
	ch := s[0]
	n := 0
	for n < len(s) && s[n] == ch {
		n++
	}
	if n < 3 {
		return 0, 0, false
	}
	// A backtick fence's info string may not contain backticks, or the
	// line is inline code.
	if ch == '`' && strings.IndexByte(s[n:], '`') >= 0 {
		return 0, 0, false
	}
	return ch, n, true
}

// fenceCloses reports whether line closes a fence opened with n ch's.
func fenceCloses(line string, ch byte, n int) bool {
	s := trimIndent(line)
	m := 0
	for m < len(s) && s[m] == ch {
		m++
	}
	return m >= n && strings.TrimSpace(s[m:]) == ""
}

// htmlBlockTags are the tag names that start a CommonMark HTML block of
// kind 6, which runs to the next blank line.
var htmlBlockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "base": true, "basefont": true,
	"blockquote": true, "body": true, "caption": true, "center": true, "col": true,
	"colgroup": true, "dd": true, "details": true, "dialog": true, "dir": true,
	"div": true, "dl": true, "dt": true, "fieldset": true, "figcaption": true,
	"figure": true, "footer": true, "form": true, "frame": true, "frameset": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"head": true, "header": true, "hr": true, "html": true, "iframe": true,
	"legend": true, "li": true, "link": true, "main": true, "menu": true,
	"menuitem": true, "nav": true, "noframes": true, "ol": true, "optgroup": true,
	"option": true, "p": true, "param": true, "search": true, "section": true,
	"summary": true, "table": true, "tbody": true, "td": true, "tfoot": true,
	"th": true, "thead": true, "title": true, "tr": true, "track": true, "ul": true,
}

// htmlBlockStart reports whether line starts a raw HTML block and what ends
// it: a closing tag or marker (lower case), or "\n" for a blank line.
func htmlBlockStart(line string) (string, bool) {
	s := strings.ToLower(trimIndent(line))
	if !strings.HasPrefix(s, "<") {
		return "", false
	}
	switch {
	case strings.HasPrefix(s, "<!--"):
		return "-->", true
	case strings.HasPrefix(s, "<![cdata["):
		return "]]>", true
	}
	for _, tag := range []string{"pre", "script", "style", "textarea"} {
		if strings.HasPrefix(s[1:], tag) && tagNameEnds(s[1+len(tag):]) {
			return "</" + tag + ">", true
		}
	}
	name := strings.TrimPrefix(s[1:], "/")
	i := 0
	for i < len(name) && (name[i] >= 'a' && name[i] <= 'z' || name[i] >= '0' && name[i] <= '9') {
		i++
	}
	if i > 0 && htmlBlockTags[name[:i]] && (tagNameEnds(name[i:]) || strings.HasPrefix(name[i:], "/>")) {
		return "\n", true
	}
	return "", false
}

func tagNameEnds(rest string) bool {
	return rest == "" || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '>'
}
