package alerting

import (
	"testing"

	"github.com/opsqa/opsqa/internal/document"
)

// FuzzReadRuleFile feeds arbitrary YAML to the rule file reader, against
// the fixture's repository: no panic, every alert named and placed in
// the file, and an alert is covered only when it has a runbook.
func FuzzReadRuleFile(f *testing.F) {
	for _, s := range []string{
		"groups:\n- name: g\n  rules:\n  - alert: A\n    annotations: {runbook_url: runbooks/disk-full.md}\n",
		"spec:\n  groups:\n  - rules:\n    - alert: B\n      labels: {service: postgres}\n",
		"groups: [{rules: [{record: r, expr: up}]}]\n",
		"groups:\n- rules:\n  - alert: &a X\n    annotations: {runbook_url: *a}\n",
		"groups: 3\n", "- a\n- b\n", "",
	} {
		f.Add(s)
	}
	repo := load(f, fixture)
	f.Fuzz(func(t *testing.T, src string) {
		doc, _ := document.ParseYAML("monitoring/fuzz.yaml", []byte(src))
		if doc == nil {
			return
		}
		s := &Scan{}
		s.readRuleFile(newResolver(repo), doc, nil)
		for _, a := range s.Alerts {
			if a.Pos.File != "monitoring/fuzz.yaml" || a.Pos.Line < 1 {
				t.Errorf("alert %q at %v", a.Name, a.Pos)
			}
			if a.Covered && a.Runbook == nil {
				t.Errorf("alert %q covered without a runbook", a.Name)
			}
		}
	})
}
