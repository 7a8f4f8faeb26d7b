package lint

import (
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/repository"
	"github.com/opsqa/opsqa/internal/suppress"
)

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
		for _, s := range p.Repo.Suppressions() {
			if !s.HasReason {
				p.Report(s.Pos, "add ': why' after the rule IDs", "suppression of %s has no reason, so it is ignored", strings.Join(s.Rules, ", "))
			}
			for _, r := range s.Rules {
				if !slices.Contains(p.ruleIDs, r) {
					p.Report(s.Pos, "run opsqa rules for the list of rule IDs", "suppression names unknown rule %q%s", r, diag.DidYouMean(r, p.ruleIDs))
				}
			}
		}
	},
}

// applySuppressions drops the findings silenced by a suppression with a
// reason. The suppression rule's own findings cannot be silenced.
func applySuppressions(repo *repository.Repository, ds []diag.Diagnostic) []diag.Diagnostic {
	sups := repo.Suppressions()
	if len(sups) == 0 {
		return ds
	}
	return slices.DeleteFunc(ds, func(d diag.Diagnostic) bool {
		if d.Rule == suppressionRule.ID {
			return false
		}
		return suppress.Any(sups, d.Pos.File, d.Pos.Line, d.Rule)
	})
}
