// Package starter holds the knowledge repository `opsqa init` writes into
// an empty folder: opsqa.yaml, one document of each kind, an alert rule
// that leads to its runbook, the issue forms incidents, problems,
// feedback and quiz results are filed with, and a workflow. Everything
// comes from files embedded in the binary, so init works offline, and it
// lints clean: a test says so.
package starter

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"text/template"
)

//go:embed all:files
var files embed.FS

// Params fill the starter's files.
type Params struct {
	Organisation string
	// Today is the date written as every document's last review.
	Today string
	// ActionRef is the workflows' reference to the opsqa action, with its
	// comment: "<commit> # v0.4.0".
	ActionRef string
}

// Files returns the starter's files by slash-separated path, filled in.
// The files mark their parameters [[.Like]] this, so that workflow
// expressions and Hugo shortcodes, which use braces, pass through.
func Files(p Params) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := fs.WalkDir(files, "files", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		t, err := template.New(name).Delims("[[", "]]").Option("missingkey=error").Parse(string(src))
		if err != nil {
			return fmt.Errorf("starter file %s: %w", name, err)
		}
		var b bytes.Buffer
		if err := t.Execute(&b, p); err != nil {
			return fmt.Errorf("starter file %s: %w", name, err)
		}
		out[name[len("files/"):]] = b.Bytes()
		return nil
	})
	return out, err
}
