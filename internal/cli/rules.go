package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/pipeline"
)

type rulesOptions struct {
	env    *Env
	Format string
	Rule   string
}

func newRulesCmd(env *Env, runF func(*rulesOptions) error) *cobra.Command {
	opts := &rulesOptions{env: env}
	cmd := &cobra.Command{
		Use:   "rules [RULE]",
		Short: "List the lint rules with their documentation",
		Long: `List every lint rule: its ID, default severity, what it checks, why, and how
to fix what it finds. Give a rule ID to see only that rule. Severities can be
changed, or a rule turned off, in opsqa.yaml under lint.rules.`,
		Example: `  opsqa rules
  opsqa rules required-sections
  opsqa rules --format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Rule = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return rulesRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

type ruleDoc struct {
	ID       string   `json:"id"`
	Severity string   `json:"severity"`
	Kinds    []string `json:"kinds"`
	Summary  string   `json:"summary"`
	Doc      string   `json:"doc"`
}

func rulesRun(opts *rulesOptions) error {
	var docs []ruleDoc
	for _, r := range pipeline.Rules() {
		if opts.Rule != "" && r.ID != opts.Rule {
			continue
		}
		kinds := r.Kinds
		if kinds == nil {
			kinds = []string{}
		}
		docs = append(docs, ruleDoc{ID: r.ID, Severity: r.Severity.String(), Kinds: kinds, Summary: r.Summary, Doc: r.Doc})
	}
	if len(docs) == 0 {
		return usageError("unknown rule %q: run opsqa rules for the list", opts.Rule)
	}
	w := opts.env.Out
	switch opts.Format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(docs)
	case "text":
		for i, d := range docs {
			if i > 0 {
				fmt.Fprintln(w)
			}
			applies := ""
			if len(d.Kinds) > 0 {
				applies = " · " + strings.Join(d.Kinds, ", ")
			}
			fmt.Fprintf(w, "%s (%s%s)\n  %s\n\n", d.ID, d.Severity, applies, d.Summary)
			for _, line := range strings.Split(strings.TrimSpace(d.Doc), "\n") {
				fmt.Fprintf(w, "  %s\n", line)
			}
		}
		return nil
	}
	return usageError("unknown --format %q: use text or json", opts.Format)
}
