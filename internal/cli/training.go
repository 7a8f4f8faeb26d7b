package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/pipeline"
	"github.com/opsqa/opsqa/internal/report"
	"github.com/opsqa/opsqa/internal/safefile"
)

type trainingOptions struct {
	env      *Env
	Root     string
	Snapshot string
	AsOf     string
	Format   string
	Person   string
	Team     string
}

func newTrainingCmd(env *Env) *cobra.Command {
	opts := &trainingOptions{env: env}
	cmd := &cobra.Command{
		Use:   "training",
		Short: "Training records, skills matrix and recertification; grade quiz results",
		Long: `Print the training records from the quiz results in the ticket snapshot:
every result graded again from the answer key of the version answered (a
claimed score is ignored, a retake within training.retake_hours is not
counted), then per person the last score of each module, the curricula
written for their role with progress and expiry (recertify_days), the
certifications due within training.recertification_notice_days or expired,
who on call lacks which module, and the skills matrix of people by modules.

--person and --team narrow the report; --format json gives the same records
to scripts, markdown a report to paste into an issue. The scorecards'
training check and the site's training page read the same records.

Subcommands:
  grade      grade a quiz-result issue again from the answer key
  convert    import a GIFT (Moodle) or quizdown quiz, or export one to GIFT
  recertify  open or update one recertification-due issue per person

Run 'opsqa training COMMAND --help' for each one's flags.`,
		Example: `  opsqa training
  opsqa training --team operations --format markdown
  opsqa training --person li-na --format json
  opsqa training --as-of 2026-12-01

  opsqa training grade --event "$GITHUB_EVENT_PATH"
  opsqa training convert moodle-export.gift --out training/quizzes/oncall-basics-quiz.md --owner operations
  opsqa training recertify --dry-run`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			return trainingRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Root, "root", "", "repository root (default: the nearest folder up with opsqa.yaml)")
	f.StringVar(&opts.Snapshot, "snapshot", "data/snapshot.jsonl", "ticket snapshot with the quiz results, relative to the repository root")
	f.StringVar(&opts.AsOf, "as-of", "", "\"now\", RFC 3339 or YYYY-MM-DD (default: when the snapshot was taken)")
	f.StringVar(&opts.Format, "format", "text", "text, json or markdown")
	f.StringVar(&opts.Person, "person", "", "only this GitHub login")
	f.StringVar(&opts.Team, "team", "", "only this team (its id in opsqa.yaml)")
	cmd.AddCommand(newTrainingGradeCmd(env, nil))
	cmd.AddCommand(newTrainingConvertCmd(env, nil))
	cmd.AddCommand(newTrainingRecertifyCmd(env, nil))
	return cmd
}

func trainingRun(opts *trainingOptions) error {
	env := opts.env
	switch opts.Format {
	case "text", "json", "markdown":
	default:
		return usageError("unknown --format %q: use text, json or markdown", opts.Format)
	}
	root, err := repoRoot(env, opts.Root)
	if err != nil {
		return err
	}
	recs, err := pipeline.Training(pipeline.TrainingOptions{Root: root, Snapshot: opts.Snapshot, AsOf: opts.AsOf, Now: env.Now})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usageError("no snapshot at %s: run 'opsqa incidents sync' first, or pass --snapshot", opts.Snapshot)
		}
		return pipelineError(err)
	}
	if opts.Person != "" || opts.Team != "" {
		if recs, err = recs.Only(opts.Person, opts.Team); err != nil {
			return usageError("%v", err)
		}
	}
	switch opts.Format {
	case "json":
		err = report.TrainingJSON(env.Out, recs)
	case "markdown":
		err = report.TrainingMarkdown(env.Out, recs)
	default:
		err = report.TrainingText(env.Out, recs)
	}
	if err != nil {
		return fmt.Errorf("print the training records: %w", err)
	}
	return nil
}

type trainingGradeOptions struct {
	env      *Env
	Root     string
	Event    string
	Snapshot string
	Format   string
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
With --snapshot, the author's earlier quiz-result issues in it are read: a
submission sooner than training.retake_hours (default 24) after their last
graded attempt at the quiz is answered as too soon, not graded.

--format markdown (the default) prints the comment to post on the issue;
--format json prints the verdict: status (passed, failed, unknown-quiz,
unknown-version, malformed), score, the label to add and whether to close
the issue. .github/workflows/training.yml runs both on every quiz-result
issue opened or edited, and posts the comment with the workflow's token.`,
		Example: `  opsqa training grade --event "$GITHUB_EVENT_PATH"
  opsqa training grade --event event.json --format json
  opsqa training grade --event "$GITHUB_EVENT_PATH" --snapshot data/snapshot.jsonl`,
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
	f.StringVar(&opts.Snapshot, "snapshot", "", "ticket snapshot holding the author's earlier quiz results, for the retake interval")
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
	payload, err := safefile.ReadFile(event, pipeline.MaxEventSize, "an event payload")
	if err != nil {
		return usageError("read the event: %v", err)
	}
	v, err := pipeline.GradeEvent(root, payload, opts.Snapshot)
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
