package sitegen

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/review"
	"github.com/opsqa/opsqa/internal/scorecard"
	"github.com/opsqa/opsqa/internal/ticket"
)

// siteInfo is data/opsqa/site.json: what every page may show.
type siteInfo struct {
	AsOf         time.Time         `json:"as_of"`
	Repository   string            `json:"repository"`
	EditURL      string            `json:"edit_url"`
	BlobURL      string            `json:"blob_url"` // for links to files the site does not publish
	NewIssueURL  string            `json:"new_issue_url"`
	Labels       map[string]string `json:"labels"`
	Forms        map[string]string `json:"forms"`
	Search       bool              `json:"search"`
	Snapshot     *snapshotInfo     `json:"snapshot"`
	Lint         *LintSummary      `json:"lint"`
	Organisation string            `json:"organisation"`
}

// snapshotInfo is the data freshness.
type snapshotInfo struct {
	SyncedAt time.Time `json:"synced_at"`
	Tickets  int       `json:"tickets"`
	// Age is the snapshot's age at the as-of time, in words.
	Age   string `json:"age"`
	Stale bool   `json:"stale"`
}

// ticketView is one incident or problem page. Title and fields are the
// author's text, printed escaped by the templates.
type ticketView struct {
	Number      int               `json:"number"`
	Title       string            `json:"title"`
	URL         string            `json:"url,omitempty"`
	Class       ticket.Class      `json:"class"`
	Severity    string            `json:"severity"`
	Service     string            `json:"service"`
	State       ticket.State      `json:"state"`
	StateReason string            `json:"state_reason,omitempty"`
	CreatedAt   time.Time         `json:"created_at"`
	ClosedAt    *time.Time        `json:"closed_at,omitempty"`
	Author      string            `json:"author,omitempty"`
	Labels      []string          `json:"labels"`
	Fields      map[string]string `json:"fields,omitempty"`
	// Postmortem is the site path of the incident's postmortem.
	Postmortem string `json:"postmortem,omitempty"`
}

// reviewView is one document's review verdict, in
// data/opsqa/reviews.json under its repository path.
type reviewView struct {
	LastReviewed string `json:"last_reviewed"`
	Due          string `json:"due"`
	IntervalDays int    `json:"interval_days"`
	Overdue      bool   `json:"overdue"`
	DaysOverdue  int    `json:"days_overdue"`
}

func reviewViews(rs map[string]review.Status) map[string]reviewView {
	out := make(map[string]reviewView, len(rs))
	for p, r := range rs {
		out[p] = reviewView{LastReviewed: r.LastReviewed.Format(time.DateOnly), Due: r.Due.Format(time.DateOnly),
			IntervalDays: r.IntervalDays, Overdue: r.Overdue, DaysOverdue: r.DaysOverdue}
	}
	return out
}

// historyPoint is one build's score of a card.
type historyPoint struct {
	Date  string `json:"date"`
	Level string `json:"level"`
	Score *int   `json:"score"`
}

