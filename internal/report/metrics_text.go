package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opsqa/opsqa/internal/kpi"
)

// maxExcludedShown is how many tickets left out the text and Markdown
// reports list one by one; the JSON lists every one.
const maxExcludedShown = 20

// lineText is "line N: " for a ticket's snapshot line, "" when unknown.
func lineText(line int) string {
	if line == 0 {
		return ""
	}
	return fmt.Sprintf("line %d: ", line)
}

// MetricsText prints the KPIs for a terminal: each target met or MISSED
// with its figures and n, what was left out of each figure and why, then
// the breakdowns. Groups of fewer than five are marked with an asterisk.
func MetricsText(w io.Writer, m *kpi.Metrics) error {
	p := &metricsWriter{w: w}
	p.printf("KPIs for %s (as of %s)\n\n", periodText(m), m.AsOf.UTC().Format("2006-01-02 15:04 MST"))

	p.printf("Targets\n")
	targetLines(p, m)
	p.printf("\n")
	rw := m.ResolvedWithin24h

	mt := m.MTTR
	p.printf("MTTR: resolved − impact started, over incidents resolved in the period\n")
	p.printf("  %s\n", statsLine(mt.Stats))
	if mt.N > 0 {
		p.printf("  within %s: %d of %d (%s)\n", dur(mt.TargetSeconds), mt.WithinTarget, mt.N, pctPtr(mt.WithinTargetRatio))
	}
	p.printf("  not in the mean: %d incidents opened in the period still open, %d closed as not planned or duplicate\n\n", mt.Unresolved, mt.ClosedUnresolved)

	fr := m.FirstResponse
	p.printf("Time to first response: over incidents and problems opened in the period\n")
	p.printf("  %s\n", statsLine(fr.Stats))
	p.printf("  no response yet: %d\n", fr.NoResponse)
	if len(fr.Targets) > 0 {
		s := fr.WithinTarget
		p.printf("  within the severity's target: %d of %d (%s), %d still pending\n", s.Met, s.Eligible, pctPtr(s.Ratio), s.Pending)
		for _, sev := range sortedKeys(fr.Targets) {
			t := fr.Targets[sev]
			p.printf("    %s ≤ %-7s %d of %d (%s)  median %s  n=%d%s\n", sev, dur(t.TargetSeconds)+":", t.Met, t.Eligible, pctPtr(t.Ratio), durPtr(t.Stats.Median), t.Stats.N, small(t.Stats.SmallSample && t.Stats.N > 0))
		}
	}
	p.printf("\n")

	p.printf("Resolved within %s after first response: %s\n", window(rw.WithinSeconds), rw.Population)
	p.printf("  eligible %d: met %d, missed %d (%d of them still open past the deadline)\n", rw.Eligible, rw.Met, rw.Missed, rw.OpenPastDeadline)
	p.printf("  not counted: %d not yet eligible, %d without a first response, %d closed as not planned or duplicate\n\n", rw.NotYetEligible, rw.NoResponse, rw.ClosedUnresolved)

	rr := m.ResolutionRate
	p.printf("Resolution rate: %d of %d resolved (%s); %d open, %d not planned, %d duplicate\n", rr.Resolved, rr.Opened, pctPtr(rr.Ratio), rr.Open, rr.NotPlanned, rr.Duplicate)
	p.printf("  denominator: %s\n\n", rr.Denominator)

	sat := m.Satisfaction
	p.printf("Satisfaction (feedback ratings 1–5): %s\n\n", satisfactionLine(sat))

	p.printf("By month (%s)\n", m.Timezone)
	tw := tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  month\tMTTR\tn\t\t24 h\teligible\t\tfirst response median\topened\tsatisfaction\n")
	for _, mo := range m.ByMonth {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%d\t%s\t%s\t%d\t%s\n", mo.Month,
			durPtr(mo.MTTR.Mean), mo.MTTR.N, verdict(mo.MTTR.Met),
			pctPtr(mo.ResolvedWithin24h.Ratio), mo.ResolvedWithin24h.Eligible, verdict(mo.ResolvedWithin24h.TargetMet),
			durPtr(mo.FirstResponse.Median), mo.ResolutionRate.Opened, meanPtr(mo.Satisfaction.Mean))
	}
	tw.Flush()

	for _, b := range breakdowns(m) {
		p.printf("\n%s\n", b.title)
		breakdownText(p, b.rows)
	}

	p.printf("\nOpen past the 24 h deadline: %d\n", len(m.OpenPastDeadline))
	tw = tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	for _, o := range m.OpenPastDeadline {
		fmt.Fprintf(tw, "  #%d\t%s\t%s\t%s\toverdue %s\t%s\n", o.Number, o.Class, dash(o.Severity), dash(o.Service), dur(o.OverdueSeconds), oneLine(o.Title))
	}
	tw.Flush()

	if len(m.WorstServices) > 0 {
		p.printf("\nServices missing a target\n")
		for i, s := range m.WorstServices {
			p.printf("  %d. %s (%s): missed %s; MTTR %s over %d, 24 h %s, %d open past deadline\n", i+1, s.Service, dash(s.Team),
				strings.Join(s.Missed, ", "), durPtr(s.MTTRMeanSeconds), s.Incidents, pctPtr(s.ResolvedWithin24hRatio), s.OpenPastDeadline)
		}
	}
	if pm := m.Postmortems; len(pm.Matched)+len(pm.WithoutTicket)+len(pm.Rejected) > 0 {
		p.printf("\nPostmortems: %d completed an issue's milestones (%s), %d stood alone (%s), %d left out.\n",
			len(pm.Matched), numbers(pm.Matched), len(pm.WithoutTicket), numbers(pm.WithoutTicket), len(pm.Rejected))
		if len(pm.Matched)+len(pm.WithoutTicket) > 0 {
			p.printf("  Their started and mitigated times win; the issue's first response and resolution win where it has them.\n")
		}
		for _, r := range pm.Rejected {
			p.printf("  left out: %s for #%d: %s\n", r.Path, r.Incident, r.Reason)
		}
	}
	if len(m.Excluded) > 0 {
		p.printf("\n%s.\n", m.ExcludedSummary())
		for i, e := range m.Excluded {
			if i == maxExcludedShown {
				p.printf("  … and %d more (--format json lists them all)\n", len(m.Excluded)-i)
				break
			}
			p.printf("  %s#%d %s: %s\n", lineText(e.Line), e.Number, dash(string(e.Class)), oneLine(e.Reason))
		}
	}
	p.printf("\n* fewer than %d values: a small sample, not a trend\n", kpi.SmallSampleN)
	return p.err
}

