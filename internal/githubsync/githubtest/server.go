// Package githubtest is a fake GitHub REST API for one repository, for
// tests of the sync. It answers with the shapes GitHub really sends: issue
// objects with their nulls, labels and users; timeline events; pagination
// Link headers pointing at /repositories/{id}/…; weak ETags and 304s that
// do not count against the rate limit; x-ratelimit-* headers; error bodies
// {"message", "documentation_url"}. Faults can be injected per request:
// server errors, primary and secondary rate limits (with and without
// Retry-After), 429, truncated JSON, a connection dropped mid-body, a
// request that never answers, and those of a hostile server (faults.go):
// redirects, next links that loop or lead away, bodies that are not arrays
// or too large, messages that echo the token.
package githubtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Documentation URLs GitHub puts in rate-limit errors.
const (
	PrimaryDocURL   = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit"
	SecondaryDocURL = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)

// Server is the fake API. Create it with New; it is safe for concurrent use.
type Server struct {
	// URL is the API root to pass as the base URL.
	URL string

	Owner, Name string
	// RepoID appears in pagination links, as on github.com.
	RepoID int64
	// RateLimit is x-ratelimit-limit; a fresh window starts full.
	RateLimit int

	srv    *httptest.Server
	closed chan struct{}
	now    func() time.Time

	mu        sync.Mutex
	issues    map[int]*Issue
	timelines map[int][]Event
	faults    []*Fault
	log       []Request
	logGen    int // bumped by ResetLog, so that a late status finds its entry gone
	remaining int
	reset     time.Time
	nextID    int64
}

// Request is one request the server received.
type Request struct {
	Method        string
	Path          string
	Query         url.Values
	IfNoneMatch   string
	Authorization string
	Status        int
	// Fault is the kind of fault injected, or "".
	Fault FaultKind
}

// Counted reports whether the request counts against the rate limit, as
// GitHub counts: every request but a 304.
func (r Request) Counted() bool { return r.Status != http.StatusNotModified }

// User is an account: Type is "User", "Bot" or "Organization".
type User struct {
	Login string
	Type  string
}

// Issue is an issue or pull request of the repository.
type Issue struct {
	Number      int
	Title       string
	Body        *string
	User        User
	Labels      []string
	Assignees   []string
	State       string // "open" or "closed"
	StateReason string // "", "completed", "not_planned", "reopened"
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    *time.Time
	PullRequest bool
}

// Event is a timeline entry.
type Event struct {
	// Event is GitHub's event name: commented, labeled, unlabeled,
	// assigned, unassigned, closed, reopened, mentioned, subscribed,
	// cross-referenced, renamed, …
	Event             string
	Actor             User
	At                time.Time
	Label             string
	Assignee          string
	StateReason       string
	Body              string
	AuthorAssociation string
}

// New starts a server for owner/name whose rate-limit headers follow now.
// Close it when done.
func New(owner, name string, now func() time.Time) *Server {
	s := &Server{
		Owner: owner, Name: name, RepoID: 1296269, RateLimit: 5000,
		closed:    make(chan struct{}),
		now:       now,
		issues:    map[int]*Issue{},
		timelines: map[int][]Event{},
		nextID:    1000,
	}
	s.remaining = s.RateLimit
	s.reset = now().Add(time.Hour)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL + "/"
	return s
}

