package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/scaffold"
)

type newOptions struct {
	env  *Env
	Root string
	Kind string
	ID   string
}

func newNewCmd(env *Env, runF func(*newOptions) error) *cobra.Command {
	opts := &newOptions{env: env}
	cmd := &cobra.Command{
		Use:   "new KIND ID",
		Short: "Start a new document from the kind's template",
		Long: `Write a new document of KIND (runbook, postmortem, process, curriculum,
module, quiz) named ID into the kind's folder. The front matter passes the
kind's schema and the required sections are there to fill in. The document
starts as a draft: set status: active when it is ready for review.`,
		Example: `  opsqa new runbook redis-evictions
  opsqa new postmortem 2026-11-02-redis-evictions`,
		Args: exactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Kind, opts.ID = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return newRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Root, "root", "", "repository root (default: the nearest folder up with opsqa.yaml)")
	return cmd
}

func newRun(opts *newOptions) error {
	root, err := repoRoot(opts.env, opts.Root)
	if err != nil {
		return err
	}
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		return usageError("%v", err)
	}
	folder, ok := scaffold.Folder(cfg, opts.Kind)
	if !ok {
		return usageError("unknown kind %q: the kinds are %v", opts.Kind, config.Kinds)
	}
	text, err := scaffold.Render(cfg, opts.Kind, opts.ID, opts.env.Now())
	if err != nil {
		return usageError("%v", err)
	}
	rel := filepath.Join(folder, opts.ID+".md")
	path := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", rel, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usageError("%s exists already", rel)
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", rel, err)
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write %s: %w", rel, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	fmt.Fprintf(opts.env.Out, "created %s\n", filepath.ToSlash(rel))
	return nil
}
