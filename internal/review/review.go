// Package review decides when a document is due for review and whether
// it is overdue. It is the one home of that decision: the review-overdue
// and review-date lint rules, the runbooks-reviewed scorecard check and
// the site's "review due" and "overdue" marks all take its verdict, so
// they never disagree on the boundary day.
package review

import (
	"strconv"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
)

// Status is the review state of one document on a day.
type Status struct {
	LastReviewed time.Time
	// IntervalDays is the interval in force, and IntervalFrom where it
	// comes from: "review_interval_days" or "opsqa.yaml
	// review_intervals.<kind>".
	IntervalDays int
	IntervalFrom string
	// Due is the last day the review is on time: LastReviewed plus the
	// interval.
	Due time.Time
	// Overdue is true from the day after Due; DaysOverdue counts those
	// days.
	Overdue     bool
	DaysOverdue int
	// Future is true when LastReviewed is after the day itself: a typo
	// that would keep the document out of review for months.
	Future bool
}

// Applies reports whether a document is held to a review interval: a
// document of a kind that is in use. Drafts are not in use yet,
// deprecated ones no longer; one that states no status (a collection
// whose front matter is optional) is in use.
func Applies(d *document.Document) bool {
	if d.Kind == "" {
		return false
	}
	s := d.String("status")
	return s == "active" || s == ""
}

// Of returns the review state of d on the day of today (its calendar date
// in UTC, the zone of last_reviewed dates). ok is false when the document
// is not held to an interval (Applies) or gives no valid last_reviewed
// date, which the schema rule reports.
func Of(d *document.Document, cfg *config.Config, today time.Time) (s Status, ok bool) {
	if !Applies(d) {
		return Status{}, false
	}
	last, ok := LastReviewed(d)
	if !ok {
		return Status{}, false
	}
	s.LastReviewed = last
	s.IntervalDays, s.IntervalFrom = cfg.ReviewInterval(d.Kind), "opsqa.yaml review_intervals."+d.Kind
	if _, v := d.Lookup("review_interval_days"); v != nil {
		if n, err := strconv.Atoi(v.Value); err == nil && n > 0 {
			s.IntervalDays, s.IntervalFrom = n, "review_interval_days"
		}
	}
	s.Due = last.AddDate(0, 0, s.IntervalDays)
	day := Day(today)
	if s.Due.Before(day) {
		s.Overdue = true
		s.DaysOverdue = int(day.Sub(s.Due).Hours() / 24)
	}
	s.Future = last.After(day)
	return s, true
}

// LastReviewed reads a document's last_reviewed date; ok is false when it
// is missing or not a YYYY-MM-DD date.
func LastReviewed(d *document.Document) (time.Time, bool) {
	_, v := d.Lookup("last_reviewed")
	if v == nil || v.Kind != yaml.ScalarNode {
		return time.Time{}, false
	}
	last, err := time.Parse(time.DateOnly, v.Value)
	return last, err == nil
}

// Day is t's calendar date at midnight UTC, the zone time.Parse gives
// last_reviewed: review dates carry no time, so they compare by day.
func Day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// All returns the review state on the day of today of every document held
// to an interval, by its slash-separated repository path: computed once,
// it is what lint's neighbours (the scorecards, the site) are handed.
func All(docs []*document.Document, cfg *config.Config, today time.Time) map[string]Status {
	out := map[string]Status{}
	for _, d := range docs {
		if st, ok := Of(d, cfg, today); ok {
			out[d.Path] = st
		}
	}
	return out
}
