// Package kpi computes the service-quality KPIs of DESIGN.md from ticket
// timelines: MTTR, time to first response, the share resolved within 24 h
// after the first response, the resolution rate and satisfaction, overall
// and broken down by severity, service, team, responder and month.
//
// Everything here is a pure function of its inputs: no I/O, no clock (the
// as-of time is passed in), no knowledge of GitHub. Every figure states its
// n; tickets that cannot enter a figure (unanswered, unresolved, not yet
// eligible, closed as not planned) are counted next to it, never dropped.
package kpi

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/ticket"
)

// Targets are the plan's targets, from opsqa.yaml.
type Targets struct {
	MTTRSeconds int64
	// ResolvedWithinSeconds is the window after the first response (24 h).
	ResolvedWithinSeconds int64
	ResolvedWithinRatio   float64
	// FirstResponseSeconds is the response target per severity, and
	// FirstResponseRatio the share of tickets that must meet it.
	FirstResponseSeconds map[string]int64
	FirstResponseRatio   float64
	SatisfactionMean     float64
}

// Options are the inputs of Compute besides the tickets.
type Options struct {
	Policy  ticket.Policy
	Targets Targets
	// ServiceTeams maps a service id to the id of the team that owns it.
	ServiceTeams map[string]string
	// Location is where calendar months begin; nil means UTC.
	Location *time.Location
	// From and To bound the period, [From, To).
	From, To time.Time
	// AsOf is "now": nothing after it is seen.
	AsOf        time.Time
	Postmortems []Postmortem
	// Excluded are the tickets the snapshot's reader left out; they are
	// reported with the figures (Metrics.Excluded), and a postmortem
	// naming one is not used.
	Excluded []ticket.Excluded
	// Latest is the latest time Compute lets a ticket carry
	// (ticket.Check); zero checks no upper bound. A snapshot's reader
	// checks its tickets itself.
	Latest time.Time
}

// OptionsFromConfig fills Options from opsqa.yaml for the given period.
func OptionsFromConfig(c *config.Config, from, to, asOf time.Time) (Options, error) {
	p, err := ticket.PolicyFromConfig(c)
	if err != nil {
		return Options{}, err
	}
	o := Options{
		Policy: p,
		Targets: Targets{
			MTTRSeconds:           c.KPI.MTTRTargetSeconds,
			ResolvedWithinSeconds: c.KPI.ResolvedWithinSeconds,
			ResolvedWithinRatio:   c.KPI.ResolvedWithinTargetRatio,
			FirstResponseSeconds:  c.KPI.FirstResponseTargetSeconds,
			FirstResponseRatio:    c.KPI.FirstResponseTargetRatio,
			SatisfactionMean:      c.KPI.SatisfactionTarget,
		},
		ServiceTeams: map[string]string{},
		Location:     p.Location,
		From:         from,
		To:           to,
		AsOf:         asOf,
	}
	for _, s := range c.Services {
		o.ServiceTeams[s.ID] = s.Team
	}
	return o, nil
}

func (o *Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

// Completion is what Complete did besides the timelines: how the
// postmortems were used, and the timelines it left out of the figures.
type Completion struct {
	Postmortems PostmortemUse
	Excluded    []ticket.Excluded
}

// Timelines builds the timeline of every ticket created by the as-of time,
// completed from the postmortems, in ticket number order.
func Timelines(tickets []ticket.Ticket, o Options) ([]ticket.Timeline, Completion) {
	// Each CPU builds the timelines of its own run of tickets, in place.
	tls := make([]ticket.Timeline, len(tickets))
	n := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() {
			for i := w * len(tickets) / n; i < (w+1)*len(tickets)/n; i++ {
				tls[i] = ticket.BuildTimeline(&tickets[i], o.Policy, o.AsOf)
			}
		})
	}
	wg.Wait()
	return Complete(tls, o)
}

