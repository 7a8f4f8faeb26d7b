package githubsync

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/githubsync/githubtest"
)

func newIssues(t *testing.T) (*Issues, *githubtest.Server) {
	t.Helper()
	now := func() time.Time { return epoch.Add(200 * 24 * time.Hour) }
	srv := githubtest.New("northwind-parcel", "operations", now)
	t.Cleanup(srv.Close)
	w, err := NewIssues(IssueOptions{Repo: "northwind-parcel/operations", Token: testToken, BaseURL: srv.URL, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return w, srv
}

func TestIssuesCreateEditList(t *testing.T) {
	w, srv := newIssues(t)
	ctx := context.Background()
	srv.Put(githubtest.Issue{Number: 7, Title: "Disk full", User: githubtest.User{Login: "li-na"}, Labels: []string{"incident"}, State: "open", CreatedAt: epoch, UpdatedAt: epoch})

	is, err := w.Create(ctx, IssueFields{Title: "Recertification due", Body: "body", Labels: []string{"recertification"}, Assignees: []string{"li-na"}})
	if err != nil {
		t.Fatal(err)
	}
	if is.Number != 8 || is.State != "open" || is.HTMLURL != "https://github.com/northwind-parcel/operations/issues/8" ||
		strings.Join(is.Labels, ",") != "recertification" || strings.Join(is.Assignees, ",") != "li-na" {
		t.Errorf("created %+v", is)
	}

	open, err := w.ListOpen(ctx, "Recertification")
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].Number != 8 || open[0].Body != "body" {
		t.Errorf("listed by label: %+v; want #8 alone", open)
	}

	is, err = w.Edit(ctx, 8, IssueFields{Body: "new body"})
	if err != nil {
		t.Fatal(err)
	}
	if is.Body != "new body" || is.Title != "Recertification due" || strings.Join(is.Labels, ",") != "recertification" {
		t.Errorf("an edit of the body alone changed more: %+v", is)
	}
	if _, err := w.Edit(ctx, 8, IssueFields{State: "closed", StateReason: "completed"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := srv.Issue(8); got.State != "closed" || got.StateReason != "completed" || got.ClosedAt == nil {
		t.Errorf("closed: %+v", got)
	}
	if open, _ := w.ListOpen(ctx, "recertification"); len(open) != 0 {
		t.Errorf("a closed issue is listed as open: %+v", open)
	}

	var methods []string
	for _, r := range srv.Requests() {
		methods = append(methods, r.Method+" "+r.Path)
		if r.Authorization != "Bearer "+testToken {
			t.Errorf("%s %s sent Authorization %q", r.Method, r.Path, r.Authorization)
		}
		if r.Method == http.MethodGet && (r.Query.Get("labels") == "" || r.Query.Get("state") != "open") {
			t.Errorf("listing without the label or state: %v", r.Query)
		}
	}
	want := "POST /repos/northwind-parcel/operations/issues, GET /repos/northwind-parcel/operations/issues, " +
		"PATCH /repos/northwind-parcel/operations/issues/8, PATCH /repos/northwind-parcel/operations/issues/8, " +
		"GET /repos/northwind-parcel/operations/issues"
	if got := strings.Join(methods, ", "); got != want {
		t.Errorf("requests:\n got %s\nwant %s", got, want)
	}
}

// Every page of the listing is read.
func TestIssuesListOpenPages(t *testing.T) {
	w, srv := newIssues(t)
	for n := 1; n <= 2*PerPage+5; n++ {
		labels := []string{"recertification"}
		if n%2 == 0 {
			labels = []string{"incident"}
		}
		srv.Put(githubtest.Issue{Number: n, Title: "t", User: githubtest.User{Login: "a"}, Labels: labels, State: "open", CreatedAt: epoch, UpdatedAt: epoch})
	}
	srv.Put(githubtest.Issue{Number: 999, Title: "pr", User: githubtest.User{Login: "a"}, Labels: []string{"recertification"}, State: "open", CreatedAt: epoch, UpdatedAt: epoch, PullRequest: true})
	open, err := w.ListOpen(context.Background(), "recertification")
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != PerPage+3 {
		t.Errorf("listed %d; want %d (odd numbers, no pull request)", len(open), PerPage+3)
	}
}

// GitHub's refusals come back as an *APIError naming the field, never
// with the token.
func TestIssuesErrors(t *testing.T) {
	w, _ := newIssues(t)
	ctx := context.Background()
	_, err := w.Create(ctx, IssueFields{Body: "no title"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "Validation Failed (title missing_field)") {
		t.Errorf("create without a title: %v", err)
	}
	_, err = w.Edit(ctx, 404, IssueFields{Body: "x"})
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound || !strings.Contains(err.Error(), "PATCH ") {
		t.Errorf("edit of a missing issue: %v", err)
	}
	for _, e := range []error{err} {
		if strings.Contains(e.Error(), testToken) {
			t.Errorf("the token is in %q", e)
		}
	}
	if _, err := NewIssues(IssueOptions{Repo: "no-slash", Token: testToken}); err == nil {
		t.Error("a repository without owner/name was accepted")
	}
	if _, err := NewIssues(IssueOptions{Repo: "a/b"}); err == nil {
		t.Error("no token was accepted")
	}
}
