package schema

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/opsqa/opsqa/schemas"
)

// MaxTeamSchemaSize is the largest team schema read, 1 MiB: the
// built-in schemas are 2 to 20 KB.
const MaxTeamSchemaSize = 1 << 20

// TeamSchema is a JSON Schema of a team's own for the front matter of one
// collection: the built-in schema of the collection's kind and the team's
// rules on top (allOf with a $ref to it).
type TeamSchema struct {
	// Path is the file, slash-separated and relative to the repository.
	Path string
	Data []byte
	// Kind is the kind of the collection; the schema must extend its
	// built-in schema.
	Kind string
}

// TeamName is the name a team schema is validated by (ValidateRelaxed):
// its file name without .schema.json or .json.
func TeamName(file string) string {
	base := path.Base(file)
	return strings.TrimSuffix(strings.TrimSuffix(base, ".json"), ".schema")
}

// WithTeam returns a new set of the built-in schemas and the team's. Each
// team schema is known by its file name beside the built-ins
// (https://opsqa.dev/schemas/<file name>), so that a $ref to
// "runbook.schema.json" resolves just as it does in an editor reading the
// folder 'opsqa schema export' writes. A schema that cannot be decoded,
// takes a built-in's name, does not extend its kind's built-in schema or
// does not compile is left out; errs holds why, by path.
func WithTeam(team []TeamSchema) (s *Set, errs map[string]error) {
	s, err := load(schemas.FS)
	if err != nil {
		return nil, map[string]error{"": err}
	}
	errs = map[string]error{}
	for _, t := range team {
		name := TeamName(t.Path)
		if _, clash := s.schemas[name]; clash {
			errs[t.Path] = fmt.Errorf("%s has the name of a built-in schema: call it, say, team-%s.schema.json", t.Path, name)
			continue
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(t.Data))
		if err != nil {
			errs[t.Path] = fmt.Errorf("%s is not JSON: %v", t.Path, err)
			continue
		}
		if !refers(doc, t.Kind+".schema.json") {
			errs[t.Path] = fmt.Errorf(`%s does not extend the built-in %s schema: add "allOf": [{"$ref": "%s.schema.json"}]`, t.Path, t.Kind, t.Kind)
			continue
		}
		file := name + ".schema.json"
		if err := s.c.AddResource(BaseURL+file, doc); err != nil {
			errs[t.Path] = fmt.Errorf("%s: %v", t.Path, err)
			continue
		}
		s.raw[file] = doc
		if s.team == nil {
			s.team = map[string]bool{}
		}
		s.team[file] = true
		s.schemas[name] = &lazySchema{}
		if _, err := s.compiled(name); err != nil {
			errs[t.Path] = fmt.Errorf("%s: %v", t.Path, err)
			delete(s.schemas, name)
		}
	}
	return s, errs
}

// refers reports whether the schema holds a $ref to the named built-in
// file, by its name or its full URL.
func refers(v any, file string) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if r, ok := x.(string); ok && k == "$ref" {
				r, _, _ = strings.Cut(r, "#")
				if r == file || r == "./"+file || r == BaseURL+file {
					return true
				}
			}
			if refers(x, file) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if refers(x, file) {
				return true
			}
		}
	}
	return false
}