// Complete finishes timelines built one per ticket, by Timelines or by
// ticket.ReadSnapshotTimelines under o's policy and as-of time: it drops
// those of tickets created after the as-of time, leaves out (and lists)
// those whose milestones are impossible (implausible), adds the
// postmortems' milestones under PostmortemRule, and orders them by
// number. It reuses tls.
func Complete(tls []ticket.Timeline, o Options) ([]ticket.Timeline, Completion) {
	var c Completion
	kept := tls[:0]
	for _, tl := range tls {
		if tl.Created.After(o.AsOf) {
			continue
		}
		if reason := implausible(&tl); reason != "" {
			c.Excluded = append(c.Excluded, ticket.Excluded{Number: tl.Number, Class: tl.Class, Kind: ticket.ExcludedImpossible, Reason: reason})
			continue
		}
		kept = append(kept, tl)
	}
	clear(tls[len(kept):])
	left := map[int]string{} // numbers left out, with no ticket kept
	for _, ex := range [][]ticket.Excluded{o.Excluded, c.Excluded} {
		for _, e := range ex {
			if _, ok := left[e.Number]; !ok && e.Kind != ticket.ExcludedDuplicate {
				left[e.Number] = e.Reason
			}
		}
	}
	tls, c.Postmortems = applyPostmortems(kept, o.Postmortems, o.AsOf, left)
	// Snapshots come in number order; only postmortem-only incidents, added
	// last, may break it. Checking first spares moving 100,000 timelines.
	byNumber := func(a, b ticket.Timeline) int { return a.Number - b.Number }
	if !slices.IsSortedFunc(tls, byNumber) {
		slices.SortStableFunc(tls, byNumber)
	}
	return tls, c
}

// Compute returns the metrics of tickets under o. Tickets that
// ticket.Check refuses (under o.Latest), and later tickets of a number
// already seen, are left out and listed, as a snapshot's reader does.
func Compute(tickets []ticket.Ticket, o Options) *Metrics {
	s := &ticket.Snapshot{Tickets: slices.Clone(tickets)}
	ticket.CheckSnapshot(s, o.Latest)
	o.Excluded = append(slices.Clip(o.Excluded), s.Excluded...)
	tls, c := Timelines(s.Tickets, o)
	return ComputeTimelines(tls, s.Tickets, o, c)
}

// ComputeTimelines is Compute over timelines already built; tickets are
// read only for feedback ratings. The tickets left out (o.Excluded and
// c.Excluded) are listed in the metrics.
func ComputeTimelines(tls []ticket.Timeline, tickets []ticket.Ticket, o Options, c Completion) *Metrics {
	m := &Metrics{
		SchemaVersion: SchemaVersion,
		AsOf:          o.AsOf,
		Period:        Period{From: o.From, To: o.To},
		Timezone:      o.location().String(),
		Postmortems:   c.Postmortems,
		Excluded:      excludedList(o.Excluded, c.Excluded),
	}
	all := make([]*ticket.Timeline, 0, len(tls))
	for i := range tls {
		if tls[i].Class == ticket.Incident || tls[i].Class == ticket.Problem {
			all = append(all, &tls[i])
		}
	}
	// The summary and each breakdown read the timelines and write only
	// their own field, so they are computed side by side.
	var wg sync.WaitGroup
	for _, f := range []func(){
		func() { m.Summary = summarize(all, o.From, o.To, &o) },
		func() { m.Satisfaction = satisfaction(tickets, o.From, o.To, &o) },
		func() { m.BySeverity = breakdown(all, &o, func(t *ticket.Timeline) string { return t.Severity }) },
		func() { m.ByService = breakdown(all, &o, func(t *ticket.Timeline) string { return t.Service }) },
		func() {
			m.ByTeam = breakdown(all, &o, func(t *ticket.Timeline) string { return o.ServiceTeams[t.Service] })
		},
		func() { m.ByResponder = breakdown(all, &o, func(t *ticket.Timeline) string { return t.Responder }) },
		func() { m.ByMonth = months(all, tickets, &o) },
		func() { m.OpenPastDeadline = overdue(all, &o) },
	} {
		wg.Go(f)
	}
	wg.Wait()
	m.WorstServices = worstServices(m.ByService, &o)
	m.Sources = sources(all, &o)
	return m
}

