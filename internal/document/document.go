// Package document loads opsqa documents: Markdown with YAML front matter.
// It keeps the front matter as yaml.v3 nodes, so every later check can point
// at the exact line and column of a key or value, and maps byte offsets of
// the Markdown body back to lines and columns of the file.
package document

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	goyaml "github.com/goccy/go-yaml"
	goparser "github.com/goccy/go-yaml/parser"
	"github.com/yuin/goldmark/ast"
	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
)

// Rule IDs of the findings Parse reports itself.
const (
	RuleFrontMatter = "front-matter"
	RuleYAML        = "yaml-syntax"
	RuleEncoding    = "encoding"
)

// Document is one parsed file.
type Document struct {
	// Path is slash-separated and relative to the repository root; it is
	// what findings print.
	Path string
	// Kind is runbook, process, …, or "" for a file outside any collection.
	Kind string
	// Source is the file as read, less a leading byte order mark.
	Source []byte
	// FrontMatter is the mapping node of the front matter, nil when the
	// file has none, an empty block, or one that could not be parsed.
	FrontMatter *yaml.Node
	// NoFrontMatter is true when the file has none, or an empty block:
	// unlike front matter that does not parse, that is no error in itself.
	NoFrontMatter bool
	// Meta is the front matter as JSON-compatible values (maps, slices,
	// strings, json.Number, bools, nil), for schema validation.
	Meta map[string]any
	// Body is the Markdown after the front matter; BodyOffset is where it
	// starts in Source.
	Body       []byte
	BodyOffset int
	// fmLine is the line of Source where the front matter text starts.
	fmLine int
	lines  []int
	// overLimit is the finding for a document past one of the limits.
	overLimit *diag.Diagnostic

	// Parsed on first use, dropped by Release. Rules run in parallel
	// across documents and a rule may read another document's headings (a
	// link's target), so access is guarded.
	mu       sync.Mutex
	ast      ast.Node
	headings []Heading
	// anchors outlive Release: other documents' links keep asking.
	anchors map[string]bool
}

// Parse reads a document. Problems with the file itself (encoding, front
// matter, YAML syntax) are returned as findings; the Document is returned
// whenever the body could be located, so later rules still run where they
// can.
func Parse(path string, src []byte) (*Document, []diag.Diagnostic) {
	d, ds := read(path, src)
	if d == nil {
		return nil, ds
	}
	if len(bytes.TrimSpace(d.Source)) == 0 {
		return d, []diag.Diagnostic{{Pos: diag.Position{File: path}, Severity: diag.Error, Rule: RuleFrontMatter,
			Message: "empty document: it has no front matter",
			Fix:     "start the file with a --- front matter block (opsqa new KIND ID writes one)"}}
	}
	ds = d.splitFrontMatter()
	if d.overLimit == nil {
		d.overLimit = d.checkBody(d.Body, d.BodyOffset)
	}
	if d.overLimit != nil {
		// Past a limit, the document is not read: one finding, and
		// no rule spends the memory the limit protects.
		return nil, []diag.Diagnostic{*d.overLimit}
	}
	return d, ds
}

// read checks what every file must be (a sane size, text, UTF-8) and
// indexes its lines. A nil Document means the file is no text at all.
func read(path string, src []byte) (*Document, []diag.Diagnostic) {
	if len(src) > MaxSize {
		return nil, []diag.Diagnostic{{Pos: diag.Position{File: path}, Severity: diag.Error, Rule: RuleLimits,
			Message: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit for a document", len(src), MaxSize),
			Fix:     "split the document, or move data out of it"}}
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	d := &Document{Path: path, Source: src, lines: lineStarts(src)}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return nil, []diag.Diagnostic{{Pos: d.Pos(i), Severity: diag.Error, Rule: RuleEncoding,
			Message: "file contains a NUL byte: it is binary, not text",
			Fix:     "remove the file or give it another extension"}}
	}
	if !utf8.Valid(src) {
		return nil, []diag.Diagnostic{{Pos: d.Pos(diag.InvalidUTF8At(src)), Severity: diag.Error, Rule: RuleEncoding,
			Message: "invalid UTF-8",
			Fix:     "save the file as UTF-8"}}
	}
	return d, nil
}

