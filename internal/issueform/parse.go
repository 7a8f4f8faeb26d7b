package issueform

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// NoResponse is what GitHub writes for a field left empty.
const NoResponse = "_No response_"

// Result is what a body says, field by field.
type Result struct {
	// Fields holds the answer of every field that could be read, by field
	// id; "" for "_No response_". A field that could not be read is absent.
	Fields map[string]string
	// Problems says, in order of the body, why a field is absent or
	// doubtful. They are meant to be shown as findings.
	Problems []string
}

// heading is a template heading found in the body.
type heading struct {
	field int // index into Template.Fields
	line  int // index of the heading line
}

// Parse reads a body rendered from the form. It never panics and never
// splits on anything but the template's own headings outside code fences
// and raw HTML blocks; what it cannot read unambiguously it leaves out and
// reports.
func (t *Template) Parse(body string) Result {
	res := Result{Fields: map[string]string{}}
	problem := func(format string, args ...any) {
		res.Problems = append(res.Problems, fmt.Sprintf(format, args...))
	}
	if !utf8.ValidString(body) {
		problem("the body is not valid UTF-8; invalid bytes were replaced")
		body = strings.ToValidUTF8(body, "\uFFFD")
	}
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	if strings.TrimSpace(body) == "" {
		problem("the body is empty: it is not a submission of the %s form", t.name())
		return res
	}
	lines := strings.Split(body, "\n")

	byLabel := make(map[string]int, len(t.Fields))
	for i, f := range t.Fields {
		byLabel[f.Label] = i
	}
	var heads []heading
	var blk blockScanner
	for i, line := range lines {
		if blk.opaque(line) {
			continue
		}
		if text, ok := atxHeading3(line); ok {
			if fi, ok := byLabel[text]; ok {
				heads = append(heads, heading{field: fi, line: i})
			}
		}
	}
	if len(heads) == 0 {
		problem("none of the %s form's headings (%s) is in the body: it is not a submission of the form", t.name(), t.headingList())
		return res
	}

	count := make([]int, len(t.Fields))
	for _, h := range heads {
		count[h.field]++
	}
	if pre := strings.TrimSpace(strings.Join(lines[:heads[0].line], "\n")); pre != "" {
		problem("text before the first heading (### %s) belongs to no field and was ignored", t.Fields[heads[0].field].Label)
	}
	for fi, n := range count {
		if n > 1 {
			problem("heading \"### %s\" appears %d times; the %s field and its neighbours are left out", t.Fields[fi].Label, n, t.Fields[fi].ID)
		}
	}
	for k, h := range heads {
		f := t.Fields[h.field]
		end := len(lines)
		if k+1 < len(heads) {
			end = heads[k+1].line
		}
		// A section is trusted only when both headings bounding it are
		// unique: a repeated heading may be a copy pasted into an answer,
		// and then any section it bounds may be cut in the wrong place.
		if count[h.field] > 1 || (k+1 < len(heads) && count[heads[k+1].field] > 1) {
			continue
		}
		value := cleanValue(lines[h.line+1:end], f.Render != "")
		res.Fields[f.ID] = value
		if f.Type == "dropdown" && !f.Multiple && value != "" && !contains(f.Options, value) {
			problem("field %s: %q is not one of the form's options", f.ID, value)
		}
	}
	for fi, f := range t.Fields {
		if count[fi] == 0 {
			problem("heading \"### %s\" is missing; the %s field is left out", f.Label, f.ID)
		}
	}
	return res
}

func (t *Template) name() string {
	if t.Name == "" {
		return "issue"
	}
	return fmt.Sprintf("%q", t.Name)
}

func (t *Template) headingList() string {
	var b strings.Builder
	for i, f := range t.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("### ")
		b.WriteString(f.Label)
	}
	return b.String()
}

// cleanValue trims the blank lines GitHub puts around an answer, maps
// "_No response_" to "", and unwraps the code fence GitHub adds around a
// textarea with render set.
func cleanValue(lines []string, rendered bool) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if rendered && len(lines) >= 2 {
		if ch, n, ok := fenceOpen(lines[0]); ok && fenceCloses(lines[len(lines)-1], ch, n) {
			lines = lines[1 : len(lines)-1]
		}
	}
	v := strings.TrimRight(strings.Join(lines, "\n"), " \t")
	if strings.TrimSpace(v) == NoResponse {
		return ""
	}
	return v
}

// atxHeading3 returns the text of a level-3 ATX heading line, as CommonMark
// reads it: up to three spaces of indentation, "###", a space or tab, and
// an optional closing sequence of #s.
func atxHeading3(line string) (string, bool) {
	s := trimIndent(line)
	if s == "" || !strings.HasPrefix(s, "###") {
		return "", false
	}
	s = s[3:]
	if s != "" && s[0] != ' ' && s[0] != '\t' {
		return "", false
	}
	s = strings.TrimRight(s, " \t")
	if t := strings.TrimRight(s, "#"); t != s && (t == "" || strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\t")) {
		s = t
	}
	return strings.TrimSpace(s), true
}

// trimIndent removes up to three leading spaces; a line indented further is
// code, so it returns "" for it.
func trimIndent(line string) string {
	for i := 0; i < 4; i++ {
		if i == len(line) {
			return ""
		}
		if line[i] != ' ' {
			return line[i:]
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
