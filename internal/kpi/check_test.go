package kpi

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/ticket"
)

// sameFigures checks that m has the fixture's figures, every one.
func sameFigures(t *testing.T, m *Metrics) {
	t.Helper()
	base := Compute(fixture(), options())
	if len(base.Excluded) != 0 {
		t.Fatalf("the fixture leaves out %+v", base.Excluded)
	}
	for name, pair := range map[string][2]any{
		"summary":     {m.Summary, base.Summary},
		"by severity": {m.BySeverity, base.BySeverity},
		"by month":    {m.ByMonth, base.ByMonth},
		"overdue":     {m.OpenPastDeadline, base.OpenPastDeadline},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s changed:\n got %+v\nwant %+v", name, pair[0], pair[1])
		}
	}
}

func wantLeftOut(t *testing.T, m *Metrics, want ...ticket.Excluded) {
	t.Helper()
	if len(m.Excluded) != len(want) {
		t.Fatalf("excluded %+v, want %d", m.Excluded, len(want))
	}
	for i, w := range want {
		g := m.Excluded[i]
		if g.Number != w.Number || g.Class != w.Class || g.Kind != w.Kind || !strings.Contains(g.Reason, w.Reason) {
			t.Errorf("excluded %d = %+v, want %+v", i, g, w)
		}
	}
}

// TestDuplicateCountedOnce checks that a second ticket of a number is
// left out, listed, and counted nowhere.
func TestDuplicateCountedOnce(t *testing.T) {
	tickets := fixture()
	copyOfA := tickets[0]
	copyOfA.Title = "the copy"
	tickets = append(tickets[:2], append([]ticket.Ticket{copyOfA}, tickets[2:]...)...)
	m := Compute(tickets, options())
	sameFigures(t, m)
	wantLeftOut(t, m, ticket.Excluded{Number: 1, Class: ticket.Incident, Kind: ticket.ExcludedDuplicate, Reason: "duplicate of ticket #1 earlier: the first is kept"})
}

// TestUnknownClassLeftOut checks that a class opsqa does not know is
// left out with a reason, not counted as an incident or dropped unseen.
func TestUnknownClassLeftOut(t *testing.T) {
	odd := tk(50, "Incident ", "sev1", day(14, 10, 0), "", comment(1, "tom-becker"), closeAs(900, ticket.Completed))
	m := Compute(append(fixture(), odd), options())
	sameFigures(t, m)
	wantLeftOut(t, m, ticket.Excluded{Number: 50, Class: "Incident ", Kind: ticket.ExcludedUnknownClass, Reason: `class "Incident " is none of`})
}

// TestImpossibleTimesLeftOut checks impossible times are left out of
// every figure with a reason: impact started in 1900 (a form typo), a
// close before the ticket existed (an offset of -23:59), a time in
// year 9999, none of which may put a negative or absurd duration into
// a mean.
func TestImpossibleTimesLeftOut(t *testing.T) {
	o := options()
	o.Latest = ticket.Latest(o.AsOf.AddDate(0, 0, 30), time.Time{}) // synced a month after as-of
	minus2359 := time.FixedZone("-23:59", -(23*3600 + 59*60))
	created := time.Date(2026, 5, 14, 10, 0, 0, 0, minus2359) // 2026-05-15T09:59Z
	early := tk(51, ticket.Incident, "sev2", created, "", comment(5, "li-na"))
	closedAt := time.Date(2026, 5, 14, 11, 0, 0, 0, time.UTC)
	early.Events = append(early.Events, ticket.Event{Kind: ticket.ClosedEv, At: closedAt, Actor: user("tom-becker"), StateReason: ticket.Completed})
	early.State, early.StateReason, early.ClosedAt = ticket.Closed, ticket.Completed, &closedAt
	future := tk(52, ticket.Incident, "sev2", day(14, 10, 0), "", comment(5, "li-na"), closeAs(60, ticket.Completed))
	year9999 := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	future.ClosedAt = &year9999
	m := Compute(append(fixture(),
		tk(50, ticket.Incident, "sev1", day(14, 10, 0), "1900-01-01 09:00", comment(1, "tom-becker"), closeAs(30, ticket.Completed)),
		early, future), o)
	sameFigures(t, m)
	wantLeftOut(t, m,
		ticket.Excluded{Number: 51, Class: ticket.Incident, Kind: ticket.ExcludedImpossible, Reason: "closed_at 2026-05-14T11:00:00Z is before created_at 2026-05-15T09:59:00Z"},
		ticket.Excluded{Number: 52, Class: ticket.Incident, Kind: ticket.ExcludedImpossible, Reason: "closed_at 9999-01-01T00:00:00Z is after"},
		ticket.Excluded{Number: 50, Class: ticket.Incident, Kind: ticket.ExcludedImpossible, Reason: "started 1900-01-01T09:00:00Z (from the form) is before 1970"},
	)
}