// MetricsTargets prints the period and the plan's two targets, met or
// MISSED: the short form for a build summary.
func MetricsTargets(w io.Writer, m *kpi.Metrics) error {
	p := &metricsWriter{w: w}
	p.printf("KPIs for %s (as of %s)\n", periodText(m), m.AsOf.UTC().Format("2006-01-02 15:04 MST"))
	targetLines(p, m)
	return p.err
}

func targetLines(p *metricsWriter, m *kpi.Metrics) {
	tw := tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  MTTR\t%s\ttarget ≤ %s\t%s\n", mttrFigure(m.MTTR), dur(m.MTTR.TargetSeconds), verdict(m.MTTR.Met))
	rw := m.ResolvedWithin24h
	fmt.Fprintf(tw, "  Resolved within %s of first response\t%s\ttarget ≥ %s\t%s\n", window(rw.WithinSeconds), ratioFigure(rw.Ratio, rw.Met, rw.Eligible), pct(rw.TargetRatio), verdict(rw.TargetMet))
	tw.Flush()
}

// breakdown is one table of KPIs per group.
type breakdown struct {
	title string
	rows  map[string]kpi.Summary
}

// breakdowns are the tables every printer shows, in order.
func breakdowns(m *kpi.Metrics) []breakdown {
	return []breakdown{
		{"By severity", m.BySeverity},
		{"By service", m.ByService},
		{"By team (the service's owner)", m.ByTeam},
		{"By first responder", m.ByResponder},
	}
}

func breakdownText(p *metricsWriter, rows map[string]kpi.Summary) {
	tw := tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  \tMTTR\tn\t\t24 h\tmet/eligible\tfirst response median\tno response\topened\tresolved\n")
	for _, k := range sortedKeys(rows) {
		s := rows[k]
		fmt.Fprintf(tw, "  %s\t%s\t%d%s\t%s\t%s\t%d/%d%s\t%s\t%d\t%d\t%d\n", k,
			durPtr(s.MTTR.Mean), s.MTTR.N, small(s.MTTR.SmallSample && s.MTTR.N > 0), verdict(s.MTTR.Met),
			pctPtr(s.ResolvedWithin24h.Ratio), s.ResolvedWithin24h.Met, s.ResolvedWithin24h.Eligible, small(s.ResolvedWithin24h.SmallSample && s.ResolvedWithin24h.Eligible > 0),
			durPtr(s.FirstResponse.Median), s.FirstResponse.NoResponse, s.ResolutionRate.Opened, s.ResolutionRate.Resolved)
	}
	tw.Flush()
}

