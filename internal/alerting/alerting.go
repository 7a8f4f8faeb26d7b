// Package alerting reads the alerting rules of a repository's Prometheus
// rule files and resolves each runbook_url to a runbook. It is the one
// home of the alert coverage: the alert-runbooks lint rule reports its
// findings and the scorecards count its verdicts, so the two always
// agree on which alert leads to a runbook.
package alerting

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/repository"
	"github.com/opsqa/opsqa/internal/suppress"
)

// RuleID is the lint rule whose suppression comments exempt an alert
// from needing a runbook.
const RuleID = "alert-runbooks"

// Alert is an alerting rule of the rule files and where its runbook_url
// leads.
type Alert struct {
	Name string
	// Service is the rule's service label, else the service of its
	// runbook; "" when neither says.
	Service string
	// File is the rule file and Pos where the alert is named in it.
	File string
	Pos  diag.Position
	// RunbookURL is the runbook_url annotation, "" when missing.
	RunbookURL string
	// Runbook is the runbook RunbookURL resolves to, nil when it is
	// missing or leads nowhere.
	Runbook *document.Document
	// Covered is the verdict: the URL leads to a runbook that lists the
	// alert. Problem says in a few words why not ("no runbook_url").
	Covered bool
	Problem string
	// Exempt alerts are silenced for alert-runbooks with a reason (a
	// heartbeat that pages nobody): neither checked nor counted.
	Exempt bool
}

// Scan is every alerting rule of the rule files and what is wrong with
// them, as findings without a rule or severity (the lint rule sets them).
type Scan struct {
	// Alerts are in file order, exempt ones included.
	Alerts   []Alert
	Findings []diag.Diagnostic
	// NotRuleFiles are the files alert_rules matched that hold no rule
	// groups at all (a kustomization or an Alertmanager configuration
	// beside the rules): nothing in them is checked, and lint says so.
	NotRuleFiles []*document.Document
}

// Counted returns the alerts that are not exempt: those the coverage is
// over.
func (s *Scan) Counted() []Alert {
	var out []Alert
	for _, a := range s.Alerts {
		if !a.Exempt {
			out = append(out, a)
		}
	}
	return out
}

// Names returns the names of every alert, each once, in file order.
func (s *Scan) Names() []string {
	var out []string
	for _, a := range s.Alerts {
		if !slices.Contains(out, a.Name) {
			out = append(out, a.Name)
		}
	}
	return out
}

// Read reads the rule files of opsqa.yaml alert_rules and resolves every
// runbook_url. Unreadable or malformed rule files contribute findings and
// no alerts.
func Read(repo *repository.Repository) *Scan {
	files := repo.RuleFiles()
	s := &Scan{Findings: slices.Clone(files.Findings)}
	r := newResolver(repo)
	for _, doc := range files.Docs {
		s.readRuleFile(r, doc, files.Suppressions)
	}
	return s
}

// resolver leads runbook URLs to documents: the repository, its URL
// mappings, and its files by lower-case path for those that ignore case.
type resolver struct {
	repo     *repository.Repository
	mappings []urlMapping
	folded   map[string]string
}

func newResolver(repo *repository.Repository) *resolver {
	r := &resolver{repo: repo}
	r.mappings, _ = compileMappings(repo.Config) // the config rule reports bad entries
	for _, m := range r.mappings {
		if m.IgnoreCase && r.folded == nil {
			r.folded = map[string]string{}
			for _, f := range repo.Files {
				r.folded[strings.ToLower(f)] = f
			}
		}
	}
	return r
}

func (s *Scan) report(pos diag.Position, fix, format string, args ...any) {
	s.Findings = append(s.Findings, diag.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...), Fix: fix})
}

// readRuleFile reads the alerting rules of one rule file: a Prometheus
// rule file, or a PrometheusRule resource that keeps its groups under
// spec.
func (s *Scan) readRuleFile(r *resolver, doc *document.Document, sups []suppress.Suppression) {
	_, groups := doc.Lookup("groups")
	if groups == nil {
		_, spec := doc.Lookup("spec")
		_, groups = document.MapLookup(spec, "groups")
	}
	// A file alert_rules names but whose rules cannot be read says so:
	// otherwise its alerts would go unchecked and the coverage be green.
	switch {
	case groups == nil:
		s.NotRuleFiles = append(s.NotRuleFiles, doc)
		return
	case groups.Kind != yaml.SequenceNode:
		s.report(doc.NodePos(groups), "write groups as a list of rule groups, each with a name and its rules",
			"groups is not a list: no alert in this file is checked")
		return
	}
	for _, g := range groups.Content {
		_, rules := document.MapLookup(g, "rules")
		if rules == nil || rules.Kind != yaml.SequenceNode {
			at := g
			if rules != nil {
				at = rules
			}
			s.report(doc.NodePos(at), "give the group its rules as a list",
				"rule group has no list of rules: no alert in it is checked")
			continue
		}
		for _, rule := range rules.Content {
			_, name := document.MapLookup(rule, "alert")
			if name == nil || name.Kind != yaml.ScalarNode || name.Value == "" {
				continue // a recording rule
			}
			a := Alert{Name: name.Value, File: doc.Path, Pos: doc.NodePos(name)}
			_, labels := document.MapLookup(rule, "labels")
			if _, svc := document.MapLookup(labels, "service"); svc != nil {
				a.Service = svc.Value
			}
			a.Exempt = suppress.Any(sups, doc.Path, a.Pos.Line, RuleID)
			if !a.Exempt {
				s.resolve(r, doc, &a, rule)
			}
			if a.Service == "" && a.Runbook != nil {
				a.Service = a.Runbook.String("service")
			}
			s.Alerts = append(s.Alerts, a)
		}
	}
}

