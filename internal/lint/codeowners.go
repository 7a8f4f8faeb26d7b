package lint

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/opsqa/opsqa/internal/codeowners"
	"github.com/opsqa/opsqa/internal/diag"
)

var codeownersRule = Rule{
	ID:      "codeowners",
	Summary: ".github/CODEOWNERS names each document's owner team, as opsqa codeowners writes it",
	Doc: `Branch protection asks the code owners of a changed file to review it, so
the team in a document's owner field reviews changes to it only when
.github/CODEOWNERS says so. opsqa codeowners writes a line per document
whose owner is a team with a github_team (opsqa.yaml teams), naming that
team and the codeowners.reviewers teams, into a block between the comments
"# opsqa: begin generated owners" and "# opsqa: end generated owners"; the
lines outside the block are the team's own and stay as they are (GitHub
applies the last line matching a file: lines after the block win over it).
opsqa.yaml is no document and gets no line: write its owners outside the
block. This rule reports each line of the block that differs from what
opsqa codeowners would write, a missing block and a missing file. It runs
when the whole repository is linted, not for some paths or with
--changed-since: its findings are in CODEOWNERS. Run opsqa codeowners and
commit the file.`,
	Severity: diag.Error,
	CheckRepository: func(p *Pass) {
		if !codeowners.Applies(p.Config) {
			p.CannotApply(nil, "no team in opsqa.yaml has a github_team")
			return
		}
		if !p.reports(codeowners.Path) {
			return // its findings would not be shown
		}
		const fix = "run opsqa codeowners"
		entries := codeowners.Generate(p.Config, p.Repo.Docs())
		at := func(line int) diag.Position {
			return diag.Position{File: codeowners.Path, Line: line, Column: min(line, 1)}
		}
		src, err := p.Repo.ReadFile(codeowners.Path, codeowners.MaxSize, "CODEOWNERS")
		switch {
		case errors.Is(err, fs.ErrNotExist):
			p.Report(at(0), fix, "no %s: %d %s owned by teams with a github_team", codeowners.Path, len(entries), plural(len(entries), "document is", "documents are"))
			return
		case err != nil:
			p.Report(at(1), "make it a regular file of the repository, readable and within GitHub's size limit", "cannot read %s: %v", codeowners.Path, unwrapPathError(err))
			return
		}
		plan, err := codeowners.Compare(src, entries)
		if me, ok := codeowners.IsMarkerError(err); ok {
			p.Report(at(me.Line), "keep one "+codeowners.BeginMarker+" line and one "+codeowners.EndMarker+" line after it around the generated lines, then "+fix, "%s", me.Msg)
			return
		}
		if plan.NoBlock {
			last := strings.Count(strings.TrimSuffix(string(src), "\n"), "\n") + 1
			if len(src) == 0 {
				last = 0
			}
			p.Report(at(last), fix, "no generated owners (a block between %q and %q): %d %s owned by teams with a github_team", codeowners.BeginMarker, codeowners.EndMarker, len(entries), plural(len(entries), "document is", "documents are"))
			return
		}
		for _, e := range plan.Edits {
			switch e.Op {
			case codeowners.Add:
				p.Report(at(e.Line), fix, "missing %q: %s is owned by team %s", e.New, e.Entry.Path, e.Entry.Team)
			case codeowners.Change:
				p.Report(at(e.Line), fix, "%q should be %q: %s is owned by team %s", e.Old, e.New, e.Entry.Path, e.Entry.Team)
			case codeowners.Remove:
				why := "no document there is owned by a team with a github_team"
				if e.Entry != nil {
					why = "a second line for " + e.Entry.Path
				} else if t := strings.TrimSpace(e.Old); t == "" || strings.HasPrefix(t, "#") {
					why = "the block holds only generated lines; write your own outside it"
				}
				p.Report(at(e.Line), fix, "%q is not a generated line: %s", e.Old, why)
			}
		}
	},
}
