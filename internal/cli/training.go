package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/pipeline"
	"github.com/opsqa/opsqa/internal/report"
)

func newTrainingCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "training",
		Short: "Grade quiz results filed as GitHub issues",
		Args:  exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			return usageError("%s needs a subcommand (grade); run '%s --help'", c.Name(), c.CommandPath())
		},
	}
	cmd.AddCommand(newTrainingGradeCmd(env, nil))
	return cmd
}

type trainingGradeOptions struct {
	env    *Env
	Root   string
	Event  string
	Format string
}

func newTrainingGradeCmd(env *Env, runF func(*trainingGradeOptions) error) *cobra.Command {
	opts := &trainingGradeOptions{env: env}
	cmd := &cobra.Command{
		Use:   "grade --event FILE",
		Short: "Grade the quiz-result issue of an issues event payload",
		Long: `Grade a quiz-result issue again from the repository's answer key: the
quiz the issue names, at the version the quiz page showed (found in the
Git history of the quiz's file when the quiz has changed since), the
answers one line per question. The issue's author is the person; a score
stated in the issue is ignored. Answers to questions the quiz does not have
are not counted, and said so; an unknown quiz or version is not graded.

--format markdown (the default) prints the comment to post on the issue;
--format json prints the verdict: status (passed, failed, unknown-quiz,
unknown-version, malformed), score, the label to add and whether to close
the issue. .github/workflows/training.yml runs both on every quiz-result
issue opened or edited, and posts the comment with the workflow's token.`,
		Example: `  opsqa training grade --event "$GITHUB_EVENT_PATH"
  opsqa training grade --event event.json --format json`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return trainingGradeRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Root, "root", "", "repository root (default: the nearest folder up with opsqa.yaml)")
	f.StringVar(&opts.Event, "event", "", "the issues event payload, as GitHub writes it to GITHUB_EVENT_PATH")
	f.StringVar(&opts.Format, "format", "markdown", "markdown (the comment) or json (the verdict)")
	return cmd
}

func trainingGradeRun(opts *trainingGradeOptions) error {
	env := opts.env
	if opts.Event == "" {
		return usageError("--event is required: the issues event payload to grade")
	}
	if opts.Format != "markdown" && opts.Format != "json" {
		return usageError("unknown --format %q: use markdown or json", opts.Format)
	}
	root, err := repoRoot(env, opts.Root)
	if err != nil {
		return err
	}
	event := opts.Event
	if !filepath.IsAbs(event) {
		event = filepath.Join(env.Dir, event)
	}
	payload, err := os.ReadFile(event)
	if err != nil {
		return usageError("read the event: %v", err)
	}
	v, err := pipeline.GradeEvent(root, payload)
	if err != nil {
		return pipelineError(err)
	}
	if opts.Format == "json" {
		enc := json.NewEncoder(env.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(report.Verdict(v))
	}
	if err := report.GradeComment(env.Out, v); err != nil {
		return fmt.Errorf("write the comment: %w", err)
	}
	return nil
}