// resolve follows the alert's runbook_url and records a finding for
// anything short of a runbook that lists the alert.
func (s *Scan) resolve(r *resolver, file *document.Document, a *Alert, rule *yaml.Node) {
	_, ann := document.MapLookup(rule, "annotations")
	_, u := document.MapLookup(ann, "runbook_url")
	if u == nil || u.Kind != yaml.ScalarNode || strings.TrimSpace(u.Value) == "" {
		a.Problem = "no runbook_url"
		s.report(a.Pos, "add annotations.runbook_url with the link to the runbook that answers this alert",
			"alert %q has no runbook_url", a.Name)
		return
	}
	a.RunbookURL = strings.TrimSpace(u.Value)
	rb, problem, fix := r.resolve(file.Path, a.RunbookURL)
	if problem != "" {
		a.Problem = "runbook_url leads to no runbook"
		s.report(file.NodePos(u), fix, "runbook_url of alert %q: %s", a.Name, problem)
		return
	}
	a.Runbook = rb
	if !answers(rb, a.Name) {
		a.Problem = fmt.Sprintf("runbook %s does not list it", rb.ID())
		s.report(file.NodePos(u), fmt.Sprintf("add %s to the alerts of %s", a.Name, rb.Path),
			"runbook %q does not list alert %q in its alerts", rb.ID(), a.Name)
		return
	}
	a.Covered = true
}

// answers reports whether runbook rb is written for the alert: it lists
// it in its alerts, or, listing none, is named after it, as in the
// ecosystem's one file per alert (KubePodCrashLooping.md).
func answers(rb *document.Document, alert string) bool {
	if _, v := rb.Lookup("alerts"); v != nil {
		return slices.Contains(rb.Strings("alerts"), alert)
	}
	return strings.EqualFold(rb.ID(), alert)
}

// byPath returns the document at p, in any case when the mapping says so.
func (r *resolver) byPath(p string, ignoreCase bool) *document.Document {
	if d := r.repo.ByPath(p); d != nil || !ignoreCase {
		return d
	}
	if f, ok := r.folded[strings.ToLower(p)]; ok {
		return r.repo.ByPath(f)
	}
	return nil
}

// nearestRunbook names the runbook whose path is closest to p, for a
// URL that leads nowhere: "did you mean …".
func (r *resolver) nearestRunbook(p string) string {
	var paths []string
	for _, d := range r.repo.OfKind("runbook") {
		paths = append(paths, d.Path)
	}
	return diag.DidYouMean(p, paths)
}

