package sitegen

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/quiz"
	"github.com/opsqa/opsqa/internal/repository"
	"github.com/opsqa/opsqa/internal/review"
	"github.com/opsqa/opsqa/internal/scorecard"
	"github.com/opsqa/opsqa/internal/ticket"
	"github.com/opsqa/opsqa/internal/training"
)

var asOf = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// hostileTitle is a ticket title an attacker controls.
const hostileTitle = `<script>alert("pwned")</script> & <b>bold</b>`

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func sampleSnapshot() *ticket.Snapshot {
	closed := ts("2026-05-09T03:05:00Z")
	return &ticket.Snapshot{
		SchemaVersion: ticket.SchemaVersion,
		Repository:    "acme/ops",
		SyncedAt:      asOf.Add(-3 * time.Hour),
		Tickets: []ticket.Ticket{
			{
				Number: 14, Title: "Orders failing: database disk full", Class: ticket.Incident,
				Severity: "sev1", Service: "postgres", Author: ticket.Actor{Login: "ana"},
				Labels: []string{"incident", "sev1", "service:postgres"}, State: ticket.Closed, StateReason: ticket.Completed,
				CreatedAt: ts("2026-05-09T02:15:00Z"), UpdatedAt: closed, ClosedAt: &closed,
				Events: []ticket.Event{
					{Kind: ticket.Commented, At: ts("2026-05-09T02:18:00Z"), Actor: ticket.Actor{Login: "bo", Type: "User"}},
					{Kind: ticket.ClosedEv, At: closed, Actor: ticket.Actor{Login: "bo", Type: "User"}, StateReason: ticket.Completed},
				},
			},
			{
				Number: 15, Title: hostileTitle, Class: ticket.Incident,
				Severity: "sev2", Service: "storefront", Author: ticket.Actor{Login: "mallory"},
				Labels: []string{"incident", "sev2"}, State: ticket.Open,
				CreatedAt: ts("2026-11-20T08:00:00Z"), UpdatedAt: ts("2026-11-20T08:10:00Z"),
				Fields: map[string]string{"impact": `<img src=x onerror="alert(1)">` + "\nsecond line"},
				Events: []ticket.Event{
					{Kind: ticket.Commented, At: ts("2026-11-20T08:10:00Z"), Actor: ticket.Actor{Login: "bo", Type: "User"}},
				},
			},
		},
	}
}

func sampleOptions(t testing.TB, dest string) Options {
	t.Helper()
	repo, err := filepath.Abs("testdata/repo")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(os.DirFS(repo))
	if err != nil {
		t.Fatal(err)
	}
	snap := sampleSnapshot()
	ko, err := kpi.OptionsFromConfig(cfg, asOf.AddDate(0, -12, 0), asOf, asOf)
	if err != nil {
		t.Fatal(err)
	}
	metrics := kpi.Compute(snap.Tickets, ko)
	cards, err := scorecard.Evaluate(cfg, scorecard.Input{}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := repository.Load(repo)
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		Training: sampleTraining(cfg, docs.Docs()),
		RepoDir:  repo, Config: cfg, Destination: dest, AsOf: asOf,
		Reviews:   review.All(docs.Docs(), cfg, asOf),
		Documents: documents(docs.Docs()),
		Quizzes:   quizPages(docs.Docs()),
		Snapshot:  snap, Metrics: metrics, Scorecards: cards,
		History:     []scorecard.HistoryEntry{scorecard.Entry(cards)},
		Lint:        &LintSummary{Files: 7, Errors: 0, Warnings: 2},
		Postmortems: map[int]string{14: "content/postmortems/2026-05-09-postgres-disk-full.md"},
	}
}

// sampleTraining are the records of two quiz results: Ana passed 190
// days ago (the curriculum recertifies every 200 days, so she is due),
// Cy, whose name is hostile, failed.
func sampleTraining(cfg *config.Config, docs []*document.Document) *training.Records {
	byKind := map[string][]*document.Document{}
	for _, d := range docs {
		byKind[d.Kind] = append(byKind[d.Kind], d)
	}
	cs, ms := training.Catalogue(cfg, byKind["curriculum"], byKind["module"])
	subs := []training.Submission{
		{Issue: 90, Author: "ana", At: asOf.AddDate(0, 0, -190), QuizID: "basics-quiz", Answers: "mttr-target: b\nincident-fields: a,b"},
		{Issue: 91, Author: "cy", At: asOf.AddDate(0, 0, -3), QuizID: "basics-quiz", Answers: "mttr-target: a\nincident-fields: c"},
	}
	return training.Build(cfg, cs, ms, training.GradeAll(subs, training.RepoKeys("", byKind["quiz"]), 0), asOf)
}

