package repository

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/suppress"
)

// RuleFiles is what the alert_rules globs of opsqa.yaml found: the
// Prometheus rule files, those of them that parse and the suppression
// comments in those, and findings for the globs that match nothing and
// the files that cannot be read or parsed. The findings carry no rule:
// the reader that reports them decides it.
type RuleFiles struct {
	Names        []string
	Docs         []*document.Document
	Suppressions []suppress.Suppression
	Findings     []diag.Diagnostic
}

var errNoMatch = errors.New("no file matches")

// MaxRuleFileSize is the largest alert rule file read: the limit of a
// document, which its parser applies as well.
const MaxRuleFileSize = document.MaxSize

// globRuleFiles finds the rule files of opsqa.yaml alert_rules. They are
// files opsqa lints, so they join Files: counted, and accepted as paths.
func (r *Repository) globRuleFiles() {
	set := &r.ruleFiles
	var files []string
	fsys := os.DirFS(r.Root)
	for i, pattern := range r.Config.AlertRules {
		clean, err := CleanGlob(pattern)
		var m []string
		if err == nil {
			m, err = doublestar.Glob(fsys, clean)
		}
		if err == nil && len(m) == 0 {
			err = errNoMatch
		}
		if err != nil {
			pos := diag.Position{File: config.FileName}
			if r.ConfigDoc != nil && r.ConfigDoc.FrontMatter != nil {
				pos = r.ConfigDoc.PosAt("alert_rules", i)
			}
			set.Findings = append(set.Findings, diag.Diagnostic{Pos: pos, Fix: "fix the glob; it is relative to the repository root",
				Message: fmt.Sprintf("alert_rules pattern %q: %v", pattern, err)})
			continue
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	set.Names = slices.Compact(files)
	r.Files = append(r.Files, set.Names...)
}

// The bounds of a glob of opsqa.yaml (alert_rules, lint.ignore).
const (
	// MaxGlobLength is the longest pattern, in bytes.
	MaxGlobLength = 1024
	// MaxGlobSegments is the most path segments in a pattern.
	MaxGlobSegments = 64
)

// CleanGlob returns pattern with each run of "**" segments made one:
// "**/**/x" matches what "**/x" does, but each "**" multiplies the
// ways a matcher may split a path, so thirty of them took exponential
// time. A pattern past MaxGlobLength or MaxGlobSegments is refused.
func CleanGlob(pattern string) (string, error) {
	if len(pattern) > MaxGlobLength {
		return "", fmt.Errorf("the pattern is %d bytes long, longer than the limit of %d", len(pattern), MaxGlobLength)
	}
	segs := strings.Split(pattern, "/")
	if len(segs) > MaxGlobSegments {
		return "", fmt.Errorf("the pattern has %d path segments, more than the limit of %d", len(segs), MaxGlobSegments)
	}
	out := segs[:0]
	for _, s := range segs {
		if s == "**" && len(out) > 0 && out[len(out)-1] == "**" {
			continue
		}
		out = append(out, s)
	}
	return strings.Join(out, "/"), nil
}

// RuleFiles reads and parses the alert rule files once, on first use.
func (r *Repository) RuleFiles() *RuleFiles {
	r.ruleFilesOnce.Do(func() {
		set := &r.ruleFiles
		for _, name := range set.Names {
			src, err := r.ReadFile(name, MaxRuleFileSize, "an alert rule file")
			if err != nil {
				set.Findings = append(set.Findings, r.readFinding(name, err))
				continue
			}
			doc, ds := document.ParseYAML(name, src)
			set.Findings = append(set.Findings, ds...)
			if doc != nil && doc.FrontMatter != nil {
				set.Docs = append(set.Docs, doc)
				set.Suppressions = append(set.Suppressions, suppress.Find(doc)...)
			}
		}
	})
	return &r.ruleFiles
}
