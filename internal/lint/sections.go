package lint

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

var requiredSectionsRule = Rule{
	ID:      "required-sections",
	Summary: "required sections are present, in order, at level 2, and not empty",
	Doc: `opsqa.yaml required_sections lists, per kind, the level-2 headings every
document must have, in order (runbooks by default: Overview, Symptoms,
Impact, Diagnosis, Mitigation, Escalation). An on-call engineer finds the
same thing in the same place in every runbook. A heading matches by its
text (any case) or by an explicit id ("## 目的 {#purpose}" matches
"Purpose"), so documents in other languages can comply. Near misses
("## Mitigating") and sections swallowed by an unclosed code fence are
named. A section holding only a placeholder ("TODO") is empty. The rule
applies to every document of the kind, front matter or not. Rename,
reorder or fill the section.`,
	Severity: diag.Error,
	CheckDocument: func(p *Pass, d *document.Document) {
		required := p.Config.RequiredSections[d.Kind]
		if len(required) == 0 {
			return
		}
		hs := d.Headings()
		found := make([]int, len(required)) // index into hs, or -1
		for i, name := range required {
			found[i] = -1
			for j, h := range hs {
				if sectionMatches(h, name) {
					found[i] = j
					break
				}
			}
		}
		last := -1
		for i, name := range required {
			j := found[i]
			if j < 0 {
				p.reportMissingSection(d, hs, name, required, found, i)
				continue
			}
			h := hs[j]
			pos := d.BodyPos(h.Offset)
			if h.Level != 2 {
				p.Report(pos, fmt.Sprintf("write it as ## %s", name), "section %q is a level-%d heading; required sections are level 2", name, h.Level)
			}
			if j < last {
				p.Report(pos, fmt.Sprintf("move it after %q", hs[last].Text), "section %q is out of order: required order is %s", name, strings.Join(required, ", "))
			} else {
				last = j
			}
			if sectionEmpty(d, h) {
				p.Report(pos, "write what belongs here, or remove the heading if the kind does not need it", "section %q is empty", name)
			}
		}
	},
}

func sectionMatches(h document.Heading, name string) bool {
	return strings.EqualFold(strings.TrimSpace(h.Text), name) || (h.Explicit && h.ID == document.Slug(name))
}

// reportMissingSection explains a missing section as precisely as it can:
// a near-miss heading, or a fence left open above where it should be.
func (p *Pass) reportMissingSection(d *document.Document, hs []document.Heading, name string, required []string, found []int, i int) {
	for _, cb := range d.CodeBlocks() {
		if !cb.Closed && strings.Contains(strings.ToLower(cb.Code), "## "+strings.ToLower(name)) {
			p.Report(d.BodyPos(cb.FenceOffset), "close the code block with ``` on its own line",
				"section %q is swallowed by a code block that is never closed", name)
			return
		}
	}
	for _, h := range hs {
		if nearMiss(h.Text, name) && !isRequired(h.Text, required) {
			p.Report(d.BodyPos(h.Offset), fmt.Sprintf("rename the heading to ## %s", name),
				"section %q is missing; %q looks like it was meant to be it", name, h.Text)
			return
		}
	}
	// Point where the section belongs: at the next required section that
	// exists, else the heading after the previous one, else the end.
	pos := d.Pos(len(d.Source))
	next := slices.IndexFunc(found[i+1:], func(j int) bool { return j >= 0 })
	prev := -1
	for _, j := range found[:i] {
		prev = max(prev, j)
	}
	switch {
	case next >= 0:
		pos = d.BodyPos(hs[found[i+1+next]].Offset)
	case prev >= 0 && prev+1 < len(hs):
		pos = d.BodyPos(hs[prev+1].Offset)
	}
	if pos.Column > 1 {
		pos.Column = 1
	}
	p.Report(pos, fmt.Sprintf("add a ## %s section", name), "required section %q is missing", name)
}

func nearMiss(text, name string) bool {
	a, b := strings.ToLower(strings.TrimSpace(text)), strings.ToLower(name)
	if diag.Suggest(a, []string{b}) != "" {
		return true
	}
	n := min(len(a), len(b), 6)
	return n >= 5 && a[:n] == b[:n]
}

func isRequired(text string, required []string) bool {
	for _, r := range required {
		if strings.EqualFold(strings.TrimSpace(text), r) {
			return true
		}
	}
	return false
}

// sectionEmpty reports whether nothing but headings, and paragraphs that
// hold only a placeholder word ("TODO", "TBD."), follows h before the
// next heading of its level or higher: such a section is not written.
func sectionEmpty(d *document.Document, h document.Heading) bool {
	for n := h.Node.NextSibling(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level <= h.Level {
				return true
			}
		case *ast.Paragraph:
			if !onlyPlaceholder(d, n) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// onlyPlaceholder reports whether a paragraph's text is a placeholder
// word and punctuation.
func onlyPlaceholder(d *document.Document, n *ast.Paragraph) bool {
	var text []byte
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		text = append(text, d.Body[seg.Start:seg.Stop]...)
	}
	rest := placeholderWordRe.ReplaceAll(text, nil)
	return len(rest) < len(text) && len(bytes.Trim(rest, " \t\r\n.:;!-–—*_()[]")) == 0
}
