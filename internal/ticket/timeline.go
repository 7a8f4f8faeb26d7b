package ticket

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/config"
)

// Source says where a milestone's timestamp came from, so that every figure
// built on it can be traced back and questioned.
type Source string

const (
	// SourceForm is the issue form's impact_started field.
	SourceForm Source = "form"
	// SourceCreated is the created_at, the fallback for started.
	SourceCreated Source = "created_at"
	// SourceComment is a comment event.
	SourceComment Source = "comment"
	// SourceAssignment is an assigned event.
	SourceAssignment Source = "assignment"
	// SourceLabel is a labeled event (acknowledged, mitigated).
	SourceLabel Source = "label"
	// SourceCloseEvent is a closed event of the timeline.
	SourceCloseEvent Source = "close_event"
	// SourceClosedAt is the closed_at, used when the timeline has
	// no close event (older issues, partial syncs).
	SourceClosedAt Source = "closed_at"
	// SourcePostmortem is a reviewed postmortem document.
	SourcePostmortem Source = "postmortem"
)

// Signal is a kind of event that can count as a first response.
type Signal string

const (
	SignalComment    Signal = "comment"
	SignalAssignment Signal = "assignment"
	SignalLabel      Signal = "label"
)

// Resolution is the policy that decides which close is the resolution.
type Resolution string

const (
	// FinalClose takes the last close of a ticket that is closed now: a
	// reopened ticket is not resolved until it is closed again, so a
	// premature close never flatters MTTR.
	FinalClose Resolution = "final-close"
	// FirstClose takes the first close as completed, even if the ticket
	// was reopened later.
	FirstClose Resolution = "first-close"
)

// Outcome is where a ticket stands at the as-of time.
type Outcome string

const (
	OutcomeResolved   Outcome = "resolved"
	OutcomeOpen       Outcome = "open"
	OutcomeNotPlanned Outcome = "not_planned"
	OutcomeDuplicate  Outcome = "duplicate"
)

// Policy decides how milestones are read from a ticket's events. Build it
// with PolicyFromConfig; the zero value counts comments from anyone and
// uses the final close.
type Policy struct {
	// Signals are the events that count as a first response; empty means
	// comments only.
	Signals []Signal
	// AckLabels and MitigatedLabels are matched case-insensitively.
	AckLabels       []string
	MitigatedLabels []string
	// Responders, when not nil, restricts who may give a first response.
	// It receives the ticket and the responder's lower-case login.
	Responders func(t *Ticket, login string) bool
	Resolution Resolution
	// Location reads form timestamps that carry no zone; nil means UTC.
	Location *time.Location
}

// PolicyFromConfig builds the policy from opsqa.yaml's kpi and labels
// settings. With responders "team-members", a response counts when it
// comes from a member of the team owning the ticket's service, or from
// anyone holding an on-call role (the rotation answers every ticket); a
// ticket without a known service accepts any team member.
func PolicyFromConfig(c *config.Config) (Policy, error) {
	p := Policy{
		AckLabels:       c.Labels.Acknowledged,
		MitigatedLabels: c.Labels.Mitigated,
		Resolution:      Resolution(c.KPI.Resolution),
	}
	for _, s := range c.KPI.ResponseSignals {
		switch sig := Signal(s); sig {
		case SignalComment, SignalAssignment, SignalLabel:
			p.Signals = append(p.Signals, sig)
		default:
			return Policy{}, fmt.Errorf("read kpi.response_signals: unknown signal %q (want comment, assignment or label)", s)
		}
	}
	switch p.Resolution {
	case "":
		p.Resolution = FinalClose
	case FinalClose, FirstClose:
	default:
		return Policy{}, fmt.Errorf("read kpi.resolution: unknown policy %q (want final-close or first-close)", c.KPI.Resolution)
	}
	tz := c.Timezone
	if tz == "" {
		tz = "UTC"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return Policy{}, fmt.Errorf("read timezone: %w", err)
	}
	p.Location = loc
	switch c.KPI.Responders {
	case "", "anyone":
	case "team-members":
		p.Responders = teamResponders(c)
	default:
		return Policy{}, fmt.Errorf("read kpi.responders: unknown value %q (want anyone or team-members)", c.KPI.Responders)
	}
	return p, nil
}

