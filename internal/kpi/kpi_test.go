package kpi

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/ticket"
)

func TestPercentileType7(t *testing.T) {
	even := []int64{60, 120, 180, 300}
	cases := []struct {
		p    float64
		want float64
	}{
		{0, 60}, {0.5, 150}, {0.9, 264}, {1, 300}, {0.25, 105},
	}
	for _, c := range cases {
		if got := Percentile(even, c.p); got != c.want {
			t.Errorf("Percentile(%v, %v) = %v; want %v (numpy linear)", even, c.p, got, c.want)
		}
	}
	if got := Percentile([]int64{42}, 0.9); got != 42 {
		t.Errorf("single value p90 = %v; want 42", got)
	}
}

func TestDescribe(t *testing.T) {
	s := Describe([]int64{300, 60, 180, 120})
	want := Stats{N: 4, Mean: p(165), Median: p(150), P90: p(264), Min: p(60), Max: p(300), SmallSample: true}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Describe = %s; want %s", statsString(s), statsString(want))
	}
	empty := Describe(nil)
	if empty.N != 0 || empty.Mean != nil || empty.Median != nil || empty.P90 != nil || empty.Min != nil || !empty.SmallSample {
		t.Errorf("Describe(nil) = %s; want n=0 and every figure null", statsString(empty))
	}
	// Half a second rounds away from zero: (1+2)/2 = 1.5 → 2.
	if m := Describe([]int64{1, 2}).Median; *m != 2 {
		t.Errorf("median of 1,2 = %d; want 2", *m)
	}
}

func p(v int64) *int64 { return &v }

func statsString(s Stats) string {
	f := func(v *int64) any {
		if v == nil {
			return "null"
		}
		return *v
	}
	return fmt.Sprintf("n=%d mean=%v median=%v p90=%v min=%v max=%v small=%v", s.N, f(s.Mean), f(s.Median), f(s.P90), f(s.Min), f(s.Max), s.SmallSample)
}

var (
	from = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	asOf = to
)

func user(l string) ticket.Actor { return ticket.Actor{Login: l, Type: "User"} }

var ghBot = ticket.Actor{Login: "github-actions[bot]", Type: "Bot"}

// tk builds a ticket created at c whose events are given as minutes after
// c. A final close sets the ticket's state.
func tk(n int, class ticket.Class, sev string, c time.Time, form string, evs ...ev) ticket.Ticket {
	t := ticket.Ticket{
		Number: n, Title: "ticket", Class: class, Severity: sev, Service: "postgres",
		Author: user("emma-johnson"), State: ticket.Open, CreatedAt: c,
	}
	if form != "" {
		t.Fields = map[string]string{"impact_started": form}
	}
	for _, e := range evs {
		t.Events = append(t.Events, ticket.Event{Kind: e.kind, At: c.Add(time.Duration(e.min) * time.Minute), Actor: e.actor, StateReason: e.reason})
		switch e.kind {
		case ticket.ClosedEv:
			at := c.Add(time.Duration(e.min) * time.Minute)
			t.State, t.StateReason, t.ClosedAt = ticket.Closed, e.reason, &at
		case ticket.ReopenedEv:
			t.State, t.StateReason, t.ClosedAt = ticket.Open, ticket.Reopened, nil
		}
	}
	return t
}

type ev struct {
	kind   ticket.EventKind
	min    int
	actor  ticket.Actor
	reason ticket.StateReason
}

func comment(min int, who string) ev { return ev{kind: ticket.Commented, min: min, actor: user(who)} }
func closeAs(min int, r ticket.StateReason) ev {
	return ev{kind: ticket.ClosedEv, min: min, actor: user("tom-becker"), reason: r}
}

func day(d, h, m int) time.Time { return time.Date(2026, 5, d, h, m, 0, 0, time.UTC) }

