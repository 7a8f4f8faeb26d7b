package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/training"
)

// TestSampleTeamTraining reads the bundled repository's records as the
// training report, the scorecards and the site do: the team the sample
// describes, graded from the real answer keys.
func TestSampleTeamTraining(t *testing.T) {
	recs, err := Training(TrainingOptions{Root: "../..", Snapshot: "data/snapshot.jsonl", Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	var certs []string
	for _, p := range recs.People {
		for _, c := range p.Certifications {
			certs = append(certs, fmt.Sprintf("%s %s %s %d/%d", p.Login, c.Curriculum, c.State, c.Done, c.Total))
		}
	}
	want := []string{
		"arjun-rao new-on-call-engineer certified 7/7",
		"sofia-alvarez new-on-call-engineer certified 7/7",
		"tom-becker new-on-call-engineer certified 7/7",
		"li-na new-on-call-engineer in-progress 6/7",
		"kenji-sato change-manager certified 4/4",
		"olu-adeyemi new-on-call-engineer certified 7/7",
		"hannah-kim new-on-call-engineer certified 7/7",
		"lucas-moreau new-on-call-engineer in-progress 4/7",
		"priya-nair change-manager due 4/4",
		"grace-mwangi change-manager expired 0/4",
	}
	if !slices.Equal(certs, want) {
		t.Errorf("certifications:\n%s\nwant\n%s", strings.Join(certs, "\n"), strings.Join(want, "\n"))
	}
	var gaps []string
	for _, p := range recs.People {
		if p.OnCall && len(p.Gaps) > 0 {
			gaps = append(gaps, p.Login+": "+strings.Join(p.Gaps, ","))
		}
	}
	if got := strings.Join(gaps, " | "); got != "li-na: database-triage | lucas-moreau: kubernetes-triage,database-triage,postmortems-and-problem-management" {
		t.Errorf("on-call gaps: %s", got)
	}

	// The sample's hard cases: a failed attempt whose page score was
	// edited to full marks, and a resubmission minutes after a fail.
	var tampered, soon []training.Verdict
	status := map[training.Status]int{}
	for _, a := range recs.Attempts {
		status[a.Status]++
		if a.Status == training.TooSoon {
			soon = append(soon, a)
		}
		if a.Author == "olu-adeyemi" && a.QuizID == "kubernetes-triage-quiz" && a.Status == training.Failed {
			tampered = append(tampered, a)
		}
	}
	if len(tampered) != 1 || tampered[0].Result.Score >= 80 {
		t.Errorf("tampered result: %+v, want one failed attempt", tampered)
	}
	if len(soon) != 1 || soon[0].Author != "tom-becker" || !strings.Contains(soon[0].Why, "a quiz may be taken again 24h00m after the last graded attempt") {
		t.Errorf("too-soon results: %+v", soon)
	}
	if status[training.Passed] != 58 || status[training.Failed] != 5 || status[training.UnknownQuiz] != 0 || status[training.Malformed] != 0 {
		t.Errorf("statuses: %v", status)
	}

	due := recs.DueCertifications()
	var names []string
	for _, d := range due {
		names = append(names, d.Person.Login+":"+d.Certifications[0].Expires.Format(time.DateOnly))
	}
	if got := strings.Join(names, " "); got != "priya-nair:2026-11-11 grace-mwangi:2026-10-14" {
		t.Errorf("due: %s", got)
	}
}