// siteData returns the data files by name.
func siteData(ms []mount, o *Options) (map[string]any, error) {
	cfg := o.Config
	gh := strings.TrimSuffix(cmp.Or(o.GitHubURL, "https://github.com"), "/")
	info := siteInfo{
		AsOf:         o.AsOf.UTC(),
		Repository:   cfg.Repository,
		Organisation: cfg.Organisation,
		Labels: map[string]string{
			"feedback":    first(cfg.Labels.Feedback, "feedback"),
			"quiz_result": first(cfg.Labels.QuizResult, "quiz-result"),
		},
		Forms:  map[string]string{"feedback": "feedback.yml", "quiz_result": "quiz-result.yml"},
		Search: o.Pagefind != "",
		Lint:   o.Lint,
	}
	if cfg.Repository != "" {
		branch := cmp.Or(cfg.DefaultBranch, "main")
		info.EditURL = fmt.Sprintf("%s/%s/edit/%s/", gh, cfg.Repository, branch)
		info.BlobURL = fmt.Sprintf("%s/%s/blob/%s/", gh, cfg.Repository, branch)
		info.NewIssueURL = fmt.Sprintf("%s/%s/issues/new", gh, cfg.Repository)
	}
	// titles by repository path; ids by kind, then id, to the page.
	titles, ids := map[string]string{}, map[string]map[string]string{}
	for _, d := range o.Documents {
		titles[d.Path] = d.Title
		page := sitePath(ms, d.Path)
		if d.Kind == "" || d.ID == "" || page == "" {
			continue
		}
		if ids[d.Kind] == nil {
			ids[d.Kind] = map[string]string{}
		}
		if _, dup := ids[d.Kind][d.ID]; !dup { // a duplicate id is lint's finding
			ids[d.Kind][d.ID] = page
		}
	}
	// Always written, empty or not: the templates index them.
	quizzes := o.Quizzes
	if quizzes == nil {
		quizzes = map[string]any{}
	}
	data := map[string]any{"site": &info, "reviews": reviewViews(o.Reviews), "titles": titles, "ids": ids, "quizzes": quizzes}
	tickets := []ticketView{}
	if s := o.Snapshot; s != nil {
		stale := cmp.Or(o.StaleAfter, 48*time.Hour)
		age := o.AsOf.Sub(s.SyncedAt)
		info.Snapshot = &snapshotInfo{SyncedAt: s.SyncedAt.UTC(), Tickets: len(s.Tickets), Age: humanAge(age), Stale: age > stale}
		// One page per number: a snapshot read from a file has no
		// duplicates left (the reader lists them), and one built
		// otherwise keeps its first, so that no page overwrites another.
		seen := make(map[int]bool, len(s.Tickets))
		for _, t := range s.Tickets {
			if t.Class != ticket.Incident && t.Class != ticket.Problem || seen[t.Number] {
				continue
			}
			seen[t.Number] = true
			v := ticketView{
				Number: t.Number, Title: t.Title, URL: t.URL, Class: t.Class,
				Severity: t.Severity, Service: t.Service, State: t.State, StateReason: string(t.StateReason),
				CreatedAt: t.CreatedAt, ClosedAt: t.ClosedAt, Author: t.Author.Login,
				Labels: t.Labels, Fields: t.Fields,
			}
			if v.Labels == nil {
				v.Labels = []string{}
			}
			if p, ok := o.Postmortems[t.Number]; ok {
				v.Postmortem = sitePath(ms, p)
			}
			tickets = append(tickets, v)
		}
	}
	data["tickets"] = tickets
	if o.Training != nil {
		data["training"] = trainingData(o.Training)
	}
	if o.Metrics != nil {
		data["metrics"] = o.Metrics
	}
	if o.Scorecards != nil {
		data["scorecards"] = o.Scorecards
		hist := map[string][]historyPoint{}
		for _, cards := range [][]scorecard.Card{o.Scorecards.Services, o.Scorecards.Teams} {
			for _, c := range cards {
				var pts []historyPoint
				for _, p := range scorecard.Trend(o.History, c.Subject, c.ID) {
					pts = append(pts, historyPoint{Date: p.Date, Level: p.Level, Score: p.Score})
				}
				if len(pts) > 0 {
					hist[c.Subject+":"+c.ID] = pts
				}
			}
		}
		data["history"] = hist
	}
	return data, nil
}

func first(s []string, def string) string {
	if len(s) > 0 && s[0] != "" {
		return s[0]
	}
	return def
}

// humanAge says how old something is: "45 min", "5 h", "3 days".
func humanAge(d time.Duration) string {
	switch {
	case d < 0:
		return "0 min"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// PostmortemsByIncident maps incident numbers to the repository path of
// their postmortem, from each document's path and its "incident" value.
// When two postmortems claim one incident, the first path in sorted order
// wins, so the link is stable from build to build.
func PostmortemsByIncident(docs map[string]int) map[int]string {
	paths := make([]string, 0, len(docs))
	for p := range docs {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	out := map[int]string{}
	for _, p := range paths {
		if n := docs[p]; n > 0 {
			if _, ok := out[n]; !ok {
				out[n] = p
			}
		}
	}
	return out
}
