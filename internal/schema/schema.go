// Package schema validates front matter and opsqa.yaml against the JSON
// Schemas in schemas/, and maps each error back to the YAML line and column
// it is about: the key for an unknown property, the value for a wrong type
// or enum value, the parent for a missing key.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/schemas"
)

// Rule is the rule ID of schema findings.
const Rule = "schema"

// BaseURL is the $id prefix of the shipped schemas.
const BaseURL = "https://opsqa.dev/schemas/"

// Set holds the shipped schemas. Each is compiled on first use: a run
// that lints one runbook needs two of the eleven, and compiling all of
// them took longer than the rest of such a run.
type Set struct {
	schemas map[string]*lazySchema // by name: a kind, "config", …
	raw     map[string]any         // schema file name → decoded JSON, for descriptions and property names
	team    map[string]bool        // the file names of the team's schemas among them
	mu      sync.Mutex             // the compiler is not safe for concurrent use
	c       *jsonschema.Compiler
}

type lazySchema struct {
	once sync.Once
	sch  *jsonschema.Schema
	err  error
}

var (
	loadOnce sync.Once
	loaded   *Set
	loadErr  error
)

// Load reads the shipped schemas once; they are immutable, so every
// caller shares them.
func Load() (*Set, error) {
	loadOnce.Do(func() { loaded, loadErr = load(schemas.FS) })
	return loaded, loadErr
}

func load(fsys fs.FS) (*Set, error) {
	names, err := fs.Glob(fsys, "*.schema.json")
	if err != nil {
		return nil, fmt.Errorf("list schemas: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // dates must be real dates, not just digits in place
	s := &Set{schemas: map[string]*lazySchema{}, raw: map[string]any{}, c: c}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read schema %s: %w", name, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("decode schema %s: %w", name, err)
		}
		if err := c.AddResource(BaseURL+name, doc); err != nil {
			return nil, fmt.Errorf("add schema %s: %w", name, err)
		}
		s.raw[name] = doc
		s.schemas[strings.TrimSuffix(name, ".schema.json")] = &lazySchema{}
	}
	return s, nil
}

// compiled returns the named schema, compiling it on first use; nil when
// there is no such schema.
func (s *Set) compiled(name string) (*jsonschema.Schema, error) {
	l, ok := s.schemas[name]
	if !ok {
		return nil, nil
	}
	l.once.Do(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		l.sch, l.err = s.c.Compile(BaseURL + name + ".schema.json")
		if l.err != nil {
			l.err = fmt.Errorf("compile schema %s: %w", name, l.err)
		}
	})
	return l.sch, l.err
}

// Has reports whether a schema of that name (a kind, "config", …) exists.
func (s *Set) Has(name string) bool { _, ok := s.schemas[name]; return ok }

// Locator maps a front matter node to its position in the file.
type Locator func(*yaml.Node) diag.Position

// Relax loosens a schema at the top of a document, for a collection whose
// documents were not written for opsqa: keys the schema requires may be
// left out, keys it does not know may be added. What is given is still
// checked: a misspelt status is wrong whether or not status is required.
// Only the built-in schemas are loosened: what a team's own schema
// requires on top of them, it requires.
type Relax struct {
	OptionalKeys bool
	ExtraKeys    bool
}

// Validate checks value (JSON-compatible values converted from root)
// against the named schema and returns findings positioned through loc.
// what names the document in messages ("runbook front matter").
func (s *Set) Validate(name string, value any, root *yaml.Node, loc Locator, what string) []diag.Diagnostic {
	return s.ValidateRelaxed(name, value, root, loc, what, Relax{})
}

