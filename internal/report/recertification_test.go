package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/training"
)

func recertNotice() training.Notice {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	return training.Notice{
		Login: "ann", Name: "Ann <A>", State: training.Expired, Expires: d("2026-10-01"),
		Certifications: []training.Certification{
			{Curriculum: "on_call", State: training.Expired, Expires: d("2026-10-01")},
			{Curriculum: "cab", State: training.Due, Expires: d("2026-11-20")},
		},
		Modules: []training.RenewModule{
			{ID: "m1", Title: "Paging [basics]", Quiz: "q1", PassedAt: d("2025-10-01"), Expires: d("2026-10-01"), Lapsed: true},
			{ID: "m2", Title: "CAB", Quiz: "q2", PassedAt: d("2026-07-23"), Expires: d("2026-11-20")},
		},
	}
}

func TestRecertificationBody(t *testing.T) {
	n := recertNotice()
	if got := RecertificationTitle(n); got != "Recertification expired 2026-10-01: Ann <A> (ann)" {
		t.Errorf("title %q", got)
	}
	body := RecertificationBody(n, training.IssueLinks{Quizzes: map[string]string{"q1": "https://ops.example/training/quizzes/q1/"}})
	for _, want := range []string{
		"<!-- opsqa:recertify person=ann -->\n@ann, your certifications **on\\_call**, which expired on 2026-10-01 and **cab**, which expires on 2026-11-20.",
		"| Paging \\[basics\\] | [q1](https://ops.example/training/quizzes/q1/) | 2025-10-01 | 2026-10-01 (expired) |",
		"| CAB | q2 | 2026-07-23 | 2026-11-20 |",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	if login, ok := training.MarkedPerson(body); !ok || login != "ann" {
		t.Errorf("the body's marker reads %q, %v", login, ok)
	}

	closed := RecertificationClosed(body, "as of 2026-12-01 nothing is due")
	if !strings.HasPrefix(closed, "<!-- opsqa:recertify person=ann -->\n**Closed: as of 2026-12-01 nothing is due.**\n") ||
		!strings.Contains(closed, "<details><summary>What this issue said before</summary>\n\n@ann, your certifications") {
		t.Errorf("closed body:\n%s", closed)
	}
}

func TestRecertificationOutputs(t *testing.T) {
	n := recertNotice()
	run := &training.Recertification{
		Repo: "o/r", Label: "recertification", AsOf: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), NoticeDays: 30, IssuesRead: true,
		Actions: []training.Action{
			{Person: "ann", Kind: training.Update, Issue: 7, Notice: &n, URL: "https://github.com/o/r/issues/7"},
			{Person: "bob", Kind: training.Close, Issue: 9, Why: "as of 2026-11-01 nothing is due"},
		},
	}
	var out bytes.Buffer
	if err := RecertificationJSON(&out, run); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "person": "ann",
    "action": "update",
    "issue": 7,
    "url": "https://github.com/o/r/issues/7",
    "state": "expired",
    "modules": [
      "m1",
      "m2"
    ],
    "expires": "2026-10-01"
  },
  {
    "person": "bob",
    "action": "close",
    "issue": 9,
    "modules": [],
    "expires": null,
    "reason": "as of 2026-11-01 nothing is due"
  }
]
`
	if out.String() != want {
		t.Errorf("json:\n%s\nwant\n%s", out.String(), want)
	}

	out.Reset()
	if err := RecertificationJSON(&out, &training.Recertification{}); err != nil || out.String() != "[]\n" {
		t.Errorf("nothing to do: %q, %v; want []", out.String(), err)
	}

	out.Reset()
	if err := RecertificationText(&out, run); err != nil {
		t.Fatal(err)
	}
	wantText := `Recertification issues of o/r as of 2026-11-01 (due: expiring within 30 days; label recertification)

  update  #7  ann  expired 2026-10-01  m1, m2
  close   #9  bob  as of 2026-11-01 nothing is due

0 opened, 1 updated, 1 closed, 0 unchanged.
`
	if out.String() != wantText {
		t.Errorf("text:\n%s\nwant\n%s", out.String(), wantText)
	}
}
