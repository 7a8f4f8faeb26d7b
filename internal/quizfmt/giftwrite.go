package quizfmt

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/opsqa/opsqa/internal/quiz"
)

// WriteGIFT exports a parsed quiz document to GIFT, for Moodle, and says
// how many questions it exported: the quiz's
// title as the category, each question named by its id, its texts in
// [markdown] as written, its explanation as the general feedback (####).
//
// Single choice is written {=right ~wrong}. Multiple choice is written
// with weights and no =, which makes it a Moodle multiple-answer
// question: each correct option 100/k % (k correct options, so they sum
// to 100), each wrong option -100 %. opsqa's Grade counts a question only
// when exactly the correct options are chosen. Moodle adds up the weights
// of the chosen options, between 0 and 100 %: with these weights any
// wrong option chosen gives 0, as in opsqa, and all correct ones and no
// wrong one give 100 %, as in opsqa; but choosing some of the correct
// options and no wrong one earns partial credit in Moodle (e.g. 50 % for
// one of two), where opsqa gives none. GIFT has no all-or-nothing
// multiple-answer question to say otherwise.
//
// Problems are returned for what Moodle would not read as opsqa does: a
// question with fewer than two options or no correct one (or, single
// choice, more than one) is left out, and more than ten correct options
// give weights off Moodle's list of grades.
func WriteGIFT(q *quiz.Quiz) (gift []byte, exported int, problems []quiz.Problem) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s (%s), exported by opsqa from the quiz's answer key.\n", oneLine(q.Title, 200), q.ID)
	if q.Title != "" {
		fmt.Fprintf(&b, "$CATEGORY: $course$/top/%s\n", strings.ReplaceAll(escapeGIFT(oneLine(q.Title, 200)), "/", "//"))
	}
	for _, qu := range q.Questions {
		k := len(qu.Correct())
		skip := ""
		switch {
		case len(qu.Options) < 2:
			skip = "it has fewer than two options"
		case k == 0:
			skip = "it has no correct option"
		case !qu.Multiple && k > 1:
			skip = fmt.Sprintf("it is single choice with %d correct options", k)
		}
		if skip != "" {
			problems = append(problems, quiz.Problem{Offset: qu.Offset, Message: fmt.Sprintf("question %q not exported: %s", qu.ID, skip)})
			continue
		}
		fmt.Fprintf(&b, "\n::%s::[markdown]%s {\n", escapeGIFT(qu.ID), escapeGIFT(qu.Markdown))
		weight := ""
		if qu.Multiple {
			if k > 10 {
				problems = append(problems, quiz.Problem{Offset: qu.Offset, Message: fmt.Sprintf(
					"question %q has %d correct options: a weight of 100/%d %% is not on Moodle's list of grades, and Moodle rejects it", qu.ID, k, k)})
			}
			if k > 0 {
				weight = strconv.FormatFloat(roundTo(100/float64(k), 5), 'f', -1, 64)
			}
		}
		for _, o := range qu.Options {
			text := escapeGIFT(o.Markdown)
			switch {
			case !qu.Multiple && o.Correct:
				b.WriteString("\t=" + text + "\n")
			case !qu.Multiple:
				b.WriteString("\t~" + text + "\n")
			case o.Correct:
				b.WriteString("\t~%" + weight + "%" + text + "\n")
			default:
				b.WriteString("\t~%-100%" + text + "\n")
			}
		}
		if e := strings.TrimSpace(qu.ExplanationMarkdown); e != "" {
			b.WriteString("\t####" + escapeGIFT(e) + "\n")
		}
		b.WriteString("}\n")
		exported++
	}
	return b.Bytes(), exported, problems
}

func roundTo(x float64, places int) float64 {
	p := 1.0
	for range places {
		p *= 10
	}
	return float64(int64(x*p+0.5)) / p
}

// escapeGIFT escapes GIFT's special characters and writes line breaks as
// \n: a blank line would end the question.
func escapeGIFT(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch r {
		case '~', '=', '#', '{', '}', ':', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
