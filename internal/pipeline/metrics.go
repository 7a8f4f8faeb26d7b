package pipeline

import (
	"path/filepath"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/postmortem"
	"github.com/opsqa/opsqa/internal/ticket"
)

// MetricsOptions says which snapshot the KPIs are computed from and over
// which period.
type MetricsOptions struct {
	// Root is the repository root on disk: opsqa.yaml and the postmortems.
	Root string
	// Snapshot is the ticket snapshot, relative to Root unless absolute.
	Snapshot string
	// AsOf, From and To are the period as the command line gives it (its
	// flags name them in errors): AsOf is "now", an RFC 3339 time or a
	// date, and defaults to when the snapshot was taken; From and To are
	// dates in opsqa.yaml's time zone, To included, and default to six
	// calendar months before To and to the as-of time.
	AsOf, From, To string
	// Now is the clock, read for "now" and for a snapshot that records no
	// time.
	Now func() time.Time
}

// MetricsResult is the KPI report and what could not go into it.
type MetricsResult struct {
	Metrics *kpi.Metrics
	// Warnings name the postmortems whose front matter could not be read;
	// the KPIs come out without them.
	Warnings []string
}

// Metrics computes the KPIs from the snapshot, completed by the
// postmortems' milestones. Without a snapshot the error wraps
// fs.ErrNotExist; a bad period or configuration is a *ConfigError.
func Metrics(o MetricsOptions) (*MetricsResult, error) {
	cfg, loc, err := loadConfig(o.Root)
	if err != nil {
		return nil, err
	}
	repo, err := loadRepository(o.Root)
	if err != nil {
		return nil, err
	}
	pms, warnings := postmortem.ReadAll(repo.postmortems())
	k, err := computeKPIs(cfg, loc, o.Root, o.Snapshot, period{asOf: o.AsOf, from: o.From, to: o.To}, o.Now, pms)
	if err != nil {
		return nil, err
	}
	return &MetricsResult{Metrics: k.metrics, Warnings: warnings}, nil
}

// period is the KPI period as the command line gives it; "" leaves a
// bound to its default.
type period struct{ asOf, from, to string }

// kpiRun is the KPIs of a snapshot and what they were computed from.
type kpiRun struct {
	snapshot  *ticket.Snapshot
	timelines []ticket.Timeline
	metrics   *kpi.Metrics
	use       kpi.PostmortemUse
	asOf      time.Time
}

// computeKPIs reads the snapshot at path (relative to root), its timelines
// built as the tickets are read, completes them from the postmortems and
// computes the KPIs: the one computation behind metrics and the site.
func computeKPIs(cfg *config.Config, loc *time.Location, root, path string, p period, now func() time.Time, pms []kpi.Postmortem) (*kpiRun, error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	var o kpi.Options
	snap, tls, err := ticket.ReadSnapshotTimelines(path, func(h *ticket.Snapshot) (ticket.Policy, time.Time, error) {
		var err error
		o, err = kpiOptions(cfg, h, loc, p, now)
		return o.Policy, o.AsOf, err
	})
	if err != nil {
		return nil, err
	}
	o.Postmortems = pms
	o.Excluded = snap.Excluded
	tls, c := kpi.Complete(tls, o)
	// The timelines left out name the line of their ticket too.
	for i := range c.Excluded {
		c.Excluded[i].Line = snap.LineOf(c.Excluded[i].Number)
	}
	return &kpiRun{
		snapshot:  snap,
		timelines: tls,
		metrics:   kpi.ComputeTimelines(tls, snap.Tickets, o, c),
		use:       c.Postmortems,
		asOf:      o.AsOf,
	}, nil
}

// kpiOptions decides the period the KPIs are computed over, for metrics
// and the site alike. The as-of time defaults to when the snapshot was
// taken, not to now: the data is only as fresh as the snapshot, and an
// open ticket cannot be judged past its deadline on days nobody looked.
// The period ends at the as-of time (or after the --to day) and starts six
// calendar months earlier unless --from says otherwise.
func kpiOptions(cfg *config.Config, snap *ticket.Snapshot, loc *time.Location, p period, now func() time.Time) (kpi.Options, error) {
	asOf := snap.SyncedAt
	if asOf.IsZero() {
		asOf = now()
	}
	var err error
	if p.asOf != "" {
		if asOf, err = parseAsOf(p.asOf, loc, now); err != nil {
			return kpi.Options{}, err
		}
	}
	to := asOf
	if p.to != "" {
		d, err := parseDay("to", p.to, loc)
		if err != nil {
			return kpi.Options{}, err
		}
		to = d.AddDate(0, 0, 1)
	}
	var from time.Time
	if p.from != "" {
		if from, err = parseDay("from", p.from, loc); err != nil {
			return kpi.Options{}, err
		}
	} else {
		b := to.In(loc).AddDate(0, -6, 0)
		from = time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, loc)
	}
	if !from.Before(to) {
		return kpi.Options{}, configErrorf("the period is empty: --from %s is not before --to %s", from.Format(time.DateOnly), to.Add(-time.Nanosecond).In(loc).Format(time.DateOnly))
	}
	o, err := kpi.OptionsFromConfig(cfg, from, to, asOf)
	if err != nil {
		return kpi.Options{}, &ConfigError{Err: err}
	}
	return o, nil
}

// parseAsOf reads "now", an RFC 3339 time or a date (midnight in loc).
func parseAsOf(s string, loc *time.Location, now func() time.Time) (time.Time, error) {
	if s == "now" {
		return now(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, configErrorf("--as-of %q is neither an RFC 3339 time nor a date (YYYY-MM-DD)", s)
}

func parseDay(name, s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, configErrorf("--%s %q is not a date (YYYY-MM-DD)", name, s)
	}
	return t, nil
}
