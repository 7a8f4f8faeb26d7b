package sample

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/ticket"
)

func TestCommittedSnapshotIsGenerated(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "snapshot.jsonl")
	if err := ticket.WriteSnapshot(out, Generate(Options{Seed: DefaultSeed})); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../data/snapshot.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("data/snapshot.jsonl differs from the generator's output; run go generate ./internal/sample")
	}
}

func TestPinnedIncidents(t *testing.T) {
	s := Generate(Options{Seed: DefaultSeed})
	p := ticket.Policy{Signals: []ticket.Signal{ticket.SignalComment, ticket.SignalAssignment}, MitigatedLabels: []string{"mitigated"}}
	for _, pin := range pinned {
		tk := s.Tickets[pin.Number-1]
		if tk.Number != pin.Number || tk.Title != pin.Title || tk.Severity != pin.Severity || tk.Service != pin.Service {
			t.Errorf("#%d = #%d %q %s %s", pin.Number, tk.Number, tk.Title, tk.Severity, tk.Service)
			continue
		}
		tl := ticket.BuildTimeline(&tk, p, AsOf)
		got := []time.Time{tl.Started.At, tl.Created, tl.FirstResponse.At, tl.Mitigated.At, tl.Resolved.At}
		want := []time.Time{pin.Started, pin.Created, pin.Ack, pin.Mitigated, pin.Resolved}
		for i := range got {
			if !got[i].Equal(want[i]) {
				t.Errorf("#%d milestone %d = %s; want %s", pin.Number, i, got[i], want[i])
			}
		}
		if tl.Responder != pin.Responders[0] || tl.Started.Source != ticket.SourceForm || tl.Outcome != ticket.OutcomeResolved {
			t.Errorf("#%d responder %s started from %s outcome %s", pin.Number, tl.Responder, tl.Started.Source, tl.Outcome)
		}
	}
}

func TestTicketsInCreationOrder(t *testing.T) {
	s := Generate(Options{Seed: DefaultSeed})
	for i := 1; i < len(s.Tickets); i++ {
		if s.Tickets[i].Number != i+1 || s.Tickets[i].CreatedAt.Before(s.Tickets[i-1].CreatedAt) {
			t.Fatalf("ticket %d: number %d created %s after %s", i, s.Tickets[i].Number, s.Tickets[i].CreatedAt, s.Tickets[i-1].CreatedAt)
		}
		for _, e := range s.Tickets[i].Events {
			if e.At.After(AsOf) || e.At.Before(s.Tickets[i].CreatedAt) {
				t.Fatalf("#%d has an event at %s outside its life", s.Tickets[i].Number, e.At)
			}
		}
	}
	classes := map[ticket.Class]int{}
	for _, tk := range s.Tickets {
		classes[tk.Class]++
	}
	if classes[ticket.Feedback] < 25 || classes[ticket.QuizResult] < 20 || classes[ticket.Incident]+classes[ticket.Problem] < 130 {
		t.Errorf("classes = %v", classes)
	}
}

// TestStory checks the figures the plan's story relies on: the whole
// period and the first months miss both targets, September and October
// meet them.
func TestStory(t *testing.T) {
	s := Generate(Options{Seed: DefaultSeed})
	cfg, err := config.Load(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	o, err := kpi.OptionsFromConfig(cfg, Start, AsOf, AsOf)
	if err != nil {
		t.Fatal(err)
	}
	m := kpi.Compute(s.Tickets, o)
	if *m.MTTR.Met || *m.ResolvedWithin24h.TargetMet {
		t.Errorf("whole period meets a target: mttr %d s, 24h %.2f", *m.MTTR.Mean, *m.ResolvedWithin24h.Ratio)
	}
	for _, mo := range m.ByMonth {
		mttr, r := *mo.MTTR.Met, *mo.ResolvedWithin24h.TargetMet
		switch mo.Month {
		case "2026-05", "2026-06":
			if mttr || r || *mo.MTTR.Mean < 45*60 || *mo.MTTR.Mean > 90*60 {
				t.Errorf("%s: mttr %d s met %v, 24h %.2f met %v; want both missed, MTTR 45–90 min", mo.Month, *mo.MTTR.Mean, mttr, *mo.ResolvedWithin24h.Ratio, r)
			}
		case "2026-09", "2026-10":
			if !mttr || !r || *mo.MTTR.Mean > 1500 {
				t.Errorf("%s: mttr %d s met %v, 24h %.2f met %v; want both met, MTTR ≤ 25 min", mo.Month, *mo.MTTR.Mean, mttr, *mo.ResolvedWithin24h.Ratio, r)
			}
		}
	}
	rw := m.ResolvedWithin24h
	if rw.NotYetEligible == 0 || rw.OpenPastDeadline == 0 || m.FirstResponse.NoResponse == 0 {
		t.Errorf("want open tickets on both sides of the deadline and an unanswered one: %+v, no response %d", rw, m.FirstResponse.NoResponse)
	}
	if m.ResolutionRate.NotPlanned == 0 || m.ResolutionRate.Duplicate == 0 {
		t.Errorf("want tickets closed as not planned and duplicate: %+v", m.ResolutionRate)
	}
	if m.Sources["started"]["created_at"] == 0 || m.Satisfaction.N < 25 {
		t.Errorf("sources %v satisfaction n %d", m.Sources, m.Satisfaction.N)
	}
}

func TestLargeSnapshot(t *testing.T) {
	s := Generate(Options{Seed: 1, Random: 2000})
	if len(s.Tickets) != 2000 {
		t.Fatalf("got %d tickets; want 2000", len(s.Tickets))
	}
	if _, err := json.Marshal(s); err != nil {
		t.Fatal(err)
	}
}
