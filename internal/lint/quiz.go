package lint

import (
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/quiz"
)

var quizRule = Rule{
	ID:      "quiz",
	Summary: "quiz questions are well formed and have stable ids",
	Doc: `A quiz question is a heading with a stable id ("## Question? {#q-id}"),
then a task list of options: ordered ("1. [x]") for single choice, with
exactly one correct option; unordered ("- [x]") for multiple choice, with at
least one. Each question ends with a blockquote explaining the answer, so
that a trainee learns from a mistake. Results are re-graded by question id,
so ids must be explicit and unique: a heading reworded later keeps its id.
Fix the question shown.`,
	Severity: diag.Error,
	Kinds:    []string{"quiz"},
	CheckDocument: func(p *Pass, d *document.Document) {
		q := quiz.Parse(d)
		if len(q.Questions) == 0 && d.FrontMatter != nil {
			p.Report(d.Pos(len(d.Source)), "add ## headings, one per question, each with a task list of options", "quiz has no questions")
		}
		seen := map[string]bool{}
		for _, qu := range q.Questions {
			pos := d.BodyPos(qu.Offset)
			for _, pr := range qu.Problems {
				p.Report(d.BodyPos(pr.Offset), "write options as a task list: 1. [x] for single choice, - [x] for multiple", "%s", pr.Message)
			}
			if !qu.Explicit {
				p.Report(pos, "end the heading with {#"+qu.ID+"}", "question %q has no explicit id; rewording it would change its id and break re-grading", qu.Text)
			}
			if seen[qu.ID] {
				p.Report(pos, "give each question its own id", "duplicate question id %q", qu.ID)
			}
			seen[qu.ID] = true
			if len(qu.Options) == 0 {
				continue
			}
			correct := len(qu.Correct())
			switch {
			case correct == 0:
				p.Report(pos, "mark the right option with [x]", "question %q has no correct option", qu.ID)
			case !qu.Multiple && correct > 1:
				p.Report(pos, "keep one [x], or use an unordered list (- [x]) for multiple choice", "single-choice question %q has %d correct options", qu.ID, correct)
			}
			if len(qu.Options) < 2 && len(qu.Problems) == 0 {
				p.Report(pos, "add at least one wrong option", "question %q has only one option", qu.ID)
			}
			if qu.Explanation == "" {
				p.Report(pos, "add a > blockquote after the options saying why the answer is right", "question %q has no explanation", qu.ID)
			}
		}
	},
}
