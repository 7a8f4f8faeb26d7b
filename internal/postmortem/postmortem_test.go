package postmortem

import (
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/schema"
)

func parse(t *testing.T, src string) *document.Document {
	t.Helper()
	d, ds := document.Parse("content/postmortems/p.md", []byte(src))
	if d == nil || len(ds) > 0 {
		t.Fatalf("parse: %v", ds)
	}
	d.Kind = "postmortem"
	return d
}

func TestRead(t *testing.T) {
	pm, err := Read(parse(t, "---\nincident: 14\nservice: db\nseverity: sev2\nmilestones:\n  started: 2026-05-09T02:10:00Z\n  acknowledged: \"2026-05-09T04:20:00+02:00\"\n  resolved: 2026-05-09T03:32:00Z\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if pm.Incident != 14 || pm.Service != "db" || pm.Path != "content/postmortems/p.md" {
		t.Errorf("got %+v", pm)
	}
	if pm.Started == nil || !pm.Started.Equal(time.Date(2026, 5, 9, 2, 10, 0, 0, time.UTC)) {
		t.Errorf("started = %v", pm.Started)
	}
	if pm.Acknowledged == nil || !pm.Acknowledged.Equal(time.Date(2026, 5, 9, 2, 20, 0, 0, time.UTC)) {
		t.Errorf("acknowledged = %v, want 02:20 UTC", pm.Acknowledged)
	}
	if pm.Detected != nil || pm.Mitigated != nil {
		t.Errorf("milestones left out are nil: detected %v, mitigated %v", pm.Detected, pm.Mitigated)
	}
}

// TestLintAndKPIsAgree: a milestone time is what the postmortem schema
// accepts, and nothing else. A time the schema (and so lint) refuses
// does not reach the KPIs, and one it accepts does.
func TestLintAndKPIsAgree(t *testing.T) {
	set, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"2026-05-09T02:10:00Z", "2026-05-09T02:10:00+02:00", "2026-05-09 02:10", "2026-05-09T02:10:00", "2026-05-09", "soon"} {
		d := parse(t, "---\nid: p\ntitle: A postmortem\nowner: ops\nstatus: active\nlast_reviewed: 2026-06-01\nincident: 3\nservice: db\nseverity: sev2\naction_items: []\nmilestones:\n  started: \""+v+"\"\n  detected: \"2026-05-09T02:10:00Z\"\n  resolved: \"2026-05-10T00:00:00Z\"\n---\n")
		schemaOK := true
		for _, f := range set.Validate("postmortem", d.Meta, d.FrontMatter, d.NodePos, "postmortem front matter") {
			if strings.Contains(f.Message, "started") || strings.Contains(f.Message, "date-time") {
				schemaOK = false
			}
		}
		_, readErr := Read(d)
		if schemaOK != (readErr == nil) {
			t.Errorf("%q: schema accepts it: %v, the KPIs read it: %v (%v)", v, schemaOK, readErr == nil, readErr)
		}
	}
}

func TestReadAllLeavesOutWithAWarning(t *testing.T) {
	pms, warnings := ReadAll([]*document.Document{
		parse(t, "---\nincident: 1\nmilestones: {started: 2026-05-09T02:10:00Z}\n---\n"),
		parse(t, "---\nservice: db\n---\n"),
		parse(t, "---\nincident: 2\nmilestones: {resolved: \"2026-05-09 02:10\"}\n---\n"),
	})
	if len(pms) != 1 || pms[0].Incident != 1 {
		t.Errorf("got %+v, want only incident 1", pms)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "no incident number") || !strings.Contains(warnings[1], "milestone resolved") {
		t.Errorf("warnings: %q", warnings)
	}
}

func TestMilestonesInOrder(t *testing.T) {
	var names []string
	for _, m := range Milestones {
		names = append(names, m.Name)
	}
	if got := strings.Join(names, " "); got != "started detected acknowledged mitigated resolved" {
		t.Errorf("milestones: %s", got)
	}
}
