package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/lint"
	"github.com/opsqa/opsqa/internal/report"
	"github.com/opsqa/opsqa/internal/scorecard"
	"github.com/opsqa/opsqa/internal/sitegen"
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
	f.StringVar(&opts.History, "history", scorecard.DefaultHistoryPath, "scorecard history file, appended on each build; \"\" to leave it alone")
	f.StringVar(&opts.BaseURL, "base-url", "", "site URL (default: site.base_url in opsqa.yaml)")
	return cmd
}

func buildRun(ctx context.Context, opts *buildOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	env := opts.env
	start := env.Now()
	in, err := loadSiteInputs(env, siteInputFlags{Root: opts.Root, AsOf: opts.AsOf, Snapshot: opts.Snapshot, History: opts.History})
	if err != nil {
		return err
	}
	if in.lintErrors > 0 && !opts.AllowLintErrors {
		fmt.Fprintf(env.ErrOut, "opsqa: %d lint errors; fix them or build with --allow-lint-errors\n", in.lintErrors)
		return errFindings
	}
	o := in.site
	o.Destination = opts.Destination
	o.BaseURL = opts.BaseURL
	o.Pagefind = sitegen.FindPagefind(o.RepoDir, opts.LookPath)
	own := env.Now().Sub(start)
	res, err := sitegen.Build(ctx, o, env.Now)
	if err != nil {
		return err
	}
	// Only a published site counts: a failed build records nothing.
	if in.historyFile != "" && o.Scorecards != nil {
		if err := scorecard.AppendHistory(in.historyFile, scorecard.Entry(o.Scorecards)); err != nil {
			return err
		}
	}
	total := env.Now().Sub(start)
	own += res.Prepare
	rel, err := filepath.Rel(env.Dir, res.Destination)
	if err != nil || len(rel) > len(res.Destination) {
		rel = res.Destination
	}
	if err := buildSummary(env.Out, in); err != nil {
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
	for _, w := range in.warnings {
		fmt.Fprintf(env.Out, "note: %s\n", w)
	}
	fmt.Fprintf(env.Out, "open %s or run 'opsqa serve'\n", filepath.Join(rel, "index.html"))
	return nil
}

// buildSummary says what went into the site: the lint result, the plan's
// targets and each scorecard's level.
func buildSummary(w io.Writer, in *siteInputs) error {
	o := in.site
	if l := o.Lint; l != nil {
		fmt.Fprintf(w, "lint: %d files checked, %d errors, %d warnings\n", l.Files, l.Errors, l.Warnings)
	}
	if o.Metrics != nil {
		if err := report.MetricsTargets(w, o.Metrics); err != nil {
			return fmt.Errorf("print summary: %w", err)
		}
	}
	if sc := o.Scorecards; sc != nil {
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

// siteInputFlags are the flags build and serve share.
type siteInputFlags struct {
	Root, AsOf, Snapshot, History string
}

// siteInputs is what the site is built from, and what the build should
// report about it.
type siteInputs struct {
	site       sitegen.Options
	lintErrors int
	warnings   []string
	// historyFile is where the scorecards are recorded once the site is
	// built; "" leaves the history alone.
	historyFile string
}

// loadSiteInputs runs lint, reads the snapshot, computes the KPIs over the
// six calendar months before the as-of time (as opsqa metrics does) and
// the scorecards, with their history so far and today's scores.
func loadSiteInputs(env *Env, f siteInputFlags) (*siteInputs, error) {
	root, err := repoRoot(env, f.Root)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		return nil, usageError("%v", err)
	}
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return nil, usageError("read timezone %q in %s: %v", cfg.Timezone, config.FileName, err)
	}
	// Review dates are judged against today (or --as-of); the KPIs
	// against the snapshot's time unless --as-of says otherwise.
	today := env.Now()
	if f.AsOf != "" {
		if today, err = parseAsOf(f.AsOf, loc); err != nil {
			return nil, err
		}
	}
	asOf := today
	out := &siteInputs{}
	lr, err := lint.Run(lint.Options{Root: root, Today: today})
	if err != nil {
		return nil, err
	}
	sum := &sitegen.LintSummary{Files: lr.Files}
	for _, d := range lr.Diagnostics {
		switch d.Severity {
		case diag.Error:
			sum.Errors++
		case diag.Warning:
			sum.Warnings++
		}
	}
	out.lintErrors = sum.Errors
	if sum.Errors > 0 {
		findings := &report.Findings{Diagnostics: lr.Diagnostics, Files: lr.Files, Rules: ruleInfos()}
		if err := report.Text(env.ErrOut, findings, report.TextOptions{Pretty: env.ErrIsTerminal}); err != nil {
			return nil, fmt.Errorf("print lint findings: %w", err)
		}
	}
	if lr.Repo != nil && lr.Repo.Config != nil {
		cfg = lr.Repo.Config
	}

	o := sitegen.Options{RepoDir: root, Config: cfg, AsOf: asOf, Lint: sum, Postmortems: map[int]string{}}
	pms, warnings := postmortems(lr.Repo.OfKind("postmortem"))
	out.warnings = append(out.warnings, warnings...)
	for _, pm := range pms {
		if _, ok := o.Postmortems[pm.Incident]; !ok {
			o.Postmortems[pm.Incident] = pm.Path
		}
	}
	src := scorecard.Sources{Config: cfg, Missing: map[scorecard.Source]string{}}
	if lr.Repo != nil {
		src.Docs, src.Alerts = lr.Repo.Docs(), lint.Alerts(lr.Repo)
	}
	snap, tls, ko, err := readSnapshot(env, cfg, loc, root, f.Snapshot, f.AsOf, "", "")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		why := fmt.Sprintf("no snapshot at %s: run 'opsqa incidents sync'", f.Snapshot)
		out.warnings = append(out.warnings, why+"; the site has no KPI figures")
		for _, s := range []scorecard.Source{scorecard.SourceKPI, scorecard.SourceTickets, scorecard.SourceTraining} {
			src.Missing[s] = why
		}
	case err != nil:
		return nil, err
	default:
		o.Snapshot = snap
		asOf, o.AsOf = ko.AsOf, ko.AsOf
		ko.Postmortems = pms
		tls, use := kpi.Complete(tls, ko)
		o.Metrics = kpi.ComputeTimelines(tls, snap.Tickets, ko, use)
		src.Metrics, src.Timelines, src.Snapshot = o.Metrics, tls, snap
		for _, r := range use.Rejected {
			out.warnings = append(out.warnings, fmt.Sprintf("postmortem %s left out of the KPIs for #%d: %s", r.Path, r.Incident, r.Reason))
		}
	}
	cards, err := scorecard.Evaluate(cfg, scorecard.Gather(src, asOf), asOf)
	if err != nil {
		out.warnings = append(out.warnings, fmt.Sprintf("no scorecards: %v", err))
	} else {
		o.Scorecards = cards
		o.History = []scorecard.HistoryEntry{scorecard.Entry(cards)}
		if f.History != "" {
			out.historyFile = f.History
			if !filepath.IsAbs(out.historyFile) {
				out.historyFile = filepath.Join(root, out.historyFile)
			}
			h, err := scorecard.ReadHistory(out.historyFile)
			if err != nil {
				return nil, err
			}
			o.History = scorecard.MergeHistory(h, scorecard.Entry(cards))
		}
	}
	out.site = o
	return out, nil
}
