package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/opsqa/opsqa/internal/kpi"
)

// MetricsMarkdown prints the KPIs as GitHub-flavoured Markdown, for a job
// summary ($GITHUB_STEP_SUMMARY) or an issue comment: the targets first,
// then the trend by month and the breakdowns in collapsed sections.
// Untrusted text (issue titles) is escaped, and @ is kept from
// mentioning anyone.
func MetricsMarkdown(w io.Writer, m *kpi.Metrics) error {
	p := &metricsWriter{w: w}
	missed := m.Missed()
	status := "✅ targets met"
	if len(missed) > 0 {
		status = "❌ targets missed"
	}
	p.printf("## Service-quality KPIs: %s\n\n", status)
	p.printf("Period %s, as of %s. * marks fewer than %d values.\n\n", periodText(m), m.AsOf.UTC().Format("2006-01-02 15:04 MST"), kpi.SmallSampleN)

	rw := m.ResolvedWithin24h
	p.printf("| Target | Result | Figure | n |\n|---|---|---|---|\n")
	p.printf("| MTTR ≤ %s | %s | mean %s, median %s, p90 %s | %d%s |\n", dur(m.MTTR.TargetSeconds), mdVerdict(m.MTTR.Met),
		durPtr(m.MTTR.Mean), durPtr(m.MTTR.Median), durPtr(m.MTTR.P90), m.MTTR.N, small(m.MTTR.SmallSample))
	p.printf("| ≥ %s resolved within %s of first response | %s | %s (%d of %d) | %d%s |\n", pct(rw.TargetRatio), window(rw.WithinSeconds), mdVerdict(rw.TargetMet),
		pctPtr(rw.Ratio), rw.Met, rw.Eligible, rw.Eligible, small(rw.SmallSample))
	fr := m.FirstResponse
	p.printf("| First response within the severity's target | – | %s (%d of %d); median %s | %d |\n", pctPtr(fr.WithinTarget.Ratio), fr.WithinTarget.Met, fr.WithinTarget.Eligible, durPtr(fr.Median), fr.N)
	if sat := m.Satisfaction; sat.TargetMean > 0 {
		p.printf("| Satisfaction mean ≥ %g | %s | %s, %s rated 4 or 5 | %d%s |\n", sat.TargetMean, mdVerdict(sat.Met), meanPtr(sat.Mean), pctPtr(sat.SatisfiedRatio), sat.N, small(sat.SmallSample))
	}
	p.printf("\n")
	p.printf("Not in the figures, counted: %d incidents still open and %d closed as not planned or duplicate (MTTR); "+
		"%d not yet eligible, %d without a first response, %d still open past the deadline (24 h); "+
		"%d without any response yet. Resolution rate: %d of %d opened resolved (%s).\n\n",
		m.MTTR.Unresolved, m.MTTR.ClosedUnresolved, rw.NotYetEligible, rw.NoResponse, rw.OpenPastDeadline,
		fr.NoResponse, m.ResolutionRate.Resolved, m.ResolutionRate.Opened, pctPtr(m.ResolutionRate.Ratio))

	p.printf("### By month\n\n| Month | MTTR | n | | 24 h | eligible | | First response median | Opened | Satisfaction |\n|---|---|---|---|---|---|---|---|---|---|\n")
	for _, mo := range m.ByMonth {
		p.printf("| %s | %s | %d%s | %s | %s | %d | %s | %s | %d | %s |\n", mo.Month,
			durPtr(mo.MTTR.Mean), mo.MTTR.N, small(mo.MTTR.SmallSample), mdVerdict(mo.MTTR.Met),
			pctPtr(mo.ResolvedWithin24h.Ratio), mo.ResolvedWithin24h.Eligible, mdVerdict(mo.ResolvedWithin24h.TargetMet),
			durPtr(mo.FirstResponse.Median), mo.ResolutionRate.Opened, meanPtr(mo.Satisfaction.Mean))
	}
	p.printf("\n")

	if len(m.WorstServices) > 0 {
		p.printf("### Services missing a target\n\n| Service | Team | Missed | MTTR | 24 h | Open past deadline |\n|---|---|---|---|---|---|\n")
		for _, s := range m.WorstServices {
			p.printf("| %s | %s | %s | %s (n=%d) | %s | %d |\n", MarkdownCell(s.Service), MarkdownCell(dash(s.Team)), strings.Join(s.Missed, ", "),
				durPtr(s.MTTRMeanSeconds), s.Incidents, pctPtr(s.ResolvedWithin24hRatio), s.OpenPastDeadline)
		}
		p.printf("\n")
	}

	if len(m.OpenPastDeadline) > 0 {
		p.printf("### Open past the 24 h deadline (%d)\n\n| Ticket | Class | Severity | Service | Overdue | Title |\n|---|---|---|---|---|---|\n", len(m.OpenPastDeadline))
		for _, o := range m.OpenPastDeadline {
			p.printf("| #%d | %s | %s | %s | %s | %s |\n", o.Number, o.Class, dash(o.Severity), MarkdownCell(dash(o.Service)), dur(o.OverdueSeconds), mdText(o.Title))
		}
		p.printf("\n")
	}

	if rej := m.Postmortems.Rejected; len(rej) > 0 {
		p.printf("### Postmortems not used (%d)\n\n| Incident | Postmortem | Why |\n|---|---|---|\n", len(rej))
		for _, r := range rej {
			p.printf("| #%d | %s | %s |\n", r.Incident, MarkdownCell(r.Path), mdText(r.Reason))
		}
		p.printf("\n")
	}

	if len(m.Excluded) > 0 {
		p.printf("### Tickets left out (%d)\n\n%s.\n\n| Line | Ticket | Class | Why |\n|---|---|---|---|\n", len(m.Excluded), m.ExcludedSummary())
		for i, e := range m.Excluded {
			if i == maxExcludedShown {
				p.printf("\n… and %d more: `--format json` lists them all.\n", len(m.Excluded)-i)
				break
			}
			line := "–"
			if e.Line > 0 {
				line = fmt.Sprint(e.Line)
			}
			p.printf("| %s | #%d | %s | %s |\n", line, e.Number, MarkdownCell(dash(string(e.Class))), mdText(e.Reason))
		}
		p.printf("\n")
	}

	for _, b := range breakdowns(m) {
		p.printf("<details><summary>%s</summary>\n\n", b.title)
		p.printf("| | MTTR | n | | 24 h | met/eligible | First response median | No response | Opened | Resolved |\n|---|---|---|---|---|---|---|---|---|---|\n")
		for _, k := range sortedKeys(b.rows) {
			s := b.rows[k]
			p.printf("| %s | %s | %d%s | %s | %s | %d/%d%s | %s | %d | %d | %d |\n", MarkdownCell(k),
				durPtr(s.MTTR.Mean), s.MTTR.N, small(s.MTTR.SmallSample && s.MTTR.N > 0), mdVerdict(s.MTTR.Met),
				pctPtr(s.ResolvedWithin24h.Ratio), s.ResolvedWithin24h.Met, s.ResolvedWithin24h.Eligible, small(s.ResolvedWithin24h.SmallSample && s.ResolvedWithin24h.Eligible > 0),
				durPtr(s.FirstResponse.Median), s.FirstResponse.NoResponse, s.ResolutionRate.Opened, s.ResolutionRate.Resolved)
		}
		p.printf("\n</details>\n\n")
	}
	return p.err
}

func mdVerdict(met *bool) string {
	switch {
	case met == nil:
		return "no data"
	case *met:
		return "✅ met"
	default:
		return "❌ missed"
	}
}

// mdText escapes an untrusted title for a table cell and breaks @mentions
// with a word joiner, so a report posted as a comment notifies nobody.
func mdText(s string) string {
	return strings.ReplaceAll(MarkdownCell(oneLine(s)), "@", "@\u2060")
}
