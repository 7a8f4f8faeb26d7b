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
	// FirstResponseSeconds is the response target per severity.
	FirstResponseSeconds map[string]int64
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

// Timelines builds the timeline of every ticket created by the as-of time,
// completed from the postmortems, in ticket number order.
func Timelines(tickets []ticket.Ticket, o Options) ([]ticket.Timeline, PostmortemUse) {
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
// those of tickets created after the as-of time, adds the postmortems'
// milestones under PostmortemRule, and orders them by number. It reuses
// tls.
func Complete(tls []ticket.Timeline, o Options) ([]ticket.Timeline, PostmortemUse) {
	kept := tls[:0]
	for _, tl := range tls {
		if !tl.Created.After(o.AsOf) {
			kept = append(kept, tl)
		}
	}
	clear(tls[len(kept):])
	tls, use := applyPostmortems(kept, o.Postmortems, o.AsOf)
	// Snapshots come in number order; only postmortem-only incidents, added
	// last, may break it. Checking first spares moving 100,000 timelines.
	byNumber := func(a, b ticket.Timeline) int { return a.Number - b.Number }
	if !slices.IsSortedFunc(tls, byNumber) {
		slices.SortStableFunc(tls, byNumber)
	}
	return tls, use
}

// Compute returns the metrics of tickets under o.
func Compute(tickets []ticket.Ticket, o Options) *Metrics {
	tls, use := Timelines(tickets, o)
	return ComputeTimelines(tls, tickets, o, use)
}

// ComputeTimelines is Compute over timelines already built; tickets are
// read only for feedback ratings.
func ComputeTimelines(tls []ticket.Timeline, tickets []ticket.Ticket, o Options, use PostmortemUse) *Metrics {
	m := &Metrics{
		SchemaVersion: SchemaVersion,
		AsOf:          o.AsOf,
		Period:        Period{From: o.From, To: o.To},
		Timezone:      o.location().String(),
		Postmortems:   use,
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

func inPeriod(t, from, to time.Time) bool { return !t.Before(from) && t.Before(to) }

// summarize computes every KPI over the tickets for the period [from, to).
// Each KPI takes its own population, as DESIGN.md defines it: MTTR over
// incidents resolved in the period; the others over tickets opened in it.
func summarize(tls []*ticket.Timeline, from, to time.Time, o *Options) Summary {
	var s Summary
	var mttr, fr []int64
	bySev := map[string][]int64{}
	s.FirstResponse.Targets = map[string]*ResponseTarget{}
	for sev, target := range o.Targets.FirstResponseSeconds {
		s.FirstResponse.Targets[sev] = &ResponseTarget{TargetSeconds: target}
	}
	rw := &s.ResolvedWithin24h
	rr := &s.ResolutionRate
	within := o.Targets.ResolvedWithinSeconds
	for _, t := range tls {
		if t.Class == ticket.Incident && t.Resolved != nil && inPeriod(t.Resolved.At, from, to) {
			mttr = append(mttr, int64(t.Resolved.At.Sub(t.Started.At)/time.Second))
		}
		if !inPeriod(t.Created, from, to) {
			continue
		}
		if t.Class == ticket.Incident {
			switch t.Outcome {
			case ticket.OutcomeOpen:
				s.MTTR.Unresolved++
			case ticket.OutcomeNotPlanned, ticket.OutcomeDuplicate:
				s.MTTR.ClosedUnresolved++
			}
		}

		rr.Opened++
		switch t.Outcome {
		case ticket.OutcomeResolved:
			rr.Resolved++
		case ticket.OutcomeOpen:
			rr.Open++
		case ticket.OutcomeNotPlanned:
			rr.NotPlanned++
		case ticket.OutcomeDuplicate:
			rr.Duplicate++
		}

		target := s.FirstResponse.Targets[t.Severity]
		if t.FirstResponse == nil {
			s.FirstResponse.NoResponse++
			if target != nil {
				if o.AsOf.Sub(t.Created) >= time.Duration(target.TargetSeconds)*time.Second {
					target.Missed++
				} else {
					target.Pending++
				}
			}
			rw.NoResponse++
			continue
		}
		d := int64(t.FirstResponse.At.Sub(t.Created) / time.Second)
		fr = append(fr, d)
		if target != nil {
			bySev[t.Severity] = append(bySev[t.Severity], d)
			if d <= target.TargetSeconds {
				target.Met++
			} else {
				target.Missed++
			}
		}

		switch t.Outcome {
		case ticket.OutcomeNotPlanned, ticket.OutcomeDuplicate:
			rw.ClosedUnresolved++
		case ticket.OutcomeResolved:
			rw.Eligible++
			if t.Resolved.At.Sub(t.FirstResponse.At) <= time.Duration(within)*time.Second {
				rw.Met++
			} else {
				rw.Missed++
			}
		case ticket.OutcomeOpen:
			if !t.FirstResponse.At.Add(time.Duration(within) * time.Second).After(o.AsOf) {
				rw.Eligible++
				rw.Missed++
				rw.OpenPastDeadline++
			} else {
				rw.NotYetEligible++
			}
		}
	}

	s.MTTR.Stats = Describe(mttr)
	s.MTTR.TargetSeconds = o.Targets.MTTRSeconds
	for _, v := range mttr {
		if v <= o.Targets.MTTRSeconds {
			s.MTTR.WithinTarget++
		}
	}
	s.MTTR.WithinTargetRatio = ratio(s.MTTR.WithinTarget, s.MTTR.N)
	if s.MTTR.Mean != nil {
		s.MTTR.Met = boolPtr(*s.MTTR.Mean <= o.Targets.MTTRSeconds)
	}

	s.FirstResponse.Stats = Describe(fr)
	share := &s.FirstResponse.WithinTarget
	for sev, target := range s.FirstResponse.Targets {
		target.Stats = Describe(bySev[sev])
		target.Eligible = target.Met + target.Missed
		target.Ratio = ratio(target.Met, target.Eligible)
		share.Met += target.Met
		share.Missed += target.Missed
		share.Pending += target.Pending
	}
	share.Eligible = share.Met + share.Missed
	share.Ratio = ratio(share.Met, share.Eligible)

	rw.WithinSeconds = within
	rw.Ratio = ratio(rw.Met, rw.Eligible)
	rw.TargetRatio = o.Targets.ResolvedWithinRatio
	if rw.Ratio != nil {
		rw.TargetMet = boolPtr(*rw.Ratio >= o.Targets.ResolvedWithinRatio)
	}
	rw.SmallSample = rw.Eligible < SmallSampleN
	rw.Population = "incidents and problems opened in the period with a first response"

	rr.Ratio = ratio(rr.Resolved, rr.Opened)
	rr.Denominator = "incidents and problems opened in the period; resolved = of those, resolved by the as-of time"
	return s
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
	window := time.Duration(o.Targets.ResolvedWithinSeconds) * time.Second
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
			OverdueSeconds: int64(o.AsOf.Sub(deadline) / time.Second),
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
