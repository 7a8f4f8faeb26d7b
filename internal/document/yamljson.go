package document

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
)

// maxNodes bounds alias expansion: a few anchors referring to each other
// can otherwise expand to billions of values ("billion laughs").
const maxNodes = 100_000

// toJSON converts a YAML node to the values encoding/json would produce
// (with UseNumber), which is what JSON Schema validation expects. Dates
// stay strings: JSON has no date type and the schemas check their format.
// Duplicate keys, which yaml.v3 accepts in a node tree, are reported.
func (d *Document) toJSON(n *yaml.Node) (any, []diag.Diagnostic) {
	c := converter{doc: d}
	v := c.convert(n, 0)
	return v, c.diags
}

type converter struct {
	doc   *Document
	nodes int
	diags []diag.Diagnostic
}

func (c *converter) convert(n *yaml.Node, depth int) any {
	c.nodes++
	if c.nodes > maxNodes || depth > 100 {
		if c.nodes == maxNodes+1 || depth == 101 {
			c.diags = append(c.diags, diag.Diagnostic{Pos: c.doc.NodePos(n), Severity: diag.Error, Rule: RuleYAML,
				Message: "front matter is too large or too deeply nested (aliases expand too far)",
				Fix:     "write the values out instead of chaining anchors and aliases"})
		}
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return c.convert(n.Content[0], depth+1)
	case yaml.AliasNode:
		return c.convert(n.Alias, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			out = append(out, c.convert(e, depth+1))
		}
		return out
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				if m, ok := c.convert(v, depth+1).(map[string]any); ok {
					for mk, mv := range m {
						if _, set := out[mk]; !set {
							out[mk] = mv
						}
					}
				}
				continue
			}
			key := k.Value
			if k.Kind != yaml.ScalarNode {
				c.diags = append(c.diags, diag.Diagnostic{Pos: c.doc.NodePos(k), Severity: diag.Error, Rule: RuleYAML,
					Message: "a key must be a plain value, not a list or mapping"})
				continue
			}
			if first, dup := seen[key]; dup {
				c.diags = append(c.diags, diag.Diagnostic{Pos: c.doc.NodePos(k), Severity: diag.Error, Rule: RuleYAML,
					Message: fmt.Sprintf("duplicate key %q: first defined at line %d", key, c.doc.NodePos(first).Line),
					Fix:     "keep one of the two; YAML readers disagree on which wins"})
				continue
			}
			seen[key] = k
			out[key] = c.convert(v, depth+1)
		}
		return out
	case yaml.ScalarNode:
		return scalar(n)
	}
	return nil
}

func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
		var u uint64
		if n.Decode(&u) == nil {
			return json.Number(strconv.FormatUint(u, 10))
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	// Strings, timestamps and anything unusual stay as written.
	return strings.Clone(n.Value)
}
