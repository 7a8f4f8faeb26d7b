package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/githubsync"
	"github.com/opsqa/opsqa/internal/issueform"
	"github.com/opsqa/opsqa/internal/safefile"
	"github.com/opsqa/opsqa/internal/ticket"
)

// formFiles are the issue forms, by the class of ticket they open.
var formFiles = map[ticket.Class]string{
	ticket.Incident:   "incident.yml",
	ticket.Problem:    "problem.yml",
	ticket.Feedback:   "feedback.yml",
	ticket.QuizResult: "quiz-result.yml",
}

// formsDir is where GitHub looks for issue forms.
const formsDir = ".github/ISSUE_TEMPLATE"

func newIncidentsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incidents",
		Short: "Work with incidents and problems tracked as GitHub issues",
		Long: `Incidents, problems, feedback and quiz results are GitHub issues opened
through the issue forms in .github/ISSUE_TEMPLATE. 'opsqa incidents sync'
copies them into a local snapshot that 'opsqa metrics' and the site read,
so nothing else needs the network.`,
		Example: `  opsqa incidents sync`,
		Args:    exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			return usageError("%s needs a subcommand (sync); run '%s --help'", c.Name(), c.CommandPath())
		},
	}
	cmd.AddCommand(newIncidentsSyncCmd(env, nil))
	return cmd
}

type incidentsSyncOptions struct {
	env            *Env
	Repo           string
	Snapshot       string
	Full           bool
	AllowEmpty     bool
	Timeout        time.Duration
	RequestTimeout time.Duration
}

func newIncidentsSyncCmd(env *Env, runF func(*incidentsSyncOptions) error) *cobra.Command {
	opts := &incidentsSyncOptions{env: env}
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Copy incidents and problems from GitHub Issues into the snapshot",
		Long: `Read the repository's issues and their timelines from the GitHub REST API
and write the normalized snapshot (default data/snapshot.jsonl, relative to
the repository root) that 'opsqa metrics' and the site read.

The token is read from GITHUB_TOKEN, or GH_TOKEN when GITHUB_TOKEN is
unset; it needs read access to the repository's issues. The API is
https://api.github.com unless GITHUB_API_URL is set, as GitHub Actions sets
it on GitHub Enterprise Server. The token never appears in output.

The sync is incremental: the snapshot remembers the newest change seen and
the listing's ETag, so a re-sync asks only for issues updated since, and an
unchanged repository costs one conditional request that GitHub does not
count against the rate limit. --full reads every issue again, and drops
issues GitHub no longer lists.

Rate limits are waited out as GitHub asks, and transient failures (5xx,
timeouts, dropped connections) retried with backoff, up to a bound. The
snapshot is replaced only after a complete sync: an interrupted or failed
sync leaves it byte for byte as it was, and the next one resumes from it.

A failing or hostile server cannot hold the sync, fill the memory or take
the token elsewhere:

  - the token is sent to the API origin only (scheme, host and port of
    GITHUB_API_URL); a redirect to any other origin is refused, and at most
    5 redirects on the API origin are followed;
  - pagination stops with an error at a page linking back to one already
    read, at a next link to another origin, and past 5000 pages of issues,
    200 pages or 10000 events of one timeline;
  - an answer larger than 32 MiB is refused (of an error answer, 64 KiB is
    read); a page that is not a JSON array (null, an object) is an error,
    not an empty page;
  - --request-timeout bounds each request, its answer read whole (a request
    that runs out is retried like any transient failure); --timeout bounds
    the whole sync, rate-limit waits included; 0 turns a bound off;
  - --full refuses to replace a snapshot holding tickets with an empty
    listing unless --allow-empty says the repository really has no issues.

Tickets are classified by their labels as opsqa.yaml's labels section says
(incident, problem, feedback, quiz-result; sev1…sev4; service:<id>),
falling back to the form's service and severity answers. Bodies are read
against the issue forms; a body that does not match its form is reported
in the ticket's form_problems, not guessed at.

Exit status: 0 synced, 2 usage or configuration error (no token, no
repository, a bad --timeout), 3 could not sync (network, GitHub, a bound
above, file system).`,
		Example: `  GITHUB_TOKEN=$(gh auth token) opsqa incidents sync
  opsqa incidents sync --repo northwind-parcel/operations --snapshot data/snapshot.jsonl
  opsqa incidents sync --full    # rebuild the snapshot from scratch
  opsqa incidents sync --timeout 10m --request-timeout 1m   # a slow GitHub Enterprise Server

  # In a scheduled GitHub Actions job:
  #   env: {GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}}
  #   run: opsqa incidents sync && opsqa metrics --format markdown >> "$GITHUB_STEP_SUMMARY"`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return incidentsSyncRun(c.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Repo, "repo", "", "repository OWNER/NAME (default: repository in opsqa.yaml)")
	f.StringVar(&opts.Snapshot, "snapshot", "data/snapshot.jsonl", "snapshot file, relative to the repository root")
	f.BoolVar(&opts.Full, "full", false, "ignore the snapshot's cursor and read every issue again")
	f.BoolVar(&opts.AllowEmpty, "allow-empty", false, "let --full replace a snapshot holding tickets when GitHub lists no issues")
	f.DurationVar(&opts.Timeout, "timeout", githubsync.DefaultTimeout, "bound on the whole sync, rate-limit waits included (0: none)")
	f.DurationVar(&opts.RequestTimeout, "request-timeout", githubsync.DefaultRequestTimeout, "bound on each request, its answer read whole (0: none)")
	return cmd
}

