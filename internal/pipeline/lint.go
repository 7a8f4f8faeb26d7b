package pipeline

import (
	"bytes"
	"os/exec"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/repository"
)

// LintOptions says what to lint.
type LintOptions struct {
	// Root is the repository root on disk.
	Root string
	// Paths limit the findings to these files and folders, slash-separated
	// and relative to Root; none means the whole repository. Each must
	// hold a file opsqa lints. The whole repository is still read: links
	// and references cross files.
	Paths []string
	// ChangedSince, when set, is a Git revision: only the files changed
	// since, committed or not, that lie under Paths are linted, and each
	// changed process standard is compared with its text there.
	ChangedSince string
	// Baseline, when set, is a baseline file whose findings are left out.
	Baseline string
	// Today is the date review intervals are measured against.
	Today time.Time
}

// LintResult is a finished lint run.
type LintResult struct {
	// Diagnostics are the findings, sorted by position.
	Diagnostics []diag.Diagnostic
	// Files is how many files were checked.
	Files int
	// Baselined is how many findings the baseline left out.
	Baselined int
	// Unchecked are the checks that could not apply, and why.
	Unchecked []diag.Unchecked
	// NothingChanged is true when ChangedSince left no file to lint:
	// nothing was checked.
	NothingChanged bool
	repo           *loadedRepo
}

// ConfigErrors counts the error-level findings in opsqa.yaml: a
// configuration that does not parse or fails its schema, under which
// every other finding is in doubt.
func (r *LintResult) ConfigErrors() int {
	n := 0
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Error && d.Pos.File == config.FileName {
			n++
		}
	}
	return n
}

// Lint checks the repository. The paths are validated first; then, with
// ChangedSince, the changed files under them are linted, and when none is
// left the result is empty with NothingChanged set. A path holding
// nothing to lint, an unreadable baseline or an unknown revision is a
// *ConfigError; any other error means lint could not run.
func Lint(o LintOptions) (*LintResult, error) {
	repo, err := loadRepository(o.Root)
	if err != nil {
		return nil, err
	}
	// A path named that holds nothing is the more precise complaint.
	if err := checkPathsLinted(repo, o.Paths); err != nil {
		return nil, err
	}
	if err := repo.checkSomethingToLint(); err != nil {
		return nil, err
	}
	var baseline *baseline
	if o.Baseline != "" {
		if baseline, err = readBaseline(o.Baseline); err != nil {
			return nil, &ConfigError{Err: err}
		}
	}
	paths := o.Paths
	if o.ChangedSince != "" {
		changed, err := changedFiles(o.Root, o.ChangedSince)
		if err != nil {
			return nil, err
		}
		paths = nil
		asked := repository.NewPathSet(o.Paths)
		for _, f := range changed {
			if repo.holds(f) && asked.Holds(f) {
				paths = append(paths, f)
			}
		}
		if len(paths) == 0 {
			return &LintResult{NothingChanged: true, repo: repo}, nil
		}
	}
	res := repo.lint(paths, o.Today, o.ChangedSince)
	if baseline != nil {
		res.Diagnostics, res.Baselined = baseline.filter(res.Diagnostics)
	}
	return res, nil
}

// checkPathsLinted refuses a path that holds nothing opsqa lints: saying
// "0 files checked" would pass a file that was never looked at.
func checkPathsLinted(repo *loadedRepo, paths []string) error {
	for _, p := range paths {
		if !repo.holds(p) {
			var folders []string
			for _, c := range repo.config().Collections {
				folders = append(folders, c.Path)
			}
			return configErrorf("%s holds no file opsqa lints: those are the .md files under %s, %s, and the alert rule files of its alert_rules", p, strings.Join(folders, ", "), config.FileName)
		}
	}
	return nil
}

// changedFiles lists the files changed since rev, committed or not,
// relative to root (which may be a folder inside the Git work tree).
func changedFiles(root, rev string) ([]string, error) {
	cmd := exec.Command("git", "diff", "--name-only", "--relative", "--diff-filter=ACMR", rev, "--")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, configErrorf("list files changed since %s: %v: %s", rev, err, strings.TrimSpace(stderr.String()))
	}
	var files []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			files = append(files, l)
		}
	}
	return files, nil
}

// WriteBaseline records the findings in a baseline file at path, for
// LintOptions.Baseline to leave out later.
func WriteBaseline(path string, ds []diag.Diagnostic) error {
	return writeBaseline(path, ds)
}

// Rule is the documentation of a lint rule.
type Rule struct {
	ID string
	// Summary is one line: what the rule checks.
	Summary string
	// Doc explains why the rule exists and how to fix what it finds.
	Doc string
	// Severity is the default; opsqa.yaml lint.rules may change it.
	Severity diag.Severity
	// Kinds are the document kinds the rule applies to; none means all.
	Kinds []string
}

// Rules returns every lint rule, in the registry's order.
func Rules() []Rule { return rules() }

// Errors counts the findings at error level.
func (r *LintResult) Errors() int { return r.count(diag.Error) }

// Warnings counts the findings at warning level.
func (r *LintResult) Warnings() int { return r.count(diag.Warning) }

func (r *LintResult) count(s diag.Severity) int {
	n := 0
	for _, d := range r.Diagnostics {
		if d.Severity == s {
			n++
		}
	}
	return n
}