// setFrontMatter keeps root as the front matter when it is a mapping; what
// names the YAML in the message and rule says who reports otherwise.
func (d *Document) setFrontMatter(root *yaml.Node, what, rule string) []diag.Diagnostic {
	if root.Kind != yaml.MappingNode {
		return []diag.Diagnostic{{Pos: d.NodePos(root), Severity: diag.Error, Rule: rule,
			Message: fmt.Sprintf("%s must be a mapping of keys to values, not a %s", what, nodeKindName(root)),
			Fix:     "write key: value lines"}}
	}
	d.FrontMatter = root
	meta, ds := d.toJSON(root)
	d.Meta, _ = meta.(map[string]any)
	return ds
}

// splitFrontMatter uses adrg/frontmatter for the split, with yaml.v3 nodes
// as the decoder: the library's default yaml.v2 turns `on:` into true and
// keeps no positions. The library treats an unterminated block as body
// text, so that case is detected here.
func (d *Document) splitFrontMatter() []diag.Diagnostic {
	open, fmStart := openingDelimiter(d.Source)
	if open < 0 {
		// No front matter is not an error here: whether a document needs
		// it depends on its collection, which the schema rule knows.
		d.Body = d.Source
		d.NoFrontMatter = true
		return nil
	}
	d.fmLine = d.Pos(fmStart).Line
	var node yaml.Node
	var yamlErr error
	var fmText []byte
	format := frontmatter.NewFormat("---", "---", func(data []byte, _ any) error {
		fmText = data
		if d.overLimit = d.checkFrontMatter(data, fmStart); d.overLimit == nil {
			yamlErr = yaml.Unmarshal(data, &node)
		}
		return nil
	})
	in := d.Source[:closingBound(d.Source, fmStart-1)]
	rest, err := frontmatter.Parse(bytes.NewReader(in), nil, format)
	if err != nil {
		return []diag.Diagnostic{{Pos: d.Pos(open), Severity: diag.Error, Rule: RuleFrontMatter,
			Message: fmt.Sprintf("cannot read front matter: %v", err)}}
	}
	if len(rest) == len(in) {
		return []diag.Diagnostic{{Pos: d.Pos(open), Severity: diag.Error, Rule: RuleFrontMatter,
			Message: "front matter is not closed: no --- line ends it",
			Fix:     "add a line with --- after the last front matter key"}}
	}
	d.BodyOffset = len(in) - len(rest)
	d.Body = d.Source[d.BodyOffset:]
	if dg := d.oddDelimiters(open, d.BodyOffset); dg != nil {
		return []diag.Diagnostic{*dg}
	}
	if yamlErr != nil {
		return []diag.Diagnostic{d.yamlSyntax(yamlErr, fmText)}
	}
	if d.overLimit != nil {
		return nil
	}
	if len(node.Content) == 0 {
		d.NoFrontMatter = true // an empty block is no front matter
		return nil
	}
	if d.overLimit = d.checkKeys(node.Content[0]); d.overLimit != nil {
		return nil
	}
	return d.setFrontMatter(node.Content[0], "front matter", RuleFrontMatter)
}

// closingBound returns where the first line that is exactly --- after
// from ends, or len(src) when there is none. adrg/frontmatter copies all
// it reads past the front matter into a buffer of its own, growing it by
// doubling: given the source only up to that line, where it stops anyway
// (it closes the block at the first line that is --- once trimmed, this
// one or an earlier one), it copies nothing more.
func closingBound(src []byte, from int) int {
	for i := from; i < len(src); {
		j := bytes.Index(src[i:], []byte("\n---"))
		if j < 0 {
			break
		}
		end := i + j + len("\n---")
		rest := src[end:]
		switch {
		case len(rest) == 0:
			return end
		case rest[0] == '\n':
			return end + 1
		case len(rest) >= 2 && rest[0] == '\r' && rest[1] == '\n':
			return end + 2
		}
		i = end
	}
	return len(src)
}

