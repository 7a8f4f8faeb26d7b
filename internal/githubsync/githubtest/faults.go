package githubtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind names a failure the server can inject.
type FaultKind string

const (
	// ServerError answers with Status (default 502, with an HTML body as
	// GitHub's edge sends; other codes get a JSON body).
	ServerError FaultKind = "server-error"
	// PrimaryLimit uses up the primary rate limit: this and every request
	// until the reset (RetryAfter from now, default 2 minutes) get 403
	// with x-ratelimit-remaining: 0.
	PrimaryLimit FaultKind = "primary-limit"
	// SecondaryLimit answers 403 (or Status) with GitHub's secondary rate
	// limit message, and Retry-After when RetryAfter is set.
	SecondaryLimit FaultKind = "secondary-limit"
	// TooManyRequests answers 429, with Retry-After when RetryAfter is set.
	TooManyRequests FaultKind = "too-many-requests"
	// Forbidden answers 403 for lack of permission: not a rate limit.
	Forbidden FaultKind = "forbidden"
	// TruncatedJSON answers 200 with a consistent Content-Length but only
	// the first half of the JSON.
	TruncatedJSON FaultKind = "truncated-json"
	// DropConnection announces the full body, sends half of it and closes
	// the connection.
	DropConnection FaultKind = "drop-connection"
	// Hang never answers; the client's timeout must fire.
	Hang FaultKind = "hang"

	// Faults of a hostile or broken server, answered by serveFault.

	// Redirect answers Status (default 302) with Location: Target(r).
	Redirect FaultKind = "redirect"
	// NextLink answers as usual but with a Link header whose rel="next"
	// is Target(r): a page linking back to an earlier one, to another
	// origin, or on and on.
	NextLink FaultKind = "next-link"
	// RawBody answers 200 with Body as it is, as JSON.
	RawBody FaultKind = "raw-body"
	// HugeBody answers Status (default 200) with a body of Size bytes, a
	// JSON array padded with spaces; its length is announced unless
	// NoLength is set.
	HugeBody FaultKind = "huge-body"
	// EchoAuth answers 401 with a message and documentation URL quoting
	// the Authorization header the request carried.
	EchoAuth FaultKind = "echo-auth"
)

// Fault is a failure injected into matching requests.
type Fault struct {
	Kind FaultKind
	// Match selects the requests; nil matches any.
	Match func(*http.Request) bool
	// Times is how many matching requests fail; 0 means 1.
	Times int
	// Status overrides the status of ServerError and SecondaryLimit.
	Status int
	// RetryAfter is the Retry-After of SecondaryLimit and TooManyRequests,
	// or how long a PrimaryLimit lasts.
	RetryAfter time.Duration
	// Target is the Location of Redirect and the next link of NextLink.
	Target func(*http.Request) string
	// Body is what RawBody answers.
	Body []byte
	// Size and NoLength shape the answer of HugeBody.
	Size     int64
	NoLength bool
}

// Forever is a fault's Times that makes it fire on every matching request.
const Forever = -1

func (f *Fault) wait(def time.Duration) time.Duration {
	if f.RetryAfter > 0 {
		return f.RetryAfter
	}
	return def
}

// Inject queues faults; each request takes the first matching fault.
func (s *Server) Inject(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		c := f
		if c.Times == 0 {
			c.Times = 1
		}
		s.faults = append(s.faults, &c)
	}
}

// ClearFaults drops the faults that have not fired.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Pending returns how many injected faults have not fired yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		if f.Times > 0 {
			n += f.Times
		}
	}
	return n
}

// takeFault is called with s.mu held.
func (s *Server) takeFault(r *http.Request) *Fault {
	for i, f := range s.faults {
		if f.Match != nil && !f.Match(r) {
			continue
		}
		if f.Times < 0 {
			return f
		}
		f.Times--
		if f.Times == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return f
	}
	return nil
}

