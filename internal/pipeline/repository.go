package pipeline

import (
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
	return &loadedRepo{r: r}, nil
}

// config is opsqa.yaml as lint read it: the defaults where it does not
// decode.
func (r *loadedRepo) config() *config.Config { return r.r.Config }

// holds reports whether the slash-separated path is, or is a folder of, a
// file opsqa lints.
func (r *loadedRepo) holds(p string) bool { return r.r.Holds(p) }

// lint runs every rule, reporting on the files under paths (all when
// none).
func (r *loadedRepo) lint(paths []string, today time.Time) *LintResult {
	res := lint.Check(r.r, lint.Options{Root: r.r.Root, Paths: paths, Today: today})
	return &LintResult{Diagnostics: res.Diagnostics, Files: res.Files, repo: r}
}

func (r *loadedRepo) docs() []*document.Document        { return r.r.Docs() }
func (r *loadedRepo) postmortems() []*document.Document { return r.r.OfKind("postmortem") }

// alerts are the alerting rules that need a runbook, with their verdicts.
func (r *loadedRepo) alerts() []alerting.Alert { return alerting.Read(r.r).Counted() }

// under reports whether the slash-separated file is one of paths or lies
// under one of them.
func under(file string, paths []string) bool { return repository.InPaths(file, paths) }

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