// openingDelimiter returns the offset of the opening --- line and of the
// line after it, or -1 when the first non-blank line is not ---. Leading
// blank lines are allowed, as adrg/frontmatter allows them.
func openingDelimiter(src []byte) (open, next int) {
	off := 0
	for off < len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		line := src[off:]
		if end >= 0 {
			line = src[off : off+end]
		}
		switch strings.TrimSpace(string(line)) {
		case "":
			if end < 0 {
				return -1, 0
			}
			off += end + 1
			continue
		case "---":
			if end < 0 {
				return off, len(src)
			}
			return off, off + end + 1
		}
		return -1, 0
	}
	return -1, 0
}

// oddDelimiters reports a --- line of the front matter (between from and
// to) padded with a space other than ASCII's, such as a non-breaking
// space: the split here takes it as a delimiter, as adrg/frontmatter
// does, but Hugo does not, and the site build would fail on it.
func (d *Document) oddDelimiters(from, to int) *diag.Diagnostic {
	for off := from; off < to; {
		end := bytes.IndexByte(d.Source[off:to], '\n')
		if end < 0 {
			end = to - off
		}
		line := string(d.Source[off : off+end])
		if strings.TrimSpace(line) == "---" && strings.Trim(line, " \t\r") != "---" {
			i := strings.Index(line, "---")
			at := off
			for j, r := range line {
				if (j < i || j >= i+3) && r != ' ' && r != '\t' && r != '\r' {
					at += j
					dg := diag.Diagnostic{Pos: d.Pos(at), Severity: diag.Error, Rule: RuleFrontMatter,
						Message: fmt.Sprintf("the front matter's --- line holds %U, a space the site's Markdown does not accept there", r),
						Fix:     "write the line as --- alone"}
					return &dg
				}
			}
		}
		off += end + 1
	}
	return nil
}

// yamlSyntax turns a YAML error into a finding. yaml.v3 reports only a
// line, and sometimes the line where the enclosing construct started, so
// the text is parsed again with goccy/go-yaml, whose errors carry the
// exact line and column of the offending token.
func (d *Document) yamlSyntax(err error, text []byte) diag.Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line, col := 0, 0
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	var ge goyaml.Error
	if _, perr := goparser.ParseBytes(text, 0); errors.As(perr, &ge) && ge.GetToken() != nil && ge.GetToken().Position != nil {
		p := ge.GetToken().Position
		line, col = p.Line, p.Column
		msg = ge.GetMessage()
	}
	pos := diag.Position{File: d.Path, Line: d.fmLine, Column: 1}
	if line > 0 {
		pos.Line = d.fmLine + line - 1
		text := d.LineText(pos.Line)
		if col > 0 {
			pos.Column = col
		} else {
			pos.Column = 1 + utf8.RuneCountInString(text) - utf8.RuneCountInString(strings.TrimLeft(text, " \t"))
		}
		if t := strings.TrimSpace(text); t != "" {
			msg += fmt.Sprintf(" (in %q)", truncate(t, 60))
		}
	}
	return diag.Diagnostic{Pos: pos, Severity: diag.Error, Rule: RuleYAML,
		Message: "invalid YAML: " + msg,
		Fix:     "check indentation, colons, brackets and quoting on this line and the one before"}
}

