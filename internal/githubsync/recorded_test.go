package githubsync

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/ticket"
)

// exchange is one recorded request and response of testdata/*.json.
type exchange struct {
	Method   string          `json:"method"`
	Path     string          `json:"path"`
	Status   int             `json:"status"`
	Headers  map[string]any  `json:"headers"`
	Response json.RawMessage `json:"response"`
}

func loadExchanges(t *testing.T, file string) []exchange {
	t.Helper()
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var ex []exchange
	if err := json.Unmarshal(data, &ex); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	return ex
}

// TestDecodeRecordedIssues decodes the real issue objects of the recorded
// listing with the adapter's own types and conversion.
func TestDecodeRecordedIssues(t *testing.T) {
	ex := loadExchanges(t, "paginate-issues.json")
	if len(ex) != 5 {
		t.Fatalf("%d exchanges, want 5 pages", len(ex))
	}
	cv := &converter{labels: config.Default().Labels}
	numbers := 0
	for _, e := range ex {
		var page []*listedIssue
		if err := json.Unmarshal(e.Response, &page); err != nil {
			t.Fatalf("%s: %v", e.Path, err)
		}
		for _, is := range page {
			numbers++
			// Real nulls decode to absent values, not zero structs.
			if is.Body != nil || is.ClosedAt != nil || is.Assignee != nil || is.Milestone != nil || is.PullRequestLinks != nil {
				t.Errorf("#%d: null fields decoded as values", is.GetNumber())
			}
			tk := cv.ticketOf(is, nil)
			if tk.Author != (ticket.Actor{Login: "octokit-fixture-user-a", Type: "User"}) || tk.State != ticket.Open ||
				tk.Class != ticket.Other || tk.CreatedAt.IsZero() || tk.Labels == nil || len(tk.Labels) != 0 || tk.ClosedAt != nil {
				t.Errorf("#%d converted to %+v", is.GetNumber(), tk)
			}
		}
		if link, ok := e.Headers["link"].(string); ok && e.Path != ex[len(ex)-1].Path {
			h := http.Header{}
			h.Set("Link", link)
			if nextLink(h) == "" {
				t.Errorf("%s: no next link in %q", e.Path, link)
			}
		}
	}
	if numbers != 13 {
		t.Errorf("%d issues, want 13", numbers)
	}
}

// TestReplayRecordedListing serves the recorded pages, Link headers and
// all, and syncs from them.
func TestReplayRecordedListing(t *testing.T) {
	ex := loadExchanges(t, "paginate-issues.json")
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/timeline") {
			w.Write([]byte("[]"))
			return
		}
		i := 0
		if strings.HasPrefix(r.URL.Path, "/repositories/1000/issues") {
			switch r.URL.Query().Get("page") {
			case "2":
				i = 1
			case "3":
				i = 2
			case "4":
				i = 3
			case "5":
				i = 4
			}
		}
		e := ex[i]
		for k, v := range e.Headers {
			if s, ok := v.(string); ok && k != "content-length" {
				w.Header().Set(k, strings.ReplaceAll(s, "https://api.github.com", srvURL))
			}
		}
		w.WriteHeader(e.Status)
		w.Write(e.Response)
	}))
	defer srv.Close()
	srvURL = srv.URL
	clk := newClock()
	snap, st, err := Sync(context.Background(), nil, Options{
		Repo: "octokit-fixture-org/paginate-issues", Token: testToken, BaseURL: srv.URL,
		Now: clk.Now, Sleep: clk.Sleep, Labels: config.Default().Labels,
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Fetched != 13 || len(snap.Tickets) != 13 || snap.Tickets[0].Number != 1 || snap.Tickets[12].Number != 13 {
		t.Errorf("stats %+v, %d tickets", st, len(snap.Tickets))
	}
	// 5 pages, 13 timelines, and one listing with the new cursor.
	if st.Requests != 5+13+1 {
		t.Errorf("%d requests, want 19", st.Requests)
	}
}

func TestDecodeRecordedLabelsAndErrors(t *testing.T) {
	lx := loadExchanges(t, "labels.json")
	var labels []*github.Label
	if err := json.Unmarshal(lx[0].Response, &labels); err != nil {
		t.Fatal(err)
	}
	if len(labels) == 0 || labels[0].GetName() != "bug" {
		t.Fatalf("labels %v", labels)
	}
	n := 1
	is := &github.Issue{Number: &n, Labels: labels}
	rules := config.Default().Labels
	rules.Problem = []string{"BUG"}
	tk := (&converter{labels: rules}).ticketOf(is, nil)
	if len(tk.Labels) != len(labels) || tk.Class != ticket.Problem {
		t.Errorf("labels %q class %s", tk.Labels, tk.Class)
	}

	ex := loadExchanges(t, "errors.json")
	if eb := decodeError(ex[0].Response); eb.Message != "Validation Failed" || !strings.Contains(eb.DocumentationURL, "docs.github.com") {
		t.Errorf("error body %+v", eb)
	}
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(ex[0].Status)
		w.Write(ex[0].Response)
	}))
	defer srv.Close()
	clk := newClock()
	_, _, err := Sync(context.Background(), nil, Options{Repo: "octokit-fixture-org/errors", Token: testToken, BaseURL: srv.URL, Now: clk.Now, Sleep: clk.Sleep})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 422 || apiErr.Message != "Validation Failed" || requests != 1 {
		t.Errorf("err %v after %d requests, want a 422 Validation Failed after 1", err, requests)
	}
}
