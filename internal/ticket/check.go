package ticket

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The limits of a snapshot. Each is checked before the work it protects,
// and a snapshot over one is refused, or the ticket over one left out,
// with an error or a reason that names it.
const (
	// MaxSnapshotBytes is the largest snapshot file read: 1 GiB, about
	// six times the 100,000 tickets of the benchmark (157 MB).
	MaxSnapshotBytes = 1 << 30
	// MaxSnapshotTickets is the most ticket lines a snapshot may hold (and
	// its header announce): five times the benchmark's 100,000, about
	// 300 MB of tickets and timelines in memory even when every line is
	// as short as a line can be.
	MaxSnapshotTickets = 500_000
	// MaxLineBytes is the longest ticket line read: a ticket's title,
	// form fields (an issue body is at most 65,536 characters) and
	// thousands of events fit many times over. A longer line is left out
	// without being held in memory whole.
	MaxLineBytes = 8 << 20
	// MaxEventsPerTicket is the most timeline events a ticket may have;
	// one with more is left out, its events never decoded (a million
	// events on one ticket took 7 s and 750 MB).
	MaxEventsPerTicket = 10_000
	// FutureSlack is how far after the snapshot was taken (or the as-of
	// time, when it records none) a time may lie: clocks drift, but
	// nothing happens a day after the snapshot that records it.
	FutureSlack = 24 * time.Hour
)

// Epoch is the earliest time a ticket may carry: GitHub is younger, and
// a time before it is a zero value or a typo.
var Epoch = time.Unix(0, 0).UTC()

// preallocTickets is the most ticket slots made up front from the
// header's count; a snapshot announcing more grows as its lines come in,
// so that a header cannot make the reader allocate what the file does
// not hold.
const preallocTickets = 1 << 17

// Why a ticket is left out of the figures: Excluded.Kind.
const (
	ExcludedDuplicate     = "duplicate"
	ExcludedUnknownClass  = "unknown_class"
	ExcludedImpossible    = "impossible_time"
	ExcludedBadNumber     = "bad_number"
	ExcludedLoneSurrogate = "lone_surrogate"
	ExcludedTooManyEvents = "too_many_events"
	ExcludedLineTooLong   = "line_too_long"
)

// Excluded is a ticket left out of the figures, and why. Rejected
// postmortems are reported the same way (kpi.RejectedPostmortem).
type Excluded struct {
	Number int   `json:"number"`
	Class  Class `json:"class"`
	// Kind is one of the Excluded* constants, for readers that count
	// them; Reason says it in words.
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
	// Line is the ticket's line in the snapshot file, 0 (left out of the
	// JSON) when the ticket did not come from one.
	Line int `json:"line,omitempty"`
	// Ticket is the ticket as decoded, when the whole line could be and
	// it is not a duplicate: a sync keeps it in the snapshot, so that it
	// is reported again until it is fixed.
	Ticket *Ticket `json:"-"`
}

// Latest is the latest time a snapshot's tickets may carry: FutureSlack
// after it was taken, or after asOf when it records no time; the zero
// time (no bound) when neither is known.
func Latest(syncedAt, asOf time.Time) time.Time {
	switch {
	case !syncedAt.IsZero():
		return syncedAt.Add(FutureSlack)
	case !asOf.IsZero():
		return asOf.Add(FutureSlack)
	}
	return time.Time{}
}

// knownClasses are the classes a snapshot may hold.
var knownClasses = []Class{Incident, Problem, Feedback, QuizResult, Other}

// Check says why t cannot enter the figures, as an Excluded* kind and a
// reason, or "" when it can: a number that is no issue number, a class
// opsqa does not know, a time before Epoch or after latest (unless
// latest is zero), or a close or event before the ticket was created,
// which would give a negative time to respond or resolve. Times are
// compared as instants, so an offset such as -23:59 cannot hide one.
func Check(t *Ticket, latest time.Time) (kind, reason string) {
	if t.Number <= 0 {
		return ExcludedBadNumber, fmt.Sprintf("number %d is not an issue number", t.Number)
	}
	if !slices.Contains(knownClasses, t.Class) {
		if t.Class == "" {
			return ExcludedUnknownClass, "no class"
		}
		return ExcludedUnknownClass, fmt.Sprintf("class %q is none of incident, problem, feedback, quiz-result, other", string(t.Class))
	}
	if r := badTime("created_at", t.CreatedAt, latest); r != "" {
		return ExcludedImpossible, r
	}
	if !t.UpdatedAt.IsZero() {
		if r := badTime("updated_at", t.UpdatedAt, latest); r != "" {
			return ExcludedImpossible, r
		}
	}
	if t.ClosedAt != nil {
		if r := badTime("closed_at", *t.ClosedAt, latest); r != "" {
			return ExcludedImpossible, r
		}
		if t.ClosedAt.Before(t.CreatedAt) {
			return ExcludedImpossible, fmt.Sprintf("closed_at %s is before created_at %s", stamp(*t.ClosedAt), stamp(t.CreatedAt))
		}
	}
	if len(t.Events) > MaxEventsPerTicket {
		return ExcludedTooManyEvents, tooManyEvents(len(t.Events))
	}
	for i := range t.Events {
		e := &t.Events[i]
		if plausible(e.At, latest) && !e.At.Before(t.CreatedAt) {
			continue
		}
		name := fmt.Sprintf("event %d (%s)", i+1, e.Kind)
		if r := badTime(name, e.At, latest); r != "" {
			return ExcludedImpossible, r
		}
		return ExcludedImpossible, fmt.Sprintf("%s at %s is before created_at %s", name, stamp(e.At), stamp(t.CreatedAt))
	}
	return "", ""
}

