package scorecard

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/review"
	"github.com/opsqa/opsqa/internal/training"
)

const testConfig = `
roles:
  - {id: on-call-engineer, on_call: true}
  - {id: sre, on_call: true}
  - {id: developer}
  - {id: service-desk-agent}
teams:
  - id: app
    name: Applications
    members:
      - {login: Ann, role: on-call-engineer}
      - {login: bob, role: developer}
  - id: plat
    name: Platform
    members:
      - {login: carl, role: sre}
  - id: desk
    name: Service desk
    members:
      - {login: dee, role: service-desk-agent}
services:
  - {id: web, name: Web, team: app}
  - {id: db, name: Database, team: plat}
  - {id: quiet, name: Quiet, team: plat}
kpi:
  mttr_target_seconds: 1800
scorecard:
  levels: [bronze, silver, gold]
  checks:
    - {id: alerts-have-runbooks, title: Alerts, level: bronze, weight: 3, applies_to: service, remediation: Add runbooks.}
    - {id: runbooks-reviewed, title: Reviewed, level: bronze, weight: 2, applies_to: service, remediation: Review them.}
    - {id: mttr-target, title: MTTR, level: silver, weight: 3, applies_to: service, remediation: Recover faster.}
    - {id: response-target, title: Response, level: silver, weight: 2, applies_to: service, remediation: Answer sooner.}
    - {id: postmortems-done, title: Postmortems, level: gold, weight: 2, applies_to: service, remediation: Write them.}
    - {id: on-call-trained, title: Training, level: gold, weight: 1, applies_to: team, remediation: Train them.}
`

var now = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testCfg is testConfig parsed.
var testCfg = func() *config.Config {
	cfg, err := config.Parse([]byte(testConfig))
	if err != nil {
		panic(err)
	}
	return cfg
}()

func testInput() Input {
	yes, no := true, false
	return Input{
		Alerts: []Alert{
			{Name: "WebDown", Service: "web", RunbookURL: "../web-down.md", Runbook: "web-down", Covered: true},
			{Name: "WebSlow", Service: "web", RunbookURL: "https://wiki.example/slow", Problem: "runbook_url leads to no runbook"},
			{Name: "WebErrors", Service: "web", Problem: "no runbook_url"},
			{Name: "DBLag", Service: "db", RunbookURL: "db-lag.md", Runbook: "db-lag", Covered: true},
		},
		Runbooks: []Runbook{
			// The verdicts are review.Of's: due 2026-06-30, one day late at now.
			{ID: "web-down", Service: "web", Status: "active", Alerts: []string{"WebDown"}, HeldToReview: true,
				Review: &review.Status{LastReviewed: day("2026-01-01"), Due: day("2026-06-30"), Overdue: true, DaysOverdue: 1}},
			// Due today: not late.
			{ID: "db-lag", Service: "db", Status: "active", Alerts: []string{"DBLag"}, HeldToReview: true,
				Review: &review.Status{LastReviewed: day("2026-06-01"), Due: day("2026-07-01")}},
			{ID: "db-old", Service: "db", Status: "deprecated"},
		},
		KPI: map[string]ServiceKPI{
			// The verdicts are kpi's (MTTRMet, RatioMet); the checks take them.
			"db":  {MTTR: MTTR{N: 6, MeanSeconds: 1500, TargetSeconds: 1800, Met: &yes}, Response: ResponseTally{Eligible: 10, Within: 8, TargetRatio: 0.8, Met: &yes}},
			"web": {MTTR: MTTR{N: 2, MeanSeconds: 2000.4, TargetSeconds: 1800, Met: &no}, Response: ResponseTally{Eligible: 5, Within: 3, TargetRatio: 0.8, Met: &no}},
		},
		Incidents: []Incident{
			{Number: 7, Service: "db", Severity: "sev1"},
			{Number: 8, Service: "db", Severity: "SEV2"},
			{Number: 9, Service: "db", Severity: "sev3"},
		},
		Postmortems: []int{7, 100},
		Training: trainingRecords(testCfg,
			[]training.Curriculum{{ID: "on-call-basics", Audience: []string{"on-call-engineer"}, Modules: []string{"q1", "q2"}, OnCall: true}},
			map[string][]pass{
				"ann":  {{"q2", "2026-03-01"}, {"q1", "2026-03-01"}},
				"carl": {{"q1", "2026-03-01"}},
			}),
	}
}