// ListPage matches page n (1 for the first) of the issue listing.
func ListPage(n int) func(*http.Request) bool {
	return func(r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/issues") {
			return false
		}
		p := r.URL.Query().Get("page")
		if p == "" {
			p = "1"
		}
		return p == strconv.Itoa(n)
	}
}

// Timeline matches the timeline requests of issue n.
func Timeline(n int) func(*http.Request) bool {
	suffix := "/issues/" + strconv.Itoa(n) + "/timeline"
	return func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, suffix) }
}

// AnyTimeline matches every timeline request.
func AnyTimeline(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/timeline") }

// serveFault answers the faults of a hostile or broken server that need
// no listing: it reports whether it answered.
func (s *Server) serveFault(w *statusWriter, r *http.Request, f *Fault) bool {
	switch f.Kind {
	case Redirect:
		status := f.Status
		if status == 0 {
			status = http.StatusFound
		}
		s.rateHeaders(w.Header(), true)
		w.Header().Set("Location", f.Target(r))
		w.WriteHeader(status)
		return true
	case RawBody:
		h := w.Header()
		s.rateHeaders(h, true)
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(f.Body)))
		w.WriteHeader(http.StatusOK)
		w.Write(f.Body)
		return true
	case HugeBody:
		s.writeHuge(w, r, f)
		return true
	case EchoAuth:
		auth := r.Header.Get("Authorization")
		s.writeError(w, http.StatusUnauthorized, "Bad credentials: "+auth, "https://docs.github.com/rest?auth="+url.QueryEscape(auth), nil)
		return true
	}
	return false
}

// faultLinks is the Link header of an answer under fault f.
func (s *Server) faultLinks(r *http.Request, f *Fault, links string) string {
	if f == nil || f.Kind != NextLink {
		return links
	}
	return fmt.Sprintf(`<%s>; rel="next"`, f.Target(r))
}

// writeHuge streams f.Size bytes: "[", spaces, "]". It stops when the
// client hangs up.
func (s *Server) writeHuge(w *statusWriter, r *http.Request, f *Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	h := w.Header()
	s.rateHeaders(h, true)
	h.Set("Content-Type", "application/json; charset=utf-8")
	if !f.NoLength {
		h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	}
	w.WriteHeader(status)
	chunk := []byte(strings.Repeat(" ", 64<<10))
	left := f.Size
	write := func(b []byte) bool {
		if r.Context().Err() != nil {
			return false
		}
		_, err := w.Write(b)
		left -= int64(len(b))
		return err == nil
	}
	if left >= 2 && !write([]byte("[")) {
		return
	}
	for left > 1 {
		if !write(chunk[:min(int64(len(chunk)), left-1)]) {
			return
		}
	}
	if left == 1 {
		write([]byte("]"))
	}
}

// PageURL is the absolute URL of page n of the listing or timeline r
// asked for, its other parameters kept.
func (s *Server) PageURL(r *http.Request, n int) string {
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(n))
	return s.srv.URL + r.URL.Path + "?" + q.Encode()
}

// NextPage is the page after the one r asked for: as a NextLink target
// with Times Forever, a listing that never ends.
func (s *Server) NextPage(r *http.Request) string {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return s.PageURL(r, max(n, 1)+1)
}

// Foreign is another origin that records what reaches it, for tests that
// the token never does. It answers every request with an empty array.
type Foreign struct {
	URL string

	srv *httptest.Server
	mu  sync.Mutex
	log []*http.Request
}

// NewForeign starts a Foreign server; Close it when done.
func NewForeign() *Foreign {
	f := &Foreign{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.log = append(f.log, r.Clone(context.Background()))
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("[]"))
	}))
	f.URL = f.srv.URL
	return f
}

// Requests returns the requests received, headers included.
func (f *Foreign) Requests() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.log...)
}

// Close stops the server.
func (f *Foreign) Close() { f.srv.Close() }
