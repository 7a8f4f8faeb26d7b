package githubsync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/githubsync/githubtest"
	"github.com/opsqa/opsqa/internal/ticket"
)

// faultSample is big enough for three listing pages.
const faultSample = 210

// cleanSnapshot is the snapshot a sync without faults produces.
func cleanSnapshot(t *testing.T) *ticket.Snapshot {
	t.Helper()
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(faultSample, epoch)
	snap, _ := mustSync(t, nil, testOptions(t, srv, clk))
	return snap
}

// TestFaultsNothingLost drives a full sync through every fault GitHub
// throws and checks that the snapshot is exactly the one a clean sync
// gives, and that the waits are the ones GitHub asks for.
func TestFaultsNothingLost(t *testing.T) {
	want := cleanSnapshot(t)
	// Backoff with jitter fixed at 0.5: 0.75 s, 1.5 s, 3 s, …
	cases := []struct {
		name   string
		faults []githubtest.Fault
		waits  []time.Duration // waits that must appear, in order
	}{
		{
			name:   "502 with an HTML body on a listing page",
			faults: []githubtest.Fault{{Kind: githubtest.ServerError, Match: githubtest.ListPage(2), Times: 2}},
			waits:  []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond},
		},
		{
			name:   "500 and 503 with JSON bodies on a timeline",
			faults: []githubtest.Fault{{Kind: githubtest.ServerError, Status: 500, Match: githubtest.Timeline(3)}, {Kind: githubtest.ServerError, Status: 503, Match: githubtest.Timeline(3)}},
			waits:  []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond},
		},
		{
			name:   "secondary rate limit with Retry-After",
			faults: []githubtest.Fault{{Kind: githubtest.SecondaryLimit, RetryAfter: 90 * time.Second, Match: githubtest.ListPage(1)}},
			waits:  []time.Duration{90 * time.Second},
		},
		{
			name:   "secondary rate limit without Retry-After waits a minute, then doubles",
			faults: []githubtest.Fault{{Kind: githubtest.SecondaryLimit, Match: githubtest.Timeline(5), Times: 3}},
			waits:  []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute},
		},
		{
			name:   "secondary rate limit as 429",
			faults: []githubtest.Fault{{Kind: githubtest.SecondaryLimit, Status: 429, Match: githubtest.Timeline(6)}},
			waits:  []time.Duration{time.Minute},
		},
		{
			name:   "429 with Retry-After",
			faults: []githubtest.Fault{{Kind: githubtest.TooManyRequests, RetryAfter: 30 * time.Second, Match: githubtest.ListPage(3)}},
			waits:  []time.Duration{30 * time.Second},
		},
		{
			name:   "429 without Retry-After",
			faults: []githubtest.Fault{{Kind: githubtest.TooManyRequests, Match: githubtest.AnyTimeline}},
			waits:  []time.Duration{time.Minute},
		},
		{
			name:   "primary rate limit waits until the reset",
			faults: []githubtest.Fault{{Kind: githubtest.PrimaryLimit, RetryAfter: 10 * time.Minute, Match: githubtest.Timeline(8)}},
		},
		{
			name:   "truncated JSON",
			faults: []githubtest.Fault{{Kind: githubtest.TruncatedJSON, Match: githubtest.ListPage(2)}, {Kind: githubtest.TruncatedJSON, Match: githubtest.Timeline(9)}},
			waits:  []time.Duration{750 * time.Millisecond, 750 * time.Millisecond},
		},
		{
			name:   "connection dropped mid-page",
			faults: []githubtest.Fault{{Kind: githubtest.DropConnection, Match: githubtest.ListPage(1)}, {Kind: githubtest.DropConnection, Match: githubtest.Timeline(12), Times: 2}},
			waits:  []time.Duration{750 * time.Millisecond, 750 * time.Millisecond, 1500 * time.Millisecond},
		},
		{
			name: "everything at once",
			faults: []githubtest.Fault{
				{Kind: githubtest.DropConnection, Match: githubtest.ListPage(1)},
				{Kind: githubtest.SecondaryLimit, Match: githubtest.ListPage(1)},
				{Kind: githubtest.ServerError, Match: githubtest.ListPage(2)},
				{Kind: githubtest.TruncatedJSON, Match: githubtest.ListPage(3)},
				{Kind: githubtest.TooManyRequests, RetryAfter: 5 * time.Second, Match: githubtest.Timeline(1)},
				{Kind: githubtest.PrimaryLimit, Match: githubtest.Timeline(2)},
				{Kind: githubtest.SecondaryLimit, RetryAfter: 61 * time.Second, Match: githubtest.Timeline(4)},
				{Kind: githubtest.ServerError, Status: 500, Match: githubtest.Timeline(21), Times: 2},
				{Kind: githubtest.DropConnection, Match: githubtest.Timeline(21), Times: 2},
				{Kind: githubtest.TruncatedJSON, Match: githubtest.Timeline(21)},
				{Kind: githubtest.DropConnection, Match: githubtest.AnyTimeline, Times: 2},
				{Kind: githubtest.TruncatedJSON, Match: githubtest.AnyTimeline, Times: 2},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			srv := newServer(t, clk)
			srv.Seed(faultSample, epoch)
			srv.Inject(c.faults...)
			start := clk.Now()
			got, st := mustSync(t, nil, testOptions(t, srv, clk))
			if srv.Pending() != 0 {
				t.Errorf("%d faults never fired", srv.Pending())
			}
			if !reflect.DeepEqual(got.Tickets, want.Tickets) {
				t.Errorf("tickets differ from a clean sync (%d vs %d)", len(got.Tickets), len(want.Tickets))
			}
			if got.Cursor.Since != want.Cursor.Since || got.Cursor.ListETag == "" {
				t.Errorf("cursor %+v, want since %v", got.Cursor, want.Cursor.Since)
			}
			faulted := 0
			for _, r := range srv.Requests() {
				if r.Fault != "" {
					faulted++
				}
			}
			if st.Requests != len(srv.Requests()) || faulted == 0 {
				t.Errorf("stats count %d requests, server saw %d (%d faulted)", st.Requests, len(srv.Requests()), faulted)
			}
			if !containsInOrder(clk.Sleeps(), c.waits) {
				t.Errorf("waits %v, want %v among them", clk.Sleeps(), c.waits)
			}
			if st.Waited != clk.Now().Sub(start) {
				t.Errorf("stats say %v waited, the clock moved %v", st.Waited, clk.Now().Sub(start))
			}
		})
	}
}

