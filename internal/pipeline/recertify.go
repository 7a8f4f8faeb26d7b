package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/sitegen"
	"github.com/opsqa/opsqa/internal/ticket"
	"github.com/opsqa/opsqa/internal/training"
)

// IssueTracker holds the recertification issues: GitHub Issues, which
// the command line adapts, or a fake in tests.
type IssueTracker interface {
	// ListOpen returns the open issues carrying label.
	ListOpen(ctx context.Context, label string) ([]TrackedIssue, error)
	// Create opens an issue.
	Create(ctx context.Context, f IssueFields) (TrackedIssue, error)
	// Edit changes the fields f sets.
	Edit(ctx context.Context, number int, f IssueFields) (TrackedIssue, error)
}

// TrackedIssue is an issue as the tracker answers with it.
type TrackedIssue struct {
	Number int
	Title  string
	Body   string
	URL    string
}

// IssueFields are the fields of an issue to set; on Edit an empty one is
// left as it is.
type IssueFields struct {
	Title, Body string
	Labels      []string
	Assignees   []string
	// State is "open" or "closed"; StateReason "completed" or
	// "not_planned" with a close.
	State, StateReason string
}

// IssueText writes the issues' titles and bodies (report.RecertificationIssue).
type IssueText interface {
	Title(n training.Notice) string
	Body(n training.Notice, links training.IssueLinks) string
	Closed(previous, why string) string
}

// RecertifyOptions say whose records to read and where the issues are.
type RecertifyOptions struct {
	TrainingOptions
	// NoticeDays, when positive, replaces
	// training.recertification_notice_days.
	NoticeDays int
	// Repo is the repository of the issues, OWNER/NAME.
	Repo string
	// WebURL is the root of GitHub's web pages, for links to the quiz
	// files when the site has no base_url; "" means https://github.com.
	WebURL string
	// Tracker holds the issues. Nil is allowed only with DryRun: the open
	// issues are then not read, and every person due is planned as an
	// open.
	Tracker IssueTracker
	// DryRun plans without writing.
	DryRun bool
	// Text writes the issues.
	Text IssueText
}

// Recertify keeps one open recertification issue per person whose
// certification falls due within the notice period or has expired:
// opened when there is none, updated when it says something else now,
// and closed, saying why, once the person is no longer due. An issue is
// found again by the marker in its body (training.Marker), among the
// open issues carrying training.recertification_label; a second one for
// the same person is closed as a duplicate.
//
// On a failed write the result holds the actions done before it, and the
// error says which one failed.
func Recertify(ctx context.Context, o RecertifyOptions) (*training.Recertification, error) {
	if o.Tracker == nil && !o.DryRun {
		return nil, configErrorf("no issue tracker: only a dry run works without GitHub")
	}
	if o.Text == nil {
		return nil, configErrorf("no writer of the issues' text")
	}
	_, loc, err := loadConfig(o.Root)
	if err != nil {
		return nil, err
	}
	repo, err := loadRepository(o.Root)
	if err != nil {
		return nil, err
	}
	cfg := repo.r.Config
	if o.NoticeDays > 0 {
		cfg.Training.NoticeDays = o.NoticeDays
	}
	recs, err := trainingFromRepo(repo, loc, o.TrainingOptions)
	if err != nil {
		return nil, err
	}
	label := cfg.Training.RecertificationLabel()
	run := &training.Recertification{Repo: o.Repo, Label: label, AsOf: recs.AsOf, NoticeDays: recs.NoticeDays, DryRun: o.DryRun}

	var open []training.OpenIssue
	bodies := map[int]string{}
	if o.Tracker != nil {
		listed, err := o.Tracker.ListOpen(ctx, label)
		if err != nil {
			return nil, fmt.Errorf("list the open %s issues: %w", label, err)
		}
		run.IssuesRead = true
		for _, is := range listed {
			open = append(open, training.OpenIssue{Number: is.Number, Title: is.Title, Body: is.Body})
			bodies[is.Number] = is.Body
		}
	}
	links := issueLinks(repo, o.Root, o.Repo, o.WebURL)
	var drafts []training.Draft
	for _, n := range recs.Notices() {
		drafts = append(drafts, training.Draft{Notice: n, Title: o.Text.Title(n), Body: o.Text.Body(n, links)})
	}
	run.Actions = training.Plan(recs, drafts, open)
	for i := range run.Actions {
		if a := &run.Actions[i]; a.Kind == training.Close {
			a.Body = o.Text.Closed(bodies[a.Issue], a.Why)
		}
	}
	if o.DryRun {
		return run, nil
	}
	for i := range run.Actions {
		if err := apply(ctx, o.Tracker, label, &run.Actions[i]); err != nil {
			run.Actions = run.Actions[:i]
			return run, err
		}
	}
	return run, nil
}

