// Package githubsync copies incidents, problems, feedback and quiz results
// from GitHub Issues into the normalized snapshot that metrics and the site
// read (internal/ticket). It speaks the REST API through go-github v62 and
// is built for a CI job that runs on a schedule:
//
//   - incremental: the snapshot's cursor (the newest updated_at seen and
//     the ETag of the listing) makes a re-sync ask only for what changed;
//     an unchanged repository costs one conditional request, which GitHub
//     does not count against the rate limit;
//   - patient: primary and secondary rate limits are waited out as GitHub
//     asks (x-ratelimit-reset, Retry-After, or a minimum wait that doubles),
//     transient failures retried with exponential backoff and jitter up to
//     a bound;
//   - safe: the snapshot is replaced atomically only after a complete
//     sync, so an interrupted one leaves the previous snapshot whole and
//     the next one resumes from its cursor.
//
// The clock, the sleeper and the HTTP client are passed in; the package
// reads no environment and writes nowhere but the writers it is given.
package githubsync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/issueform"
	"github.com/opsqa/opsqa/internal/ticket"
)

// PerPage is the page size of every listing, GitHub's maximum.
const PerPage = 100

// Options configures a sync. Repo, Token and Now are required.
type Options struct {
	// Repo is "owner/name".
	Repo string
	// Token authenticates every request. It is never written anywhere.
	Token string
	// BaseURL is the REST API root, such as GitHub Actions' GITHUB_API_URL
	// (https://github.example.com/api/v3 on GitHub Enterprise Server);
	// "" means https://api.github.com/.
	BaseURL string
	// HTTPClient carries the requests; nil means http.DefaultTransport.
	// The sync sends through its transport with its own redirect policy
	// (same origin only, at most MaxRedirects) and adds the token itself,
	// to requests for the API origin only.
	HTTPClient *http.Client
	// RequestTimeout bounds one request, its answer read whole; a request
	// that runs out is retried like any transient failure. 0 means
	// DefaultRequestTimeout, a negative value no bound.
	RequestTimeout time.Duration
	// Timeout bounds the whole sync, rate-limit waits included. 0 means
	// DefaultTimeout, a negative value no bound.
	Timeout time.Duration
	// Limits bound pages, events and answer sizes; zero fields take the
	// defaults (MaxIssuePages and the others).
	Limits Limits
	// Now is the clock: it stamps the snapshot and measures rate-limit
	// waits.
	Now func() time.Time
	// Sleep waits d or until ctx is done; nil means a real timer. Tests
	// pass one that advances a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for backoff jitter; nil means
	// math/rand.
	Rand func() float64
	// Labels and Services come from opsqa.yaml and classify tickets.
	Labels   config.Labels
	Services []string
	// Forms are the issue forms by the class they open; a ticket of a
	// class without a form keeps no fields.
	Forms map[ticket.Class]*issueform.Template
	// Progress, when set, receives a progress bar; leave it nil when the
	// output is not a terminal.
	Progress io.Writer
	// Full ignores the previous snapshot's cursor and reads every ticket
	// again; tickets no longer listed (deleted, transferred) are dropped.
	Full bool
	// AllowEmpty lets a full sync that lists no issues replace a snapshot
	// that holds some; without it the sync fails with ErrEmptyListing.
	AllowEmpty bool
}

// Stats describes a finished sync.
type Stats struct {
	// Fetched is the number of issues the listing returned (pull requests
	// left out).
	Fetched int
	// Changed is the number of tickets new or updated since the previous
	// snapshot, whose timelines were read.
	Changed int
	// Total is the number of tickets in the new snapshot.
	Total int
	// Requests counts HTTP requests sent, retries included.
	Requests int
	// NotModified is set when GitHub answered the listing with 304.
	NotModified bool
	// Waited is the time spent waiting for rate limits and backoff.
	Waited time.Duration
	// Dropped are tickets of the previous snapshot whose lines could not
	// be read whole (over a limit, a lone surrogate) and that this sync
	// did not read again: they are not in the new snapshot.
	Dropped []ticket.Excluded
}

