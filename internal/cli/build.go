package cli

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/pipeline"
	"github.com/opsqa/opsqa/internal/report"
)

type buildOptions struct {
	env             *Env
	Root            string
	Destination     string
	AllowLintErrors bool
	AsOf            string
	Snapshot        string
	History         string
	BaseURL         string
	// LookPath finds Pagefind on PATH; tests replace it.
	LookPath func(string) (string, error)
}

func newBuildCmd(env *Env, runF func(*buildOptions) error) *cobra.Command {
	opts := &buildOptions{env: env, LookPath: exec.LookPath}
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build the knowledge site into public/",
		Long: `Build lints the repository, computes the KPIs and the scorecards, and
builds the knowledge site with the Hugo embedded in opsqa: a dashboard of the
plan's targets, scorecards per service and team, runbooks, processes with
their RACI tables, postmortems, incidents, training with quizzes taken in the
browser, and search.

Lint errors stop the build (exit 1) unless --allow-lint-errors is given.
Without a ticket snapshot the site is built without KPI figures and says so.

Search needs Pagefind: run 'npm ci' at the repository root (package.json pins
it) or put pagefind on PATH. Without it the build still succeeds and the
search page explains what is missing.

Each build records the scorecards in the history file, de-duplicated per day,
so trends outlive the snapshot.

The site is built beside the destination and swapped in at the end: a failed
build leaves the previous site whole.`,
		Example: `  opsqa build                                  # into public/
  opsqa build --destination /tmp/site --as-of 2026-11-01
  opsqa build --allow-lint-errors              # publish despite lint errors`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return buildRun(c.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Root, "root", "", "repository root (default: the folder holding opsqa.yaml, searched upwards)")
	f.StringVar(&opts.Destination, "destination", "public", "folder to write the site to, relative to the root")
	f.BoolVar(&opts.AllowLintErrors, "allow-lint-errors", false, "build even when lint reports errors")
	f.StringVar(&opts.AsOf, "as-of", "", "\"now\", RFC 3339 or YYYY-MM-DD (default: today for review dates, the snapshot's time for the KPIs)")
	f.StringVar(&opts.Snapshot, "snapshot", "data/snapshot.jsonl", "ticket snapshot written by 'opsqa incidents sync'")
	f.StringVar(&opts.History, "history", "", "scorecard history file, appended on each build (default: scorecard.history in opsqa.yaml; none when unset)")
	f.StringVar(&opts.BaseURL, "base-url", "", "site URL (default: site.base_url in opsqa.yaml)")
	return cmd
}

func buildRun(ctx context.Context, opts *buildOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	env := opts.env
	start := env.Now()
	site, err := loadSite(env, siteFlags{Root: opts.Root, AsOf: opts.AsOf, Snapshot: opts.Snapshot, History: opts.History})
	if err != nil {
		return err
	}
	if n := site.Lint.Errors(); n > 0 && !opts.AllowLintErrors {
		fmt.Fprintf(env.ErrOut, "opsqa: %d lint errors; fix them or build with --allow-lint-errors\n", n)
		return errFindings
	}
	own := env.Now().Sub(start)
	res, err := pipeline.Build(ctx, site, pipeline.BuildOptions{Destination: opts.Destination, BaseURL: opts.BaseURL, LookPath: opts.LookPath, Now: env.Now})
	if err != nil {
		return err
	}
	total := env.Now().Sub(start)
	own += res.Prepare
	rel, err := filepath.Rel(env.Dir, res.Destination)
	if err != nil || len(rel) > len(res.Destination) {
		rel = res.Destination
	}
	if err := buildSummary(env.Out, site); err != nil {
		return err
	}
	fmt.Fprintf(env.Out, "built %d pages in %s (opsqa %s, hugo %s", res.Pages, secs(total), secs(own), secs(res.Hugo))
	if res.Search {
		fmt.Fprintf(env.Out, ", search index %s", secs(res.Pagefind))
	}
	fmt.Fprintf(env.Out, ", publish %s)\n", secs(res.Publish))
	if !res.Search {
		fmt.Fprintln(env.Out, "search: off, Pagefind not found (run 'npm ci' at the repository root)")
	}
	for _, w := range site.Warnings {
		fmt.Fprintf(env.Out, "note: %s\n", w)
	}
	fmt.Fprintf(env.Out, "open %s or run 'opsqa serve'\n", filepath.Join(rel, "index.html"))
	return nil
}

// buildSummary says what went into the site: the lint result, the plan's
// targets and each scorecard's level.
func buildSummary(w io.Writer, s *pipeline.Site) error {
	l := s.Lint
	errs, warns := l.Errors(), l.Warnings()
	fmt.Fprintf(w, "lint: %d files checked, %d errors, %d warnings\n", l.Files, errs, warns)
	if s.Metrics != nil {
		if err := report.MetricsTargets(w, s.Metrics); err != nil {
			return fmt.Errorf("print summary: %w", err)
		}
	}
	if sc := s.Scorecards; sc != nil {
		var cards []string
		for _, c := range sc.Services {
			level := c.Level
			if level == "" {
				level = "no level"
			}
			cards = append(cards, c.ID+" "+level)
		}
		fmt.Fprintf(w, "scorecards: %s\n", strings.Join(cards, ", "))
	}
	return nil
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }

// siteFlags are the flags build and serve share.
type siteFlags struct {
	Root, AsOf, Snapshot, History string
}

// loadSite computes what the site is built from; lint errors are printed
// on stderr as soon as lint has run, so they show even when a later step
// fails.
func loadSite(env *Env, f siteFlags) (*pipeline.Site, error) {
	root, err := repoRoot(env, f.Root)
	if err != nil {
		return nil, err
	}
	site, err := pipeline.LoadSite(pipeline.SiteOptions{Root: root, AsOf: f.AsOf, Snapshot: f.Snapshot, History: f.History, Now: env.Now,
		Linted: func(lr *pipeline.LintResult) error {
			if lr.Errors() == 0 {
				return nil
			}
			findings := &report.Findings{Diagnostics: lr.Diagnostics, Files: lr.Files, Rules: ruleInfos()}
			if err := report.Text(env.ErrOut, findings, report.TextOptions{Pretty: env.ErrIsTerminal}); err != nil {
				return fmt.Errorf("print lint findings: %w", err)
			}
			return nil
		}})
	if err != nil {
		return nil, pipelineError(err)
	}
	return site, nil
}
