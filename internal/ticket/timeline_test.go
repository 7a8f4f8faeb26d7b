package ticket

import (
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
)

var t0 = time.Date(2026, 5, 9, 2, 14, 0, 0, time.UTC)

func at(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }

var (
	human  = func(l string) Actor { return Actor{Login: l, Type: "User"} }
	bot    = Actor{Login: "github-actions[bot]", Type: "Bot"}
	author = human("emma-johnson")
)

func incident(events ...Event) *Ticket {
	return &Ticket{
		Number: 14, Class: Incident, Service: "postgres", Severity: "sev1",
		Author: author, State: Open, CreatedAt: t0, Events: events,
	}
}

func closed(t *Ticket, reason StateReason) *Ticket {
	t.State = Closed
	t.StateReason = reason
	last := t.Events[len(t.Events)-1].At
	t.ClosedAt = &last
	return t
}

var asOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func TestFirstResponseIgnoresBotsAndAuthor(t *testing.T) {
	tk := incident(
		Event{Kind: Commented, At: at(0), Actor: bot},
		Event{Kind: Commented, At: at(1), Actor: author},
		Event{Kind: Commented, At: at(2), Actor: Actor{Login: "renovate[bot]"}},
		Event{Kind: Commented, At: at(7), Actor: human("Tom-Becker")},
	)
	tl := BuildTimeline(tk, Policy{}, asOf)
	if tl.FirstResponse == nil || !tl.FirstResponse.At.Equal(at(7)) || tl.Responder != "tom-becker" || tl.FirstResponse.Source != SourceComment {
		t.Fatalf("first response = %+v, responder %q; want tom-becker's comment at +7m", tl.FirstResponse, tl.Responder)
	}
}

func TestFirstResponseZeroSeconds(t *testing.T) {
	tk := incident(Event{Kind: Commented, At: t0, Actor: human("li-na")})
	tl := BuildTimeline(tk, Policy{}, asOf)
	if tl.FirstResponse == nil || tl.FirstResponse.At.Sub(tl.Created) != 0 {
		t.Fatalf("first response = %+v; want one at created_at", tl.FirstResponse)
	}
}

func TestFirstResponseSignals(t *testing.T) {
	tk := incident(
		Event{Kind: Assigned, At: at(2), Actor: bot, Assignee: "tom-becker"},
		Event{Kind: Labeled, At: at(3), Actor: human("li-na"), Label: "Acknowledged"},
		Event{Kind: Assigned, At: at(4), Actor: human("tom-becker"), Assignee: "tom-becker"},
		Event{Kind: Commented, At: at(5), Actor: human("tom-becker")},
	)
	cases := []struct {
		signals []Signal
		want    time.Time
		src     Source
	}{
		{nil, at(5), SourceComment},
		{[]Signal{SignalComment, SignalAssignment}, at(4), SourceAssignment},
		{[]Signal{SignalComment, SignalAssignment, SignalLabel}, at(3), SourceLabel},
	}
	for _, c := range cases {
		p := Policy{Signals: c.signals, AckLabels: []string{"acknowledged"}}
		tl := BuildTimeline(tk, p, asOf)
		if tl.FirstResponse == nil || !tl.FirstResponse.At.Equal(c.want) || tl.FirstResponse.Source != c.src {
			t.Errorf("signals %v: first response %+v; want %s from %s", c.signals, tl.FirstResponse, c.want, c.src)
		}
	}
}

