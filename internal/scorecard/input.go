package scorecard

import (
	"github.com/opsqa/opsqa/internal/review"
	"github.com/opsqa/opsqa/internal/training"
)

// Input is everything the checks measure, gathered by the caller. Each
// source that could not be read is named in Unavailable with the reason;
// the checks that need it report not-measured with that reason rather
// than reading an empty list as "nothing to check".
type Input struct {
	// Alerts are the alert rules of the Prometheus rule files.
	Alerts []Alert
	// Runbooks are every runbook document, whatever its status.
	Runbooks []Runbook
	// KPI holds the figures of each service over the period, by service
	// id. A service without an entry had no tickets.
	KPI map[string]ServiceKPI
	// Incidents are the resolved incidents whose postmortems are checked.
	Incidents []Incident
	// Postmortems are the incident numbers that postmortem documents name.
	Postmortems []int
	// Training is who holds which module and certification; nil when
	// there are no quiz results to read.
	Training *training.Records

	Unavailable map[Source]string
}

// Source is one kind of data the checks read.
type Source string

const (
	SourceAlerts    Source = "alerts"
	SourceDocuments Source = "documents"
	SourceKPI       Source = "kpi"
	SourceTickets   Source = "tickets"
	SourceTraining  Source = "training"
)

// Alert is one alert rule and where its runbook_url leads.
type Alert struct {
	Name    string
	Service string
	// RunbookURL is the rule's runbook_url annotation, "" when missing.
	RunbookURL string
	// Runbook is the id of the runbook RunbookURL resolves to, "" when it
	// is missing or leads nowhere.
	Runbook string
	// Covered is the alert coverage's verdict (package alerting), and
	// Problem why it is not covered.
	Covered bool
	Problem string
}

// Runbook is the review state of one runbook document.
type Runbook struct {
	ID      string
	Service string
	Status  string
	// Alerts are the alert names the runbook answers.
	Alerts []string
	// HeldToReview is true for a runbook held to a review interval
	// (review.Applies), and Review its verdict on the as-of day (package
	// review); nil when it gives no valid last_reviewed date.
	HeldToReview bool
	Review       *review.Status
}

// ServiceKPI is what the KPI report measured for one service.
type ServiceKPI struct {
	MTTR     MTTR
	Response ResponseTally
}

// MTTR is the mean time to recover over the incidents resolved in the
// period, and the KPI's verdict on it.
type MTTR struct {
	N             int
	MeanSeconds   float64
	TargetSeconds int64
	// Met is kpi's verdict (kpi.MTTRMet); nil when nothing was resolved.
	Met *bool
}

// ResponseTally counts tickets against their first-response targets.
// Eligible are the tickets with a target that were answered, or are still
// unanswered past the target (a miss); Within are those answered in time.
// TargetRatio and Met are the KPI's target and verdict (kpi.RatioMet).
type ResponseTally struct {
	Eligible    int
	Within      int
	TargetRatio float64
	Met         *bool
}

// Incident is a resolved incident that may need a postmortem.
type Incident struct {
	Number   int
	Service  string
	Severity string
}
