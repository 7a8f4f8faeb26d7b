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
	attempt, rateWaits := 0, 0
	secondary := SecondaryMinWait
	var last error
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		attempt++
		req, err := c.gh.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return nil, fmt.Errorf("build request: %w", err)
		}
		if !sameOrigin(req.URL, c.gh.BaseURL) {
			// The token travels with every request; never send it
			// elsewhere, whatever a Link header says.
			return nil, fmt.Errorf("refuse to follow %s: not on the API host %s", redact(req.URL), c.gh.BaseURL.Host)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		req = req.WithContext(ctx)
		c.requests++
		resp, err := c.http.Do(req)
		var body []byte
		if err == nil {
			body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
			resp.Body.Close()
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// Timeouts, refused and dropped connections, bodies cut
			// short: all worth another try.
			last = fmt.Errorf("GET %s: %w", redact(req.URL), stripURL(err))
			if attempt >= MaxAttempts {
				return nil, fmt.Errorf("%w (gave up after %d attempts)", last, attempt)
			}
			if err := c.backoff(ctx, attempt); err != nil {
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
					last = fmt.Errorf("decode GET %s: %w", redact(req.URL), err)
					if attempt >= MaxAttempts {
						return nil, fmt.Errorf("%w (gave up after %d attempts)", last, attempt)
					}
					if err := c.backoff(ctx, attempt); err != nil {
						return nil, err
					}
					continue
				}
			}
			return &response{status: s, header: resp.Header, body: body}, nil
		case s == http.StatusForbidden || s == http.StatusTooManyRequests:
			eb := decodeError(body)
			wait, limited := c.rateLimitWait(resp, eb, &secondary)
			if !limited {
				return nil, &APIError{Method: "GET", URL: redact(req.URL), Status: s, Message: eb.Message, Attempts: attempt}
			}
			rateWaits++
			if wait > MaxWait {
				return nil, fmt.Errorf("GET %s: rate limit exhausted until %s; try again then", redact(req.URL), c.now().Add(wait).UTC().Format(time.RFC3339))
			}
			if rateWaits > maxRateLimitWaits {
				return nil, &APIError{Method: "GET", URL: redact(req.URL), Status: s, Message: eb.Message + " (still rate limited after " + strconv.Itoa(maxRateLimitWaits) + " waits)"}
			}
			// A rate-limited request was not served: it does not use up
			// a transient attempt.
			attempt--
			if err := c.wait(ctx, wait); err != nil {
				return nil, err
			}
		case s >= 500:
			eb := decodeError(body)
			last = &APIError{Method: "GET", URL: redact(req.URL), Status: s, Message: eb.Message, Attempts: attempt}
			if attempt >= MaxAttempts {
				return nil, last
			}
			if err := c.backoff(ctx, attempt); err != nil {
				return nil, err
			}
		default:
			eb := decodeError(body)
			return nil, &APIError{Method: "GET", URL: redact(req.URL), Status: s, Message: eb.Message, Attempts: attempt}
		}
	}
}

// rateLimitWait tells whether a 403 or 429 is a rate limit and how long to
// wait. Primary limit: x-ratelimit-remaining is 0, wait until
// x-ratelimit-reset. Secondary limit: Retry-After when given, else a
// minimum wait that doubles each time. A 403 that is neither (no
// permission, SSO required) is not a rate limit.
func (c *client) rateLimitWait(resp *http.Response, eb errorBody, secondary *time.Duration) (time.Duration, bool) {
	h := resp.Header
	if ra := h.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(strings.TrimSpace(ra)); err == nil && secs >= 0 {
			return time.Duration(secs) * time.Second, true
		}
		if at, err := http.ParseTime(ra); err == nil {
			return max(at.Sub(c.now()), 0), true
		}
	}
	if h.Get("X-RateLimit-Remaining") == "0" {
		if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			// The reset is on GitHub's clock: measure it from the
			// response's Date when there is one, so a skewed local clock
			// neither wakes too early nor sleeps too long. One second
			// more, because both are rounded down to a second.
			now := c.now()
			if d, err := http.ParseTime(h.Get("Date")); err == nil {
				now = d
			}
			return max(time.Unix(reset, 0).Sub(now)+time.Second, time.Second), true
		}
		return c.nextSecondary(secondary), true
	}
	msg := strings.ToLower(eb.Message + " " + eb.DocumentationURL)
	if resp.StatusCode == http.StatusTooManyRequests ||
		strings.Contains(msg, "rate limit") || strings.Contains(msg, "rate-limit") ||
		strings.Contains(msg, "abuse") {
		return c.nextSecondary(secondary), true
	}
	return 0, false
}

func (c *client) nextSecondary(d *time.Duration) time.Duration {
	w := *d
	*d = min(*d*2, 16*time.Minute)
	return w
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
