package lint

import (
	"time"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/review"
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
		st, ok := review.Of(d, p.Config, p.Today)
		if !ok {
			if _, v := d.Lookup("last_reviewed"); v == nil && review.Applies(d) {
				p.CannotApply(d, "no last_reviewed date")
			}
			return
		}
		if !st.Overdue {
			return
		}
		_, v := d.Lookup("last_reviewed")
		p.Report(d.NodePos(v), "review the document and set last_reviewed to the date of the review",
			"review overdue: last reviewed %s, due %s (every %d days, from %s), %d %s overdue",
			v.Value, st.Due.Format(time.DateOnly), st.IntervalDays, st.IntervalFrom, st.DaysOverdue, plural(st.DaysOverdue, "day", "days"))
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
		if st, ok := review.Of(d, p.Config, p.Today); ok && st.Future {
			_, v := d.Lookup("last_reviewed")
			p.Report(d.NodePos(v), "set last_reviewed to the date the review took place",
				"last_reviewed %s is in the future (today is %s)", v.Value, review.Day(p.Today).Format(time.DateOnly))
		}
	},
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