func tooManyEvents(n int) string {
	return fmt.Sprintf("%d timeline events, more than the %d a ticket may have (MaxEventsPerTicket)", n, MaxEventsPerTicket)
}

// plausible reports whether at is neither zero, before Epoch nor after
// latest (when latest is not zero).
func plausible(at, latest time.Time) bool {
	return !at.Before(Epoch) && (latest.IsZero() || !at.After(latest))
}

// badTime says what is wrong with the time at named name, or "".
func badTime(name string, at, latest time.Time) string {
	if plausible(at, latest) {
		return ""
	}
	switch {
	case at.IsZero():
		return name + " is missing"
	case at.Before(Epoch):
		return fmt.Sprintf("%s %s is before 1970", name, stamp(at))
	case !latest.IsZero() && at.After(latest):
		return fmt.Sprintf("%s %s is after %s, a day after the snapshot was taken", name, stamp(at), stamp(latest.Add(-FutureSlack)))
	}
	return ""
}

// stamp prints a time as RFC 3339 in UTC, or as the text it came from
// when it has no RFC 3339 form (year 10000 and later).
func stamp(t time.Time) string {
	if y := t.Year(); y < 0 || y > 9999 {
		return t.UTC().String()
	}
	return t.UTC().Format(time.RFC3339)
}

// CheckSnapshot leaves out of s the tickets Check refuses and every
// ticket whose number an earlier one has, and adds them to s.Excluded:
// the checks ReadSnapshot makes, for a snapshot built in memory (as a
// sync builds one) or a list of tickets from anywhere else. latest is
// as Check takes it. The order of the tickets is kept.
func CheckSnapshot(s *Snapshot, latest time.Time) {
	kept := s.Tickets[:0]
	var lines []int32
	for i := range s.Tickets {
		t := s.Tickets[i]
		line := s.lineOf(i)
		if kind, reason := Check(&t, latest); kind != "" {
			tc := t
			s.Excluded = append(s.Excluded, Excluded{Number: t.Number, Class: t.Class, Kind: kind, Reason: reason, Line: line, Ticket: &tc})
			continue
		}
		kept = append(kept, t)
		if s.lines != nil {
			lines = append(lines, int32(line))
		}
	}
	clear(s.Tickets[len(kept):])
	s.Tickets, s.lines = kept, lines
	s.Excluded = append(s.Excluded, dropDuplicates(s, nil)...)
	sortExcluded(s.Excluded)
}

// dropDuplicates leaves out of s every ticket whose number an earlier
// one has, and of tls (when not nil, one timeline per ticket) its
// timeline, and returns them as excluded. The first is kept: it is the
// one a sync wrote first, and the later one is the copy.
func dropDuplicates(s *Snapshot, tls *[]Timeline) []Excluded {
	// Snapshots are written in number order: a strictly increasing list
	// holds no duplicate, and costs no map.
	increasing := true
	for i := 1; i < len(s.Tickets) && increasing; i++ {
		increasing = s.Tickets[i-1].Number < s.Tickets[i].Number
	}
	if increasing {
		return nil
	}
	first := make(map[int]int, len(s.Tickets)) // number → index of the first
	var out []Excluded
	keep := 0
	for i := range s.Tickets {
		t := &s.Tickets[i]
		if j, dup := first[t.Number]; dup {
			where := "earlier"
			if l := s.lineOf(j); l > 0 {
				where = fmt.Sprintf("at line %d", l)
			}
			out = append(out, Excluded{Number: t.Number, Class: t.Class, Kind: ExcludedDuplicate, Line: s.lineOf(i),
				Reason: fmt.Sprintf("duplicate of ticket #%d %s: the first is kept", t.Number, where)})
			continue
		}
		first[t.Number] = keep
		s.Tickets[keep] = *t
		if s.lines != nil {
			s.lines[keep] = s.lines[i]
		}
		if tls != nil {
			(*tls)[keep] = (*tls)[i]
		}
		keep++
	}
	clear(s.Tickets[keep:])
	s.Tickets = s.Tickets[:keep]
	if s.lines != nil {
		s.lines = s.lines[:keep]
	}
	if tls != nil {
		clear((*tls)[keep:])
		*tls = (*tls)[:keep]
	}
	return out
}

// sortExcluded orders exclusions by line, then number.
func sortExcluded(ex []Excluded) {
	slices.SortStableFunc(ex, func(a, b Excluded) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Number - b.Number
	})
}

// LineOf is the snapshot line of the ticket with the given number, 0
// when the snapshot was not read from a file or holds no such ticket.
func (s *Snapshot) LineOf(number int) int {
	i, ok := slices.BinarySearchFunc(s.Tickets, number, func(t Ticket, n int) int { return t.Number - n })
	if !ok {
		for j := range s.Tickets { // not in number order
			if s.Tickets[j].Number == number {
				return s.lineOf(j)
			}
		}
		return 0
	}
	return s.lineOf(i)
}

func (s *Snapshot) lineOf(i int) int {
	if i < len(s.lines) {
		return int(s.lines[i])
	}
	return 0
}

// ExcludedSummary says how many tickets were left out and why, in one
// line: "3 tickets left out of the figures: 2 duplicate, 1 impossible_time".
func ExcludedSummary(ex []Excluded) string {
	if len(ex) == 0 {
		return ""
	}
	counts := map[string]int{}
	var kinds []string
	for _, e := range ex {
		if counts[e.Kind] == 0 {
			kinds = append(kinds, e.Kind)
		}
		counts[e.Kind]++
	}
	slices.Sort(kinds)
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	noun := "tickets"
	if len(ex) == 1 {
		noun = "ticket"
	}
	return fmt.Sprintf("%d %s left out of the figures: %s", len(ex), noun, strings.Join(parts, ", "))
}
