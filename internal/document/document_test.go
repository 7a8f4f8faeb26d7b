package document

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/opsqa/opsqa/internal/diag"
)

func TestParseBOMAndCRLFPositions(t *testing.T) {
	src := "\xef\xbb\xbf---\r\nid: x\r\ntitle: 中文标题\r\n---\r\n## Head\r\n\r\nText [link](a.md).\r\n"
	d, ds := Parse("a.md", []byte(src))
	if len(ds) != 0 {
		t.Fatalf("findings: %v", ds)
	}
	if got := d.String("title"); got != "中文标题" {
		t.Errorf("title = %q", got)
	}
	_, v := d.Lookup("title")
	if got, want := d.NodePos(v), (diag.Position{File: "a.md", Line: 3, Column: 8}); got != want {
		t.Errorf("title value at %v, want %v (the BOM is not a column)", got, want)
	}
	hs := d.Headings()
	if len(hs) != 1 || hs[0].Text != "Head" || hs[0].ID != "head" {
		t.Fatalf("headings = %+v", hs)
	}
	if got := d.BodyPos(hs[0].Offset); got.Line != 5 || got.Column != 4 {
		t.Errorf("heading text at %v, want line 5 column 4", got)
	}
	ls := d.Links()
	if len(ls) != 1 {
		t.Fatalf("links = %+v", ls)
	}
	if got := d.BodyPos(ls[0].Offset); got.Line != 7 || got.Column != 6 {
		t.Errorf("link at %v, want 7:6", got)
	}
	if got := d.LineText(3); got != "title: 中文标题" {
		t.Errorf("LineText(3) = %q: the \\r must go", got)
	}
}

func TestPosCountsRunes(t *testing.T) {
	d, _ := Parse("zh.md", []byte("---\nid: zh\n---\n中文 TODO 😀x\n"))
	line := "中文 TODO 😀x"
	body := strings.Index(string(d.Source), line)
	for _, c := range []struct {
		sub  string
		want int
	}{{"中", 1}, {"TODO", 4}, {"😀", 9}, {"x", 10}} {
		got := d.Pos(body + strings.Index(line, c.sub))
		if got.Line != 4 || got.Column != c.want {
			t.Errorf("%q at %v, want 4:%d", c.sub, got, c.want)
		}
	}
	if got := d.Pos(len(d.Source) + 10); got.Line != 5 || got.Column != 1 {
		t.Errorf("past the end: %v, want the end of the file", got)
	}
}

func TestParseEmptyAndUnterminated(t *testing.T) {
	for _, c := range []struct {
		name, src, want string
		line            int
	}{
		{"empty", "", "empty document", 0},
		{"blank", "\n  \n", "empty document", 0},
		{"unterminated", "---\nid: x\ntitle: y\n\n## Body\n", "front matter is not closed", 1},
		{"list front matter", "---\n- a\n---\n", "must be a mapping", 2},
		{"binary", "---\x00\n", "NUL byte", 1},
		{"latin-1", "---\ntitle: caf\xe9\n---\n", "invalid UTF-8", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, ds := Parse("x.md", []byte(c.src))
			if len(ds) != 1 || !strings.Contains(ds[0].Message, c.want) || ds[0].Pos.Line != c.line {
				t.Errorf("findings = %v, want one %q at line %d", ds, c.want, c.line)
			}
		})
	}
}

// TestParseWithoutFrontMatter: a file without front matter, or with an
// empty block, is a document with a body and no front matter; whether it
// needs some is for its collection to say.
func TestParseWithoutFrontMatter(t *testing.T) {
	for _, src := range []string{"# Title\n\nBody.\n", "---\n---\n# Title\n\nBody.\n"} {
		d, ds := Parse("x.md", []byte(src))
		if len(ds) != 0 || d == nil || d.FrontMatter != nil || !d.NoFrontMatter || !strings.HasSuffix(string(d.Body), "# Title\n\nBody.\n") {
			t.Errorf("%q: findings %v, document %+v", src, ds, d)
		}
	}
}

func TestCodeBlocksClosed(t *testing.T) {
	for _, c := range []struct {
		name, body string
		closed     []bool
		fenceLine  int // of the first block, in the file
	}{
		{"closed", "```sh\nls\n```\n", []bool{true}, 4},
		{"unclosed", "```sh\nls\n\n## Next\n", []bool{false}, 4},
		{"empty closed", "text\n\n```\n```\n", []bool{true}, 6},
		{"empty unclosed at end", "text\n\n~~~", []bool{false}, 6},
		{"info only unclosed", "```sh\n", []bool{false}, 4},
		{"longer fence holds a shorter one", "````md\n```sh\nls\n```\n````\n", []bool{true}, 4},
		{"blockquote", "> ```sh\n> ls\n> ```\n\nafter\n", []bool{true}, 4},
		{"list item", "- item\n\n  ```sh\n  ls\n  ```\n", []bool{true}, 6},
		{"second unclosed", "```\na\n```\n\n```bash\nb\n", []bool{true, false}, 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, ds := Parse("x.md", []byte("---\nid: x\n---\n"+c.body))
			if len(ds) != 0 {
				t.Fatalf("findings: %v", ds)
			}
			cbs := d.CodeBlocks()
			var got []bool
			for _, cb := range cbs {
				got = append(got, cb.Closed)
			}
			if len(got) != len(c.closed) {
				t.Fatalf("blocks = %+v, want %d", cbs, len(c.closed))
			}
			for i := range got {
				if got[i] != c.closed[i] {
					t.Errorf("block %d closed = %v, want %v", i, got[i], c.closed[i])
				}
			}
			if l := d.BodyPos(cbs[0].FenceOffset).Line; l != c.fenceLine {
				t.Errorf("fence at line %d, want %d", l, c.fenceLine)
			}
		})
	}
}

