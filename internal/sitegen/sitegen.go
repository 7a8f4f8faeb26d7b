// Package sitegen builds the knowledge site: it unpacks the embedded Hugo
// project, writes the configuration that depends on the repository (content
// mounts, title, language, parameters), writes what opsqa computed (KPIs,
// scorecards, tickets, lint summary, data freshness, document titles) as
// data files that the templates read through hugo.Data, runs Hugo
// in-process and, when it is installed, Pagefind for search.
//
// Output is atomic: the site is built into a fresh folder next to the
// destination and swapped in only when every step succeeded, so a failed
// build leaves the previous site whole.
package sitegen

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/review"
	"github.com/opsqa/opsqa/internal/scorecard"
	"github.com/opsqa/opsqa/internal/ticket"
	"github.com/opsqa/opsqa/internal/training"
)

// Options is everything a build needs. The caller computes the figures;
// sitegen only lays them out for Hugo.
type Options struct {
	// RepoDir is the knowledge repository's root on disk.
	RepoDir string
	Config  *config.Config
	// Destination is where the finished site goes, public/ by default.
	Destination string
	// AsOf is the moment the figures describe.
	AsOf time.Time
	// Reviews are the review verdicts of the documents held to a review
	// interval (package review), by slash-separated repository path; the
	// templates show them and judge nothing themselves.
	Reviews map[string]review.Status
	// Documents are the documents' titles and ids as opsqa gives them
	// (document.Document.Title: the front matter's title, else the first
	// level-1 heading, else the id; ID: the front matter's id, else the
	// file name). Hugo knows only front matter titles, and many runbooks
	// have none; the templates title a document from here
	// (page-title.html) and find a document by its id from here
	// (find-doc.html), wherever in its collection's folders it lies, so
	// that the site and lint name and find it alike.
	Documents []DocumentRef
	// Quizzes are what each quiz's page may show (quiz.PageOf), by
	// slash-separated repository path. sitegen may not read quizzes
	// itself, so it writes these as they are (data/opsqa/quizzes.json)
	// and the quiz pages render only from them, never from the file:
	// what the caller left out, such as an exam's answer key, is nowhere
	// in the site.
	Quizzes map[string]any
	// Snapshot is the ticket snapshot; nil when there is none.
	Snapshot *ticket.Snapshot
	// Metrics is the KPI report; nil when it could not be computed.
	Metrics *kpi.Metrics
	// Training is the training records; nil without quiz results.
	Training *training.Records
	// Scorecards is the scorecard report; nil when it was not computed.
	Scorecards *scorecard.Report
	// History is the scorecard history, for trends on the scorecard pages.
	History []scorecard.HistoryEntry
	// Lint summarises the lint run that preceded the build; nil when lint
	// did not run.
	Lint *LintSummary
	// Postmortems maps an incident number to the repository path of its
	// postmortem document, so that incident pages link to it.
	Postmortems map[int]string
	// Pagefind is the Pagefind executable; "" builds without search.
	Pagefind string
	// GitHubURL is the GitHub server for edit and issue links;
	// https://github.com when empty.
	GitHubURL string
	// BaseURL overrides the configured site.base_url.
	BaseURL string
	// StaleAfter is the snapshot age from which the data is marked stale;
	// 48 hours when zero.
	StaleAfter time.Duration
}

// LintSummary is what the site shows of the lint run.
type LintSummary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// Result describes a finished build.
type Result struct {
	// Pages is how many HTML pages the site has.
	Pages int
	// Destination is the absolute path of the site.
	Destination string
	// Search is true when Pagefind indexed the site.
	Search bool
	// Prepare, Hugo, Pagefind and Publish (counting the pages, swapping
	// the new site in and removing the old one) are the time each step
	// took.
	Prepare, Hugo, Pagefind, Publish time.Duration
}

func (o *Options) validate() error {
	switch {
	case o.Config == nil:
		return errors.New("no configuration")
	case o.RepoDir == "":
		return errors.New("no repository folder")
	case o.AsOf.IsZero():
		return errors.New("no as-of time")
	}
	if !filepath.IsAbs(o.RepoDir) {
		abs, err := filepath.Abs(o.RepoDir)
		if err != nil {
			return fmt.Errorf("resolve repository folder: %w", err)
		}
		o.RepoDir = abs
	}
	if o.Destination != "" && !filepath.IsAbs(o.Destination) {
		o.Destination = filepath.Join(o.RepoDir, o.Destination)
	}
	return nil
}

// DocumentRef is what the site needs to know of a document that Hugo
// cannot tell: its kind, id and title as opsqa gives them.
type DocumentRef struct {
	Path  string // slash-separated, relative to the repository
	Kind  string
	ID    string
	Title string
}
