package scorecard

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/config"
)

// checkDef is a check opsqa knows how to measure.
type checkDef struct {
	// subject is the kind of card the check measures.
	subject string
	doc     string
	measure func(e *evalEnv, s subject) measurement
}

// registry lists every check, by the id opsqa.yaml uses.
var registry = map[string]checkDef{
	"alerts-have-runbooks": {SubjectService, "Every alert rule of the service has a runbook_url leading to a runbook that lists the alert.", alertsHaveRunbooks},
	"runbooks-reviewed":    {SubjectService, "Every active runbook of the service was reviewed within its review interval.", runbooksReviewed},
	"mttr-target":          {SubjectService, "The service's mean time to recover over the period is within the MTTR target.", mttrTarget},
	"response-target":      {SubjectService, "The share of the service's tickets that got a first response within their severity's target reaches kpi.first_response_target_ratio (80 % by default).", responseTarget},
	"postmortems-done":     {SubjectService, "Every resolved SEV1 and SEV2 incident of the service has a postmortem.", postmortemsDone},
	"on-call-trained":      {SubjectTeam, "Every team member in an on-call role passed the quizzes of the on-call curricula for that role.", onCallTrained},
}

// KnownChecks maps the id of every check opsqa measures to what it
// measures, for documentation and for validating opsqa.yaml.
func KnownChecks() map[string]string {
	out := make(map[string]string, len(registry))
	for id, d := range registry {
		out[id] = d.doc
	}
	return out
}

func knownChecks() []string { return slices.Sorted(maps.Keys(registry)) }

// subject is the service or team a check measures.
type subject struct {
	kind string
	id   string
	team config.Team
}

// measurement is what a check function finds; run turns it into a
// CheckResult.
type measurement struct {
	status        Status
	figure        string
	value, target *float64
	unit          string
	n             int
	items         []string
}

func notMeasured(format string, args ...any) measurement {
	return measurement{status: NotMeasured, figure: fmt.Sprintf(format, args...)}
}

func notApplicable(format string, args ...any) measurement {
	return measurement{status: NotApplicable, figure: fmt.Sprintf(format, args...)}
}

// share is a check that passes when every one of total things is good.
func share(good, total int, figure string, items []string) measurement {
	slices.Sort(items)
	return shareOrdered(good, total, figure, items)
}

func shareOrdered(good, total int, figure string, items []string) measurement {
	v, t := float64(good)/float64(total), 1.0
	st := Fail
	if good == total {
		st = Pass
	}
	return measurement{status: st, figure: figure, value: &v, target: &t, unit: "ratio", n: total, items: items}
}

// unavailable returns the reason the first missing source gives, if any:
// the caller's words, such as "no snapshot: run opsqa incidents sync".
func (e *evalEnv) unavailable(sources ...Source) (string, bool) {
	for _, s := range sources {
		if why, ok := e.in.Unavailable[s]; ok {
			return why, true
		}
	}
	return "", false
}

func alertsHaveRunbooks(e *evalEnv, s subject) measurement {
	if why, ok := e.unavailable(SourceAlerts, SourceDocuments); ok {
		return notMeasured("%s", why)
	}
	var total, good int
	var items []string
	for _, a := range e.in.Alerts {
		if a.Service != s.id {
			continue
		}
		total++
		if a.Covered {
			good++
		} else {
			items = append(items, a.Name+" ("+a.Problem+")")
		}
	}
	if total == 0 {
		return notApplicable("no alert rule names this service")
	}
	return share(good, total, fmt.Sprintf("%d of %d alerts lead to a runbook that lists them", good, total), items)
}

func runbooksReviewed(e *evalEnv, s subject) measurement {
	if why, ok := e.unavailable(SourceDocuments); ok {
		return notMeasured("%s", why)
	}
	var total, good int
	var items []string
	for _, rb := range e.in.Runbooks {
		if rb.Service != s.id || !rb.HeldToReview {
			continue
		}
		total++
		switch {
		case rb.Review == nil:
			items = append(items, rb.ID+" (no review date)")
		case rb.Review.Overdue:
			items = append(items, fmt.Sprintf("%s (review due %s)", rb.ID, rb.Review.Due.Format(time.DateOnly)))
		default:
			good++
		}
	}
	if total == 0 {
		return notApplicable("the service has no active runbook")
	}
	return share(good, total, fmt.Sprintf("%d of %d active runbooks reviewed within their interval", good, total), items)
}

