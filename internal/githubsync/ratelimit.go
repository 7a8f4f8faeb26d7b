package githubsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// waitRateLimit waits out the rate limit a 403 or 429 announces, so that
// get can try again. It fails instead when the answer is a refusal rather
// than a limit (no permission, SSO required), when the limit lifts later
// than MaxWait, or when the request has been limited maxRateLimitWaits
// times already.
func (c *client) waitRateLimit(ctx context.Context, req *http.Request, resp *http.Response, body []byte, r *retries) error {
	eb := decodeError(body)
	wait, limited := c.rateLimitWait(resp, eb, &r.secondary)
	if !limited {
		return c.apiError(req, resp.StatusCode, body, r.attempt)
	}
	r.rateWaits++
	if wait > MaxWait {
		return fmt.Errorf("GET %s: rate limit exhausted until %s; try again then", c.redact(req.URL), c.now().Add(wait).UTC().Format(time.RFC3339))
	}
	if r.rateWaits > maxRateLimitWaits {
		return &APIError{Method: "GET", URL: c.redact(req.URL), Status: resp.StatusCode, Message: c.scrub(eb.Message) + " (still rate limited after " + strconv.Itoa(maxRateLimitWaits) + " waits)"}
	}
	// A rate-limited request was not served: it does not use up a
	// transient attempt.
	r.attempt--
	if err := c.wait(ctx, wait); err != nil {
		var te *TimeoutError
		if errors.As(err, &te) {
			return fmt.Errorf("GET %s: %d rate limited; %w", c.redact(req.URL), resp.StatusCode, err)
		}
		return err
	}
	return nil
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

// nextSecondary returns the wait for a secondary rate limit that names
// no time, and doubles the next one up to 16 minutes: GitHub asks for at
// least a minute and for waiting longer while the limit persists.
func (c *client) nextSecondary(d *time.Duration) time.Duration {
	w := *d
	*d = min(*d*2, 16*time.Minute)
	return w
}
