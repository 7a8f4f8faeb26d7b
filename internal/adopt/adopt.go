// Package adopt reads a repository that was not written for opsqa (its
// runbook folders, the section template they follow, the front matter
// they use, its alert rule files and where their runbook_urls lead) and
// proposes the opsqa.yaml that lints it as its maintainers intend, with
// the reason for every setting. It only reads; the caller writes.
package adopt

import (
	"cmp"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/safefile"
	"github.com/opsqa/opsqa/internal/schema"
)

// Reason is one setting of the proposal and why it was chosen, printed by
// init and written as a comment above the setting.
type Reason struct {
	Setting string // "runbooks", "sections", …
	Value   string
	Why     string
}

// Proposal is the configuration a survey proposes.
type Proposal struct {
	Organisation string
	Repository   string // owner/name on GitHub, "" when unknown
	Collections  []config.Collection
	Sections     []string // the runbooks' required sections, in order
	AlertRules   []string
	RunbookURLs  []config.RunbookURL
	Ignore       []string // template files inside a collection
	// ReviewDays is the runbooks' review interval a guideline states, 0
	// when none does.
	ReviewDays int
	Reasons    []Reason
}

func (p *Proposal) because(setting, value, format string, args ...any) {
	p.Reasons = append(p.Reasons, Reason{Setting: setting, Value: value, Why: fmt.Sprintf(format, args...)})
}

// Why returns the reason recorded for a setting, or "".
func (p *Proposal) Why(setting string) string {
	for _, r := range p.Reasons {
		if r.Setting == setting {
			return r.Why
		}
	}
	return ""
}

// skippedDirs are folders that never hold a team's documents: tools'
// output and dependencies. Hidden folders are skipped too.
var skippedDirs = map[string]bool{
	"node_modules": true, "vendor": true, "public": true, "resources": true,
	"themes": true, "_site": true, "dist": true,
}

// runbookDirRe names a folder of runbooks.
var runbookDirRe = regexp.MustCompile(`(?i)^(run[-_ ]?books?|play[-_ ]?books?)$`)

// tree is what the walk found.
type tree struct {
	markdown []string // slash-separated, relative to the root, sorted
	yaml     []string
}

