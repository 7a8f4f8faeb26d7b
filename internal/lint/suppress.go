package lint

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// A suppression is a comment: in Markdown an HTML comment, in front matter
// or YAML a # comment.
//
//	<!-- opsqa-disable-file placeholder: quoting the alert text verbatim -->
//	<!-- opsqa-disable-next-line links: the page is generated at build time -->
//	some line  <!-- opsqa-disable-line placeholder: TODO is the name of the flag -->
//
// The reason after the colon is required: a silenced check with no reason
// is how standards erode.
var suppressionRe = regexp.MustCompile(`opsqa-disable(-file|-next-line|-line)\s+([a-z0-9][a-z0-9,\s-]*?)\s*(?::\s*(.*?))?\s*(?:-->|$)`)

type suppression struct {
	file  string
	line  int // 0 for the whole file
	rules []string
	pos   diag.Position
	ok    bool // has a reason
}

// silences reports whether the suppression, with its reason, silences
// rule on that line of file.
func (s suppression) silences(file string, line int, rule string) bool {
	return s.ok && s.file == file && (s.line == 0 || s.line == line) && slices.Contains(s.rules, rule)
}

var suppressionRule = Rule{
	ID:      "suppression",
	Summary: "every inline suppression names known rules and gives a reason",
	Doc: `A rule can be silenced for one file or line with a comment:
"<!-- opsqa-disable-file RULE: reason -->", "<!-- opsqa-disable-next-line
RULE: reason -->" or "<!-- opsqa-disable-line RULE: reason -->" (in YAML:
front matter, opsqa.yaml and the alert rule files, "# opsqa-disable-line
RULE: reason"). Several rules are separated by commas.
The reason is required, and a suppression without one silences nothing.`,
	Severity: diag.Error,
	CheckRepository: func(p *Pass) {
		for _, s := range findSuppressions(p.Repo) {
			if !s.ok {
				p.Report(s.pos, "add ': why' after the rule IDs", "suppression of %s has no reason, so it is ignored", strings.Join(s.rules, ", "))
			}
			for _, r := range s.rules {
				if !slices.Contains(p.ruleIDs, r) {
					p.Report(s.pos, "run opsqa rules for the list of rule IDs", "suppression names unknown rule %q%s", r, didYouMean(r, p.ruleIDs))
				}
			}
		}
	},
}

// findSuppressions returns the suppressions of the documents parsed so far,
// of opsqa.yaml and of the alert rule files.
func findSuppressions(repo *Repository) []suppression {
	var out []suppression
	for _, e := range repo.entries {
		if e.parsed.Load() {
			out = append(out, e.suppressions...)
		}
	}
	if repo.ConfigDoc != nil {
		out = append(out, docSuppressions(repo.ConfigDoc)...)
	}
	return append(out, repo.alertRuleFiles().suppressions...)
}

func docSuppressions(d *document.Document) []suppression {
	var out []suppression
	if !bytes.Contains(d.Source, []byte("opsqa-disable")) {
		return nil
	}
	for i, line := range strings.Split(string(d.Source), "\n") {
		m := suppressionRe.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		s := suppression{file: d.Path, ok: m[6] >= 0 && strings.TrimSpace(line[m[6]:m[7]]) != ""}
		s.pos = d.Pos(0)
		s.pos.Line, s.pos.Column = i+1, len([]rune(line[:m[0]]))+1
		for _, r := range strings.Split(line[m[4]:m[5]], ",") {
			if r = strings.TrimSpace(r); r != "" {
				s.rules = append(s.rules, r)
			}
		}
		switch line[m[2]:m[3]] {
		case "-file":
			s.line = 0
		case "-next-line":
			s.line = i + 2
		case "-line":
			s.line = i + 1
		}
		out = append(out, s)
	}
	return out
}

// applySuppressions drops the findings silenced by a suppression with a
// reason. The suppression rule's own findings cannot be silenced.
func applySuppressions(repo *Repository, ds []diag.Diagnostic) []diag.Diagnostic {
	sups := findSuppressions(repo)
	if len(sups) == 0 {
		return ds
	}
	return slices.DeleteFunc(ds, func(d diag.Diagnostic) bool {
		if d.Rule == suppressionRule.ID {
			return false
		}
		return slices.ContainsFunc(sups, func(s suppression) bool { return s.silences(d.Pos.File, d.Pos.Line, d.Rule) })
	})
}
