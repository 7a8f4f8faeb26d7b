package githubtest

import (
	"net/http"
	"strconv"
	"strings"
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
}

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
		n += f.Times
	}
	return n
}

// takeFault is called with s.mu held.
func (s *Server) takeFault(r *http.Request) *Fault {
	for i, f := range s.faults {
		if f.Match != nil && !f.Match(r) {
			continue
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