// fixture is the set of cases DESIGN.md and the issue name, one ticket
// each, with the expected figures worked out by hand in the test below.
func fixture() []ticket.Ticket {
	return []ticket.Ticket{
		// A: zero-second response; impact began 4 minutes before filing.
		tk(1, ticket.Incident, "sev1", day(10, 10, 0), "2026-05-10T09:56:00Z",
			ev{kind: ticket.Commented, min: 0, actor: ghBot},
			comment(0, "tom-becker"), closeAs(26, ticket.Completed)),
		// B: reopened; the final close counts (150 min).
		tk(2, ticket.Incident, "sev2", day(11, 10, 0), "",
			comment(5, "li-na"), closeAs(20, ticket.Completed),
			ev{kind: ticket.ReopenedEv, min: 90, actor: user("emma-johnson")},
			closeAs(150, ticket.Completed)),
		// C: closed as not planned: no resolution, counted apart.
		tk(3, ticket.Incident, "sev3", day(12, 8, 0), "", comment(3, "li-na"), closeAs(30, ticket.NotPlanned)),
		// D: open past its 24 h deadline: a miss.
		tk(4, ticket.Problem, "sev3", day(20, 9, 0), "", comment(10, "hannah-kim")),
		// E: open, answered an hour before as-of: not yet eligible.
		tk(5, ticket.Problem, "sev4", day(31, 22, 0), "", comment(60, "hannah-kim")),
		// F: only a bot and the author spoke: no response.
		tk(6, ticket.Problem, "sev2", day(25, 9, 0), "",
			ev{kind: ticket.Commented, min: 1, actor: ghBot}, comment(2, "emma-johnson")),
		// G: resolved 30 h after the response: a miss.
		tk(7, ticket.Problem, "sev3", day(15, 8, 0), "", comment(20, "kenji-sato"), closeAs(20+30*60, ticket.Completed)),
		// H: the form's impact_started is later than creation: created wins.
		tk(8, ticket.Incident, "sev2", day(12, 10, 0), "2026-05-12T11:00:00Z", comment(2, "li-na"), closeAs(40, ticket.Completed)),
		// I: the form's impact_started is unreadable: created wins.
		tk(9, ticket.Incident, "sev1", day(13, 10, 0), "this morning", comment(1, "tom-becker"), closeAs(10, ticket.Completed)),
		// Outside the period: opened and resolved in April.
		tk(10, ticket.Incident, "sev1", time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC), "", comment(1, "tom-becker"), closeAs(500, ticket.Completed)),
		// Created after as-of: does not exist yet.
		tk(11, ticket.Incident, "sev1", time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC), "", comment(1, "tom-becker")),
	}
}

func options() Options {
	return Options{
		Policy: ticket.Policy{Signals: []ticket.Signal{ticket.SignalComment}},
		Targets: Targets{
			MTTRSeconds: 1800, ResolvedWithinSeconds: 86400, ResolvedWithinRatio: 0.8, FirstResponseRatio: 0.8,
			FirstResponseSeconds: map[string]int64{"sev1": 300, "sev2": 900, "sev3": 3600, "sev4": 14400},
			SatisfactionMean:     4,
		},
		ServiceTeams: map[string]string{"postgres": "platform"},
		From:         from, To: to, AsOf: asOf,
	}
}

func f(v float64) *float64 { return &v }
func b(v bool) *bool       { return &v }

