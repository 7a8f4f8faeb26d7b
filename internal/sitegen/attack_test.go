package sitegen

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/repository"
	"github.com/opsqa/opsqa/internal/review"
	"github.com/opsqa/opsqa/internal/scorecard"
	"github.com/opsqa/opsqa/internal/ticket"
)

// xss are payloads that set window.__xss if they ever run, in the forms
// that break out of text, attributes, URLs and templates.
var xss = []string{
	`<script>window.__xss=1</script>`,
	`"><img src=x onerror="window.__xss=2">`,
	`'><svg onload=window.__xss=3>`,
	`</title><script>window.__xss=4</script>`,
	`{{ .Site.Params }}{{< param "opsqa.repo_dir" >}}`,
	`javascript:window.__xss=5`,
}

// hostile joins the payloads into one string, for a title or a name.
func hostile(prefix string) string { return prefix + " " + strings.Join(xss[:4], " ") }

// hostileRepo writes a repository whose documents, configuration names
// and quiz carry the payloads everywhere a reader's text reaches a page.
func hostileRepo(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	q := func(s string) string { return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"` }
	body := "## Overview\n\n" + strings.Join(xss[:4], "\n\n") +
		"\n\n[click](" + xss[5] + ") [ref](<" + xss[5] + ">) ![alt " + q(xss[1]) + "](x.png)\n\n" +
		"<a href=\"javascript:window.__xss=6\">raw link</a>\n\n" +
		"```html\n" + xss[0] + "\n```\n\n`" + xss[1] + "`\n\n" +
		"| a | b |\n|---|---|\n| " + strings.ReplaceAll(xss[1], "|", "") + " | x |\n\n" +
		"## Symptoms {#" + "x\" onmouseover=\"window.__xss=7" + "}\n\nText.\n"
	files := map[string]string{
		"opsqa.yaml": `organisation: ` + q(hostile("Org")) + `
site: {title: ` + q(hostile("Site")) + `}
roles:
  - {id: oncall, name: ` + q(hostile("Role")) + `, on_call: true}
teams:
  - id: ops
    name: ` + q(hostile("Team")) + `
    members:
      - {login: eve, name: ` + q(hostile("Eve")) + `, role: oncall}
services:
  - {id: web, name: ` + q(hostile("Service")) + `, team: ops, tier: 1}
scorecard:
  levels: [bronze]
  checks:
    - {id: mttr-target, title: ` + q(hostile("Check")) + `, level: bronze, applies_to: service, remediation: ` + q(hostile("Fix")) + `}
`,
		"content/runbooks/web.md": "---\nid: web\ntitle: " + q(hostile("Runbook")) + "\ndescription: " + q(hostile("Desc")) +
			"\nowner: ops\nservice: web\nseverity: sev1\ntags: [" + q(xss[1]) + "]\nalerts: [" + q(xss[2]) + "]\n" +
			"escalation: {team: ops, after_minutes: 15, contact: " + q(hostile("Contact")) + "}\n---\n\n" + body,
		"content/postmortems/2026-11-01-web.md": "---\nid: 2026-11-01-web\ntitle: " + q(hostile("Postmortem")) +
			"\nowner: ops\nservice: web\nseverity: sev1\nincident: 7\nstarted_at: 2026-11-01T10:00:00Z\nresolved_at: 2026-11-01T10:20:00Z\n---\n\n" + body,
		"processes/incident.md": "---\nid: incident\ntitle: " + q(hostile("Process")) + "\nowner: ops\nversion: " + q(xss[1]) +
			"\nroles:\n  - {id: lead, name: " + q(hostile("Lead")) + "}\nraci:\n  - {activity: " + q(hostile("Act")) + ", responsible: lead, accountable: oncall}\n---\n\n" + body,
		"training/curricula/path.md": "---\nid: path\ntitle: " + q(hostile("Curriculum")) + "\naudience: [oncall]\nmodules: [mod]\n---\n\n" + body,
		"training/modules/mod.md":    "---\nid: mod\ntitle: " + q(hostile("Module")) + "\nquiz: quiz\nobjectives: [" + q(xss[0]) + "]\n---\n\n" + body,
		"training/quizzes/quiz.md": "---\nid: quiz\ntitle: " + q(hostile("Quiz")) + "\nmodule: mod\npass_mark: 50\n---\n\n" +
			"## " + strings.ReplaceAll(hostile("Question"), "\n", " ") + " {#q1}\n\n1. [x] " + xss[1] + "\n1. [ ] " + xss[0] + "\n\n> " + xss[2] + "\n",
	}
	// The image each body shows, beside it.
	for name := range files {
		if strings.HasSuffix(name, ".md") {
			files[filepath.ToSlash(filepath.Join(filepath.Dir(name), "x.png"))] = string(onePixelPNG)
		}
	}
	writeRepo(t, repo, files)
	return repo
}

// onePixelPNG is a 1×1 transparent PNG.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func hostileSnapshot() *ticket.Snapshot {
	at := func(s string) time.Time { return ts(s) }
	closed := at("2026-11-01T10:20:00Z")
	title := hostile("Ticket")
	return &ticket.Snapshot{
		SchemaVersion: ticket.SchemaVersion, Repository: "acme/ops", SyncedAt: asOf.Add(-time.Hour),
		Tickets: []ticket.Ticket{{
			Number: 7, Title: title, Class: ticket.Incident, Severity: "sev1", Service: "web",
			URL:    xss[5],
			Author: ticket.Actor{Login: xss[1]}, Labels: []string{"incident", xss[2]},
			State: ticket.Closed, StateReason: ticket.Completed,
			CreatedAt: at("2026-11-01T10:00:00Z"), UpdatedAt: closed, ClosedAt: &closed,
			Fields: map[string]string{"impact": strings.Join(xss, "\n"), "runbook": xss[5]},
			Events: []ticket.Event{
				{Kind: ticket.Commented, At: at("2026-11-01T10:05:00Z"), Actor: ticket.Actor{Login: "eve", Type: "User"}},
				{Kind: ticket.ClosedEv, At: closed, Actor: ticket.Actor{Login: "eve", Type: "User"}, StateReason: ticket.Completed},
			},
		}},
	}
}

