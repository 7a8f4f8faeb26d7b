package lint

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// ruleAlertRunbooks is the ID of alertRunbooksRule, which the scan that
// the rule itself runs needs.
const ruleAlertRunbooks = "alert-runbooks"

var alertRunbooksRule = Rule{
	ID:      ruleAlertRunbooks,
	Summary: "every alert has a runbook_url that leads to a runbook listing it, and every runbook's alerts exist",
	Doc: `Every alerting rule in the Prometheus rule files named by opsqa.yaml
alert_rules (globs from the repository root, ** allowed) must have an
annotations.runbook_url that leads to a runbook: the runbook's page on the
site (<site.base_url>/runbooks/<id>/, optionally with #anchor), its file on
GitHub (https://github.com/<repository>/blob/<branch>/<path>.md), or a
relative path to its .md file (from the rule file's folder, or else from
the repository root). The runbook must list the alert in its alerts, and
every alert a runbook lists must exist in some rule file. An on-call
engineer paged at night follows the link: it has to lead to the page that
answers that alert, and a runbook for an alert that was renamed is never
found again. Add or fix the runbook_url, or the runbook's alerts.

An alert that needs no runbook (a heartbeat that pages nobody) is exempt
when a comment silences this rule on its alert line, with the reason:
"# opsqa-disable-next-line alert-runbooks: heartbeat, pages nobody" above
"- alert: Watchdog". It is then neither checked nor counted in the alert
coverage of the scorecards.`,
	Severity: diag.Error,
	CheckRepository: func(p *Pass) {
		var runbooks []*document.Document
		for _, d := range p.Selected() {
			if d.Kind == "runbook" {
				runbooks = append(runbooks, d)
			}
		}
		for _, f := range scanAlerts(p.Repo, runbooks).findings {
			p.ReportDiagnostic(f)
		}
	},
}

// Coverage is how many alerting rules lead to a runbook, per service.
type Coverage struct {
	// Services are sorted by id; alerts with no service (no service label
	// and no runbook to take it from) are under "".
	Services []ServiceCoverage
}

// ServiceCoverage is the alert coverage of one service.
type ServiceCoverage struct {
	Service string
	// Alerts is the number of alerting rules.
	Alerts int
	// Covered is how many of them have a runbook_url that resolves to a
	// runbook listing the alert, that is, no alert-runbooks finding.
	Covered int
	// Uncovered are the names of the others, sorted, each once.
	Uncovered []string
}

// AlertCoverage reads the rule files of opsqa.yaml alert_rules and says,
// per service, how many alerts lead to a runbook. A service is the rule's
// service label, else the service of the runbook its runbook_url leads
// to. Unreadable or malformed rule files contribute no alerts; the
// alert-runbooks rule reports them.
func AlertCoverage(repo *Repository) Coverage {
	by := map[string]*ServiceCoverage{}
	for _, a := range Alerts(repo) {
		c := by[a.Service]
		if c == nil {
			c = &ServiceCoverage{Service: a.Service}
			by[a.Service] = c
		}
		c.Alerts++
		if a.Covered {
			c.Covered++
		} else if !slices.Contains(c.Uncovered, a.Name) {
			c.Uncovered = append(c.Uncovered, a.Name)
		}
	}
	var cov Coverage
	for _, c := range by {
		slices.Sort(c.Uncovered)
		cov.Services = append(cov.Services, *c)
	}
	slices.SortFunc(cov.Services, func(a, b ServiceCoverage) int { return strings.Compare(a.Service, b.Service) })
	return cov
}

var errNoMatch = errors.New("no file matches")

// Alert is an alerting rule of the rule files and where its runbook_url
// leads.
type Alert struct {
	Name    string
	Service string
	// RunbookURL is the runbook_url annotation, "" when missing.
	RunbookURL string
	// Runbook is the id of the runbook RunbookURL resolves to, "" when it
	// is missing or leads nowhere.
	Runbook string
	// Covered is true when that runbook also lists the alert: no
	// alert-runbooks finding.
	Covered bool
}

// Alerts reads the alerting rules of the rule files in opsqa.yaml
// alert_rules, in file order, and resolves their runbook_url. A rule's
// service is its service label, else the service of its runbook. Alerts
// exempt from the alert-runbooks rule are left out.
// Unreadable or malformed rule files contribute no alerts; the
// alert-runbooks rule reports them.
func Alerts(repo *Repository) []Alert {
	var out []Alert
	for _, a := range scanAlerts(repo, nil).alerts {
		if a.exempt {
			continue
		}
		e := Alert{Name: a.name, Service: a.service, RunbookURL: a.url, Covered: a.covered}
		if a.runbook != nil {
			e.Runbook = a.runbook.ID()
			if e.Service == "" {
				e.Service = a.runbook.String("service")
			}
		}
		out = append(out, e)
	}
	return out
}

