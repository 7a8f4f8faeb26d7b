// Package issueform reads the bodies of issues opened through a GitHub issue
// form. GitHub renders a form submission as Markdown: one "### <label>"
// heading per field, in the template's order, followed by the answer, with
// "_No response_" for an empty one. A body is free text that anyone can edit
// afterwards, so the parser learns the labels from the form's own YAML, splits
// only on those headings outside code fences and raw HTML blocks, and reports
// what it cannot read as problems instead of guessing.
package issueform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// Template is an issue form (.github/ISSUE_TEMPLATE/*.yml) as far as reading
// its submissions needs.
type Template struct {
	Name   string
	Labels []string
	// Fields are the elements that render into the body, in order;
	// markdown elements render nothing and are left out.
	Fields []Field
}

// Field is one input, textarea, dropdown or checkboxes element of a form.
type Field struct {
	ID    string
	Type  string
	Label string
	// Options are a dropdown's or checkboxes' choices.
	Options []string
	// Multiple is set on dropdowns that allow several choices.
	Multiple bool
	Required bool
	// Render is a textarea's syntax highlighting language; GitHub wraps
	// such an answer in a code fence.
	Render string
}

// formYAML mirrors GitHub's issue form syntax.
type formYAML struct {
	Name   string `yaml:"name"`
	Labels any    `yaml:"labels"`
	Body   []struct {
		Type       string `yaml:"type"`
		ID         string `yaml:"id"`
		Attributes struct {
			Label    string `yaml:"label"`
			Options  []any  `yaml:"options"`
			Multiple bool   `yaml:"multiple"`
			Render   string `yaml:"render"`
		} `yaml:"attributes"`
		Validations struct {
			Required bool `yaml:"required"`
		} `yaml:"validations"`
	} `yaml:"body"`
}

// MaxFormSize is the largest issue form read, 1 MiB: GitHub's own forms
// are a few kilobytes.
const MaxFormSize = 1 << 20

// ParseTemplate decodes an issue form. It rejects a form whose rendered
// headings would be ambiguous: two fields with the same label, or a field
// without a label or id.
func ParseTemplate(data []byte) (*Template, error) {
	var f formYAML
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("parse issue form: empty file")
		}
		return nil, fmt.Errorf("parse issue form: %w", err)
	}
	t := &Template{Name: f.Name, Labels: stringList(f.Labels)}
	seenLabel := map[string]bool{}
	seenID := map[string]bool{}
	for i, el := range f.Body {
		switch el.Type {
		case "markdown":
			continue
		case "input", "textarea", "dropdown", "checkboxes":
		default:
			return nil, fmt.Errorf("parse issue form %q: body[%d]: unknown type %q", f.Name, i, el.Type)
		}
		label := strings.TrimSpace(el.Attributes.Label)
		if label == "" {
			return nil, fmt.Errorf("parse issue form %q: body[%d]: a %s needs a label", f.Name, i, el.Type)
		}
		if el.ID == "" {
			return nil, fmt.Errorf("parse issue form %q: field %q needs an id", f.Name, label)
		}
		if seenLabel[label] {
			return nil, fmt.Errorf("parse issue form %q: two fields are labelled %q; their answers could not be told apart", f.Name, label)
		}
		if seenID[el.ID] {
			return nil, fmt.Errorf("parse issue form %q: two fields have the id %q", f.Name, el.ID)
		}
		seenLabel[label], seenID[el.ID] = true, true
		fd := Field{
			ID:       el.ID,
			Type:     el.Type,
			Label:    label,
			Multiple: el.Attributes.Multiple,
			Required: el.Validations.Required,
			Render:   el.Attributes.Render,
		}
		for _, o := range el.Attributes.Options {
			fd.Options = append(fd.Options, optionLabel(o))
		}
		t.Fields = append(t.Fields, fd)
	}
	if len(t.Fields) == 0 {
		return nil, fmt.Errorf("parse issue form %q: no fields", f.Name)
	}
	return t, nil
}

// Field returns the field with the given id.
func (t *Template) Field(id string) (Field, bool) {
	for _, f := range t.Fields {
		if f.ID == id {
			return f, true
		}
	}
	return Field{}, false
}

// stringList reads labels, which GitHub accepts as a list or as one
// comma-separated string.
func stringList(v any) []string {
	var out []string
	switch v := v.(type) {
	case string:
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	case []any:
		for _, s := range v {
			out = append(out, fmt.Sprint(s))
		}
	}
	return out
}

// optionLabel reads a dropdown option (a string) or a checkboxes option
// (a map with a label).
func optionLabel(o any) string {
	if m, ok := o.(map[string]any); ok {
		return fmt.Sprint(m["label"])
	}
	return fmt.Sprint(o)
}
