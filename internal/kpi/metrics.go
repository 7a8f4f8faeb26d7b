package kpi

import (
	"time"

	"github.com/opsqa/opsqa/internal/ticket"
)

// SchemaVersion is the version of the metrics JSON contract
// (schemas/metrics.schema.json).
const SchemaVersion = 1

// NoneKey is the breakdown key of tickets without a severity, service,
// team or responder. Parentheses cannot appear in a GitHub login or a
// service id, so it never collides with a real key.
const NoneKey = "(none)"

// Metrics is everything `opsqa metrics` reports. Values that cannot be
// computed are nil pointers (null in JSON), never a made-up zero.
type Metrics struct {
	SchemaVersion int       `json:"schema_version"`
	AsOf          time.Time `json:"as_of"`
	Period        Period    `json:"period"`
	// Timezone is where calendar months begin.
	Timezone string `json:"timezone"`
	Summary
	Satisfaction Satisfaction       `json:"satisfaction"`
	BySeverity   map[string]Summary `json:"by_severity"`
	ByService    map[string]Summary `json:"by_service"`
	ByTeam       map[string]Summary `json:"by_team"`
	// ByResponder is keyed by the first responder's login; tickets nobody
	// answered are under NoneKey.
	ByResponder map[string]Summary `json:"by_responder"`
	ByMonth     []Month            `json:"by_month"`
	// OpenPastDeadline lists open tickets whose 24 h after first response
	// have passed, oldest deadline first: each is a miss still to fix. It
	// is a work list, so it holds them whenever they were opened.
	OpenPastDeadline []Overdue `json:"open_past_deadline"`
	// WorstServices are services missing a target in the period, worst
	// first.
	WorstServices []ServiceRank `json:"worst_services"`
	// Sources counts, per milestone, where the timestamps came from.
	Sources map[string]map[string]int `json:"sources"`
	// Postmortems says how postmortem documents were used.
	Postmortems PostmortemUse `json:"postmortems"`
	// Excluded are the tickets left out of every figure, and why:
	// duplicates, unknown classes, impossible times, lines the snapshot's
	// reader refused. None is counted silently; none goes missing.
	Excluded []ticket.Excluded `json:"excluded"`
}

// Period is the half-open interval [From, To) the figures cover.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Summary is the set of KPIs computed for the whole period and for each
// breakdown group.
type Summary struct {
	MTTR              MTTR           `json:"mttr"`
	FirstResponse     FirstResponse  `json:"first_response"`
	ResolvedWithin24h ResolvedWithin `json:"resolved_within_24h"`
	ResolutionRate    ResolutionRate `json:"resolution_rate"`
}

// Stats describes a set of durations in whole seconds.
type Stats struct {
	N      int    `json:"n"`
	Mean   *int64 `json:"mean_seconds"`
	Median *int64 `json:"median_seconds"`
	P90    *int64 `json:"p90_seconds"`
	Min    *int64 `json:"min_seconds"`
	Max    *int64 `json:"max_seconds"`
	// SmallSample is true when N < SmallSampleN: the figures are shown but
	// should not be read as a trend.
	SmallSample bool `json:"small_sample"`
}

// MTTR is the mean time to restore: resolved − started over incidents
// resolved in the period.
type MTTR struct {
	Stats
	TargetSeconds     int64    `json:"target_seconds"`
	WithinTarget      int      `json:"within_target"`
	WithinTargetRatio *float64 `json:"within_target_ratio"`
	// Met is mean ≤ target (MTTRMet); nil when no incident was resolved.
	Met *bool `json:"met"`
	// Unresolved counts incidents opened in the period and still open at
	// the as-of time; ClosedUnresolved those closed as not planned or
	// duplicate. Neither enters the mean, both are reported.
	Unresolved       int `json:"unresolved"`
	ClosedUnresolved int `json:"closed_unresolved"`
}

// FirstResponse is first response − created over incidents and problems
// opened in the period.
type FirstResponse struct {
	Stats
	// NoResponse counts tickets nobody has answered yet.
	NoResponse int `json:"no_response"`
	// WithinTarget compares each ticket with its severity's target.
	WithinTarget TargetShare `json:"within_target"`
	// Targets holds the same comparison per severity.
	Targets map[string]*ResponseTarget `json:"targets"`
}

// TargetShare is the share of tickets answered within their severity's
// target. A ticket still unanswered after its target is a miss; one still
// unanswered before it is pending. TargetMet is the verdict on
// TargetRatio (RatioMet): nil when no ticket is eligible.
type TargetShare struct {
	Eligible    int      `json:"eligible"`
	Met         int      `json:"met"`
	Missed      int      `json:"missed"`
	Pending     int      `json:"pending"`
	Ratio       *float64 `json:"ratio"`
	TargetRatio float64  `json:"target_ratio"`
	TargetMet   *bool    `json:"target_met"`
}

// ResponseTarget is the first-response target of one severity.
type ResponseTarget struct {
	TargetSeconds int64 `json:"target_seconds"`
	TargetShare
	Stats Stats `json:"stats"`
}

