package pipeline

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/alerting"
	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/lint"
	"github.com/opsqa/opsqa/internal/repository"
)

// This file is the one place the pipeline uses the lint and repository
// packages: what the rest of it needs of them is the small set below.

// loadedRepo is a loaded knowledge repository, its documents parsed on
// first use.
type loadedRepo struct {
	r *repository.Repository
}

func loadRepository(root string) (*loadedRepo, error) {
	r, err := repository.Load(root)
	if err != nil {
		return nil, err
	}
	if err := checkConfigPaths(r); err != nil {
		return nil, err
	}
	if err := checkCollections(r); err != nil {
		return nil, err
	}
	return &loadedRepo{r: r}, nil
}

// checkConfigPaths refuses an opsqa.yaml whose paths lead out of the
// repository or whose ids are not safe in a file name: every command
// would read, or the site write, outside where it should, so none runs.
// Each problem is given at its place in the file.
func checkConfigPaths(r *repository.Repository) error {
	ps := r.Config.CheckPaths()
	if len(ps) == 0 {
		return nil
	}
	ds := make([]diag.Diagnostic, len(ps))
	for i, p := range ps {
		ds[i] = diag.Diagnostic{Pos: diag.Position{File: config.FileName}, Message: p.Message}
		if r.ConfigDoc != nil && r.ConfigDoc.FrontMatter != nil {
			ds[i].Pos = r.ConfigDoc.PosAt(p.Key...)
		}
	}
	diag.Sort(ds)
	var lines []string
	for _, d := range ds {
		lines = append(lines, fmt.Sprintf("%s: %s", d.Pos, d.Message))
	}
	return configErrorf("%s", strings.Join(lines, "\n"))
}

// checkSomethingToLint refuses a folder with no document to lint and no
// collections named in opsqa.yaml (no opsqa.yaml, or an empty one, and
// nothing in the default folders): "0 files checked" would pass it.
func (r *loadedRepo) checkSomethingToLint() error {
	if r.r.DocumentFiles() > 0 || r.r.Config.CollectionsGiven {
		return nil
	}
	for _, d := range r.r.LoadFindings() {
		if d.Pos.File == config.FileName {
			return nil // an opsqa.yaml that cannot be read or decoded: lint says why
		}
	}
	var folders []string
	for _, c := range r.r.Config.Collections {
		folders = append(folders, c.Path)
	}
	what := "no " + config.FileName
	if r.r.ConfigDoc != nil {
		what = "an " + config.FileName + " that names no collections"
	}
	return configErrorf("%s has %s and no documents in the default folders (%s): write %s with collections naming your runbook folders, or pass --root",
		r.r.Root, what, strings.Join(folders, ", "), config.FileName)
}

// checkCollections refuses collections that opsqa.yaml names but that
// cannot be what its authors meant: a folder that does not exist, or one
// without a Markdown file. Either would lint green over documents never
// looked at. The default collections may be missing: a repository uses
// the kinds it needs.
func checkCollections(r *repository.Repository) error {
	if !r.Config.CollectionsGiven || r.ConfigDoc == nil {
		return nil
	}
	for i, c := range r.Config.Collections {
		pos := r.ConfigDoc.PosAt("collections", i, "path")
		info, err := os.Stat(filepath.Join(r.Root, filepath.FromSlash(c.Path)))
		switch {
		case err != nil || !info.IsDir():
			return configErrorf("%s: the folder %s of the %s collection does not exist: fix its path, or remove the collection", pos, c.Path, c.Kind)
		case !slices.ContainsFunc(r.Files, func(f string) bool {
			return strings.EqualFold(path.Ext(f), ".md") && repository.InPaths(f, []string{c.Path})
		}):
			return configErrorf("%s: the %s collection holds no .md file under %s (files ignored by lint.ignore do not count): fix its path, or remove the collection", pos, c.Kind, c.Path)
		}
	}
	return nil
}

// config is opsqa.yaml as lint read it: the defaults where it does not
// decode.
func (r *loadedRepo) config() *config.Config { return r.r.Config }

// holds reports whether the slash-separated path is, or is a folder of, a
// file opsqa lints.
func (r *loadedRepo) holds(p string) bool { return r.r.Holds(p) }

// lint runs every rule, reporting on the files under paths (all when
// none); base is the Git revision documents are compared with, if any.
func (r *loadedRepo) lint(paths []string, today time.Time, base string) *LintResult {
	res := lint.Check(r.r, lint.Options{Root: r.r.Root, Paths: paths, Today: today, Base: base})
	return &LintResult{Diagnostics: res.Diagnostics, Files: res.Files, Unchecked: res.Unchecked, repo: r}
}

func (r *loadedRepo) docs() []*document.Document        { return r.r.Docs() }
func (r *loadedRepo) postmortems() []*document.Document { return r.r.OfKind("postmortem") }

// alerts are the alerting rules that need a runbook, with their verdicts.
func (r *loadedRepo) alerts() []alerting.Alert { return alerting.Read(r.r).Counted() }

func rules() []Rule {
	var out []Rule
	for _, r := range lint.Rules() {
		out = append(out, Rule{ID: r.ID, Summary: r.Summary, Doc: r.Doc, Severity: r.Severity, Kinds: r.Kinds})
	}
	return out
}

type baseline struct{ b *lint.Baseline }

func readBaseline(path string) (*baseline, error) {
	b, err := lint.ReadBaseline(path)
	if err != nil {
		return nil, err
	}
	return &baseline{b: b}, nil
}

func (b *baseline) filter(ds []diag.Diagnostic) ([]diag.Diagnostic, int) { return b.b.Filter(ds) }

func writeBaseline(path string, ds []diag.Diagnostic) error {
	return lint.WriteBaseline(path, lint.NewBaseline(ds))
}
