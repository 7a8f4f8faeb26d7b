package scorecard

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/alerting"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/review"
	"github.com/opsqa/opsqa/internal/ticket"
	"github.com/opsqa/opsqa/internal/training"
)

func doc(t *testing.T, kind, path, src string) *document.Document {
	t.Helper()
	d, ds := document.Parse(path, []byte(src))
	if len(ds) > 0 || d == nil {
		t.Fatalf("parse %s: %v", path, ds)
	}
	d.Kind = kind
	return d
}

func testDocs(t *testing.T) []*document.Document {
	return []*document.Document{
		doc(t, "runbook", "content/runbooks/web-down.md", "---\nid: web-down\nservice: web\nstatus: active\nalerts: [WebDown]\nlast_reviewed: 2026-06-01\nreview_interval_days: 30\n---\n"),
		// The default interval, 180 days, ended on 2026-06-30.
		doc(t, "runbook", "content/runbooks/db-lag.md", "---\nid: db-lag\nservice: db\nstatus: active\nalerts: [DBLag]\nlast_reviewed: 2026-01-01\n---\n"),
		doc(t, "postmortem", "content/postmortems/p7.md", "---\nid: p7\nincident: 7\n---\n"),
		doc(t, "postmortem", "content/postmortems/p-bad.md", "---\nid: p-bad\nincident: soon\n---\n"),
		doc(t, "curriculum", "training/curricula/on-call.md", "---\nid: on-call\nstatus: active\naudience: [on-call-engineer]\nmodules: [m1, missing-module]\nrecertify_days: 365\n---\n"),
		doc(t, "curriculum", "training/curricula/dev.md", "---\nid: dev\nstatus: active\naudience: [developer]\nmodules: [m2]\n---\n"),
		doc(t, "module", "training/modules/m1.md", "---\nid: m1\nquiz: q1\n---\n"),
		doc(t, "quiz", "training/quizzes/q1.md", "---\nid: q1\npass_mark: 100\n---\n\n## Two plus two {#sum}\n\n1. [ ] 3\n1. [x] 4\n\n## Colours of the flag {#colour}\n\n- [x] red\n- [ ] blue\n- [x] green\n"),
	}
}

// testAlerts are alerts as alerting.Read resolves them from the rule
// files, over the runbooks of docs.
func testAlerts(docs []*document.Document) []alerting.Alert {
	webDown, dbLag := docs[0], docs[1]
	return []alerting.Alert{
		{Name: "WebDown", Service: "web", RunbookURL: "https://ops.example/runbooks/web-down/", Runbook: webDown, Covered: true},
		{Name: "WebSlow", Service: "web", RunbookURL: "https://other.example/runbooks/web-down/", Problem: "runbook_url leads to no runbook"},
		{Name: "DBLag", Service: "db", RunbookURL: "../../content/runbooks/db-lag.md", Runbook: dbLag, Covered: true},
		{Name: "DBGone", Service: "db", RunbookURL: "https://github.com/acme/ops/blob/main/content/runbooks/db-lag.md", Runbook: dbLag, Problem: "runbook db-lag does not list it"},
	}
}

func testSources(t *testing.T) Sources {
	cfg := parseConfig(t, testConfig+"\nalert_rules: [monitoring/**/*.yaml]\nrepository: acme/ops\nsite: {base_url: \"https://ops.example/\"}\n")
	mean := int64(1500)
	at := func(s string) *ticket.Milestone {
		tm, _ := time.Parse(time.DateOnly, s)
		return &ticket.Milestone{At: tm}
	}
	created := func(s string) time.Time { return at(s).At }
	docs := testDocs(t)
	met, missed := true, false
	return Sources{
		Config:  cfg,
		Docs:    docs,
		Reviews: review.All(docs, cfg, now),
		Alerts:  testAlerts(docs),
		Metrics: &kpi.Metrics{
			Period: kpi.Period{From: day("2026-06-01"), To: day("2026-07-01")},
			ByService: map[string]kpi.Summary{"db": {
				MTTR:          kpi.MTTR{Stats: kpi.Stats{N: 3, Mean: &mean}, TargetSeconds: 1800, Met: &met},
				FirstResponse: kpi.FirstResponse{WithinTarget: kpi.TargetShare{Eligible: 4, Met: 3, Missed: 1, TargetRatio: 0.8, TargetMet: &missed}},
			}},
		},
		Timelines: []ticket.Timeline{
			{Number: 7, Class: ticket.Incident, Service: "db", Severity: "sev1", Outcome: ticket.OutcomeResolved, Resolved: at("2026-06-10")},
			{Number: 8, Class: ticket.Incident, Service: "db", Severity: "sev2", Outcome: ticket.OutcomeResolved, Resolved: at("2026-06-20")},
			{Number: 9, Class: ticket.Incident, Service: "db", Severity: "sev1", Outcome: ticket.OutcomeResolved, Resolved: at("2026-05-01")}, // before the period
			{Number: 10, Class: ticket.Incident, Service: "db", Severity: "sev1", Outcome: ticket.OutcomeOpen},
			{Number: 11, Class: ticket.Problem, Service: "db", Severity: "sev1", Outcome: ticket.OutcomeResolved, Resolved: at("2026-06-10")},
		},
		Snapshot: &ticket.Snapshot{Tickets: []ticket.Ticket{
			{Number: 20, Class: ticket.QuizResult, Author: ticket.Actor{Login: "ANN"}, CreatedAt: created("2026-06-02"),
				Fields: map[string]string{"quiz_id": "q1", "answers": "sum: b\ncolour: c, a", "score": "0/2"}},
			// The stated score is ignored: the answer key fails it.
			{Number: 21, Class: ticket.QuizResult, Author: ticket.Actor{Login: "carl"}, CreatedAt: created("2026-06-02"),
				Fields: map[string]string{"quiz_id": "q1", "answers": "sum: a\ncolour: a, c", "score": "2/2"}},
			// Submitted after the as-of time.
			{Number: 22, Class: ticket.QuizResult, Author: ticket.Actor{Login: "carl"}, CreatedAt: created("2026-07-05"),
				Fields: map[string]string{"quiz_id": "q1", "answers": "sum: b\ncolour: a, c"}},
			// Closed as not planned: withdrawn.
			{Number: 23, Class: ticket.QuizResult, Author: ticket.Actor{Login: "carl"}, CreatedAt: created("2026-06-03"), StateReason: ticket.NotPlanned,
				Fields: map[string]string{"quiz_id": "q1", "answers": "sum: b\ncolour: a, c"}},
			{Number: 24, Class: ticket.QuizResult, Author: ticket.Actor{Login: "carl"}, CreatedAt: created("2026-06-03"),
				Fields: map[string]string{"quiz_id": "no-such-quiz", "answers": "x: a"}},
			// Right by today's key, but answered to a version the
			// repository does not have: not graded, not counted.
			{Number: 25, Class: ticket.QuizResult, Author: ticket.Actor{Login: "dee"}, CreatedAt: created("2026-06-03"),
				Fields: map[string]string{"quiz_id": "q1", "quiz_version": "deadbeef0000", "answers": "sum: b\ncolour: a, c"}},
		}},
	}
}