// Pos maps a byte offset in Source to a position. Columns count code points.
func (d *Document) Pos(offset int) diag.Position {
	if offset < 0 {
		offset = 0
	}
	if offset > len(d.Source) {
		offset = len(d.Source)
	}
	// The last line start at or before offset.
	lo, hi := 0, len(d.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.lines[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	col := utf8.RuneCount(d.Source[d.lines[lo]:offset]) + 1
	return diag.Position{File: d.Path, Line: lo + 1, Column: col}
}

// BodyPos maps a byte offset in Body to a position in the file.
func (d *Document) BodyPos(offset int) diag.Position { return d.Pos(d.BodyOffset + offset) }

// NodePos is the position of a front matter node in the file.
func (d *Document) NodePos(n *yaml.Node) diag.Position {
	if n == nil || n.Line == 0 {
		return diag.Position{File: d.Path, Line: max(d.fmLine-1, 1), Column: 1}
	}
	return diag.Position{File: d.Path, Line: d.fmLine + n.Line - 1, Column: n.Column}
}

// FrontMatterPos is the position of the opening --- line, where findings
// about the front matter as a whole go.
func (d *Document) FrontMatterPos() diag.Position {
	return diag.Position{File: d.Path, Line: max(d.fmLine-1, 1), Column: 1}
}

// LineText returns line n (1-based) without its line ending.
func (d *Document) LineText(n int) string {
	if n < 1 || n > len(d.lines) {
		return ""
	}
	start := d.lines[n-1]
	end := len(d.Source)
	if n < len(d.lines) {
		end = d.lines[n] - 1
	}
	return strings.TrimRight(string(d.Source[start:end]), "\r")
}

// Lookup returns the key and value nodes of a top-level front matter key.
func (d *Document) Lookup(key string) (k, v *yaml.Node) {
	return MapLookup(d.FrontMatter, key)
}

// PosAt finds a value of the front matter (or of a YAML file) by keys
// and list indexes, such as PosAt("teams", 0, "members"); where the path
// stops early, the position of the last node found.
func (d *Document) PosAt(path ...any) diag.Position {
	n := d.FrontMatter
	for _, seg := range path {
		if n == nil {
			break
		}
		switch s := seg.(type) {
		case string:
			_, v := MapLookup(n, s)
			if v == nil {
				return d.NodePos(n)
			}
			n = v
		case int:
			if s >= len(n.Content) {
				return d.NodePos(n)
			}
			n = n.Content[s]
		}
	}
	return d.NodePos(n)
}

// MapLookup returns the key and value nodes of key in a mapping node.
func MapLookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// String returns a top-level front matter string, or "".
func (d *Document) String(key string) string {
	s, _ := d.Meta[key].(string)
	return s
}

// Strings returns a top-level front matter list of strings.
func (d *Document) Strings(key string) []string {
	list, _ := d.Meta[key].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Decode decodes the front matter into v with yaml.v3.
func (d *Document) Decode(v any) error {
	if d.FrontMatter == nil {
		return errors.New("decode front matter: document has none")
	}
	if err := d.FrontMatter.Decode(v); err != nil {
		return fmt.Errorf("decode front matter of %s: %w", d.Path, err)
	}
	return nil
}

// ID is the document's id: its front matter's id, else, for a document
// of a kind, its file name without the extension, case kept (a runbook
// named after its alert, HighErrorRate.md, has the id HighErrorRate); ""
// for a file of no kind without one.
func (d *Document) ID() string {
	if id := d.String("id"); id != "" || d.Kind == "" {
		return id
	}
	base := path.Base(d.Path)
	return strings.TrimSuffix(base, path.Ext(base))
}

// Title is the document's title: its front matter's title, else the text
// of its first level-1 heading, else its id.
func (d *Document) Title() string {
	if t := d.String("title"); t != "" {
		return t
	}
	for _, h := range d.Headings() {
		if h.Level == 1 {
			return h.Text
		}
	}
	return d.ID()
}

func lineStarts(src []byte) []int {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return starts
		}
		off += i + 1
		starts = append(starts, off)
	}
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func nodeKindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	case yaml.MappingNode:
		return "mapping"
	}
	return "node"
}

// ParseYAML reads a plain YAML file (opsqa.yaml, a rule file) as a
// document made only of front matter, so the same positions and schema
// checks apply.
func ParseYAML(path string, src []byte) (*Document, []diag.Diagnostic) {
	d, ds := read(path, src)
	if d == nil {
		return nil, ds
	}
	d.fmLine, d.BodyOffset = 1, len(d.Source)
	var node yaml.Node
	if err := yaml.Unmarshal(d.Source, &node); err != nil {
		return d, []diag.Diagnostic{d.yamlSyntax(err, d.Source)}
	}
	if len(node.Content) == 0 {
		return d, nil
	}
	return d, d.setFrontMatter(node.Content[0], "the file", RuleYAML)
}