// pass is a passed quiz on a day.
type pass struct{ quiz, day string }

// trainingRecords builds the records training.Build makes of passes:
// each quiz assesses the module of the same id.
func trainingRecords(cfg *config.Config, cs []training.Curriculum, passes map[string][]pass) *training.Records {
	var ms []training.Module
	for _, c := range cs {
		for _, m := range c.Modules {
			ms = append(ms, training.Module{ID: m, Quiz: m})
		}
	}
	var attempts []training.Verdict
	for login, ps := range passes {
		for _, p := range ps {
			attempts = append(attempts, training.Verdict{Status: training.Passed,
				Submission: training.Submission{Author: login, QuizID: p.quiz, At: day(p.day)}})
		}
	}
	return training.Build(cfg, cs, ms, attempts, now)
}

func parseConfig(t *testing.T, src string) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// summary writes a card on one line: level, score and each check's status.
func summary(c Card) string {
	score := "null"
	if c.Score != nil {
		score = fmt.Sprint(*c.Score)
	}
	var st []string
	for _, r := range c.Checks {
		st = append(st, r.ID+"="+string(r.Status))
	}
	return fmt.Sprintf("%s level=%q score=%s %s", c.ID, c.Level, score, strings.Join(st, " "))
}

func TestEvaluateCards(t *testing.T) {
	r, err := Evaluate(parseConfig(t, testConfig), testInput(), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`web level="" score=0 alerts-have-runbooks=fail runbooks-reviewed=fail mttr-target=fail response-target=fail postmortems-done=not-applicable`,
		`db level="silver" score=83 alerts-have-runbooks=pass runbooks-reviewed=pass mttr-target=pass response-target=pass postmortems-done=fail`,
		`quiet level="" score=null alerts-have-runbooks=not-applicable runbooks-reviewed=not-applicable mttr-target=not-measured response-target=not-measured postmortems-done=not-applicable`,
		`app level="gold" score=100 on-call-trained=pass`,
		`plat level="" score=0 on-call-trained=fail`,
		`desk level="" score=null on-call-trained=not-applicable`,
	}
	var got []string
	for _, c := range append(r.Services, r.Teams...) {
		got = append(got, summary(c))
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("cards:\n%s\nwant:\n%s", g, w)
	}
}