func incidentsSyncRun(ctx context.Context, opts *incidentsSyncOptions) error {
	env := opts.env
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.Timeout < 0 || opts.RequestTimeout < 0 {
		return usageError("--timeout and --request-timeout take a positive duration such as 30s or 10m, or 0 for none")
	}
	root, err := repoRoot(env, "")
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
	token := githubToken(env)
	if token == "" {
		return usageError("no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that can read the issues of %s", repo)
	}
	forms, err := loadForms(root, env.ErrOut)
	if err != nil {
		return err
	}
	var services []string
	for _, s := range cfg.Services {
		services = append(services, s.ID)
	}
	path := opts.Snapshot
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	var progress io.Writer
	if env.ErrIsTerminal && env.Getenv("CI") == "" {
		progress = env.ErrOut
	}

	// The sync bounds each request itself (--request-timeout); a timeout
	// of the client would cut a longer one short.
	var hc *http.Client
	if env.HTTPClient != nil {
		c := *env.HTTPClient
		c.Timeout = 0
		hc = &c
	}
	stats, err := githubsync.SyncFile(ctx, path, githubsync.Options{
		Repo:           repo,
		Token:          token,
		BaseURL:        env.Getenv("GITHUB_API_URL"),
		HTTPClient:     hc,
		Now:            env.Now,
		Labels:         cfg.Labels,
		Services:       services,
		Forms:          forms,
		Progress:       progress,
		Full:           opts.Full,
		AllowEmpty:     opts.AllowEmpty,
		Timeout:        noneIfZero(opts.Timeout),
		RequestTimeout: noneIfZero(opts.RequestTimeout),
	})
	if err != nil {
		switch {
		case errors.Is(err, githubsync.ErrEmptyListing):
			err = fmt.Errorf("%w; pass --allow-empty if the repository really has no issues", err)
		case errors.Is(err, context.DeadlineExceeded):
			err = fmt.Errorf("%w (--request-timeout and --timeout set the bounds)", err)
		}
		return fmt.Errorf("sync incidents: %w", err)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d tickets fetched, %d changed, %d total; %d %s",
		repo, stats.Fetched, stats.Changed, stats.Total, stats.Requests, plural(stats.Requests, "request", "requests"))
	if stats.NotModified {
		b.WriteString(" (nothing changed: not counted against the rate limit)")
	}
	if stats.Waited > 0 {
		fmt.Fprintf(&b, ", %s waiting for rate limits and retries", stats.Waited.Round(1e9))
	}
	fmt.Fprintf(&b, " → %s\n", opts.Snapshot)
	if _, err := io.WriteString(env.Out, b.String()); err != nil {
		return err
	}
	return syncWarnings(env.ErrOut, path, opts.Snapshot, stats.Dropped)
}

// syncWarnings reports what metrics and the site will leave out of the
// snapshot just written (read back, as they read it), and the tickets
// the sync dropped from it.
func syncWarnings(w io.Writer, path, name string, dropped []ticket.Excluded) error {
	s, err := ticket.ReadSnapshot(path)
	if err != nil {
		return fmt.Errorf("sync incidents: read back %s: %w", name, err)
	}
	if sum := ticket.ExcludedSummary(s.Excluded); sum != "" {
		fmt.Fprintf(w, "opsqa: warning: %s: %s\n", name, sum)
		for i, e := range s.Excluded {
			if i == maxSyncWarnings {
				fmt.Fprintf(w, "opsqa:   … and %d more ('opsqa metrics --format json' lists them all)\n", len(s.Excluded)-i)
				break
			}
			fmt.Fprintf(w, "opsqa:   %s:%d: #%d %s: %s\n", name, e.Line, e.Number, cmp.Or(string(e.Class), "–"), e.Reason)
		}
	}
	for _, e := range dropped {
		again := "; 'opsqa incidents sync --full' reads it again"
		if e.Kind == ticket.ExcludedDuplicate {
			again = ""
		}
		fmt.Fprintf(w, "opsqa: warning: %s:%d: #%d dropped from the snapshot: %s%s\n", name, e.Line, e.Number, e.Reason, again)
	}
	return nil
}

// maxSyncWarnings is how many tickets left out a sync lists one by one.
const maxSyncWarnings = 20

// loadForms reads the issue forms. A missing form only means its tickets
// keep no fields, which is said once; a broken one is a configuration error.
func loadForms(root string, warn io.Writer) (map[ticket.Class]*issueform.Template, error) {
	forms := map[ticket.Class]*issueform.Template{}
	var missing []string
	for _, class := range []ticket.Class{ticket.Incident, ticket.Problem, ticket.Feedback, ticket.QuizResult} {
		file := filepath.Join(formsDir, formFiles[class])
		data, err := safefile.ReadFile(filepath.Join(root, file), issueform.MaxFormSize, "an issue form")
		if errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, file)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read issue form: %w", err)
		}
		t, err := issueform.ParseTemplate(data)
		if err != nil {
			return nil, usageError("%s: %v", file, err)
		}
		forms[class] = t
	}
	if len(missing) > 0 {
		fmt.Fprintf(warn, "opsqa: no issue form %s; those tickets keep no form fields\n", strings.Join(missing, ", "))
	}
	return forms, nil
}

// noneIfZero maps a flag's 0 ("no bound") to the sync's negative value
// for none; the sync takes 0 as its default.
func noneIfZero(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
