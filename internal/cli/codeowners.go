package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/pipeline"
)

type codeownersOptions struct {
	env   *Env
	Root  string
	Check bool
}

func newCodeownersCmd(env *Env, runF func(*codeownersOptions) error) *cobra.Command {
	opts := &codeownersOptions{env: env}
	cmd := &cobra.Command{
		Use:   "codeowners",
		Short: "Write .github/CODEOWNERS from the documents' owners",
		Long: `Write the generated block of .github/CODEOWNERS: a line per document whose
owner is a team with a github_team in opsqa.yaml, naming that team and the
codeowners.reviewers teams, so that branch protection asks the owners to
review changes to their documents. The block lies between the comments
"# opsqa: begin generated owners" and "# opsqa: end generated owners";
lines outside it are yours and stay as they are. GitHub applies the last
line matching a file: the block is appended at the end the first time, so
a document's own line wins over its folder's, and lines you write after
the block win over it. A team without a github_team owns nothing here,
and opsqa.yaml, no document, gets no line: write those outside the block.
The lint rule codeowners fails when the block is out of date.

With --check nothing is written: the lines to change are printed as a
diff, and the exit status is 1 when there are any.

Exit status: 0 up to date or written, 1 out of date (--check), 2 usage
or configuration error, 3 could not run.`,
		Example: `  opsqa codeowners           # write .github/CODEOWNERS
  opsqa codeowners --check   # in CI: fail when it is out of date`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return codeownersRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Root, "root", "", "repository root (default: the nearest folder up with opsqa.yaml)")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "write nothing; exit 1 and print the diff when the file is out of date")
	return cmd
}

func codeownersRun(opts *codeownersOptions) error {
	env := opts.env
	root, err := repoRoot(env, opts.Root)
	if err != nil {
		return err
	}
	res, err := pipeline.Codeowners(root, opts.Check)
	if err != nil {
		return pipelineError(err)
	}
	for _, u := range res.Unowned {
		fmt.Fprintf(env.ErrOut, "opsqa: team %s has no github_team: its %d %s no line\n", u.Team, u.Documents, plural(u.Documents, "document gets", "documents get"))
	}
	owned := fmt.Sprintf("%d %s", res.Documents, plural(res.Documents, "document", "documents"))
	switch {
	case res.Changes == 0:
		fmt.Fprintf(env.Out, "%s is up to date: the owners of %s\n", res.Path, owned)
	case opts.Check:
		fmt.Fprint(env.Out, res.Diff)
		return &exitError{code: ExitFindings, err: fmt.Errorf("%s is out of date: %d %s to change; run opsqa codeowners", res.Path, res.Changes, plural(res.Changes, "line", "lines"))}
	default:
		fmt.Fprintf(env.Out, "wrote %s: the owners of %s, %d %s changed\n", res.Path, owned, res.Changes, plural(res.Changes, "line", "lines"))
	}
	return nil
}
