package githubsync

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/opsqa/opsqa/internal/ticket"
)

// listing is what one listing of the repository's issues returned, with
// what the next sync's cursor depends on.
type listing struct {
	// issues are the issues listed, pull requests left out, each once and
	// as last seen, in the order first seen.
	issues []*listedIssue
	// notModified is set when GitHub answered the first page with 304.
	notModified bool
	// shifted is set when an issue (or pull request) came up on two
	// pages: it was updated while the listing ran, which shifts later
	// pages by one, so one may have been skipped.
	shifted bool
	// pages counts the pages read; etag is the first one's ETag.
	pages int
	etag  string

	index map[int]int  // issue number → index in issues
	seen  map[int]bool // every number listed, pull requests included
}

// listIssues reads every page of the listing at u, sending etag with the
// first page so that an unchanged repository costs one request that
// GitHub does not count against the rate limit.
func (c *client) listIssues(ctx context.Context, u, etag string, prog *progress) (*listing, error) {
	l := &listing{index: map[int]int{}, seen: map[int]bool{}}
	pages := c.newPager("issue listing", c.limits.IssuePages)
	for next := u; next != ""; {
		if err := pages.visit(next); err != nil {
			return nil, err
		}
		var page []*listedIssue
		cond := ""
		if l.pages == 0 {
			cond = etag
		}
		resp, err := c.get(ctx, next, cond, &page)
		if err != nil {
			return nil, err
		}
		if resp.status == http.StatusNotModified {
			l.notModified = true
			return l, nil
		}
		if l.pages == 0 {
			l.etag = resp.header.Get("ETag")
			prog.start("listing issues", lastPage(resp.header))
		}
		l.pages++
		prog.add()
		l.add(page)
		next = nextLink(resp.header)
	}
	return l, nil
}

// pager follows rel="next" links and stops those that would never end: a
// link back to a page already read, more pages than the bound allows, or
// a link away from the API origin.
type pager struct {
	c    *client
	what string
	max  int
	// seen maps the normalized query of each page read to its number.
	// The query, not the path, tells pages apart: GitHub's links name the
	// repository by id (/repositories/1296269/issues), the first request
	// by name.
	seen map[string]int
}

func (c *client) newPager(what string, max int) *pager {
	return &pager{c: c, what: what, max: max, seen: map[string]int{}}
}

// visit admits the page at u, relative to the API base or absolute.
func (p *pager) visit(u string) error {
	target, err := p.c.gh.BaseURL.Parse(u)
	if err != nil {
		return fmt.Errorf("%s: bad next page link: %w", p.what, p.c.scrubErr(err))
	}
	if o := originOf(target); o != p.c.origin {
		return fmt.Errorf("%s: the next page link points to %s: %w %s", p.what, o, ErrForeignOrigin, p.c.origin)
	}
	n := len(p.seen) + 1
	key := pageKey(target)
	if earlier, ok := p.seen[key]; ok {
		return fmt.Errorf("%s: %w: page %d links back to page %d (%s)", p.what, ErrPageLoop, n-1, earlier, p.c.redact(target))
	}
	if n > p.max {
		return fmt.Errorf("%s: %w: more than %d", p.what, ErrTooManyPages, p.max)
	}
	p.seen[key] = n
	return nil
}

// pageKey is u's query in a canonical form: keys sorted, and page=1 for
// a first page that names none.
func pageKey(u *url.URL) string {
	q := u.Query()
	if q.Get("page") == "" {
		q.Set("page", "1")
	}
	return q.Encode()
}

// add takes in one page. An issue seen on an earlier page replaces its
// earlier copy, which is older, and marks the listing as shifted; pull
// requests shift the pages as much as issues do, so they count for that
// before they are left out.
func (l *listing) add(page []*listedIssue) {
	for _, is := range page {
		if is == nil || is.Number == nil {
			continue
		}
		n := is.GetNumber()
		if l.seen[n] {
			l.shifted = true
		}
		l.seen[n] = true
		if is.PullRequestLinks != nil {
			continue
		}
		if i, dup := l.index[n]; dup {
			l.issues[i] = is
			continue
		}
		l.index[n] = len(l.issues)
		l.issues = append(l.issues, is)
	}
}

// nextCursor is where the next sync of the repository lists from, given
// the listing since since that produced out. Only a cancelled ctx makes it
// fail: any other failure to learn the next ETag only costs the next sync
// a full answer.
func (c *client) nextCursor(ctx context.Context, owner, name string, since time.Time, l *listing, out *ticket.Snapshot) (ticket.Cursor, error) {
	if l.shifted {
		// A page boundary may have skipped an issue: keep the cursor
		// where it was so the next sync lists that stretch again.
		return ticket.Cursor{Since: since}, nil
	}
	cur := ticket.Cursor{Since: newestUpdate(l.issues, since)}
	// The ETag describes the listing just made; it is worth sending again
	// only if the next listing asks the same question (same since) and
	// the answer fit on one page, so a 304 covers all of it. When since
	// moved, one more request learns the ETag of the next question, so
	// that an unchanged repository costs the next sync a single 304.
	if cur.Since.Equal(since) {
		if l.pages == 1 {
			cur.ListETag = l.etag
		}
		return cur, nil
	}
	etag, err := c.primeETag(ctx, listURL(owner, name, cur.Since), out)
	if err != nil && ctx.Err() != nil {
		return ticket.Cursor{}, context.Cause(ctx)
	}
	cur.ListETag = etag
	return cur, nil
}

// newestUpdate is the latest updated_at of the issues, or since when none
// is later: the next listing asks for what changed after it.
func newestUpdate(issues []*listedIssue, since time.Time) time.Time {
	newest := since
	for _, is := range issues {
		if u := atOrZero(is.UpdatedAt); u.After(newest) {
			newest = u
		}
	}
	return newest
}

// listURL is the listing of issues updated at or after since (all of them
// for a zero since), oldest change first, so that an issue updated while
// the listing pages moves towards the end and is read again rather than
// skipped.
func listURL(owner, name string, since time.Time) string {
	q := url.Values{}
	q.Set("state", "all")
	q.Set("sort", "updated")
	q.Set("direction", "asc")
	q.Set("per_page", fmt.Sprint(PerPage))
	if !since.IsZero() {
		q.Set("since", since.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("repos/%s/%s/issues?%s", url.PathEscape(owner), url.PathEscape(name), q.Encode())
}

// primeETag asks the next sync's listing now and returns its ETag, but
// only if the answer agrees with the snapshot: one page, and every issue
// in it already there with the same updated_at. An issue that changed
// during the sync makes it return "", so the next sync cannot be told
// "not modified" about a change the snapshot lacks.
func (c *client) primeETag(ctx context.Context, u string, s *ticket.Snapshot) (string, error) {
	var page []*listedIssue
	resp, err := c.get(ctx, u, "", &page)
	if err != nil {
		return "", err
	}
	if nextLink(resp.header) != "" {
		return "", nil
	}
	have := make(map[int]time.Time, len(s.Tickets))
	for i := range s.Tickets {
		have[s.Tickets[i].Number] = s.Tickets[i].UpdatedAt
	}
	for _, is := range page {
		if is == nil || is.PullRequestLinks != nil {
			continue
		}
		if at, ok := have[is.GetNumber()]; !ok || !at.Equal(atOrZero(is.UpdatedAt)) {
			return "", nil
		}
	}
	return resp.header.Get("ETag"), nil
}