func TestEvaluateFigures(t *testing.T) {
	r, err := Evaluate(parseConfig(t, testConfig), testInput(), now)
	if err != nil {
		t.Fatal(err)
	}
	check := func(cards []Card, card, id string) CheckResult {
		t.Helper()
		for _, c := range cards {
			for _, res := range c.Checks {
				if c.ID == card && res.ID == id {
					return res
				}
			}
		}
		t.Fatalf("no check %s on card %s", id, card)
		return CheckResult{}
	}
	tests := []struct {
		card, id    string
		cards       []Card
		figure      string
		items       string
		value       string
		remediation string
	}{
		{"web", "alerts-have-runbooks", r.Services, "1 of 3 alerts lead to a runbook that lists them",
			"WebErrors (no runbook_url)|WebSlow (runbook_url leads to no runbook)", "0.333/1 ratio n=3", "Add runbooks."},
		{"web", "runbooks-reviewed", r.Services, "0 of 1 active runbooks reviewed within their interval",
			"web-down (review due 2026-06-30)", "0.000/1 ratio n=1", "Review them."},
		{"web", "mttr-target", r.Services, "mean 33m20s over 2 incidents (target 30m0s); small sample",
			"", "2000.400/1800 seconds n=2", "Recover faster."},
		{"web", "response-target", r.Services, "3 of 5 tickets (60 %) got a first response within the severity target (target 80 %)",
			"", "0.600/0.8 ratio n=5", "Answer sooner."},
		{"db", "response-target", r.Services, "8 of 10 tickets (80 %) got a first response within the severity target (target 80 %)",
			"", "0.800/0.8 ratio n=10", ""},
		{"db", "mttr-target", r.Services, "mean 25m0s over 6 incidents (target 30m0s)", "", "1500.000/1800 seconds n=6", ""},
		{"db", "postmortems-done", r.Services, "1 of 2 resolved SEV1/SEV2 incidents have a postmortem", "#8", "0.500/1 ratio n=2", "Write them."},
		{"web", "postmortems-done", r.Services, "no SEV1 or SEV2 incident of this service was resolved", "", "nil", ""},
		{"quiet", "mttr-target", r.Services, "no incident of this service was resolved in the period", "", "nil", ""},
		{"quiet", "response-target", r.Services, "no ticket of this service has reached its first-response target yet", "", "nil", ""},
		{"quiet", "alerts-have-runbooks", r.Services, "no alert rule names this service", "", "nil", ""},
		{"app", "on-call-trained", r.Teams, "1 of 1 on-call staff passed their on-call training", "", "1.000/1 ratio n=1", ""},
		{"plat", "on-call-trained", r.Teams, "0 of 1 on-call staff passed their on-call training", "carl (missing: q2)", "0.000/1 ratio n=1", "Train them."},
		{"desk", "on-call-trained", r.Teams, "no member of the team holds an on-call role", "", "nil", ""},
	}
	for _, tt := range tests {
		res := check(tt.cards, tt.card, tt.id)
		value := "nil"
		if res.Value != nil {
			value = fmt.Sprintf("%.3f/%v %s n=%d", *res.Value, *res.Target, res.Unit, res.N)
		}
		if res.Figure != tt.figure || strings.Join(res.Items, "|") != tt.items || value != tt.value || res.Remediation != tt.remediation {
			t.Errorf("%s %s:\ngot  %q %q %q %q\nwant %q %q %q %q", tt.card, tt.id,
				res.Figure, strings.Join(res.Items, "|"), value, res.Remediation,
				tt.figure, tt.items, tt.value, tt.remediation)
		}
	}
}

func TestEvaluateUnavailableSources(t *testing.T) {
	in := testInput()
	in.Unavailable = map[Source]string{
		SourceTickets:  "no snapshot; run opsqa incidents sync",
		SourceTraining: "no quiz results",
	}
	r, err := Evaluate(parseConfig(t, testConfig), in, now)
	if err != nil {
		t.Fatal(err)
	}
	db := r.Services[1]
	if got := summary(db); got != `db level="silver" score=100 alerts-have-runbooks=pass runbooks-reviewed=pass mttr-target=pass response-target=pass postmortems-done=not-measured` {
		t.Errorf("db: %s", got)
	}
	if got, want := db.Checks[4].Figure, "no snapshot; run opsqa incidents sync"; got != want {
		t.Errorf("figure %q, want %q", got, want)
	}
	if got := summary(r.Teams[0]); got != `app level="" score=null on-call-trained=not-measured` {
		t.Errorf("app: %s", got)
	}
}

func TestEvaluateUnknownCheck(t *testing.T) {
	cfg := parseConfig(t, testConfig+`
    - {id: satisfaction, title: Users are happy, level: bronze, applies_to: service, remediation: Ask them.}
    - {id: mttr-target-by-team, title: Team MTTR, level: gold, applies_to: team}
`)
	r, err := Evaluate(cfg, testInput(), now)
	if err != nil {
		t.Fatal(err)
	}
	db := r.Services[1]
	// The unknown bronze check blocks every level but leaves the score alone.
	if got := summary(db); got != `db level="" score=83 alerts-have-runbooks=pass runbooks-reviewed=pass mttr-target=pass response-target=pass postmortems-done=fail satisfaction=not-measured` {
		t.Errorf("db: %s", got)
	}
	want := `opsqa has no check "satisfaction"; known checks: alerts-have-runbooks, mttr-target, on-call-trained, postmortems-done, response-target, runbooks-reviewed`
	if got := db.Checks[5].Figure; got != want {
		t.Errorf("figure:\n%s\nwant\n%s", got, want)
	}
	if db.Checks[5].Remediation != "" {
		t.Errorf("remediation on a check not measured: %q", db.Checks[5].Remediation)
	}
	if got := summary(r.Teams[0]); got != `app level="" score=100 on-call-trained=pass mttr-target-by-team=not-measured` {
		t.Errorf("app: %s", got)
	}
}

