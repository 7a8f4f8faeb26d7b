package githubsync

import (
	"context"
	"errors"
	"net/http"
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
