package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/pipeline"
	"github.com/opsqa/opsqa/internal/report"
)

type metricsOptions struct {
	env      *Env
	Root     string
	Snapshot string
	From     string
	To       string
	AsOf     string
	Format   string
	Check    bool
}

func newMetricsCmd(env *Env, runF func(*metricsOptions) error) *cobra.Command {
	opts := &metricsOptions{env: env}
	cmd := &cobra.Command{
		Use:   "metrics",
		Short: "Compute the service-quality KPIs against the plan's targets",
		Long: `Compute the service-quality KPIs from the ticket snapshot that
'opsqa incidents sync' writes, completed by the postmortems' milestones, and
compare them with the targets in opsqa.yaml:

  MTTR                 mean of resolved − impact started over incidents
                       resolved in the period (target: kpi.mttr_target_seconds)
  resolved within 24 h share of incidents and problems opened in the period
                       resolved within 24 h after their first response
                       (target: kpi.resolved_within_target_ratio)
  first response       first response − created, against the per-severity
                       targets; unanswered tickets are counted, never dropped
  resolution rate      resolved / opened in the period
  satisfaction         feedback ratings 1–5

with breakdowns by severity, service, team, first responder and month, the
open tickets past their 24 h deadline and the services missing a target.
Every figure states its n; groups of fewer than five are flagged.

The period is [--from, --to]: --to defaults to the as-of time, --from to
midnight six calendar months before --to (so --as-of 2026-11-01 covers
2026-05-01 … 2026-10-31). Dates are read in opsqa.yaml's timezone and --to
includes the whole day. --as-of fixes "now" (default: when the snapshot was
taken), so the same snapshot always gives the same figures; nothing after it
is seen.

Output: text, json (schemas/metrics.schema.json) or markdown (for a job
summary or an issue comment). With --check the exit status is 1 when the
MTTR or the 24 h target is missed.`,
		Example: `  opsqa metrics
  opsqa metrics --from 2026-09-01 --to 2026-10-31
  opsqa metrics --as-of 2026-08-01 --format json > kpis.json
  opsqa metrics --format markdown >> "$GITHUB_STEP_SUMMARY"
  opsqa metrics --check   # exit 1 when a target is missed`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return metricsRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Root, "root", "", "repository root (default: the nearest folder up with opsqa.yaml)")
	f.StringVar(&opts.Snapshot, "snapshot", "data/snapshot.jsonl", "ticket snapshot, relative to the repository root")
	f.StringVar(&opts.From, "from", "", "first day of the period, YYYY-MM-DD (default: six calendar months before --to)")
	f.StringVar(&opts.To, "to", "", "last day of the period, YYYY-MM-DD, included (default: the as-of time)")
	f.StringVar(&opts.AsOf, "as-of", "", "\"now\", RFC 3339 or YYYY-MM-DD (default: when the snapshot was taken)")
	f.StringVar(&opts.Format, "format", "text", "output format: text, json, markdown")
	f.BoolVar(&opts.Check, "check", false, "exit 1 when the MTTR or the 24 h target is missed")
	return cmd
}

func metricsRun(opts *metricsOptions) error {
	env := opts.env
	switch opts.Format {
	case "text", "json", "markdown":
	default:
		return usageError("unknown --format %q: use text, json or markdown", opts.Format)
	}
	root, err := repoRoot(env, opts.Root)
	if err != nil {
		return err
	}
	res, err := pipeline.Metrics(pipeline.MetricsOptions{Root: root, Snapshot: opts.Snapshot,
		AsOf: opts.AsOf, From: opts.From, To: opts.To, Now: env.Now})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usageError("no snapshot at %s: run 'opsqa incidents sync' first, or pass --snapshot", opts.Snapshot)
		}
		return pipelineError(err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(env.ErrOut, "opsqa: %s\n", w)
	}
	m := res.Metrics
	switch opts.Format {
	case "json":
		err = report.MetricsJSON(env.Out, m)
	case "markdown":
		err = report.MetricsMarkdown(env.Out, m)
	default:
		err = report.MetricsText(env.Out, m)
	}
	if err != nil {
		return fmt.Errorf("print metrics: %w", err)
	}
	if missed := m.Missed(); opts.Check && len(missed) > 0 {
		fmt.Fprintf(env.ErrOut, "opsqa: target missed: %s\n", strings.Join(missed, ", "))
		return errTargetMissed
	}
	return nil
}