// ValidateRelaxed is Validate with the top-level requirements loosened.
func (s *Set) ValidateRelaxed(name string, value any, root *yaml.Node, loc Locator, what string, relax Relax) []diag.Diagnostic {
	sch, err := s.compiled(name)
	switch {
	case err != nil:
		return []diag.Diagnostic{{Pos: loc(root), Severity: diag.Error, Rule: Rule, Message: err.Error()}}
	case sch == nil:
		return []diag.Diagnostic{{Pos: loc(root), Severity: diag.Error, Rule: Rule, Message: fmt.Sprintf("no schema for %q", name)}}
	}
	err = sch.Validate(value)
	if err == nil {
		return nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return []diag.Diagnostic{{Pos: loc(root), Severity: diag.Error, Rule: Rule, Message: err.Error()}}
	}
	m := mapper{set: s, root: root, loc: loc, what: what, relax: relax}
	if s.team[name+".schema.json"] {
		// A team schema extends a built-in one with allOf, whose
		// additionalProperties cannot see the keys the team adds.
		m.teamKeys = s.propertyNames(BaseURL + name + ".schema.json")
	}
	for _, leaf := range mergeLeaves(leaves(verr, nil)) {
		m.report(leaf)
	}
	diag.Sort(m.out)
	return slices.CompactFunc(m.out, func(a, b diag.Diagnostic) bool { return a.Pos == b.Pos && a.Message == b.Message })
}

// leaves collects the errors that say something specific; the groups
// above them ("allOf failed", "doesn't validate with …") do not.
func leaves(e *jsonschema.ValidationError, out []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return append(out, e)
	}
	for _, c := range e.Causes {
		out = leaves(c, out)
	}
	return out
}

// mergeLeaves joins type errors at one location (the branches of a oneOf:
// "want string" and "want array" become "want string or array").
func mergeLeaves(ls []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	byLoc := map[string]*kind.Type{}
	var out []*jsonschema.ValidationError
	for _, l := range ls {
		t, ok := l.ErrorKind.(*kind.Type)
		if !ok {
			out = append(out, l)
			continue
		}
		key := strings.Join(l.InstanceLocation, "\x00")
		if prev, ok := byLoc[key]; ok {
			for _, w := range t.Want {
				if !slices.Contains(prev.Want, w) {
					prev.Want = append(prev.Want, w)
				}
			}
			continue
		}
		cp := *t
		byLoc[key] = &cp
		out = append(out, &jsonschema.ValidationError{SchemaURL: l.SchemaURL, InstanceLocation: l.InstanceLocation, ErrorKind: &cp})
	}
	// A oneOf whose branches all failed on type has said it all; a bare
	// "oneOf failed" next to them adds nothing.
	return slices.DeleteFunc(out, func(l *jsonschema.ValidationError) bool {
		_, isOneOf := l.ErrorKind.(*kind.OneOf)
		_, typed := byLoc[strings.Join(l.InstanceLocation, "\x00")]
		return isOneOf && typed
	})
}

type mapper struct {
	set   *Set
	root  *yaml.Node
	loc   Locator
	what  string
	relax Relax
	// teamKeys are the top-level keys a team schema adds to the built-in.
	teamKeys []string
	out      []diag.Diagnostic
}

func (m *mapper) add(n *yaml.Node, msg, fix string) {
	m.out = append(m.out, diag.Diagnostic{Pos: m.loc(n), Severity: diag.Error, Rule: Rule, Message: msg, Fix: fix})
}

