package document

import (
	"bytes"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// md parses bodies as CommonMark with GitHub's task lists (quiz options
// are checkboxes) and heading attributes (`## Title {#id}`), which Hugo
// reads the same way. What the rules read (headings, links, code blocks)
// comes out the same without GitHub's tables and strikethrough: a table
// row stays a paragraph, whose links are still links. Hugo renders the
// site with every extension; the linter leaves those two out because the
// table extension alone makes parsing a third slower.
var md = goldmark.New(
	goldmark.WithExtensions(extension.TaskList),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// Markdown returns the parsed body. Segments in the tree are byte offsets
// into Body; BodyPos maps them to the file.
func (d *Document) Markdown() ast.Node {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.markdown()
}

func (d *Document) markdown() ast.Node {
	if d.ast == nil {
		d.ast = md.Parser().Parse(text.NewReader(d.Body))
	}
	return d.ast
}

// Release drops the parsed body, which takes several times the memory of
// the text, once the rules that walk it are done. The anchors stay; a
// later call to Markdown or Headings parses the body again.
func (d *Document) Release() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.anchors == nil && d.ast != nil {
		d.anchors = anchorSet(d.parseHeadings())
	}
	d.ast, d.headings = nil, nil
}

// Heading is a Markdown heading of the body.
type Heading struct {
	Level int
	Text  string
	// ID is the explicit {#id} attribute, or the GitHub-style slug of Text
	// (made unique with -1, -2 … as GitHub and Hugo do).
	ID       string
	Explicit bool
	// Offset is the byte offset of the heading's first character in Body.
	Offset int
	Node   *ast.Heading
}

// Headings returns the body's headings in order.
func (d *Document) Headings() []Heading {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.parseHeadings()
}

// parseHeadings returns the headings, parsing the body if need be; d.mu
// is held.
func (d *Document) parseHeadings() []Heading {
	if d.headings != nil {
		return d.headings
	}
	used := map[string]int{}
	hs := []Heading{}
	ast.Walk(d.markdown(), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		text := InlineText(h, d.Body)
		hd := Heading{Level: h.Level, Text: text, Node: h, Offset: blockStart(h, d.Body)}
		if v, ok := h.AttributeString("id"); ok {
			if b, ok := v.([]byte); ok {
				hd.ID, hd.Explicit = string(b), true
			}
		}
		if hd.ID == "" {
			slug := Slug(text)
			hd.ID = slug
			if n := used[slug]; n > 0 {
				hd.ID = slug + "-" + strconv.Itoa(n)
			}
		}
		used[hd.ID]++
		hs = append(hs, hd)
		return ast.WalkSkipChildren, nil
	})
	d.headings = hs
	return hs
}

// Anchors returns the set of heading ids a link can point at. The set is
// shared: do not modify it.
func (d *Document) Anchors() map[string]bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.anchors == nil {
		d.anchors = anchorSet(d.parseHeadings())
	}
	return d.anchors
}

func anchorSet(hs []Heading) map[string]bool {
	m := make(map[string]bool, len(hs))
	for _, h := range hs {
		m[h.ID] = true
	}
	return m
}

// Link is a Markdown link or image in the body.
type Link struct {
	Dest   string
	Image  bool
	Offset int
}

