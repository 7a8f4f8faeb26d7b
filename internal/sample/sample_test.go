package sample

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/quiz"
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

// repoRoot is the repository root, relative to this package.
const repoRoot = "../.."

// postmortemFront is what a postmortem's front matter says about its
// incident. Milestones are read as text so that a time the test cannot
// read is reported, not zeroed.
type postmortemFront struct {
	Incident   int               `yaml:"incident"`
	Service    string            `yaml:"service"`
	Severity   string            `yaml:"severity"`
	Authors    []string          `yaml:"authors"`
	Milestones map[string]string `yaml:"milestones"`
}

// readPostmortems reads the front matter of content/postmortems/*.md, by
// path relative to the repository root.
func readPostmortems(t *testing.T) map[string]postmortemFront {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(repoRoot, "content", "postmortems", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]postmortemFront{}
	for _, p := range paths {
		if filepath.Base(p) == "_index.md" {
			continue
		}
		rel, err := filepath.Rel(repoRoot, p)
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, ds := document.Parse(filepath.ToSlash(rel), src)
		if len(ds) > 0 {
			t.Fatalf("%s: %v", rel, ds)
		}
		var fm postmortemFront
		if err := doc.Decode(&fm); err != nil {
			t.Fatal(err)
		}
		out[filepath.ToSlash(rel)] = fm
	}
	if len(out) == 0 {
		t.Fatal("no postmortems in content/postmortems")
	}
	return out
}

func loadConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load(os.DirFS(repoRoot))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestPinnedIncidents checks the sample against the postmortem documents:
// the issue each one names is an incident of the same service and
// severity, by its labels as by its fields, whose timeline, under the
// repository's own policy, gives the postmortem's five milestones to the
// second. Every incident the generator pins has its postmortem.
func TestPinnedIncidents(t *testing.T) {
	pms := readPostmortems(t)
	cfg := loadConfig(t)
	policy, err := ticket.PolicyFromConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var serviceIDs []string
	for _, svc := range cfg.Services {
		serviceIDs = append(serviceIDs, svc.ID)
	}
	s := Generate(Options{Seed: DefaultSeed})
	documented := map[int]string{}
	for path, pm := range pms {
		if other, dup := documented[pm.Incident]; dup {
			t.Errorf("%s and %s both name incident #%d", path, other, pm.Incident)
		}
		documented[pm.Incident] = path
		if pm.Incident < 1 || pm.Incident > len(s.Tickets) {
			t.Errorf("%s: incident #%d is not in the sample (#1–#%d)", path, pm.Incident, len(s.Tickets))
			continue
		}
		tk := s.Tickets[pm.Incident-1]
		if tk.Number != pm.Incident {
			t.Errorf("%s: ticket at #%d is numbered %d", path, pm.Incident, tk.Number)
			continue
		}
		if tk.Class != ticket.Incident || tk.Severity != pm.Severity || tk.Service != pm.Service {
			t.Errorf("%s: #%d is a %s %s %s; the postmortem says an incident, %s, %s", path, tk.Number, tk.Severity, tk.Service, tk.Class, pm.Severity, pm.Service)
		}
		// What a sync would make of the labels and form.
		synced := tk
		synced.FormProblems = nil
		ticket.Classify(&synced, cfg.Labels, serviceIDs)
		if synced.Class != ticket.Incident || synced.Severity != pm.Severity || synced.Service != pm.Service || len(synced.FormProblems) > 0 {
			t.Errorf("%s: #%d's labels %v give a %s %s %s (%v); the postmortem says an incident, %s, %s",
				path, tk.Number, tk.Labels, synced.Severity, synced.Service, synced.Class, synced.FormProblems, pm.Severity, pm.Service)
		}

		tl := ticket.BuildTimeline(&tk, policy, AsOf)
		got := map[string]*ticket.Milestone{
			"started":      &tl.Started,
			"detected":     {At: tl.Created},
			"acknowledged": tl.FirstResponse,
			"mitigated":    tl.Mitigated,
			"resolved":     tl.Resolved,
		}
		for _, name := range []string{"started", "detected", "acknowledged", "mitigated", "resolved"} {
			text, ok := pm.Milestones[name]
			if !ok {
				t.Errorf("%s states no %s milestone", path, name)
				continue
			}
			want, err := time.Parse(time.RFC3339, text)
			if err != nil {
				t.Errorf("%s: milestone %s: %v", path, name, err)
				continue
			}
			switch m := got[name]; {
			case m == nil:
				t.Errorf("%s: #%d has no %s milestone; want %s", path, tk.Number, name, text)
			case !m.At.Equal(want):
				t.Errorf("%s: #%d %s at %s; the postmortem says %s", path, tk.Number, name, m.At.Format(time.RFC3339), text)
			}
		}
		// Impact began before the issue was filed: only the form can say
		// so, as the postmortem does.
		if tl.Started.Source != ticket.SourceForm || tl.Outcome != ticket.OutcomeResolved || tl.Reopens != 0 {
			t.Errorf("%s: #%d started from %s, outcome %s, %d reopens; want from the form, resolved, none", path, tk.Number, tl.Started.Source, tl.Outcome, tl.Reopens)
		}
		if !slices.Contains(pm.Authors, tl.Responder) {
			t.Errorf("%s: #%d was first answered by %s, who is not among the authors %v", path, tk.Number, tl.Responder, pm.Authors)
		}
	}
	for _, p := range pinned {
		if _, ok := documented[p.Number]; !ok {
			t.Errorf("pinned incident #%d has no postmortem in content/postmortems", p.Number)
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
	cfg := loadConfig(t)
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

// TestLargeSnapshot checks the benchmark load: n random tickets, numbered
// 1…n in creation order within the six months, in the classes and shares
// the generator's monthly parameters give, each with the fields its class
// needs, and unchanged through a write and a read of the snapshot file.
func TestLargeSnapshot(t *testing.T) {
	const n = 2000
	s := Generate(Options{Seed: 1, Random: n})
	if s.Repository != Repository || !s.SyncedAt.Equal(AsOf) || len(s.Tickets) != n {
		t.Fatalf("snapshot of %s synced %s with %d tickets; want %s, %s, %d", s.Repository, s.SyncedAt, len(s.Tickets), Repository, AsOf, n)
	}
	cfg := loadConfig(t)
	var serviceIDs []string
	for _, svc := range cfg.Services {
		serviceIDs = append(serviceIDs, svc.ID)
	}
	score := regexp.MustCompile(`^[0-8]/8$`)
	got := map[ticket.Class]int{}
	// want is the expected count of each class: the sum, over the tickets,
	// of the chance random gives each class in the ticket's month; of
	// what is neither a quiz result nor feedback, 56 % are incidents.
	want := map[ticket.Class]float64{}
	for i, tk := range s.Tickets {
		if tk.Number != i+1 {
			t.Fatalf("ticket %d is numbered %d; want numbers 1…%d in order", i, tk.Number, n)
		}
		if !tk.CreatedAt.After(Start) || !tk.CreatedAt.Before(AsOf) {
			t.Errorf("#%d created %s, outside the period %s … %s", tk.Number, tk.CreatedAt, Start, AsOf)
		}
		if i > 0 && tk.CreatedAt.Before(s.Tickets[i-1].CreatedAt) {
			t.Errorf("#%d created %s, before #%d", tk.Number, tk.CreatedAt, tk.Number-1)
		}
		for j, e := range tk.Events {
			if e.At.Before(tk.CreatedAt) || e.At.After(AsOf) || j > 0 && e.At.Before(tk.Events[j-1].At) {
				t.Errorf("#%d event %d (%s) at %s: out of order or outside the ticket's life", tk.Number, j, e.Kind, e.At)
			}
		}
		if tk.ClosedAt != nil && (tk.State != ticket.Closed || tk.ClosedAt.Before(tk.CreatedAt) || tk.ClosedAt.After(AsOf)) {
			t.Errorf("#%d %s, closed at %s", tk.Number, tk.State, tk.ClosedAt)
		}

		m := month(tk.CreatedAt)
		rest := 1 - quizShare[m] - feedbackShare[m]
		want[ticket.QuizResult] += quizShare[m]
		want[ticket.Feedback] += feedbackShare[m]
		want[ticket.Incident] += rest * 0.56
		want[ticket.Problem] += rest * 0.44
		got[tk.Class]++

		synced := tk
		synced.FormProblems = nil
		ticket.Classify(&synced, cfg.Labels, serviceIDs)
		if synced.Class != tk.Class {
			t.Errorf("#%d is a %s, but its labels %v make it a %s", tk.Number, tk.Class, tk.Labels, synced.Class)
		}
		switch tk.Class {
		case ticket.Incident, ticket.Problem:
			if synced.Severity != tk.Severity || synced.Service != tk.Service || len(synced.FormProblems) > 0 || services[tk.Service] == nil {
				t.Errorf("#%d is %s %s; its labels and form give %s %s %v", tk.Number, tk.Severity, tk.Service, synced.Severity, synced.Service, synced.FormProblems)
			}
		case ticket.Feedback:
			if r, err := strconv.Atoi(tk.Fields["rating"]); err != nil || r < 1 || r > 5 {
				t.Errorf("#%d: rating %q; want 1–5", tk.Number, tk.Fields["rating"])
			}
		case ticket.QuizResult:
			if !slices.Contains(quizzes, tk.Fields["quiz_id"]) || !score.MatchString(tk.Fields["score"]) {
				t.Errorf("#%d: quiz %q score %q", tk.Number, tk.Fields["quiz_id"], tk.Fields["score"])
			}
		}
	}
	for _, class := range []ticket.Class{ticket.Incident, ticket.Problem, ticket.Feedback, ticket.QuizResult} {
		// Five standard deviations of a binomial count: a generator that
		// drifted from its parameters fails, chance alone does not.
		p := want[class] / n
		if d := math.Abs(float64(got[class]) - want[class]); d > 5*math.Sqrt(n*p*(1-p)) {
			t.Errorf("%d %s tickets; want about %.0f", got[class], class, want[class])
		}
		delete(got, class)
	}
	if len(got) > 0 {
		t.Errorf("tickets of other classes: %v", got)
	}

	path := filepath.Join(t.TempDir(), "snapshot.jsonl")
	if err := ticket.WriteSnapshot(path, s); err != nil {
		t.Fatal(err)
	}
	back, err := ticket.ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Repository != s.Repository || !back.SyncedAt.Equal(s.SyncedAt) || !back.Cursor.Since.Equal(s.Cursor.Since) || len(back.Tickets) != n {
		t.Fatalf("read back %s synced %s cursor %s, %d tickets", back.Repository, back.SyncedAt, back.Cursor.Since, len(back.Tickets))
	}
	for i := range s.Tickets {
		if !reflect.DeepEqual(back.Tickets[i], s.Tickets[i]) {
			t.Errorf("#%d changed through the snapshot file:\n got %+v\nwant %+v", s.Tickets[i].Number, back.Tickets[i], s.Tickets[i])
		}
	}
}

// The sample answers the real questions: its table of keys is that of
// training/quizzes, question for question.
func TestQuizKeysMatchTheQuizzes(t *testing.T) {
	files, _ := filepath.Glob("../../training/quizzes/*.md")
	var ids []string
	for _, f := range files {
		ids = append(ids, strings.TrimSuffix(filepath.Base(f), ".md"))
	}
	if len(ids) != len(quizKeys) {
		t.Errorf("%d quizzes in training/quizzes, %d in the sample's table", len(ids), len(quizKeys))
	}
	for _, id := range ids {
		src, err := os.ReadFile(filepath.Join("../../training/quizzes", id+".md"))
		if err != nil {
			t.Fatal(err)
		}
		d, _ := document.Parse(id+".md", src)
		q := quiz.Parse(d)
		keys := quizKeys[id]
		if len(keys) != len(q.Questions) {
			t.Errorf("%s: %d keys for %d questions", id, len(keys), len(q.Questions))
			continue
		}
		for i, qu := range q.Questions {
			var c []string
			for _, o := range qu.Correct() {
				c = append(c, string(rune('a'+o)))
			}
			if want := (quizKey{qu.ID, len(qu.Options), strings.Join(c, ",")}); keys[i] != want {
				t.Errorf("%s question %d: sample has %+v, the quiz %+v", id, i+1, keys[i], want)
			}
		}
	}
}
