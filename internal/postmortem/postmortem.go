// Package postmortem reads the milestones of postmortem documents, the
// second source of the KPIs beside the tickets. It is the one home of
// what a milestone is (its name, its order, how its time is written): the
// postmortem-milestones lint rule checks the documents with it and the
// KPIs read them with it, so a time lint accepts is a time the KPIs use.
package postmortem

import (
	"errors"
	"fmt"
	"time"

	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/kpi"
)

// Milestone is one milestone of an incident.
type Milestone struct {
	Name string
	// field is where the milestone goes in the KPIs' record.
	field func(*kpi.Postmortem) **time.Time
}

// Milestones are the milestones a postmortem may give, in the order they
// happen.
var Milestones = []Milestone{
	{"started", func(p *kpi.Postmortem) **time.Time { return &p.Started }},
	{"detected", func(p *kpi.Postmortem) **time.Time { return &p.Detected }},
	{"acknowledged", func(p *kpi.Postmortem) **time.Time { return &p.Acknowledged }},
	{"mitigated", func(p *kpi.Postmortem) **time.Time { return &p.Mitigated }},
	{"resolved", func(p *kpi.Postmortem) **time.Time { return &p.Resolved }},
}

// ParseTime reads a milestone time: an RFC 3339 date-time with its zone,
// as the postmortem schema's date-time format requires. A time without a
// zone is refused rather than guessed: an hour's error is an hour of MTTR.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse milestone time %q: want an RFC 3339 date-time with its zone, such as 2026-10-01T09:30:00Z", s)
	}
	return t, nil
}

// front is the part of a postmortem's front matter that carries
// milestones. Times are read as strings so that one bad value costs only
// that milestone's message, not the decoding of the rest.
type front struct {
	Title      string            `yaml:"title"`
	Incident   int               `yaml:"incident"`
	Service    string            `yaml:"service"`
	Severity   string            `yaml:"severity"`
	Milestones map[string]string `yaml:"milestones"`
}

// Read returns what a postmortem document says about its incident's
// milestones. An error means the document cannot be used for the KPIs
// (no readable front matter, no incident number, a malformed time); lint
// reports the same problems with their positions.
func Read(doc *document.Document) (kpi.Postmortem, error) {
	if doc.FrontMatter == nil {
		return kpi.Postmortem{}, errors.New("its front matter cannot be read")
	}
	var fm front
	if err := doc.Decode(&fm); err != nil {
		return kpi.Postmortem{}, err
	}
	if fm.Incident <= 0 {
		return kpi.Postmortem{}, errors.New("no incident number")
	}
	pm := kpi.Postmortem{Incident: fm.Incident, Path: doc.Path, Title: fm.Title, Service: fm.Service, Severity: fm.Severity}
	for _, m := range Milestones {
		v, ok := fm.Milestones[m.Name]
		if !ok || v == "" {
			continue
		}
		t, err := ParseTime(v)
		if err != nil {
			return kpi.Postmortem{}, fmt.Errorf("milestone %s: %w", m.Name, err)
		}
		*m.field(&pm) = &t
	}
	return pm, nil
}

// ReadAll reads the postmortem documents. A document that cannot be used
// is left out with a warning naming it: lint reports it in full, and the
// KPIs still come out from the tickets.
func ReadAll(docs []*document.Document) (pms []kpi.Postmortem, warnings []string) {
	for _, d := range docs {
		pm, err := Read(d)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("postmortem %s left out of the KPIs: %v", d.Path, err))
			continue
		}
		pms = append(pms, pm)
	}
	return pms, warnings
}