func mttrTarget(e *evalEnv, s subject) measurement {
	if why, ok := e.unavailable(SourceKPI); ok {
		return notMeasured("%s", why)
	}
	m := e.in.KPI[s.id].MTTR
	if m.N == 0 || m.Met == nil {
		return notMeasured("no incident of this service was resolved in the period")
	}
	v, t := m.MeanSeconds, float64(m.TargetSeconds)
	st := verdict(*m.Met)
	fig := fmt.Sprintf("mean %s over %d incidents (target %s)", seconds(v), m.N, seconds(t))
	if m.N < 5 {
		fig += "; small sample"
	}
	return measurement{status: st, figure: fig, value: &v, target: &t, unit: "seconds", n: m.N}
}

// verdict is the status of a check whose verdict another package made.
func verdict(met bool) Status {
	if met {
		return Pass
	}
	return Fail
}

// seconds writes a duration as Go does (25m20s), rounded to the second.
func seconds(s float64) string {
	return (time.Duration(s * float64(time.Second))).Round(time.Second).String()
}

func responseTarget(e *evalEnv, s subject) measurement {
	if why, ok := e.unavailable(SourceKPI); ok {
		return notMeasured("%s", why)
	}
	r := e.in.KPI[s.id].Response
	if r.Eligible == 0 || r.Met == nil {
		return notMeasured("no ticket of this service has reached its first-response target yet")
	}
	v, t := float64(r.Within)/float64(r.Eligible), r.TargetRatio
	st := verdict(*r.Met)
	fig := fmt.Sprintf("%d of %d tickets (%s) got a first response within the severity target (target %s)",
		r.Within, r.Eligible, percent(v), percent(t))
	return measurement{status: st, figure: fig, value: &v, target: &t, unit: "ratio", n: r.Eligible}
}

// percent rounds down, so a figure shown as 80 % has really reached 80 %.
func percent(r float64) string {
	return strconv.Itoa(int(r*100+1e-9)) + " %"
}

func postmortemsDone(e *evalEnv, s subject) measurement {
	if why, ok := e.unavailable(SourceTickets, SourceDocuments); ok {
		return notMeasured("%s", why)
	}
	var total, good int
	var missing []int
	for _, inc := range e.in.Incidents {
		sev := strings.ToLower(inc.Severity)
		if inc.Service != s.id || (sev != "sev1" && sev != "sev2") {
			continue
		}
		total++
		if slices.Contains(e.in.Postmortems, inc.Number) {
			good++
		} else {
			missing = append(missing, inc.Number)
		}
	}
	if total == 0 {
		return notApplicable("no SEV1 or SEV2 incident of this service was resolved")
	}
	slices.Sort(missing)
	items := make([]string, len(missing))
	for i, n := range missing {
		items[i] = "#" + strconv.Itoa(n)
	}
	// Sorted as numbers here: share's string sort would put #12 before #4.
	return shareOrdered(good, total, fmt.Sprintf("%d of %d resolved SEV1/SEV2 incidents have a postmortem", good, total), items)
}

func onCallTrained(e *evalEnv, s subject) measurement {
	if why, ok := e.unavailable(SourceTraining, SourceDocuments); ok {
		return notMeasured("%s", why)
	}
	tr := e.in.Training
	if len(tr.OnCallCurricula()) == 0 {
		return notMeasured("no active curriculum is written for an on-call role")
	}
	var total, good int
	var items []string
	for _, m := range s.team.Members {
		if r, ok := e.cfg.Role(m.Role); !ok || !r.OnCall {
			continue
		}
		total++
		// The records decide what each person still needs: the
		// modules of the curricula for their role, each pass valid
		// for its curriculum's recertification period.
		if p, ok := tr.Person(m.Login); ok && len(p.Gaps) == 0 {
			good++
		} else if ok {
			items = append(items, fmt.Sprintf("%s (missing: %s)", m.Login, strings.Join(p.Gaps, ", ")))
		} else {
			items = append(items, m.Login+" (no records)")
		}
	}
	if total == 0 {
		return notApplicable("no member of the team holds an on-call role")
	}
	return share(good, total, fmt.Sprintf("%d of %d on-call staff passed their on-call training", good, total), items)
}
