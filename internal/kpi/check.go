package kpi

import (
	"fmt"
	"math"
	"time"

	"github.com/opsqa/opsqa/internal/ticket"
)

// implausible says why a timeline cannot enter the figures, or "": a
// milestone before ticket.Epoch, a resolution or mitigation before impact
// started, a first response before the ticket was created. Each would
// put a negative or absurd duration into a mean. Tickets read from a
// snapshot have passed ticket.Check already; this is the same guard for
// timelines from anywhere, the form's impact_started included.
func implausible(tl *ticket.Timeline) string {
	ms := []struct {
		name string
		m    *ticket.Milestone
	}{{"started", &tl.Started}, {"first response", tl.FirstResponse}, {"mitigated", tl.Mitigated}, {"resolved", tl.Resolved}}
	if tl.Created.Before(ticket.Epoch) {
		return fmt.Sprintf("created %s is before 1970", stamp(tl.Created))
	}
	for _, m := range ms {
		if m.m != nil && m.m.At.Before(ticket.Epoch) {
			return fmt.Sprintf("%s %s (from the %s) is before 1970", m.name, stamp(m.m.At), m.m.Source)
		}
	}
	for _, m := range ms[2:] {
		if m.m != nil && m.m.At.Before(tl.Started.At) {
			return fmt.Sprintf("%s %s (from the %s) is before impact started %s (from the %s): a negative time to restore",
				m.name, stamp(m.m.At), m.m.Source, stamp(tl.Started.At), tl.Started.Source)
		}
	}
	if fr := tl.FirstResponse; fr != nil && fr.At.Before(tl.Created) {
		return fmt.Sprintf("first response %s (from the %s) is before the ticket was created %s: a negative time to respond",
			stamp(fr.At), fr.Source, stamp(tl.Created))
	}
	return ""
}

func stamp(t time.Time) string {
	if y := t.Year(); y < 0 || y > 9999 {
		return t.UTC().String()
	}
	return t.UTC().Format(time.RFC3339)
}

// durationOf is s seconds as a duration, held at the largest duration
// rather than wrapping round to a negative one (a window of
// math.MaxInt64 seconds is "for ever", not minus 1.8 years).
func durationOf(s int64) time.Duration {
	const most = math.MaxInt64 / int64(time.Second)
	switch {
	case s > most:
		return math.MaxInt64
	case s < -most:
		return math.MinInt64
	}
	return time.Duration(s) * time.Second
}

// secondsBetween is b − a in whole seconds, without overflow: time.Sub
// holds at the largest duration, and the seconds are counted from it.
func secondsBetween(a, b time.Time) int64 { return int64(b.Sub(a) / time.Second) }

// ExcludedSummary says in one line how many tickets were left out of the
// figures and why, "" when none was.
func (m *Metrics) ExcludedSummary() string { return ticket.ExcludedSummary(m.Excluded) }
