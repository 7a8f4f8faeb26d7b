// Package lint checks a repository of opsqa documents. A rule is a small
// value in its own file (ID, documentation, a check function), listed in
// one registry (rules.go). The runner loads every document once, runs each
// rule, applies the configured severities and the inline suppressions, and
// returns the findings sorted by position.
package lint

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/repository"
)

// Rule is one check.
type Rule struct {
	// ID is stable: it appears in output, configuration and suppressions.
	ID string
	// Summary is one line: what the rule checks.
	Summary string
	// Doc explains why the rule exists and how to fix what it finds.
	Doc string
	// Severity is the default; opsqa.yaml lint.rules may change it.
	Severity diag.Severity
	// Kinds limits CheckDocument to documents of these kinds; empty
	// means every document, including those of no kind.
	Kinds []string
	// CheckDocument runs once per document.
	CheckDocument func(p *Pass, d *document.Document)
	// CheckRepository runs once over the whole repository.
	CheckRepository func(p *Pass)
}

func (r *Rule) appliesTo(kind string) bool {
	if len(r.Kinds) == 0 {
		return true
	}
	for _, k := range r.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// Pass is what a rule sees while it runs.
type Pass struct {
	Repo   *repository.Repository
	Config *config.Config
	// Today is the date review intervals and "not in the future" are
	// measured against; injectable for reproducible runs.
	Today time.Time
	// Base is the Git revision the documents are compared with (lint
	// --changed-since), "" when there is none.
	Base  string
	rule  *Rule
	found []diag.Diagnostic
	// unchecked are the documents (nil: the repository) the rule could
	// not apply to, with why.
	unchecked []unchecked
	// ruleIDs are the IDs of every rule, for checking references to rules
	// (a rule's own value cannot name the registry that lists it).
	ruleIDs []string
	// selected are the documents being linted, under paths.
	selected []*document.Document
	paths    *repository.PathSet
	// team are the collections' own schemas, read once per run.
	team *teamSchemas
	// folders are the listings of the run's folders, shared by its passes.
	folders *folders
}

// Selected returns the documents being linted: all of them, or those
// under the paths asked for. A repository rule that checks each document
// against the rest iterates these, so that linting one file does not
// parse the whole repository.
func (p *Pass) Selected() []*document.Document { return p.selected }

// reports reports whether findings in file are shown: a repository rule
// whose findings all lie in one file need not run when they would not be.
func (p *Pass) reports(file string) bool { return p.paths.Holds(file) }

// Report records a finding of the running rule at pos.
func (p *Pass) Report(pos diag.Position, fix, format string, args ...any) {
	p.found = append(p.found, diag.Diagnostic{
		Pos:      pos,
		Severity: p.rule.Severity,
		Rule:     p.rule.ID,
		Message:  fmt.Sprintf(format, args...),
		Fix:      fix,
	})
}

// ReportDiagnostic records a finding made elsewhere (a parser, the schema
// validator) under the running rule.
func (p *Pass) ReportDiagnostic(d diag.Diagnostic) {
	d.Rule = p.rule.ID
	d.Severity = p.rule.Severity
	p.found = append(p.found, d)
}

// CannotApply records that the running rule could not check d (nil: the
// repository as a whole), and why: the summary says so, so that a clean
// run never hides a check that did not run.
func (p *Pass) CannotApply(d *document.Document, why string) {
	u := unchecked{why: why}
	if d != nil {
		u.file = d.Path
	}
	p.unchecked = append(p.unchecked, u)
}

type unchecked struct{ file, why string }

// Options says what to lint.
type Options struct {
	// Root is the repository root on disk.
	Root string
	// Paths, when set, limits the findings to these files and folders
	// (slash-separated, relative to Root). The whole repository is still
	// loaded: links and references need it.
	Paths []string
	// Today is the date of the run; the zero value means time.Now is the
	// caller's job, so it must be set.
	Today time.Time
	// Base, when set, is the Git revision the documents are compared
	// with: what lint --changed-since names.
	Base string
}

// Result is a finished run.
type Result struct {
	Diagnostics []diag.Diagnostic
	Repo        *repository.Repository
	// Files is how many files were checked.
	Files int
	// Unchecked are the checks that could not apply, by rule and reason.
	Unchecked []diag.Unchecked
}

// Run lints the repository at opts.Root. It returns an error only when it
// could not run at all (the root is unreadable); every problem with the
// content is a finding.
func Run(opts Options) (*Result, error) {
	repo, err := repository.Load(opts.Root)
	if err != nil {
		return nil, err
	}
	return Check(repo, opts), nil
}

// Check runs every rule over a loaded repository. Repository rules run
// one after the other; document rules run in parallel across documents,
// each document's rules in one goroutine, so a rule never needs a lock.
func Check(repo *repository.Repository, opts Options) *Result {
	cfg := repo.Config
	var ids []string
	var enabled []*Rule
	for _, r := range Rules() {
		ids = append(ids, r.ID)
		rule := *r
		if setting, ok := cfg.Lint.Rules[rule.ID]; ok {
			if setting == "off" {
				continue
			}
			if sev, ok := diag.ParseSeverity(setting); ok {
				rule.Severity = sev
			}
		}
		enabled = append(enabled, &rule)
	}
	// The selected documents are parsed first, on every CPU. Document
	// rules run on them only; repository rules see the whole repository,
	// parsing what they look at, and their findings are filtered below.
	docs := repo.Select(opts.Paths)
	team := readTeamSchemas(repo)
	folders := newFolders(repo.Root)
	paths := repository.NewPathSet(opts.Paths)
	newPass := func(r *Rule) *Pass {
		return &Pass{Repo: repo, Config: cfg, Today: opts.Today, Base: opts.Base, rule: r, ruleIDs: ids, selected: docs, paths: paths, team: team, folders: folders}
	}
	var all []diag.Diagnostic
	var skipped ruleSkips
	for _, r := range enabled {
		if r.CheckRepository != nil {
			p := newPass(r)
			r.CheckRepository(p)
			all = append(all, p.found...)
			skipped.add(r.ID, p.unchecked)
		}
	}
	perDoc := make([][]diag.Diagnostic, len(docs))
	perDocSkips := make([]ruleSkips, len(docs))
	repository.Parallel(len(docs), func(i int) {
		d := docs[i]
		for _, r := range enabled {
			if r.CheckDocument != nil && r.appliesTo(d.Kind) {
				p := newPass(r)
				r.CheckDocument(p, d)
				perDoc[i] = append(perDoc[i], p.found...)
				perDocSkips[i].add(r.ID, p.unchecked)
			}
		}
		// Its rules are done: keep the anchors other documents link to,
		// not the parse tree, so memory does not grow with the repository.
		d.Release()
	})
	for i, ds := range perDoc {
		all = append(all, ds...)
		skipped = append(skipped, perDocSkips[i]...)
	}
	all = applySuppressions(repo, all)
	selected := all[:0]
	for _, d := range all {
		if paths.Holds(d.Pos.File) {
			selected = append(selected, d)
		}
	}
	diag.Sort(selected)
	files := 0
	for _, f := range repo.Files {
		if paths.Holds(f) {
			files++
		}
	}
	return &Result{Diagnostics: selected, Repo: repo, Files: files, Unchecked: skipped.summary(paths)}
}

// ruleSkips are the checks rules could not apply, in the order met.
type ruleSkips []ruleSkip

type ruleSkip struct {
	rule string
	unchecked
}

func (s *ruleSkips) add(rule string, us []unchecked) {
	for _, u := range us {
		*s = append(*s, ruleSkip{rule, u})
	}
}

// summary groups the skips by rule and reason, keeping the files under
// paths, ordered by rule and reason.
func (s ruleSkips) summary(paths *repository.PathSet) []diag.Unchecked {
	type key struct{ rule, why string }
	byKey := map[key]*diag.Unchecked{}
	var out []*diag.Unchecked
	for _, k := range s {
		if k.file != "" && !paths.Holds(k.file) {
			continue
		}
		u := byKey[key{k.rule, k.why}]
		if u == nil {
			u = &diag.Unchecked{Rule: k.rule, Reason: k.why}
			byKey[key{k.rule, k.why}] = u
			out = append(out, u)
		}
		if k.file != "" {
			u.Files = append(u.Files, k.file)
		}
	}
	res := make([]diag.Unchecked, 0, len(out))
	for _, u := range out {
		slices.Sort(u.Files)
		res = append(res, *u)
	}
	slices.SortFunc(res, func(a, b diag.Unchecked) int {
		return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Reason, b.Reason))
	})
	return res
}
