package githubsync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// Limits on retrying. A request is tried at most MaxAttempts times for
// transient failures (5xx, timeouts, dropped connections, truncated bodies)
// and waits out at most maxRateLimitWaits rate limits.
const (
	// MaxAttempts bounds the tries of one request that fails transiently.
	MaxAttempts = 6
	// BackoffBase is the first backoff; it doubles per attempt.
	BackoffBase = time.Second
	// BackoffMax caps one backoff.
	BackoffMax = 30 * time.Second
	// SecondaryMinWait is the wait after a secondary rate limit that names
	// no time; it doubles while the limit persists, as GitHub advises
	// waiting at least a minute and backing off further.
	SecondaryMinWait = time.Minute
	// MaxWait is the longest single wait accepted; a primary limit that
	// resets later than this fails the sync with the reset time instead.
	MaxWait = 65 * time.Minute

	maxRateLimitWaits = 8
)

// Bounds on what one sync accepts from a server that fails or misbehaves.
// Limits overrides them per sync; these are the defaults.
const (
	// MaxIssuePages bounds the pages of the issue listing: 500,000 issues
	// at 100 a page.
	MaxIssuePages = 5000
	// MaxTimelinePages bounds the pages of one issue's timeline.
	MaxTimelinePages = 200
	// MaxTimelineEvents bounds the events of one issue's timeline.
	MaxTimelineEvents = 10000
	// MaxBody bounds one successful answer, in bytes.
	MaxBody = 32 << 20
	// MaxErrorBody bounds what is read of an error answer for its
	// message; the rest is not read.
	MaxErrorBody = 64 << 10
	// MaxRedirects bounds the redirects followed by one request, all on
	// the API origin.
	MaxRedirects = 5
	// DefaultRequestTimeout bounds one request, its answer read whole.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultTimeout bounds the whole sync, rate-limit waits included.
	DefaultTimeout = 30 * time.Minute
)

// Limits bound one sync. A zero field takes the default above.
type Limits struct {
	IssuePages     int
	TimelinePages  int
	TimelineEvents int
	Body           int64
	ErrorBody      int64
	Redirects      int
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.IssuePages, MaxIssuePages)
	def(&l.TimelinePages, MaxTimelinePages)
	def(&l.TimelineEvents, MaxTimelineEvents)
	def(&l.Redirects, MaxRedirects)
	if l.Body <= 0 {
		l.Body = MaxBody
	}
	if l.ErrorBody <= 0 {
		l.ErrorBody = MaxErrorBody
	}
	return l
}

// Errors a sync stops with. None of them is retried: the server would
// answer the same again.
var (
	// ErrForeignOrigin: a redirect or a page link leads away from the
	// API origin (scheme, host and port), where the token must not go.
	ErrForeignOrigin = errors.New("not the API origin")
	// ErrTooManyRedirects: more than MaxRedirects redirects for one
	// request.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrPageLoop: a page links to a page already read.
	ErrPageLoop = errors.New("pagination loops")
	// ErrTooManyPages: a listing or timeline runs past its bound.
	ErrTooManyPages = errors.New("too many pages")
	// ErrTooManyEvents: a timeline holds more than MaxTimelineEvents.
	ErrTooManyEvents = errors.New("too many timeline events")
	// ErrBodyTooLarge: an answer is larger than MaxBody.
	ErrBodyTooLarge = errors.New("answer too large")
	// ErrNotAnArray: a page of a listing or timeline is not a JSON array
	// (null, an object): it is not taken as an empty page.
	ErrNotAnArray = errors.New("page is not a JSON array")
	// ErrEmptyListing: a full sync listed no issues while the snapshot
	// it would replace holds some; Options.AllowEmpty accepts it.
	ErrEmptyListing = errors.New("the listing is empty but the snapshot is not")
)

// TimeoutError is a sync stopped by one of its time bounds: the
// per-request timeout (once retries ran out) or the whole-sync deadline.
type TimeoutError struct {
	// Request is set for the per-request timeout, clear for the
	// whole-sync deadline.
	Request bool
	// Limit is the bound that was hit.
	Limit time.Duration
	// Wait, when set, is a rate-limit or backoff wait that would have
	// ended past the whole-sync deadline, so it was not begun.
	Wait time.Duration
}

