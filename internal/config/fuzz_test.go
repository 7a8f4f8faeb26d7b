package config

import "testing"

// FuzzParse feeds arbitrary text as opsqa.yaml: no panic; what parses
// keeps the collections (the defaults when none are given) and a weight
// on every scorecard check.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"organisation: X\nteams:\n  - id: ops\n    members: [{login: a, role: r}]\n",
		"collections:\n  - {path: docs, kind: runbook}\nscorecard:\n  checks: [{id: c, level: bronze}]\n",
		"training: {retake_hours: -1, recertification_notice_days: 1e9}\n",
		"a: &a [*a]\n", "targets: {mttr_minutes: x}\n", "- 1\n", "", "\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if c == nil {
			if err == nil {
				t.Fatal("no configuration and no error")
			}
			return
		}
		if len(c.Collections) == 0 {
			t.Error("no collections: the defaults were dropped")
		}
		for _, ch := range c.Scorecard.Checks {
			if ch.Weight == 0 {
				t.Errorf("check %q has weight 0", ch.ID)
			}
		}
		_ = c.Training.RetakeAfter()
		_ = c.Training.Notice()
	})
}
