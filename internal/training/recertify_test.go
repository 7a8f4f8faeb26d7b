package training

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/quiz"
)

// recertRecords are the records at asOf of an on-call curriculum of two
// modules renewed every 100 days, notice days before expiry: ann passed
// both on 2026-01-01 (expires 2026-04-11), bob on 2026-03-01 (expires
// 2026-06-09) and cy passed m1 only.
func recertRecords(t *testing.T, asOf time.Time, notice int) *Records {
	t.Helper()
	cfg, err := config.Parse([]byte(`organisation: Test
roles:
  - {id: on-call-engineer, name: On call, on_call: true}
teams:
  - id: ops
    name: Ops
    members:
      - {login: Ann, name: Ann A, role: on-call-engineer}
      - {login: bob, role: on-call-engineer}
      - {login: cy, role: on-call-engineer}
`))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Training.NoticeDays = notice
	cs := []Curriculum{{ID: "on-call", Audience: []string{"on-call-engineer"}, Modules: []string{"m1", "m2"}, RecertifyDays: 100, OnCall: true}}
	ms := []Module{{ID: "m1", Title: "Module one", Quiz: "q1"}, {ID: "m2", Title: "Module two", Quiz: "q2"}}
	pass := func(who, q, when string) Verdict {
		return Verdict{Submission: Submission{Author: who, QuizID: q, At: at(when)}, Status: Passed, Result: quiz.Result{Score: 100}}
	}
	attempts := []Verdict{
		pass("ann", "q1", "2026-01-01T00:00:00Z"), pass("ann", "q2", "2026-01-01T00:00:00Z"),
		pass("bob", "q1", "2026-03-01T00:00:00Z"), pass("bob", "q2", "2026-03-20T00:00:00Z"),
		pass("cy", "q1", "2026-01-01T00:00:00Z"),
	}
	return Build(cfg, cs, ms, attempts, asOf)
}

func noticeSummary(ns []Notice) string {
	var parts []string
	for _, n := range ns {
		var mods []string
		for _, m := range n.Modules {
			s := m.ID + "@" + m.Expires.Format(time.DateOnly)
			if m.Lapsed {
				s += "!"
			}
			mods = append(mods, s)
		}
		parts = append(parts, fmt.Sprintf("%s %s %s [%s]", n.Login, n.State, n.Expires.Format(time.DateOnly), strings.Join(mods, " ")))
	}
	return strings.Join(parts, "; ")
}

func TestNotices(t *testing.T) {
	for _, tc := range []struct {
		name   string
		asOf   string
		notice int
		want   string
	}{
		// Nobody within 30 days of an expiry.
		{"nothing due", "2026-02-01T00:00:00Z", 30, ""},
		// Ann's passes expire 2026-04-11: due from 30 days before.
		{"window opens", "2026-03-12T00:00:00Z", 30, "ann due 2026-04-11 [m1@2026-04-11 m2@2026-04-11]"},
		{"day before the window", "2026-03-11T23:59:59Z", 30, ""},
		// A wider window takes bob in, with only his module expiring in it.
		{"wider window", "2026-04-01T00:00:00Z", 70, "ann due 2026-04-11 [m1@2026-04-11 m2@2026-04-11]; bob due 2026-06-09 [m1@2026-06-09]"},
		// Past the expiry: expired, the modules lapsed. Cy never passed m2:
		// in progress, which is training, not recertification.
		{"expired", "2026-04-12T00:00:00Z", 14, "ann expired 2026-04-11 [m1@2026-04-11! m2@2026-04-11!]"},
		{"expired and due", "2026-06-01T00:00:00Z", 14, "ann expired 2026-04-11 [m1@2026-04-11! m2@2026-04-11!]; bob due 2026-06-09 [m1@2026-06-09]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := recertRecords(t, at(tc.asOf), tc.notice)
			if got := noticeSummary(r.Notices()); got != tc.want {
				t.Errorf("notices:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestMarker(t *testing.T) {
	body := "Hello\n\n" + Marker("Ann") + "\n"
	if got, ok := MarkedPerson(body); !ok || got != "ann" {
		t.Errorf("MarkedPerson = %q, %v", got, ok)
	}
	if got, ok := MarkedPerson("<!--opsqa:recertify  person=Bob-X-->"); !ok || got != "bob-x" {
		t.Errorf("spacing: %q, %v", got, ok)
	}
	for _, b := range []string{"", "opsqa:recertify person=ann", "<!-- opsqa:recertify person= -->", "<!-- opsqa:recertify person=-ann -->"} {
		if got, ok := MarkedPerson(b); ok {
			t.Errorf("MarkedPerson(%q) = %q", b, got)
		}
	}
}

func planSummary(as []Action) string {
	var parts []string
	for _, a := range as {
		s := fmt.Sprintf("%s %s #%d", a.Kind, a.Person, a.Issue)
		if a.Duplicate {
			s += " dup"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func TestPlan(t *testing.T) {
	r := recertRecords(t, at("2026-06-01T00:00:00Z"), 14)
	notices := r.Notices()
	drafts := make([]Draft, len(notices))
	for i, n := range notices {
		drafts[i] = Draft{Notice: n, Title: "Recertify " + n.Login, Body: Marker(n.Login) + "\n" + n.State}
	}

	// First run: an issue each.
	if got := planSummary(Plan(r, drafts, nil)); got != "open ann #0, open bob #0" {
		t.Errorf("first run: %s", got)
	}

	// Ann's issue says it already, bob's is stale, cy's and dee's are no
	// longer due, bob has a second issue, and an issue without the marker
	// is someone else's.
	open := []OpenIssue{
		{Number: 3, Title: "Recertify ann", Body: drafts[0].Body},
		{Number: 9, Title: "Recertify bob", Body: Marker("bob") + "\ndue earlier"},
		{Number: 4, Title: "Recertify bob", Body: Marker("BOB") + "\nstale"},
		{Number: 5, Title: "Recertify cy", Body: Marker("cy")},
		{Number: 6, Title: "Recertify dee", Body: Marker("dee")},
		{Number: 7, Title: "Recertification", Body: "opened by hand"},
	}
	plan := Plan(r, drafts, open)
	if got := planSummary(plan); got != "none ann #3, update bob #4, close cy #5, close dee #6, close bob #9 dup" {
		t.Errorf("second run: %s", got)
	}
	why := map[int]string{}
	for _, a := range plan {
		why[a.Issue] = a.Why
	}
	for n, want := range map[int]string{
		5: "as of 2026-06-01 nothing is due: on-call in progress, 0 of 2 modules",
		6: "dee is on no team in opsqa.yaml and has no quiz results",
		9: "#4 is the one kept up to date",
	} {
		if !strings.Contains(why[n], want) {
			t.Errorf("why #%d: %q; want it to hold %q", n, why[n], want)
		}
	}

	// Nobody due: every marked issue is closed, nothing opened.
	later := recertRecords(t, at("2026-02-01T00:00:00Z"), 14)
	if got := planSummary(Plan(later, nil, open[:1])); got != "close ann #3" {
		t.Errorf("nobody due: %s", got)
	}
	if got := Plan(later, nil, nil); len(got) != 0 {
		t.Errorf("nobody due, no issues: %v", got)
	}
}