// excludedList joins the lists of tickets left out, the reader's first
// (in file order), never nil.
func excludedList(lists ...[]ticket.Excluded) []ticket.Excluded {
	out := []ticket.Excluded{}
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func inPeriod(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// summarize computes every KPI over the tickets for the period [from, to).
// Each KPI takes its own population, as DESIGN.md defines it: MTTR over
// incidents resolved in the period; the others over tickets opened in it.
func summarize(tls []*ticket.Timeline, from, to time.Time, o *Options) Summary {
	t := newTally(o)
	for _, tl := range tls {
		if tl.Class == ticket.Incident && tl.Resolved != nil && inPeriod(tl.Resolved.At, from, to) {
			t.mttr = append(t.mttr, secondsBetween(tl.Started.At, tl.Resolved.At))
		}
		if inPeriod(tl.Created, from, to) {
			t.addOpened(tl)
		}
	}
	return t.summary()
}

// tally gathers one group's tickets; summary turns it into the KPIs.
type tally struct {
	o     *Options
	s     Summary
	mttr  []int64
	fr    []int64
	bySev map[string][]int64 // response times of the severities with a target
}

func newTally(o *Options) *tally {
	t := &tally{o: o, bySev: map[string][]int64{}}
	t.s.FirstResponse.Targets = map[string]*ResponseTarget{}
	for sev, target := range o.Targets.FirstResponseSeconds {
		t.s.FirstResponse.Targets[sev] = &ResponseTarget{TargetSeconds: target}
	}
	return t
}

// addOpened counts a ticket opened in the period towards every KPI but
// MTTR, which counts tickets by when they were resolved.
func (t *tally) addOpened(tl *ticket.Timeline) {
	if tl.Class == ticket.Incident {
		switch tl.Outcome {
		case ticket.OutcomeOpen:
			t.s.MTTR.Unresolved++
		case ticket.OutcomeNotPlanned, ticket.OutcomeDuplicate:
			t.s.MTTR.ClosedUnresolved++
		}
	}
	rr := &t.s.ResolutionRate
	rr.Opened++
	switch tl.Outcome {
	case ticket.OutcomeResolved:
		rr.Resolved++
	case ticket.OutcomeOpen:
		rr.Open++
	case ticket.OutcomeNotPlanned:
		rr.NotPlanned++
	case ticket.OutcomeDuplicate:
		rr.Duplicate++
	}
	t.addResponse(tl)
	if tl.FirstResponse != nil {
		t.addResolvedWithin(tl)
	}
}

// addResponse compares the ticket's first response with its severity's
// target. A ticket nobody answered is a miss once its target has passed
// and pending before; it is never dropped.
func (t *tally) addResponse(tl *ticket.Timeline) {
	target := t.s.FirstResponse.Targets[tl.Severity]
	if tl.FirstResponse == nil {
		t.s.FirstResponse.NoResponse++
		t.s.ResolvedWithin24h.NoResponse++
		if target != nil {
			if t.o.AsOf.Sub(tl.Created) >= durationOf(target.TargetSeconds) {
				target.Missed++
			} else {
				target.Pending++
			}
		}
		return
	}
	d := secondsBetween(tl.Created, tl.FirstResponse.At)
	t.fr = append(t.fr, d)
	if target != nil {
		t.bySev[tl.Severity] = append(t.bySev[tl.Severity], d)
		if d <= target.TargetSeconds {
			target.Met++
		} else {
			target.Missed++
		}
	}
}

// addResolvedWithin judges an answered ticket against the window after
// its first response: resolved in time, resolved late, still open past
// the deadline (a miss), or not yet due.
func (t *tally) addResolvedWithin(tl *ticket.Timeline) {
	rw := &t.s.ResolvedWithin24h
	window := durationOf(t.o.Targets.ResolvedWithinSeconds)
	switch tl.Outcome {
	case ticket.OutcomeNotPlanned, ticket.OutcomeDuplicate:
		rw.ClosedUnresolved++
	case ticket.OutcomeResolved:
		rw.Eligible++
		if tl.Resolved.At.Sub(tl.FirstResponse.At) <= window {
			rw.Met++
		} else {
			rw.Missed++
		}
	case ticket.OutcomeOpen:
		if !tl.FirstResponse.At.Add(window).After(t.o.AsOf) {
			rw.Eligible++
			rw.Missed++
			rw.OpenPastDeadline++
		} else {
			rw.NotYetEligible++
		}
	}
}

// summary computes the statistics and the verdicts from the counts.
func (t *tally) summary() Summary {
	s, targets := t.s, t.o.Targets

	s.MTTR.Stats = Describe(t.mttr)
	s.MTTR.TargetSeconds = targets.MTTRSeconds
	for _, v := range t.mttr {
		if v <= targets.MTTRSeconds {
			s.MTTR.WithinTarget++
		}
	}
	s.MTTR.WithinTargetRatio = ratio(s.MTTR.WithinTarget, s.MTTR.N)
	s.MTTR.Met = MTTRMet(s.MTTR.Mean, targets.MTTRSeconds)

	s.FirstResponse.Stats = Describe(t.fr)
	share := &s.FirstResponse.WithinTarget
	for sev, target := range s.FirstResponse.Targets {
		target.Stats = Describe(t.bySev[sev])
		target.Eligible = target.Met + target.Missed
		target.Ratio = ratio(target.Met, target.Eligible)
		target.TargetRatio = targets.FirstResponseRatio
		target.TargetMet = RatioMet(target.Ratio, targets.FirstResponseRatio)
		share.Met += target.Met
		share.Missed += target.Missed
		share.Pending += target.Pending
	}
	share.Eligible = share.Met + share.Missed
	share.Ratio = ratio(share.Met, share.Eligible)
	share.TargetRatio = targets.FirstResponseRatio
	share.TargetMet = RatioMet(share.Ratio, targets.FirstResponseRatio)

	rw := &s.ResolvedWithin24h
	rw.WithinSeconds = targets.ResolvedWithinSeconds
	rw.Ratio = ratio(rw.Met, rw.Eligible)
	rw.TargetRatio = targets.ResolvedWithinRatio
	rw.TargetMet = RatioMet(rw.Ratio, targets.ResolvedWithinRatio)
	rw.SmallSample = rw.Eligible < SmallSampleN
	rw.Population = "incidents and problems opened in the period with a first response"

	rr := &s.ResolutionRate
	rr.Ratio = ratio(rr.Resolved, rr.Opened)
	rr.Denominator = "incidents and problems opened in the period; resolved = of those, resolved by the as-of time"
	return s
}

// MTTRMet is the verdict on the MTTR target: the mean is at most the
// target. It is nil when no incident was resolved, so nothing is judged.
// Every reader (the report, the scorecards, the site) takes it from here.
func MTTRMet(mean *int64, target int64) *bool {
	if mean == nil {
		return nil
	}
	return boolPtr(*mean <= target)
}

// RatioMet is the verdict on a share target: the share reaches the
// target ratio. It is nil when the share could not be computed.
func RatioMet(ratio *float64, target float64) *bool {
	if ratio == nil {
		return nil
	}
	return boolPtr(*ratio >= target)
}

// breakdown groups tickets by key and summarizes each group over the
// whole period. An empty key becomes NoneKey.
func breakdown(tls []*ticket.Timeline, o *Options, key func(*ticket.Timeline) string) map[string]Summary {
	groups := map[string][]*ticket.Timeline{}
	for _, t := range tls {
		k := key(t)
		if k == "" {
			k = NoneKey
		}
		groups[k] = append(groups[k], t)
	}
	out := make(map[string]Summary, len(groups))
	for k, g := range groups {
		s := summarize(g, o.From, o.To, o)
		if isEmpty(s) {
			continue
		}
		out[k] = s
	}
	return out
}

// isEmpty reports whether a group has nothing in the period: tickets only
// resolved or opened outside it make no row.
func isEmpty(s Summary) bool {
	return s.MTTR.N == 0 && s.ResolutionRate.Opened == 0
}

// months summarizes each calendar month of the period, clipped to it.
func months(tls []*ticket.Timeline, tickets []ticket.Ticket, o *Options) []Month {
	loc := o.location()
	key := func(t time.Time) string { return t.In(loc).Format("2006-01") }
	buckets := map[string][]*ticket.Timeline{}
	for _, t := range tls {
		k := key(t.Created)
		buckets[k] = append(buckets[k], t)
		if t.Resolved != nil {
			if rk := key(t.Resolved.At); rk != k {
				buckets[rk] = append(buckets[rk], t)
			}
		}
	}
	out := []Month{}
	f := o.From.In(loc)
	start := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, loc)
	for start.Before(o.To) {
		end := start.AddDate(0, 1, 0)
		from, to := start, end
		if from.Before(o.From) {
			from = o.From
		}
		if to.After(o.To) {
			to = o.To
		}
		out = append(out, Month{
			Month:        start.Format("2006-01"),
			From:         from,
			To:           to,
			Summary:      summarize(buckets[start.Format("2006-01")], from, to, o),
			Satisfaction: satisfaction(tickets, from, to, o),
		})
		start = end
	}
	return out
}

// satisfaction reads the rating field of feedback tickets opened in the
// period.
func satisfaction(tickets []ticket.Ticket, from, to time.Time, o *Options) Satisfaction {
	s := Satisfaction{TargetMean: o.Targets.SatisfactionMean}
	var sum, satisfied int
	for i := range tickets {
		t := &tickets[i]
		if t.Class != ticket.Feedback || !inPeriod(t.CreatedAt, from, to) || t.CreatedAt.After(o.AsOf) {
			continue
		}
		r, err := ParseRating(t.Fields["rating"])
		if err != nil {
			s.Invalid++
			continue
		}
		s.N++
		sum += r
		if r >= 4 {
			satisfied++
		}
	}
	s.SmallSample = s.N < SmallSampleN
	if s.N > 0 {
		mean := float64(sum) / float64(s.N)
		mean = math.Round(mean*100) / 100
		s.Mean = &mean
		s.SatisfiedRatio = ratio(satisfied, s.N)
		if s.TargetMean > 0 {
			s.Met = boolPtr(mean >= s.TargetMean)
		}
	}
	return s
}

// overdue lists open tickets past their deadline, oldest deadline first.
func overdue(tls []*ticket.Timeline, o *Options) []Overdue {
	out := []Overdue{}
	window := durationOf(o.Targets.ResolvedWithinSeconds)
	for _, t := range tls {
		if t.Outcome != ticket.OutcomeOpen || t.FirstResponse == nil {
			continue
		}
		deadline := t.FirstResponse.At.Add(window)
		if deadline.After(o.AsOf) {
			continue
		}
		out = append(out, Overdue{
			Number: t.Number, Title: t.Title, URL: t.URL, Class: string(t.Class),
			Severity: t.Severity, Service: t.Service, Team: o.ServiceTeams[t.Service],
			Responder: t.Responder, FirstResponse: t.FirstResponse.At, Deadline: deadline,
			OverdueSeconds: secondsBetween(deadline, o.AsOf),
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Deadline.Equal(out[j].Deadline) {
			return out[i].Deadline.Before(out[j].Deadline)
		}
		return out[i].Number < out[j].Number
	})
	return out
}

// worstServices ranks services that miss a target: most targets missed
// first, then the longest MTTR, then the lowest 24 h ratio.
func worstServices(by map[string]Summary, o *Options) []ServiceRank {
	out := []ServiceRank{}
	for svc, s := range by {
		if svc == NoneKey {
			continue
		}
		r := ServiceRank{
			Service: svc, Team: o.ServiceTeams[svc], Missed: []string{},
			Incidents: s.MTTR.N, MTTRMeanSeconds: s.MTTR.Mean,
			ResolvedWithin24hRatio: s.ResolvedWithin24h.Ratio,
			OpenPastDeadline:       s.ResolvedWithin24h.OpenPastDeadline,
		}
		if s.MTTR.Met != nil && !*s.MTTR.Met {
			r.Missed = append(r.Missed, TargetMTTR)
		}
		if s.ResolvedWithin24h.TargetMet != nil && !*s.ResolvedWithin24h.TargetMet {
			r.Missed = append(r.Missed, TargetResolvedWithin24h)
		}
		if len(r.Missed) > 0 {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if len(a.Missed) != len(b.Missed) {
			return len(a.Missed) > len(b.Missed)
		}
		am, bm := deref(a.MTTRMeanSeconds, -1), deref(b.MTTRMeanSeconds, -1)
		if am != bm {
			return am > bm
		}
		ar, br := derefF(a.ResolvedWithin24hRatio, 2), derefF(b.ResolvedWithin24hRatio, 2)
		if ar != br {
			return ar < br
		}
		return a.Service < b.Service
	})
	return out
}

func deref(p *int64, none int64) int64 {
	if p == nil {
		return none
	}
	return *p
}

func derefF(p *float64, none float64) float64 {
	if p == nil {
		return none
	}
	return *p
}

// sources counts where each milestone of the tickets opened in the period
// came from, so a reader can see how much rests on fallbacks.
func sources(tls []*ticket.Timeline, o *Options) map[string]map[string]int {
	out := map[string]map[string]int{
		"started": {}, "first_response": {}, "mitigated": {}, "resolved": {},
	}
	add := func(name string, m *ticket.Milestone) {
		if m == nil {
			out[name]["none"]++
			return
		}
		out[name][string(m.Source)]++
	}
	for _, t := range tls {
		if !inPeriod(t.Created, o.From, o.To) {
			continue
		}
		add("started", &t.Started)
		add("first_response", t.FirstResponse)
		add("mitigated", t.Mitigated)
		add("resolved", t.Resolved)
	}
	return out
}

// ParseRating reads a feedback ticket's rating field.
func ParseRating(s string) (int, error) {
	r, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || r < 1 || r > 5 {
		return 0, fmt.Errorf("parse rating %q: want a whole number from 1 to 5", s)
	}
	return r, nil
}