// documents are the documents' titles and ids, as the pipeline gives them.
func documents(docs []*document.Document) []DocumentRef {
	var out []DocumentRef
	for _, d := range docs {
		out = append(out, DocumentRef{Path: d.Path, Kind: d.Kind, ID: d.ID(), Title: d.Title()})
	}
	return out
}

// quizPages are what each quiz's page may show, as the pipeline gives it.
func quizPages(docs []*document.Document) map[string]any {
	out := map[string]any{}
	for _, d := range docs {
		if d.Kind == "quiz" {
			out[d.Path] = quiz.PageOf(d)
		}
	}
	return out
}

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleRes  *Result
	sampleErr  error
)

// builtSample builds the sample repository once for all tests: Hugo is
// the slow part, and every test only reads the output.
func builtSample(t *testing.T) (string, *Result) {
	t.Helper()
	sampleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sitegen-test-")
		if err != nil {
			sampleErr = err
			return
		}
		sampleDir = filepath.Join(dir, "public")
		o := sampleOptions(t, sampleDir)
		o.Pagefind = testPagefind()
		sampleRes, sampleErr = Build(context.Background(), o, time.Now)
	})
	if sampleErr != nil {
		t.Fatalf("build sample: %v", sampleErr)
	}
	return sampleDir, sampleRes
}

// testPagefind is the Pagefind that `npm ci` installs at the module root,
// or the one on PATH; "" when neither exists.
func testPagefind() string {
	root, err := filepath.Abs("../..")
	if err != nil {
		return ""
	}
	return FindPagefind(root, exec.LookPath)
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(filepath.Dir(sampleDir))
	}
	os.Exit(code)
}

func readPage(t *testing.T, rel string) string {
	t.Helper()
	dir, _ := builtSample(t)
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatalf("read page: %v", err)
	}
	return string(b)
}

func mustContain(t *testing.T, page, s string) {
	t.Helper()
	if !strings.Contains(page, s) {
		t.Errorf("page lacks %q", s)
	}
}

func mustNotContain(t *testing.T, page, s string) {
	t.Helper()
	if strings.Contains(page, s) {
		t.Errorf("page contains %q", s)
	}
}

func TestBuildWritesEveryPage(t *testing.T) {
	dir, res := builtSample(t)
	for _, p := range []string{
		"index.html",
		"runbooks/index.html", "runbooks/postgres-disk-full/index.html",
		"postmortems/2026-05-09-postgres-disk-full/index.html",
		"processes/incident-management/index.html", "processes/change-management-zh/index.html",
		"training/index.html", "training/curricula/on-call/index.html",
		"training/modules/basics/index.html", "training/quizzes/basics-quiz/index.html",
		"incidents/index.html", "incidents/14/index.html", "incidents/15/index.html",
		"scorecards/index.html", "scorecards/services/postgres/index.html", "scorecards/teams/platform/index.html",
		"badges/postgres.svg", "search/index.html",
	} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("missing %s", p)
		}
	}
	if res.Pages < 18 {
		t.Errorf("Pages = %d, want at least 18", res.Pages)
	}
	if res.Search != (testPagefind() != "") {
		t.Errorf("Search = %v with Pagefind at %q", res.Search, testPagefind())
	}
	search := readPage(t, "search/index.html")
	if res.Search {
		mustContain(t, search, `<form class="search" role="search"`)
		if _, err := os.Stat(filepath.Join(dir, "pagefind", "pagefind.js")); err != nil {
			t.Errorf("no search index: %v", err)
		}
	} else {
		mustContain(t, search, `Search is not available in this build: Pagefind was not found.`)
	}
}

func TestHostileTicketTitleIsEscaped(t *testing.T) {
	for _, p := range []string{"incidents/15/index.html", "incidents/index.html", "index.html"} {
		page := readPage(t, p)
		mustNotContain(t, page, `<script>alert("pwned")`)
		mustNotContain(t, page, `<b>bold</b>`)
	}
	page := readPage(t, "incidents/15/index.html")
	// The minifier writes the shortest safe form: "<" escaped, ">" not.
	mustContain(t, page, `#15 &lt;script>alert("pwned")&lt;/script> & &lt;b>bold&lt;/b></h1>`)
	mustNotContain(t, page, `<img src=x`)
	mustContain(t, page, `<dd class="untrusted">&lt;img src=x onerror="alert(1)">`)
}