// listedIssue is an issue of the listing: go-github's Issue decodes every
// field the adapter needs, including state_reason, and the raw
// pull_request key tells pull requests apart.
type listedIssue = github.Issue

// Sync brings prev (nil for none) up to date with the repository and
// returns the new snapshot. prev is not modified. On error no snapshot is
// returned: the caller keeps prev. No error message and no string of the
// snapshot holds the token.
func Sync(ctx context.Context, prev *ticket.Snapshot, opts Options) (*ticket.Snapshot, Stats, error) {
	c, err := newClient(opts)
	if err != nil {
		return nil, Stats{}, err
	}
	owner, name, err := splitRepo(opts.Repo)
	if err != nil {
		return nil, Stats{}, err
	}
	if c.syncTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, c.syncTimeout, &TimeoutError{Limit: c.syncTimeout})
		defer cancel()
		c.deadline = time.Now().Add(c.syncTimeout)
	}
	had := 0
	if prev != nil {
		had = len(prev.Tickets)
	}
	prev, from, full := resumePoint(prev, opts)
	var stats Stats
	prog := newProgress(opts.Progress)
	defer prog.close()
	finish := func(s *ticket.Snapshot, err error) (*ticket.Snapshot, Stats, error) {
		stats.Requests, stats.Waited = c.auth.sent, c.waited
		if s != nil {
			scrubValue(s, c.secrets)
			stats.Total = len(s.Tickets)
		}
		return s, stats, redactError(err, c.secrets)
	}

	l, err := c.listIssues(ctx, listURL(owner, name, from.Since), from.ListETag, prog)
	if err != nil {
		return finish(nil, fmt.Errorf("list issues of %s: %w", opts.Repo, err))
	}
	if l.notModified {
		// Nothing changed: only the time of the check is new, which the
		// site shows as the data's freshness.
		stats.NotModified = true
		s := *prev
		s.SyncedAt = opts.Now().UTC()
		return finish(&s, nil)
	}
	stats.Fetched = len(l.issues)
	if full && had > 0 && len(l.issues) == 0 && !opts.AllowEmpty {
		return finish(nil, fmt.Errorf("list issues of %s: %w (%d tickets); not replacing it", opts.Repo, ErrEmptyListing, had))
	}

	old := keptTickets(prev, full)
	changed := changedIssues(l.issues, old)
	stats.Changed = len(changed)
	cv := &converter{forms: opts.Forms, labels: opts.Labels, services: opts.Services}
	fresh, err := c.readTickets(ctx, owner, name, changed, cv, prog)
	if err != nil {
		return finish(nil, err)
	}

	out := &ticket.Snapshot{Repository: opts.Repo, SyncedAt: opts.Now().UTC(), Tickets: mergeTickets(old, fresh)}
	out.Cursor, err = c.nextCursor(ctx, owner, name, from.Since, l, out)
	if err != nil {
		return finish(nil, fmt.Errorf("list issues of %s: %w", opts.Repo, err))
	}
	return finish(out, nil)
}

// resumePoint is what the sync builds on: prev, unless it is a snapshot
// of another repository, which says nothing about this one, and the
// cursor to list from, left at zero by a full sync so that it lists
// everything.
func resumePoint(prev *ticket.Snapshot, opts Options) (base *ticket.Snapshot, from ticket.Cursor, full bool) {
	if prev != nil && !strings.EqualFold(prev.Repository, opts.Repo) {
		prev = nil
	}
	full = opts.Full || prev == nil
	if !full {
		from = prev.Cursor
	}
	return prev, from, full
}

// keptTickets indexes by number the tickets of prev that an incremental
// sync keeps unless the listing says they changed. A full sync keeps none,
// so that tickets no longer listed (deleted, transferred) are dropped.
func keptTickets(prev *ticket.Snapshot, full bool) map[int]*ticket.Ticket {
	if full {
		return map[int]*ticket.Ticket{}
	}
	kept := make(map[int]*ticket.Ticket, len(prev.Tickets))
	for i := range prev.Tickets {
		kept[prev.Tickets[i].Number] = &prev.Tickets[i]
	}
	return kept
}

