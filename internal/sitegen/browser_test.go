package sitegen

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// These tests drive a real headless Chromium over the built sample site.
// They skip, saying why, when Chromium (or axe-core, or Pagefind for the
// search test) is not installed; CI installs all three.

func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

var (
	browserOnce sync.Once
	browserURL  string
)

// browse returns a browser tab and the URL the sample site is served at.
func browse(t *testing.T) (context.Context, string) {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		t.Skip("chromium not installed (apt-get install chromium): browser test skipped")
	}
	dir, _ := builtSample(t)
	browserOnce.Do(func() {
		// The server lives as long as the test binary: every browser
		// test reads the same site.
		srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
		browserURL = srv.URL
	})
	return newTab(t, bin), browserURL
}

// newTab starts a headless Chromium with a phone's window and returns
// its tab. Content-Security-Policy violations and script errors are
// recorded from the first byte of every page (window.__csp,
// window.__errors), so that a page that needs more than its policy
// allows, or a script that fails, fails its test.
func newTab(t *testing.T, bin string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844), // a phone
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
window.__errors = []; window.addEventListener("error", e => window.__errors.push(e.message || ("failed to load " + (e.target && (e.target.src || e.target.href)))), true);`,
	}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func open(t *testing.T, ctx context.Context, u string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds.
func waitFor(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if eval[bool](t, ctx, "!!("+js+")") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s (status %q)", js, eval[string](t, ctx, `(document.getElementById("search-status") || {}).textContent || ""`))
}

func noCSPViolations(t *testing.T, ctx context.Context) {
	t.Helper()
	if v := eval[[]string](t, ctx, "window.__csp || []"); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", v)
	}
}

// axeCheck runs axe-core on the open page and fails on serious or
// critical violations of WCAG 2.1 A and AA.
func axeCheck(t *testing.T, ctx context.Context) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Log("axe-core not installed (npm ci at the repository root): accessibility check skipped")
		return
	}
	eval[bool](t, ctx, string(src)+";true")
	raw := eval[string](t, ctx, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))`)
	var vs []struct {
		ID, Impact, Help string
		Nodes            []string
	}
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		msg := fmt.Sprintf("axe %s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

func TestBrowserDashboard(t *testing.T) {
	ctx, base := browse(t)
	open(t, ctx, base+"/")
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "Service quality against the plan" {
		t.Errorf("h1 = %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("svg[role=img] > title").length`); n < 2 {
		t.Errorf("%d charts with a title, want 2", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll(".targets > li").length`); n < 4 {
		t.Errorf("%d target cards, want at least 4", n)
	}
	// The skip link moves focus to the main content.
	eval[bool](t, ctx, `document.querySelector(".skip-link").click(), true`)
	if got := eval[string](t, ctx, `location.hash`); got != "#main" {
		t.Errorf("skip link leads to %q", got)
	}
	noCSPViolations(t, ctx)
	axeCheck(t, ctx)
}

func TestBrowserScorecard(t *testing.T) {
	ctx, base := browse(t)
	open(t, ctx, base+"/scorecards/services/postgres/")
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "PostgreSQL cluster" {
		t.Errorf("h1 = %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("table.checks tbody tr").length`); n != 1 {
		t.Errorf("%d checks, want 1", n)
	}
	if !eval[bool](t, ctx, `document.querySelector("img.badge").complete && document.querySelector("img.badge").naturalWidth > 0`) {
		t.Error("the badge did not load")
	}
	noCSPViolations(t, ctx)
	axeCheck(t, ctx)
}

// TestBrowserTrainingPage: the records read in a browser: the matrix has
// a row per person and a column per module, each cell says its state in
// text as well as a sign, and axe finds nothing.
func TestBrowserTrainingPage(t *testing.T) {
	ctx, base := browse(t)
	open(t, ctx, base+"/training/")
	if n := eval[int](t, ctx, `document.querySelectorAll("table.matrix tbody tr").length`); n != 3 {
		t.Errorf("%d matrix rows, want 3 (Ana, Cy, Bo)", n)
	}
	if got := eval[string](t, ctx, `[...document.querySelectorAll("table.matrix tbody tr")].find(r => r.querySelector("th").textContent.startsWith("Ana")).querySelector("td").textContent.replace(/\s+/g, " ").trim()`); got != "✓ 100 % passed, required" {
		t.Errorf("Ana's cell reads %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("progress").value + ""`); got != "50" {
		t.Errorf("curriculum progress = %s, want 50", got)
	}
	noCSPViolations(t, ctx)
	axeCheck(t, ctx)
}

func TestBrowserRunbookAndFeedbackLink(t *testing.T) {
	ctx, base := browse(t)
	open(t, ctx, base+"/runbooks/postgres-disk-full/")
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "PostgreSQL disk almost full" {
		t.Errorf("h1 = %q", got)
	}
	hrefs := eval[[]string](t, ctx, `[...document.querySelectorAll("a.feedback-link")].map(a => a.href)`)
	if len(hrefs) != 5 {
		t.Fatalf("%d feedback links, want 5", len(hrefs))
	}
	u, err := url.Parse(hrefs[4])
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "github.com" || u.Path != "/acme/ops/issues/new" || q.Get("template") != "feedback.yml" ||
		q.Get("labels") != "feedback" || q.Get("page") != "content/runbooks/postgres-disk-full.md" || q.Get("rating") != "5" {
		t.Errorf("feedback link = %s", hrefs[4])
	}
	edit := eval[string](t, ctx, `document.querySelector("a.edit-link").href`)
	if edit != "https://github.com/acme/ops/edit/trunk/content/runbooks/postgres-disk-full.md" {
		t.Errorf("edit link = %s", edit)
	}
	noCSPViolations(t, ctx)
	axeCheck(t, ctx)
}

func TestBrowserProcessAndIncident(t *testing.T) {
	ctx, base := browse(t)
	open(t, ctx, base+"/processes/incident-management/")
	if n := eval[int](t, ctx, `document.querySelectorAll("table.raci tbody tr").length`); n != 2 {
		t.Errorf("%d RACI rows, want 2", n)
	}
	axeCheck(t, ctx)
	open(t, ctx, base+"/incidents/15/")
	if eval[bool](t, ctx, `!!document.querySelector("main script, main img[src=x], main b")`) {
		t.Error("hostile ticket text became markup")
	}
	if got := eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "#15 "+hostileTitle {
		t.Errorf("h1 = %q", got)
	}
	noCSPViolations(t, ctx)
	axeCheck(t, ctx)
}

func TestBrowserSearch(t *testing.T) {
	if testPagefind() == "" {
		t.Skip("pagefind not installed (npm ci at the repository root): search test skipped")
	}
	ctx, base := browse(t)
	open(t, ctx, base+"/search/?q=disk")
	waitFor(t, ctx, `document.querySelectorAll("#search-results li").length > 0`)
	links := eval[[]string](t, ctx, `[...document.querySelectorAll("#search-results a")].map(a => a.pathname)`)
	found := false
	for _, l := range links {
		found = found || l == "/runbooks/postgres-disk-full/"
	}
	if !found {
		t.Errorf("search for disk found %v", links)
	}
	// Chinese has no spaces between words: a word from the middle of a
	// title is found.
	open(t, ctx, base+"/search/?q="+url.QueryEscape("管理"))
	waitFor(t, ctx, `document.querySelectorAll("#search-results li").length > 0 || document.getElementById("search-status").textContent === "No results."`)
	zh := eval[[]string](t, ctx, `[...document.querySelectorAll("#search-results a")].map(a => a.pathname)`)
	if len(zh) == 0 || zh[0] != "/processes/change-management-zh/" {
		t.Errorf("search for 管理 found %v", zh)
	}
	open(t, ctx, base+"/search/?q=disk")
	waitFor(t, ctx, `document.querySelectorAll("#search-results li").length > 0`)
	// Filtering by severity narrows the results to SEV1 pages.
	waitFor(t, ctx, `[...document.querySelectorAll("select[data-filter=severity] option")].some(o => o.value === "SEV1")`)
	eval[bool](t, ctx, `(() => { const s = document.querySelector("select[data-filter=severity]"); s.value = "SEV1"; s.dispatchEvent(new Event("change")); return true })()`)
	waitFor(t, ctx, `[...document.querySelectorAll("#search-results a")].every(a => a.pathname !== "/processes/incident-management/")`)
	noCSPViolations(t, ctx)
	axeCheck(t, ctx)
}
