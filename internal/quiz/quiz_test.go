package quiz

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/opsqa/opsqa/internal/document"
)

const src = `---
id: basics-quiz
title: Basics
pass_mark: 80
shuffle: true
---
Intro text is not a question.

## What is the MTTR target? {#mttr}

1. [ ] 60 minutes
1. [x] 30 minutes
1. [ ] 24 hours

> The plan's target is a mean of 30 minutes.

## Which belong in an incident issue? {#fields}

- [x] The service
- [ ] The culprit's name
- [x] The severity

> Blameless: what happened, never who is to blame.

### A sub-heading is part of the question, not a new one
`

func parse(t *testing.T) *Quiz {
	t.Helper()
	d, ds := document.Parse("training/quizzes/basics-quiz.md", []byte(src))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	return Parse(d)
}

func TestParse(t *testing.T) {
	q := parse(t)
	if q.ID != "basics-quiz" || q.PassMark != 80 || !q.Shuffle || len(q.Questions) != 2 {
		t.Fatalf("quiz = %+v", q)
	}
	single, multi := q.Questions[0], q.Questions[1]
	if single.ID != "mttr" || !single.Explicit || single.Multiple || single.Text != "What is the MTTR target?" {
		t.Errorf("first question = %+v", single)
	}
	if !reflect.DeepEqual(single.Correct(), []int{1}) || single.Options[1].Text != "30 minutes" {
		t.Errorf("first question options = %+v", single.Options)
	}
	if single.Explanation != "The plan's target is a mean of 30 minutes." {
		t.Errorf("explanation = %q", single.Explanation)
	}
	if !multi.Multiple || !reflect.DeepEqual(multi.Correct(), []int{0, 2}) {
		t.Errorf("second question = %+v", multi)
	}
	for _, qu := range q.Questions {
		if len(qu.Problems) > 0 {
			t.Errorf("%s: unexpected problems %v", qu.ID, qu.Problems)
		}
	}
}

