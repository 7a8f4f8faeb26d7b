// Package suppress finds the comments that silence a lint rule for a
// line or a file. They are read where the documents are loaded, since
// both the linter (to drop findings) and the alert coverage (to exempt an
// alert that needs no runbook) obey them.
package suppress

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// A suppression is a comment: in Markdown an HTML comment, in front matter
// or YAML a # comment.
//
//	<!-- opsqa-disable-file placeholder: quoting the alert text verbatim -->
//	<!-- opsqa-disable-next-line links: the page is generated at build time -->
//	some line  <!-- opsqa-disable-line placeholder: TODO is the name of the flag -->
//
// The reason after the colon is required: a silenced check with no reason
// is how standards erode.
var suppressionRe = regexp.MustCompile(`opsqa-disable(-file|-next-line|-line)\s+([a-z0-9][a-z0-9,\s-]*?)\s*(?::\s*(.*?))?\s*(?:-->|$)`)

// Suppression is one suppression comment.
type Suppression struct {
	// File is the slash-separated path of the file holding the comment.
	File string
	// Line is the line it silences, 0 for the whole file.
	Line int
	// Rules are the rule IDs it names.
	Rules []string
	// Pos is where the comment is.
	Pos diag.Position
	// HasReason is false when the comment gives no reason: it then
	// silences nothing.
	HasReason bool
}

// Silences reports whether the suppression, with its reason, silences
// rule on that line of file.
func (s Suppression) Silences(file string, line int, rule string) bool {
	return s.HasReason && s.File == file && (s.Line == 0 || s.Line == line) && slices.Contains(s.Rules, rule)
}

// Any reports whether one of sups silences rule on that line of file.
func Any(sups []Suppression, file string, line int, rule string) bool {
	return slices.ContainsFunc(sups, func(s Suppression) bool { return s.Silences(file, line, rule) })
}

// Find returns the suppression comments of a document, Markdown or YAML.
func Find(d *document.Document) []Suppression {
	if !bytes.Contains(d.Source, []byte("opsqa-disable")) {
		return nil
	}
	var out []Suppression
	for i, line := range strings.Split(string(d.Source), "\n") {
		m := suppressionRe.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		s := Suppression{File: d.Path, HasReason: m[6] >= 0 && strings.TrimSpace(line[m[6]:m[7]]) != ""}
		s.Pos = d.Pos(0)
		s.Pos.Line, s.Pos.Column = i+1, len([]rune(line[:m[0]]))+1
		for _, r := range strings.Split(line[m[4]:m[5]], ",") {
			if r = strings.TrimSpace(r); r != "" {
				s.Rules = append(s.Rules, r)
			}
		}
		switch line[m[2]:m[3]] {
		case "-file":
			s.Line = 0
		case "-next-line":
			s.Line = i + 2
		case "-line":
			s.Line = i + 1
		}
		out = append(out, s)
	}
	return out
}
