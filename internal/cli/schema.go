package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/schemas"
)

type schemaExportOptions struct {
	env *Env
	Dir string
}

func newSchemaCmd(env *Env, runF func(*schemaExportOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Work with the JSON Schemas of the document kinds",
	}
	opts := &schemaExportOptions{env: env}
	export := &cobra.Command{
		Use:   "export DIR",
		Short: "Write the JSON Schemas to a folder, for editors",
		Long: `Write the JSON Schemas of every document kind and of opsqa.yaml to DIR.
Editors with the YAML language server validate front matter as you type
when a document names its schema, or when yaml.schemas in the editor's
settings maps folders to them, e.g. in .vscode/settings.json:

  "yaml.schemas": {"./schemas/runbook.schema.json": "content/runbooks/*.md"}`,
		Example: `  opsqa schema export .schemas`,
		Args:    exactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if runF != nil {
				return runF(opts)
			}
			return schemaExportRun(opts)
		},
	}
	cmd.AddCommand(export)
	return cmd
}

func schemaExportRun(opts *schemaExportOptions) error {
	dir := opts.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(opts.env.Dir, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export schemas: %w", err)
	}
	names, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil {
		return fmt.Errorf("export schemas: %w", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(schemas.FS, name)
		if err != nil {
			return fmt.Errorf("export schemas: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("export schemas: %w", err)
		}
	}
	fmt.Fprintf(opts.env.ErrOut, "wrote %d schemas to %s\n", len(names), opts.Dir)
	return nil
}