func TestComputeExactValues(t *testing.T) {
	m := Compute(fixture(), options())

	// MTTR over A 1800, B 9000, H 2400, I 600.
	wantMTTR := MTTR{
		Stats:         Stats{N: 4, Mean: p(3450), Median: p(2100), P90: p(7020), Min: p(600), Max: p(9000), SmallSample: true},
		TargetSeconds: 1800, WithinTarget: 2, WithinTargetRatio: f(0.5), Met: b(false),
		Unresolved: 0, ClosedUnresolved: 1,
	}
	if !reflect.DeepEqual(m.MTTR, wantMTTR) {
		t.Errorf("mttr = %s %+v\nwant   %s %+v", statsString(m.MTTR.Stats), m.MTTR, statsString(wantMTTR.Stats), wantMTTR)
	}

	// First response: 0, 300, 180, 600, 3600, 1200, 120, 60; F unanswered.
	fr := m.FirstResponse
	wantFR := Stats{N: 8, Mean: p(758), Median: p(240), P90: p(1920), Min: p(0), Max: p(3600), SmallSample: false}
	if !reflect.DeepEqual(fr.Stats, wantFR) || fr.NoResponse != 1 {
		t.Errorf("first response = %s no_response %d; want %s no_response 1", statsString(fr.Stats), fr.NoResponse, statsString(wantFR))
	}
	// F (sev2, unanswered for days) is the only miss.
	wantShare := TargetShare{Eligible: 9, Met: 8, Missed: 1, Pending: 0, Ratio: f(0.8889), TargetRatio: 0.8, TargetMet: b(true)}
	if !reflect.DeepEqual(fr.WithinTarget, wantShare) {
		t.Errorf("within response target = %+v; want %+v", fr.WithinTarget, wantShare)
	}
	sev2 := fr.Targets["sev2"]
	if sev2 == nil || sev2.Met != 2 || sev2.Missed != 1 || *sev2.Ratio != 0.6667 || sev2.Stats.N != 2 || *sev2.Stats.Mean != 210 {
		t.Errorf("sev2 target = %+v", sev2)
	}

	// The population is the incidents and problems opened in May: #1–#9
	// (#10 was opened in April, #11 after as-of). F (#6) has no response,
	// which leaves eight with one. Of those, C (#3) was closed as not
	// planned and E (#5) is still inside its window; the other six are
	// eligible: A, B, H and I resolved within a day of the response, G
	// took 30 h and D is open past its deadline.
	wantRW := ResolvedWithin{
		WithinSeconds: 86400, Eligible: 6, Met: 4, Missed: 2, Ratio: f(0.6667),
		NotYetEligible: 1, OpenPastDeadline: 1, NoResponse: 1, ClosedUnresolved: 1,
		TargetRatio: 0.8, TargetMet: b(false), SmallSample: false,
		Population: "incidents and problems opened in the period with a first response",
	}
	if !reflect.DeepEqual(m.ResolvedWithin24h, wantRW) {
		t.Errorf("resolved within 24h = %+v\nwant %+v", m.ResolvedWithin24h, wantRW)
	}
	// Every ticket of the population lands in exactly one count, and the
	// unanswered one is counted beside it: 6 + 1 + 1 = 8 with a response,
	// 9 with F, none dropped.
	rw := m.ResolvedWithin24h
	if with := rw.Eligible + rw.NotYetEligible + rw.ClosedUnresolved; with != 8 || with+rw.NoResponse != 9 {
		t.Errorf("resolved within 24h counts %d tickets with a response and %d in all; want 8 and 9", with, with+rw.NoResponse)
	}

	rr := m.ResolutionRate
	if rr.Opened != 9 || rr.Resolved != 5 || rr.Open != 3 || rr.NotPlanned != 1 || rr.Duplicate != 0 || *rr.Ratio != 0.5556 {
		t.Errorf("resolution rate = %+v", rr)
	}

	// D: first response 2026-05-20 09:10, deadline a day later, as-of
	// 2026-06-01: 10 d 14 h 50 min overdue.
	if len(m.OpenPastDeadline) != 1 || m.OpenPastDeadline[0].Number != 4 || m.OpenPastDeadline[0].OverdueSeconds != 917400 || m.OpenPastDeadline[0].Team != "platform" {
		t.Errorf("open past deadline = %+v; want #4, 917400 s", m.OpenPastDeadline)
	}

	sev1 := m.BySeverity["sev1"].MTTR
	if sev1.N != 2 || *sev1.Mean != 1200 || !*sev1.Met || !sev1.SmallSample {
		t.Errorf("sev1 mttr = %s met %v", statsString(sev1.Stats), sev1.Met)
	}
	if r := m.ByResponder[NoneKey].FirstResponse; r.NoResponse != 1 || r.N != 0 || r.Mean != nil {
		t.Errorf("unanswered group = %+v; want one ticket, mean null", r)
	}
	if r := m.ByResponder["tom-becker"].MTTR; r.N != 2 {
		t.Errorf("tom-becker mttr n = %d; want 2 (A and I)", r.N)
	}
	if len(m.ByMonth) != 1 || m.ByMonth[0].Month != "2026-05" || m.ByMonth[0].MTTR.N != 4 {
		t.Errorf("by month = %+v", m.ByMonth)
	}
	if got := m.Sources["started"]; got["form"] != 1 || got["created_at"] != 8 {
		t.Errorf("started sources = %v; want form 1, created_at 8", got)
	}
	if len(m.WorstServices) != 1 || m.WorstServices[0].Service != "postgres" || len(m.WorstServices[0].Missed) != 2 {
		t.Errorf("worst services = %+v", m.WorstServices)
	}
}

