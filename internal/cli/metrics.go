package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/lint"
	"github.com/opsqa/opsqa/internal/report"
	"github.com/opsqa/opsqa/internal/ticket"
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
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		return usageError("%v", err)
	}
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return usageError("read timezone %q in %s: %v", cfg.Timezone, config.FileName, err)
	}
	snap, tls, o, err := readSnapshot(env, cfg, loc, root, opts.Snapshot, opts.AsOf, opts.From, opts.To)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usageError("no snapshot at %s: run 'opsqa incidents sync' first, or pass --snapshot", opts.Snapshot)
		}
		return err
	}
	repo, err := lint.Load(root)
	if err != nil {
		return err
	}
	pms, warnings := postmortems(repo.OfKind("postmortem"))
	for _, w := range warnings {
		fmt.Fprintf(env.ErrOut, "opsqa: %s\n", w)
	}
	o.Postmortems = pms
	tls, use := kpi.Complete(tls, o)
	m := kpi.ComputeTimelines(tls, snap.Tickets, o, use)

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

// readSnapshot reads the snapshot at path (relative to root) with its
// timelines built as the tickets are read, under the KPI options that
// kpiOptions decides from the flags and the snapshot's time.
func readSnapshot(env *Env, cfg *config.Config, loc *time.Location, root, path, asOfFlag, fromFlag, toFlag string) (*ticket.Snapshot, []ticket.Timeline, kpi.Options, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	var o kpi.Options
	snap, tls, err := ticket.ReadSnapshotTimelines(path, func(h *ticket.Snapshot) (ticket.Policy, time.Time, error) {
		var err error
		o, err = kpiOptions(env, cfg, h, loc, asOfFlag, fromFlag, toFlag)
		return o.Policy, o.AsOf, err
	})
	return snap, tls, o, err
}

// kpiOptions decides the period the KPIs are computed over, for metrics
// and the site alike. The as-of time defaults to when the snapshot was
// taken, not to now: the data is only as fresh as the snapshot, and an
// open ticket cannot be judged past its deadline on days nobody looked.
// The period ends at the as-of time (or after the --to day) and starts six
// calendar months earlier unless --from says otherwise.
func kpiOptions(env *Env, cfg *config.Config, snap *ticket.Snapshot, loc *time.Location, asOfFlag, fromFlag, toFlag string) (kpi.Options, error) {
	asOf := snap.SyncedAt
	if asOf.IsZero() {
		asOf = env.Now()
	}
	var err error
	if asOfFlag != "" {
		if asOf, err = parseAsOf(asOfFlag, loc); err != nil {
			return kpi.Options{}, err
		}
	}
	to := asOf
	if toFlag != "" {
		d, err := parseDay("to", toFlag, loc)
		if err != nil {
			return kpi.Options{}, err
		}
		to = d.AddDate(0, 0, 1)
	}
	var from time.Time
	if fromFlag != "" {
		if from, err = parseDay("from", fromFlag, loc); err != nil {
			return kpi.Options{}, err
		}
	} else {
		b := to.In(loc).AddDate(0, -6, 0)
		from = time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, loc)
	}
	if !from.Before(to) {
		return kpi.Options{}, usageError("the period is empty: --from %s is not before --to %s", from.Format(time.DateOnly), to.Add(-time.Nanosecond).In(loc).Format(time.DateOnly))
	}
	o, err := kpi.OptionsFromConfig(cfg, from, to, asOf)
	if err != nil {
		return kpi.Options{}, usageError("%v", err)
	}
	return o, nil
}

// parseAsOf reads an RFC 3339 time or a date (midnight in loc).
func parseAsOf(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, usageError("--as-of %q is neither an RFC 3339 time nor a date (YYYY-MM-DD)", s)
}

func parseDay(name, s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, usageError("--%s %q is not a date (YYYY-MM-DD)", name, s)
	}
	return t, nil
}

// postmortemFront is the part of a postmortem's front matter that carries
// milestones. Times are read as strings so that one bad value costs only
// that milestone.
type postmortemFront struct {
	Title      string            `yaml:"title"`
	Incident   int               `yaml:"incident"`
	Service    string            `yaml:"service"`
	Severity   string            `yaml:"severity"`
	Milestones map[string]string `yaml:"milestones"`
}

// postmortems reads the milestones of the postmortem documents. A
// document whose front matter cannot be read is left out with a warning:
// lint reports it in full, and the KPIs still come out from the issues.
func postmortems(docs []*document.Document) ([]kpi.Postmortem, []string) {
	var out []kpi.Postmortem
	var warnings []string
	for _, d := range docs {
		pm, err := readPostmortem(d)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("postmortem %s left out of the KPIs: %v", d.Path, err))
			continue
		}
		out = append(out, pm)
	}
	return out, warnings
}

func readPostmortem(doc *document.Document) (kpi.Postmortem, error) {
	if doc.FrontMatter == nil {
		return kpi.Postmortem{}, errors.New("its front matter cannot be read")
	}
	var fm postmortemFront
	if err := doc.Decode(&fm); err != nil {
		return kpi.Postmortem{}, err
	}
	if fm.Incident <= 0 {
		return kpi.Postmortem{}, errors.New("no incident number")
	}
	pm := kpi.Postmortem{Incident: fm.Incident, Path: doc.Path, Title: fm.Title, Service: fm.Service, Severity: fm.Severity}
	for name, dst := range map[string]**time.Time{
		"started": &pm.Started, "detected": &pm.Detected, "acknowledged": &pm.Acknowledged,
		"mitigated": &pm.Mitigated, "resolved": &pm.Resolved,
	} {
		v, ok := fm.Milestones[name]
		if !ok || v == "" {
			continue
		}
		t, err := ticket.ParseFormTime(v, time.UTC)
		if err != nil {
			return kpi.Postmortem{}, fmt.Errorf("milestone %s: %w", name, err)
		}
		*dst = &t
	}
	return pm, nil
}