func TestRawHTMLInDocumentsStaysOff(t *testing.T) {
	page := readPage(t, "runbooks/postgres-disk-full/index.html")
	mustNotContain(t, page, `<script>alert("runbook")`)
	if strings.Count(page, "<script") != 0 {
		t.Error("a runbook page carries a script element")
	}
}

func TestRACITableFromFrontMatter(t *testing.T) {
	page := readPage(t, "processes/incident-management/index.html")
	mustContain(t, page, `<table class="raci">`)
	mustContain(t, page, `<th scope="row">Declare the incident</th>`)
	// Role ids become the names the process or the organisation gives.
	mustContain(t, page, `<td>On-call engineer</td><td>Incident manager</td><td>Operations manager</td><td>Operations manager</td>`)
	mustContain(t, page, `Close &lt;b>the&lt;/b> incident`)
}

func TestDocumentLinksResolveToPages(t *testing.T) {
	page := readPage(t, "runbooks/postgres-disk-full/index.html")
	mustContain(t, page, `href="/processes/incident-management/#raci"`)
	mustContain(t, page, `href="/training/quizzes/basics-quiz/"`)
	mustContain(t, page, `href="./does-not-exist.md" class="broken-link"`)
	pm := readPage(t, "postmortems/2026-05-09-postgres-disk-full/index.html")
	mustContain(t, pm, `href="/runbooks/postgres-disk-full/"`)
	mustContain(t, pm, `href="/incidents/14/"`)
	inc := readPage(t, "incidents/14/index.html")
	mustContain(t, inc, `href="/postmortems/2026-05-09-postgres-disk-full/"`)
}

func TestHeadingIDs(t *testing.T) {
	page := readPage(t, "training/quizzes/basics-quiz/index.html")
	mustContain(t, page, `id="mttr-target"`)
	mustContain(t, page, `id="incident-fields"`)
	rb := readPage(t, "runbooks/postgres-disk-full/index.html")
	mustContain(t, rb, `<h2 id="overview">`)
}

func TestEditAndFeedbackLinks(t *testing.T) {
	page := readPage(t, "runbooks/postgres-disk-full/index.html")
	mustContain(t, page, `href="https://github.com/acme/ops/edit/trunk/content/runbooks/postgres-disk-full.md"`)
	mustContain(t, page, `href="https://github.com/acme/ops/issues/new?labels=feedback&amp;page=content%2Frunbooks%2Fpostgres-disk-full.md&amp;template=feedback.yml&amp;title=Feedback%3A+PostgreSQL+disk+almost+full&amp;rating=4"`)
	proc := readPage(t, "processes/incident-management/index.html")
	mustContain(t, proc, `/edit/trunk/processes/incident-management.md"`)
}

func TestMetadataAndOverdueMarks(t *testing.T) {
	page := readPage(t, "runbooks/postgres-disk-full/index.html")
	// Reviewed 2026-01-10 with a 180-day interval: overdue on 2026-11-27.
	mustContain(t, page, `Review overdue: it was due by 2026-07-09`)
	mustContain(t, page, `<span class="sev sev-sev1">SEV1</span>`)
	mustContain(t, page, `PostgreSQL cluster`)
	mustContain(t, page, `Escalate to Platform Engineering when not mitigated within 15 minutes.`)
	mustContain(t, page, `<meta data-pagefind-filter="service[content]" content="PostgreSQL cluster">`)
	mustContain(t, page, `<meta data-pagefind-filter="severity[content]" content="SEV1">`)
}

func TestDashboard(t *testing.T) {
	page := readPage(t, "index.html")
	mustContain(t, page, `Targets of the plan`)
	mustContain(t, page, `class="target target-missed"`)
	mustContain(t, page, `role="img"`)
	mustContain(t, page, `<title id="chart-mttr-t">MTTR by month (minutes, mean)</title>`)
	mustContain(t, page, `Incident data synced 2026-11-27 09:00 UTC`)
	mustContain(t, page, `Lint: 7 files checked, 0 errors, 2 warnings.`)
	mustContain(t, page, `<a href="/" aria-current="page">Dashboard</a>`)
	mustNotContain(t, readPage(t, "404.html"), `aria-current="page"`)
	if len(page) > 150_000 {
		t.Errorf("dashboard is %d bytes", len(page))
	}
}

func TestContentSecurityPolicyAndNoInlineScripts(t *testing.T) {
	for _, p := range []string{"index.html", "training/quizzes/basics-quiz/index.html", "search/index.html", "incidents/15/index.html"} {
		page := readPage(t, p)
		mustContain(t, page, `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self';`)
		for _, chunk := range strings.Split(page, "<script")[1:] {
			if !strings.HasPrefix(chunk, " src=") && !strings.HasPrefix(chunk, " type=\"module\" src=") && !strings.HasPrefix(chunk, " type=module src=") {
				t.Errorf("%s: inline script %.60q", p, chunk)
			}
		}
		mustNotContain(t, page, ` style="`)
	}
}