func (e *TimeoutError) Error() string {
	switch {
	case e.Request:
		return fmt.Sprintf("no complete answer within the request timeout of %s", e.Limit)
	case e.Wait > 0:
		w := e.Wait.Round(10 * time.Millisecond)
		if e.Wait >= time.Minute {
			w = e.Wait.Round(time.Second)
		}
		return fmt.Sprintf("waiting %s more would pass the sync deadline of %s", w, e.Limit)
	default:
		return fmt.Sprintf("the sync did not finish within its deadline of %s", e.Limit)
	}
}

// Is makes a TimeoutError a context.DeadlineExceeded as well.
func (e *TimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// client sends GET requests to the REST API through go-github, retrying
// and waiting as GitHub's rate limits ask. It reads every response itself
// instead of going through github.Client.Do, because Do remembers rate
// limits against the wall clock and would refuse requests that the
// injected clock says may go.
type client struct {
	gh     *github.Client
	http   *http.Client
	auth   *authTransport
	origin origin
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
	rand   func() float64
	limits Limits
	// requestTimeout bounds one try; 0 for none.
	requestTimeout time.Duration
	// syncTimeout and deadline are the whole-sync bound and when it
	// passes (real time); zero for none.
	syncTimeout time.Duration
	deadline    time.Time
	// secrets are the forms of the token scrubbed from anything the
	// server sends back into an error.
	secrets []string

	waited time.Duration
}

// response is a successful (2xx or 304) answer, read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

// errorBody is GitHub's error payload.
type errorBody struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
}

// APIError is a response GitHub will not change its mind about (401, 404,
// 422, a 403 that is not a rate limit), or the last failure once retries
// ran out.
type APIError struct {
	Method   string
	URL      string
	Status   int
	Message  string
	Attempts int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	return b.String()
}

// get fetches u (relative to the API base, or absolute on the same host)
// and, for a 2xx answer, decodes the body into v. etag, when set, is sent
// as If-None-Match; a 304 comes back as a response with status 304 and v
// untouched.
func (c *client) get(ctx context.Context, u, etag string, v any) (*response, error) {
	r := retries{secondary: SecondaryMinWait}
	for {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		r.attempt++
		req, err := c.newGet(ctx, u, etag)
		if err != nil {
			return nil, err
		}
		resp, body, err := c.try(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, context.Cause(ctx)
			}
			failure := fmt.Errorf("GET %s: %w", c.redact(req.URL), c.scrubErr(stripURL(err)))
			if permanent(err) {
				return nil, failure
			}
			// Timeouts, refused and dropped connections, bodies cut
			// short: all worth another try.
			if err := c.retryTransient(ctx, r.attempt, failure); err != nil {
				return nil, err
			}
			continue
		}

		switch s := resp.StatusCode; {
		case s == http.StatusNotModified:
			return &response{status: s, header: resp.Header}, nil
		case s >= 200 && s < 300:
			if v != nil {
				if err := decodeJSON(body, v); err != nil {
					failure := fmt.Errorf("decode GET %s: %w", c.redact(req.URL), err)
					if !retryableDecode(err) {
						return nil, failure
					}
					if err := c.retryTransient(ctx, r.attempt, failure); err != nil {
						return nil, err
					}
					continue
				}
			}
			return &response{status: s, header: resp.Header, body: body}, nil
		case s == http.StatusForbidden || s == http.StatusTooManyRequests:
			if err := c.waitRateLimit(ctx, req, resp, body, &r); err != nil {
				return nil, err
			}
		case s >= 500:
			failure := c.apiError(req, s, body, r.attempt)
			if err := c.retryTransient(ctx, r.attempt, failure); err != nil {
				return nil, err
			}
		default:
			return nil, c.apiError(req, s, body, r.attempt)
		}
	}
}

// apiError describes a failed answer, its message scrubbed of the token
// in case the server echoes what it was sent.
func (c *client) apiError(req *http.Request, status int, body []byte, attempts int) *APIError {
	return &APIError{Method: "GET", URL: c.redact(req.URL), Status: status, Message: c.scrub(decodeError(body).Message), Attempts: attempts}
}

// retries is what one request has used of its bounds, kept across its
// tries so that get can stop at MaxAttempts and maxRateLimitWaits.
type retries struct {
	// attempt counts the tries that may fail transiently, the current one
	// included; tries that met a rate limit are not among them.
	attempt int
	// rateWaits counts the rate limits waited out.
	rateWaits int
	// secondary is the wait for the next secondary rate limit that names
	// no time; it doubles with each one.
	secondary time.Duration
}

