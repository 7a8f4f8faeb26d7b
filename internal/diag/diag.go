// Package diag defines the finding every check reports: a position in a
// file, a severity, the rule that found it, a message and how to fix it.
// It is the leaf of the import graph: every other package may use it.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Position is a place in a file. Line and Column are 1-based; Column counts
// characters (Unicode code points), as editors do, not bytes. A zero Line
// means the whole file.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// InvalidUTF8At is the byte offset of the first byte of b that does not
// start a valid UTF-8 sequence, or len(b): where a finding about text that
// is not UTF-8 points.
func InvalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

func (p Position) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Column == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Severity orders findings: an Error fails a lint run, a Warning and an
// Info do not.
type Severity int

const (
	Info Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "unknown"
}

// ParseSeverity reads the names String returns. ok is false for anything
// else, including "off", which callers treat separately.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "info":
		return Info, true
	case "warning":
		return Warning, true
	case "error":
		return Error, true
	}
	return 0, false
}

// MarshalText writes the severity by name, so JSON shows "error", not 3.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity by name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, ok := ParseSeverity(string(b))
	if !ok {
		return fmt.Errorf("unknown severity %q", b)
	}
	*s = v
	return nil
}

// Diagnostic is one finding. A check that could not run returns an error
// instead; a Diagnostic always means "the input has this problem".
type Diagnostic struct {
	Pos      Position `json:"position"`
	End      Position `json:"end,omitzero"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
	// Fix says how to resolve the finding, in one sentence.
	Fix string `json:"fix,omitempty"`
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s %s: %s", d.Pos, d.Severity, d.Rule, d.Message)
}

// Sort orders findings by file, line, column, then rule, so that output is
// stable whatever order the checks ran in.
func Sort(ds []Diagnostic) {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Count returns how many findings have at least severity min.
func Count(ds []Diagnostic, min Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity >= min {
			n++
		}
	}
	return n
}

// Unchecked is a check that could not apply to some files, or to the
// repository as a whole, and why: a clean run says what it did not check.
type Unchecked struct {
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
	// Files are the files it could not check, sorted; none when the
	// reason holds for the whole repository.
	Files []string `json:"files,omitempty"`
}

// String is the one-line account: "review-overdue in 3 files (a.md,
// b.md, c.md): no last_reviewed date".
func (u Unchecked) String() string {
	if len(u.Files) == 0 {
		return u.Rule + ": " + u.Reason
	}
	names := u.Files
	more := ""
	if len(names) > 3 {
		names, more = names[:3], ", …"
	}
	files := "1 file"
	if len(u.Files) != 1 {
		files = fmt.Sprintf("%d files", len(u.Files))
	}
	return fmt.Sprintf("%s in %s (%s%s): %s", u.Rule, files, strings.Join(names, ", "), more, u.Reason)
}
