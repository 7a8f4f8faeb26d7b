package pipeline

import (
	"cmp"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/adopt"
	"github.com/opsqa/opsqa/internal/atomicfile"
	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/starter"
)

// InitOptions says where to start opsqa and how.
type InitOptions struct {
	// Dir is the folder: empty, or a repository to adopt.
	Dir string
	// Starter writes the starter repository even where the folder holds
	// documents already; files that exist are kept.
	Starter bool
	// Force lets init replace an opsqa.yaml (and, with Starter, any
	// starter file) that exists.
	Force bool
	// Baseline, when set, is a file (relative to Dir) to record the
	// findings of the first lint in, so that only new findings fail.
	Baseline string
	// Today is the date of the starter's reviews and of the first lint.
	Today time.Time
	// ActionRef is how the starter's workflows pin the opsqa action
	// (version.Info.ActionRef).
	ActionRef string
}

// InitResult is what init did.
type InitResult struct {
	// Proposal is what the survey found and chose; nil for the starter.
	Proposal *adopt.Proposal
	// Written and Kept are the files written and those left as they were,
	// slash-separated and relative to Dir.
	Written, Kept []string
	// Lint is the first lint under the new configuration.
	Lint *LintResult
	// Baselined is how many findings the baseline records.
	Baselined int
}

// Init writes an opsqa.yaml for the folder: the starter repository when
// the folder holds no documents yet (or Starter says so), otherwise the
// configuration a survey of its runbooks, templates, front matter and
// alert rules proposes. It then lints the folder under it and, when asked,
// records the findings as a baseline. It never replaces a file without
// Force; refusing is a *ConfigError.
func Init(o InitOptions) (*InitResult, error) {
	cfgPath := filepath.Join(o.Dir, config.FileName)
	if _, err := os.Stat(cfgPath); err == nil && !o.Force {
		return nil, configErrorf("%s exists: opsqa is set up here already; pass --force to replace it with a new one", config.FileName)
	}
	res := &InitResult{}
	if o.Starter || !holdsDocuments(o.Dir) {
		if err := res.writeStarter(o); err != nil {
			return nil, err
		}
	} else {
		p, err := adopt.Survey(o.Dir)
		if err != nil {
			return nil, err
		}
		if len(p.Collections) == 0 {
			return nil, configErrorf("found no runbooks here: no folder is named runbooks and no folder's files have runbook sections (Symptoms, Diagnosis, Mitigation …). Name your folders in %s's collections, or pass --starter to write a starter repository beside what is here", config.FileName)
		}
		if err := writeNew(cfgPath, p.YAML()); err != nil {
			return nil, err
		}
		res.Proposal, res.Written = p, []string{config.FileName}
	}
	lint, err := Lint(LintOptions{Root: o.Dir, Today: o.Today})
	if err != nil {
		return res, err
	}
	res.Lint = lint
	if o.Baseline != "" {
		if err := WriteBaseline(filepath.Join(o.Dir, filepath.FromSlash(o.Baseline)), lint.Diagnostics); err != nil {
			return res, err
		}
		res.Baselined = len(lint.Diagnostics)
	}
	return res, nil
}

// holdsDocuments reports whether the folder holds Markdown besides a
// README, LICENSE or CHANGELOG at its top, the files a new repository
// starts with.
func holdsDocuments(dir string) bool {
	found := errors.New("found")
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.EqualFold(filepath.Ext(p), ".md") {
			return nil
		}
		top := filepath.Dir(p) == filepath.Clean(dir)
		switch stem := strings.ToUpper(strings.TrimSuffix(d.Name(), filepath.Ext(p))); {
		case top && (stem == "README" || stem == "LICENSE" || stem == "CHANGELOG" || stem == "CONTRIBUTING"):
			return nil
		}
		return found
	})
	return errors.Is(err, found)
}

func (r *InitResult) writeStarter(o InitOptions) error {
	org := filepath.Base(must(filepath.Abs(o.Dir)))
	files, err := starter.Files(starter.Params{Organisation: org, Today: o.Today.Format(time.DateOnly), ActionRef: cmp.Or(o.ActionRef, "main")})
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		full := filepath.Join(o.Dir, filepath.FromSlash(name))
		// opsqa.yaml was checked above; a team's own README is never
		// replaced, whatever Force says.
		_, err := os.Stat(full)
		if exists := err == nil; exists && name != config.FileName && (!o.Force || name == "README.md") {
			r.Kept = append(r.Kept, name)
			continue
		}
		if err := writeNew(full, files[name]); err != nil {
			return err
		}
		r.Written = append(r.Written, path.Clean(name))
	}
	return nil
}

// writeNew writes data to path in one piece: a reader never sees half of it.
func writeNew(path string, data []byte) error {
	return atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}

func must[T any](v T, _ error) T { return v }
