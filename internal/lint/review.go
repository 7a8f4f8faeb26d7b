package lint

import (
	"strconv"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

var reviewOverdueRule = Rule{
	ID:      "review-overdue",
	Summary: "active documents are reviewed within their interval",
	Doc: `An active document is due for review review_interval_days after its
last_reviewed date, or, without that key, after the interval opsqa.yaml
review_intervals sets for its kind (runbooks every 180 days by default).
A runbook nobody has read since the system changed sends the on-call
engineer down the wrong path. The finding says when the review was due and
how many days ago. Review the document with its owners and set
last_reviewed to the date of the review. It is a warning by default: an
overdue review does not make a document wrong; set it to error in
opsqa.yaml lint.rules to enforce reviews.`,
	Severity: diag.Warning,
	CheckDocument: func(p *Pass, d *document.Document) {
		v, last, ok := lastReviewed(d)
		if !ok {
			return
		}
		interval := p.Config.ReviewInterval(d.Kind)
		source := "opsqa.yaml review_intervals." + d.Kind
		if _, iv := d.Lookup("review_interval_days"); iv != nil {
			if n, err := strconv.Atoi(iv.Value); err == nil && n > 0 {
				interval, source = n, "review_interval_days"
			}
		}
		due := last.AddDate(0, 0, interval)
		today := dateOf(p.Today)
		if !due.Before(today) {
			return
		}
		days := int(today.Sub(due).Hours() / 24)
		p.Report(d.NodePos(v), "review the document and set last_reviewed to the date of the review",
			"review overdue: last reviewed %s, due %s (every %d days, from %s), %d %s overdue",
			v.Value, due.Format(time.DateOnly), interval, source, days, plural(days, "day", "days"))
	},
}

var reviewDateRule = Rule{
	ID:      "review-date",
	Summary: "last_reviewed is not in the future",
	Doc: `An active document's last_reviewed date cannot be later than today: a
future date, usually a typo in the year or month, would keep the
document out of review reminders for months. It is an error, unlike
review-overdue, and a rule of its own because a rule has one severity.
Set last_reviewed to the date the review took place.`,
	Severity: diag.Error,
	CheckDocument: func(p *Pass, d *document.Document) {
		v, last, ok := lastReviewed(d)
		if !ok {
			return
		}
		if today := dateOf(p.Today); last.After(today) {
			p.Report(d.NodePos(v), "set last_reviewed to the date the review took place",
				"last_reviewed %s is in the future (today is %s)", v.Value, today.Format(time.DateOnly))
		}
	},
}

// lastReviewed returns the last_reviewed value of an active document of a
// kind, and its date. ok is false for drafts, deprecated documents, and
// values the schema rule reports as malformed.
func lastReviewed(d *document.Document) (v *yaml.Node, last time.Time, ok bool) {
	if d.Kind == "" || d.String("status") != "active" {
		return nil, time.Time{}, false
	}
	_, v = d.Lookup("last_reviewed")
	if v == nil || v.Kind != yaml.ScalarNode {
		return nil, time.Time{}, false
	}
	last, err := time.Parse(time.DateOnly, v.Value)
	if err != nil {
		return nil, time.Time{}, false
	}
	return v, last, true
}

// dateOf is t's calendar date at midnight UTC, the zone time.Parse gives
// last_reviewed.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
