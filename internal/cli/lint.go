package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/pipeline"
	"github.com/opsqa/opsqa/internal/report"
)

type lintOptions struct {
	env           *Env
	Root          string
	Paths         []string
	Format        string
	ChangedSince  string
	Baseline      string
	WriteBaseline string
	Today         string
}

func newLintCmd(env *Env, runF func(*lintOptions) error) *cobra.Command {
	opts := &lintOptions{env: env}
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check documents against their schemas and the rules",
		Long: `Check runbooks, processes, postmortems, curricula, modules, quizzes,
opsqa.yaml and the Prometheus rule files it names: front matter against the
JSON Schemas, required sections, links, references, quizzes, RACI tables,
alert coverage, review dates and shell snippets. Every finding has
file:line:col, a severity, a rule ID and a fix.

With no PATH the whole repository is checked. PATHs (files or folders) and
--changed-since limit what is checked and reported; the files their links
and references lead to are read too, because those cross files. With
--changed-since, a process standard that changed since the revision must
have a higher version than it had there (rule process-version).

Output: text (grouped and coloured on a terminal, one line per finding
otherwise), json, github (annotations, chosen automatically when
GITHUB_ACTIONS=true, plus a job summary in $GITHUB_STEP_SUMMARY), sarif.

Exit status: 0 no errors, 1 findings at error level, 2 usage or
configuration error, 3 could not run.`,
		Example: `  opsqa lint
  opsqa lint content/runbooks/postgres-disk-space.md
  opsqa lint --changed-since origin/main --format github
  opsqa lint --format sarif > opsqa.sarif
  opsqa lint --write-baseline .opsqa-baseline.json   # adopt on an existing repository
  opsqa lint --baseline .opsqa-baseline.json         # then fail only on new findings`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Paths = args
			if runF != nil {
				return runF(opts)
			}
			return lintRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Root, "root", "", "repository root (default: the nearest folder up with opsqa.yaml)")
	f.StringVar(&opts.Format, "format", "", "output format: text, json, github, sarif (default text, or github in GitHub Actions)")
	f.StringVar(&opts.ChangedSince, "changed-since", "", "report only files changed since this Git revision")
	f.StringVar(&opts.Baseline, "baseline", "", "ignore findings recorded in this baseline file")
	f.StringVar(&opts.WriteBaseline, "write-baseline", "", "record the current findings in this file and exit 0")
	f.StringVar(&opts.Today, "today", "", "date to measure review intervals against, YYYY-MM-DD (default: today)")
	return cmd
}

func lintRun(opts *lintOptions) error {
	env := opts.env
	root, err := repoRoot(env, opts.Root)
	if err != nil {
		return err
	}
	today, err := dateFlag(env, "today", opts.Today)
	if err != nil {
		return err
	}
	format := opts.Format
	if format == "" {
		format = "text"
		if env.Getenv("GITHUB_ACTIONS") == "true" {
			format = "github"
		}
	}
	switch format {
	case "text", "json", "github", "sarif":
	default:
		return usageError("unknown --format %q: use text, json, github or sarif", format)
	}
	paths, err := relPaths(env, root, opts.Paths)
	if err != nil {
		return err
	}
	// Linting makes mostly short-lived parser garbage around a small live
	// heap. Collecting twice as often keeps the process about a third
	// smaller and, touching fewer fresh pages, no slower (BENCHMARKS.md).
	// A GOGC the user set wins.
	if env.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(50))
	}
	lo := pipeline.LintOptions{Root: root, Paths: paths, ChangedSince: opts.ChangedSince, Today: today}
	if opts.WriteBaseline == "" {
		lo.Baseline = opts.Baseline
	}
	res, err := pipeline.Lint(lo)
	if err != nil {
		return pipelineError(err)
	}
	if res.NothingChanged {
		fmt.Fprintf(env.ErrOut, "opsqa: no file opsqa lints changed since %s: nothing to check\n", opts.ChangedSince)
	}
	if opts.WriteBaseline != "" {
		if err := pipeline.WriteBaseline(opts.WriteBaseline, res.Diagnostics); err != nil {
			return err
		}
		fmt.Fprintf(env.ErrOut, "recorded %d findings in %s\n", len(res.Diagnostics), opts.WriteBaseline)
		return nil
	}
	findings := &report.Findings{Diagnostics: res.Diagnostics, Files: res.Files, Baselined: res.Baselined, Unchecked: res.Unchecked, Rules: ruleInfos()}
	switch format {
	case "text":
		err = report.Text(env.Out, findings, report.TextOptions{Pretty: env.colorEnabled()})
	case "json":
		err = report.JSON(env.Out, findings)
	case "sarif":
		err = report.SARIF(env.Out, findings, Version)
	case "github":
		err = report.GitHub(env.Out, findings)
		if err == nil {
			err = appendStepSummary(env, func(w io.Writer) error { return report.Summary(w, findings) })
		}
	}
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	// A configuration that does not parse or fails its schema puts every
	// other finding in doubt: that is a configuration error (exit 2), not
	// a finding among others.
	if n := res.ConfigErrors(); n > 0 {
		return &exitError{code: ExitUsage, err: fmt.Errorf("%s has %d %s: fix the configuration first", config.FileName, n, plural(n, "error", "errors"))}
	}
	if errs, _, _ := findings.Counts(); errs > 0 {
		return errFindings
	}
	return nil
}

func ruleInfos() []report.RuleInfo {
	var out []report.RuleInfo
	for _, r := range pipeline.Rules() {
		out = append(out, report.RuleInfo{ID: r.ID, Summary: r.Summary, Doc: r.Doc, Severity: r.Severity})
	}
	return out
}

// repoRoot is --root, or the nearest folder from the working directory up
// that holds opsqa.yaml, or the working directory.
func repoRoot(env *Env, flag string) (string, error) {
	if flag != "" {
		dir := flag
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(env.Dir, dir)
		}
		if info, err := os.Stat(dir); err != nil || !info.IsDir() {
			return "", usageError("--root %s is not a folder", flag)
		}
		return dir, nil
	}
	for dir := env.Dir; ; {
		if _, err := os.Stat(filepath.Join(dir, config.FileName)); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return env.Dir, nil
		}
		dir = parent
	}
}

// relPaths makes command-line paths relative to the repository root.
func relPaths(env *Env, root string, args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		p := a
		if !filepath.IsAbs(p) {
			p = filepath.Join(env.Dir, p)
		}
		if _, err := os.Stat(p); err != nil {
			return nil, usageError("cannot lint %s: %v", a, unwrapPathError(err))
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || strings.HasPrefix(rel, "..") {
			return nil, usageError("%s is outside the repository %s", a, root)
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out, nil
}

// dateFlag parses a YYYY-MM-DD flag, defaulting to today in UTC.
func dateFlag(env *Env, name, value string) (time.Time, error) {
	if value == "" {
		now := env.Now().UTC()
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, value)
	if err != nil {
		return time.Time{}, usageError("--%s %q is not a date (YYYY-MM-DD)", name, value)
	}
	return t, nil
}

// appendStepSummary adds Markdown to the GitHub Actions job summary when
// the runner provides one.
func appendStepSummary(env *Env, write func(io.Writer) error) error {
	path := env.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open job summary: %w", err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write job summary: %w", err)
	}
	return f.Close()
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