// TestNegativeDurationsLeftOut checks timelines built elsewhere (not
// from a checked snapshot): a resolution before impact started or a
// response before the ticket was created is left out, never a negative
// value in a mean.
func TestNegativeDurationsLeftOut(t *testing.T) {
	o := options()
	tls, _ := Timelines(fixture(), o)
	bad := tls[0]
	bad.Number = 60
	bad.Resolved = &ticket.Milestone{At: bad.Started.At.Add(-time.Minute), Source: ticket.SourceCloseEvent}
	early := tls[1]
	early.Number = 61
	early.FirstResponse = &ticket.Milestone{At: early.Created.Add(-time.Hour), Source: ticket.SourceComment}
	kept, c := Complete(append(tls, bad, early), o)
	m := ComputeTimelines(kept, fixture(), o, c)
	sameFigures(t, m)
	wantLeftOut(t, m,
		ticket.Excluded{Number: 60, Class: ticket.Incident, Kind: ticket.ExcludedImpossible, Reason: "resolved 2026-05-10T09:55:00Z (from the close_event) is before impact started 2026-05-10T09:56:00Z (from the form): a negative time to restore"},
		ticket.Excluded{Number: 61, Class: ticket.Incident, Kind: ticket.ExcludedImpossible, Reason: "a negative time to respond"},
	)
	if *m.MTTR.Min < 0 || *m.FirstResponse.Min < 0 {
		t.Errorf("negative minimum: MTTR %d, first response %d", *m.MTTR.Min, *m.FirstResponse.Min)
	}
}

// TestHugeWindowsDoNotWrap checks that windows and targets of any size
// in seconds (math.MaxInt64 included) are "for ever", not a duration
// wrapped round to a negative one that would make every ticket a miss.
func TestHugeWindowsDoNotWrap(t *testing.T) {
	o := options()
	o.Targets.ResolvedWithinSeconds = math.MaxInt64
	o.Targets.FirstResponseSeconds = map[string]int64{"sev1": math.MaxInt64, "sev2": math.MaxInt64 - 1, "sev3": math.MaxInt64 / 2, "sev4": 1 << 62}
	o.Targets.MTTRSeconds = math.MaxInt64
	m := Compute(fixture(), o)
	rw := m.ResolvedWithin24h
	if rw.Met != rw.Eligible-rw.OpenPastDeadline || rw.OpenPastDeadline != 0 || rw.Missed != 0 {
		t.Errorf("window of MaxInt64 s: eligible %d, met %d, missed %d, open past deadline %d", rw.Eligible, rw.Met, rw.Missed, rw.OpenPastDeadline)
	}
	if fr := m.FirstResponse.WithinTarget; fr.Missed != 0 {
		t.Errorf("first response targets of MaxInt64 s: %d missed", fr.Missed)
	}
	if m.MTTR.Met == nil || !*m.MTTR.Met || len(m.OpenPastDeadline) != 0 {
		t.Errorf("MTTR target of MaxInt64 s: met %v, %d open past deadline", m.MTTR.Met, len(m.OpenPastDeadline))
	}
	if d := durationOf(math.MaxInt64); d != math.MaxInt64 {
		t.Errorf("durationOf(MaxInt64) = %v", d)
	}
	if d := durationOf(-math.MaxInt64); d != math.MinInt64 {
		t.Errorf("durationOf(-MaxInt64) = %v", d)
	}
	if d := durationOf(90); d != 90*time.Second {
		t.Errorf("durationOf(90) = %v", d)
	}
}

// TestPostmortemOfExcludedTicket checks that a postmortem naming a
// ticket left out does not bring it back as an incident of its own.
func TestPostmortemOfExcludedTicket(t *testing.T) {
	o := options()
	o.Excluded = []ticket.Excluded{{Number: 77, Class: ticket.Incident, Kind: ticket.ExcludedLoneSurrogate, Reason: "title holds a lone UTF-16 surrogate", Line: 9}}
	at := day(14, 10, 0)
	o.Postmortems = []Postmortem{{Incident: 77, Path: "content/postmortems/x.md", Started: &at, Detected: &at, Resolved: &at}}
	m := Compute(fixture(), o)
	sameFigures(t, m)
	if r := m.Postmortems.Rejected; len(r) != 1 || r[0].Reason != "issue #77 is left out of the figures: title holds a lone UTF-16 surrogate" {
		t.Errorf("rejected %+v", r)
	}
	if len(m.Postmortems.WithoutTicket) != 0 || len(m.Excluded) != 1 || m.Excluded[0].Line != 9 {
		t.Errorf("without ticket %v, excluded %+v", m.Postmortems.WithoutTicket, m.Excluded)
	}
}