// Links returns the body's links and images, and its Hugo ref and relref
// shortcodes as links to what they name, in the order they appear.
func (d *Document) Links() []Link {
	var ls []Link
	var code [][2]int // byte ranges of code, where shortcodes are text
	ast.Walk(d.Markdown(), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			ls = append(ls, Link{Dest: string(l.Destination), Offset: inlineStart(l, d.Body)})
		case *ast.Image:
			ls = append(ls, Link{Dest: string(l.Destination), Image: true, Offset: inlineStart(l, d.Body)})
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if lines := n.Lines(); lines.Len() > 0 {
				code = append(code, [2]int{lines.At(0).Start, lines.At(lines.Len() - 1).Stop})
			}
		case *ast.CodeSpan:
			if first, last := l.FirstChild(), l.LastChild(); first != nil {
				if a, ok := first.(*ast.Text); ok {
					if b, ok := last.(*ast.Text); ok {
						code = append(code, [2]int{a.Segment.Start, b.Segment.Stop})
					}
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if !bytes.Contains(d.Body, []byte("ref")) {
		return ls
	}
	for _, m := range refShortcodeRe.FindAllSubmatchIndex(d.Body, -1) {
		if inRanges(m[0], code) {
			continue
		}
		var target string
		if m[2] >= 0 {
			target = string(d.Body[m[2]:m[3]])
		} else {
			target = string(d.Body[m[4]:m[5]])
		}
		ls = append(ls, Link{Dest: d.refDest(target), Offset: m[0]})
	}
	slices.SortStableFunc(ls, func(a, b Link) int { return a.Offset - b.Offset })
	return ls
}

// refShortcodeRe matches {{< ref "path" >}} and {{% relref "path#anchor" %}}
// (the path quoted or bare).
var refShortcodeRe = regexp.MustCompile(`\{\{[<%]-?\s*(?:rel)?ref\s+(?:"([^"]*)"|([^\s"%>]+))\s*-?[%>]\}\}`)

func inRanges(off int, rs [][2]int) bool {
	for _, r := range rs {
		if off >= r[0] && off < r[1] {
			return true
		}
	}
	return false
}

// refDest is the link a ref shortcode stands for. Hugo reads a path with a
// leading / from its content folder (the "content" folder the document
// lies in), others from the page's folder; a path without an extension
// names a .md file.
func (d *Document) refDest(target string) string {
	p, frag, _ := strings.Cut(target, "#")
	if p != "" && path.Ext(p) == "" {
		p += ".md"
	}
	if strings.HasPrefix(p, "/") {
		if full := "/" + d.Path; strings.Contains(full, "/content/") {
			i := strings.LastIndex(full, "/content/")
			p = "/" + strings.TrimPrefix(path.Join(full[:i], "content"), "/") + p
		}
	}
	if frag != "" {
		return p + "#" + frag
	}
	return p
}

// CodeBlock is a fenced code block of the body.
type CodeBlock struct {
	Lang string
	Code string
	// Offset is where the code itself (the line after the fence) starts.
	Offset int
	// FenceOffset is where the opening fence starts.
	FenceOffset int
	// Closed is false for a fence that runs to the end of the document.
	Closed bool
}

// CodeBlocks returns the body's fenced code blocks.
func (d *Document) CodeBlocks() []CodeBlock {
	var cbs []CodeBlock
	ast.Walk(d.Markdown(), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		f, ok := n.(*ast.FencedCodeBlock)
		if !ok || !entering {
			return ast.WalkContinue, nil
		}
		var code bytes.Buffer
		lines := f.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			code.Write(seg.Value(d.Body))
		}
		cb := CodeBlock{Code: code.String()}
		if f.Info != nil {
			cb.Lang = string(f.Language(d.Body))
		}
		if lines.Len() > 0 {
			cb.Offset = lines.At(0).Start
		} else if f.Info != nil {
			cb.Offset = f.Info.Segment.Stop
		}
		cb.FenceOffset = lineStartBefore(d.Body, cb.Offset, f.Info != nil && lines.Len() > 0)
		if p := f.Pos(); p >= 0 && p <= len(d.Body) {
			// goldmark records where the fence starts; the guesses above
			// fail for an empty block without an info string.
			cb.FenceOffset = bytes.LastIndexByte(d.Body[:p], '\n') + 1
		}
		cb.Closed = fenceClosed(d.Body, f)
		cbs = append(cbs, cb)
		return ast.WalkSkipChildren, nil
	})
	return cbs
}

// fenceClosed reports whether a closing fence follows the block's last
// line. goldmark, like CommonMark, runs an unclosed fence to the end of the
// document and says nothing.
func fenceClosed(body []byte, f *ast.FencedCodeBlock) bool {
	after := 0
	if l := f.Lines(); l.Len() > 0 {
		after = l.At(l.Len() - 1).Stop
	} else {
		// An empty block: the closing fence, if any, is on the line after
		// the opening one.
		start := f.Pos()
		if f.Info != nil {
			start = f.Info.Segment.Stop
		}
		if start < 0 || start > len(body) {
			return false
		}
		i := bytes.IndexByte(body[start:], '\n')
		if i < 0 {
			return false
		}
		after = start + i + 1
	}
	rest := body[after:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	// A fence inside a blockquote closes with "> ```".
	t := strings.TrimLeft(string(rest), " \t>")
	return strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~")
}

// InlineText is the plain text of a node's inline children.
func InlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// Slug makes a GitHub-style heading anchor: lower case, letters, digits,
// hyphens and underscores kept (any script), spaces to hyphens, the rest
// dropped. Hugo's "github" heading ids agree.
func Slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// blockStart is the offset of a block's first text, or of its line.
func blockStart(n ast.Node, src []byte) int {
	if l := n.Lines(); l != nil && l.Len() > 0 {
		return l.At(0).Start
	}
	return inlineStart(n, src)
}

// inlineStart finds the offset of an inline node from its first text
// descendant; for a link that is one character after the opening bracket.
func inlineStart(n ast.Node, src []byte) int {
	off := -1
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 {
		for p := n.Parent(); p != nil; p = p.Parent() {
			if l := p.Lines(); l != nil && l.Len() > 0 {
				return l.At(0).Start
			}
		}
		return 0
	}
	switch n.(type) {
	case *ast.Link:
		if off > 0 && src[off-1] == '[' {
			off--
		}
	case *ast.Image:
		if off > 1 && src[off-1] == '[' && src[off-2] == '!' {
			off -= 2
		}
	}
	return off
}

// lineStartBefore returns the start of the line before the one holding
// off (the fence line above a code block's first line).
func lineStartBefore(src []byte, off int, prev bool) int {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	if !prev || start == 0 {
		return start
	}
	return bytes.LastIndexByte(src[:start-1], '\n') + 1
}
