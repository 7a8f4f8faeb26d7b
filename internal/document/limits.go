package document

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
)

// The limits on one document, each checked in one linear pass before the
// work it protects (YAML decoding, Markdown parsing, schema validation).
// Documents are written by hand: the largest of the bundled example is
// under 40 KB, with a few dozen front matter keys. What goes past these
// is a mistake or an attack, and parsing it would cost memory and time
// for nothing: goldmark keeps some 380 bytes per unmatched inline
// delimiter ("[", "*", …), so 4 MB of "[" took 1.3 GB; the schema
// rule's cost grows with the square of the front matter's keys, so
// 200,000 of them took minutes. RELIABILITY.md lists them with the
// measured cost at each bound.
const (
	// MaxSize is the largest document read: 1 MiB.
	MaxSize = 1 << 20
	// MaxLineLength is the longest line, in bytes.
	MaxLineLength = 64 << 10
	// MaxDelimiters is the most inline delimiter characters ([ * _ ~ `)
	// in the body; at the bound goldmark needs about 40 MB.
	MaxDelimiters = 100_000
	// MaxNesting is the deepest nesting of block quotes and lists.
	MaxNesting = 32
	// MaxFrontMatterSize is the largest front matter block, in bytes.
	MaxFrontMatterSize = 64 << 10
	// MaxFrontMatterKeys is the most keys in the front matter, nested
	// mappings included.
	MaxFrontMatterKeys = 1_000
)

// RuleLimits is the rule of the findings for a document past a limit.
const RuleLimits = "limits"

// checkBody reports the first limit the text past the front matter
// exceeds; such a body is not parsed. Fenced code is counted for line
// length and delimiters (goldmark scans it too) but not for nesting.
func (d *Document) checkBody(body []byte, offset int) *diag.Diagnostic {
	delims := 0
	fence := []byte(nil)
	for off := 0; off < len(body); {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			end = len(body) - off
		}
		line := body[off : off+end]
		if len(line) > MaxLineLength {
			return d.limit(offset+off+MaxLineLength, "line is %d bytes long, past the limit of %d", len(line), MaxLineLength)
		}
		for _, c := range line {
			switch c {
			case '[', '*', '_', '~', '`':
				delims++
			}
		}
		if delims > MaxDelimiters {
			return d.limit(offset+off, "more than %d inline markup characters ([ * _ ~ `) by this line: Markdown this dense costs memory for nothing", MaxDelimiters)
		}
		trimmed := bytes.TrimLeft(line, " \t")
		switch {
		case fence != nil:
			if bytes.HasPrefix(trimmed, fence) {
				fence = nil
			}
		case bytes.HasPrefix(trimmed, []byte("```")), bytes.HasPrefix(trimmed, []byte("~~~")):
			fence = trimmed[:3]
		default:
			if depth := nesting(line); depth > MaxNesting {
				return d.limit(offset+off, "block quotes and lists nested %d deep, past the limit of %d", depth, MaxNesting)
			}
		}
		off += end + 1
	}
	return nil
}

// nesting estimates how deep a line's block quotes and list items go: one
// per ">" and one per list marker, each level of a list indented by two
// columns or more. Only lines that open a quote or an item count, so an
// indented paragraph or code is not mistaken for depth.
func nesting(line []byte) int {
	depth, col := 0, 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == ' ':
			col++
		case c == '\t':
			col += 4 - col%4
		case c == '>':
			depth++
			col = 0
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && line[i+1] == ' ':
			return depth + 1 + col/2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && line[j+1] == ' ' {
				return depth + 1 + col/3
			}
			return depth
		default:
			return depth
		}
	}
	return depth
}

// checkFrontMatter reports a front matter block past the size limit,
// before it is decoded.
func (d *Document) checkFrontMatter(text []byte, offset int) *diag.Diagnostic {
	if len(text) > MaxFrontMatterSize {
		return d.limit(offset, "front matter is %d bytes, past the limit of %d", len(text), MaxFrontMatterSize)
	}
	return nil
}

// checkKeys reports decoded front matter with more keys than the limit,
// at the first key past it; such front matter is not validated.
func (d *Document) checkKeys(root *yaml.Node) *diag.Diagnostic {
	n := 0
	var past *yaml.Node
	var walk func(*yaml.Node)
	walk = func(v *yaml.Node) {
		if past != nil {
			return
		}
		if v.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(v.Content) && past == nil; i += 2 {
				if n++; n > MaxFrontMatterKeys {
					past = v.Content[i]
					return
				}
				walk(v.Content[i+1])
			}
			return
		}
		for _, c := range v.Content {
			walk(c)
		}
	}
	walk(root)
	if past == nil {
		return nil
	}
	dg := diag.Diagnostic{Pos: d.NodePos(past), Severity: diag.Error, Rule: RuleLimits,
		Message: fmt.Sprintf("front matter has more than %d keys", MaxFrontMatterKeys),
		Fix:     "keep data out of the front matter: it describes the document"}
	return &dg
}

func (d *Document) limit(at int, format string, args ...any) *diag.Diagnostic {
	dg := diag.Diagnostic{Pos: d.Pos(at), Severity: diag.Error, Rule: RuleLimits,
		Message: fmt.Sprintf(format, args...),
		Fix:     "split the document, or move data out of it into a file it links"}
	return &dg
}
