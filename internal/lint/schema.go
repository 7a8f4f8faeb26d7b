package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/repository"
	"github.com/opsqa/opsqa/internal/schema"
)

var schemaRule = Rule{
	ID:      "schema",
	Summary: "front matter matches the schema of the document's kind",
	Doc: `Each kind has a JSON Schema (schemas/<kind>.schema.json, also shipped in the
binary; "opsqa schema export DIR" writes them for editors). Unknown keys are
reported at the key with the nearest known name, wrong types and values at
the value, missing keys at the mapping that lacks them. A document in no
collection must state its kind with type:. A document of a collection
without front matter is reported once. A collection may relax its schema
in opsqa.yaml: front_matter: optional lets documents leave out required
keys or all front matter, extra_keys: allow accepts keys the schema does
not know (a site generator's weight or aliases). Fix the key or value
shown. A collection may also name a JSON Schema of the team's own
(collections[].schema), which extends the built-in one with allOf and a
$ref to <kind>.schema.json: its documents are validated against it.`,
	Severity: diag.Error,
	CheckDocument: func(p *Pass, d *document.Document) {
		if isSectionPage(d) {
			return
		}
		col, _ := p.Config.CollectionOf(d.Path)
		if d.NoFrontMatter && d.Kind != "" {
			if !col.FrontMatterOptional() {
				p.Report(d.FrontMatterPos(), fmt.Sprintf("add front matter (opsqa new %s ID shows its keys), or set front_matter: optional on the collection %s in opsqa.yaml", d.Kind, col.Path),
					"%s has no front matter; documents of %s need the keys of the %s schema", d.Path, col.Path, d.Kind)
			}
			return
		}
		if d.FrontMatter == nil && !d.NoFrontMatter {
			return // it does not parse, which the front-matter rule reports
		}
		if d.Kind == "" {
			if d.NoFrontMatter {
				return // a page beside the documents (a guide, notes): only its links are checked
			}
			p.Report(d.FrontMatterPos(), fmt.Sprintf("move it under one of the collection folders, or add type: with one of %v", config.Kinds),
				"%s is in no collection and states no type, so its kind is unknown", d.Path)
			return
		}
		// The folder decides the kind (repository.KindOf); type: may
		// only agree with it.
		stated := d.Kind
		_, typ := d.Lookup("type")
		if typ != nil && typ.Kind == yaml.ScalarNode && typ.Value != "" {
			stated = typ.Value
		}
		if !slices.Contains(config.Kinds, stated) {
			p.Report(d.NodePos(typ), "use one of the kinds listed", "unknown kind %q; the kinds are %v", stated, config.Kinds)
			return
		}
		if stated != d.Kind {
			p.Report(d.NodePos(typ), fmt.Sprintf("remove type:, or move the file to a folder of %ss", stated),
				"type %q contradicts the folder: files under %s are %ss", stated, path.Dir(d.Path), d.Kind)
			return
		}
		set, name, err := p.team.schemaFor(col, d.Kind)
		if err != nil {
			p.Report(d.FrontMatterPos(), "", "cannot load schemas: %v", err)
			return
		}
		relax := schema.Relax{OptionalKeys: col.FrontMatterOptional(), ExtraKeys: col.ExtraKeysAllowed()}
		for _, f := range set.ValidateRelaxed(name, d.Meta, d.FrontMatter, d.NodePos, d.Kind+" front matter", relax) {
			p.ReportDiagnostic(f)
		}
	},
}