// resolve returns the runbook raw leads to, or what is wrong with it and
// how to fix it.
func (r *resolver) resolve(from, raw string) (rb *document.Document, problem, fix string) {
	repo, cfg := r.repo, r.repo.Config
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Sprintf("%q is not a valid URL: %v", raw, err), "fix the URL"
	}
	var doc *document.Document
	for _, m := range r.mappings {
		if mapped := m.path(u); mapped != "" {
			if doc = r.byPath(mapped, m.IgnoreCase); doc == nil {
				return nil, fmt.Sprintf("%q maps to %s, which does not exist%s", raw, mapped, r.nearestRunbook(mapped)),
					"write the runbook at " + mapped + ", or fix the alert name in the URL"
			}
			break
		}
	}
	switch {
	case doc != nil:
	case u.Scheme == "" && u.Host == "":
		if u.Path == "" {
			return nil, fmt.Sprintf("%q has no path", raw), "link to the runbook's page or file"
		}
		rel := path.Join(path.Dir(from), u.Path)
		if doc = repo.ByPath(rel); doc == nil {
			doc = repo.ByPath(path.Clean(strings.TrimPrefix(u.Path, "/")))
		}
		if doc == nil {
			return nil, fmt.Sprintf("%q leads to no document (tried %s)", raw, rel), "give the path of the runbook's .md file"
		}
	case siteRunbookPath(cfg, u) != "":
		// Runbook pages are published at <base>/runbooks/[<group>/…]<id>/,
		// as their files lie in the collection's folders.
		rest := strings.Trim(strings.TrimPrefix(u.Path, siteRunbookPath(cfg, u)), "/")
		id := path.Base(rest)
		if rest == "" {
			return nil, fmt.Sprintf("%q does not name a runbook: expected %s<id>/", raw, siteRunbookURL(cfg)), "link to " + siteRunbookURL(cfg) + "<id>/"
		}
		for _, d := range repo.ByID(id) {
			if doc == nil || (d.Kind == "runbook" && strings.HasSuffix(strings.TrimSuffix(d.Path, path.Ext(d.Path)), "/"+rest)) {
				doc = d
			}
		}
		if doc == nil { // Hugo publishes paths in lower case
			for _, d := range repo.OfKind("runbook") {
				if strings.EqualFold(d.ID(), id) {
					doc = d
					break
				}
			}
		}
		if doc == nil {
			var ids []string
			for _, d := range repo.OfKind("runbook") {
				ids = append(ids, d.ID())
			}
			fix := "fix the runbook id in the URL, or write the runbook"
			if s := diag.Suggest(id, ids); s != "" {
				fix = "link to " + siteRunbookURL(cfg) + s + "/"
			}
			return nil, fmt.Sprintf("no runbook has id %q%s", id, diag.DidYouMean(id, ids)), fix
		}
	case strings.EqualFold(u.Host, "github.com") || strings.EqualFold(u.Host, "www.github.com"):
		segs := strings.Split(strings.Trim(u.Path, "/"), "/")
		if cfg.Repository == "" {
			return nil, fmt.Sprintf("%q is a GitHub link, and opsqa.yaml names no repository to follow it in", raw),
				"set repository: OWNER/NAME in opsqa.yaml"
		}
		if len(segs) < 5 || !strings.EqualFold(segs[0]+"/"+segs[1], cfg.Repository) || segs[2] != "blob" {
			return nil, fmt.Sprintf("%q is not a file of the repository %s on GitHub", raw, cfg.Repository),
				"link to https://github.com/" + cfg.Repository + "/blob/" + cfg.DefaultBranch + "/<path>.md"
		}
		// A branch name may hold slashes: try each split.
		for i := 4; i < len(segs) && doc == nil; i++ {
			doc = repo.ByPath(strings.Join(segs[i:], "/"))
		}
		if doc == nil && len(segs) > 4 {
			p := strings.Join(segs[4:], "/")
			return nil, fmt.Sprintf("%q leads to no document of the repository%s", raw, r.nearestRunbook(p)), "fix the path after the branch name"
		}
		if doc == nil {
			return nil, fmt.Sprintf("%q leads to no document of the repository", raw), "fix the path after the branch name"
		}
	default:
		return nil, fmt.Sprintf("%q leads outside the knowledge base: it is not under %s, not on GitHub in %s, and not a relative path", raw, siteRunbookURL(cfg), cfg.Repository),
			"link to the runbook's page on the site or its file in the repository"
	}
	if doc.Kind != "runbook" {
		kind := doc.Kind
		if kind == "" {
			kind = "document of no kind"
		}
		return nil, fmt.Sprintf("%q leads to %s, a %s, not a runbook", raw, doc.Path, kind), "link to the runbook that answers this alert"
	}
	if u.Fragment != "" && !doc.Anchors()[u.Fragment] {
		var ids []string
		for _, h := range doc.Headings() {
			ids = append(ids, h.ID)
		}
		return nil, fmt.Sprintf("anchor #%s does not match any heading of %s%s", u.Fragment, doc.Path, diag.DidYouMean(u.Fragment, ids)),
			"fix the anchor, or drop it"
	}
	return doc, "", ""
}

// siteRunbookPath returns the path prefix of runbook pages on the site
// ("/runbooks/" under the base URL's path) when u is on the site, else "".
func siteRunbookPath(cfg *config.Config, u *url.URL) string {
	base, err := url.Parse(cfg.Site.BaseURL)
	if cfg.Site.BaseURL == "" || err != nil || base.Host == "" || !strings.EqualFold(base.Host, u.Host) {
		return ""
	}
	prefix := strings.TrimSuffix(base.Path, "/") + "/runbooks/"
	if !strings.HasPrefix(u.Path, prefix) {
		return ""
	}
	return prefix
}

func siteRunbookURL(cfg *config.Config) string {
	if cfg.Site.BaseURL == "" {
		return "<site.base_url>/runbooks/"
	}
	return strings.TrimSuffix(cfg.Site.BaseURL, "/") + "/runbooks/"
}