// alert is one alerting rule of a rule file.
type alert struct {
	name    string
	service string
	url     string
	file    *document.Document
	node    *yaml.Node // the alert: value
	runbook *document.Document
	covered bool
	// exempt is an alert silenced for alert-runbooks: neither checked
	// nor counted.
	exempt bool
}

type alertScan struct {
	alerts   []alert
	findings []diag.Diagnostic
}

func (s *alertScan) report(pos diag.Position, fix, format string, args ...any) {
	s.findings = append(s.findings, diag.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...), Fix: fix})
}

// scanAlerts reads the rule files, resolves every runbook_url and checks
// the runbooks' alerts lists.
//
// runbooks are the runbooks whose alerts lists are checked: the ones
// being linted.
func scanAlerts(repo *Repository, runbooks []*document.Document) *alertScan {
	s := &alertScan{}
	files := repo.alertRuleFiles()
	s.findings = append(s.findings, files.findings...)
	if len(files.docs) == 0 {
		return s
	}
	for _, doc := range files.docs {
		s.scanRuleFile(repo, doc, files.suppressions)
	}
	names := map[string]bool{}
	var all []string
	for _, a := range s.alerts {
		if !names[a.name] {
			names[a.name] = true
			all = append(all, a.name)
		}
	}
	for _, rb := range runbooks {
		for _, item := range listItems(rb, "alerts") {
			if !names[item.Value] {
				s.report(rb.NodePos(item), "fix the name, or remove it if the alert was deleted",
					"alert %q is not defined in any rule file of alert_rules (%s)%s", item.Value, strings.Join(repo.Config.AlertRules, ", "), didYouMean(item.Value, all))
			}
		}
	}
	return s
}

// ruleFileSet is what the alert_rules globs found: the rule files, those
// of them that parse and the suppression comments in those, and findings
// for the globs that match nothing and the files that cannot be read or
// parsed.
type ruleFileSet struct {
	names        []string
	docs         []*document.Document
	suppressions []suppression
	findings     []diag.Diagnostic
}

// globRuleFiles finds the rule files of opsqa.yaml alert_rules. They are
// files opsqa lints, so they join Files: counted, and accepted as paths.
func (r *Repository) globRuleFiles() {
	set := &r.ruleFiles
	var files []string
	fsys := os.DirFS(r.Root)
	for i, pattern := range r.Config.AlertRules {
		m, err := doublestar.Glob(fsys, pattern)
		if err == nil && len(m) == 0 {
			err = errNoMatch
		}
		if err != nil {
			pos := diag.Position{File: config.FileName}
			if r.ConfigDoc != nil && r.ConfigDoc.FrontMatter != nil {
				pos = configPos(r.ConfigDoc, "alert_rules", i)
			}
			set.findings = append(set.findings, diag.Diagnostic{Pos: pos, Fix: "fix the glob; it is relative to the repository root",
				Message: fmt.Sprintf("alert_rules pattern %q: %v", pattern, err)})
			continue
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	set.names = slices.Compact(files)
	r.Files = append(r.Files, set.names...)
}

// alertRuleFiles reads and parses the rule files once, on first use.
func (r *Repository) alertRuleFiles() *ruleFileSet {
	r.ruleFilesOnce.Do(func() {
		set := &r.ruleFiles
		for _, name := range set.names {
			src, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(name)))
			if err != nil {
				set.findings = append(set.findings, unreadable(name, err))
				continue
			}
			doc, ds := document.ParseYAML(name, src)
			set.findings = append(set.findings, ds...)
			if doc != nil && doc.FrontMatter != nil {
				set.docs = append(set.docs, doc)
				set.suppressions = append(set.suppressions, docSuppressions(doc)...)
			}
		}
	})
	return &r.ruleFiles
}

// exempt reports whether the alert whose name is at node of file is
// silenced for this rule, with a reason, on its own line or for the whole
// file: a heartbeat alert that pages nobody needs no runbook.
func exempt(sups []suppression, file *document.Document, node *yaml.Node) bool {
	line := file.NodePos(node).Line
	return slices.ContainsFunc(sups, func(s suppression) bool { return s.silences(file.Path, line, ruleAlertRunbooks) })
}

// scanRuleFile reads the alerting rules of one rule file.
func (s *alertScan) scanRuleFile(repo *Repository, doc *document.Document, sups []suppression) {
	_, groups := doc.Lookup("groups")
	if groups == nil {
		// A PrometheusRule resource keeps the groups under spec.
		_, spec := doc.Lookup("spec")
		_, groups = document.MapLookup(spec, "groups")
	}
	if groups == nil || groups.Kind != yaml.SequenceNode {
		return
	}
	for _, g := range groups.Content {
		_, rules := document.MapLookup(g, "rules")
		if rules == nil || rules.Kind != yaml.SequenceNode {
			continue
		}
		for _, r := range rules.Content {
			_, name := document.MapLookup(r, "alert")
			if name == nil || name.Kind != yaml.ScalarNode || name.Value == "" {
				continue // a recording rule
			}
			a := alert{name: name.Value, file: doc, node: name}
			_, labels := document.MapLookup(r, "labels")
			if _, svc := document.MapLookup(labels, "service"); svc != nil {
				a.service = svc.Value
			}
			if a.exempt = exempt(sups, doc, name); !a.exempt {
				s.checkRunbookURL(repo, &a, r)
			}
			s.alerts = append(s.alerts, a)
		}
	}
}