func periodText(m *kpi.Metrics) string {
	last := m.Period.To.Add(-time.Nanosecond)
	loc := m.Period.From.Location()
	from, to := m.Period.From.In(loc), last.In(loc)
	if from.Hour() == 0 && from.Minute() == 0 && m.Period.To.In(loc).Hour() == 0 && m.Period.To.In(loc).Minute() == 0 {
		return fmt.Sprintf("%s … %s", from.Format("2006-01-02"), to.Format("2006-01-02"))
	}
	return fmt.Sprintf("%s … %s", from.Format(time.RFC3339), m.Period.To.In(loc).Format(time.RFC3339))
}

func mttrFigure(m kpi.MTTR) string {
	if m.Mean == nil {
		return "no incident resolved (n=0)"
	}
	return fmt.Sprintf("mean %s (n=%d%s)", dur(*m.Mean), m.N, small(m.SmallSample))
}

func ratioFigure(r *float64, met, n int) string {
	if r == nil {
		return "nothing eligible (n=0)"
	}
	return fmt.Sprintf("%s (%d of %d)", pct(*r), met, n)
}

func statsLine(s kpi.Stats) string {
	if s.N == 0 {
		return "n=0: no values"
	}
	return fmt.Sprintf("n=%d%s  mean %s  median %s  p90 %s  min %s  max %s", s.N, small(s.SmallSample),
		durPtr(s.Mean), durPtr(s.Median), durPtr(s.P90), durPtr(s.Min), durPtr(s.Max))
}

func satisfactionLine(s kpi.Satisfaction) string {
	if s.Mean == nil {
		return fmt.Sprintf("no ratings (n=0, %d unreadable)", s.Invalid)
	}
	line := fmt.Sprintf("mean %.2f (n=%d%s), %s rated 4 or 5", *s.Mean, s.N, small(s.SmallSample), pctPtr(s.SatisfiedRatio))
	if s.TargetMean > 0 {
		line += fmt.Sprintf("; target mean ≥ %g: %s", s.TargetMean, verdict(s.Met))
	}
	if s.Invalid > 0 {
		line += fmt.Sprintf("; %d without a readable rating", s.Invalid)
	}
	return line
}

// verdict is the word for a target: met, MISSED (loud, it is what the
// reader looks for), or no data.
func verdict(met *bool) string {
	switch {
	case met == nil:
		return "no data"
	case *met:
		return "met"
	default:
		return "MISSED"
	}
}

func small(b bool) string {
	if b {
		return "*"
	}
	return ""
}

// window names a deadline window: "24 h" rather than "1d00h".
func window(s int64) string {
	if s > 0 && s%3600 == 0 {
		return fmt.Sprintf("%d h", s/3600)
	}
	return dur(s)
}

func numbers(ns []int) string {
	if len(ns) == 0 {
		return "none"
	}
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprintf("#%d", n)
	}
	return strings.Join(parts, " ")
}

// dur prints whole seconds compactly: 45s, 12m05s, 1h16m, 3d04h.
func dur(s int64) string {
	neg := ""
	if s < 0 {
		neg, s = "-", -s
	}
	switch {
	case s < 60:
		return fmt.Sprintf("%s%ds", neg, s)
	case s < 3600:
		return fmt.Sprintf("%s%dm%02ds", neg, s/60, s%60)
	case s < 86400:
		return fmt.Sprintf("%s%dh%02dm", neg, s/3600, s%3600/60)
	default:
		return fmt.Sprintf("%s%dd%02dh", neg, s/86400, s%86400/3600)
	}
}

func durPtr(s *int64) string {
	if s == nil {
		return "–"
	}
	return dur(*s)
}

func pct(r float64) string { return fmt.Sprintf("%.1f %%", r*100) }

func pctPtr(r *float64) string {
	if r == nil {
		return "–"
	}
	return pct(*r)
}

func meanPtr(f *float64) string {
	if f == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f", *f)
}

func dash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// oneLine keeps an untrusted title on one line and of bounded length, so
// it cannot forge lines of the report.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		// The catch-all group goes last.
		if (keys[i] == kpi.NoneKey) != (keys[j] == kpi.NoneKey) {
			return keys[j] == kpi.NoneKey
		}
		return keys[i] < keys[j]
	})
	return keys
}

// metricsWriter keeps the first write error, like errWriter, and is an
// io.Writer itself so that tabwriters can write through it.
type metricsWriter struct {
	w   io.Writer
	err error
}

func (e *metricsWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

func (e *metricsWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
