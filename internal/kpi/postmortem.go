package kpi

import (
	"fmt"
	"time"

	"github.com/opsqa/opsqa/internal/ticket"
)

// Postmortem is what a postmortem document says about an incident's
// milestones. Nil times are milestones it leaves out.
type Postmortem struct {
	// Incident is the incident's issue number.
	Incident int
	// Path is the document, slash-separated, for the record of sources.
	Path     string
	Title    string
	Service  string
	Severity string

	Started      *time.Time
	Detected     *time.Time
	Acknowledged *time.Time
	Mitigated    *time.Time
	Resolved     *time.Time
}

// PostmortemRule is the precedence applyPostmortems follows, stated in the
// output so that nobody has to read code to know it.
const PostmortemRule = "started and mitigated: the postmortem wins, because they describe the service and are reviewed after the fact " +
	"(impact often begins before the issue is filed; labels are often set late); " +
	"first response and resolved: the issue timeline wins, because GitHub records them as they happen, " +
	"and the postmortem fills them only when the issue has none (resolved only for an issue still open); " +
	"a postmortem without an issue makes an incident of its own, created at its detected time"

// applyPostmortems completes timelines with the postmortems' milestones
// under PostmortemRule. Postmortem times after asOf are ignored, as events
// are.
//
// A postmortem naming a ticket that was left out of the figures (left:
// its number and why) is not used either: it would bring the incident
// back on the postmortem's word alone.
func applyPostmortems(tls []ticket.Timeline, pms []Postmortem, asOf time.Time, left map[int]string) ([]ticket.Timeline, PostmortemUse) {
	use := PostmortemUse{Matched: []int{}, WithoutTicket: []int{}, Rejected: []RejectedPostmortem{}, Rule: PostmortemRule}
	if len(pms) == 0 {
		return tls, use
	}
	index := make(map[int]int, len(tls))
	for i := range tls {
		index[tls[i].Number] = i
	}
	seen := map[int]bool{}
	for _, pm := range pms {
		if pm.Incident <= 0 || seen[pm.Incident] {
			continue
		}
		seen[pm.Incident] = true
		mark := func(at *time.Time) *ticket.Milestone {
			if at == nil || at.After(asOf) {
				return nil
			}
			return &ticket.Milestone{At: *at, Source: ticket.SourcePostmortem, Ref: pm.Path}
		}
		i, ok := index[pm.Incident]
		if why, out := left[pm.Incident]; !ok && out {
			use.Rejected = append(use.Rejected, RejectedPostmortem{pm.Incident, pm.Path,
				fmt.Sprintf("issue #%d is left out of the figures: %s", pm.Incident, why)})
			continue
		}
		if !ok {
			created := pm.Detected
			if created == nil {
				created = pm.Started
			}
			if created == nil || created.After(asOf) {
				continue
			}
			tl := ticket.Timeline{
				Number: pm.Incident, Title: pm.Title, Class: ticket.Incident,
				Severity: pm.Severity, Service: pm.Service, Created: *created,
				Started: ticket.Milestone{At: *created, Source: ticket.SourcePostmortem, Ref: pm.Path},
				Outcome: ticket.OutcomeOpen,
			}
			if s := mark(pm.Started); s != nil {
				tl.Started = *s
			}
			tl.FirstResponse = mark(pm.Acknowledged)
			tl.Mitigated = mark(pm.Mitigated)
			if r := mark(pm.Resolved); r != nil {
				tl.Resolved, tl.Outcome = r, ticket.OutcomeResolved
			}
			tls = append(tls, tl)
			use.WithoutTicket = append(use.WithoutTicket, pm.Incident)
			continue
		}
		if c := tls[i].Class; c != ticket.Incident && c != ticket.Problem {
			use.Rejected = append(use.Rejected, RejectedPostmortem{pm.Incident, pm.Path,
				fmt.Sprintf("issue #%d is a %s ticket, not an incident or problem: is the incident number right?", pm.Incident, c)})
			continue
		}
		// The merge is built apart and kept only if its milestones are in
		// order: a postmortem naming the wrong issue would otherwise give
		// a negative time to recover, and skew every mean it enters.
		tl := tls[i]
		if s := mark(pm.Started); s != nil {
			tl.Started = *s
		}
		if m := mark(pm.Mitigated); m != nil {
			tl.Mitigated = m
		}
		if tl.FirstResponse == nil {
			tl.FirstResponse = mark(pm.Acknowledged)
		}
		if tl.Resolved == nil && tl.Outcome == ticket.OutcomeOpen {
			if r := mark(pm.Resolved); r != nil {
				tl.Resolved, tl.Outcome = r, ticket.OutcomeResolved
			}
		}
		if reason := disorder(&tl); reason != "" {
			use.Rejected = append(use.Rejected, RejectedPostmortem{pm.Incident, pm.Path, reason})
			continue
		}
		if tl.Severity == "" {
			tl.Severity = pm.Severity
		}
		if tl.Service == "" {
			tl.Service = pm.Service
		}
		tls[i] = tl
		use.Matched = append(use.Matched, pm.Incident)
	}
	return tls, use
}

// disorder says which milestones of a merged timeline are out of order,
// or "" when none are: impact must start before it is mitigated or
// resolved.
func disorder(tl *ticket.Timeline) string {
	started := tl.Started
	for _, m := range []struct {
		name string
		at   *ticket.Milestone
	}{{"mitigated", tl.Mitigated}, {"resolved", tl.Resolved}} {
		if m.at != nil && m.at.At.Before(started.At) {
			return fmt.Sprintf("started (%s, from the %s) would come after %s (%s, from the %s): is the incident number right?",
				started.At.UTC().Format(time.RFC3339), started.Source, m.name, m.at.At.UTC().Format(time.RFC3339), m.at.Source)
		}
	}
	return ""
}
