package cli

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/pipeline"
)

type trainingConvertOptions struct {
	env   *Env
	File  string
	From  string
	To    string
	Out   string
	ID    string
	Owner string
	Force bool
}

func newTrainingConvertCmd(env *Env, runF func(*trainingConvertOptions) error) *cobra.Command {
	opts := &trainingConvertOptions{env: env}
	cmd := &cobra.Command{
		Use:   "convert FILE",
		Short: "Import a GIFT (Moodle) or quizdown quiz, or export a quiz to GIFT",
		Long: `Convert a quiz between opsqa's quiz documents and other tools' formats.

Import: a Moodle GIFT file or a quizdown-js Markdown file becomes a quiz
document (front matter with the id, the title, status draft, today's
last_reviewed, pass_mark 80; a heading with an {#id} per question, the options
as a task list, the feedback as the explanation). Multiple choice, multiple
answers and true/false questions convert (a missing word question with a
_____ for its blank); the others (short answer,
matching, numerical, essay, description, quizdown's sequence and pairs) are
skipped, each with a warning at its file:line:col. What opsqa cannot keep,
such as a partial credit, is a warning too. The owner is --owner; add the
description and module.

Export (--to gift): a quiz document becomes GIFT for Moodle's question bank,
each question named by its id, the explanation as its general feedback,
multiple choice as a multiple-answer question weighted so that choosing a
wrong option scores nothing, as in opsqa (Moodle still gives part marks for
some of the right options and no wrong one, where opsqa gives none).

--from is guessed from the file when left out: .gift and .txt are GIFT, a
Markdown file with a pass_mark is a quiz, other Markdown is quizdown. The
output goes to stdout, or to --out, written whole or not at all; an
existing file is replaced only with --force. Findings go to stderr. The
exit code is 1 when nothing could be converted.`,
		Example: `  opsqa training convert moodle-export.gift --out training/quizzes/oncall-basics-quiz.md --owner operations
  opsqa training convert quiz.md --from quizdown
  opsqa training convert training/quizzes/incident-response-quiz.md --to gift --out incident-response.gift`,
		Args: exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(opts)
			}
			return trainingConvertRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.From, "from", "", "gift, quizdown or quiz (default: guessed from the file)")
	f.StringVar(&opts.To, "to", "", "quiz or gift (default: gift for a quiz, quiz for the others)")
	f.StringVar(&opts.Out, "out", "", "file to write (default: stdout)")
	f.StringVar(&opts.ID, "id", "", "id of the imported quiz (default: the name of --out, else of FILE)")
	f.StringVar(&opts.Owner, "owner", "", "owner of the imported quiz: a team id of opsqa.yaml")
	f.BoolVar(&opts.Force, "force", false, "replace --out if it exists")
	return cmd
}

func trainingConvertRun(opts *trainingConvertOptions) error {
	env := opts.env
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(env.Dir, p)
	}
	res, err := pipeline.Convert(pipeline.ConvertOptions{
		File: abs(opts.File), Name: filepath.ToSlash(opts.File), From: opts.From, To: opts.To,
		ID: opts.ID, Owner: opts.Owner, Today: env.Now(), Out: abs(opts.Out), Force: opts.Force,
	})
	if err != nil {
		return pipelineError(err)
	}
	for _, d := range res.Diagnostics {
		fmt.Fprintf(env.ErrOut, "%s\n", d)
	}
	if res.Output != nil {
		if opts.Out == "" {
			if _, err := env.Out.Write(res.Output); err != nil {
				return fmt.Errorf("write the %s: %w", res.To, err)
			}
		} else {
			fmt.Fprintf(env.ErrOut, "%d questions written to %s\n", res.Questions, opts.Out)
		}
	}
	if res.Errors() {
		return errFindings
	}
	return nil
}
