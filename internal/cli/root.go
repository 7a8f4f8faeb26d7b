// Package cli is the opsqa command line: one file per command, each with an
// options struct filled by cobra and a run function that does the work
// through the packages below it. Nothing outside this package imports cobra.
package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/version"
)

// Version names the version when set at build time with -ldflags
// "-X ...cli.Version=v1.2.3"; otherwise the version comes from the build
// information (the module version go install built, the commit of a
// checkout).
var Version = "dev"

// Main runs opsqa with args and returns the process exit code.
func Main(args []string, env *Env) int {
	root := newRootCmd(env)
	root.SetArgs(args)
	err := root.Execute()
	if err != nil && !errors.Is(err, errFindings) && !errors.Is(err, errTargetMissed) {
		fmt.Fprintf(env.ErrOut, "opsqa: %v\n", err)
	}
	return exitCode(err)
}

func newRootCmd(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "opsqa",
		Short: "Operations runbooks, processes and training as code, measured",
		Long: `opsqa keeps an operations team's runbooks, process standards, training and
quizzes as Markdown in Git, checks them, measures service quality from
incidents tracked as GitHub issues, and publishes a knowledge site.`,
		Example: `  opsqa lint                      # check every document in the repository
  opsqa metrics --as-of 2026-11-01 # KPIs against the targets
  opsqa build                     # lint, compute KPIs, build the site into public/`,
		Version:       version.Read(Version).String(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(env.In)
	root.SetOut(env.Out)
	root.SetErr(env.ErrOut)
	// Flag mistakes are usage errors (exit 2), not failures to run.
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%v\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	root.AddCommand(
		// Commands, one file each. Keep this list sorted.
		newBuildCmd(env, nil),
		newCodeownersCmd(env, nil),
		newIncidentsCmd(env),
		newInitCmd(env, nil),
		newTrainingCmd(env),
		newLintCmd(env, nil),
		newMetricsCmd(env, nil),
		newNewCmd(env, nil),
		newRulesCmd(env, nil),
		newSchemaCmd(env, nil),
		newServeCmd(env, nil),
	)
	return root
}

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError("%s takes %d argument(s), got %d: %s", c.CommandPath(), n, len(args), strings.Join(args, " "))
		}
		return nil
	}
}

// maxArgs is cobra.MaximumNArgs with a usage error.
func maxArgs(n int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) > n {
			return usageError("%s takes at most %d argument(s), got %d: %s", c.CommandPath(), n, len(args), strings.Join(args, " "))
		}
		return nil
	}
}