func TestEvaluateCheckOnWrongSubject(t *testing.T) {
	cfg := parseConfig(t, testConfig)
	cfg.Scorecard.Checks = []config.ScorecardCheck{{ID: "mttr-target", Title: "Team MTTR", Level: "bronze", Weight: 1, AppliesTo: "team"}}
	r, err := Evaluate(cfg, testInput(), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Services[0].Checks) != 0 {
		t.Errorf("service cards hold %d checks, want none", len(r.Services[0].Checks))
	}
	got := r.Teams[0].Checks[0]
	if want := `check "mttr-target" measures services, not teams; set applies_to: service`; got.Status != NotMeasured || got.Figure != want {
		t.Errorf("got %s %q, want not-measured %q", got.Status, got.Figure, want)
	}
}

func TestEvaluateRejectsBrokenConfig(t *testing.T) {
	tests := []struct {
		name   string
		checks []config.ScorecardCheck
		want   string
	}{
		{"undeclared level", []config.ScorecardCheck{{ID: "mttr-target", Level: "platinum", Weight: 1}},
			`evaluate scorecard: check "mttr-target" has level "platinum", not one of bronze, silver, gold`},
		{"duplicate", []config.ScorecardCheck{{ID: "mttr-target", Level: "gold", Weight: 1}, {ID: "mttr-target", Level: "gold", Weight: 1}},
			`evaluate scorecard: check "mttr-target" is declared twice`},
		{"negative weight", []config.ScorecardCheck{{ID: "mttr-target", Level: "gold", Weight: -1}},
			`evaluate scorecard: check "mttr-target" has weight -1; weights are zero or more`},
		{"subject", []config.ScorecardCheck{{ID: "mttr-target", Level: "gold", Weight: 1, AppliesTo: "person"}},
			`evaluate scorecard: check "mttr-target" applies to "person"; use service or team`},
	}
	for _, tt := range tests {
		cfg := parseConfig(t, testConfig)
		cfg.Scorecard.Checks = tt.checks
		_, err := Evaluate(cfg, testInput(), now)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.want)
		}
	}
}