func TestParseYAMLPositions(t *testing.T) {
	d, ds := ParseYAML("rules.yaml", []byte("groups:\n  - name: x\n    rules:\n      - alert: 告警A\n"))
	if len(ds) != 0 {
		t.Fatalf("findings: %v", ds)
	}
	_, g := d.Lookup("groups")
	_, rules := MapLookup(g.Content[0], "rules")
	_, a := MapLookup(rules.Content[0], "alert")
	if got := d.NodePos(a); got.Line != 4 || got.Column != 16 {
		t.Errorf("alert value at %v, want 4:16", got)
	}
}

// TestHeadingsConcurrent: lint rules run in parallel across documents and
// read other documents' headings (link targets); run with -race.
func TestHeadingsConcurrent(t *testing.T) {
	d, _ := Parse("c.md", []byte("---\nid: c\n---\n## One\n\n## One\n\n### Two {#two}\n"))
	var wg sync.WaitGroup
	got := make([]map[string]bool, 8)
	for i := range got {
		wg.Go(func() { got[i] = d.Anchors() })
	}
	wg.Wait()
	for _, a := range got {
		if len(a) != 3 || !a["one"] || !a["one-1"] || !a["two"] {
			t.Fatalf("anchors = %v", a)
		}
	}
}

// TestRefShortcodeLinks: ref and relref shortcodes are links to what they
// name, read as Hugo reads them, and text inside code.
func TestRefShortcodeLinks(t *testing.T) {
	body := "A {{< ref \"b.md#x\" >}} B {{% relref \"/runbooks/c\" %}} C {{< ref d >}} `{{< ref \"code.md\" >}}`\n"
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"content/runbooks/a.md", []string{"b.md#x", "/content/runbooks/c.md", "d.md"}},
		{"site/content/runbooks/a.md", []string{"b.md#x", "/site/content/runbooks/c.md", "d.md"}},
		{"docs/a.md", []string{"b.md#x", "/runbooks/c.md", "d.md"}},
	} {
		d, _ := Parse(tc.path, []byte(body))
		var got []string
		for _, l := range d.Links() {
			got = append(got, l.Dest)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: links %q, want %q", tc.path, got, tc.want)
		}
	}
}

// TestLimits: a document past a limit is one finding at the place the
// limit is passed, and is not read further.
func TestLimits(t *testing.T) {
	fm := "---\nid: x\n---\n\n"
	var keys strings.Builder
	keys.WriteString("---\nid: x\n")
	for i := range MaxFrontMatterKeys + 5 {
		fmt.Fprintf(&keys, "k%d: v\n", i)
	}
	keys.WriteString("---\n\nbody\n")
	nested := ""
	for i := range MaxNesting + 1 {
		nested += strings.Repeat("  ", i) + "- item\n"
	}
	for _, tc := range []struct {
		name, src, want string
		line, col       int
	}{
		{"brackets", fm + strings.Repeat(strings.Repeat("[", 1000)+"\n", MaxDelimiters/1000+1), "more than 100000 inline markup characters", 5 + MaxDelimiters/1000, 1},
		{"emphasis", fm + "ok\n" + strings.Repeat(strings.Repeat("*_", 500)+"\n", MaxDelimiters/1000+1), "inline markup", 6 + MaxDelimiters/1000, 1},
		{"line", fm + strings.Repeat("a", MaxLineLength+1), "line is 65537 bytes long, past the limit of 65536", 5, MaxLineLength + 1},
		{"quotes", fm + strings.Repeat("> ", MaxNesting+1) + "deep\n", "nested 33 deep, past the limit of 32", 5, 1},
		{"lists", fm + nested, "nested 33 deep", 5 + MaxNesting, 1},
		{"front matter size", "---\nid: x\nnote: " + strings.Repeat("a", MaxFrontMatterSize) + "\n---\n", "front matter is 65549 bytes, past the limit of 65536", 2, 1},
		{"keys", keys.String(), "front matter has more than 1000 keys", 1002, 1},
		{"nbsp opening", "---\u00a0\nid: x\n---\n", "U+00A0", 1, 4},
		{"nbsp closing", "---\nid: x\n---\u2003\n\nbody\n", "U+2003", 3, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ds := Parse("x.md", []byte(tc.src))
			if len(ds) != 1 {
				t.Fatalf("%d findings, want 1: %v", len(ds), ds)
			}
			if !strings.Contains(ds[0].Message, tc.want) || ds[0].Pos.Line != tc.line || ds[0].Pos.Column != tc.col {
				t.Errorf("got %d:%d %s, want %d:%d %q", ds[0].Pos.Line, ds[0].Pos.Column, ds[0].Message, tc.line, tc.col, tc.want)
			}
			if strings.HasPrefix(tc.name, "nbsp") {
				return
			}
			if d != nil {
				t.Error("a document past a limit is returned for the rules to read")
			}
		})
	}
	// Below every limit: read as usual, code fences not counted as nesting.
	ok := fm + "```yaml\n" + strings.Repeat(" ", 80) + "- deep: yaml\n```\n\n" + strings.Repeat("> ", MaxNesting) + "deep enough\n--- \n"
	if d, ds := Parse("x.md", []byte(ok)); d == nil || len(ds) > 0 {
		t.Errorf("a document within the limits: %v", ds)
	}
}
