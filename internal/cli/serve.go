package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/pipeline"
)

type serveOptions struct {
	env      *Env
	Root     string
	AsOf     string
	Snapshot string
	Bind     string
	Port     int
}

func newServeCmd(env *Env, runF func(*serveOptions) error) *cobra.Command {
	opts := &serveOptions{env: env}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the knowledge site with live reload while you write",
		Long: `Serve builds the knowledge site in memory with the embedded Hugo and serves
it on a local port. Edits to runbooks, processes and training show in the
browser as soon as they are saved.

KPIs and scorecards are computed once, at start; restart to pick up a new
snapshot. Lint runs too, but its errors do not stop the server: the point is
to see the page while fixing it. Search is not available while serving (the
Pagefind index is made by 'opsqa build'). The scorecard history is left
alone. Stop with Ctrl+C.`,
		Example: `  opsqa serve                      # http://localhost:1313/
  opsqa serve --port 8080 --bind 0.0.0.0`,
		Args: exactArgs(0),
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return serveRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Root, "root", "", "repository root (default: the folder holding opsqa.yaml, searched upwards)")
	f.StringVar(&opts.AsOf, "as-of", "", "\"now\", RFC 3339 or YYYY-MM-DD (default: today for review dates, the snapshot's time for the KPIs)")
	f.StringVar(&opts.Snapshot, "snapshot", "data/snapshot.jsonl", "ticket snapshot written by 'opsqa incidents sync'")
	f.StringVar(&opts.Bind, "bind", "127.0.0.1", "interface to listen on")
	f.IntVar(&opts.Port, "port", 1313, "port to listen on")
	return cmd
}

func serveRun(opts *serveOptions) error {
	if opts.Port <= 0 || opts.Port > 65535 {
		return usageError("--port %d is not a port number", opts.Port)
	}
	site, err := loadSite(opts.env, siteFlags{Root: opts.Root, AsOf: opts.AsOf, Snapshot: opts.Snapshot})
	if err != nil {
		return err
	}
	for _, w := range site.Warnings {
		fmt.Fprintf(opts.env.ErrOut, "note: %s\n", w)
	}
	return pipeline.Serve(site, pipeline.ServeOptions{Bind: opts.Bind, Port: opts.Port})
}