// TestBrowserSiteUnderAttack builds a site from the hostile repository
// and snapshot and opens every page in headless Chromium: no payload
// runs (window.__xss), none becomes an element or an attribute (no
// inline script, no on* attribute, no javascript: link), the CSP holds
// and no script fails; and the build machine's path is on no page.
func TestBrowserSiteUnderAttack(t *testing.T) {
	bin := chromiumPath()
	if bin == "" {
		t.Skip("chromium not installed (apt-get install chromium): browser test skipped")
	}
	repo := hostileRepo(t)
	cfg, err := config.Load(os.DirFS(repo))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := repository.Load(repo)
	if err != nil {
		t.Fatal(err)
	}
	snap := hostileSnapshot()
	ko, err := kpi.OptionsFromConfig(cfg, asOf.AddDate(0, -12, 0), asOf, asOf)
	if err != nil {
		t.Fatal(err)
	}
	cards, err := scorecard.Evaluate(cfg, scorecard.Input{}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	o := Options{
		RepoDir: repo, Config: cfg, Destination: dest, AsOf: asOf,
		Reviews: review.All(docs.Docs(), cfg, asOf), Documents: documents(docs.Docs()), Quizzes: quizPages(docs.Docs()),
		Snapshot: snap, Metrics: kpi.Compute(snap.Tickets, ko), Scorecards: cards,
		History:     []scorecard.HistoryEntry{scorecard.Entry(cards)},
		Training:    sampleTraining(cfg, docs.Docs()),
		Postmortems: map[int]string{7: "content/postmortems/2026-11-01-web.md"},
	}
	if _, err := Build(context.Background(), o, time.Now); err != nil {
		t.Fatal(err)
	}
	var pages []string
	err = filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), repo) {
			t.Errorf("%s shows the build machine's path %s", p, repo)
		}
		rel, _ := filepath.Rel(dest, p)
		pages = append(pages, "/"+filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 15 {
		t.Fatalf("only %d pages built: %v", len(pages), pages)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dest)))
	defer srv.Close()
	ctx := newTab(t, bin)
	const probe = `JSON.stringify({
		xss: window.__xss || 0,
		inline: [...document.scripts].filter(s => !s.src && s.type !== "application/json" && s.type !== "application/ld+json").length,
		handlers: [...document.querySelectorAll("*")].flatMap(e => [...e.attributes].filter(a => a.name.startsWith("on")).map(a => e.tagName + " " + a.name)),
		js: [...document.querySelectorAll("[href],[src],[action],[formaction]")].map(e => e.getAttribute("href") || e.getAttribute("src") || e.getAttribute("action") || e.getAttribute("formaction")).filter(u => /^\s*javascript:/i.test(u)),
		injected: document.querySelectorAll("img[src=x], svg[onload]").length,
		csp: window.__csp, errors: window.__errors,
	})`
	checked := 0
	for _, p := range pages {
		if strings.HasPrefix(p, "/pagefind/") {
			continue
		}
		open(t, ctx, srv.URL+p)
		got := eval[string](t, ctx, probe)
		if got != `{"xss":0,"inline":0,"handlers":[],"js":[],"injected":0,"csp":[],"errors":[]}` {
			t.Errorf("%s: %s", p, got)
		}
		checked++
	}
	t.Logf("%d pages opened", checked)
}
