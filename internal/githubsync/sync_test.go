package githubsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/githubsync/githubtest"
	"github.com/opsqa/opsqa/internal/ticket"
)

func TestSyncFull(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	tickets := srv.Seed(45, epoch)
	// A body that is not the form: reported, not guessed.
	body := "Checkout is down, please help!\n\n### What I saw\n\n500s"
	srv.Put(githubtest.Issue{Number: 46, Title: "Checkout down", Body: &body, User: githubtest.User{Login: "carlos-mendes"},
		Labels: []string{"Incident", "SEV1"}, State: "open", CreatedAt: epoch, UpdatedAt: epoch.Add(time.Minute)})
	// A long timeline spans two pages.
	var long []githubtest.Event
	for i := 0; i < 150; i++ {
		long = append(long, githubtest.Event{Event: "commented", Actor: githubtest.User{Login: "li-na"}, At: epoch.Add(time.Duration(i) * time.Second), AuthorAssociation: "MEMBER"})
	}
	srv.Put(githubtest.Issue{Number: 47, Title: "Chatty", User: githubtest.User{Login: "zhang-wei"}, Labels: []string{"problem"},
		State: "open", CreatedAt: epoch, UpdatedAt: epoch.Add(150 * time.Second)}, long...)
	tickets += 2

	snap, st := mustSync(t, nil, testOptions(t, srv, clk))

	if st.Fetched != tickets || st.Changed != tickets || st.Total != tickets || len(snap.Tickets) != tickets {
		t.Errorf("stats %+v, %d tickets; want %d fetched, changed and total", st, len(snap.Tickets), tickets)
	}
	// One listing page, one timeline page per ticket, two for #47, and one
	// listing with the new cursor to learn its ETag.
	if want := 1 + tickets + 1 + 1; st.Requests != want {
		t.Errorf("requests = %d, want %d", st.Requests, want)
	}
	reqs := srv.Requests()
	if len(reqs) != st.Requests {
		t.Errorf("server saw %d requests, stats say %d", len(reqs), st.Requests)
	}
	for _, r := range reqs {
		if r.Authorization != "Bearer "+testToken {
			t.Fatalf("request %s without the token", r.Path)
		}
	}
	q := reqs[0].Query
	for k, v := range map[string]string{"state": "all", "sort": "updated", "direction": "asc", "per_page": "100"} {
		if q.Get(k) != v {
			t.Errorf("listing %s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Has("since") || reqs[0].IfNoneMatch != "" {
		t.Errorf("a first sync sends no since or If-None-Match: %v %q", q, reqs[0].IfNoneMatch)
	}
	for i := 1; i < len(snap.Tickets); i++ {
		if snap.Tickets[i-1].Number >= snap.Tickets[i].Number {
			t.Fatalf("tickets not sorted by number")
		}
	}
	for _, tk := range snap.Tickets {
		if tk.Number%10 == 0 {
			t.Errorf("pull request #%d in the snapshot", tk.Number)
		}
	}
	if snap.Repository != "northwind-parcel/operations" || !snap.SyncedAt.Equal(clk.Now()) {
		t.Errorf("repository %q synced_at %v", snap.Repository, snap.SyncedAt)
	}
	var newest time.Time
	for _, tk := range snap.Tickets {
		if tk.UpdatedAt.After(newest) {
			newest = tk.UpdatedAt
		}
	}
	if !snap.Cursor.Since.Equal(newest) || snap.Cursor.ListETag == "" {
		t.Errorf("cursor %+v, want since = the newest updated_at %v and the ETag of that listing", snap.Cursor, newest)
	}
	if prime := reqs[len(reqs)-1]; prime.Query.Get("since") != newest.Format(time.RFC3339) {
		t.Errorf("last request %s?%s, want the listing since the new cursor", prime.Path, prime.Query.Encode())
	}

	// #1: an incident opened through the form, responded to, mitigated,
	// closed as completed.
	t1 := byNumber(snap, 1)
	created := epoch.Add(time.Hour)
	if t1.Class != ticket.Incident || t1.Severity != "sev2" || t1.Service != "orders-api" {
		t.Errorf("#1 classified %s/%s/%s, want incident/sev2/orders-api", t1.Class, t1.Severity, t1.Service)
	}
	if got := t1.Fields["impact_started"]; got != created.Add(-7*time.Minute).Format(time.RFC3339) {
		t.Errorf("#1 impact_started %q", got)
	}
	if t1.Fields["description"] != "" || t1.Fields["detected_by"] != "alert" || len(t1.FormProblems) != 0 {
		t.Errorf("#1 fields %q problems %q", t1.Fields, t1.FormProblems)
	}
	wantEvents := []ticket.Event{
		{Kind: ticket.Commented, At: created.Add(time.Minute), Actor: ticket.Actor{Login: "opsqa-bot[bot]", Type: "Bot"}, AuthorAssociation: "NONE"},
		{Kind: ticket.Commented, At: created.Add(2 * time.Minute), Actor: ticket.Actor{Login: "carlos-mendes", Type: "User"}, AuthorAssociation: "MEMBER"},
		{Kind: ticket.Assigned, At: created.Add(4 * time.Minute), Actor: ticket.Actor{Login: "sofia-alvarez", Type: "User"}, Assignee: "sofia-alvarez"},
		{Kind: ticket.Commented, At: created.Add(5 * time.Minute), Actor: ticket.Actor{Login: "sofia-alvarez", Type: "User"}, AuthorAssociation: "MEMBER"},
		{Kind: ticket.Labeled, At: created.Add(10 * time.Minute), Actor: ticket.Actor{Login: "sofia-alvarez", Type: "User"}, Label: "mitigated"},
		{Kind: ticket.ClosedEv, At: created.Add(16 * time.Minute), Actor: ticket.Actor{Login: "sofia-alvarez", Type: "User"}, StateReason: ticket.Completed},
	}
	if !reflect.DeepEqual(t1.Events, wantEvents) {
		t.Errorf("#1 events:\n got %+v\nwant %+v", t1.Events, wantEvents)
	}
	if t1.State != ticket.Closed || t1.StateReason != ticket.Completed || t1.ClosedAt == nil || !t1.ClosedAt.Equal(created.Add(16*time.Minute)) {
		t.Errorf("#1 state %s/%s closed %v", t1.State, t1.StateReason, t1.ClosedAt)
	}
	if !reflect.DeepEqual(t1.Labels, []string{"incident", "mitigated"}) || !reflect.DeepEqual(t1.Assignees, []string{"sofia-alvarez"}) {
		t.Errorf("#1 labels %q assignees %q", t1.Labels, t1.Assignees)
	}
	if t1.Author != (ticket.Actor{Login: "carlos-mendes", Type: "User"}) || !strings.HasSuffix(t1.URL, "/northwind-parcel/operations/issues/1") {
		t.Errorf("#1 author %+v url %q", t1.Author, t1.URL)
	}

	// #12: labels win over the form (form says sev1, label sev2).
	if t12 := byNumber(snap, 12); t12.Severity != "sev2" || t12.Service != "rabbitmq" || t12.Fields["severity"] == "" {
		t.Errorf("#12 %s/%s fields %q", t12.Severity, t12.Service, t12.Fields)
	}
	// #7: a quiz result closed as not planned.
	if t7 := byNumber(snap, 7); t7.Class != ticket.QuizResult || t7.StateReason != ticket.NotPlanned ||
		t7.Events[len(t7.Events)-1].StateReason != ticket.NotPlanned || t7.Fields["quiz_id"] != "incident-management-basics" {
		t.Errorf("#7 %s %s %+v", t7.Class, t7.StateReason, t7.Fields)
	}
	// #11: closed, reopened, closed; the cross-reference is dropped.
	t11 := byNumber(snap, 11)
	var kinds []string
	for _, e := range t11.Events {
		kinds = append(kinds, string(e.Kind))
	}
	if got := strings.Join(kinds, ","); got != "commented,commented,assigned,commented,labeled,closed,reopened,closed" || t11.Class != ticket.Feedback || t11.Fields["rating"] != "2" {
		t.Errorf("#11 %s events %s fields %q", t11.Class, got, t11.Fields)
	}
	// #46: not a form submission.
	t46 := byNumber(snap, 46)
	if t46.Class != ticket.Incident || t46.Severity != "sev1" || len(t46.Fields) != 0 || len(t46.FormProblems) == 0 ||
		!strings.Contains(t46.FormProblems[0], "not a submission of the form") {
		t.Errorf("#46 %s/%s fields %q problems %q", t46.Class, t46.Severity, t46.Fields, t46.FormProblems)
	}
	// #47: both timeline pages read.
	if t47 := byNumber(snap, 47); len(t47.Events) != 150 {
		t.Errorf("#47 has %d events, want 150", len(t47.Events))
	}
	if requestsTo(reqs, "/issues/47/timeline") != 2 {
		t.Errorf("#47 timeline read in %d requests, want 2", requestsTo(reqs, "/issues/47/timeline"))
	}

	// The snapshot survives a write and a read unchanged.
	path := t.TempDir() + "/snapshot.json"
	if err := ticket.WriteSnapshot(path, snap); err != nil {
		t.Fatal(err)
	}
	back, err := ticket.ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(snap)
	b, _ := json.Marshal(back)
	if !bytes.Equal(a, b) {
		i := 0
		for i < min(len(a), len(b)) && a[i] == b[i] {
			i++
		}
		t.Errorf("snapshot changed through a write and read, from byte %d:\n%s\n%s", i, a[max(0, i-200):min(len(a), i+100)], b[max(0, i-200):min(len(b), i+100)])
	}
}

// TestResyncUnchanged1000 is the target of the sync: re-syncing an
// unchanged repository of 1,000 tickets costs one request, a conditional
// one answered 304, which GitHub does not count against the rate limit.
func TestResyncUnchanged1000(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	if n := srv.Seed(1111, epoch); n != 1000 {
		t.Fatalf("seeded %d tickets, want 1000", n)
	}
	opts := testOptions(t, srv, clk)
	first, st := mustSync(t, nil, opts)
	// 12 listing pages, 1,000 timelines, 1 listing to learn the ETag.
	if st.Total != 1000 || st.Requests != 12+1000+1 {
		t.Fatalf("first sync: %+v, want 1000 tickets in 1013 requests", st)
	}
	t.Logf("first sync of 1,000 tickets (1,111 issues with pull requests): %d requests", st.Requests)

	prev := first
	for i := 2; i <= 3; i++ {
		srv.ResetLog()
		next, st := mustSync(t, prev, opts)
		reqs := srv.Requests()
		if len(reqs) != 1 || st.Requests != 1 || reqs[0].Status != http.StatusNotModified || !st.NotModified {
			t.Fatalf("sync %d of an unchanged repository: %d requests %+v, want one answered 304", i, len(reqs), reqs)
		}
		if got := reqs[0].Query.Get("since"); got != first.Cursor.Since.Format(time.RFC3339) || reqs[0].IfNoneMatch != first.Cursor.ListETag {
			t.Errorf("sync %d sent since %q If-None-Match %q, want the cursor %+v", i, got, reqs[0].IfNoneMatch, first.Cursor)
		}
		if srv.Counted() != 0 {
			t.Errorf("%d requests counted against the rate limit, want 0", srv.Counted())
		}
		if st.Changed != 0 || st.Total != 1000 || !reflect.DeepEqual(next.Tickets, first.Tickets) || next.Cursor != first.Cursor {
			t.Errorf("sync %d changed the snapshot: %+v", i, st)
		}
		if !next.SyncedAt.Equal(clk.Now()) {
			t.Errorf("a 304 must still stamp the time of the check")
		}
		t.Logf("sync %d: %d request, status %d, %d counted against the rate limit", i, len(reqs), reqs[0].Status, srv.Counted())
		prev = next
	}
}

// A change that lands while a sync runs must not be hidden behind an ETag
// learnt after it: the next sync has to see it.
func TestChangeDuringSyncNotHidden(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(20, epoch)
	opts := testOptions(t, srv, clk)
	changed := false
	opts.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		// The listing with the new cursor comes last: change #3 just
		// before it.
		if !changed && r.URL.Query().Has("since") {
			changed = true
			srv.AddEvent(3, githubtest.Event{Event: "commented", Actor: githubtest.User{Login: "hannah-kim"}, At: epoch.Add(90 * 24 * time.Hour)})
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	first, _ := mustSync(t, nil, opts)
	if !changed || first.Cursor.ListETag != "" {
		t.Fatalf("changed %v, cursor %+v: an ETag over a change the snapshot lacks", changed, first.Cursor)
	}
	srv.ResetLog()
	second, st := mustSync(t, first, opts)
	if st.NotModified || st.Changed != 1 || byNumber(second, 3).Events[len(byNumber(second, 3).Events)-1].Actor.Login != "hannah-kim" {
		t.Errorf("the change to #3 was missed: %+v", st)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestSyncIncremental(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(30, epoch)
	opts := testOptions(t, srv, clk)
	first, _ := mustSync(t, nil, opts)
	later := epoch.Add(60 * 24 * time.Hour)

	// #5 gets a comment, #17 (open) is closed, #31 is new.
	srv.AddEvent(5, githubtest.Event{Event: "commented", Actor: githubtest.User{Login: "kenji-sato"}, At: later, AuthorAssociation: "MEMBER"})
	srv.AddEvent(17, githubtest.Event{Event: "closed", Actor: githubtest.User{Login: "li-na"}, StateReason: "completed", At: later.Add(time.Minute)})
	body := githubtest.FormBody("Service", "dns", "Severity", "sev2: major degradation of a tier-1 service, no workaround",
		"Impact started", "2026-08-30T09:30:00Z", "Detected by", "alert", "Impact", "Service discovery broken.", "Description", "")
	srv.Put(githubtest.Issue{Number: 31, Title: "Internal DNS change broke service discovery for the orders API", Body: &body,
		User: githubtest.User{Login: "arjun-rao"}, Labels: []string{"incident"}, State: "open",
		CreatedAt: later.Add(2 * time.Minute), UpdatedAt: later.Add(2 * time.Minute)})
	if byNumber(first, 17).State != ticket.Open {
		t.Fatalf("#17 should start open")
	}

	n5 := len(byNumber(first, 5).Events)
	srv.ResetLog()
	second, st := mustSync(t, first, opts)
	reqs := srv.Requests()
	if st.Changed != 3 || st.Total != len(first.Tickets)+1 {
		t.Errorf("stats %+v, want 3 changed and one more ticket", st)
	}
	if len(reqs) != 5 || requestsTo(reqs, "/issues/5/timeline") != 1 || requestsTo(reqs, "/issues/17/timeline") != 1 || requestsTo(reqs, "/issues/31/timeline") != 1 {
		t.Errorf("requests %d, want the listing, the 3 changed timelines and the listing with the new cursor", len(reqs))
	}
	if reqs[0].Query.Get("since") != first.Cursor.Since.Format(time.RFC3339) {
		t.Errorf("since = %q, want %s", reqs[0].Query.Get("since"), first.Cursor.Since.Format(time.RFC3339))
	}
	t5 := byNumber(second, 5)
	if last := t5.Events[len(t5.Events)-1]; last.Actor.Login != "kenji-sato" || !last.At.Equal(later) {
		t.Errorf("#5 last event %+v", last)
	}
	if t17 := byNumber(second, 17); t17.State != ticket.Closed || t17.StateReason != ticket.Completed {
		t.Errorf("#17 %s %s", t17.State, t17.StateReason)
	}
	if t31 := byNumber(second, 31); t31 == nil || t31.Service != "dns" || t31.Severity != "sev2" || t31.Fields["impact_started"] != "2026-08-30T09:30:00Z" {
		t.Errorf("#31 %+v", t31)
	}
	for _, old := range first.Tickets {
		if old.Number == 5 || old.Number == 17 {
			continue
		}
		if !reflect.DeepEqual(*byNumber(second, old.Number), old) {
			t.Errorf("#%d changed though GitHub did not change it", old.Number)
		}
	}
	if !second.Cursor.Since.Equal(later.Add(2 * time.Minute)) {
		t.Errorf("cursor %v, want %v", second.Cursor.Since, later.Add(2*time.Minute))
	}
	if len(byNumber(first, 5).Events) != n5 || len(t5.Events) != n5+1 {
		t.Errorf("the previous snapshot must not be modified")
	}
}

// A full sync ignores the cursor and drops tickets GitHub no longer lists.
func TestSyncFullIgnoresCursor(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(12, epoch)
	opts := testOptions(t, srv, clk)
	first, _ := mustSync(t, nil, opts)
	stale := *first
	stale.Tickets = append(append([]ticket.Ticket(nil), first.Tickets...), ticket.Ticket{Number: 999, Title: "transferred away"})
	srv.ResetLog()
	opts.Full = true
	snap, st := mustSync(t, &stale, opts)
	if q := srv.Requests()[0]; q.Query.Has("since") || q.IfNoneMatch != "" {
		t.Errorf("a full sync sent since %q / If-None-Match %q", q.Query.Get("since"), q.IfNoneMatch)
	}
	if byNumber(snap, 999) != nil || st.Changed != len(first.Tickets) {
		t.Errorf("full sync kept a ticket GitHub does not list, or skipped timelines: %+v", st)
	}
	// A snapshot of another repository is not resumed either.
	other := *first
	other.Repository = "someone/else"
	opts.Full = false
	srv.ResetLog()
	mustSync(t, &other, opts)
	if srv.Requests()[0].Query.Has("since") {
		t.Errorf("resumed from another repository's cursor")
	}
}

func TestProgress(t *testing.T) {
	clk := newClock()
	srv := newServer(t, clk)
	srv.Seed(15, epoch)
	opts := testOptions(t, srv, clk)
	var buf bytes.Buffer
	opts.Progress = &buf
	mustSync(t, nil, opts)
	if !strings.Contains(buf.String(), "reading timelines") || !strings.Contains(buf.String(), "14/14") {
		t.Errorf("progress output %q", buf.String())
	}
}

// Link headers are followed only on the API host: the token travels with
// every request.
func TestForeignLinkRefused(t *testing.T) {
	var stolen int
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen++
		w.Write([]byte("[]"))
	}))
	defer evil.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", fmt.Sprintf(`<%s/issues?page=2>; rel="next"`, evil.URL))
		w.Write([]byte("[]"))
	}))
	defer api.Close()
	clk := newClock()
	_, _, err := Sync(context.Background(), nil, Options{Repo: "a/b", Token: testToken, BaseURL: api.URL, Now: clk.Now, Sleep: clk.Sleep})
	if !errors.Is(err, ErrForeignOrigin) || !strings.Contains(err.Error(), "the next page link points to") || stolen != 0 {
		t.Errorf("err %v, requests to the other host %d", err, stolen)
	}
}

func TestOptionsErrors(t *testing.T) {
	clk := newClock()
	for name, o := range map[string]Options{
		"no token":   {Repo: "a/b", Now: clk.Now},
		"no clock":   {Repo: "a/b", Token: "x"},
		"bad repo":   {Repo: "ab", Token: "x", Now: clk.Now},
		"deep repo":  {Repo: "a/b/c", Token: "x", Now: clk.Now},
		"bad url":    {Repo: "a/b", Token: "x", Now: clk.Now, BaseURL: "api.example.com"},
		"empty repo": {Repo: "/b", Token: "x", Now: clk.Now},
	} {
		if _, _, err := Sync(context.Background(), nil, o); err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.Contains(err.Error(), "x\"") {
			t.Errorf("%s: token in error %v", name, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	srv := newServer(t, clk)
	if _, _, err := Sync(ctx, nil, testOptions(t, srv, clk)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}
