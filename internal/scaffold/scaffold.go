// Package scaffold writes a new document of a kind from its template: front
// matter that passes the kind's schema, and the required sections as
// headings to fill in. New documents start as drafts, so that the
// placeholders they hold do not fail lint until they are made active.
package scaffold

import (
	"bytes"
	"embed"
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/opsqa/opsqa/internal/config"
)

//go:embed templates/*.md
var templates embed.FS

// idRe is the id pattern of schemas/common.schema.json.
var idRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)

// Params fill a template.
type Params struct {
	ID       string
	Title    string
	Owner    string
	Service  string
	Today    string
	Sections []string
}

// Render returns the new document's text.
func Render(cfg *config.Config, kind, id string, today time.Time) ([]byte, error) {
	if !idRe.MatchString(id) {
		return nil, fmt.Errorf("id %q is not a slug: use lower-case letters, digits and hyphens", id)
	}
	tmpl, err := template.ParseFS(templates, "templates/"+kind+".md")
	if err != nil {
		return nil, fmt.Errorf("no template for kind %q: the kinds are %s", kind, strings.Join(config.Kinds, ", "))
	}
	p := Params{
		ID:       id,
		Title:    strings.ToUpper(id[:1]) + strings.ReplaceAll(id[1:], "-", " "),
		Owner:    "operations",
		Service:  "my-service",
		Today:    today.Format(time.DateOnly),
		Sections: cfg.RequiredSections[kind],
	}
	if len(cfg.Teams) > 0 {
		p.Owner = cfg.Teams[0].ID
	}
	if len(cfg.Services) > 0 {
		p.Service = cfg.Services[0].ID
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("render %s template: %w", kind, err)
	}
	return b.Bytes(), nil
}

// Folder returns where documents of kind live.
func Folder(cfg *config.Config, kind string) (string, bool) {
	for _, c := range cfg.Collections {
		if c.Kind == kind {
			return c.Path, true
		}
	}
	return "", false
}