func TestComputeNoDataIsNull(t *testing.T) {
	m := Compute(nil, options())
	if m.MTTR.N != 0 || m.MTTR.Mean != nil || m.MTTR.Met != nil || m.MTTR.WithinTargetRatio != nil {
		t.Errorf("mttr = %+v; want n 0 and null figures", m.MTTR)
	}
	if m.ResolvedWithin24h.Ratio != nil || m.ResolvedWithin24h.TargetMet != nil || m.ResolutionRate.Ratio != nil {
		t.Errorf("ratios = %v %v %v; want null", m.ResolvedWithin24h.Ratio, m.ResolvedWithin24h.TargetMet, m.ResolutionRate.Ratio)
	}
	if m.Satisfaction.Mean != nil || m.Satisfaction.Met != nil {
		t.Errorf("satisfaction = %+v; want null", m.Satisfaction)
	}
}

func TestPendingResponseTarget(t *testing.T) {
	o := options()
	// Filed 10 minutes before as-of, sev1 (5 min target): a miss; sev4
	// (4 h): pending.
	tickets := []ticket.Ticket{
		tk(1, ticket.Incident, "sev1", asOf.Add(-10*time.Minute), ""),
		tk(2, ticket.Incident, "sev4", asOf.Add(-10*time.Minute), ""),
	}
	m := Compute(tickets, o)
	if s := m.FirstResponse.WithinTarget; s.Missed != 1 || s.Pending != 1 || s.Eligible != 1 || *s.Ratio != 0 {
		t.Errorf("within target = %+v; want 1 missed, 1 pending", s)
	}
}

func TestSatisfaction(t *testing.T) {
	var tickets []ticket.Ticket
	for i, r := range []string{"5", "4", "2", "seven", ""} {
		x := tk(i+1, ticket.Feedback, "", day(3, 12, 0), "")
		x.Fields = map[string]string{"rating": r}
		tickets = append(tickets, x)
	}
	s := Compute(tickets, options()).Satisfaction
	want := Satisfaction{N: 3, Mean: f(3.67), SatisfiedRatio: f(0.6667), Invalid: 2, TargetMean: 4, Met: b(false), SmallSample: true}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("satisfaction = %+v; want %+v", s, want)
	}
}

