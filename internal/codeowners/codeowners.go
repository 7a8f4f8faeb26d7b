// Package codeowners decides which line of .github/CODEOWNERS each
// document gets: its path, its owner team's GitHub handle and those of
// the reviewer teams opsqa.yaml names. 'opsqa codeowners' writes those
// lines and the codeowners lint rule checks them, both from here.
//
// The lines live in a block between two marker comments, so the lines a
// team writes itself (folder defaults, files that are not documents)
// stay as they are. GitHub applies the last line matching a file: the
// block is appended at the end the first time, where a document's own
// line wins over its folder's; lines written after the block win over it.
package codeowners

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
)

// Path is where the file lives, relative to the repository root. GitHub
// also reads CODEOWNERS at the root and in docs/; opsqa keeps to one.
const Path = ".github/CODEOWNERS"

// MaxSize is the largest CODEOWNERS file read: GitHub ignores one larger
// than 3 MB.
const MaxSize = 3 << 20

// The marker lines. They are found by these prefixes, so text a team
// adds after them on the same line is kept.
const (
	BeginMarker = "# opsqa: begin generated owners"
	EndMarker   = "# opsqa: end generated owners"
)

// beginLine and endLine are the markers as opsqa writes them.
const (
	beginLine = BeginMarker + " (opsqa codeowners writes this block from the documents' owners; edit outside it)"
	endLine   = EndMarker
)

// Entry is the generated line of one document.
type Entry struct {
	// Path is the document's path, slash-separated, relative to the root.
	Path string
	// Team is the id of the owner team.
	Team string
	// Owners are the GitHub handles: the owner's, then the reviewers'.
	Owners []string
}