// newGet builds one try of a GET of u. It is built against the API base
// and refused for any other origin: the token goes only there, and a Link
// header could point anywhere.
func (c *client) newGet(ctx context.Context, u, etag string) (*http.Request, error) {
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", c.scrubErr(err))
	}
	if o := originOf(req.URL); o != c.origin {
		return nil, fmt.Errorf("refused to request %s: %w %s", o, ErrForeignOrigin, c.origin)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	return req.WithContext(ctx), nil
}

// try makes one try of req within the per-request timeout, which covers
// reading the answer. A try that runs out of time fails with a
// *TimeoutError, so that the error says which bound was hit.
func (c *client) try(req *http.Request) (*http.Response, []byte, error) {
	parent := req.Context()
	if c.requestTimeout <= 0 {
		return c.send(req)
	}
	ctx, cancel := context.WithTimeoutCause(parent, c.requestTimeout, &TimeoutError{Request: true, Limit: c.requestTimeout})
	defer cancel()
	resp, body, err := c.send(req.WithContext(ctx))
	if err != nil && parent.Err() == nil && ctx.Err() != nil {
		return nil, nil, context.Cause(ctx)
	}
	return resp, body, err
}

// send makes one try of req and reads the answer whole, so that a body
// cut short fails the try like a dropped connection and is retried the
// same way. A successful answer larger than Limits.Body fails with
// ErrBodyTooLarge, before it is read when its length is announced; of an
// error answer only the first Limits.ErrorBody bytes are read, which is
// plenty for a message.
func (c *client) send(req *http.Request) (*http.Response, []byte, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	limit := c.limits.Body
	if !ok {
		limit = c.limits.ErrorBody
	}
	tooLarge := fmt.Errorf("%w: more than %s", ErrBodyTooLarge, byteSize(limit))
	if ok && resp.ContentLength > limit {
		return nil, nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(body)) > limit {
		if ok {
			return nil, nil, tooLarge
		}
		body = body[:limit]
	}
	return resp, body, nil
}

// permanent tells the failures of a try that another try would only
// repeat.
func permanent(err error) bool {
	return errors.Is(err, ErrForeignOrigin) || errors.Is(err, ErrTooManyRedirects) || errors.Is(err, ErrBodyTooLarge)
}

// decodeJSON decodes an answer into v. When v is a slice, the answer must
// be a JSON array: null or an object is not an empty page.
func decodeJSON(body []byte, v any) error {
	if t := reflect.TypeOf(v); t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Slice {
		b := bytes.TrimLeft(body, " \t\r\n")
		if len(b) == 0 || b[0] != '[' {
			return fmt.Errorf("%w: got %s", ErrNotAnArray, jsonKind(b))
		}
	}
	return json.Unmarshal(body, v)
}

// retryableDecode tells a body cut short, worth another try, from one of
// the wrong shape, which the server would send again.
func retryableDecode(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF)
}

// jsonKind names the kind of JSON value b starts with.
func jsonKind(b []byte) string {
	if len(b) == 0 {
		return "an empty body"
	}
	switch b[0] {
	case 'n':
		return "null"
	case '{':
		return "an object"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	default:
		if b[0] == '-' || (b[0] >= '0' && b[0] <= '9') {
			return "a number"
		}
		return "something that is not JSON"
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// retryTransient backs off before the next try after a failure that may
// not happen again (a dropped connection, a 5xx, a truncated body), or
// gives up with failure once attempt reaches MaxAttempts. Every transient
// failure goes through it so that all of them share one bound.
func (c *client) retryTransient(ctx context.Context, attempt int, failure error) error {
	if attempt < MaxAttempts {
		err := c.backoff(ctx, attempt)
		var te *TimeoutError
		if errors.As(err, &te) {
			// Say what was being waited for, not only that time ran out.
			return fmt.Errorf("%w; %w", failure, err)
		}
		return err
	}
	if _, ok := failure.(*APIError); ok {
		return failure // it counts its attempts itself
	}
	return fmt.Errorf("%w (gave up after %d attempts)", failure, attempt)
}

// backoff waits before attempt+1: exponential with equal jitter, so
// clients that failed together do not retry together.
func (c *client) backoff(ctx context.Context, attempt int) error {
	d := BackoffBase * time.Duration(math.Pow(2, float64(attempt-1)))
	d = min(d, BackoffMax)
	d = d/2 + time.Duration(c.rand()*float64(d/2))
	return c.wait(ctx, d)
}

// wait sleeps d, or fails at once when d would end past the whole-sync
// deadline: waiting for a rate limit that lifts too late only delays the
// same failure.
func (c *client) wait(ctx context.Context, d time.Duration) error {
	if !c.deadline.IsZero() && time.Until(c.deadline) < d {
		return &TimeoutError{Limit: c.syncTimeout, Wait: d}
	}
	c.waited += d
	if err := c.sleep(ctx, d); err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return err
	}
	return nil
}

func decodeError(body []byte) errorBody {
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		// A proxy's HTML error page: say nothing rather than dump it.
		return errorBody{}
	}
	return eb
}

