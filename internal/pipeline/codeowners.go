package pipeline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"

	"github.com/opsqa/opsqa/internal/atomicfile"
	"github.com/opsqa/opsqa/internal/codeowners"
	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/safefile"
)

// CodeownersResult is what writing or checking CODEOWNERS found.
type CodeownersResult struct {
	// Path is the file, slash-separated, relative to the root.
	Path string
	// Documents is how many documents have a generated line.
	Documents int
	// Changes is how many lines are added, removed or changed; none means
	// the file was up to date.
	Changes int
	// Diff shows the changes as a unified diff, "" when there are none.
	Diff string
	// Written is true when the file was written.
	Written bool
	// Unowned are the teams that own documents but have no github_team,
	// with how many documents each: those documents get no line.
	Unowned []TeamCount
}

// TeamCount is a team and a number of its documents.
type TeamCount struct {
	Team      string
	Documents int
}

// Codeowners brings the generated block of .github/CODEOWNERS up to date
// with the documents' owners, written atomically; with check it writes
// nothing. No team with a github_team, and a block whose markers do not
// pair up, are *ConfigErrors.
func Codeowners(root string, check bool) (*CodeownersResult, error) {
	repo, err := loadRepository(root)
	if err != nil {
		return nil, err
	}
	cfg := repo.config()
	if !codeowners.Applies(cfg) {
		return nil, configErrorf("no team in %s has a github_team: give the teams whose documents need their review one, such as github_team: \"@org/team-slug\"", config.FileName)
	}
	docs := repo.docs()
	entries := codeowners.Generate(cfg, docs)
	res := &CodeownersResult{Path: codeowners.Path, Documents: len(entries)}
	for _, d := range docs {
		t, ok := cfg.Team(d.String("owner"))
		if !ok || t.GitHubTeam != "" {
			continue
		}
		if i := slices.IndexFunc(res.Unowned, func(c TeamCount) bool { return c.Team == t.ID }); i >= 0 {
			res.Unowned[i].Documents++
		} else {
			res.Unowned = append(res.Unowned, TeamCount{Team: t.ID, Documents: 1})
		}
	}
	file := filepath.Join(root, filepath.FromSlash(codeowners.Path))
	current, err := safefile.ReadFile(file, codeowners.MaxSize, "CODEOWNERS")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read %s: %w", codeowners.Path, err)
	}
	plan, err := codeowners.Compare(current, entries)
	if me, ok := codeowners.IsMarkerError(err); ok {
		return nil, configErrorf("%s:%d: %s: fix the markers, so that opsqa can tell its lines from yours", codeowners.Path, me.Line, me.Msg)
	}
	if err != nil {
		return nil, err
	}
	res.Changes, res.Diff = len(plan.Edits), plan.Diff(codeowners.Path)
	if check || res.Changes == 0 {
		return res, nil
	}
	if err := atomicfile.Write(file, func(w io.Writer) error {
		_, err := w.Write(plan.File)
		return err
	}); err != nil {
		return nil, err
	}
	res.Written = true
	return res, nil
}