func TestChineseDocument(t *testing.T) {
	page := readPage(t, "processes/change-management-zh/index.html")
	mustContain(t, page, `<h1 data-pagefind-meta="title">变更管理流程</h1>`)
	mustContain(t, page, `评审变更申请`)
	mustContain(t, page, `<td>变更经理</td>`)
}

func TestDataFiles(t *testing.T) {
	work := t.TempDir()
	o := sampleOptions(t, filepath.Join(work, "public"))
	if err := o.validate(); err != nil {
		t.Fatal(err)
	}
	if err := prepare(work, &o); err != nil {
		t.Fatal(err)
	}
	var tickets []ticketView
	b, err := os.ReadFile(filepath.Join(work, "data", "opsqa", "tickets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tickets); err != nil {
		t.Fatal(err)
	}
	if len(tickets) != 2 || tickets[0].Postmortem != "/postmortems/2026-05-09-postgres-disk-full" || tickets[1].Title != hostileTitle {
		t.Errorf("tickets = %+v", tickets)
	}
	var info siteInfo
	b, err = os.ReadFile(filepath.Join(work, "data", "opsqa", "site.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &info); err != nil {
		t.Fatal(err)
	}
	if info.EditURL != "https://github.com/acme/ops/edit/trunk/" || info.Snapshot == nil || info.Snapshot.Age != "3 h" || info.Snapshot.Stale {
		t.Errorf("site info = %+v", info)
	}
	for _, f := range []string{"metrics.json", "scorecards.json", "history.json", "titles.json"} {
		if _, err := os.Stat(filepath.Join(work, "data", "opsqa", f)); err != nil {
			t.Errorf("missing data file %s", f)
		}
	}
}

// TestTrainingPage: the training page shows the records' verdicts in
// words: who is due, who on call lacks which module, each curriculum's
// progress and the skills matrix; a hostile name is escaped.
func TestTrainingPage(t *testing.T) {
	page := readPage(t, "training/index.html")
	page = page[strings.Index(page, `<main`):strings.Index(page, `</main>`)]
	for _, s := range []string{
		`1 / 2</strong>`, // on call and trained: Ana of Ana and Cy
		`<tr class="cert-due"><th scope="row">Ana</th>`,
		`<span class="cert-state">Due</span> ` + asOf.AddDate(0, 0, 10).Format("2006-01-02"),
		`<a href="/training/curricula/on-call/">New on-call engineer</a>`,
		`1 of 2 modules held (50 %)`,
		`Certified 0 · Due 1 · Expired 0 · In progress 1`,
		`<a href="/training/modules/basics/">On-call basics</a></th>`, // matrix column
		`<td class="skill skill-passed required">`,
		`<span aria-hidden="true">✗</span> 0 %`,
		`failed, required`,
		`&lt;img src=x onerror=alert(1)>Cy`, // minified: only "<" needs escaping
	} {
		mustContain(t, page, s)
	}
	mustNotContain(t, page, `<img src=x`)
	// Cy lacks the module: the gap links to the quiz to take.
	if !regexp.MustCompile(`(?s)<ul class="gaps">.*Cy</strong>.*<a href="/training/quizzes/basics-quiz/">On-call basics</a>`).MatchString(page) {
		t.Errorf("the on-call gap does not name Cy's missing module with its quiz:\n%s", page)
	}
	// Bo is not on call and has no curriculum: in the matrix, not in the gaps.
	if strings.Contains(page[strings.Index(page, `class="gaps"`):strings.Index(page, `id="curricula-h"`)], ">Bo<") {
		t.Error("Bo, not on call, is listed as an on-call gap")
	}
	mustContain(t, page, `<th scope="row">Bo</th>`)
}

// TestCurriculumPageProgress: a curriculum's page lists the people it is
// written for with their standing, from the same records.
func TestCurriculumPageProgress(t *testing.T) {
	page := readPage(t, "training/curricula/on-call/index.html")
	mustContain(t, page, `<h2 id="progress-h">Who is on it</h2>`)
	mustContain(t, page, `1 of 2 modules held (50 %)`)
	mustContain(t, page, `<tr class="cert-due"><th scope="row">Ana</th><td>Operations</td><td>1 / 1</td>`)
	mustContain(t, page, `<span class="cert-state">In progress</span>`)
}
