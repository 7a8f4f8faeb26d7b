package githubsync

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/opsqa/opsqa/internal/githubsync/githubtest"
	"github.com/opsqa/opsqa/internal/ticket"
)

// FuzzResponses hands the sync an issues page and a timeline page of any
// bytes, as a server could send them, through the real client and its
// decoders. Whatever they are, the sync returns an error or a snapshot,
// never panics, and a snapshot it returns is written and read back with
// every ticket it holds.
func FuzzResponses(f *testing.F) {
	f.Add([]byte(`[{"number":1,"title":"Orders API down","state":"open","labels":[{"name":"incident"}],"created_at":"2026-05-01T10:00:00Z","updated_at":"2026-05-01T10:00:00Z","user":{"login":"li-na","type":"User"}}]`),
		[]byte(`[{"event":"labeled","created_at":"2026-05-01T10:00:05Z","actor":{"login":"li-na"},"label":{"name":"sev2"}}]`))
	f.Add([]byte(`null`), []byte(`[]`))
	f.Add([]byte(`[{"number":-1,"pull_request":{}},{"number":1e400}]`), []byte(`[{"event":"commented","created_at":"0000-00-00"}]`))
	f.Add([]byte(`[{"number":1,"title":"\ud800","labels":[{"name":null}],"assignees":[null],"user":null}]`), []byte(`{"message":"Not Found"}`))
	f.Add([]byte("[\xff\xfe]"), []byte(`[{"event":"closed","state_reason":"\u0000","created_at":"9999-12-31T23:59:59Z"}]`))
	cfg := repoConfig(f)
	forms := repoForms(f)
	f.Fuzz(func(t *testing.T, page, timeline []byte) {
		clk := newClock()
		srv := githubtest.New("northwind-parcel", "operations", clk.Now)
		defer srv.Close()
		srv.Seed(2, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.RawBody, Body: page, Times: githubtest.Forever, Match: githubtest.ListPage(1)})
		srv.Inject(githubtest.Fault{Kind: githubtest.RawBody, Body: timeline, Times: githubtest.Forever, Match: githubtest.Timeline(1)})
		opts := Options{
			Repo: "northwind-parcel/operations", Token: testToken, BaseURL: srv.URL, HTTPClient: srv.Client(),
			Now: clk.Now, Sleep: clk.Sleep, Rand: func() float64 { return 0.5 },
			Labels: cfg.Labels, Forms: forms,
		}
		s, _, err := Sync(context.Background(), nil, opts)
		if err != nil {
			return
		}
		path := filepath.Join(t.TempDir(), "snapshot.jsonl")
		if err := ticket.WriteSnapshot(path, s); err != nil {
			t.Fatalf("write the snapshot the sync returned: %v", err)
		}
		back, err := ticket.ReadSnapshot(path)
		if err != nil {
			t.Fatalf("read back the snapshot the sync wrote: %v", err)
		}
		if len(back.Tickets)+len(back.Excluded) < len(s.Tickets) {
			t.Fatalf("wrote %d tickets, read back %d and %d left out", len(s.Tickets), len(back.Tickets), len(back.Excluded))
		}
	})
}
