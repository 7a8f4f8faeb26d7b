package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/githubsync"
	"github.com/opsqa/opsqa/internal/pipeline"
	"github.com/opsqa/opsqa/internal/report"
)

type trainingRecertifyOptions struct {
	env        *Env
	Root       string
	Snapshot   string
	AsOf       string
	Repo       string
	NoticeDays int
	DryRun     bool
	Format     string
}

func newTrainingRecertifyCmd(env *Env, runF func(*trainingRecertifyOptions) error) *cobra.Command {
	opts := &trainingRecertifyOptions{env: env}
	cmd := &cobra.Command{
		Use:   "recertify",
		Short: "Open or update one recertification-due issue per person, close those no longer due",
		Long: `Keep one open GitHub issue per person whose certification expires within
training.recertification_notice_days (default 30; --notice-days for this
run) or has expired, as the training records say ('opsqa training'): the
quiz results in the snapshot graded again from the answer key.

The issue mentions the person and is assigned to them, labelled
training.recertification_label (default recertification), and lists the
certifications due, the modules to pass again with the day each pass
expires, and links to their quizzes (on the site when site.base_url is
set, else the files on GitHub). A hidden line in the body,
<!-- opsqa:recertify person=LOGIN -->, says whose issue it is, so a run
finds the person's open issue among those with the label and edits it
instead of opening another; an issue that already says the same is left
alone. A person no longer due has their issue closed as completed, the
reason at the top of its body; a second open issue for one person is
closed as not planned. Issues with the label but no such line are not
touched.

--dry-run prints what would be done and writes nothing; with a token it
reads the open issues to say which would be updated, without one every
person due is shown as opened. --format json prints an array of
{person, action (open, update, close, none), issue, modules, expires}.

The token is read from GITHUB_TOKEN, or GH_TOKEN when GITHUB_TOKEN is
unset; it needs write access to the repository's issues. The API is
https://api.github.com unless GITHUB_API_URL is set (GITHUB_SERVER_URL
likewise for links on GitHub Enterprise Server). The token never appears
in output. .github/workflows/recertification.yml runs this weekly.

Exit status: 0 done, 2 usage or configuration error (no token, no
repository, no snapshot), 3 could not run (GitHub, file system).`,
		Example: `  opsqa training recertify --dry-run
  opsqa training recertify --dry-run --as-of 2026-11-01 --notice-days 14 --format json
  GITHUB_TOKEN=$(gh auth token) opsqa training recertify --repo northwind-parcel/operations

  # In a scheduled GitHub Actions job (permissions: issues: write):
  #   env: {GITHUB_TOKEN: ${{ github.token }}}
  #   run: opsqa incidents sync && opsqa training recertify`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return trainingRecertifyRun(c.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Root, "root", "", "repository root (default: the nearest folder up with opsqa.yaml)")
	f.StringVar(&opts.Snapshot, "snapshot", "data/snapshot.jsonl", "ticket snapshot with the quiz results, relative to the repository root")
	f.StringVar(&opts.AsOf, "as-of", "", "\"now\", RFC 3339 or YYYY-MM-DD (default: when the snapshot was taken)")
	f.StringVar(&opts.Repo, "repo", "", "repository OWNER/NAME of the issues (default: repository in opsqa.yaml)")
	f.IntVar(&opts.NoticeDays, "notice-days", 0, "days before expiry a certification is due (default: training.recertification_notice_days, else 30)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print what would be done; write nothing")
	f.StringVar(&opts.Format, "format", "text", "text or json")
	return cmd
}

func trainingRecertifyRun(ctx context.Context, opts *trainingRecertifyOptions) error {
	env := opts.env
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.Format != "text" && opts.Format != "json" {
		return usageError("unknown --format %q: use text or json", opts.Format)
	}
	if opts.NoticeDays < 0 {
		return usageError("--notice-days %d: give a number of days, 1 or more", opts.NoticeDays)
	}
	root, err := repoRoot(env, opts.Root)
	if err != nil {
		return err
	}
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		return usageError("%v", err)
	}
	repo := opts.Repo
	if repo == "" {
		repo = cfg.Repository
	}
	if repo == "" {
		return usageError("no repository: pass --repo OWNER/NAME or set repository in %s", config.FileName)
	}
	if owner, name, ok := strings.Cut(repo, "/"); !ok || owner == "" || name == "" || strings.ContainsAny(name, "/ ") {
		return usageError("repository %q is not OWNER/NAME", repo)
	}
	o := pipeline.RecertifyOptions{
		TrainingOptions: pipeline.TrainingOptions{Root: root, Snapshot: opts.Snapshot, AsOf: opts.AsOf, Now: env.Now},
		NoticeDays:      opts.NoticeDays,
		Repo:            repo,
		WebURL:          env.Getenv("GITHUB_SERVER_URL"),
		DryRun:          opts.DryRun,
		Text:            report.RecertificationIssue{},
	}
	if token := githubToken(env); token != "" {
		issues, err := githubsync.NewIssues(githubsync.IssueOptions{Repo: repo, Token: token, BaseURL: env.Getenv("GITHUB_API_URL"), HTTPClient: env.HTTPClient})
		if err != nil {
			return usageError("%v", err)
		}
		o.Tracker = githubTracker{issues}
	} else if !opts.DryRun {
		return usageError("no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that can write the issues of %s, or pass --dry-run", repo)
	}
	run, err := pipeline.Recertify(ctx, o)
	if run != nil {
		var perr error
		if opts.Format == "json" {
			perr = report.RecertificationJSON(env.Out, run)
		} else {
			perr = report.RecertificationText(env.Out, run)
		}
		if perr != nil && err == nil {
			err = fmt.Errorf("print the recertification issues: %w", perr)
		}
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usageError("no snapshot at %s: run 'opsqa incidents sync' first, or pass --snapshot", opts.Snapshot)
		}
		return pipelineError(err)
	}
	return nil
}

// githubToken is the token of GITHUB_TOKEN, or GH_TOKEN when that is
// unset, as the GitHub CLI reads them.
func githubToken(env *Env) string {
	if t := env.Getenv("GITHUB_TOKEN"); t != "" {
		return t
	}
	return env.Getenv("GH_TOKEN")
}

// githubTracker files the pipeline's issues on GitHub.
type githubTracker struct{ issues *githubsync.Issues }

func (g githubTracker) ListOpen(ctx context.Context, label string) ([]pipeline.TrackedIssue, error) {
	list, err := g.issues.ListOpen(ctx, label)
	if err != nil {
		return nil, err
	}
	out := make([]pipeline.TrackedIssue, len(list))
	for i, is := range list {
		out[i] = tracked(is)
	}
	return out, nil
}

func (g githubTracker) Create(ctx context.Context, f pipeline.IssueFields) (pipeline.TrackedIssue, error) {
	is, err := g.issues.Create(ctx, githubsync.IssueFields(f))
	return tracked(is), err
}

func (g githubTracker) Edit(ctx context.Context, number int, f pipeline.IssueFields) (pipeline.TrackedIssue, error) {
	is, err := g.issues.Edit(ctx, number, githubsync.IssueFields(f))
	return tracked(is), err
}

func tracked(is githubsync.Issue) pipeline.TrackedIssue {
	return pipeline.TrackedIssue{Number: is.Number, Title: is.Title, Body: is.Body, URL: is.HTMLURL}
}
