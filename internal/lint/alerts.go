package lint

import (
	"strings"

	"github.com/opsqa/opsqa/internal/alerting"
	"github.com/opsqa/opsqa/internal/diag"
)

var alertRunbooksRule = Rule{
	ID:      alerting.RuleID,
	Summary: "every alert has a runbook_url that leads to a runbook listing it, and every runbook's alerts exist",
	Doc: `Every alerting rule in the Prometheus rule files named by opsqa.yaml
alert_rules (globs from the repository root, ** allowed) must have an
annotations.runbook_url that leads to a runbook: the runbook's page on the
site (<site.base_url>/runbooks/[<group>/]<id>/, in any case, optionally
with #anchor), its file on GitHub
(https://github.com/<repository>/blob/<branch>/<path>.md), a relative path
to its .md file (from the rule file's folder, or else from the repository
root), or a URL matching one of opsqa.yaml's runbook_urls, which map URL
patterns with {named} parts to files
(url: https://runbooks.example.dev/runbooks/{group}/{alert},
path: content/runbooks/{group}/{alert}.md, ignore_case: true), the
Prometheus ecosystem's convention of one file per alert. The runbook must
list the alert in its alerts, or, listing none, be named after it
(KubePodCrashLooping.md); every alert a runbook lists must exist in some
rule file. A URL that leads nowhere is reported at its line with the
nearest runbook. An on-call
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
		if len(p.Config.AlertRules) == 0 {
			p.CannotApply(nil, "opsqa.yaml names no alert_rules files")
		}
		scan := alerting.Read(p.Repo)
		for _, f := range scan.Findings {
			p.ReportDiagnostic(f)
		}
		for _, d := range scan.NotRuleFiles {
			p.CannotApply(d, "alert_rules matches it, but it has no groups: not a Prometheus rule file")
		}
		if len(p.Repo.RuleFiles().Docs) == 0 {
			return
		}
		// The other direction: every alert a runbook being linted lists
		// must be defined, or the runbook answers an alert nobody fires.
		names := scan.Names()
		defined := make(map[string]bool, len(names))
		for _, n := range names {
			defined[n] = true
		}
		for _, d := range p.Selected() {
			if d.Kind != "runbook" {
				continue
			}
			for _, item := range listItems(d, "alerts") {
				if !defined[item.Value] {
					p.Report(d.NodePos(item), "fix the name, or remove it if the alert was deleted",
						"alert %q is not defined in any rule file of alert_rules (%s)%s", item.Value, strings.Join(p.Config.AlertRules, ", "), diag.DidYouMean(item.Value, names))
				}
			}
		}
	},
}