// pattern is the path as CODEOWNERS reads it: anchored at the root, with
// the characters gitignore patterns give a meaning to escaped, so that a
// file name is never read as a glob.
func (e Entry) pattern() string {
	var b strings.Builder
	b.WriteByte('/')
	for _, r := range e.Path {
		if strings.ContainsRune(` \*?[]#!`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Line is the entry as a line of CODEOWNERS.
func (e Entry) Line() string { return e.pattern() + " " + strings.Join(e.Owners, " ") }

// Applies reports whether any team has a GitHub handle: without one there
// is nothing to generate.
func Applies(cfg *config.Config) bool {
	return slices.ContainsFunc(cfg.Teams, func(t config.Team) bool { return t.GitHubTeam != "" })
}

// Generate returns the entry of every document whose owner is a team with
// a github_team, sorted as the block lists them. A document owned by a
// team without one gets no line: the lines written by hand decide its
// reviewers.
func Generate(cfg *config.Config, docs []*document.Document) []Entry {
	var reviewers []string
	for _, id := range cfg.Codeowners.Reviewers {
		if t, ok := cfg.Team(id); ok && t.GitHubTeam != "" {
			reviewers = append(reviewers, t.GitHubTeam)
		}
	}
	var out []Entry
	for _, d := range docs {
		t, ok := cfg.Team(d.String("owner"))
		if !ok || t.GitHubTeam == "" {
			continue
		}
		owners := []string{t.GitHubTeam}
		for _, r := range reviewers {
			if !slices.Contains(owners, r) {
				owners = append(owners, r)
			}
		}
		out = append(out, Entry{Path: d.Path, Team: t.ID, Owners: owners})
	}
	slices.SortFunc(out, func(a, b Entry) int { return cmp.Compare(a.pattern(), b.pattern()) })
	return out
}

// Op is what an edit does to its line.
type Op int

// The edits.
const (
	Add Op = iota
	Remove
	Change
)

// Edit is one line of the file to add, remove or change.
type Edit struct {
	Op Op
	// Line is the 1-based line of the current file that is removed or
	// changed, or before which the new line goes (one past the last line
	// to append).
	Line int
	// Old is the line removed or changed.
	Old string
	// New is the line added, or the line Old changes to.
	New string
	// Entry is what New was generated from (nil for a marker line), or
	// for a removed line, the entry whose path it repeats.
	Entry *Entry
}

// Plan is what writing the entries into a CODEOWNERS file changes.
type Plan struct {
	// Edits are the changes, in the order of the file; none means the
	// file is up to date.
	Edits []Edit
	// NoBlock is true when the file has no generated block yet: the edits
	// append one.
	NoBlock bool
	// File is the content with the edits applied.
	File []byte
}

// MarkerError is a generated block whose markers do not pair up: a
// begin without an end, an end without a begin, two blocks. Writing into
// it could take the team's own lines for generated ones.
type MarkerError struct {
	Line int
	Msg  string
}

func (e *MarkerError) Error() string { return fmt.Sprintf("%d: %s", e.Line, e.Msg) }

// Compare plans writing entries into current, the content of the file
// (nil when there is none). Only the lines between the markers change.
func Compare(current []byte, entries []Entry) (*Plan, error) {
	lines := splitLines(current)
	begin, end, err := findBlock(lines)
	if err != nil {
		return nil, err
	}
	var edits []Edit
	if begin < 0 {
		// Append the block. A blank line sets it apart from the lines
		// above it.
		at := len(lines) + 1
		if len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) != "" {
			edits = append(edits, Edit{Op: Add, Line: at})
		}
		edits = append(edits, Edit{Op: Add, Line: at, New: beginLine})
		for i := range entries {
			edits = append(edits, Edit{Op: Add, Line: at, New: entries[i].Line(), Entry: &entries[i]})
		}
		edits = append(edits, Edit{Op: Add, Line: at, New: endLine})
	} else {
		edits = compareBlock(lines, begin, end, entries)
	}
	plan := &Plan{Edits: edits, NoBlock: begin < 0, File: current}
	if len(edits) > 0 {
		plan.File = apply(lines, edits)
	}
	return plan, nil
}

// compareBlock compares the block's lines with the entries by path. The
// order of the lines does not matter to GitHub (each names one file), so
// it is left as it is: a line of a path no entry has is removed, and so
// is a second line of one path; a line that differs from its entry is
// changed; an entry no line has is added before the first line that
// sorts after it.
func compareBlock(lines []string, begin, end int, entries []Entry) []Edit {
	want := map[string]*Entry{}
	for i := range entries {
		want[entries[i].pattern()] = &entries[i]
	}
	type present struct {
		line    int
		pattern string
	}
	var edits []Edit
	var kept []present
	seen := map[string]bool{}
	for i := begin + 1; i < end; i++ {
		line := strings.TrimRight(lines[i], " \t\r")
		p, ok := linePattern(line)
		e := want[p]
		switch {
		case !ok || e == nil:
			// Blank lines and comments have no place among generated
			// lines either.
			edits = append(edits, Edit{Op: Remove, Line: i + 1, Old: line})
		case seen[p]:
			edits = append(edits, Edit{Op: Remove, Line: i + 1, Old: line, Entry: e})
		default:
			seen[p] = true
			kept = append(kept, present{i + 1, p})
			if normalize(line) != e.Line() {
				edits = append(edits, Edit{Op: Change, Line: i + 1, Old: line, New: e.Line(), Entry: e})
			}
		}
	}
	for i := range entries {
		p := entries[i].pattern()
		if seen[p] {
			continue
		}
		at := end + 1
		if j := slices.IndexFunc(kept, func(k present) bool { return k.pattern > p }); j >= 0 {
			at = kept[j].line
		}
		edits = append(edits, Edit{Op: Add, Line: at, New: entries[i].Line(), Entry: &entries[i]})
	}
	// In the order of the file; the lines added before a line go before
	// its own edit, in the order of the entries.
	last := func(e Edit) int {
		if e.Op == Add {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(edits, func(a, b Edit) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(last(a), last(b)))
	})
	return edits
}

// normalize is the line with the spacing between its fields as opsqa
// writes it: aligned columns written by hand are the same line.
func normalize(line string) string {
	p, _ := linePattern(line)
	return p + " " + strings.Join(strings.Fields(line[len(p):]), " ")
}

// linePattern returns the path pattern of a CODEOWNERS line: its first
// field, in which a backslash escapes the next character. Blank lines and
// comments have none.
func linePattern(line string) (string, bool) {
	line = strings.TrimLeft(line, " \t")
	if line == "" || line[0] == '#' {
		return "", false
	}
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case ' ', '\t':
			return line[:i], true
		}
	}
	return line, true
}

