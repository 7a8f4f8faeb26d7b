package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/postmortem"
	"github.com/opsqa/opsqa/internal/quiz"
	"github.com/opsqa/opsqa/internal/review"
	"github.com/opsqa/opsqa/internal/scorecard"
	"github.com/opsqa/opsqa/internal/sitegen"
	"github.com/opsqa/opsqa/internal/ticket"
	"github.com/opsqa/opsqa/internal/training"
)

// SiteOptions says what the knowledge site is built from.
type SiteOptions struct {
	// Root is the repository root on disk.
	Root string
	// AsOf is "now", an RFC 3339 time or a date, as the command line gives
	// it. Review dates are judged against it (default: Now) and the KPIs
	// computed as of it (default: when the snapshot was taken).
	AsOf string
	// Snapshot is the ticket snapshot, relative to Root unless absolute.
	// Without one the site has no KPI figures, and says so.
	Snapshot string
	// History is the scorecard history file, relative to Root unless
	// absolute; "" means opsqa.yaml's scorecard.history, and when that is
	// not set either, no history is read or written: a build writes into
	// the repository only where the team said it may.
	History string
	// Now is the clock.
	Now func() time.Time
	// Linted, when set, is called with the lint result as soon as lint has
	// run, before the KPIs: the caller can show the findings even when a
	// later step fails. Its error stops LoadSite.
	Linted func(*LintResult) error
}

// Site is what the knowledge site is built from, and what a build says
// about it.
type Site struct {
	// Lint is the lint run over the whole repository.
	Lint *LintResult
	// Metrics is the KPI report; nil without a snapshot.
	Metrics *kpi.Metrics
	// Scorecards is the scorecard report; nil when it could not be
	// evaluated (Warnings says why).
	Scorecards *scorecard.Report
	// Training is the training records; nil without a snapshot.
	Training *training.Records
	// Warnings say what the site lacks and why, one sentence each.
	Warnings []string

	site sitegen.Options
	// historyFile is where the scorecards are recorded once the site is
	// built; "" leaves the history alone.
	historyFile string
}

// LoadSite runs lint, reads the snapshot, computes the KPIs over the six
// calendar months before the as-of time (as Metrics does) and the
// scorecards, with their history so far and today's scores. A missing
// snapshot is a warning, not an error.
func LoadSite(o SiteOptions) (*Site, error) {
	cfg, loc, err := loadConfig(o.Root)
	if err != nil {
		return nil, err
	}
	// Review dates are judged against today (or the as-of time); the KPIs
	// against the snapshot's time unless AsOf says otherwise.
	today := o.Now()
	if o.AsOf != "" {
		if today, err = parseAsOf(o.AsOf, loc, o.Now); err != nil {
			return nil, err
		}
	}
	asOf := today
	repo, err := loadRepository(o.Root)
	if err != nil {
		return nil, err
	}
	lr := repo.lint(nil, today, "")
	if o.Linted != nil {
		if err := o.Linted(lr); err != nil {
			return nil, err
		}
	}
	sum := &sitegen.LintSummary{Files: lr.Files, Errors: lr.Errors(), Warnings: lr.Warnings()}
	if c := repo.config(); c != nil {
		cfg = c
	}
	out := &Site{Lint: lr}
	// One verdict per document, on the day lint judged it, for the
	// scorecards and the pages alike.
	docs := repo.docs()
	reviews := review.All(docs, cfg, today)
	so := sitegen.Options{RepoDir: o.Root, Config: cfg, AsOf: asOf, Lint: sum, Reviews: reviews, Postmortems: map[int]string{}}
	// The site titles and finds every document as lint and the
	// scorecards do.
	// A quiz page shows what quiz.PageFor allows: an exam, by its own
	// mode or its curriculum's, no answer key.
	so.Quizzes = map[string]any{}
	exams := training.ExamQuizzes(repo.r.OfKind("curriculum"), repo.r.OfKind("module"))
	for _, d := range docs {
		so.Documents = append(so.Documents, sitegen.DocumentRef{Path: d.Path, Kind: d.Kind, ID: d.ID(), Title: d.Title()})
		if d.Kind == "quiz" {
			so.Quizzes[d.Path] = quiz.PageFor(d, exams[d.ID()])
		}
	}
	pms, warnings := postmortem.ReadAll(repo.postmortems())
	out.Warnings = append(out.Warnings, warnings...)
	for _, pm := range pms {
		if _, ok := so.Postmortems[pm.Incident]; !ok {
			so.Postmortems[pm.Incident] = pm.Path
		}
	}
	src := scorecard.Sources{Config: cfg, Docs: docs, Reviews: reviews, Alerts: repo.alerts(), Missing: map[scorecard.Source]string{}}
	k, why, err := siteKPIs(cfg, loc, o, pms)
	switch {
	case err != nil:
		return nil, err
	case k == nil:
		out.Warnings = append(out.Warnings, why+"; the site has no KPI figures")
		for _, s := range []scorecard.Source{scorecard.SourceKPI, scorecard.SourceTickets, scorecard.SourceTraining} {
			src.Missing[s] = why
		}
	default:
		so.Snapshot = k.snapshot
		asOf, so.AsOf = k.asOf, k.asOf
		so.Metrics, out.Metrics = k.metrics, k.metrics
		src.Metrics, src.Timelines, src.Snapshot = k.metrics, k.timelines, k.snapshot
		// One set of training records for the scorecards and the
		// training page, graded with the quizzes' history.
		src.Training = trainingRecords(repo, o.Root, k.snapshot, k.asOf)
		so.Training, out.Training = src.Training, src.Training
		if sum := ticket.ExcludedSummary(k.metrics.Excluded); sum != "" {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: %s ('opsqa metrics' lists them)", o.Snapshot, sum))
		}
		for _, r := range k.use.Rejected {
			out.Warnings = append(out.Warnings, fmt.Sprintf("postmortem %s left out of the KPIs for #%d: %s", r.Path, r.Incident, r.Reason))
		}
	}
	cards, err := scorecard.Evaluate(cfg, scorecard.Gather(src, asOf), asOf)
	if err != nil {
		out.Warnings = append(out.Warnings, fmt.Sprintf("no scorecards: %v", err))
	} else {
		so.Scorecards, out.Scorecards = cards, cards
		so.History = []scorecard.HistoryEntry{scorecard.Entry(cards)}
		if hist := cmp.Or(o.History, cfg.Scorecard.History); hist != "" {
			out.historyFile = hist
			if !filepath.IsAbs(out.historyFile) {
				out.historyFile = filepath.Join(o.Root, out.historyFile)
			}
			h, err := scorecard.ReadHistory(out.historyFile)
			if err != nil {
				return nil, err
			}
			so.History = scorecard.MergeHistory(h, scorecard.Entry(cards))
		}
	}
	out.site = so
	return out, nil
}

