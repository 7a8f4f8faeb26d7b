package cli

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/safefile"
	"github.com/opsqa/opsqa/internal/schema"
	"github.com/opsqa/opsqa/schemas"
)

type schemaExportOptions struct {
	env  *Env
	Dir  string
	Root string
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
		Long: `Write the JSON Schemas of every document kind and of opsqa.yaml to DIR,
with the team's own schemas that opsqa.yaml's collections name
(collections[].schema), each beside the built-in one it extends, so that
its "$ref": "runbook.schema.json" resolves in the editor as it does in
opsqa lint. Editors with the YAML language server validate front matter as
you type when yaml.schemas in the editor's settings maps folders to them;
export prints that mapping for the collections, for .vscode/settings.json:

  "yaml.schemas": {"./schemas/runbook.schema.json": ["content/runbooks/**/*.md"]}`,
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
	export.Flags().StringVar(&opts.Root, "root", "", "repository root whose collections' schemas are exported too (default: the nearest folder up with opsqa.yaml)")
	cmd.AddCommand(export)
	return cmd
}

func schemaExportRun(opts *schemaExportOptions) error {
	env := opts.env
	dir := opts.Dir
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(env.Dir, dir)
	}
	root, err := repoRoot(env, opts.Root)
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	names, err := fs.Glob(schemas.FS, "*.schema.json")
	if err != nil {
		return fmt.Errorf("export schemas: %w", err)
	}
	for _, name := range names {
		if files[name], err = fs.ReadFile(schemas.FS, name); err != nil {
			return fmt.Errorf("export schemas: %w", err)
		}
	}
	// The collections' schemas, and which files each one checks.
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		return usageError("%v", err)
	}
	mapping := map[string][]string{}
	for _, c := range cfg.Collections {
		name := c.Kind + ".schema.json"
		if c.Schema != "" {
			name = schema.TeamName(c.Schema) + ".schema.json"
			if slices.Contains(names, name) {
				return usageError("the schema %s of %s has the name of a built-in schema: rename it", c.Schema, c.Path)
			}
			data, err := safefile.ReadFile(filepath.Join(root, filepath.FromSlash(c.Schema)), schema.MaxTeamSchemaSize, "a schema")
			if err != nil {
				return usageError("the schema of %s: %v", c.Path, err)
			}
			files[name] = data
		}
		glob := strings.TrimSuffix(c.Path, "/") + "/**/*.md"
		key := "./" + filepath.ToSlash(filepath.Join(opts.Dir, name))
		if !slices.Contains(mapping[key], glob) {
			mapping[key] = append(mapping[key], glob)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export schemas: %w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return fmt.Errorf("export schemas: %w", err)
		}
	}
	fmt.Fprintf(env.ErrOut, "wrote %d schemas to %s\n", len(files), opts.Dir)
	settings, err := json.MarshalIndent(map[string]any{"yaml.schemas": mapping}, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Out, "%s\n", settings)
	return nil
}