func teamResponders(c *config.Config) func(*Ticket, string) bool {
	onCall := map[string]bool{}
	for _, r := range c.Roles {
		if r.OnCall {
			onCall[r.ID] = true
		}
	}
	anyMember := map[string]bool{}
	rotation := map[string]bool{}
	byTeam := map[string]map[string]bool{}
	for _, t := range c.Teams {
		byTeam[t.ID] = map[string]bool{}
		for _, m := range t.Members {
			login := strings.ToLower(m.Login)
			anyMember[login] = true
			byTeam[t.ID][login] = true
			if onCall[m.Role] {
				rotation[login] = true
			}
		}
	}
	serviceTeam := map[string]string{}
	for _, s := range c.Services {
		serviceTeam[s.ID] = s.Team
	}
	return func(t *Ticket, login string) bool {
		team, ok := serviceTeam[t.Service]
		if !ok {
			return anyMember[login]
		}
		return rotation[login] || byTeam[team][login]
	}
}

// Milestone is one point of a ticket's timeline and its provenance.
type Milestone struct {
	At     time.Time `json:"at"`
	Source Source    `json:"source"`
	// Actor is who caused it, when an event did.
	Actor string `json:"actor,omitempty"`
	// Ref points at the document a postmortem milestone came from.
	Ref string `json:"ref,omitempty"`
	// Note says why a fallback was taken.
	Note string `json:"note,omitempty"`
}

// Timeline is a ticket's milestones as of a given time.
type Timeline struct {
	Number   int    `json:"number"`
	Title    string `json:"title"`
	URL      string `json:"url,omitempty"`
	Class    Class  `json:"class"`
	Severity string `json:"severity,omitempty"`
	Service  string `json:"service,omitempty"`
	// Created is the created_at: first response is measured from
	// it, because nobody can answer a ticket before it exists.
	Created time.Time `json:"created"`
	// Started is when impact began: MTTR is measured from it.
	Started       Milestone  `json:"started"`
	FirstResponse *Milestone `json:"first_response,omitempty"`
	// Responder is the login behind FirstResponse.
	Responder string     `json:"responder,omitempty"`
	Mitigated *Milestone `json:"mitigated,omitempty"`
	Resolved  *Milestone `json:"resolved,omitempty"`
	Reopens   int        `json:"reopens"`
	Outcome   Outcome    `json:"outcome"`
	// ClosedAt is when a not_planned or duplicate ticket was closed.
	ClosedAt *time.Time `json:"closed_at,omitempty"`
}

// BuildTimeline derives t's milestones under p, seeing only what had
// happened by asOf: events after it are ignored, so the same snapshot gives
// the same figures for any past as-of time.
func BuildTimeline(t *Ticket, p Policy, asOf time.Time) Timeline {
	tl := Timeline{
		Number:   t.Number,
		Title:    t.Title,
		URL:      t.URL,
		Class:    t.Class,
		Severity: t.Severity,
		Service:  t.Service,
		Created:  t.CreatedAt,
		Outcome:  OutcomeOpen,
	}
	tl.Started = startedOf(t, p.location())
	tl.readMilestones(t, p, asOf)
	closes := closesOf(t, asOf)
	tl.settle(&closes, p.Resolution)
	return tl
}