var configRule = Rule{
	ID:       "config",
	Summary:  "opsqa.yaml matches its schema and its references resolve",
	Doc:      "opsqa.yaml is validated against schemas/config.schema.json: teams, services, roles, labels, targets and lint settings. Services must belong to a known team and members hold known roles, so scorecards and KPIs per team are right. Fix the key or value shown.",
	Severity: diag.Error,
	CheckRepository: func(p *Pass) {
		d := p.Repo.ConfigDoc
		if d == nil || d.FrontMatter == nil {
			return
		}
		set, err := schema.Load()
		if err != nil {
			p.Report(d.FrontMatterPos(), "", "cannot load schemas: %v", err)
			return
		}
		for _, f := range set.Validate("config", d.Meta, d.FrontMatter, d.NodePos, "opsqa.yaml") {
			p.ReportDiagnostic(f)
		}
		cfg := p.Config
		for i, c := range cfg.Collections {
			if err := p.team.errs[c.Schema]; err != nil && c.Schema != "" {
				p.Report(d.PosAt("collections", i, "schema"), "fix the schema file; until then the built-in "+c.Kind+" schema applies", "%v", err)
			}
		}
		for i, s := range cfg.Services {
			if _, ok := cfg.Team(s.Team); !ok && s.Team != "" {
				p.Report(d.PosAt("services", i, "team"), "add the team under teams, or fix the id",
					"service %q belongs to unknown team %q", s.ID, s.Team)
			}
		}
		if len(cfg.Roles) > 0 {
			for i, t := range cfg.Teams {
				for j, m := range t.Members {
					if _, ok := cfg.Role(m.Role); !ok {
						p.Report(d.PosAt("teams", i, "members", j, "role"), "add the role under roles, or fix the id",
							"member %q has unknown role %q", m.Login, m.Role)
					}
				}
			}
		}
		for i, id := range cfg.Codeowners.Reviewers {
			switch t, ok := cfg.Team(id); {
			case !ok:
				p.Report(d.PosAt("codeowners", "reviewers", i), "add the team under teams, or fix the id",
					"codeowners reviewer %q is not a team%s", id, diag.DidYouMean(id, teamIDs(p)))
			case t.GitHubTeam == "":
				p.Report(d.PosAt("codeowners", "reviewers", i), "give team "+id+" a github_team (@org/team-slug)",
					"codeowners reviewer %q has no github_team, so it is on no line of CODEOWNERS", id)
			}
		}
		for rule := range cfg.Lint.Rules {
			if !slices.Contains(p.ruleIDs, rule) {
				p.Report(d.PosAt("lint", "rules", rule), "run opsqa rules for the list of rule IDs", "unknown rule %q", rule)
			}
		}
	},
}

// isSectionPage reports whether d is a folder's index page (_index.md or
// README.md), which has no kind and only needs valid links.
func isSectionPage(d *document.Document) bool {
	base := path.Base(d.Path)
	return d.Kind == "" && (base == "_index.md" || base == "README.md")
}

// teamSchemas are the collections' own JSON Schemas (opsqa.yaml
// collections[].schema), read and compiled once per run.
type teamSchemas struct {
	set  *schema.Set      // nil when no collection names one
	errs map[string]error // by schema path: why it is not used
}

func readTeamSchemas(repo *repository.Repository) *teamSchemas {
	t := &teamSchemas{errs: map[string]error{}}
	var team []schema.TeamSchema
	for _, c := range repo.Config.Collections {
		if c.Schema == "" || slices.ContainsFunc(team, func(s schema.TeamSchema) bool { return s.Path == c.Schema }) {
			continue
		}
		data, err := repo.ReadFile(c.Schema, schema.MaxTeamSchemaSize, "a schema")
		if err != nil {
			t.errs[c.Schema] = fmt.Errorf("cannot read the schema %s of %s: %v", c.Schema, c.Path, unwrapPathError(err))
			continue
		}
		team = append(team, schema.TeamSchema{Path: c.Schema, Data: data, Kind: c.Kind})
	}
	if len(team) > 0 {
		var errs map[string]error
		t.set, errs = schema.WithTeam(team)
		maps.Copy(t.errs, errs)
	}
	return t
}

// schemaFor returns the schema set and the name of the schema documents
// of col are validated with: the team's own when it has a usable one,
// the kind's built-in otherwise.
func (t *teamSchemas) schemaFor(col config.Collection, kind string) (*schema.Set, string, error) {
	if col.Schema != "" && t.set != nil && t.errs[col.Schema] == nil {
		return t.set, schema.TeamName(col.Schema), nil
	}
	set, err := schema.Load()
	return set, kind, err
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
