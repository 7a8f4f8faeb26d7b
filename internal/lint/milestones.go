package lint

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/postmortem"
)

var postmortemMilestonesRule = Rule{
	ID:      "postmortem-milestones",
	Summary: "postmortem milestones are in time order and not in the future",
	Doc: `A postmortem's milestones (started, detected, acknowledged, mitigated,
resolved; those present) must not go back in time, and none may be later
than the end of today. Postmortems are a source of the KPIs: a resolved
time before the start makes a negative recovery time, and a mistyped month
one of weeks, both of which skew MTTR for everyone. Each finding names both
times; a common cause is a local time written with Z, or a date typo. Fix
the time, with its time zone.`,
	Severity: diag.Error,
	Kinds:    []string{"postmortem"},
	CheckDocument: func(p *Pass, d *document.Document) {
		_, ms := d.Lookup("milestones")
		if ms == nil {
			p.CannotApply(d, "no milestones in the front matter")
			return
		}
		if ms.Kind != yaml.MappingNode {
			return // the schema rule reports the wrong type
		}
		t := p.Today
		endOfToday := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, t.Location())
		prevName, prevValue := "", ""
		var prev time.Time
		for _, m := range postmortem.Milestones {
			name := m.Name
			_, v := document.MapLookup(ms, name)
			if v == nil || v.Kind != yaml.ScalarNode {
				continue
			}
			at, err := postmortem.ParseTime(v.Value)
			if err != nil {
				continue // the schema rule reports a malformed date-time
			}
			if prevName != "" && at.Before(prev) {
				p.Report(d.NodePos(v), "check both times and their time zones",
					"%s (%s) is before %s (%s); milestones run %s", name, v.Value, prevName, prevValue, milestoneOrder())
			}
			if !at.Before(endOfToday) {
				p.Report(d.NodePos(v), "check the date and the time zone",
					"%s (%s) is in the future: after the end of %s (%s)", name, v.Value, t.Format(time.DateOnly), endOfToday.Format(time.RFC3339))
			}
			prevName, prevValue, prev = name, v.Value, at
		}
	},
}

// milestoneOrder says in which order the milestones run.
func milestoneOrder() string {
	var names []string
	for _, m := range postmortem.Milestones {
		names = append(names, m.Name)
	}
	return strings.Join(names, " ≤ ")
}