func TestFirstResponseTeamMembersOnly(t *testing.T) {
	cfg, err := config.Parse([]byte(`
roles: [{id: on-call-engineer, on_call: true}, {id: developer}]
teams:
  - {id: operations, members: [{login: tom-becker, role: on-call-engineer}]}
  - {id: platform, members: [{login: hannah-kim, role: dba}]}
  - {id: applications, members: [{login: wang-fang, role: developer}]}
services: [{id: postgres, team: platform}]
kpi: {responders: team-members}
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := PolicyFromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tk := incident(
		Event{Kind: Commented, At: at(1), Actor: human("a-customer")},
		Event{Kind: Commented, At: at(2), Actor: human("wang-fang")},
		Event{Kind: Commented, At: at(3), Actor: human("tom-becker")},
	)
	tl := BuildTimeline(tk, p, asOf)
	if tl.Responder != "tom-becker" {
		t.Errorf("responder = %q; want tom-becker (on call), not an outsider or another team's developer", tl.Responder)
	}
	tk.Service = ""
	tl = BuildTimeline(tk, p, asOf)
	if tl.Responder != "wang-fang" {
		t.Errorf("without a service, responder = %q; want wang-fang (any team member)", tl.Responder)
	}
}

func TestResolutionReopened(t *testing.T) {
	tk := closed(incident(
		Event{Kind: Commented, At: at(5), Actor: human("tom-becker")},
		Event{Kind: Labeled, At: at(10), Actor: human("tom-becker"), Label: "mitigated"},
		Event{Kind: ClosedEv, At: at(20), Actor: human("tom-becker"), StateReason: Completed},
		Event{Kind: ReopenedEv, At: at(90), Actor: human("emma-johnson")},
		Event{Kind: ClosedEv, At: at(150), Actor: human("hannah-kim"), StateReason: Completed},
	), Completed)
	p := Policy{MitigatedLabels: []string{"mitigated"}}
	tl := BuildTimeline(tk, p, asOf)
	if tl.Outcome != OutcomeResolved || !tl.Resolved.At.Equal(at(150)) || tl.Reopens != 1 || tl.Resolved.Source != SourceCloseEvent {
		t.Errorf("final close: outcome %s resolved %+v reopens %d; want resolved at +150m, 1 reopen", tl.Outcome, tl.Resolved, tl.Reopens)
	}
	if tl.Mitigated == nil || !tl.Mitigated.At.Equal(at(10)) {
		t.Errorf("mitigated = %+v; want +10m", tl.Mitigated)
	}
	p.Resolution = FirstClose
	tl = BuildTimeline(tk, p, asOf)
	if !tl.Resolved.At.Equal(at(20)) {
		t.Errorf("first close: resolved %+v; want +20m", tl.Resolved)
	}
	// Between the reopen and the second close, the ticket was open.
	tl = BuildTimeline(tk, Policy{}, at(100))
	if tl.Outcome != OutcomeOpen || tl.Resolved != nil || tl.Reopens != 1 {
		t.Errorf("as of +100m: outcome %s resolved %+v; want open", tl.Outcome, tl.Resolved)
	}
}

func TestResolutionReopenedStillOpen(t *testing.T) {
	tk := incident(
		Event{Kind: ClosedEv, At: at(20), Actor: human("tom-becker"), StateReason: Completed},
		Event{Kind: ReopenedEv, At: at(90), Actor: human("emma-johnson")},
	)
	tl := BuildTimeline(tk, Policy{}, asOf)
	if tl.Outcome != OutcomeOpen || tl.Resolved != nil {
		t.Errorf("final close on a reopened ticket: outcome %s resolved %+v; want open, none", tl.Outcome, tl.Resolved)
	}
}

func TestResolutionNotPlannedAndDuplicate(t *testing.T) {
	for _, reason := range []StateReason{NotPlanned, Duplicate} {
		tk := closed(incident(
			Event{Kind: ClosedEv, At: at(30), Actor: human("tom-becker"), StateReason: reason},
		), reason)
		tl := BuildTimeline(tk, Policy{}, asOf)
		if tl.Resolved != nil || string(tl.Outcome) != string(reason) || tl.ClosedAt == nil || !tl.ClosedAt.Equal(at(30)) {
			t.Errorf("%s: outcome %s resolved %+v closed %v", reason, tl.Outcome, tl.Resolved, tl.ClosedAt)
		}
	}
}

func TestResolutionFromClosedAtWithoutEvents(t *testing.T) {
	ca := at(45)
	tk := incident()
	tk.State, tk.StateReason, tk.ClosedAt = Closed, "", &ca
	tl := BuildTimeline(tk, Policy{}, asOf)
	if tl.Resolved == nil || !tl.Resolved.At.Equal(ca) || tl.Resolved.Source != SourceClosedAt {
		t.Errorf("resolved = %+v; want closed_at +45m", tl.Resolved)
	}
	tl = BuildTimeline(tk, Policy{}, at(30))
	if tl.Resolved != nil {
		t.Errorf("as of before closed_at: resolved %+v; want none", tl.Resolved)
	}
}

func TestStartedFromForm(t *testing.T) {
	cases := []struct {
		field string
		want  time.Time
		src   Source
		note  string
	}{
		{"2026-05-09T02:10:00Z", at(-4), SourceForm, ""},
		{"2026-05-09 02:10 UTC", at(-4), SourceForm, ""},
		{"2026-05-09 04:10+02:00", at(-4), SourceForm, ""},
		{"2026-05-09 02:10", at(-4), SourceForm, ""},
		{"", t0, SourceCreated, "no impact_started"},
		{"around 2am", t0, SourceCreated, "is not a time"},
		{"2026-05-09 02:10 CEST", t0, SourceCreated, "is not a time"},
		{"2026-05-09T03:00:00Z", t0, SourceCreated, "later than created_at"},
		{"2026-05-09T02:14:00Z", t0, SourceForm, ""},
	}
	for _, c := range cases {
		tk := incident()
		tk.Fields = map[string]string{"impact_started": c.field}
		got := BuildTimeline(tk, Policy{}, asOf).Started
		if !got.At.Equal(c.want) || got.Source != c.src || (c.note == "") != (got.Note == "") || !strings.Contains(got.Note, c.note) {
			t.Errorf("impact_started %q: started %+v; want %s from %s, note containing %q", c.field, got, c.want, c.src, c.note)
		}
	}
}

func TestEventsAfterAsOfIgnored(t *testing.T) {
	tk := closed(incident(
		Event{Kind: Commented, At: at(5), Actor: human("tom-becker")},
		Event{Kind: ClosedEv, At: at(40), Actor: human("tom-becker"), StateReason: Completed},
	), Completed)
	tl := BuildTimeline(tk, Policy{}, at(3))
	if tl.FirstResponse != nil || tl.Outcome != OutcomeOpen {
		t.Errorf("as of +3m: first response %+v outcome %s; want none, open", tl.FirstResponse, tl.Outcome)
	}
}

func TestPolicyFromConfigRejectsUnknown(t *testing.T) {
	for _, y := range []string{
		"kpi: {response_signals: [reaction]}",
		"kpi: {resolution: last-comment}",
		"kpi: {responders: managers}",
		"timezone: Mars/Olympus",
	} {
		cfg, err := config.Parse([]byte(y))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := PolicyFromConfig(cfg); err == nil {
			t.Errorf("%s: no error", y)
		}
	}
}

func TestCloseReasonFromIssueWhenEventLacksOne(t *testing.T) {
	// Older timelines carry no state_reason on close events: the issue's
	// own state_reason belongs to its last close only.
	tk := closed(incident(
		Event{Kind: ClosedEv, At: at(10), Actor: human("tom-becker")},
		Event{Kind: ReopenedEv, At: at(20), Actor: human("tom-becker")},
		Event{Kind: ClosedEv, At: at(30), Actor: human("tom-becker")},
	), NotPlanned)
	if tl := BuildTimeline(tk, Policy{}, asOf); tl.Outcome != OutcomeNotPlanned || tl.Resolved != nil {
		t.Errorf("now: outcome %s resolved %+v; want not_planned", tl.Outcome, tl.Resolved)
	}
	if tl := BuildTimeline(tk, Policy{}, at(15)); tl.Outcome != OutcomeResolved || !tl.Resolved.At.Equal(at(10)) {
		t.Errorf("as of +15m: outcome %s resolved %+v; want the first close, as completed", tl.Outcome, tl.Resolved)
	}
}