// apply does one action and records the issue GitHub answered with.
func apply(ctx context.Context, t IssueTracker, label string, a *training.Action) error {
	var is TrackedIssue
	var err error
	switch a.Kind {
	case training.Open:
		is, err = t.Create(ctx, IssueFields{Title: a.Title, Body: a.Body, Labels: []string{label}, Assignees: []string{a.Person}})
		if err != nil {
			return fmt.Errorf("open the recertification issue of %s: %w", a.Person, err)
		}
		a.Issue = is.Number
	case training.Update:
		is, err = t.Edit(ctx, a.Issue, IssueFields{Title: a.Title, Body: a.Body})
		if err != nil {
			return fmt.Errorf("update recertification issue #%d of %s: %w", a.Issue, a.Person, err)
		}
	case training.Close:
		reason := "completed"
		if a.Duplicate {
			reason = "not_planned"
		}
		is, err = t.Edit(ctx, a.Issue, IssueFields{Body: a.Body, State: "closed", StateReason: reason})
		if err != nil {
			return fmt.Errorf("close recertification issue #%d of %s: %w", a.Issue, a.Person, err)
		}
	default:
		return nil
	}
	a.URL = is.URL
	return nil
}

// trainingFromRepo reads the snapshot and builds the records with the
// repository already loaded; loc is the time zone of a date in o.AsOf.
func trainingFromRepo(repo *loadedRepo, loc *time.Location, o TrainingOptions) (*training.Records, error) {
	path := o.Snapshot
	if !filepath.IsAbs(path) {
		path = filepath.Join(o.Root, path)
	}
	snap, err := ticket.ReadSnapshot(path)
	if err != nil {
		return nil, err
	}
	asOf := snap.SyncedAt
	if asOf.IsZero() {
		asOf = o.Now()
	}
	if o.AsOf != "" {
		if asOf, err = parseAsOf(o.AsOf, loc, o.Now); err != nil {
			return nil, err
		}
	}
	return trainingRecords(repo, o.Root, snap, asOf), nil
}

// issueLinks are the module and quiz pages on the site when it has a
// base_url, else the files on GitHub.
func issueLinks(repo *loadedRepo, root, ghRepo, webURL string) training.IssueLinks {
	cfg := repo.r.Config
	if webURL == "" {
		webURL = "https://github.com"
	}
	url := func(path string) string {
		if u := sitegen.PageURL(root, cfg, path); u != "" {
			return u
		}
		if ghRepo == "" {
			return ""
		}
		return strings.TrimSuffix(webURL, "/") + "/" + ghRepo + "/blob/HEAD/" + path
	}
	links := training.IssueLinks{Modules: map[string]string{}, Quizzes: map[string]string{}}
	for _, d := range repo.r.OfKind("module") {
		links.Modules[d.ID()] = url(d.Path)
	}
	for _, d := range repo.r.OfKind("quiz") {
		links.Quizzes[d.ID()] = url(d.Path)
	}
	return links
}