// ResolvedWithin is the share of incidents and problems resolved within
// 24 hours after their first response.
type ResolvedWithin struct {
	WithinSeconds int64 `json:"within_seconds"`
	// Eligible = resolved, or still open with first response + window ≤
	// as-of.
	Eligible int      `json:"eligible"`
	Met      int      `json:"met"`
	Missed   int      `json:"missed"`
	Ratio    *float64 `json:"ratio"`
	// NotYetEligible are open tickets whose window has not passed yet.
	NotYetEligible int `json:"not_yet_eligible"`
	// OpenPastDeadline are the misses still open.
	OpenPastDeadline int `json:"open_past_deadline"`
	// NoResponse are tickets without a first response: outside this KPI,
	// counted here so that none goes missing.
	NoResponse int `json:"no_response"`
	// ClosedUnresolved are tickets closed as not planned or duplicate.
	ClosedUnresolved int     `json:"closed_unresolved"`
	TargetRatio      float64 `json:"target_ratio"`
	TargetMet        *bool   `json:"target_met"`
	SmallSample      bool    `json:"small_sample"`
	// Population states which tickets the figures are over.
	Population string `json:"population"`
}

// ResolutionRate is resolved / opened over incidents and problems opened
// in the period.
type ResolutionRate struct {
	Opened      int      `json:"opened"`
	Resolved    int      `json:"resolved"`
	Open        int      `json:"open"`
	NotPlanned  int      `json:"not_planned"`
	Duplicate   int      `json:"duplicate"`
	Ratio       *float64 `json:"ratio"`
	Denominator string   `json:"denominator"`
}

// Satisfaction is read from feedback tickets' rating field (1–5).
type Satisfaction struct {
	N    int      `json:"n"`
	Mean *float64 `json:"mean"`
	// SatisfiedRatio is the share of ratings ≥ 4.
	SatisfiedRatio *float64 `json:"satisfied_ratio"`
	// Invalid counts feedback tickets whose rating is missing or not 1–5.
	Invalid     int     `json:"invalid"`
	TargetMean  float64 `json:"target_mean"`
	Met         *bool   `json:"met"`
	SmallSample bool    `json:"small_sample"`
}

// Month is one calendar month of the period (clipped to it).
type Month struct {
	Month string    `json:"month"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Summary
	Satisfaction Satisfaction `json:"satisfaction"`
}

// Overdue is an open ticket past its 24 h deadline.
type Overdue struct {
	Number         int       `json:"number"`
	Title          string    `json:"title"`
	URL            string    `json:"url,omitempty"`
	Class          string    `json:"class"`
	Severity       string    `json:"severity,omitempty"`
	Service        string    `json:"service,omitempty"`
	Team           string    `json:"team,omitempty"`
	Responder      string    `json:"responder,omitempty"`
	FirstResponse  time.Time `json:"first_response"`
	Deadline       time.Time `json:"deadline"`
	OverdueSeconds int64     `json:"overdue_seconds"`
}

// ServiceRank is a service that misses a target.
type ServiceRank struct {
	Service string `json:"service"`
	Team    string `json:"team,omitempty"`
	// Missed names the missed targets: "mttr", "resolved_within_24h".
	Missed                 []string `json:"missed"`
	Incidents              int      `json:"incidents"`
	MTTRMeanSeconds        *int64   `json:"mttr_mean_seconds"`
	ResolvedWithin24hRatio *float64 `json:"resolved_within_24h_ratio"`
	OpenPastDeadline       int      `json:"open_past_deadline"`
}

// PostmortemUse reports which postmortems fed the milestones.
type PostmortemUse struct {
	// Matched are incident numbers whose ticket a postmortem completed.
	Matched []int `json:"matched"`
	// WithoutTicket are incident numbers known only from a postmortem.
	WithoutTicket []int `json:"without_ticket"`
	// Rejected are postmortems left out because they contradict the
	// ticket they name.
	Rejected []RejectedPostmortem `json:"rejected"`
	// Rule states which source wins per milestone.
	Rule string `json:"rule"`
}

// A RejectedPostmortem is a postmortem whose milestones were not used,
// and why.
type RejectedPostmortem struct {
	Incident int    `json:"incident"`
	Path     string `json:"path"`
	Reason   string `json:"reason"`
}

// Plan targets, as named in Missed.
const (
	TargetMTTR              = "mttr"
	TargetResolvedWithin24h = "resolved_within_24h"
)

// Missed names the plan's targets the period misses. A target without
// data (nil met) is not missed: there is nothing to judge.
func (m *Metrics) Missed() []string {
	var out []string
	if m.MTTR.Met != nil && !*m.MTTR.Met {
		out = append(out, TargetMTTR)
	}
	if m.ResolvedWithin24h.TargetMet != nil && !*m.ResolvedWithin24h.TargetMet {
		out = append(out, TargetResolvedWithin24h)
	}
	return out
}