func TestPrimaryLimitWaitsForReset(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(20, epoch)
	srv.Inject(githubtest.Fault{Kind: githubtest.PrimaryLimit, RetryAfter: 10 * time.Minute, Match: githubtest.Timeline(8)})
	start := clk.Now()
	mustSync(t, nil, testOptions(t, srv, clk))
	sleeps := clk.Sleeps()
	if len(sleeps) != 1 {
		t.Fatalf("sleeps %v, want one wait for the reset", sleeps)
	}
	// The reset is a whole second; waiting one second more is enough and
	// never too early.
	reset := start.Add(10 * time.Minute).Truncate(time.Second)
	if at := start.Add(sleeps[0]); at.Before(reset) || at.After(reset.Add(2*time.Second)) {
		t.Errorf("woke at %v, reset at %v", at, reset)
	}
	// Exactly one request hit the limit: none was sent before the reset.
	limited := 0
	for _, r := range srv.Requests() {
		if r.Status == http.StatusForbidden {
			limited++
		}
	}
	if limited != 1 {
		t.Errorf("%d requests answered 403, want 1", limited)
	}
}

func TestTimeoutRetried(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(8, epoch)
	srv.Inject(githubtest.Fault{Kind: githubtest.Hang, Match: githubtest.Timeline(3)})
	opts := testOptions(t, srv, clk)
	hc := *srv.Client()
	hc.Timeout = time.Second
	opts.HTTPClient = &hc
	snap, _ := mustSync(t, nil, opts)
	if byNumber(snap, 3) == nil || srv.Pending() != 0 || requestsTo(srv.Requests(), "/issues/3/timeline") < 2 {
		t.Errorf("a timed-out request must be retried: %d requests for #3", requestsTo(srv.Requests(), "/issues/3/timeline"))
	}
	if sleeps := clk.Sleeps(); len(sleeps) == 0 || sleeps[0] != 750*time.Millisecond {
		t.Errorf("backoff after the timeout: %v", sleeps)
	}
}

func TestRetriesRunOut(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(8, epoch)
	srv.Inject(githubtest.Fault{Kind: githubtest.ServerError, Status: 503, Match: githubtest.Timeline(4), Times: 100})
	_, st, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 503 || apiErr.Attempts != MaxAttempts {
		t.Fatalf("err = %v, want a 503 APIError after %d attempts", err, MaxAttempts)
	}
	msg := err.Error()
	for _, want := range []string{"read timeline of northwind-parcel/operations#4", "503 Service Unavailable", "Server Error", "gave up after 6 attempts"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, testToken) {
		t.Errorf("token in the error")
	}
	if n := requestsTo(srv.Requests(), "/issues/4/timeline"); n != MaxAttempts || st.Requests != len(srv.Requests()) {
		t.Errorf("%d attempts on #4, want %d", n, MaxAttempts)
	}
	wantWaits := []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second, 12 * time.Second}
	if !reflect.DeepEqual(clk.Sleeps(), wantWaits) {
		t.Errorf("backoff %v, want %v", clk.Sleeps(), wantWaits)
	}
}

func TestBackoffJitterAndCap(t *testing.T) {
	for _, c := range []struct {
		rand    float64
		attempt int
		want    time.Duration
	}{
		{0, 1, 500 * time.Millisecond},
		{0.999999, 1, 999999500 * time.Nanosecond},
		{0, 10, BackoffMax / 2},
		{0.5, 10, BackoffMax * 3 / 4},
	} {
		clk := newClock()
		cl := &client{sleep: clk.Sleep, rand: func() float64 { return c.rand }}
		cl.backoff(context.Background(), c.attempt)
		if got := clk.Sleeps()[0]; got != c.want {
			t.Errorf("backoff(rand %v, attempt %d) = %v, want %v", c.rand, c.attempt, got, c.want)
		}
	}
}

func TestErrorsNotRetried(t *testing.T) {
	clk := newClock()
	for _, c := range []struct {
		name  string
		fault *githubtest.Fault
		repo  string
		want  []string
	}{
		{name: "403 without a rate limit", fault: &githubtest.Fault{Kind: githubtest.Forbidden}, want: []string{"403 Forbidden", "Resource not accessible by integration"}},
		{name: "unknown repository", repo: "northwind-parcel/nope", want: []string{"404 Not Found", "list issues of northwind-parcel/nope"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newServer(t, clk)
			srv.Seed(5, epoch)
			if c.fault != nil {
				srv.Inject(*c.fault)
			}
			opts := testOptions(t, srv, clk)
			if c.repo != "" {
				opts.Repo = c.repo
			}
			_, _, err := Sync(context.Background(), nil, opts)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if len(srv.Requests()) != 1 {
				t.Errorf("%d requests, want 1: the answer will not change", len(srv.Requests()))
			}
		})
	}
}