func TestGather(t *testing.T) {
	in := Gather(testSources(t), now)
	if len(in.Unavailable) != 0 {
		t.Errorf("unavailable: %v", in.Unavailable)
	}
	var alerts []string
	for _, a := range in.Alerts {
		alerts = append(alerts, fmt.Sprintf("%s/%s→%q", a.Service, a.Name, a.Runbook))
	}
	if got := strings.Join(alerts, " "); got != `web/WebDown→"web-down" web/WebSlow→"" db/DBLag→"db-lag" db/DBGone→"db-lag"` {
		t.Errorf("alerts: %s", got)
	}
	if got := fmt.Sprint(in.Postmortems, in.Incidents); got != "[7] [{7 db sev1} {8 db sev2}]" {
		t.Errorf("postmortems and incidents: %s", got)
	}
	if rb := in.Runbooks[1]; rb.ID != "db-lag" || !rb.HeldToReview || rb.Review == nil ||
		rb.Review.IntervalDays != 180 || rb.Review.Due.Format(time.DateOnly) != "2026-06-30" || !rb.Review.Overdue {
		t.Errorf("runbook: %+v, want db-lag due 2026-06-30 (every 180 days), overdue", rb)
	}
	// The records come from training: m1's quiz passed by ann alone,
	// the missing module left out of the catalogue, dev not on call.
	var curricula []string
	for _, c := range in.Training.Curricula {
		curricula = append(curricula, fmt.Sprintf("%s:%v:%v:%d", c.ID, c.Modules, c.OnCall, c.RecertifyDays))
	}
	if got := strings.Join(curricula, " "); got != "on-call:[m1 missing-module]:true:365 dev:[m2]:false:0" {
		t.Errorf("curricula: %s", got)
	}
	var held []string
	for _, p := range in.Training.People {
		for _, m := range p.Modules {
			if m.State == training.Held {
				held = append(held, p.Login+":"+m.Module+"@"+m.PassedAt.Format(time.DateOnly))
			}
		}
	}
	if got := strings.Join(held, " "); got != "Ann:m1@2026-06-02" {
		t.Errorf("held: %s", got)
	}

	r, err := Evaluate(testSources(t).Config, in, now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range append(r.Services, r.Teams...) {
		got = append(got, summary(c))
	}
	want := `web level="" score=40 alerts-have-runbooks=fail runbooks-reviewed=pass mttr-target=not-measured response-target=not-measured postmortems-done=not-applicable
db level="" score=25 alerts-have-runbooks=fail runbooks-reviewed=fail mttr-target=pass response-target=fail postmortems-done=fail
quiet level="" score=null alerts-have-runbooks=not-applicable runbooks-reviewed=not-applicable mttr-target=not-measured response-target=not-measured postmortems-done=not-applicable
app level="gold" score=100 on-call-trained=pass
plat level="" score=0 on-call-trained=fail
desk level="" score=null on-call-trained=not-applicable`
	if g := strings.Join(got, "\n"); g != want {
		t.Errorf("cards:\n%s\nwant:\n%s", g, want)
	}
	if items := strings.Join(r.Services[1].Checks[0].Items, "|"); items != "DBGone (runbook db-lag does not list it)" {
		t.Errorf("db alert items: %s", items)
	}
}

func TestGatherUnavailable(t *testing.T) {
	src := Sources{Config: testSources(t).Config, Missing: map[Source]string{SourceTickets: "no snapshot: run opsqa incidents sync"}}
	in := Gather(src, now)
	want := map[Source]string{
		SourceDocuments: "the documents were not loaded",
		SourceAlerts:    "the alert rule files were not read",
		SourceKPI:       "no KPI report was computed",
		SourceTickets:   "no snapshot: run opsqa incidents sync",
		SourceTraining:  "no ticket snapshot, so no quiz results",
	}
	if fmt.Sprint(in.Unavailable) != fmt.Sprint(want) {
		t.Errorf("unavailable:\n%v\nwant\n%v", in.Unavailable, want)
	}

	src = testSources(t)
	src.Config.AlertRules = nil
	if got := Gather(src, now).Unavailable[SourceAlerts]; got != "opsqa.yaml lists no alert_rules files" {
		t.Errorf("no alert_rules: %q", got)
	}
}
