package githubsync

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/githubsync/githubtest"
	"github.com/opsqa/opsqa/internal/issueform"
	"github.com/opsqa/opsqa/internal/ticket"
)

const testToken = "ghp_testtoken0123456789abcdefABCDEF0123"

// epoch is the sample's start: the plan began 2026-05-01.
var epoch = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)

// fakeClock is the injected clock: Sleep advances it at once and records
// how long the sync asked to wait.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newClock() *fakeClock { return &fakeClock{t: epoch.Add(200 * 24 * time.Hour)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// repoConfig is the sample organisation's opsqa.yaml.
func repoConfig(t testing.TB) *config.Config {
	t.Helper()
	data, err := os.ReadFile("../../opsqa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// repoForms are the repository's own issue forms.
func repoForms(t testing.TB) map[ticket.Class]*issueform.Template {
	t.Helper()
	forms := map[ticket.Class]*issueform.Template{}
	for class, file := range map[ticket.Class]string{
		ticket.Incident: "incident.yml", ticket.Problem: "problem.yml",
		ticket.Feedback: "feedback.yml", ticket.QuizResult: "quiz-result.yml",
	} {
		data, err := os.ReadFile(filepath.Join("../../.github/ISSUE_TEMPLATE", file))
		if err != nil {
			t.Fatal(err)
		}
		f, err := issueform.ParseTemplate(data)
		if err != nil {
			t.Fatal(err)
		}
		forms[class] = f
	}
	return forms
}

func newServer(t testing.TB, clk *fakeClock) *githubtest.Server {
	t.Helper()
	srv := githubtest.New("northwind-parcel", "operations", clk.Now)
	t.Cleanup(srv.Close)
	return srv
}

func testOptions(t testing.TB, srv *githubtest.Server, clk *fakeClock) Options {
	t.Helper()
	cfg := repoConfig(t)
	var services []string
	for _, s := range cfg.Services {
		services = append(services, s.ID)
	}
	return Options{
		Repo:       "northwind-parcel/operations",
		Token:      testToken,
		BaseURL:    srv.URL,
		HTTPClient: srv.Client(),
		Now:        clk.Now,
		Sleep:      clk.Sleep,
		Rand:       func() float64 { return 0.5 },
		Labels:     cfg.Labels,
		Services:   services,
		Forms:      repoForms(t),
	}
}

func mustSync(t testing.TB, prev *ticket.Snapshot, opts Options) (*ticket.Snapshot, Stats) {
	t.Helper()
	s, st, err := Sync(context.Background(), prev, opts)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return s, st
}

func byNumber(s *ticket.Snapshot, n int) *ticket.Ticket {
	for i := range s.Tickets {
		if s.Tickets[i].Number == n {
			return &s.Tickets[i]
		}
	}
	return nil
}

func requestsTo(reqs []githubtest.Request, suffix string) int {
	n := 0
	for _, r := range reqs {
		if strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}