func TestPostmortemMilestones(t *testing.T) {
	tickets := append(fixture(), tk(12, ticket.Feedback, "", day(5, 9, 0), ""))
	o := options()
	tm := func(d, h, mi int) *time.Time { x := day(d, h, mi); return &x }
	o.Postmortems = []Postmortem{
		// A: reviewed start 10 min before filing beats the form's 4 min.
		{Incident: 1, Path: "content/postmortems/a.md", Started: tm(10, 9, 50), Acknowledged: tm(10, 10, 3), Resolved: tm(10, 11, 0)},
		// D is open on GitHub; the postmortem says resolved.
		{Incident: 4, Path: "content/postmortems/d.md", Resolved: tm(20, 12, 0)},
		// B's number, but impact "started" after B was resolved: the
		// wrong issue, so left out.
		{Incident: 2, Path: "content/postmortems/b.md", Started: tm(11, 13, 0)},
		// A feedback ticket's number: left out.
		{Incident: 12, Path: "content/postmortems/f.md", Started: tm(5, 8, 0)},
		// No issue at all.
		{Incident: 99, Path: "content/postmortems/z.md", Service: "dns", Severity: "sev2",
			Started: tm(28, 9, 30), Detected: tm(28, 9, 33), Acknowledged: tm(28, 9, 35), Resolved: tm(28, 9, 58)},
	}
	tls, c := Timelines(tickets, o)
	use := c.Postmortems
	byNum := map[int]ticket.Timeline{}
	for _, tl := range tls {
		byNum[tl.Number] = tl
	}
	a := byNum[1]
	if !a.Started.At.Equal(*tm(10, 9, 50)) || a.Started.Source != ticket.SourcePostmortem || a.Started.Ref != "content/postmortems/a.md" {
		t.Errorf("A started = %+v; want the postmortem's 09:50", a.Started)
	}
	if !a.FirstResponse.At.Equal(day(10, 10, 0)) || a.FirstResponse.Source != ticket.SourceComment {
		t.Errorf("A first response = %+v; want GitHub's comment at 10:00", a.FirstResponse)
	}
	if !a.Resolved.At.Equal(day(10, 10, 26)) || a.Resolved.Source != ticket.SourceCloseEvent {
		t.Errorf("A resolved = %+v; want GitHub's close at 10:26", a.Resolved)
	}
	d := byNum[4]
	if d.Outcome != ticket.OutcomeResolved || d.Resolved.Source != ticket.SourcePostmortem {
		t.Errorf("D = %s %+v; want resolved from the postmortem", d.Outcome, d.Resolved)
	}
	z, ok := byNum[99]
	if !ok || z.Class != ticket.Incident || !z.Created.Equal(day(28, 9, 33)) || z.Resolved == nil || z.Service != "dns" {
		t.Errorf("postmortem-only incident = %+v", z)
	}
	if !reflect.DeepEqual(use.Matched, []int{1, 4}) || !reflect.DeepEqual(use.WithoutTicket, []int{99}) {
		t.Errorf("use = %+v", use)
	}
	wantRejected := []RejectedPostmortem{{2, "content/postmortems/b.md",
		"started (2026-05-11T13:00:00Z, from the postmortem) would come after resolved (2026-05-11T12:30:00Z, from the close_event): is the incident number right?"},
		{12, "content/postmortems/f.md", "issue #12 is a feedback ticket, not an incident or problem: is the incident number right?"}}
	if !reflect.DeepEqual(use.Rejected, wantRejected) {
		t.Errorf("rejected = %+v\nwant %+v", use.Rejected, wantRejected)
	}
	if b := byNum[2]; b.Started.Source == ticket.SourcePostmortem {
		t.Errorf("B took the rejected postmortem's start: %+v", b.Started)
	}
	m := Compute(tickets, o)
	// A is now 36 min (2160 s) and Z 28 min (1680 s): 600, 1680, 1800→2160, 2400, 9000.
	if m.MTTR.N != 5 || *m.MTTR.Mean != (600+1680+2160+2400+9000)/5 {
		t.Errorf("mttr with postmortems = %s", statsString(m.MTTR.Stats))
	}
	if m.Sources["started"]["postmortem"] != 2 {
		t.Errorf("started sources = %v; want 2 from postmortems", m.Sources["started"])
	}
}

func TestMonthsInConfiguredTimezone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	o := options()
	o.Location = berlin
	o.From = time.Date(2026, 5, 1, 0, 0, 0, 0, berlin)
	o.To = time.Date(2026, 7, 1, 0, 0, 0, 0, berlin)
	o.AsOf = o.To
	// 23:30 UTC on 31 May is 01:30 on 1 June in Berlin.
	late := time.Date(2026, 5, 31, 23, 30, 0, 0, time.UTC)
	m := Compute([]ticket.Ticket{tk(1, ticket.Incident, "sev2", late, "", comment(5, "li-na"), closeAs(20, ticket.Completed))}, o)
	if len(m.ByMonth) != 2 || m.ByMonth[0].MTTR.N != 0 || m.ByMonth[1].MTTR.N != 1 || m.ByMonth[1].Month != "2026-06" {
		t.Errorf("months = %+v; want the incident in June", m.ByMonth)
	}
	if !m.ByMonth[1].From.Equal(time.Date(2026, 5, 31, 22, 0, 0, 0, time.UTC)) {
		t.Errorf("June starts %s; want 22:00 UTC on 31 May", m.ByMonth[1].From.UTC())
	}
	if m.Timezone != "Europe/Berlin" {
		t.Errorf("timezone = %q", m.Timezone)
	}
}

func TestMissed(t *testing.T) {
	m := Compute(fixture(), options())
	if got := m.Missed(); !reflect.DeepEqual(got, []string{TargetMTTR, TargetResolvedWithin24h}) {
		t.Errorf("missed = %v", got)
	}
	if got := Compute(nil, options()).Missed(); len(got) != 0 {
		t.Errorf("no data: missed = %v; want none (nothing to judge)", got)
	}
}