func TestPrimaryLimitTooFarAway(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(5, epoch)
	srv.Inject(githubtest.Fault{Kind: githubtest.PrimaryLimit, RetryAfter: 3 * time.Hour})
	_, _, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
	if err == nil || !strings.Contains(err.Error(), "rate limit exhausted until") || len(clk.Sleeps()) != 0 {
		t.Errorf("err %v after sleeps %v, want a prompt error naming the reset", err, clk.Sleeps())
	}
}

// An issue updated while the listing pages shifts the later pages; the
// sync notices and keeps its cursor so the next sync lists that stretch
// again, and nothing is lost.
func TestListingShiftRecovered(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(faultSample, epoch)
	opts := testOptions(t, srv, clk)
	moved := false
	opts.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !moved && r.URL.Query().Get("page") == "2" {
			moved = true
			srv.AddEvent(2, githubtest.Event{Event: "commented", Actor: githubtest.User{Login: "olu-adeyemi"}, At: epoch.Add(300 * 24 * time.Hour)})
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	first, _ := mustSync(t, nil, opts)
	if !moved || !first.Cursor.Since.IsZero() || first.Cursor.ListETag != "" {
		t.Fatalf("cursor %+v after a shifted listing, want it left where it was", first.Cursor)
	}
	second, _ := mustSync(t, first, opts)
	clean := cleanSnapshotAfter(t, func(s *githubtest.Server) {
		s.AddEvent(2, githubtest.Event{Event: "commented", Actor: githubtest.User{Login: "olu-adeyemi"}, At: epoch.Add(300 * 24 * time.Hour)})
	})
	if !reflect.DeepEqual(second.Tickets, clean.Tickets) {
		t.Errorf("after the shift and one more sync, %d tickets; a clean sync has %d", len(second.Tickets), len(clean.Tickets))
	}
}

func cleanSnapshotAfter(t *testing.T, change func(*githubtest.Server)) *ticket.Snapshot {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(faultSample, epoch)
	change(srv)
	snap, _ := mustSync(t, nil, testOptions(t, srv, clk))
	return snap
}

// An interrupted sync leaves the previous snapshot whole, and the next
// sync resumes from its cursor.
func TestInterruptedSyncKeepsSnapshot(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(120, epoch)
	opts := testOptions(t, srv, clk)
	dir := t.TempDir()
	path := filepath.Join(dir, "snapshot.json")
	if _, err := SyncFile(context.Background(), path, opts); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := ticket.ReadSnapshot(path)

	later := epoch.Add(100 * 24 * time.Hour)
	for i, n := range []int{4, 9, 33} {
		srv.AddEvent(n, githubtest.Event{Event: "commented", Actor: githubtest.User{Login: "mei-lin"}, At: later.Add(time.Duration(i) * time.Minute)})
	}

	// The network goes away for good in the middle.
	srv.Inject(githubtest.Fault{Kind: githubtest.ServerError, Match: githubtest.Timeline(9), Times: 1000})
	if _, err := SyncFile(context.Background(), path, opts); err == nil {
		t.Fatal("sync through a dead server succeeded")
	}
	assertUnchanged(t, dir, path, before)

	// The process is stopped in the middle (here: while waiting).
	srv.ResetLog()
	srv.Inject(githubtest.Fault{Kind: githubtest.SecondaryLimit, Match: githubtest.Timeline(33)})
	ctx, cancel := context.WithCancel(context.Background())
	stopping := opts
	stopping.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	if _, err := SyncFile(ctx, path, stopping); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	assertUnchanged(t, dir, path, before)

	// Faults gone: the next sync resumes from the old cursor.
	srv.ClearFaults()
	opts2 := opts
	var firstQuery string
	opts2.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if firstQuery == "" {
			firstQuery = r.URL.Query().Get("since")
		}
		return opts.HTTPClient.Transport.RoundTrip(r)
	})}
	if opts2.HTTPClient.Transport == nil {
		t.Fatal("no transport")
	}
	st, err := SyncFile(context.Background(), path, opts2)
	if err == nil && (firstQuery != old.Cursor.Since.Format(time.RFC3339) || st.Changed != 3) {
		t.Errorf("resumed with since %q and %d changed, want %s and 3", firstQuery, st.Changed, old.Cursor.Since.Format(time.RFC3339))
	}
	if err != nil {
		t.Fatal(err)
	}
	now, _ := ticket.ReadSnapshot(path)
	for _, n := range []int{4, 9, 33} {
		tk := byNumber(now, n)
		if last := tk.Events[len(tk.Events)-1]; last.Actor.Login != "mei-lin" {
			t.Errorf("#%d misses the comment made while the sync was failing", n)
		}
	}
}

func assertUnchanged(t *testing.T, dir, path string, before []byte) {
	t.Helper()
	after, err := os.ReadFile(path)
	if err != nil || string(after) != string(before) {
		t.Errorf("the snapshot changed after a failed sync")
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"snapshot.json"}) {
		t.Errorf("files left behind: %v", names)
	}
}

func containsInOrder(have, want []time.Duration) bool {
	i := 0
	for _, h := range have {
		if i < len(want) && h == want[i] {
			i++
		}
	}
	return i == len(want)
}

// The reset time is on GitHub's clock; a local clock running ahead must
// not wake the sync before it.
func TestPrimaryLimitSkewedClock(t *testing.T) {
	clk := newClock()
	ghClock := func() time.Time { return clk.Now().Add(-40 * time.Second) }
	srv := githubtest.New("northwind-parcel", "operations", ghClock)
	defer srv.Close()
	srv.Seed(6, epoch)
	srv.Inject(githubtest.Fault{Kind: githubtest.PrimaryLimit, RetryAfter: 5 * time.Minute, Match: githubtest.Timeline(2)})
	mustSync(t, nil, testOptions(t, srv, clk))
	limited := 0
	for _, r := range srv.Requests() {
		if r.Status == http.StatusForbidden {
			limited++
		}
	}
	if limited != 1 || len(clk.Sleeps()) != 1 {
		t.Errorf("%d requests hit the limit, sleeps %v: the sync woke before GitHub's reset", limited, clk.Sleeps())
	}
}

