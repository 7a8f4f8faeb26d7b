package githubsync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v62/github"
)

// IssueOptions says which repository an Issues works on and how to reach
// it. Repo and Token are required.
type IssueOptions struct {
	// Repo is "owner/name".
	Repo string
	// Token authenticates every request; it needs write access to the
	// repository's issues to open or edit one. It is never written
	// anywhere.
	Token string
	// BaseURL is the REST API root, as in Options; "" means
	// https://api.github.com/.
	BaseURL string
	// HTTPClient carries the requests; nil means a client with a 60 s
	// timeout.
	HTTPClient *http.Client
}

// Issues opens, edits and lists the issues of one repository: the
// issues that opsqa itself files, such as the recertification-due ones.
//
// Unlike the sync, a write is never retried: a POST that timed out may
// still have opened its issue, and a second try would open another.
type Issues struct {
	gh          *github.Client
	owner, name string
}

// Issue is an issue as the writers need it.
type Issue struct {
	Number    int
	Title     string
	Body      string
	State     string
	HTMLURL   string
	Labels    []string
	Assignees []string
}

// IssueFields are the fields of an issue to set. On Edit, a nil or empty
// field is left as it is.
type IssueFields struct {
	Title     string
	Body      string
	Labels    []string
	Assignees []string
	// State is "open" or "closed"; StateReason is "completed" or
	// "not_planned" with a close.
	State       string
	StateReason string
}

// NewIssues returns an Issues for o.Repo.
func NewIssues(o IssueOptions) (*Issues, error) {
	owner, name, err := splitRepo(o.Repo)
	if err != nil {
		return nil, err
	}
	gh, err := apiClient(o.Token, o.BaseURL, o.HTTPClient)
	if err != nil {
		return nil, err
	}
	return &Issues{gh: gh, owner: owner, name: name}, nil
}

// ListOpen returns the open issues carrying label, pull requests left
// out, in every page of the listing.
//
// GitHub API docs: https://docs.github.com/rest/issues/issues#list-repository-issues
func (s *Issues) ListOpen(ctx context.Context, label string) ([]Issue, error) {
	opts := &github.IssueListByRepoOptions{
		State: "open", Labels: []string{label}, Sort: "created", Direction: "asc",
		ListOptions: github.ListOptions{PerPage: PerPage},
	}
	var out []Issue
	for {
		page, resp, err := s.gh.Issues.ListByRepo(ctx, s.owner, s.name, opts)
		if err != nil {
			return nil, apiError(http.MethodGet, err)
		}
		for _, is := range page {
			if is != nil && !is.IsPullRequest() {
				out = append(out, issueOf(is))
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// Create opens an issue.
//
// GitHub API docs: https://docs.github.com/rest/issues/issues#create-an-issue
func (s *Issues) Create(ctx context.Context, f IssueFields) (Issue, error) {
	is, _, err := s.gh.Issues.Create(ctx, s.owner, s.name, request(f))
	if err != nil {
		return Issue{}, apiError(http.MethodPost, err)
	}
	return issueOf(is), nil
}

// Edit changes the fields f sets of issue number.
//
// GitHub API docs: https://docs.github.com/rest/issues/issues#update-an-issue
func (s *Issues) Edit(ctx context.Context, number int, f IssueFields) (Issue, error) {
	is, _, err := s.gh.Issues.Edit(ctx, s.owner, s.name, number, request(f))
	if err != nil {
		return Issue{}, apiError(http.MethodPatch, err)
	}
	return issueOf(is), nil
}

func request(f IssueFields) *github.IssueRequest {
	r := &github.IssueRequest{}
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	list := func(l []string) *[]string {
		if len(l) == 0 {
			return nil
		}
		return &l
	}
	r.Title, r.Body, r.State, r.StateReason = str(f.Title), str(f.Body), str(f.State), str(f.StateReason)
	r.Labels, r.Assignees = list(f.Labels), list(f.Assignees)
	return r
}

func issueOf(is *github.Issue) Issue {
	out := Issue{Number: is.GetNumber(), Title: is.GetTitle(), Body: is.GetBody(), State: is.GetState(), HTMLURL: is.GetHTMLURL()}
	for _, l := range is.Labels {
		out.Labels = append(out.Labels, l.GetName())
	}
	for _, a := range is.Assignees {
		out.Assignees = append(out.Assignees, a.GetLogin())
	}
	return out
}

// apiError turns go-github's errors into an *APIError, as the sync
// reports them: method, URL, status and GitHub's message with the
// fields it names, never a header.
func apiError(method string, err error) error {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		msg := er.Message
		var details []string
		for _, e := range er.Errors {
			d := strings.TrimSpace(strings.Join(nonEmpty(e.Field, e.Code, e.Message), " "))
			if d != "" {
				details = append(details, d)
			}
		}
		if len(details) > 0 {
			msg += " (" + strings.Join(details, "; ") + ")"
		}
		u := ""
		if er.Response.Request != nil {
			u = redact(er.Response.Request.URL)
		}
		return &APIError{Method: method, URL: u, Status: er.Response.StatusCode, Message: msg, Attempts: 1}
	}
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Errorf("%s: rate limit exceeded, resets at %s", method, rl.Rate.Reset.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	var al *github.AbuseRateLimitError
	if errors.As(err, &al) {
		return fmt.Errorf("%s: secondary rate limit exceeded: %s", method, al.Message)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			return fmt.Errorf("%s %s: %w", method, redact(u), stripURL(err))
		}
	}
	return fmt.Errorf("%s: %w", method, stripURL(err))
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
