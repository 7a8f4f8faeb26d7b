package lint

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// raciColumns are the keys of a RACI row that name roles.
var raciColumns = []string{"responsible", "accountable", "consulted", "informed"}

var raciRule = Rule{
	ID:      "raci",
	Summary: "each RACI activity has exactly one accountable role, and every role is declared",
	Doc: `A process's raci rows say who is responsible, accountable, consulted and
informed for each activity. Exactly one role is accountable: two
accountable roles means, in an incident, that each waits for the other.
Every role named in the table must be declared in the document's roles,
so that readers (and the site's RACI table) know who holds it. Keep one
accountable role and move the others to responsible or consulted; declare
the role, or fix its id (near misses are named).`,
	Severity: diag.Error,
	Kinds:    []string{"process"},
	CheckDocument: func(p *Pass, d *document.Document) {
		if _, v := d.Lookup("raci"); v == nil {
			p.CannotApply(d, "no raci in the front matter")
			return
		}
		declared := declaredRoles(d)
		for _, row := range raciRows(d) {
			activity := ""
			if _, v := document.MapLookup(row, "activity"); v != nil {
				activity = v.Value
			}
			if _, acc := document.MapLookup(row, "accountable"); acc != nil {
				roles := roleNodes(acc)
				if len(roles) == 0 {
					p.Report(d.NodePos(acc), "name the one role that answers for the activity", "activity %q has no accountable role", activity)
				} else if len(roles) > 1 {
					var names []string
					for _, r := range roles {
						names = append(names, r.Value)
					}
					p.Report(d.NodePos(acc), "keep one accountable role; move the others to responsible or consulted",
						"activity %q has %d accountable roles (%s); exactly one role is accountable", activity, len(roles), strings.Join(names, ", "))
				}
			}
			for _, col := range raciColumns {
				_, v := document.MapLookup(row, col)
				for _, r := range roleNodes(v) {
					if _, ok := declared[r.Value]; ok {
						continue
					}
					ids := roleIDs(d)
					p.Report(d.NodePos(r), fmt.Sprintf("declare %s under roles, or use one of: %s", r.Value, strings.Join(ids, ", ")),
						"%s role %q of activity %q is not declared in roles%s", col, r.Value, activity, diag.DidYouMean(r.Value, ids))
				}
			}
		}
	},
}

var raciUnusedRoleRule = Rule{
	ID:      "raci-unused-role",
	Summary: "every role a process declares takes part in its RACI",
	Doc: `A role declared in a process's roles but named in none of its raci rows
is either left over from an earlier version or a responsibility nobody
wrote down. This is a warning (a role may be listed for information) and
a separate rule from raci so that its severity can be set on its own.
Add the role to the activities it takes part in, or remove it from roles.`,
	Severity: diag.Warning,
	Kinds:    []string{"process"},
	CheckDocument: func(p *Pass, d *document.Document) {
		rows := raciRows(d)
		if len(rows) == 0 {
			return // no RACI at all is the schema's finding
		}
		used := map[string]bool{}
		for _, row := range rows {
			for _, col := range raciColumns {
				_, v := document.MapLookup(row, col)
				for _, r := range roleNodes(v) {
					used[r.Value] = true
				}
			}
		}
		for id, n := range declaredRoles(d) {
			if !used[id] {
				p.Report(d.NodePos(n), "add the role to the activities it takes part in, or remove it from roles",
					"role %q is declared but takes no part in the RACI", id)
			}
		}
	},
}

// raciRows returns the mapping nodes of the raci list.
func raciRows(d *document.Document) []*yaml.Node {
	_, v := d.Lookup("raci")
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	var rows []*yaml.Node
	for _, n := range v.Content {
		if n.Kind == yaml.MappingNode {
			rows = append(rows, n)
		}
	}
	return rows
}

// declaredRoles maps the ids of the roles list to their id value nodes.
func declaredRoles(d *document.Document) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	_, v := d.Lookup("roles")
	if v == nil || v.Kind != yaml.SequenceNode {
		return out
	}
	for _, n := range v.Content {
		if _, id := document.MapLookup(n, "id"); id != nil && id.Kind == yaml.ScalarNode && id.Value != "" {
			if _, dup := out[id.Value]; !dup {
				out[id.Value] = id
			}
		}
	}
	return out
}

// roleIDs lists the declared role ids in document order.
func roleIDs(d *document.Document) []string {
	var ids []string
	_, v := d.Lookup("roles")
	if v == nil {
		return nil
	}
	for _, n := range v.Content {
		if _, id := document.MapLookup(n, "id"); id != nil && id.Value != "" {
			ids = append(ids, id.Value)
		}
	}
	return ids
}

// roleNodes returns the role values of a RACI cell: one scalar or a list
// of them.
func roleNodes(v *yaml.Node) []*yaml.Node {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Value == "" || v.ShortTag() == "!!null" {
			return nil
		}
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, n := range v.Content {
			if n.Kind == yaml.ScalarNode && n.Value != "" {
				out = append(out, n)
			}
		}
		return out
	}
	return nil
}