// siteKPIs computes the site's KPIs as Metrics does. Without a snapshot
// the run is nil and why says what is missing, in words for the site's
// warnings and the scorecards' "not measured".
func siteKPIs(cfg *config.Config, loc *time.Location, o SiteOptions, pms []kpi.Postmortem) (k *kpiRun, why string, err error) {
	if o.Snapshot == "" {
		return nil, "no ticket snapshot was given", nil
	}
	k, err = computeKPIs(cfg, loc, o.Root, o.Snapshot, period{asOf: o.AsOf}, o.Now, pms)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Sprintf("no snapshot at %s: run 'opsqa incidents sync'", o.Snapshot), nil
	}
	return k, "", err
}

// BuildOptions says where the site goes and how it is built.
type BuildOptions struct {
	// Destination is the site's folder, relative to the repository root
	// unless absolute; public/ when empty.
	Destination string
	// BaseURL overrides site.base_url in opsqa.yaml.
	BaseURL string
	// LookPath finds Pagefind on PATH (exec.LookPath); without Pagefind
	// the site has no search.
	LookPath func(string) (string, error)
	// Now times the steps.
	Now func() time.Time
}

// Build builds the site with the embedded Hugo, then records today's
// scorecards in the history: a failed build records nothing.
func Build(ctx context.Context, s *Site, o BuildOptions) (*sitegen.Result, error) {
	so := s.site
	so.Destination = o.Destination
	so.BaseURL = o.BaseURL
	so.Pagefind = sitegen.FindPagefind(so.RepoDir, o.LookPath)
	res, err := sitegen.Build(ctx, so, o.Now)
	if err != nil {
		return nil, err
	}
	if s.historyFile != "" && so.Scorecards != nil {
		if err := scorecard.AppendHistory(s.historyFile, scorecard.Entry(so.Scorecards)); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// ServeOptions says where the live-reloading server listens.
type ServeOptions struct {
	Bind string
	Port int
}

// Serve serves the site with live reload until the server stops. The
// figures are those of s, computed once; the history is left alone.
func Serve(s *Site, o ServeOptions) error {
	return sitegen.Serve(s.site, sitegen.ServeOptions{Bind: o.Bind, Port: o.Port})
}