// origin is a URL's scheme, host and port, the port spelled out: the
// token goes to the API origin and nowhere else.
type origin struct{ scheme, host, port string }

func originOf(u *url.URL) origin {
	o := origin{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: u.Port()}
	if o.port == "" {
		switch o.scheme {
		case "https":
			o.port = "443"
		case "http":
			o.port = "80"
		}
	}
	return o
}

func (o origin) String() string {
	if (o.scheme == "https" && o.port == "443") || (o.scheme == "http" && o.port == "80") {
		if strings.Contains(o.host, ":") {
			return o.scheme + "://[" + o.host + "]"
		}
		return o.scheme + "://" + o.host
	}
	return o.scheme + "://" + net.JoinHostPort(o.host, o.port)
}

// authTransport sends the token with requests to the API origin only,
// and strips any Authorization header from the others. It also counts the
// requests sent, redirects included.
type authTransport struct {
	base   http.RoundTripper
	origin origin
	token  string
	sent   int
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if originOf(req.URL) == t.origin {
		r.Header.Set("Authorization", "Bearer "+t.token)
	} else {
		r.Header.Del("Authorization")
	}
	t.sent++
	return t.base.RoundTrip(r)
}

// checkRedirect follows redirects on the API origin, up to
// Limits.Redirects, and refuses any other: the token is not sent away,
// and a request is not quietly answered by another server.
func (c *client) checkRedirect(req *http.Request, via []*http.Request) error {
	if o := originOf(req.URL); o != c.origin {
		return fmt.Errorf("refused a redirect to %s: %w %s", o, ErrForeignOrigin, c.origin)
	}
	if len(via) > c.limits.Redirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, c.limits.Redirects)
	}
	return nil
}

// redact prints a URL without user information, which could hold a
// credential, and without the token wherever else it appears.
func (c *client) redact(u *url.URL) string {
	return c.scrub(redact(u))
}

func redact(u *url.URL) string {
	v := *u
	v.User = nil
	return v.String()
}

// scrub replaces the token in s, as it is and as a URL would escape it.
func (c *client) scrub(s string) string {
	return scrubSecrets(s, c.secrets)
}

func (c *client) scrubErr(err error) error {
	return redactError(err, c.secrets)
}

// stripURL drops the URL from a *url.Error, which the caller already
// names, keeping the cause (timeout, connection reset, EOF).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		var ne net.Error
		if errors.As(ue.Err, &ne) && ne.Timeout() {
			return fmt.Errorf("timeout: %w", ue.Err)
		}
		return ue.Err
	}
	return err
}

// sleepTimer is the real sleeper: it waits d or until ctx is done.
func sleepTimer(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// nextLink returns the URL of rel="next" in a Link header, or "".
func nextLink(h http.Header) string {
	for _, v := range h.Values("Link") {
		for v != "" {
			start := strings.IndexByte(v, '<')
			end := strings.IndexByte(v, '>')
			if start < 0 || end < start {
				break
			}
			target := v[start+1 : end]
			rest := v[end+1:]
			params := rest
			if i := strings.IndexByte(rest, '<'); i >= 0 {
				params = rest[:i]
			}
			for _, p := range strings.Split(params, ";") {
				p = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(p), ","))
				if strings.EqualFold(p, `rel="next"`) || strings.EqualFold(p, "rel=next") {
					return target
				}
			}
			v = rest
		}
	}
	return ""
}

// lastPage reads the page number of rel="last", for the progress bar; 0
// when absent.
func lastPage(h http.Header) int {
	for _, v := range h.Values("Link") {
		for _, part := range strings.Split(v, ",") {
			if !strings.Contains(part, `rel="last"`) {
				continue
			}
			s, e := strings.IndexByte(part, '<'), strings.IndexByte(part, '>')
			if s < 0 || e < s {
				continue
			}
			if u, err := url.Parse(part[s+1 : e]); err == nil {
				n, _ := strconv.Atoi(u.Query().Get("page"))
				return n
			}
		}
	}
	return 0
}
