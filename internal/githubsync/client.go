package githubsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
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
	maxBody           = 64 << 20
)

// client sends GET requests to the REST API through go-github, retrying
// and waiting as GitHub's rate limits ask. It reads every response itself
// instead of going through github.Client.Do, because Do remembers rate
// limits against the wall clock and would refuse requests that the
// injected clock says may go.
type client struct {
	gh    *github.Client
	http  *http.Client
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
	rand  func() float64

	requests int
	waited   time.Duration
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
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.attempt++
		req, err := c.newGet(ctx, u, etag)
		if err != nil {
			return nil, err
		}
		resp, body, err := c.send(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// Timeouts, refused and dropped connections, bodies cut
			// short: all worth another try.
			if err := c.retryTransient(ctx, r.attempt, fmt.Errorf("GET %s: %w", redact(req.URL), stripURL(err))); err != nil {
				return nil, err
			}
			continue
		}

		switch s := resp.StatusCode; {
		case s == http.StatusNotModified:
			return &response{status: s, header: resp.Header}, nil
		case s >= 200 && s < 300:
			if v != nil {
				if err := json.Unmarshal(body, v); err != nil {
					if err := c.retryTransient(ctx, r.attempt, fmt.Errorf("decode GET %s: %w", redact(req.URL), err)); err != nil {
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
			failure := &APIError{Method: "GET", URL: redact(req.URL), Status: s, Message: decodeError(body).Message, Attempts: r.attempt}
			if err := c.retryTransient(ctx, r.attempt, failure); err != nil {
				return nil, err
			}
		default:
			return nil, &APIError{Method: "GET", URL: redact(req.URL), Status: s, Message: decodeError(body).Message, Attempts: r.attempt}
		}
	}
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
// and refused for any other host, because the token travels with every
// request and a Link header could point anywhere.
func (c *client) newGet(ctx context.Context, u, etag string) (*http.Request, error) {
	req, err := c.gh.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	if !sameOrigin(req.URL, c.gh.BaseURL) {
		return nil, fmt.Errorf("refuse to follow %s: not on the API host %s", redact(req.URL), c.gh.BaseURL.Host)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	return req.WithContext(ctx), nil
}

// send makes one try of req and reads the answer whole, so that a body
// cut short fails the try like a dropped connection and is retried the
// same way.
func (c *client) send(req *http.Request) (*http.Response, []byte, error) {
	c.requests++
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	return resp, body, err
}

// retryTransient backs off before the next try after a failure that may
// not happen again (a dropped connection, a 5xx, a truncated body), or
// gives up with failure once attempt reaches MaxAttempts. Every transient
// failure goes through it so that all of them share one bound.
func (c *client) retryTransient(ctx context.Context, attempt int, failure error) error {
	if attempt < MaxAttempts {
		return c.backoff(ctx, attempt)
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

func (c *client) wait(ctx context.Context, d time.Duration) error {
	c.waited += d
	return c.sleep(ctx, d)
}

func decodeError(body []byte) errorBody {
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		// A proxy's HTML error page: say nothing rather than dump it.
		return errorBody{}
	}
	return eb
}

func sameOrigin(u, base *url.URL) bool {
	return strings.EqualFold(u.Scheme, base.Scheme) && strings.EqualFold(u.Host, base.Host)
}

// redact prints a URL without user information, which could hold a
// credential.
func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
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