func (m *mapper) report(e *jsonschema.ValidationError) {
	path := e.InstanceLocation
	key, value := m.find(path)
	name := "front matter"
	if len(path) > 0 {
		name = strconv.Quote(strings.Join(path, "."))
	}
	p := message.NewPrinter(message.MatchLanguage("en"))
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		if len(path) == 0 && m.relax.ExtraKeys && m.set.builtin(e.SchemaURL) {
			return
		}
		allowed := m.set.propertyNames(e.SchemaURL)
		for _, prop := range k.Properties {
			if len(path) == 0 && reserved(prop) {
				continue // the common schema's false schema says why
			}
			if len(path) == 0 && slices.Contains(m.teamKeys, prop) {
				continue
			}
			pk, _ := m.find(append(slices.Clone(path), prop))
			msg := fmt.Sprintf("unknown key %q in %s", prop, m.where(path))
			fix := "remove it, or see the schema for the keys this kind takes"
			if s := diag.Suggest(prop, allowed); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
				fix = fmt.Sprintf("rename it to %q", s)
			}
			m.add(pk, msg, fix)
		}
	case *kind.FalseSchema:
		prop := path[len(path)-1]
		msg := fmt.Sprintf("key %q is not allowed in %s", prop, m.where(path[:len(path)-1]))
		fix := "remove it"
		if reserved(prop) && len(path) == 1 {
			msg = fmt.Sprintf("key %q is reserved by Hugo and fails the site build", prop)
			fix = "state the kind with type:, or let the folder decide it"
		}
		m.add(key, msg, fix)
	case *kind.Required:
		if len(path) == 0 && m.relax.OptionalKeys && m.set.builtin(e.SchemaURL) {
			return
		}
		target := key // the parent's key: the mapping that lacks the key
		if len(path) == 0 {
			target = nil // the front matter as a whole
		}
		for _, miss := range k.Missing {
			m.add(target, fmt.Sprintf("missing required key %q in %s", miss, m.where(path)),
				fmt.Sprintf("add %s: %s", miss, m.set.hint(e.SchemaURL, miss)))
		}
	case *kind.Type:
		m.add(value, fmt.Sprintf("%s must be %s, not %s", name, strings.Join(k.Want, " or "), k.Got),
			typeFix(k.Want))
	case *kind.Enum:
		var want []string
		for _, w := range k.Want {
			want = append(want, fmt.Sprint(w))
		}
		msg := fmt.Sprintf("%s is %s; it must be one of %s", name, display(k.Got), strings.Join(want, ", "))
		fix := "use one of the listed values"
		if got, ok := k.Got.(string); ok {
			if s := diag.Suggest(got, want); s != "" {
				msg = fmt.Sprintf("%s is %q; did you mean %q? (one of %s)", name, got, s, strings.Join(want, ", "))
				fix = fmt.Sprintf("write %q", s)
			}
		}
		m.add(value, msg, fix)
	case *kind.Const:
		m.add(value, fmt.Sprintf("%s is %s; in this folder it must be %s", name, display(k.Got), display(k.Want)),
			"remove it, or move the document to the folder of its kind")
	case *kind.Format:
		m.add(value, fmt.Sprintf("%s is %s, which is not a valid %s", name, display(k.Got), k.Want), formatFix(k.Want))
	case *kind.Pattern:
		msg := fmt.Sprintf("%s is %q, which is not of the expected form", name, k.Got)
		if d := m.set.description(e.SchemaURL); d != "" {
			msg += ": " + strings.TrimSuffix(d, ".")
		}
		m.add(value, msg, "make it match the pattern "+k.Want)
	default:
		m.add(value, fmt.Sprintf("%s: %s", name, e.ErrorKind.LocalizedString(p)), "")
	}
}

func (m *mapper) where(path []string) string {
	if len(path) == 0 {
		return m.what
	}
	return strconv.Quote(strings.Join(path, "."))
}

// find returns the key and value nodes at a JSON instance location. Where
// the location does not exist in the YAML (a missing key), it returns the
// nearest existing ancestor.
func (m *mapper) find(path []string) (key, value *yaml.Node) {
	value = m.root
	for _, seg := range path {
		if value == nil {
			return key, nil
		}
		for value.Kind == yaml.AliasNode && value.Alias != nil {
			value = value.Alias
		}
		switch value.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(value.Content); i += 2 {
				if value.Content[i].Value == seg {
					key, value, found = value.Content[i], value.Content[i+1], true
					break
				}
			}
			if !found {
				return key, value
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(value.Content) {
				return key, value
			}
			key, value = value.Content[i], value.Content[i]
		default:
			return key, value
		}
	}
	if key == nil {
		key = value
	}
	return key, value
}

// schemaAt resolves a schema URL (file#/json/pointer) in the raw documents.
func (s *Set) schemaAt(u string) map[string]any {
	file, frag, _ := strings.Cut(strings.TrimPrefix(u, BaseURL), "#")
	cur, _ := s.raw[file].(map[string]any)
	for _, seg := range strings.Split(strings.Trim(frag, "/"), "/") {
		if seg == "" || cur == nil {
			continue
		}
		seg, _ = url.PathUnescape(strings.NewReplacer("~1", "/", "~0", "~").Replace(seg))
		cur, _ = cur[seg].(map[string]any)
	}
	return cur
}