// Faults of a hostile or broken server: each stops the sync with an error
// naming what went wrong, promptly, without the token going anywhere but
// the API origin.

// apiPath is the URL r asked for, on the API.
func apiPath(srv *githubtest.Server, r *http.Request) string {
	return strings.TrimSuffix(srv.URL, "/") + r.URL.Path + "?" + r.URL.RawQuery
}

func TestTokenOnlyToAPIOrigin(t *testing.T) {
	foreign := githubtest.NewForeign()
	defer foreign.Close()
	port := func(u string) string {
		_, p, _ := strings.Cut(strings.TrimPrefix(u, "http://"), ":")
		return strings.TrimSuffix(p, "/")
	}

	for _, c := range []struct {
		name   string
		target func(srv *githubtest.Server, r *http.Request) string
		to     string // the origin the error names, with %s for the API port
	}{
		{"another port", func(_ *githubtest.Server, r *http.Request) string { return foreign.URL + r.URL.Path }, strings.TrimPrefix(foreign.URL, "http://")},
		{"another host, same port", func(srv *githubtest.Server, r *http.Request) string {
			return "http://localhost:" + port(srv.URL) + r.URL.Path + "?" + r.URL.RawQuery
		}, "localhost:%s"},
		{"another scheme, same host and port", func(srv *githubtest.Server, r *http.Request) string {
			return "https://127.0.0.1:" + port(srv.URL) + r.URL.Path
		}, "127.0.0.1:%s"},
	} {
		t.Run("redirect to "+c.name, func(t *testing.T) {
			clk := newClock()
			srv := newServer(t, clk)
			srv.Seed(10, epoch)
			srv.Inject(githubtest.Fault{Kind: githubtest.Redirect, Status: http.StatusTemporaryRedirect, Match: githubtest.ListPage(1),
				Target: func(r *http.Request) string { return c.target(srv, r) }})
			_, st, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
			if !errors.Is(err, ErrForeignOrigin) {
				t.Fatalf("err = %v, want ErrForeignOrigin", err)
			}
			to := c.to
			if strings.Contains(to, "%s") {
				to = fmt.Sprintf(to, port(srv.URL))
			}
			if !strings.Contains(err.Error(), "refused a redirect to ") || !strings.Contains(err.Error(), to) ||
				!strings.Contains(err.Error(), "not the API origin "+strings.TrimSuffix(srv.URL, "/")) {
				t.Errorf("error %q does not name the redirect to %s and the API origin", err, to)
			}
			if n := len(srv.Requests()); n != 1 || st.Requests != 1 {
				t.Errorf("%d requests reached the API (stats %d), want 1: a refused redirect is not retried", n, st.Requests)
			}
			if n := len(foreign.Requests()); n != 0 {
				t.Errorf("%d requests reached the other origin", n)
			}
		})
	}

	t.Run("same-origin redirects followed with the token", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(10, epoch)
		// Three redirects in a row, to GitHub's /repositories/{id} form.
		srv.Inject(githubtest.Fault{Kind: githubtest.Redirect, Times: 3, Match: githubtest.ListPage(1),
			Target: func(r *http.Request) string {
				return fmt.Sprintf("%srepositories/%d/issues?%s", srv.URL, srv.RepoID, r.URL.RawQuery)
			}})
		want := cleanSnapshotOf(t, 10)
		got, st := mustSync(t, nil, testOptions(t, srv, clk))
		if !reflect.DeepEqual(got.Tickets, want.Tickets) {
			t.Errorf("tickets differ from a sync without redirects")
		}
		reqs := srv.Requests()
		if st.Requests != len(reqs) || requestsTo(reqs, "/repositories/1296269/issues") < 3 {
			t.Errorf("stats count %d requests, the server saw %d", st.Requests, len(reqs))
		}
		for _, r := range reqs {
			if r.Authorization != "Bearer "+testToken {
				t.Fatalf("%s %s without the token: %q", r.Method, r.Path, r.Authorization)
			}
		}
	})

	t.Run("more than 5 redirects", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(10, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.Redirect, Times: githubtest.Forever, Match: githubtest.ListPage(1),
			Target: func(r *http.Request) string { return apiPath(srv, r) }})
		_, _, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
		if !errors.Is(err, ErrTooManyRedirects) || !strings.Contains(err.Error(), "too many redirects: more than 5") {
			t.Fatalf("err = %v, want ErrTooManyRedirects", err)
		}
		if n := len(srv.Requests()); n != 1+MaxRedirects {
			t.Errorf("%d requests, want the first and %d redirects", n, MaxRedirects)
		}
	})

	t.Run("the transport", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		c, err := newClient(testOptions(t, srv, clk))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{foreign.URL + "/x", srv.URL + "repos/a/b/issues"} {
			req, _ := http.NewRequest(http.MethodGet, u, nil)
			req.Header.Set("Authorization", "Bearer "+testToken) // set by someone else: still not sent away
			resp, err := c.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		if got := foreign.Requests(); len(got) != 1 || got[0].Header.Get("Authorization") != "" {
			t.Errorf("the other origin got %d requests, Authorization %q", len(got), got[0].Header.Get("Authorization"))
		}
		if got := srv.Requests(); len(got) != 1 || got[0].Authorization != "Bearer "+testToken {
			t.Errorf("the API got %+v", got)
		}
	})
}