// changedIssues keeps the listed issues that old lacks or holds with
// another updated_at: only their timelines are worth a request each.
func changedIssues(listed []*listedIssue, old map[int]*ticket.Ticket) []*listedIssue {
	var changed []*listedIssue
	for _, is := range listed {
		if o, ok := old[is.GetNumber()]; ok && o.UpdatedAt.Equal(atOrZero(is.UpdatedAt)) {
			continue
		}
		changed = append(changed, is)
	}
	return changed
}

// readTickets reads the timeline of every changed issue, one request at a
// time as GitHub asks of integrations, and converts each issue into a
// ticket, by number.
func (c *client) readTickets(ctx context.Context, owner, name string, changed []*listedIssue, cv *converter, prog *progress) (map[int]ticket.Ticket, error) {
	fresh := make(map[int]ticket.Ticket, len(changed))
	prog.start("reading timelines", len(changed))
	for _, is := range changed {
		events, err := c.timeline(ctx, owner, name, is.GetNumber())
		if err != nil {
			return nil, fmt.Errorf("read timeline of %s/%s#%d: %w", owner, name, is.GetNumber(), err)
		}
		fresh[is.GetNumber()] = cv.ticketOf(is, events)
		prog.add()
	}
	return fresh, nil
}

// mergeTickets is the new snapshot's list: the fresh tickets, and the old
// ones that were not read again, by number. It is never nil, so that a
// snapshot of no tickets holds an empty list rather than none.
func mergeTickets(old map[int]*ticket.Ticket, fresh map[int]ticket.Ticket) []ticket.Ticket {
	tickets := make([]ticket.Ticket, 0, len(old)+len(fresh))
	for n, t := range old {
		if _, ok := fresh[n]; !ok {
			tickets = append(tickets, *t)
		}
	}
	for _, t := range fresh {
		tickets = append(tickets, t)
	}
	slices.SortFunc(tickets, func(a, b ticket.Ticket) int { return a.Number - b.Number })
	return tickets
}

// timeline reads every page of an issue's timeline.
func (c *client) timeline(ctx context.Context, owner, name string, number int) ([]timelineEvent, error) {
	next := fmt.Sprintf("repos/%s/%s/issues/%d/timeline?per_page=%d", url.PathEscape(owner), url.PathEscape(name), number, PerPage)
	pages := c.newPager("timeline", c.limits.TimelinePages)
	var all []timelineEvent
	for next != "" {
		if err := pages.visit(next); err != nil {
			return nil, err
		}
		var page []timelineEvent
		resp, err := c.get(ctx, next, "", &page)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(all) > c.limits.TimelineEvents {
			return nil, fmt.Errorf("%w: more than %d", ErrTooManyEvents, c.limits.TimelineEvents)
		}
		next = nextLink(resp.header)
	}
	return all, nil
}

// SyncFile syncs the snapshot at path: it reads the previous snapshot if
// there is one, syncs, and replaces the file atomically only when the sync
// completed. A failed or interrupted sync leaves the file as it was, and
// the next one resumes from its cursor.
//
// A full sync reads the previous snapshot too, only to refuse replacing
// one that holds tickets with an empty listing (ErrEmptyListing, unless
// AllowEmpty); a snapshot it cannot read counts as holding some.
func SyncFile(ctx context.Context, path string, opts Options) (Stats, error) {
	var prev *ticket.Snapshot
	unreadable := false
	p, err := ticket.ReadSnapshot(path)
	switch {
	case err == nil:
		prev = withExcluded(p)
	case errors.Is(err, os.ErrNotExist):
	case opts.Full:
		unreadable = true
	default:
		return Stats{}, fmt.Errorf("sync %s: %w (use a full sync to rebuild it)", path, err)
	}
	s, stats, err := Sync(ctx, prev, opts)
	if err != nil {
		return stats, err
	}
	if unreadable && len(s.Tickets) == 0 && !opts.AllowEmpty {
		return stats, fmt.Errorf("sync %s: %w (the snapshot cannot be read); not replacing it", path, ErrEmptyListing)
	}
	if err := ticket.WriteSnapshot(path, s); err != nil {
		return stats, err
	}
	if prev != nil {
		for _, e := range prev.Excluded {
			_, found := slices.BinarySearchFunc(s.Tickets, e.Number, func(t ticket.Ticket, n int) int { return t.Number - n })
			if e.Ticket == nil && (e.Kind == ticket.ExcludedDuplicate || !found) {
				stats.Dropped = append(stats.Dropped, e)
			}
		}
	}
	return stats, nil
}

