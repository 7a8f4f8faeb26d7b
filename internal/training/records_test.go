package training

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
)

const recordsConfig = `organisation: Test
roles:
  - {id: on-call-engineer, name: On call, on_call: true}
  - {id: dba, name: DBA, on_call: true}
  - {id: developer, name: Developer}
teams:
  - id: ops
    name: Ops
    members:
      - {login: Ann, name: Ann A, role: on-call-engineer}
      - {login: bob, role: on-call-engineer}
      - {login: dee, role: dba}
  - id: dev
    name: Dev
    members:
      - {login: eve, role: developer}
training:
  retake_hours: 48
  recertification_notice_days: 20
`

func parseDoc(t *testing.T, kind, path, src string) *document.Document {
	t.Helper()
	d, err := document.Parse(path, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d.Kind = kind
	return d
}

// twoQuestions is a quiz of two single-choice questions: "sum: b" and
// "colour: a" are right; one of two is 50 %, below the pass mark.
const twoQuestions = "\n## Two plus two {#sum}\n\n1. [ ] 3\n1. [x] 4\n\n## Sky {#colour}\n\n1. [x] blue\n1. [ ] green\n"

func recordsFixture(t *testing.T) (*config.Config, []*document.Document, []*document.Document, KeyFinder) {
	cfg, err := config.Parse([]byte(recordsConfig))
	if err != nil {
		t.Fatal(err)
	}
	curricula := []*document.Document{
		parseDoc(t, "curriculum", "c/on-call.md", "---\nid: on-call\ntitle: On call\nstatus: active\naudience: [on-call-engineer]\nmodules: [m1, m2]\nrecertify_days: 100\n---\n"),
		parseDoc(t, "curriculum", "c/old.md", "---\nid: old\nstatus: retired\naudience: [developer]\nmodules: [m1]\n---\n"),
	}
	modules := []*document.Document{
		parseDoc(t, "module", "m/m2.md", "---\nid: m2\ntitle: Module two\nquiz: q2\n---\n"),
		parseDoc(t, "module", "m/m1.md", "---\nid: m1\ntitle: Module one\nquiz: q1\n---\n"),
		parseDoc(t, "module", "m/m3.md", "---\nid: m3\ntitle: Reading only\n---\n"),
	}
	quizzes := []*document.Document{
		parseDoc(t, "quiz", "q/q1.md", "---\nid: q1\npass_mark: 100\n---\n"+twoQuestions),
		parseDoc(t, "quiz", "q/q2.md", "---\nid: q2\npass_mark: 50\n---\n"+twoQuestions),
	}
	return cfg, curricula, modules, RepoKeys("", quizzes)
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestGradeAllRetakeInterval(t *testing.T) {
	_, _, _, keys := recordsFixture(t)
	subs := []Submission{
		{Issue: 1, Author: "ann", At: at("2026-06-01T10:00:00Z"), QuizID: "q1", Answers: "sum: a\ncolour: a"},
		// 47 h later: too soon after #1 (48 h), not graded.
		{Issue: 2, Author: "Ann", At: at("2026-06-03T09:00:00Z"), QuizID: "q1", Answers: "sum: b\ncolour: a"},
		// Another quiz and another person are not held back.
		{Issue: 3, Author: "ann", At: at("2026-06-03T09:05:00Z"), QuizID: "q2", Answers: "sum: b"},
		{Issue: 4, Author: "bob", At: at("2026-06-01T11:00:00Z"), QuizID: "q1", Answers: "sum: b\ncolour: a"},
		// 48 h after #1, the last graded attempt (the too-soon one does
		// not restart the clock).
		{Issue: 5, Author: "ann", At: at("2026-06-03T10:00:00Z"), QuizID: "q1", Answers: "sum: b\ncolour: a"},
		// A malformed submission is no attempt either.
		{Issue: 6, Author: "bob", At: at("2026-06-01T12:00:00Z"), QuizID: "q1", Answers: "no colon"},
	}
	var got []string
	for _, v := range GradeAll(subs, keys, 48*time.Hour) {
		got = append(got, fmt.Sprintf("#%d %s %d", v.Issue, v.Status, v.Result.Score))
	}
	if s := strings.Join(got, ", "); s != "#1 failed 50, #2 too-soon 0, #3 passed 50, #4 passed 100, #5 passed 100, #6 malformed 0" {
		t.Errorf("got %s", s)
	}
	v := GradeAll(subs[:2], keys, 48*time.Hour)[1]
	if want := "submitted 47h00m after attempt #1 at the same quiz; a quiz may be taken again 2 days after the last graded attempt, from 2026-06-03 10:00 UTC"; v.Why != want {
		t.Errorf("why:\n%s\nwant\n%s", v.Why, want)
	}
	// The grading command sees the one submission and the earlier ones.
	if v := GradeAfter(subs[1], subs, keys, 48*time.Hour); v.Status != TooSoon {
		t.Errorf("GradeAfter #2: %s", v.Status)
	}
	if v := GradeAfter(subs[4], subs, keys, 48*time.Hour); v.Status != Passed || !v.RetakeFrom.Equal(at("2026-06-05T10:00:00Z")) {
		t.Errorf("GradeAfter #5: %s, retake from %s", v.Status, v.RetakeFrom)
	}
}

func TestBuildRecords(t *testing.T) {
	cfg, curricula, modules, keys := recordsFixture(t)
	cs, ms := Catalogue(cfg, curricula, modules)
	if len(cs) != 1 || cs[0].ID != "on-call" || !cs[0].OnCall {
		t.Fatalf("curricula: %+v, want only the active on-call one", cs)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID+"/"+m.Quiz)
	}
	if got := strings.Join(ids, " "); got != "m1/q1 m2/q2 m3/" {
		t.Errorf("modules in curriculum order, then the rest: %s", got)
	}
	subs := []Submission{
		// Ann: both passed, m1 95 days before as-of: due within 20 days.
		{Issue: 1, Author: "ann", At: at("2026-03-01T00:00:00Z"), QuizID: "q1", Answers: "sum: b\ncolour: a"},
		{Issue: 2, Author: "ann", At: at("2026-05-01T00:00:00Z"), QuizID: "q2", Answers: "sum: b\ncolour: a"},
		// Bob: m1 passed 150 days ago (lapsed), m2 recently: expired.
		{Issue: 3, Author: "bob", At: at("2026-01-05T00:00:00Z"), QuizID: "q1", Answers: "sum: b\ncolour: a"},
		{Issue: 4, Author: "bob", At: at("2026-05-20T00:00:00Z"), QuizID: "q2", Answers: "sum: b"},
		// Dee (dba, no curriculum names the role): failed m1, never m2.
		{Issue: 5, Author: "dee", At: at("2026-05-20T00:00:00Z"), QuizID: "q1", Answers: "sum: a"},
		// Someone no team lists.
		{Issue: 6, Author: "Newcomer", At: at("2026-05-21T00:00:00Z"), QuizID: "q2", Answers: "sum: b"},
		// After as-of: not read by Build's caller, but Build must not
		// count what it is not given either; left out here.
	}
	r := Build(cfg, cs, ms, GradeAll(subs, keys, cfg.Training.RetakeAfter()), at("2026-06-04T00:00:00Z"))
	var got []string
	for _, p := range r.People {
		var cells []string
		for _, m := range p.Modules {
			score := "-"
			if m.LastScore != nil {
				score = fmt.Sprint(*m.LastScore)
			}
			cells = append(cells, m.State+":"+score)
		}
		line := fmt.Sprintf("%s on-call=%v [%s] gaps=%v", p.Login, p.OnCall, strings.Join(cells, " "), p.Gaps)
		for _, c := range p.Certifications {
			line += fmt.Sprintf(" %s=%s %d/%d exp=%s missing=%v", c.Curriculum, c.State, c.Done, c.Total, c.Expires.Format(time.DateOnly), c.Missing)
		}
		got = append(got, line)
	}
	want := []string{
		"Ann on-call=true [passed:100 passed:100 no-quiz:-] gaps=[] on-call=due 2/2 exp=2026-06-09 missing=[]",
		"bob on-call=true [expired:100 passed:50 no-quiz:-] gaps=[m1] on-call=expired 1/2 exp=2026-04-15 missing=[m1]",
		"dee on-call=true [failed:0 not-taken:- no-quiz:-] gaps=[m1 m2] on-call=in-progress 0/2 exp=0001-01-01 missing=[m1 m2]",
		"eve on-call=false [not-taken:- not-taken:- no-quiz:-] gaps=[]",
		"newcomer on-call=false [not-taken:- passed:50 no-quiz:-] gaps=[]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var due []string
	for _, d := range r.DueCertifications() {
		due = append(due, d.Person.Login)
	}
	if s := strings.Join(due, " "); s != "Ann bob" {
		t.Errorf("due: %s", s)
	}
	one, err := r.Only("ANN", "")
	if err != nil || len(one.People) != 1 || one.People[0].Login != "Ann" {
		t.Errorf("Only(ANN): %v %v", one, err)
	}
	if team, _ := r.Only("", "dev"); len(team.People) != 1 || team.People[0].Login != "eve" {
		t.Errorf("Only(team dev): %+v", team.People)
	}
	if _, err := r.Only("zed", ""); err == nil || !strings.Contains(err.Error(), "no records of zed") {
		t.Errorf("Only(zed): %v", err)
	}
}

func TestExamQuizzes(t *testing.T) {
	curricula := []*document.Document{
		parseDoc(t, "curriculum", "c/a.md", "---\nid: a\nstatus: active\nquiz_mode: exam\nmodules: [m1, m3]\n---\n"),
		parseDoc(t, "curriculum", "c/b.md", "---\nid: b\nstatus: retired\nquiz_mode: exam\nmodules: [m2]\n---\n"),
		parseDoc(t, "curriculum", "c/c.md", "---\nid: c\nmodules: [m2]\n---\n"),
	}
	modules := []*document.Document{
		parseDoc(t, "module", "m/m1.md", "---\nid: m1\nquiz: q1\n---\n"),
		parseDoc(t, "module", "m/m2.md", "---\nid: m2\nquiz: q2\n---\n"),
		parseDoc(t, "module", "m/m3.md", "---\nid: m3\n---\n"),
	}
	if got := fmt.Sprint(ExamQuizzes(curricula, modules)); got != "map[q1:true]" {
		t.Errorf("exam quizzes: %s, want q1 only (b is retired, c practice, m3 has no quiz)", got)
	}
}