func cleanSnapshotOf(t *testing.T, n int) *ticket.Snapshot {
	t.Helper()
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(n, epoch)
	snap, _ := mustSync(t, nil, testOptions(t, srv, clk))
	return snap
}

func TestPaginationBounded(t *testing.T) {
	foreign := githubtest.NewForeign()
	defer foreign.Close()
	cases := []struct {
		name   string
		limits Limits
		setup  func(srv *githubtest.Server)
		is     error
		want   string
		// requests is how many requests the sync may send at most.
		requests int
	}{
		{
			name: "the last page links back to the first",
			setup: func(srv *githubtest.Server) {
				srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Match: githubtest.ListPage(3),
					Target: func(r *http.Request) string { return srv.PageURL(r, 1) }})
			},
			is: ErrPageLoop, want: "issue listing: pagination loops: page 3 links back to page 1", requests: 3,
		},
		{
			name: "a link back to the first page as the first request named it, without page=",
			setup: func(srv *githubtest.Server) {
				srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Match: githubtest.ListPage(2),
					Target: func(r *http.Request) string {
						q := r.URL.Query()
						q.Del("page")
						return fmt.Sprintf("%srepositories/%d/issues?%s", srv.URL, srv.RepoID, q.Encode())
					}})
			},
			is: ErrPageLoop, want: "page 2 links back to page 1", requests: 2,
		},
		{
			name: "a page links to itself",
			setup: func(srv *githubtest.Server) {
				srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Match: githubtest.ListPage(2),
					Target: func(r *http.Request) string { return srv.PageURL(r, 2) }})
			},
			is: ErrPageLoop, want: "page 2 links back to page 2", requests: 2,
		},
		{
			name: "a timeline links back to its first page",
			setup: func(srv *githubtest.Server) {
				srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Match: githubtest.Timeline(4),
					Target: func(r *http.Request) string { return srv.PageURL(r, 1) }})
			},
			is: ErrPageLoop, want: "read timeline of northwind-parcel/operations#4: timeline: pagination loops: page 1 links back to page 1",
		},
		{
			name:   "the listing pages forever",
			limits: Limits{IssuePages: 40},
			setup: func(srv *githubtest.Server) {
				srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Times: githubtest.Forever, Match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/issues") },
					Target: srv.NextPage})
			},
			is: ErrTooManyPages, want: "issue listing: too many pages: more than 40", requests: 40,
		},
		{
			name:   "a timeline pages forever",
			limits: Limits{TimelinePages: 25},
			setup: func(srv *githubtest.Server) {
				srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Times: githubtest.Forever, Match: githubtest.Timeline(2), Target: srv.NextPage})
			},
			is: ErrTooManyPages, want: "read timeline of northwind-parcel/operations#2: timeline: too many pages: more than 25",
		},
		{
			name:   "a timeline with too many events",
			limits: Limits{TimelineEvents: 150},
			setup: func(srv *githubtest.Server) {
				for i := 0; i < 160; i++ {
					srv.AddEvent(3, githubtest.Event{Event: "commented", Actor: githubtest.User{Login: "li-na"}, At: epoch.Add(time.Duration(i) * time.Hour)})
				}
			},
			is: ErrTooManyEvents, want: "read timeline of northwind-parcel/operations#3: too many timeline events: more than 150",
		},
		{
			name: "a next link to another origin",
			setup: func(srv *githubtest.Server) {
				srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Match: githubtest.ListPage(1),
					Target: func(r *http.Request) string { return foreign.URL + r.URL.Path + "?page=2" }})
			},
			is: ErrForeignOrigin, want: "issue listing: the next page link points to " + foreign.URL + ": not the API origin", requests: 1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			srv := newServer(t, clk)
			srv.Seed(faultSample, epoch)
			c.setup(srv)
			opts := testOptions(t, srv, clk)
			opts.Limits = c.limits
			_, _, err := Sync(context.Background(), nil, opts)
			if !errors.Is(err, c.is) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v\nwant %v containing %q", err, c.is, c.want)
			}
			if n := len(srv.Requests()); c.requests > 0 && n != c.requests {
				t.Errorf("%d requests, want %d", n, c.requests)
			}
			if len(foreign.Requests()) != 0 {
				t.Errorf("a request reached the other origin")
			}
		})
	}
}

// TestPaginationDefaultBounds runs into the stated maximums themselves:
// thousands of pages.
func TestPaginationDefaultBounds(t *testing.T) {
	if testing.Short() {
		t.Skip("thousands of pages")
	}
	t.Run("listing", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(3, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Times: githubtest.Forever, Match: func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/issues") }, Target: srv.NextPage})
		_, _, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
		if !errors.Is(err, ErrTooManyPages) || !strings.Contains(err.Error(), fmt.Sprintf("more than %d", MaxIssuePages)) || len(srv.Requests()) != MaxIssuePages {
			t.Errorf("err %v after %d requests", err, len(srv.Requests()))
		}
	})
	t.Run("timeline pages", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(3, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Times: githubtest.Forever, Match: githubtest.Timeline(1), Target: srv.NextPage})
		_, _, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
		if !errors.Is(err, ErrTooManyPages) || requestsTo(srv.Requests(), "/issues/1/timeline") != MaxTimelinePages {
			t.Errorf("err %v after %d timeline requests", err, requestsTo(srv.Requests(), "/issues/1/timeline"))
		}
	})
	t.Run("timeline events", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(3, epoch)
		for i := 0; i <= MaxTimelineEvents; i++ {
			srv.AddEvent(2, githubtest.Event{Event: "subscribed", Actor: githubtest.User{Login: "li-na"}, At: epoch.Add(time.Duration(i) * time.Minute)})
		}
		_, _, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
		if !errors.Is(err, ErrTooManyEvents) {
			t.Errorf("err %v", err)
		}
	})
}

