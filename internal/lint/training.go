package lint

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

var trainingReferencesRule = Rule{
	ID:      "training-references",
	Summary: "curriculum, module and quiz references resolve and agree",
	Doc: `A curriculum's modules must be ids of modules; a module's prerequisites
must be modules and must not form a cycle (a trainee could never start one
of them); a module's quiz must be a quiz; a quiz that names its module must
be that module's quiz, so results are credited to the right module. The
site builds training paths and the KPIs count completions from these ids,
so a dangling one silently drops a module. Fix the id (near misses are
named), or add the missing document.`,
	Severity: diag.Error,
	CheckRepository: func(p *Pass) {
		for _, d := range p.Repo.OfKind("curriculum") {
			for _, item := range listItems(d, "modules") {
				p.checkReference(d, item, "module", "module")
			}
		}
		modules := p.Repo.OfKind("module")
		for _, d := range modules {
			for _, item := range listItems(d, "prerequisites") {
				p.checkReference(d, item, "module", "prerequisite")
			}
			if _, v := d.Lookup("quiz"); v != nil && v.Kind == yaml.ScalarNode && v.Value != "" {
				p.checkReference(d, v, "quiz", "quiz")
			}
		}
		p.checkPrerequisiteCycles(modules)
		for _, d := range p.Repo.OfKind("quiz") {
			_, v := d.Lookup("module")
			if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
				continue
			}
			m := p.checkReference(d, v, "module", "module")
			if m == nil {
				continue
			}
			switch q := m.String("quiz"); q {
			case d.ID():
			case "":
				p.Report(d.NodePos(v), fmt.Sprintf("set quiz: %s in %s", d.ID(), m.Path),
					"module %q names no quiz, but this quiz says it assesses it", m.ID())
			default:
				p.Report(d.NodePos(v), fmt.Sprintf("point module: at the module whose quiz this is, or set quiz: %s in %s", d.ID(), m.Path),
					"module %q names quiz %q, not this one", m.ID(), q)
			}
		}
	},
}

// listItems returns the scalar items of a top-level front matter list.
func listItems(d *document.Document, key string) []*yaml.Node {
	_, v := d.Lookup(key)
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	var out []*yaml.Node
	for _, n := range v.Content {
		if n.Kind == yaml.ScalarNode && n.Value != "" {
			out = append(out, n)
		}
	}
	return out
}

// checkReference reports an id (the value of node in d) that names no
// document of kind; what says what the id is for. It returns the
// document referred to, or nil.
func (p *Pass) checkReference(d *document.Document, node *yaml.Node, kind, what string) *document.Document {
	id := node.Value
	var other *document.Document
	for _, t := range p.Repo.ByID(id) {
		if t.Kind == kind {
			return t
		}
		other = t
	}
	if other != nil {
		p.Report(d.NodePos(node), fmt.Sprintf("name a %s here", kind), "%s %q is a %s (%s), not a %s", what, id, kindName(other.Kind), other.Path, kind)
		return nil
	}
	var ids []string
	for _, t := range p.Repo.OfKind(kind) {
		ids = append(ids, t.ID())
	}
	fix := fmt.Sprintf("fix the id, or add the %s", kind)
	if s := diag.Suggest(id, ids); s != "" {
		fix = "change it to " + s
	}
	p.Report(d.NodePos(node), fix, "%s %q does not exist: no %s has this id%s", what, id, kind, diag.DidYouMean(id, ids))
	return nil
}

func kindName(kind string) string {
	if kind == "" {
		return "document of no kind"
	}
	return kind
}

// checkPrerequisiteCycles reports each cycle of module prerequisites once,
// at the item that closes it, with the whole path.
func (p *Pass) checkPrerequisiteCycles(modules []*document.Document) {
	byID := map[string]*document.Document{}
	for _, m := range modules {
		if _, dup := byID[m.ID()]; !dup && m.ID() != "" {
			byID[m.ID()] = m
		}
	}
	const (
		unvisited = iota
		onStack
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(id string)
	visit = func(id string) {
		state[id] = onStack
		stack = append(stack, id)
		m := byID[id]
		for _, item := range listItems(m, "prerequisites") {
			next := item.Value
			if byID[next] == nil {
				continue // reported as a missing module
			}
			switch state[next] {
			case unvisited:
				visit(next)
			case onStack:
				start := 0
				for i, s := range stack {
					if s == next {
						start = i
					}
				}
				cycle := append(append([]string{}, stack[start:]...), next)
				p.Report(m.NodePos(item), "remove one prerequisite of the cycle",
					"prerequisites form a cycle: %s", strings.Join(cycle, " → "))
			}
		}
		stack = stack[:len(stack)-1]
		state[id] = done
	}
	for _, m := range modules {
		if id := m.ID(); id != "" && byID[id] == m && state[id] == unvisited {
			visit(id)
		}
	}
}
