package report

import (
	"io"
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/training"
)

// GradeComment writes the comment the grading workflow posts on a
// quiz-result issue: the verdict, the score against the pass mark, and
// per question whether it was right, with its explanation. What the
// issue itself says (question ids, the claimed score) is escaped, or not
// repeated.
func GradeComment(w io.Writer, v training.Verdict) error {
	ew := &errWriter{w: w}
	switch v.Status {
	case training.Passed, training.Failed:
		mark := "✅ passed"
		if v.Status == training.Failed {
			mark = "❌ not passed"
		}
		r := v.Result
		ew.printf("## %s: %s\n\n", MarkdownCell(v.Quiz.Title), mark)
		ew.printf("**%d %%** (%d of %d questions right); the pass mark is %d %%.\n\n", r.Score, r.Correct, r.Total, v.Quiz.PassMark)
		key := "the answer key of the version you answered"
		if v.Current {
			key = "the current answer key"
		}
		if strings.TrimSpace(v.Version) == "" {
			key += " (the submission named no version)"
		}
		ew.printf("Graded by opsqa from %s in the repository; a score stated in the issue is not used.\n\n", key)
		for i, q := range v.Quiz.Questions {
			right := !slices.Contains(r.Wrong, q.ID)
			icon := "✓ right"
			if !right {
				icon = "✗ not right"
			}
			ew.printf("%d. **%s** — %s\n", i+1, MarkdownCell(q.Text), icon)
			if q.Explanation != "" {
				for _, line := range strings.Split(strings.TrimSpace(q.Explanation), "\n") {
					ew.printf("   > %s\n", line)
				}
			}
		}
		if len(v.Unknown) > 0 {
			slices.Sort(v.Unknown)
			var ids []string
			for _, id := range v.Unknown {
				ids = append(ids, MarkdownCell(id))
			}
			ew.printf("\nAnswers to questions this quiz does not have were not counted: %s.\n", strings.Join(ids, ", "))
		}
		if v.Status == training.Failed {
			when := "the next day or later"
			if !v.RetakeFrom.IsZero() {
				when = "from " + v.RetakeFrom.UTC().Format("2006-01-02 15:04 UTC")
			}
			ew.printf("\nRead the module again and retake the quiz %s.\n", when)
		}
	case training.TooSoon:
		ew.printf("## Quiz result not graded: too soon for a retake\n\n%s. This submission does not count; submit again from the quiz page after that time.\n", MarkdownCell(capitalise(v.Why)))
	default:
		ew.printf("## Quiz result not graded\n\n%s. Open the quiz on the site again and submit the result it prepares.\n", MarkdownCell(capitalise(v.Why)))
	}
	return ew.err
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// GradeVerdict is the machine-readable verdict: what the workflow labels
// and whether it closes the issue.
type GradeVerdict struct {
	Issue  int    `json:"issue"`
	Quiz   string `json:"quiz"`
	Status string `json:"status"`
	Score  *int   `json:"score"`
	Label  string `json:"label"`
	Close  bool   `json:"close"`
}

// Verdict is v for machines: the label to add (passed, failed, too-soon
// or not-graded) and whether to close the issue (graded and too-soon
// ones are closed; one that could not be graded stays open to be fixed).
func Verdict(v training.Verdict) GradeVerdict {
	g := GradeVerdict{Issue: v.Issue, Quiz: v.QuizID, Status: string(v.Status), Label: "not-graded"}
	switch v.Status {
	case training.Passed, training.Failed:
		s := v.Result.Score
		g.Score, g.Label, g.Close = &s, string(v.Status), true
	case training.TooSoon:
		// Final: a later submission is a new issue.
		g.Label, g.Close = "too-soon", true
	}
	return g
}