func walk(root string) (*tree, error) {
	t := &tree{}
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable corner does not stop the survey
		}
		if e.IsDir() {
			if p != root && (strings.HasPrefix(e.Name(), ".") || skippedDirs[e.Name()]) {
				return fs.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() && e.Type()&fs.ModeSymlink == 0 {
			return nil // a named pipe or a device: never opened (lint reports it)
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		switch strings.ToLower(path.Ext(rel)) {
		case ".md": // what lint reads
			t.markdown = append(t.markdown, rel)
		case ".yaml", ".yml":
			t.yaml = append(t.yaml, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey %s: %w", root, err)
	}
	return t, nil
}

// Survey reads the repository at root and proposes its configuration.
func Survey(root string) (*Proposal, error) {
	t, err := walk(root)
	if err != nil {
		return nil, err
	}
	p := &Proposal{Organisation: filepath.Base(must(filepath.Abs(root)))}
	p.Repository = gitHubRemote(root)
	docs := readDocs(root, t.markdown)
	cols := runbookFolders(t.markdown, docs)
	if len(cols) == 0 {
		return p, nil
	}
	templ := findTemplate(root, t.markdown, docs, cols)
	var runbooks []*document.Document
	for _, c := range cols {
		n, groups := 0, map[string]bool{}
		for _, f := range t.markdown {
			if d := docs[f]; d != nil && under(f, c) && !isIndex(f) && (templ == nil || f != templ.path) {
				runbooks = append(runbooks, d)
				n++
				groups[path.Dir(f)] = true
			}
		}
		p.Collections = append(p.Collections, config.Collection{Path: c, Kind: "runbook"})
		p.because("collection "+c, c, "%s in %s", plural(n, "runbook"), plural(len(groups), "folder"))
	}
	p.chooseSections(runbooks, templ)
	p.chooseFrontMatter(runbooks)
	if err := p.chooseAlertRules(root, t); err != nil {
		return nil, err
	}
	return p, nil
}

func must[T any](v T, _ error) T { return v }

// readDocs parses every Markdown file that could be a runbook; files that
// cannot be read or parsed are left out of the survey (lint reports them).
func readDocs(root string, files []string) map[string]*document.Document {
	docs := map[string]*document.Document{}
	for _, f := range files {
		src, err := safefile.ReadFile(filepath.Join(root, filepath.FromSlash(f)), document.MaxSize, "a document")
		if err != nil || len(src) > document.MaxSize {
			continue
		}
		if d, _ := document.Parse(f, src); d != nil {
			docs[f] = d
		}
	}
	return docs
}

func under(file, dir string) bool { return dir == "." || strings.HasPrefix(file, dir+"/") }

// isIndex reports a folder's index page, which opsqa gives no kind.
func isIndex(f string) bool {
	b := strings.ToLower(path.Base(f))
	return b == "_index.md" || b == "readme.md" || b == "index.md"
}

// runbookVocabulary are headings runbooks have and other documents seldom
// do; a folder of files with two or more of them is a runbook folder even
// when it is not named so.
var runbookVocabulary = []string{
	"symptoms", "diagnosis", "mitigation", "remediation", "resolution",
	"impact", "escalation", "troubleshooting", "rollback", "verification",
}

// runbookFolders finds the folders of runbooks: the topmost folder named
// runbooks (or playbooks) above Markdown files; failing that, the folders
// whose files read like runbooks.
func runbookFolders(files []string, docs map[string]*document.Document) []string {
	var cols []string
	for _, f := range files {
		segs := strings.Split(path.Dir(f), "/")
		for i, s := range segs {
			if runbookDirRe.MatchString(s) {
				if c := strings.Join(segs[:i+1], "/"); !slices.Contains(cols, c) {
					cols = append(cols, c)
				}
				break
			}
		}
	}
	if len(cols) > 0 {
		return cols
	}
	count := map[string]int{}
	for _, f := range files {
		d := docs[f]
		if d == nil || isIndex(f) {
			continue
		}
		hits := 0
		for _, h := range d.Headings() {
			if h.Level == 2 && slices.Contains(runbookVocabulary, strings.ToLower(strings.TrimSpace(h.Text))) {
				hits++
			}
		}
		if hits >= 2 {
			count[path.Dir(f)]++
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(count)) {
		if count[dir] < 2 || dir == "." {
			continue
		}
		if !slices.ContainsFunc(cols, func(c string) bool { return under(dir, c) }) {
			cols = append(cols, dir)
		}
	}
	return cols
}

// template is a file that states the runbooks' sections.
type template struct {
	path       string
	sections   []string
	inside     bool // the file lies in a collection: lint must ignore it
	reviewDays int  // the review interval it states, or 0
}

var (
	templateNameRe  = regexp.MustCompile(`(?i)template`)
	guidelineNameRe = regexp.MustCompile(`(?i)(guideline|guide|contributing|style|how-?to-?write)`)
	fenceRe         = regexp.MustCompile("(?ms)^(```|~~~)[ \t]*(markdown|md)[ \t]*\n(.*?)^(```|~~~)")
	h2LineRe        = regexp.MustCompile(`(?m)^##[ \t]+(.+?)[ \t#]*$`)
	// reviewEveryRe finds "reviewed every 90 days", "review them every 6
	// months" in a guideline.
	reviewEveryRe = regexp.MustCompile(`(?i)\breview(?:ed|s)?\b[^.\n]{0,60}?\bevery\s+(\d+)\s+(day|week|month)s?\b`)
)

// findTemplate finds a runbook template (a file named *template*: its
// second-level headings) or a guideline that shows one (its first
// fenced markdown block with two or more second-level headings), in a
// collection or at the top of the repository or docs/.
func findTemplate(root string, files []string, docs map[string]*document.Document, cols []string) *template {
	var best *template
	for _, f := range files {
		inside := slices.ContainsFunc(cols, func(c string) bool { return under(f, c) })
		dir := path.Dir(f)
		if !inside && dir != "." && dir != "docs" && dir != ".github" {
			continue
		}
		name := path.Base(f)
		var secs []string
		switch {
		case templateNameRe.MatchString(name):
			if d := docs[f]; d != nil {
				for _, h := range d.Headings() {
					if h.Level == 2 {
						secs = append(secs, strings.TrimSpace(h.Text))
					}
				}
			}
			if len(secs) < 2 {
				secs = fencedSections(root, f)
			}
		case guidelineNameRe.MatchString(name):
			secs = fencedSections(root, f)
		}
		if len(secs) >= 2 && (best == nil || templateNameRe.MatchString(name) && !templateNameRe.MatchString(path.Base(best.path))) {
			best = &template{path: f, sections: secs, inside: inside, reviewDays: reviewDays(root, f)}
		}
	}
	return best
}

// reviewDays is the review interval file f states, in days, or 0.
func reviewDays(root, f string) int {
	src, err := safefile.ReadFile(filepath.Join(root, filepath.FromSlash(f)), document.MaxSize, "a document")
	if err != nil {
		return 0
	}
	m := reviewEveryRe.FindSubmatch(src)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	switch strings.ToLower(string(m[2])) {
	case "week":
		n *= 7
	case "month":
		n *= 30
	}
	return n
}

// fencedSections are the second-level headings of the first fenced
// markdown block of file f that has two or more.
func fencedSections(root, f string) []string {
	src, err := safefile.ReadFile(filepath.Join(root, filepath.FromSlash(f)), document.MaxSize, "a document")
	if err != nil {
		return nil
	}
	for _, m := range fenceRe.FindAllSubmatch(src, -1) {
		var secs []string
		for _, h := range h2LineRe.FindAllSubmatch(m[3], -1) {
			secs = append(secs, string(h[1]))
		}
		if len(secs) >= 2 {
			return secs
		}
	}
	return nil
}

// chooseSections takes the required sections from the template when
// there is one, or else from the runbooks themselves: the ordered
// sequence of second-level headings most of them share.
func (p *Proposal) chooseSections(runbooks []*document.Document, templ *template) {
	if templ != nil {
		p.Sections = templ.sections
		if templ.inside {
			p.Ignore = append(p.Ignore, templ.path)
		}
		p.because("sections", strings.Join(p.Sections, ", "), "the headings of %s", templ.path)
		if templ.reviewDays > 0 {
			p.ReviewDays = templ.reviewDays
			p.because("review_intervals", fmt.Sprintf("runbook: %d days", p.ReviewDays), "%s says runbooks are reviewed every %d days", templ.path, p.ReviewDays)
		}
		return
	}
	if len(runbooks) == 0 {
		return
	}
	type seq struct {
		names []string
		n     int
	}
	bySeq := map[string]*seq{}
	present := map[string]int{}        // lower-case heading → runbooks that have it
	spelling := map[string]string{}    // lower-case heading → its first spelling
	position := map[string][]float64{} // relative positions, for the order
	for _, d := range runbooks {
		var names []string
		for _, h := range d.Headings() {
			if h.Level == 2 {
				names = append(names, strings.TrimSpace(h.Text))
			}
		}
		key := strings.ToLower(strings.Join(names, "\x00"))
		if bySeq[key] == nil {
			bySeq[key] = &seq{names: names}
		}
		bySeq[key].n++
		seen := map[string]bool{}
		for i, n := range names {
			l := strings.ToLower(n)
			if seen[l] {
				continue
			}
			seen[l] = true
			present[l]++
			if spelling[l] == "" {
				spelling[l] = n
			}
			position[l] = append(position[l], float64(i)/float64(len(names)))
		}
	}
	var top *seq
	for _, k := range slices.Sorted(maps.Keys(bySeq)) {
		if s := bySeq[k]; len(s.names) >= 2 && (top == nil || s.n > top.n) {
			top = s
		}
	}
	total := len(runbooks)
	// A sequence shared by a third of the runbooks is the template; below
	// that the runbooks vary too much for one sequence, and the sections
	// are those most of them have, in their usual order.
	if top != nil && top.n*3 >= total {
		p.Sections = top.names
		p.because("sections", strings.Join(p.Sections, ", "), "the most common sequence of second-level headings: %d of %d runbooks follow it exactly", top.n, total)
		return
	}
	var common []string
	for _, l := range slices.Sorted(maps.Keys(present)) {
		if present[l]*4 >= total*3 {
			common = append(common, l)
		}
	}
	mean := func(l string) float64 {
		s := 0.0
		for _, x := range position[l] {
			s += x
		}
		return s / float64(len(position[l]))
	}
	slices.SortStableFunc(common, func(a, b string) int { return cmp.Compare(mean(a), mean(b)) })
	for _, l := range common {
		p.Sections = append(p.Sections, spelling[l])
	}
	if len(p.Sections) > 0 {
		p.because("sections", strings.Join(p.Sections, ", "), "the second-level headings at least three in four of %d runbooks have, in their usual order (no one sequence is shared by a third of them)", total)
	}
}

// chooseFrontMatter relaxes the runbook schema as far as the runbooks
// need: front matter optional unless every runbook has all the keys the
// schema requires; extra keys allowed when they use keys it does not know.
func (p *Proposal) chooseFrontMatter(runbooks []*document.Document) {
	set, err := schema.Load()
	if err != nil || len(p.Collections) == 0 {
		return
	}
	known, required := set.Keys("runbook")
	with, complete := 0, 0
	extra := map[string]int{}
	for _, d := range runbooks {
		if d.NoFrontMatter || d.Meta == nil {
			continue
		}
		with++
		if !slices.ContainsFunc(required, func(k string) bool { _, ok := d.Meta[k]; return !ok }) {
			complete++
		}
		for k := range d.Meta {
			if !slices.Contains(known, k) {
				extra[k]++
			}
		}
	}
	n := len(runbooks)
	fm, ek := "required", "deny"
	fmWhy := fmt.Sprintf("all %s have the keys the runbook schema requires (%s)", plural(n, "runbook"), strings.Join(required, ", "))
	if complete < n {
		fm = "optional"
		fmWhy = fmt.Sprintf("%d of %d runbooks have front matter, %d all the keys the runbook schema requires (%s)",
			with, n, complete, strings.Join(required, ", "))
		if with == 0 {
			fmWhy = "no runbook has front matter"
		}
		fmWhy += ": the keys a runbook gives are checked, missing ones are not; one without an id takes it from its file name, one without a title takes its first heading"
	}
	ekWhy := "the runbooks use no key the runbook schema does not know"
	if len(extra) > 0 {
		ek = "allow"
		var ks []string
		for _, k := range slices.Sorted(maps.Keys(extra)) {
			ks = append(ks, fmt.Sprintf("%s (%d)", k, extra[k]))
		}
		ekWhy = "the runbooks use keys the runbook schema does not know: " + strings.Join(ks, ", ")
	}
	for i := range p.Collections {
		p.Collections[i].FrontMatter = fm
		p.Collections[i].ExtraKeys = ek
	}
	p.because("front_matter", fm, "%s", fmWhy)
	p.because("extra_keys", ek, "%s", ekWhy)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