// withExcluded puts back into p the tickets its reader left out for what
// they say (a class, a time), kept whole: the sync writes them back, so
// that every read reports them until GitHub has them right. Lines that
// could not be read whole, and later copies of a number, cannot be.
func withExcluded(p *ticket.Snapshot) *ticket.Snapshot {
	back := false
	for _, e := range p.Excluded {
		if e.Ticket != nil {
			p.Tickets, back = append(p.Tickets, *e.Ticket), true
		}
	}
	if back {
		slices.SortStableFunc(p.Tickets, func(a, b ticket.Ticket) int { return a.Number - b.Number })
	}
	return p
}

func newClient(opts Options) (*client, error) {
	if opts.Token == "" {
		return nil, errors.New("sync: no GitHub token")
	}
	if opts.Now == nil {
		return nil, errors.New("sync: no clock")
	}
	secrets := secretsOf(opts.Token)
	c := &client{now: opts.Now, sleep: opts.Sleep, rand: opts.Rand, limits: opts.Limits.withDefaults(), secrets: secrets}
	c.requestTimeout = orDefault(opts.RequestTimeout, DefaultRequestTimeout)
	c.syncTimeout = orDefault(opts.Timeout, DefaultTimeout)

	// The token is not given to go-github, whose WithAuthToken would send
	// it with every request, redirects to other hosts included: the
	// transport adds it to requests for the API origin only.
	var hc http.Client
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	gh := github.NewClient(nil)
	if opts.BaseURL != "" {
		u, err := apiBase(opts.BaseURL, secrets)
		if err != nil {
			return nil, fmt.Errorf("sync: %w", err)
		}
		gh.BaseURL = u
	}
	c.origin = originOf(gh.BaseURL)
	c.auth = &authTransport{base: base, origin: c.origin, token: opts.Token}
	hc.Transport = c.auth
	hc.CheckRedirect = c.checkRedirect
	c.http = &hc
	c.gh = gh
	if c.sleep == nil {
		c.sleep = sleepTimer
	}
	if c.rand == nil {
		c.rand = rand.Float64
	}
	return c, nil
}

// apiBase parses the REST API root: an absolute http(s) URL without
// credentials, ending in a slash as go-github needs.
func apiBase(baseURL string, secrets []string) (*url.URL, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("API base URL %q is not an absolute http(s) URL", scrubSecrets(baseURL, secrets))
	}
	if u.User != nil {
		return nil, fmt.Errorf("API base URL %s holds credentials; pass the token alone", redact(u))
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// apiClient is a go-github client for the REST API at baseURL ("" for
// https://api.github.com/) that, like the sync's, sends the token to the
// API origin only and refuses redirects to any other.
func apiClient(token, baseURL string, hc *http.Client) (*github.Client, error) {
	if token == "" {
		return nil, errors.New("no GitHub token")
	}
	u, _ := url.Parse("https://api.github.com/")
	if baseURL != "" {
		var err error
		if u, err = apiBase(baseURL, secretsOf(token)); err != nil {
			return nil, err
		}
	}
	c := http.Client{Timeout: 60 * time.Second}
	if hc != nil {
		c = *hc
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	api := originOf(u)
	c.Transport = &authTransport{base: base, origin: api, token: token}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if o := originOf(req.URL); o != api {
			return fmt.Errorf("refused a redirect to %s: %w %s", o, ErrForeignOrigin, api)
		}
		if len(via) > MaxRedirects {
			return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, MaxRedirects)
		}
		return nil
	}
	gh := github.NewClient(&c)
	gh.BaseURL = u
	return gh, nil
}

func orDefault(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

func splitRepo(repo string) (string, string, error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("sync: repository %q is not OWNER/NAME", repo)
	}
	return owner, name, nil
}