// propertyNames lists the keys a schema object allows, including those of
// the schemas it composes with allOf.
func (s *Set) propertyNames(u string) []string {
	names, _ := s.keys(u)
	return names
}

// Keys lists the top-level keys the named schema (a kind) allows and
// those it requires, including those of the schemas it composes with
// allOf.
func (s *Set) Keys(name string) (known, required []string) {
	return s.keys(BaseURL + name + ".schema.json")
}

func (s *Set) keys(u string) (known, required []string) {
	var collect func(map[string]any, string)
	collect = func(sch map[string]any, base string) {
		if props, ok := sch["properties"].(map[string]any); ok {
			for k, v := range props {
				if v != false {
					known = append(known, k)
				}
			}
		}
		if req, ok := sch["required"].([]any); ok {
			for _, k := range req {
				if k, ok := k.(string); ok {
					required = append(required, k)
				}
			}
		}
		if all, ok := sch["allOf"].([]any); ok {
			for _, a := range all {
				if am, ok := a.(map[string]any); ok {
					if ref, ok := am["$ref"].(string); ok {
						if !strings.Contains(ref, ".json") {
							ref = base + ref
						}
						collect(s.schemaAt(BaseURL+ref), base)
					}
				}
			}
		}
	}
	file, _, _ := strings.Cut(strings.TrimPrefix(u, BaseURL), "#")
	collect(s.schemaAt(u), file)
	sort.Strings(known)
	sort.Strings(required)
	return slices.Compact(known), slices.Compact(required)
}

// builtin reports whether the schema at u is one of the shipped ones,
// not a team's.
func (s *Set) builtin(u string) bool {
	file, _, _ := strings.Cut(strings.TrimPrefix(u, BaseURL), "#")
	_, team := s.team[file]
	return strings.HasPrefix(u, BaseURL) && !team
}

// description is the description of the schema at u, following a $ref.
func (s *Set) description(u string) string {
	sch := s.schemaAt(u)
	if d, ok := sch["description"].(string); ok {
		return d
	}
	if ref, ok := sch["$ref"].(string); ok {
		file, _, _ := strings.Cut(strings.TrimPrefix(u, BaseURL), "#")
		if !strings.Contains(ref, ".json") {
			ref = file + ref
		}
		if d, ok := s.schemaAt(BaseURL + ref)["description"].(string); ok {
			return d
		}
	}
	return ""
}

// hint describes what a missing key holds, from its schema.
func (s *Set) hint(u, prop string) string {
	file, frag, _ := strings.Cut(strings.TrimPrefix(u, BaseURL), "#")
	if d := s.description(BaseURL + file + "#" + strings.TrimSuffix(frag, "/") + "/properties/" + prop); d != "" {
		return strings.TrimSuffix(d, ".")
	}
	return "see the schema"
}

// reserved are the front matter keys Hugo claims for itself.
func reserved(key string) bool { return key == "kind" || key == "lang" || key == "path" }

func formatFix(format string) string {
	switch format {
	case "date":
		return "write a calendar date as YYYY-MM-DD, e.g. 2026-05-09"
	case "date-time":
		return "write an RFC 3339 time with a zone, e.g. 2026-05-09T02:10:00Z"
	}
	return ""
}

func typeFix(want []string) string {
	switch {
	case slices.Contains(want, "array"):
		return "write a list: one `- item` per line, or [a, b]"
	case slices.Contains(want, "integer"), slices.Contains(want, "number"):
		return "write a number without quotes"
	case slices.Contains(want, "string"):
		return "write a single value; quote it if it contains ': ' or starts with a special character"
	case slices.Contains(want, "object"):
		return "write nested key: value lines"
	}
	return ""
}

func display(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case json.Number:
		return v.String()
	case nil:
		return "empty"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