func TestReportJSON(t *testing.T) {
	r, err := Evaluate(parseConfig(t, testConfig), testInput(), now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r.Services[2])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"subject":"service","id":"quiet","name":"Quiet","team":"plat","level":"","score":null,"checks":[` +
		`{"id":"alerts-have-runbooks","title":"Alerts","level":"bronze","weight":3,"status":"not-applicable","figure":"no alert rule names this service","value":null,"target":null,"n":0},` +
		`{"id":"runbooks-reviewed","title":"Reviewed","level":"bronze","weight":2,"status":"not-applicable","figure":"the service has no active runbook","value":null,"target":null,"n":0},` +
		`{"id":"mttr-target","title":"MTTR","level":"silver","weight":3,"status":"not-measured","figure":"no incident of this service was resolved in the period","value":null,"target":null,"n":0},` +
		`{"id":"response-target","title":"Response","level":"silver","weight":2,"status":"not-measured","figure":"no ticket of this service has reached its first-response target yet","value":null,"target":null,"n":0},` +
		`{"id":"postmortems-done","title":"Postmortems","level":"gold","weight":2,"status":"not-applicable","figure":"no SEV1 or SEV2 incident of this service was resolved","value":null,"target":null,"n":0}]}`
	if string(b) != want {
		t.Errorf("JSON:\n%s\nwant\n%s", b, want)
	}
}

func TestOnCallTrainedCurricula(t *testing.T) {
	cfg := parseConfig(t, testConfig)
	cfg.Roles = append(cfg.Roles, config.Role{ID: "dba", OnCall: true})
	cfg.Teams = []config.Team{{ID: "ops", Members: []config.Member{
		{Login: "Ann", Role: "on-call-engineer"},
		{Login: "carl", Role: "sre"},
		{Login: "dee", Role: "dba"},
		{Login: "eve", Role: "developer"},
	}}}
	in := testInput()
	curricula := []training.Curriculum{
		{ID: "on-call-basics", Audience: []string{"on-call-engineer"}, Modules: []string{"q1", "q2"}, RecertifyDays: 365, OnCall: true},
		{ID: "sre-path", Audience: []string{"sre"}, Modules: []string{"q3"}, OnCall: true},
	}
	in.Training = trainingRecords(cfg, curricula, map[string][]pass{
		// q1 passed 395 days before now: expired.
		"ann":  {{"q1", "2025-06-01"}, {"q2", "2026-06-01"}},
		"carl": {{"q3", "2020-01-01"}},
		// No curriculum names dba: every on-call curriculum applies.
		"dee": {{"q1", "2026-06-01"}, {"q3", "2026-06-01"}},
	})
	r, err := Evaluate(cfg, in, now)
	if err != nil {
		t.Fatal(err)
	}
	got := r.Teams[0].Checks[0]
	if got.Status != Fail || got.Figure != "1 of 3 on-call staff passed their on-call training" ||
		strings.Join(got.Items, "|") != "Ann (missing: q1)|dee (missing: q2)" {
		t.Errorf("got %s %q %q", got.Status, got.Figure, got.Items)
	}
	in.Training = trainingRecords(cfg, nil, nil)
	r, _ = Evaluate(cfg, in, now)
	if got := r.Teams[0].Checks[0]; got.Status != NotMeasured || got.Figure != "no active curriculum is written for an on-call role" {
		t.Errorf("without curricula: %s %q", got.Status, got.Figure)
	}
}

func TestGrade(t *testing.T) {
	levels := []string{"bronze", "silver", "gold"}
	res := func(level string, st Status, w float64) CheckResult {
		return CheckResult{Level: level, Status: st, Weight: w}
	}
	tests := []struct {
		name   string
		checks []CheckResult
		level  string
		score  string
	}{
		{"silver has no check: skipped", []CheckResult{res("bronze", Pass, 1), res("gold", Pass, 1)}, "gold", "100"},
		{"not applicable alone earns no level", []CheckResult{res("bronze", NotApplicable, 1), res("gold", Fail, 2)}, "", "0"},
		{"every check not applicable: no level", []CheckResult{res("bronze", NotApplicable, 1), res("gold", NotApplicable, 2)}, "", "null"},
		{"not applicable beside a pass", []CheckResult{res("bronze", NotApplicable, 1), res("bronze", Pass, 1), res("gold", Fail, 2)}, "bronze", "33"},
		{"a pass below carries a level of not applicable", []CheckResult{res("bronze", Pass, 1), res("silver", NotApplicable, 1)}, "silver", "100"},
		{"not measured blocks", []CheckResult{res("bronze", NotMeasured, 1), res("gold", Pass, 2)}, "", "100"},
		{"a failure blocks the levels above", []CheckResult{res("bronze", Pass, 1), res("silver", Fail, 2), res("gold", Pass, 5)}, "bronze", "75"},
		{"rounded to the nearest", []CheckResult{res("bronze", Pass, 1), res("silver", Fail, 2)}, "bronze", "33"},
		{"rounded up at .5", []CheckResult{res("bronze", Pass, 1), res("silver", Fail, 1), res("silver", Fail, 6)}, "bronze", "13"},
		{"only weightless checks", []CheckResult{res("bronze", Pass, 0)}, "bronze", "null"},
		{"no checks", nil, "", "null"},
	}
	for _, tt := range tests {
		level, score := grade(levels, tt.checks)
		s := "null"
		if score != nil {
			s = fmt.Sprint(*score)
		}
		if level != tt.level || s != tt.score {
			t.Errorf("%s: level %q score %s, want %q %s", tt.name, level, s, tt.level, tt.score)
		}
	}
}