// findBlock returns the indexes of the marker lines, -1 and -1 when there
// are none.
func findBlock(lines []string) (begin, end int, err error) {
	begin, end = -1, -1
	for i, l := range lines {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, BeginMarker):
			if begin >= 0 {
				return 0, 0, &MarkerError{i + 1, fmt.Sprintf("a second %q (the first is on line %d): keep one generated block", BeginMarker, begin+1)}
			}
			begin = i
		case strings.HasPrefix(l, EndMarker):
			if begin < 0 || end >= 0 {
				return 0, 0, &MarkerError{i + 1, fmt.Sprintf("%q without a %q before it", EndMarker, BeginMarker)}
			}
			end = i
		}
	}
	if begin >= 0 && end < 0 {
		return 0, 0, &MarkerError{begin + 1, fmt.Sprintf("%q without a %q after it", BeginMarker, EndMarker)}
	}
	return begin, end, nil
}

// IsMarkerError reports whether err is a *MarkerError, and returns it.
func IsMarkerError(err error) (*MarkerError, bool) {
	var me *MarkerError
	ok := errors.As(err, &me)
	return me, ok
}

// splitLines splits content into lines without their "\n"; a final line
// ending adds no empty line.
func splitLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// apply writes the lines with the edits made, keeping the file's line
// endings (CRLF when its first line has one).
func apply(lines []string, edits []Edit) []byte {
	nl := "\n"
	if len(lines) > 0 && strings.HasSuffix(lines[0], "\r") {
		nl = "\r\n"
	}
	var b strings.Builder
	k := 0
	for i := 0; i <= len(lines); i++ {
		kept := i < len(lines)
		for ; k < len(edits) && edits[k].Line == i+1; k++ {
			switch e := edits[k]; e.Op {
			case Add:
				b.WriteString(e.New + nl)
			case Change:
				b.WriteString(e.New + nl)
				kept = false
			case Remove:
				kept = false
			}
		}
		if kept {
			b.WriteString(strings.TrimSuffix(lines[i], "\r") + nl)
		}
	}
	return []byte(b.String())
}

// Diff shows the edits as a unified diff without context lines, name
// being the file's path in the headers.
func (p *Plan) Diff(name string) string {
	if len(p.Edits) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s\n+++ %s (as opsqa codeowners writes it)\n", name, name)
	offset := 0 // lines added less lines removed before the hunk
	for i := 0; i < len(p.Edits); {
		// A hunk is a run of edits with no kept line between them.
		start, next := p.Edits[i].Line, p.Edits[i].Line
		var body strings.Builder
		olds, news := 0, 0
		for ; i < len(p.Edits) && p.Edits[i].Line == next; i++ {
			e := p.Edits[i]
			if e.Op != Add {
				body.WriteString("-" + e.Old + "\n")
				olds++
				next++
			}
			if e.Op != Remove {
				body.WriteString("+" + e.New + "\n")
				news++
			}
		}
		fmt.Fprintf(&b, "@@ -%s +%s @@\n%s", hunkRange(start, olds), hunkRange(start+offset, news), body.String())
		offset += news - olds
	}
	return b.String()
}

// hunkRange is a hunk header's range: an empty range names the line
// before it, as diff does.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
