package ticket

import (
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// A lineDecoder decodes ticket lines of a snapshot, keeping what a large
// snapshot holds live as small as it can be: a snapshot of 100,000
// tickets is about a quarter of a gigabyte in memory, and most of that is
// timelines and short repeated strings. One lineDecoder serves one
// goroutine.
type lineDecoder struct {
	// events is the buffer every line's timeline is decoded into; it grows
	// to the longest timeline seen.
	events []Event
	// labels and assignees are the buffers of the two lists of names.
	labels, assignees []string
	// eventBlock and nameBlock are where timelines and lists of names
	// are copied to, each exactly as long as it is, instead of each
	// keeping a slice grown by doubling.
	eventBlock []Event
	nameBlock  []string
	// strings keeps one copy of each short string: a snapshot holds
	// millions of logins, labels and event kinds but only a few hundred
	// distinct ones, so the decoder's own copies die young.
	strings map[string]string
	// build, when set, has each ticket's timeline built from the events
	// while they are in the buffer; the events are then dropped.
	build *timelineBuild
	// latest is the latest time a ticket may carry (Check); maxLine the
	// longest line decoded.
	latest  time.Time
	maxLine int
}

// timelineBuild is the policy and as-of time timelines are built under
// while a snapshot is read.
type timelineBuild struct {
	policy Policy
	asOf   time.Time
}

// blockLen is how many elements one block of lineDecoder holds.
const blockLen = 4096

func newLineDecoder() *lineDecoder {
	return &lineDecoder{
		events: make([]Event, 0, 64), labels: make([]string, 0, 16), assignees: make([]string, 0, 16),
		strings: make(map[string]string, 512), maxLine: MaxLineBytes,
	}
}

// errInvalidUTF8 refuses a line that is not UTF-8: the JSON decoder would
// copy the bytes as they are into titles that pages and reports show.
var errInvalidUTF8 = errors.New("invalid UTF-8")

// decode decodes one ticket line into t, and when the decoder builds
// timelines, t's timeline into tl. A line that is not a ticket is an
// error; a ticket that cannot enter the figures is returned as excluded
// (its slot is dropped after), its timeline not built: a line over
// MaxLineBytes or holding a lone surrogate, a ticket with more than
// MaxEventsPerTicket events (not decoded), one that Check refuses.
func (d *lineDecoder) decode(line []byte, t *Ticket, tl *Timeline) (*Excluded, error) {
	if len(line) > d.maxLine {
		n, class := headOf(line[:min(len(line), longHead)])
		return &Excluded{Number: n, Class: class, Kind: ExcludedLineTooLong,
			Reason: fmt.Sprintf("the line is longer than the %d bytes a ticket line may have (MaxLineBytes)", d.maxLine)}, nil
	}
	if !utf8.Valid(line) {
		return nil, errInvalidUTF8
	}
	if n := countEvents(line, MaxEventsPerTicket); n > MaxEventsPerTicket {
		var head ticketHead
		if err := gojson.Unmarshal(line, &head); err != nil {
			return nil, err
		}
		return &Excluded{Number: head.Number, Class: head.Class, Kind: ExcludedTooManyEvents,
			Reason: fmt.Sprintf("more than %d timeline events, the most a ticket may have (MaxEventsPerTicket)", MaxEventsPerTicket)}, nil
	}
	surrogate := loneSurrogate(line)
	// The decoder appends to the slices it finds, decoding into the old
	// elements without zeroing them first: the buffers are kept zeroed.
	t.Events, t.Labels, t.Assignees = d.events[:0], d.labels[:0], d.assignees[:0]
	if err := gojson.Unmarshal(line, t); err != nil {
		clear(d.events[:cap(d.events)])
		clear(d.labels[:cap(d.labels)])
		clear(d.assignees[:cap(d.assignees)])
		return nil, err
	}
	evs := t.Events
	d.events = larger(d.events, evs)
	d.labels = larger(d.labels, t.Labels)
	d.assignees = larger(d.assignees, t.Assignees)
	var ex *Excluded
	switch kind, reason := Check(t, d.latest); {
	case surrogate >= 0:
		field := fieldAt(line, surrogate)
		if field == "" {
			field = "a key"
		}
		ex = &Excluded{Number: t.Number, Class: t.Class, Kind: ExcludedLoneSurrogate,
			Reason: fmt.Sprintf("%s holds a lone UTF-16 surrogate (%s), which is no character", field, line[surrogate:surrogate+6])}
	case kind != "":
		ex = &Excluded{Number: t.Number, Class: t.Class, Kind: kind, Reason: reason}
		if kind != ExcludedTooManyEvents {
			// Kept whole for a sync, which writes it back.
			keep := *t
			keep.Events = slices.Clone(evs)
			keep.Labels, keep.Assignees = slices.Clone(t.Labels), slices.Clone(t.Assignees)
			ex.Ticket = &keep
		}
	}
	if ex != nil {
		clear(evs)
		clear(t.Labels)
		clear(t.Assignees)
		*t = Ticket{}
		return ex, nil
	}
	d.intern(t)
	switch {
	case d.build != nil:
		*tl = BuildTimeline(t, d.build.policy, d.build.asOf)
		t.Events = nil
	case evs != nil:
		t.Events = pack(&d.eventBlock, evs)
	}
	clear(evs)
	if labels := t.Labels; labels != nil {
		t.Labels = pack(&d.nameBlock, labels)
		clear(labels)
	}
	if assignees := t.Assignees; assignees != nil {
		t.Assignees = pack(&d.nameBlock, assignees)
		clear(assignees)
	}
	return nil, nil
}

// ticketHead is what is decoded of a ticket whose events are not.
type ticketHead struct {
	Number int   `json:"number"`
	Class  Class `json:"class"`
}

// larger returns the buffer with the larger capacity: the decoder may have
// grown one.
func larger[T any](buf, decoded []T) []T {
	if cap(decoded) > cap(buf) {
		return decoded
	}
	return buf
}

// pack copies s into the current block, starting a new one when it is
// full, and returns the copy, capped so that appending to it cannot spill
// into a neighbour's elements. An empty s gives an empty slice, not nil.
func pack[T any](block *[]T, s []T) []T {
	if len(s) > cap(*block)-len(*block) {
		*block = make([]T, 0, max(blockLen, len(s)))
	}
	start := len(*block)
	*block = append(*block, s...)
	return (*block)[start:len(*block):len(*block)]
}

func (d *lineDecoder) str(s *string) {
	if v, ok := d.strings[*s]; ok {
		*s = v
		return
	}
	d.strings[*s] = *s
}

// intern replaces the repeating strings of t by their shared copies.
func (d *lineDecoder) intern(t *Ticket) {
	d.str(&t.Author.Login)
	d.str(&t.Author.Type)
	d.str((*string)(&t.Class))
	d.str((*string)(&t.State))
	d.str((*string)(&t.StateReason))
	d.str(&t.Severity)
	d.str(&t.Service)
	for i := range t.Labels {
		d.str(&t.Labels[i])
	}
	for i := range t.Assignees {
		d.str(&t.Assignees[i])
	}
	for i := range t.Events {
		e := &t.Events[i]
		d.str(&e.Actor.Login) // timelines keep the logins of responders
		if d.build != nil {
			continue // the events themselves are dropped
		}
		d.str((*string)(&e.Kind))
		d.str(&e.Actor.Type)
		d.str(&e.Label)
		d.str(&e.Assignee)
		d.str((*string)(&e.StateReason))
		d.str(&e.AuthorAssociation)
	}
}