// checkRunbookURL resolves the alert's runbook_url and records a finding
// for anything short of a runbook that lists the alert.
func (s *alertScan) checkRunbookURL(repo *Repository, a *alert, rule *yaml.Node) {
	_, ann := document.MapLookup(rule, "annotations")
	_, u := document.MapLookup(ann, "runbook_url")
	if u == nil || u.Kind != yaml.ScalarNode || strings.TrimSpace(u.Value) == "" {
		s.report(a.file.NodePos(a.node), "add annotations.runbook_url with the link to the runbook that answers this alert",
			"alert %q has no runbook_url", a.name)
		return
	}
	raw := strings.TrimSpace(u.Value)
	a.url = raw
	rb, problem, fix := resolveRunbookURL(repo, a.file.Path, raw)
	if problem != "" {
		s.report(a.file.NodePos(u), fix, "runbook_url of alert %q: %s", a.name, problem)
		return
	}
	a.runbook = rb
	if !slices.Contains(rb.Strings("alerts"), a.name) {
		s.report(a.file.NodePos(u), fmt.Sprintf("add %s to the alerts of %s", a.name, rb.Path),
			"runbook %q does not list alert %q in its alerts", rb.ID(), a.name)
		return
	}
	a.covered = true
}

// resolveRunbookURL returns the runbook raw leads to, or what is wrong
// with it and how to fix it.
func resolveRunbookURL(repo *Repository, from, raw string) (rb *document.Document, problem, fix string) {
	cfg := repo.Config
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Sprintf("%q is not a valid URL: %v", raw, unwrapURLError(err)), "fix the URL"
	}
	var doc *document.Document
	switch {
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
		id := strings.TrimSuffix(strings.TrimPrefix(u.Path, siteRunbookPath(cfg, u)), "/")
		if id == "" || strings.Contains(id, "/") {
			return nil, fmt.Sprintf("%q does not name a runbook: expected %s<id>/", raw, siteRunbookURL(cfg)), "link to " + siteRunbookURL(cfg) + "<id>/"
		}
		for _, d := range repo.ByID(id) {
			if doc == nil || d.Kind == "runbook" {
				doc = d
			}
		}
		if doc == nil {
			ids := docIDs(repo.OfKind("runbook"))
			fix := "fix the runbook id in the URL, or write the runbook"
			if s := diag.Suggest(id, ids); s != "" {
				fix = "link to " + siteRunbookURL(cfg) + s + "/"
			}
			return nil, fmt.Sprintf("no runbook has id %q%s", id, didYouMean(id, ids)), fix
		}
	case strings.EqualFold(u.Host, "github.com") || strings.EqualFold(u.Host, "www.github.com"):
		segs := strings.Split(strings.Trim(u.Path, "/"), "/")
		if cfg.Repository == "" || len(segs) < 5 || !strings.EqualFold(segs[0]+"/"+segs[1], cfg.Repository) || segs[2] != "blob" {
			return nil, fmt.Sprintf("%q is not a file of the repository %s on GitHub", raw, cfg.Repository),
				"link to https://github.com/" + cfg.Repository + "/blob/" + cfg.DefaultBranch + "/<path>.md"
		}
		// A branch name may hold slashes: try each split.
		for i := 4; i < len(segs) && doc == nil; i++ {
			doc = repo.ByPath(strings.Join(segs[i:], "/"))
		}
		if doc == nil {
			return nil, fmt.Sprintf("%q leads to no document of the repository", raw), "fix the path after the branch name"
		}
	default:
		return nil, fmt.Sprintf("%q leads outside the knowledge base: it is not under %s, not on GitHub in %s, and not a relative path", raw, siteRunbookURL(cfg), cfg.Repository),
			"link to the runbook's page on the site or its file in the repository"
	}
	if doc.Kind != "runbook" {
		return nil, fmt.Sprintf("%q leads to %s, a %s, not a runbook", raw, doc.Path, kindName(doc.Kind)), "link to the runbook that answers this alert"
	}
	if u.Fragment != "" && !doc.Anchors()[u.Fragment] {
		var ids []string
		for _, h := range doc.Headings() {
			ids = append(ids, h.ID)
		}
		return nil, fmt.Sprintf("anchor #%s does not match any heading of %s%s", u.Fragment, doc.Path, didYouMean(u.Fragment, ids)),
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

func docIDs(docs []*document.Document) []string {
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID())
	}
	return ids
}
