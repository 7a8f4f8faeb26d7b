package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/pipeline"
	"github.com/opsqa/opsqa/internal/version"
)

type initOptions struct {
	env      *Env
	Dir      string
	Starter  bool
	Force    bool
	Baseline string
	Today    string
}

func newInitCmd(env *Env, runF func(*initOptions) error) *cobra.Command {
	opts := &initOptions{env: env}
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Set up opsqa in a new folder or an existing repository",
		Long: `Set up opsqa in DIR (default: the current folder).

In a folder that holds no documents yet, init writes a starter knowledge
repository: opsqa.yaml, one document of each kind, an alert rule that leads
to its runbook, the issue forms and a workflow. It lints clean, and
'opsqa build' builds its site at once.

In an existing repository, init reads what is there and writes the
opsqa.yaml that lints it as its maintainers intend: the runbook folders
(named runbooks or playbooks, or whose files have runbook sections), their
section template (a template file, a guideline's example, or the sequence
of headings most runbooks follow), the front matter they use (required or
optional, extra keys allowed or not), the alert rule files and the scheme
of their runbook_urls. It prints what it found and why it chose each
setting, and writes the same reasons as comments in opsqa.yaml. Then it
lints the repository; with --baseline the findings are recorded so that
CI fails only on new ones.

init never replaces a file unless --force says so, and never a README.`,
		Example: `  opsqa init                       # here: adopt this repository, or start one
  opsqa init --baseline .opsqa-baseline.json
  opsqa init new-knowledge-base    # a new folder: the starter repository
  opsqa init --starter             # the starter beside what is here`,
		Args: maxArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return initRun(opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Starter, "starter", false, "write the starter repository even where documents exist (existing files are kept)")
	f.BoolVar(&opts.Force, "force", false, "replace an existing opsqa.yaml (and, with --starter, starter files)")
	f.StringVar(&opts.Baseline, "baseline", "", "record the first lint's findings in this file (relative to DIR), for 'opsqa lint --baseline'")
	f.StringVar(&opts.Today, "today", "", "date of the first lint and of the starter's reviews, YYYY-MM-DD (default: today)")
	return cmd
}

func initRun(opts *initOptions) error {
	env := opts.env
	dir := env.Dir
	if opts.Dir != "" {
		dir = opts.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(env.Dir, dir)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create %s: %w", opts.Dir, err)
		}
	}
	today, err := dateFlag(env, "today", opts.Today)
	if err != nil {
		return err
	}
	res, err := pipeline.Init(pipeline.InitOptions{Dir: dir, Starter: opts.Starter, Force: opts.Force, Baseline: opts.Baseline, Today: today,
		ActionRef: version.Read(Version).ActionRef()})
	if res != nil {
		printInit(env, res)
	}
	if err != nil {
		return pipelineError(err)
	}
	if opts.Baseline != "" {
		fmt.Fprintf(env.Out, "baseline: %d findings recorded in %s; 'opsqa lint --baseline %s' fails only on new ones\n",
			res.Baselined, opts.Baseline, opts.Baseline)
	}
	return nil
}

func printInit(env *Env, res *pipeline.InitResult) {
	w := env.Out
	if p := res.Proposal; p != nil {
		fmt.Fprintln(w, "found:")
		for _, r := range p.Reasons {
			fmt.Fprintf(w, "  %-14s %s\n", label(r.Setting), r.Value)
			fmt.Fprintf(w, "  %-14s   %s\n", "", r.Why)
		}
	} else {
		fmt.Fprintln(w, "a starter knowledge repository:")
	}
	for _, f := range res.Written {
		fmt.Fprintf(w, "wrote %s\n", f)
	}
	for _, f := range res.Kept {
		fmt.Fprintf(w, "kept  %s (it exists)\n", f)
	}
	if l := res.Lint; l != nil {
		fmt.Fprintf(w, "lint: %d files checked, %d errors, %d warnings", l.Files, l.Errors(), l.Warnings())
		if len(l.Diagnostics) > 0 {
			fmt.Fprint(w, ": 'opsqa lint' lists them")
		}
		fmt.Fprintln(w)
		for _, u := range l.Unchecked {
			fmt.Fprintf(w, "not checked: %s\n", u)
		}
	}
}

// label shortens a reason's setting to its first word for the listing.
func label(setting string) string {
	for i, c := range setting {
		if c == ' ' {
			return setting[:i]
		}
	}
	return setting
}