// readMilestones sets what t's events mark by asOf on the way to a
// resolution: the first response and who gave it, the mitigation, and how
// often the ticket was reopened.
func (tl *Timeline) readMilestones(t *Ticket, p Policy, asOf time.Time) {
	author := strings.ToLower(t.Author.Login)
	for i := range t.Events {
		e := &t.Events[i]
		if e.At.After(asOf) {
			continue
		}
		switch e.Kind {
		case ReopenedEv:
			tl.Reopens++
		case Labeled:
			if tl.Mitigated == nil && matchLabel(e.Label, p.MitigatedLabels) {
				tl.Mitigated = &Milestone{At: e.At, Source: SourceLabel, Actor: e.Actor.Login}
			}
		}
		if tl.FirstResponse == nil {
			if src, ok := p.responds(t, e, author); ok {
				tl.FirstResponse = &Milestone{At: e.At, Source: src, Actor: e.Actor.Login}
				tl.Responder = strings.ToLower(e.Actor.Login)
			}
		}
	}
}

// closeRecord is what a ticket's closes and reopens up to the as-of time
// say about how it ended, kept apart from the other milestones because
// the two resolution policies read it differently.
type closeRecord struct {
	// closes are the close events up to asOf, in order.
	closes []Event
	// final is the close the ticket stands in at asOf, nil while it is
	// open: the last close event when no reopen followed it, or the
	// issue's closed_at when the timeline has neither closes nor reopens.
	final *Event
	// finalSource says which of the two final is.
	finalSource Source
	// finalReason is final's reason when its event gives none.
	finalReason StateReason
}

// closesOf reads t's closes and reopens up to asOf.
func closesOf(t *Ticket, asOf time.Time) closeRecord {
	c := closeRecord{finalSource: SourceCloseEvent, finalReason: Completed}
	lastChange, lastCloseSeen, lastClose := -1, -1, -1
	for i := range t.Events {
		e := &t.Events[i]
		if e.Kind == ClosedEv {
			lastClose = i
		}
		if e.At.After(asOf) {
			continue
		}
		switch e.Kind {
		case ClosedEv:
			c.closes = append(c.closes, *e)
			lastChange, lastCloseSeen = i, i
		case ReopenedEv:
			lastChange = i
		}
	}
	switch {
	case lastChange >= 0:
		if t.Events[lastChange].Kind == ClosedEv {
			c.final = &c.closes[len(c.closes)-1]
		}
	case t.State == Closed && t.ClosedAt != nil && !t.ClosedAt.After(asOf):
		// No close event in the timeline: closed_at is all there is.
		c.final = &Event{Kind: ClosedEv, At: *t.ClosedAt, StateReason: t.StateReason}
		c.finalSource = SourceClosedAt
	}
	// The ticket's last close carries the current state_reason
	// when the event itself lacks one; other closes default to completed.
	isLast := lastChange < 0 || lastCloseSeen == lastClose
	if isLast && t.State == Closed && t.StateReason != "" {
		c.finalReason = t.StateReason
	}
	return c
}

// reason is why the close e was made.
func (c *closeRecord) reason(e *Event) StateReason {
	if e.StateReason != "" {
		return e.StateReason
	}
	if e == c.final {
		return c.finalReason
	}
	return Completed
}

// firstCompleted is the resolution under first-close: the first close as
// completed, even one reopened later, or nil when there is none.
func (c *closeRecord) firstCompleted() *Milestone {
	for i := range c.closes {
		if e := &c.closes[i]; c.reason(e) == Completed {
			return &Milestone{At: e.At, Source: SourceCloseEvent, Actor: e.Actor.Login}
		}
	}
	if c.final != nil && c.finalSource == SourceClosedAt && c.reason(c.final) == Completed {
		return &Milestone{At: c.final.At, Source: SourceClosedAt}
	}
	return nil
}

// settle sets where the ticket stands at the as-of time from its closes
// under resolution r: resolved, closed as not planned or as a duplicate
// (which are not resolutions, so they never count towards MTTR), or open.
func (tl *Timeline) settle(c *closeRecord, r Resolution) {
	if r == FirstClose {
		if m := c.firstCompleted(); m != nil {
			tl.Resolved, tl.Outcome = m, OutcomeResolved
			return
		}
	}
	if c.final == nil {
		return
	}
	switch c.reason(c.final) {
	case NotPlanned:
		tl.Outcome = OutcomeNotPlanned
		at := c.final.At
		tl.ClosedAt = &at
	case Duplicate:
		tl.Outcome = OutcomeDuplicate
		at := c.final.At
		tl.ClosedAt = &at
	default:
		if r != FirstClose {
			tl.Resolved = &Milestone{At: c.final.At, Source: c.finalSource, Actor: c.final.Actor.Login}
			tl.Outcome = OutcomeResolved
		}
	}
}

