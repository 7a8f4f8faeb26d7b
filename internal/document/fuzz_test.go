package document

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/adrg/frontmatter"

	"github.com/opsqa/opsqa/internal/diag"
	"gopkg.in/yaml.v3"
)

// FuzzParse feeds the loader what real repositories hold by mistake and
// checks that it never panics and that every position it gives, for
// findings, headings, links, code blocks and front matter nodes, lies
// inside the file.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"",
		"\xef\xbb\xbf---\r\nid: x\r\n---\r\n## A\r\n",
		"---\nid: x\ntitle: y\n",
		"---\n---\n",
		"---\na: &x [1, *x]\n---\n",
		"---\na: &a [b]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\n---\n",
		"---\n<<: {id: x}\nid: y\n---\n",
		"---\nid: x\nid: y\n---\n",
		"---\ntitle: caf\xe9\n---\n",
		"---\x00\n",
		"---\n" + strings.Repeat("[", 200) + "\n---\n",
		"---\n" + strings.Repeat("- ", 300) + "x\n---\n",
		"---\nid: x\n---\n" + strings.Repeat("> ", 100) + "```sh\nls\n",
		"---\nid: x\n---\n```\n```\n~~~",
		"---\nid: x\n---\n## 中文 {#zh}\n[链接](#zh) ![img](a.png)\n",
		"---\n{a: 1}: b\n---\n",
		"---\ntitle: \"unclosed\n---\n",
		"\n\n---\nid: x\n---\nbody",
		"---\nid: x\n---\n- [x] a\n  ```\n  b\n- c\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, ds := Parse("f.md", src)
		text := bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
		lines := bytes.Split(text, []byte("\n"))
		check := func(what string, p diag.Position) {
			t.Helper()
			if p.Line == 0 {
				return // the whole file
			}
			if p.Line < 0 || p.Line > len(lines) {
				t.Fatalf("%s: line %d outside a file of %d lines", what, p.Line, len(lines))
			}
			// One past the last character is where "end of line" points.
			if n := utf8.RuneCount(lines[p.Line-1]) + 1; p.Column < 1 || p.Column > n {
				t.Fatalf("%s: column %d outside line %d of %d characters", what, p.Column, p.Line, n-1)
			}
		}
		for _, f := range ds {
			check("finding "+f.Message, f.Pos)
		}
		if d == nil {
			return
		}
		for _, h := range d.Headings() {
			check("heading", d.BodyPos(h.Offset))
		}
		for _, l := range d.Links() {
			check("link", d.BodyPos(l.Offset))
		}
		for _, cb := range d.CodeBlocks() {
			check("code", d.BodyPos(cb.Offset))
			check("fence", d.BodyPos(cb.FenceOffset))
		}
		nodes := 0
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n == nil || nodes > 1000 {
				return
			}
			nodes++
			check("node", d.NodePos(n))
			for _, c := range n.Content {
				walk(c)
			}
		}
		walk(d.FrontMatter)
	})
}

// FuzzClosingBound checks that handing adrg/frontmatter the source only up
// to closingBound changes nothing: the same front matter, the same body.
func FuzzClosingBound(f *testing.F) {
	for _, s := range []string{
		"---\nid: x\n---\nbody\n---\nmore",
		"---\n---\n",
		"---\nid: x\n--- \nbody\n---\n",
		"---\r\nid: x\r\n---\r\nbody",
		"---\nid: x\n---",
		"---\nid: x\n----\n---x\n---\n",
		"\n\n---\nid: x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		open, fmStart := openingDelimiter(src)
		if open < 0 {
			return
		}
		split := func(in []byte) (fm, rest string, err error) {
			format := frontmatter.NewFormat("---", "---", func(data []byte, _ any) error { fm = string(data); return nil })
			r, err := frontmatter.Parse(bytes.NewReader(in), nil, format)
			return fm, string(r), err
		}
		in := src[:closingBound(src, fmStart-1)]
		fm1, rest1, err1 := split(src)
		fm2, rest2, err2 := split(in)
		body1, body2 := len(src)-len(rest1), len(in)-len(rest2)
		if len(rest1) == len(src) {
			body1 = -1 // not closed
		}
		if len(rest2) == len(in) {
			body2 = -1
		}
		if fm1 != fm2 || body1 != body2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("bounded split differs:\nfull    %q body at %d (%v)\nbounded %q body at %d (%v)", fm1, body1, err1, fm2, body2, err2)
		}
	})
}