func TestDeadlines(t *testing.T) {
	t.Run("a request that never answers, every time", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(5, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.Hang, Times: githubtest.Forever, Match: githubtest.Timeline(3)})
		opts := testOptions(t, srv, clk)
		opts.RequestTimeout = 50 * time.Millisecond
		start := time.Now()
		_, _, err := Sync(context.Background(), nil, opts)
		var te *TimeoutError
		if !errors.As(err, &te) || !te.Request || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the request timeout", err)
		}
		for _, w := range []string{"read timeline of northwind-parcel/operations#3", "no complete answer within the request timeout of 50ms", "gave up after 6 attempts"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q lacks %q", err, w)
			}
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
	})

	t.Run("headers, then a body that never ends", func(t *testing.T) {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			w.Write([]byte("[ "))
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		}))
		defer api.Close()
		clk := newClock()
		_, _, err := Sync(context.Background(), nil, Options{Repo: "a/b", Token: testToken, BaseURL: api.URL, Now: clk.Now, Sleep: clk.Sleep, RequestTimeout: 50 * time.Millisecond})
		if !strings.Contains(err.Error(), "no complete answer within the request timeout of 50ms") {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("the whole sync", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(5, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.Hang, Times: githubtest.Forever, Match: githubtest.ListPage(1)})
		opts := testOptions(t, srv, clk)
		opts.RequestTimeout = time.Hour
		opts.Timeout = 200 * time.Millisecond
		start := time.Now()
		_, _, err := Sync(context.Background(), nil, opts)
		var te *TimeoutError
		if !errors.As(err, &te) || te.Request || !errors.Is(err, context.DeadlineExceeded) ||
			!strings.Contains(err.Error(), "list issues of northwind-parcel/operations: the sync did not finish within its deadline of 200ms") {
			t.Fatalf("err = %v, want the sync deadline", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v", d)
		}
	})

	t.Run("a rate limit lifting after the deadline", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(5, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.PrimaryLimit, RetryAfter: 20 * time.Minute, Match: githubtest.Timeline(2)})
		opts := testOptions(t, srv, clk)
		opts.Timeout = 5 * time.Minute
		_, _, err := Sync(context.Background(), nil, opts)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "403 rate limited; waiting 20m") ||
			!strings.Contains(err.Error(), "more would pass the sync deadline of 5m0s") || len(clk.Sleeps()) != 0 {
			t.Errorf("err = %v after sleeps %v, want a prompt error", err, clk.Sleeps())
		}
	})

	t.Run("backoff past the deadline", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(5, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.ServerError, Status: 503, Times: githubtest.Forever, Match: githubtest.Timeline(2)})
		opts := testOptions(t, srv, clk)
		opts.Timeout = 2 * time.Second // backoffs 0.75 s, 1.5 s, then 3 s
		_, _, err := Sync(context.Background(), nil, opts)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "503 Service Unavailable: Server Error (gave up after 3 attempts); waiting 3s more would pass the sync deadline of 2s") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestBodyTooLarge(t *testing.T) {
	const huge = 250 << 20
	for _, c := range []struct {
		name  string
		fault githubtest.Fault
	}{
		{"announced", githubtest.Fault{Kind: githubtest.HugeBody, Size: huge, Match: githubtest.ListPage(1)}},
		{"not announced", githubtest.Fault{Kind: githubtest.HugeBody, Size: huge, NoLength: true, Match: githubtest.ListPage(1)}},
		{"a timeline", githubtest.Fault{Kind: githubtest.HugeBody, Size: huge, NoLength: true, Match: githubtest.Timeline(2)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			srv := newServer(t, clk)
			srv.Seed(5, epoch)
			srv.Inject(c.fault)
			start := time.Now()
			_, _, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
			if !errors.Is(err, ErrBodyTooLarge) || !strings.Contains(err.Error(), "answer too large: more than 32 MiB") {
				t.Fatalf("err = %v, want ErrBodyTooLarge", err)
			}
			var faulted int
			for _, r := range srv.Requests() {
				if r.Fault != "" {
					faulted++
				}
			}
			if faulted != 1 || len(clk.Sleeps()) != 0 {
				t.Errorf("%d requests got the huge body, sleeps %v: it must not be retried", faulted, clk.Sleeps())
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}

	t.Run("an error body is read up to 64 KiB", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(5, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.HugeBody, Status: http.StatusBadGateway, Size: huge, NoLength: true, Match: githubtest.Timeline(2)})
		// A 502 is retried as any other; its body does not stop the sync.
		mustSync(t, nil, testOptions(t, srv, clk))
		if len(clk.Sleeps()) != 1 {
			t.Errorf("sleeps %v, want one backoff", clk.Sleeps())
		}
	})

	t.Run("a small bound", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(faultSample, epoch)
		opts := testOptions(t, srv, clk)
		opts.Limits = Limits{Body: 1000}
		_, _, err := Sync(context.Background(), nil, opts)
		if !errors.Is(err, ErrBodyTooLarge) || !strings.Contains(err.Error(), "more than 1000 bytes") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestPageNotAnArray(t *testing.T) {
	for _, c := range []struct {
		name, body, got string
		match           func(*http.Request) bool
	}{
		{"null listing", "null", "got null", githubtest.ListPage(1)},
		{"null second page", " null\n", "got null", githubtest.ListPage(2)},
		{"object", `{"message":"ok","items":[]}`, "got an object", githubtest.ListPage(1)},
		{"string", `"[]"`, "got a string", githubtest.ListPage(1)},
		{"empty body", ``, "got an empty body", githubtest.ListPage(1)},
		{"null timeline", "null", "got null", githubtest.Timeline(4)},
		{"object timeline", "{}", "got an object", githubtest.Timeline(4)},
	} {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			srv := newServer(t, clk)
			srv.Seed(faultSample, epoch)
			srv.Inject(githubtest.Fault{Kind: githubtest.RawBody, Body: []byte(c.body), Match: c.match})
			_, _, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
			if !errors.Is(err, ErrNotAnArray) || !strings.Contains(err.Error(), "page is not a JSON array: "+c.got) {
				t.Fatalf("err = %v, want ErrNotAnArray (%s)", err, c.got)
			}
			if len(clk.Sleeps()) != 0 {
				t.Errorf("retried: sleeps %v", clk.Sleeps())
			}
		})
	}
	t.Run("an array of the wrong shape is not retried", func(t *testing.T) {
		clk := newClock()
		srv := newServer(t, clk)
		srv.Seed(5, epoch)
		srv.Inject(githubtest.Fault{Kind: githubtest.RawBody, Body: []byte(`[{"number":"one"}]`), Match: githubtest.ListPage(1)})
		_, _, err := Sync(context.Background(), nil, testOptions(t, srv, clk))
		if err == nil || len(srv.Requests()) != 1 {
			t.Errorf("err %v after %d requests", err, len(srv.Requests()))
		}
	})
}

// A full sync that lists nothing does not replace a snapshot that holds
// tickets, and no failed sync changes the snapshot by a byte.
func TestFullSyncDoesNotEmptySnapshot(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(216, epoch)
	dir := t.TempDir()
	path := filepath.Join(dir, "snapshot.json")
	if _, err := SyncFile(context.Background(), path, testOptions(t, srv, clk)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	prev, _ := ticket.ReadSnapshot(path)
	if len(prev.Tickets) < 150 {
		t.Fatalf("%d tickets", len(prev.Tickets))
	}

	full := testOptions(t, srv, clk)
	full.Full = true
	for _, body := range []string{"null", "{}"} {
		srv.Inject(githubtest.Fault{Kind: githubtest.RawBody, Body: []byte(body), Match: githubtest.ListPage(1)})
		if _, err := SyncFile(context.Background(), path, full); !errors.Is(err, ErrNotAnArray) {
			t.Errorf("%s page: err = %v", body, err)
		}
		assertUnchanged(t, dir, path, before)
	}

	// GitHub really lists nothing (a repository emptied, a token that sees
	// another one): refused.
	empty := newServer(t, clk)
	emptyFull := testOptions(t, empty, clk)
	emptyFull.Full = true
	_, err := SyncFile(context.Background(), path, emptyFull)
	if !errors.Is(err, ErrEmptyListing) || !strings.Contains(err.Error(), fmt.Sprintf("(%d tickets); not replacing it", len(prev.Tickets))) {
		t.Errorf("err = %v, want ErrEmptyListing", err)
	}
	assertUnchanged(t, dir, path, before)

	// An incremental sync that finds nothing new keeps every ticket.
	if _, err := SyncFile(context.Background(), path, testOptions(t, empty, clk)); err != nil {
		t.Errorf("incremental: %v", err)
	} else if s, _ := ticket.ReadSnapshot(path); len(s.Tickets) != len(prev.Tickets) {
		t.Errorf("incremental sync of an empty listing left %d tickets", len(s.Tickets))
	}
	os.WriteFile(path, before, 0o644)

	// A snapshot that cannot be read counts as holding tickets.
	broken := []byte("{not a snapshot\n")
	os.WriteFile(path, broken, 0o644)
	if _, err := SyncFile(context.Background(), path, emptyFull); !errors.Is(err, ErrEmptyListing) {
		t.Errorf("unreadable snapshot: err = %v", err)
	}
	assertUnchanged(t, dir, path, broken)
	os.WriteFile(path, before, 0o644)

	// --allow-empty says the repository really has no issues.
	emptyFull.AllowEmpty = true
	if _, err := SyncFile(context.Background(), path, emptyFull); err != nil {
		t.Fatal(err)
	}
	if s, err := ticket.ReadSnapshot(path); err != nil || len(s.Tickets) != 0 {
		t.Errorf("allowed empty sync: %v, %d tickets", err, len(s.Tickets))
	}
}

// Every fault above leaves the snapshot as it was, byte for byte.
func TestHostileFaultsKeepSnapshot(t *testing.T) {
	foreign := githubtest.NewForeign()
	defer foreign.Close()
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(30, epoch)
	dir := t.TempDir()
	path := filepath.Join(dir, "snapshot.json")
	if _, err := SyncFile(context.Background(), path, testOptions(t, srv, clk)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	srv.AddEvent(7, githubtest.Event{Event: "commented", Actor: githubtest.User{Login: "li-na"}, At: epoch.Add(150 * 24 * time.Hour)})
	for name, f := range map[string]githubtest.Fault{
		"foreign redirect": {Kind: githubtest.Redirect, Match: githubtest.Timeline(7), Target: func(r *http.Request) string { return foreign.URL }},
		"page loop":        {Kind: githubtest.NextLink, Match: githubtest.Timeline(7), Target: func(r *http.Request) string { return srv.PageURL(r, 1) }},
		"huge body":        {Kind: githubtest.HugeBody, Size: 40 << 20, Match: githubtest.Timeline(7)},
		"null page":        {Kind: githubtest.RawBody, Body: []byte("null"), Match: githubtest.Timeline(7)},
		"token echoed":     {Kind: githubtest.EchoAuth, Match: githubtest.Timeline(7)},
		"hang":             {Kind: githubtest.Hang, Times: githubtest.Forever, Match: githubtest.Timeline(7)},
	} {
		srv.ClearFaults()
		srv.Inject(f)
		opts := testOptions(t, srv, clk)
		opts.RequestTimeout = 20 * time.Millisecond
		if _, err := SyncFile(context.Background(), path, opts); err == nil {
			t.Errorf("%s: no error", name)
		}
		assertUnchanged(t, dir, path, before)
	}
	if len(foreign.Requests()) != 0 {
		t.Errorf("a request reached the other origin")
	}
}

// leakToken is distinctive, so that any copy of it anywhere is found.
const leakToken = "ghp_CANARY7f3e9a1b5c8d2e4f6a0b3c5d7e9f1a2b4c"

// TestTokenNeverLeaks drives the sync through every way a server can
// send the token back (in messages, URLs, redirects, next links, issue
// text, ETags) and scans everything the sync produced for it: the error
// and every error it wraps, the progress output, the snapshot and the
// folder it lives in, and what reached another origin.
func TestTokenNeverLeaks(t *testing.T) {
	foreign := githubtest.NewForeign()
	defer foreign.Close()
	withToken := func(u string) string { return u + "?access_token=" + leakToken }
	cases := []struct {
		name  string
		setup func(srv *githubtest.Server)
		fails bool
	}{
		{"message and documentation URL echo the token", func(srv *githubtest.Server) {
			srv.Inject(githubtest.Fault{Kind: githubtest.EchoAuth, Match: githubtest.ListPage(1)})
		}, true},
		{"echoed on a timeline", func(srv *githubtest.Server) {
			srv.Inject(githubtest.Fault{Kind: githubtest.EchoAuth, Match: githubtest.Timeline(2)})
		}, true},
		{"redirect to another origin carrying the token", func(srv *githubtest.Server) {
			srv.Inject(githubtest.Fault{Kind: githubtest.Redirect, Match: githubtest.ListPage(1), Target: func(*http.Request) string { return withToken(foreign.URL + "/steal") }})
		}, true},
		{"redirect on the API origin to a path holding the token", func(srv *githubtest.Server) {
			srv.Inject(githubtest.Fault{Kind: githubtest.Redirect, Match: githubtest.ListPage(1), Target: func(*http.Request) string { return srv.URL + leakToken + "/issues" }})
		}, true},
		{"next link to another origin carrying the token", func(srv *githubtest.Server) {
			srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Match: githubtest.ListPage(1), Target: func(*http.Request) string { return withToken(foreign.URL + "/steal") }})
		}, true},
		{"next link looping with the token in it", func(srv *githubtest.Server) {
			srv.Inject(githubtest.Fault{Kind: githubtest.NextLink, Times: 2, Match: githubtest.ListPage(1), Target: func(r *http.Request) string {
				q := r.URL.Query()
				q.Set("t", leakToken)
				return apiPath(srv, &http.Request{URL: &url.URL{Path: r.URL.Path, RawQuery: q.Encode()}})
			}})
		}, true},
		{"requests that time out", func(srv *githubtest.Server) {
			srv.Inject(githubtest.Fault{Kind: githubtest.Hang, Times: githubtest.Forever, Match: githubtest.Timeline(3)})
		}, true},
		{"the token in issue titles, bodies, comments and labels", func(srv *githubtest.Server) {
			srv.Update(1, epoch.Add(100*24*time.Hour), func(is *githubtest.Issue) {
				is.Title = "leaked " + leakToken
				b := "### Summary\n\n" + leakToken
				is.Body = &b
				is.Labels = append(is.Labels, "t:"+leakToken)
			})
			srv.AddEvent(2, githubtest.Event{Event: "commented", Actor: githubtest.User{Login: leakToken}, Body: "token " + leakToken, At: epoch.Add(101 * 24 * time.Hour)})
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clk := newClock()
			srv := newServer(t, clk)
			srv.Seed(12, epoch)
			c.setup(srv)
			opts := testOptions(t, srv, clk)
			opts.Token = leakToken
			opts.RequestTimeout = 20 * time.Millisecond
			var progress bytes.Buffer
			opts.Progress = &progress
			dir := t.TempDir()
			path := filepath.Join(dir, "snapshot.json")
			_, err := SyncFile(context.Background(), path, opts)
			if (err != nil) != c.fails {
				t.Fatalf("err = %v, want failure %v", err, c.fails)
			}
			for e := err; e != nil; e = errors.Unwrap(e) {
				if strings.Contains(e.Error(), leakToken) {
					t.Errorf("token in an error: %q", e.Error())
				}
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) && strings.Contains(apiErr.Error(), leakToken) {
				t.Errorf("token in the APIError: %q", apiErr.Error())
			}
			if err != nil && c.name == "message and documentation URL echo the token" && !strings.Contains(err.Error(), "Bad credentials: Bearer "+Redacted) {
				t.Errorf("error %q: the echo should show as redacted", err)
			}
			if strings.Contains(progress.String(), leakToken) {
				t.Errorf("token in the progress output")
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
				if bytes.Contains(data, []byte(leakToken)) {
					t.Errorf("token in %s", e.Name())
				}
			}
			if !c.fails {
				s, _ := ticket.ReadSnapshot(path)
				if tk := byNumber(s, 1); tk == nil || !strings.Contains(tk.Title, Redacted) {
					t.Errorf("issue 1 should keep its title with the token redacted")
				}
			}
			for _, r := range foreign.Requests() {
				t.Errorf("a request reached the other origin: %s %s %v", r.Method, r.URL, r.Header)
			}
			for _, r := range srv.Requests() {
				if r.Authorization != "" && r.Authorization != "Bearer "+leakToken {
					t.Errorf("odd Authorization %q", r.Authorization)
				}
			}
		})
	}
}