func (p Policy) location() *time.Location {
	if p.Location == nil {
		return time.UTC
	}
	return p.Location
}

// responds reports whether e is a first-response signal under p, and its
// source. Bots and the author never respond: an auto-triage comment or the
// reporter adding detail says nothing about whether anyone is on it.
func (p Policy) responds(t *Ticket, e *Event, author string) (Source, bool) {
	var src Source
	var sig Signal
	switch e.Kind {
	case Commented:
		src, sig = SourceComment, SignalComment
	case Assigned:
		src, sig = SourceAssignment, SignalAssignment
	case Labeled:
		if !matchLabel(e.Label, p.AckLabels) {
			return "", false
		}
		src, sig = SourceLabel, SignalLabel
	default:
		return "", false
	}
	signals := p.Signals
	if len(signals) == 0 {
		signals = []Signal{SignalComment}
	}
	if !slices.Contains(signals, sig) {
		return "", false
	}
	login := strings.ToLower(e.Actor.Login)
	if login == "" || e.Actor.IsBot() || login == author || strings.HasSuffix(login, "[bot]") {
		return "", false
	}
	if p.Responders != nil && !p.Responders(t, login) {
		return "", false
	}
	return src, true
}

func matchLabel(label string, names []string) bool {
	for _, n := range names {
		if strings.EqualFold(label, n) {
			return true
		}
	}
	return false
}

// startedOf reads the form's impact_started, falling back to created_at
// with a note when the field is missing, unreadable or later than the
// issue itself (impact cannot start after someone reported it).
func startedOf(t *Ticket, loc *time.Location) Milestone {
	raw := strings.TrimSpace(t.Fields["impact_started"])
	fallback := Milestone{At: t.CreatedAt, Source: SourceCreated}
	if raw == "" {
		fallback.Note = "no impact_started in the form"
		return fallback
	}
	at, err := ParseFormTime(raw, loc)
	if err != nil {
		fallback.Note = fmt.Sprintf("impact_started %q is not a time", raw)
		return fallback
	}
	if at.After(t.CreatedAt) {
		fallback.Note = fmt.Sprintf("impact_started %s is later than created_at", at.UTC().Format(time.RFC3339))
		return fallback
	}
	return Milestone{At: at, Source: SourceForm}
}

// formLayouts are the ways people write a time into a form field. Layouts
// without a zone are read in the configured time zone.
var formLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339, true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04Z07:00", true},
	{"2006-01-02T15:04Z07:00", true},
	{"2006-01-02 15:04:05 MST", true},
	{"2006-01-02 15:04 MST", true},
	{"2006-01-02T15:04:05", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02 15:04", false},
}

// ParseFormTime reads a timestamp typed into an issue form. A value with
// no zone is read in loc; a zone abbreviation other than UTC or GMT is
// rejected, because abbreviations are ambiguous.
func ParseFormTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range formLayouts {
		var at time.Time
		var err error
		if l.zoned {
			at, err = time.Parse(l.layout, s)
			if err == nil && strings.HasSuffix(l.layout, "MST") {
				if name, _ := at.Zone(); name != "UTC" && name != "GMT" {
					return time.Time{}, fmt.Errorf("parse time %q: ambiguous zone %s", s, name)
				}
				at = at.UTC()
			}
		} else {
			at, err = time.ParseInLocation(l.layout, s, loc)
		}
		if err == nil {
			return at, nil
		}
	}
	return time.Time{}, fmt.Errorf("parse time %q: want YYYY-MM-DD HH:MM with an optional zone", s)
}
