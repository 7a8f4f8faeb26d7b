package scorecard

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/alerting"
	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/review"
	"github.com/opsqa/opsqa/internal/ticket"
	"github.com/opsqa/opsqa/internal/training"
)

// Sources are what a build has loaded. A nil field is a source the build
// could not read: the checks that need it are reported as not measured,
// with the reason from Missing when the caller gives one.
type Sources struct {
	Config *config.Config
	// Docs are the repository's documents, as loaded for lint.
	Docs []*document.Document
	// Reviews are the documents' review verdicts on the day lint judged
	// them (review.All), by repository path: a runbook absent from it is
	// held to a review interval without a valid last_reviewed date.
	Reviews map[string]review.Status
	// Alerts are the alerting rules of the rule files that need a
	// runbook, with their coverage verdicts (alerting.Scan.Counted).
	Alerts []alerting.Alert
	// Metrics is the KPI report of the period.
	Metrics *kpi.Metrics
	// Timelines are the tickets' timelines the metrics were computed from
	// (kpi.Timelines): the resolved incidents whose postmortems are due.
	Timelines []ticket.Timeline
	// Snapshot holds the quiz-result tickets.
	Snapshot *ticket.Snapshot
	// Training is the training records the caller built from the
	// snapshot (training.FromTickets, with the quizzes' history); nil
	// means records from the snapshot and the quizzes as they are.
	Training *training.Records
	// Missing says why a source is nil, such as "no snapshot: run opsqa
	// incidents sync".
	Missing map[Source]string
}

// Gather turns what a build loaded into the Input of Evaluate. now is the
// as-of time: quiz results submitted after it are not seen. Sources that
// are nil or cannot be read (no alert rule file, a rule file that is not
// YAML) are recorded in Input.Unavailable rather than failing the build:
// lint reports those files, and the scorecard says what it could not
// measure.
func Gather(src Sources, now time.Time) Input {
	in := Input{Unavailable: map[Source]string{}}
	missing := func(s Source, fallback string) {
		in.Unavailable[s] = fallback
		if why := src.Missing[s]; why != "" {
			in.Unavailable[s] = why
		}
	}
	cfg := src.Config
	if src.Docs == nil {
		missing(SourceDocuments, "the documents were not loaded")
	}
	docs := byKind(src.Docs)
	for _, d := range docs["runbook"] {
		in.Runbooks = append(in.Runbooks, runbookOf(d, src.Reviews))
	}
	for _, d := range docs["postmortem"] {
		if n, ok := intField(d, "incident"); ok {
			in.Postmortems = append(in.Postmortems, n)
		}
	}

	switch {
	case len(cfg.AlertRules) == 0:
		missing(SourceAlerts, "opsqa.yaml lists no alert_rules files")
	case src.Alerts == nil:
		missing(SourceAlerts, "the alert rule files were not read")
	default:
		for _, a := range src.Alerts {
			e := Alert{Name: a.Name, Service: a.Service, RunbookURL: a.RunbookURL, Covered: a.Covered, Problem: a.Problem}
			if a.Runbook != nil {
				e.Runbook = a.Runbook.ID()
			}
			in.Alerts = append(in.Alerts, e)
		}
	}

	if src.Metrics == nil {
		missing(SourceKPI, "no KPI report was computed")
	} else {
		in.KPI = map[string]ServiceKPI{}
		for svc, s := range src.Metrics.ByService {
			share := s.FirstResponse.WithinTarget
			k := ServiceKPI{
				MTTR: MTTR{N: s.MTTR.N, TargetSeconds: s.MTTR.TargetSeconds, Met: s.MTTR.Met},
				Response: ResponseTally{Eligible: share.Eligible, Within: share.Met,
					TargetRatio: share.TargetRatio, Met: share.TargetMet},
			}
			if s.MTTR.Mean != nil {
				k.MTTR.MeanSeconds = float64(*s.MTTR.Mean)
			}
			in.KPI[svc] = k
		}
	}

	if src.Timelines == nil {
		missing(SourceTickets, "no ticket snapshot")
	}
	for _, tl := range src.Timelines {
		if tl.Class != ticket.Incident || tl.Outcome != ticket.OutcomeResolved || tl.Resolved == nil || tl.Resolved.At.After(now) {
			continue
		}
		// Over the same period as the KPIs, when there is one: the
		// scorecard grades the period, not all of history.
		if m := src.Metrics; m != nil && (tl.Resolved.At.Before(m.Period.From) || !tl.Resolved.At.Before(m.Period.To)) {
			continue
		}
		in.Incidents = append(in.Incidents, Incident{Number: tl.Number, Service: tl.Service, Severity: tl.Severity})
	}

	if src.Snapshot == nil {
		missing(SourceTraining, "no ticket snapshot, so no quiz results")
	} else {
		in.Training = src.Training
		if in.Training == nil {
			in.Training = training.FromTickets(cfg, docs["curriculum"], docs["module"], src.Snapshot.Tickets, training.RepoKeys("", docs["quiz"]), now)
		}
	}
	return in
}

func byKind(docs []*document.Document) map[string][]*document.Document {
	m := map[string][]*document.Document{}
	for _, d := range docs {
		if d != nil && d.ID() != "" {
			m[d.Kind] = append(m[d.Kind], d)
		}
	}
	return m
}

func runbookOf(d *document.Document, reviews map[string]review.Status) Runbook {
	rb := Runbook{ID: d.ID(), Service: d.String("service"), Status: d.String("status"), Alerts: d.Strings("alerts"),
		HeldToReview: review.Applies(d)}
	if st, ok := reviews[d.Path]; ok {
		rb.Review = &st
	}
	return rb
}

// intField reads an integer front matter value, however the YAML spelled
// it; ok is false when it is missing or not a whole number.
func intField(d *document.Document, key string) (int, bool) {
	v, ok := d.Meta[key]
	if !ok || v == nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(fmt.Sprint(v)))
	return n, err == nil
}