func TestGrade(t *testing.T) {
	q := parse(t)
	for _, tc := range []struct {
		name    string
		answers string
		want    Result
	}{
		{"all right, any order and case", "fields: C, a; mttr: b", Result{Correct: 2, Total: 2, Score: 100, Passed: true, Wrong: []string{}}},
		{"one of two right options is wrong", "mttr: b; fields: a", Result{Correct: 1, Total: 2, Score: 50, Wrong: []string{"fields"}}},
		{"a wrong extra option is wrong", "mttr: b; fields: a,b,c", Result{Correct: 1, Total: 2, Score: 50, Wrong: []string{"fields"}}},
		{"unanswered and unknown questions", "nosuch: a", Result{Correct: 0, Total: 2, Score: 0, Wrong: []string{"mttr", "fields"}}},
		{"repeated letters count once", "mttr: b,b; fields: a,c,a", Result{Correct: 2, Total: 2, Score: 100, Passed: true, Wrong: []string{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseAnswers(tc.answers)
			if err != nil {
				t.Fatal(err)
			}
			if got := Grade(q, a); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Grade = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestGradeRoundsDown checks that a pass is never granted by rounding:
// 79.9 % is not 80 %.
func TestGradeRoundsDown(t *testing.T) {
	q := &Quiz{PassMark: 80}
	answers := map[string][]int{}
	for i := range 1000 {
		id := string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
		q.Questions = append(q.Questions, Question{ID: id, Options: []Option{{Correct: true}, {}}})
		if i < 799 {
			answers[id] = []int{0}
		}
	}
	if r := Grade(q, answers); r.Score != 79 || r.Passed {
		t.Errorf("799 of 1000 = %+v, want score 79 and not passed", r)
	}
}

func TestParseAnswersErrors(t *testing.T) {
	for _, s := range []string{"mttr b", "mttr: 2", "mttr: ab"} {
		if _, err := ParseAnswers(s); err == nil {
			t.Errorf("ParseAnswers(%q) accepted it", s)
		}
	}
	if a, err := ParseAnswers(""); err != nil || len(a) != 0 {
		t.Errorf("empty answers = %v, %v", a, err)
	}
}

func TestVersion(t *testing.T) {
	a, b := Version([]byte("x")), Version([]byte("y"))
	if len(a) != 12 || a == b || a != Version([]byte("x")) {
		t.Errorf("Version: %q, %q", a, b)
	}
}

const examSrc = "---\nid: exam\npass_mark: 50\nmode: exam\n---\nRead [the module](../modules/m.md) first.\n\n" +
	"## Which view shows `archiving`? {#view}\n\n1. [ ] `pg_stat_activity`\n1. [x] `pg_stat_archiver`\n   with its *counters*\n\n" +
	"> `failed_count` rising\n> means trouble.\n>\n> See [the runbook](../r.md).\n"

func TestPageOf(t *testing.T) {
	d, _ := document.Parse("training/quizzes/basics-quiz.md", []byte(src))
	p := PageOf(d)
	if p.ID != "basics-quiz" || p.Mode != Practice || p.Version != Version([]byte(src)) || p.PassMark != 80 || !p.Shuffle ||
		p.Intro != "Intro text is not a question." || len(p.Questions) != 2 {
		t.Fatalf("page = %+v", p)
	}
	// A practice page carries the key and the explanations.
	if q := p.Questions[0]; q.ID != "mttr" || q.Multiple || !q.Options[1].Correct || q.Options[0].Correct ||
		q.Explanation != "The plan's target is a mean of 30 minutes." {
		t.Errorf("practice question = %+v", q)
	}

	// An exam's page carries neither; texts keep their Markdown.
	d, _ = document.Parse("training/quizzes/exam.md", []byte(examSrc))
	p = PageOf(d)
	if p.Mode != Exam || p.Intro != "Read [the module](../modules/m.md) first." {
		t.Fatalf("exam page = %+v", p)
	}
	q := p.Questions[0]
	want := PageQuestion{ID: "view", Text: "Which view shows `archiving`?", Options: []PageOption{
		{Text: "`pg_stat_activity`"}, {Text: "`pg_stat_archiver`\nwith its *counters*"}}}
	if !reflect.DeepEqual(q, want) {
		t.Errorf("exam question = %#v\nwant %#v", q, want)
	}
	// The practice form of the same file shows the explanation as written.
	d, _ = document.Parse("training/quizzes/exam.md", []byte(strings.Replace(examSrc, "mode: exam", "mode: practice", 1)))
	if got := PageOf(d).Questions[0].Explanation; got != "`failed_count` rising\nmeans trouble.\n\nSee [the runbook](../r.md)." {
		t.Errorf("explanation = %q", got)
	}
	// A curriculum in exam mode makes the practice quiz an exam; it
	// never makes an exam practice.
	if p := PageFor(d, true); p.Mode != Exam || p.Questions[0].Explanation != "" || p.Questions[0].Options[1].Correct {
		t.Errorf("practice quiz held to exam mode = %+v", p)
	}
	if p := PageFor(d, false); p.Mode != Practice || !p.Questions[0].Options[1].Correct {
		t.Errorf("practice quiz = %+v", p)
	}
	// A mode the schema rejects publishes no key.
	d, _ = document.Parse("training/quizzes/exam.md", []byte(strings.Replace(examSrc, "mode: exam", "mode: exams", 1)))
	if p := PageOf(d); p.Mode != Exam || p.Questions[0].Options[1].Correct {
		t.Errorf("mistyped mode = %+v", p)
	}
}

// TestUngradableQuestions: a question a submission could not answer (more
// options than letters, an id holding the answer syntax) is a problem at
// its place, and the 27th option is not taken in.
func TestUngradableQuestions(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\nid: q\n---\n\n## Many {#many}\n\n")
	for i := range MaxOptions + 2 {
		fmt.Fprintf(&b, "1. [ ] option %d\n", i)
	}
	b.WriteString("\n## Colon {#a:b}\n\n1. [x] yes\n1. [ ] no\n")
	d, ds := document.Parse("q.md", []byte(b.String()))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	q := Parse(d)
	if len(q.Questions) != 2 {
		t.Fatalf("%d questions", len(q.Questions))
	}
	many := q.Questions[0]
	if len(many.Options) != MaxOptions || len(many.Problems) != 1 || !strings.Contains(many.Problems[0].Message, "more than 26 options") {
		t.Errorf("many: %d options, problems %v", len(many.Options), many.Problems)
	} else if got := d.Pos(d.BodyOffset + many.Problems[0].Offset).Line; got != 7+MaxOptions {
		t.Errorf("the problem is on line %d, want %d (the 27th option)", got, 7+MaxOptions)
	}
	colon := q.Questions[1]
	if len(colon.Problems) != 1 || !strings.Contains(colon.Problems[0].Message, `question id "a:b" holds ":"`) {
		t.Errorf("colon: %v", colon.Problems)
	}
}