// Close stops the server, releasing requests held by a Hang fault.
func (s *Server) Close() {
	close(s.closed)
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Put adds or replaces an issue and its timeline.
func (s *Server) Put(is Issue, events ...Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := is
	s.issues[is.Number] = &c
	s.timelines[is.Number] = append([]Event(nil), events...)
}

// Update changes an issue through f and, as GitHub does for any change,
// sets updated_at to at.
func (s *Server) Update(number int, at time.Time, f func(*Issue)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.issues[number]
	if f != nil {
		f(is)
	}
	is.UpdatedAt = at
}

// AddEvent appends a timeline event and updates the issue as the event
// would: labels, assignees, state, updated_at.
func (s *Server) AddEvent(number int, e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is := s.issues[number]
	s.timelines[number] = append(s.timelines[number], e)
	switch e.Event {
	case "labeled":
		is.Labels = append(is.Labels, e.Label)
	case "unlabeled":
		is.Labels = remove(is.Labels, e.Label)
	case "assigned":
		is.Assignees = append(is.Assignees, e.Assignee)
	case "unassigned":
		is.Assignees = remove(is.Assignees, e.Assignee)
	case "closed":
		at := e.At
		is.State, is.StateReason, is.ClosedAt = "closed", e.StateReason, &at
	case "reopened":
		is.State, is.StateReason, is.ClosedAt = "open", "reopened", nil
	}
	is.UpdatedAt = e.At
}

func remove(list []string, s string) []string {
	var out []string
	for _, v := range list {
		if v != s {
			out = append(out, v)
		}
	}
	return out
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ResetLog forgets the requests received so far.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
	s.logGen++
}

// Counted returns how many requests counted against the rate limit.
func (s *Server) Counted() int {
	n := 0
	for _, r := range s.Requests() {
		if r.Counted() {
			n++
		}
	}
	return n
}

var (
	listPath     = regexp.MustCompile(`^/(?:repos/([^/]+)/([^/]+)|repositories/(\d+))/issues$`)
	timelinePath = regexp.MustCompile(`^/(?:repos/([^/]+)/([^/]+)|repositories/(\d+))/issues/(\d+)/timeline$`)
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	entry := Request{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		IfNoneMatch: r.Header.Get("If-None-Match"), Authorization: r.Header.Get("Authorization"),
	}
	f := s.takeFault(r)
	if f != nil {
		entry.Fault = f.Kind
	}
	// The request is logged as it arrives, its status once answered: a
	// request held by a Hang fault is released only when the client has
	// given up, which may be after the client is done.
	at, gen := len(s.log), s.logGen
	s.log = append(s.log, entry)
	s.mu.Unlock()

	rec := &statusWriter{ResponseWriter: w}
	// Date follows the server's clock, as GitHub's does, so that
	// x-ratelimit-reset can be read against it.
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	defer func() {
		s.mu.Lock()
		if gen == s.logGen {
			s.log[at].Status = rec.status
		}
		s.mu.Unlock()
	}()

	if f != nil && f.Kind == Hang {
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
		rec.status = 0
		return
	}
	if f != nil && f.Kind == PrimaryLimit {
		s.mu.Lock()
		s.remaining = 0
		s.reset = s.now().Add(f.wait(2 * time.Minute)).Truncate(time.Second)
		s.mu.Unlock()
	}
	if s.primaryExhausted() {
		s.writeError(rec, http.StatusForbidden, "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID 0000:0000.", PrimaryDocURL, nil)
		return
	}
	if f != nil {
		switch f.Kind {
		case ServerError:
			status := f.Status
			if status == 0 {
				status = http.StatusBadGateway
			}
			if status == http.StatusBadGateway {
				// Edge proxies answer with HTML, not JSON.
				rec.Header().Set("Content-Type", "text/html")
				rec.WriteHeader(status)
				fmt.Fprint(rec, "<html><body><h1>502 Bad Gateway</h1></body></html>")
				return
			}
			s.writeError(rec, status, "Server Error", "", nil)
			return
		case SecondaryLimit:
			h := map[string]string{}
			if f.RetryAfter > 0 {
				h["Retry-After"] = strconv.Itoa(int(f.RetryAfter / time.Second))
			}
			status := f.Status
			if status == 0 {
				status = http.StatusForbidden
			}
			s.writeError(rec, status, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000.", SecondaryDocURL, h)
			return
		case TooManyRequests:
			h := map[string]string{}
			if f.RetryAfter > 0 {
				h["Retry-After"] = strconv.Itoa(int(f.RetryAfter / time.Second))
			}
			s.writeError(rec, http.StatusTooManyRequests, "Too Many Requests", SecondaryDocURL, h)
			return
		case Forbidden:
			s.writeError(rec, http.StatusForbidden, "Resource not accessible by integration", "https://docs.github.com/rest/issues/issues#list-repository-issues", nil)
			return
		}
		if s.serveFault(rec, r, f) {
			return
		}
	}

	if r.Method != http.MethodGet && s.serveWrite(rec, r) {
		return
	}
	if r.Method != http.MethodGet {
		s.writeError(rec, http.StatusNotFound, "Not Found", "https://docs.github.com/rest", nil)
		return
	}
	var body any
	var links string
	var ok bool
	if m := listPath.FindStringSubmatch(r.URL.Path); m != nil && s.repoMatches(m[1], m[2], m[3]) {
		body, links, ok = s.listIssues(r.URL.Query())
		if !ok {
			s.writeError(rec, http.StatusUnprocessableEntity, "Validation Failed", "https://docs.github.com/rest/issues/issues#list-repository-issues", nil)
			return
		}
	} else if m := timelinePath.FindStringSubmatch(r.URL.Path); m != nil && s.repoMatches(m[1], m[2], m[3]) {
		n, _ := strconv.Atoi(m[4])
		body, links, ok = s.timeline(n, r.URL.Query())
		if !ok {
			s.writeError(rec, http.StatusNotFound, "Not Found", "https://docs.github.com/rest/issues/timeline#list-timeline-events-for-an-issue", nil)
			return
		}
	} else {
		s.writeError(rec, http.StatusNotFound, "Not Found", "https://docs.github.com/rest", nil)
		return
	}

	links = s.faultLinks(r, f, links)
	data, _ := json.Marshal(body)
	sum := sha256.Sum256(data)
	etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
	h := rec.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, max-age=60, s-maxage=60")
	h.Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	if links != "" {
		h.Set("Link", links)
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag) {
		s.rateHeaders(h, false)
		rec.WriteHeader(http.StatusNotModified)
		return
	}
	s.rateHeaders(h, true)
	h.Set("Content-Type", "application/json; charset=utf-8")
	switch {
	case f != nil && f.Kind == TruncatedJSON:
		data = data[:len(data)/2]
		h.Set("Content-Length", strconv.Itoa(len(data)))
		rec.WriteHeader(http.StatusOK)
		rec.Write(data)
	case f != nil && f.Kind == DropConnection:
		s.dropMidBody(rec, data)
	default:
		h.Set("Content-Length", strconv.Itoa(len(data)))
		rec.WriteHeader(http.StatusOK)
		rec.Write(data)
	}
}

func (s *Server) repoMatches(owner, name, id string) bool {
	if id != "" {
		return id == strconv.FormatInt(s.RepoID, 10)
	}
	return strings.EqualFold(owner, s.Owner) && strings.EqualFold(name, s.Name)
}

// primaryExhausted reports whether the primary limit is used up, starting
// a new window when the old one has reset.
func (s *Server) primaryExhausted() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.now().Before(s.reset) {
		s.remaining = s.RateLimit
		s.reset = s.now().Add(time.Hour).Truncate(time.Second)
	}
	return s.remaining <= 0
}

func (s *Server) rateHeaders(h http.Header, count bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if count && s.remaining > 0 {
		s.remaining--
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(s.RateLimit-s.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(s.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

func (s *Server) writeError(w http.ResponseWriter, status int, msg, doc string, extra map[string]string) {
	h := w.Header()
	s.rateHeaders(h, status != http.StatusForbidden || doc != PrimaryDocURL)
	for k, v := range extra {
		h.Set(k, v)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	body := map[string]string{"message": msg}
	if doc != "" {
		body["documentation_url"] = doc
	}
	json.NewEncoder(w).Encode(body)
}

// dropMidBody announces the whole body, sends half of it and hangs up, as
// a connection lost in transit looks to the client.
func (s *Server) dropMidBody(w *statusWriter, data []byte) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		panic("githubtest: response writer cannot hijack")
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	w.status = http.StatusOK
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\n")
	for k, vs := range w.Header() {
		if k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			fmt.Fprintf(buf, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(buf, "Content-Length: %d\r\n\r\n", len(data))
	buf.Write(data[:len(data)/2])
	buf.Flush()
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func etagMatches(header, etag string) bool {
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimSpace(v)
		if v == "*" || strings.TrimPrefix(v, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// page reads per_page and page as GitHub does: per_page defaults to 30
// and is capped at 100.
// page is the page that q asks of a list of n items: the items [lo, hi),
// its number and the number of the last page.
func page(q url.Values, n int) (lo, hi, pageNo, last int) {
	perPage, pageNo := 30, 1
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		perPage = min(v, 100)
	}
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		pageNo = v
	}
	last = max(1, (n+perPage-1)/perPage)
	lo = min((pageNo-1)*perPage, n)
	hi = min(lo+perPage, n)
	return lo, hi, pageNo, last
}

// links builds a Link header for page pageNo of last, on the
// /repositories/{id} form of the path GitHub uses in its links.
func (s *Server) links(path string, q url.Values, pageNo, last int) string {
	mk := func(p int, rel string) string {
		q2 := url.Values{}
		for k, v := range q {
			q2[k] = v
		}
		q2.Set("page", strconv.Itoa(p))
		return fmt.Sprintf(`<%s%s?%s>; rel="%s"`, s.srv.URL, path, q2.Encode(), rel)
	}
	var parts []string
	if pageNo > 1 {
		parts = append(parts, mk(pageNo-1, "prev"))
	}
	if pageNo < last {
		parts = append(parts, mk(pageNo+1, "next"), mk(last, "last"))
	}
	if pageNo > 1 {
		parts = append(parts, mk(1, "first"))
	}
	return strings.Join(parts, ", ")
}

func (s *Server) listIssues(q url.Values) (any, string, bool) {
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	sortBy := q.Get("sort")
	if sortBy == "" {
		sortBy = "created"
	}
	dir := q.Get("direction")
	if dir == "" {
		dir = "desc"
	}
	var since time.Time
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, "", false
		}
		since = t
	}
	s.mu.Lock()
	var list []*Issue
	for _, is := range s.issues {
		if state != "all" && is.State != state {
			continue
		}
		if !since.IsZero() && is.UpdatedAt.Before(since) {
			continue
		}
		if !hasLabels(is, q.Get("labels")) {
			continue
		}
		c := *is
		list = append(list, &c)
	}
	s.mu.Unlock()
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		var less bool
		switch sortBy {
		case "updated":
			if !a.UpdatedAt.Equal(b.UpdatedAt) {
				less = a.UpdatedAt.Before(b.UpdatedAt)
			} else {
				less = a.Number < b.Number
			}
		default:
			less = a.Number < b.Number
		}
		if dir == "desc" {
			return !less
		}
		return less
	})
	lo, hi, pageNo, last := page(q, len(list))
	out := make([]map[string]any, 0, hi-lo)
	for _, is := range list[lo:hi] {
		out = append(out, s.issueJSON(is))
	}
	return out, s.links(fmt.Sprintf("/repositories/%d/issues", s.RepoID), q, pageNo, last), true
}

func (s *Server) timeline(n int, q url.Values) (any, string, bool) {
	s.mu.Lock()
	is, ok := s.issues[n]
	events := append([]Event(nil), s.timelines[n]...)
	var c Issue
	if ok {
		c = *is
	}
	s.mu.Unlock()
	if !ok {
		return nil, "", false
	}
	lo, hi, pageNo, last := page(q, len(events))
	out := make([]map[string]any, 0, hi-lo)
	for i, e := range events[lo:hi] {
		out = append(out, s.eventJSON(&c, lo+i, e))
	}
	return out, s.links(fmt.Sprintf("/repositories/%d/issues/%d/timeline", s.RepoID, n), q, pageNo, last), true
}
