package ticket

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/opsqa/opsqa/internal/atomicfile"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/safefile"
)

// A snapshot file is JSON Lines: the first line is the header (everything
// but the tickets, plus their count), then one ticket per line. One line
// per ticket keeps a sync's diff readable, and lets the reader decode
// tickets on every CPU at once: a snapshot of 100,000 tickets is a few
// hundred megabytes, and decoding dominates everything metrics and the
// site do with it.

// MaxSnapshotSize is the largest snapshot read, 2 GiB: a snapshot of
// 100,000 tickets is 157 MB, and a file larger than this one is no
// snapshot (a link to /dev/zero never ends).
const MaxSnapshotSize = 2 << 30

// header is the first line of a snapshot file.
type header struct {
	SchemaVersion int       `json:"schema_version"`
	Repository    string    `json:"repository"`
	SyncedAt      time.Time `json:"synced_at"`
	Cursor        Cursor    `json:"cursor"`
	// Tickets is how many ticket lines follow, so that a truncated file
	// is known to be one.
	Tickets int `json:"tickets"`
}

// ReadSnapshot reads a snapshot file written by WriteSnapshot.
func ReadSnapshot(path string) (*Snapshot, error) {
	s, _, err := readSnapshot(path, nil)
	return s, err
}

// ReadSnapshotTimelines reads a snapshot for the KPIs and the site: as
// each ticket is decoded its timeline is built, under the policy and
// as-of time that options gives for the snapshot (its header: everything
// but the tickets), and its events are dropped. Events are half of a
// large snapshot in memory, and nothing past the timelines reads them.
// The timelines are one per ticket, in ticket order. An error of options
// is returned as it is.
func ReadSnapshotTimelines(path string, options func(*Snapshot) (Policy, time.Time, error)) (*Snapshot, []Timeline, error) {
	return readSnapshot(path, options)
}

// optionsError carries an error of the options of ReadSnapshotTimelines
// out, unwrapped.
type optionsError struct{ err error }

func (e optionsError) Error() string { return e.err.Error() }

func readSnapshot(path string, options func(*Snapshot) (Policy, time.Time, error)) (*Snapshot, []Timeline, error) {
	f, err := safefile.Open(path, MaxSnapshotSize, "a ticket snapshot")
	if err != nil {
		return nil, nil, fmt.Errorf("read snapshot: %w", err)
	}
	defer f.Close()
	s, tls, err := decodeSnapshot(f, f.Size, options)
	var le *lineError
	var oe optionsError
	switch {
	case errors.As(err, &oe):
		return nil, nil, oe.err
	case errors.As(err, &le):
		return nil, nil, fmt.Errorf("read snapshot: %s:%w", path, err)
	case err != nil:
		return nil, nil, fmt.Errorf("read snapshot %s: %w", path, err)
	}
	return s, tls, nil
}

// A lineError is a line of the snapshot that cannot be read. Its message
// starts with "line:col: ", to follow the file name.
type lineError struct {
	line, col int
	err       error
}

func (e *lineError) Error() string { return fmt.Sprintf("%d:%d: %v", e.line, e.col, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// errorAt places a decoding error of text, line number line of the file,
// at the last character the decoder read (the offending one for a syntax
// error, the end of the value for a wrong type), counted in characters.
func errorAt(line int, text []byte, err error) *lineError {
	offset := int64(0) // bytes read, the last of them the one at fault
	var syntax *gojson.SyntaxError
	var typ *gojson.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		offset = syntax.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	if errors.Is(err, errInvalidUTF8) {
		offset = int64(diag.InvalidUTF8At(text)) + 1
	}
	col := 1
	if offset > 0 {
		col = utf8.RuneCount(text[:min(int(offset)-1, len(text))]) + 1
	}
	return &lineError{line, col, err}
}

// minTicketLine is the fewest bytes a ticket line takes, {"number":1}
// and its newline.
const minTicketLine = 13

// decodeSnapshot reads a snapshot of size bytes from r, building the
// timelines when options is set.
func decodeSnapshot(r io.Reader, size int64, options func(*Snapshot) (Policy, time.Time, error)) (*Snapshot, []Timeline, error) {
	if size > MaxSnapshotBytes {
		return nil, nil, fmt.Errorf("the file is %d bytes, more than the %d a snapshot may have (MaxSnapshotBytes)", size, MaxSnapshotBytes)
	}
	// The file may grow while it is read: no more than the limit is.
	br := bufio.NewReaderSize(io.LimitReader(r, MaxSnapshotBytes+1), 64<<10)
	first, err := readHeaderLine(br)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errors.New("empty file")
		}
		return nil, nil, err
	}
	var h header
	if err := json.Unmarshal(first, &h); err != nil {
		return nil, nil, &lineError{1, 1, fmt.Errorf("not a snapshot header: %w", err)}
	}
	if h.SchemaVersion != SchemaVersion {
		return nil, nil, &lineError{1, 1, fmt.Errorf("schema_version %d, this opsqa reads %d", h.SchemaVersion, SchemaVersion)}
	}
	switch {
	case h.Tickets < 0 || int64(h.Tickets) > size/minTicketLine:
		return nil, nil, &lineError{1, 1, fmt.Errorf("the header announces %d tickets, more than a file of %d bytes can hold", h.Tickets, size)}
	case h.Tickets > MaxSnapshotTickets:
		return nil, nil, &lineError{1, 1, fmt.Errorf("the header announces %d tickets, more than the %d a snapshot may hold (MaxSnapshotTickets)", h.Tickets, MaxSnapshotTickets)}
	}
	s := Snapshot{SchemaVersion: h.SchemaVersion, Repository: h.Repository, SyncedAt: h.SyncedAt, Cursor: h.Cursor}
	var build *timelineBuild
	var asOf time.Time
	if options != nil {
		policy, at, err := options(&s)
		if err != nil {
			return nil, nil, optionsError{err}
		}
		build, asOf = &timelineBuild{policy, at}, at
	}
	d, err := decodeTickets(br, decodeConfig{firstLine: 2, chunk: chunkSize, maxLine: MaxLineBytes,
		announced: h.Tickets, build: build, latest: Latest(h.SyncedAt, asOf)})
	if err != nil {
		return nil, nil, err
	}
	s.Tickets, s.lines, s.Excluded = d.tickets, d.lines, d.excluded
	tls := d.tls
	var ptls *[]Timeline
	if tls != nil {
		ptls = &tls
	}
	if dups := dropDuplicates(&s, ptls); dups != nil {
		s.Excluded = append(s.Excluded, dups...)
		sortExcluded(s.Excluded)
	}
	return &s, tls, nil
}

// readHeaderLine returns the first line, refusing one longer than
// MaxLineBytes before it is read whole.
func readHeaderLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		b, err := br.ReadSlice('\n')
		line = append(line, b...)
		if len(line) > MaxLineBytes {
			return nil, &lineError{1, 1, fmt.Errorf("the header is longer than %d bytes (MaxLineBytes)", MaxLineBytes)}
		}
		switch {
		case err == nil:
			return bytes.TrimRight(line, "\r\n"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return bytes.TrimRight(line, "\r\n"), nil
		default:
			return nil, err
		}
	}
}

// chunkSize is about how many bytes of ticket lines one decoding job
// takes: big enough that handing out jobs costs nothing, small enough
// that both CPUs stay busy to the end.
const chunkSize = 1 << 20

// decodeConfig says how decodeTickets reads.
type decodeConfig struct {
	// firstLine is the file's line number of the first ticket line, for
	// error messages and exclusions.
	firstLine int
	// chunk is about how many bytes one decoding job takes; maxLine the
	// longest line decoded (MaxLineBytes but in tests).
	chunk, maxLine int
	// announced is the header's count of tickets.
	announced int
	// build, when set, has the timelines built as tickets are decoded.
	build *timelineBuild
	// latest is the latest time a ticket may carry (Check).
	latest time.Time
}

// decoded is what decodeTickets read: the tickets kept, in file order,
// their line numbers and timelines (when built), and those left out.
type decoded struct {
	tickets  []Ticket
	tls      []Timeline
	lines    []int32
	excluded []Excluded
}

// decodeTickets reads the ticket lines in chunks cut at line ends and
// decodes the chunks on every CPU, each ticket straight into its place in
// one slice (a copy of 100,000 decoded tickets into a slice of the right
// size, at the end, cost more than a tenth of the read). The slice is
// made at the announced length up to preallocTickets; the chunks past it
// get slices of their own, joined at the end, so that what is allocated
// follows what the file holds, never what its header claims. With build
// set, the tickets' timelines are built as they are decoded, and their
// events dropped. A ticket Check refuses, or a line over a limit or
// holding a lone surrogate, is left out and listed.
func decodeTickets(r io.Reader, c decodeConfig) (*decoded, error) {
	slotsUp := min(c.announced, preallocTickets)
	main := newSegment(slotsUp, c.build != nil)
	var overflow []segment // the chunks past main, in order
	jobs := make(chan chunkJob)
	// Chunks go back to the reader once decoded: decoding copies every
	// string out, so two buffers per CPU serve the whole file.
	free := make(chan []byte, 2*runtime.GOMAXPROCS(0)+1)
	var first firstError
	var out excludedList
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			d := newLineDecoder()
			d.build, d.latest, d.maxLine = c.build, c.latest, c.maxLine
			for j := range jobs {
				err := j.decode(d, &out)
				if !j.long {
					select {
					case free <- j.data[:0]:
					default:
					}
				}
				first.keep(j.index, err)
			}
		})
	}
	held, inMain := 0, 0
	line := c.firstLine
	var tooMany error
	readErr := readChunks(r, c.chunk, c.maxLine, free, func(index int, data []byte, long bool) {
		n := 1
		if !long {
			n = ticketLines(data)
		}
		if tooMany == nil && held+n > MaxSnapshotTickets {
			tooMany = fmt.Errorf("the file holds more than the %d tickets a snapshot may hold (MaxSnapshotTickets)", MaxSnapshotTickets)
		}
		if tooMany == nil && held+n <= c.announced {
			var seg segment
			if len(overflow) == 0 && held+n <= len(main.tickets) {
				seg = main.slice(held, held+n)
				inMain = held + n
			} else {
				seg = newSegment(n, c.build != nil)
				overflow = append(overflow, seg)
			}
			jobs <- chunkJob{index: index, firstLine: line, first: held, data: data, long: long, seg: seg}
		}
		held += n
		if long {
			line++
		} else {
			line += bytes.Count(data, newline)
		}
	})
	close(jobs)
	wg.Wait()
	switch {
	case readErr != nil:
		return nil, readErr
	case first.err != nil:
		return nil, first.err
	case tooMany != nil:
		return nil, tooMany
	case held < c.announced:
		return nil, fmt.Errorf("the header announces %d tickets, the file holds %d: it is incomplete", c.announced, held)
	case held > c.announced:
		return nil, fmt.Errorf("the header announces %d tickets, the file holds %d: it is not the file the header describes", c.announced, held)
	}
	all := main.slice(0, inMain)
	for _, seg := range overflow {
		all = all.join(seg)
	}
	return all.without(out.sorted()), nil
}

// A segment is slots for decoded tickets: the tickets, their line
// numbers, their timelines when they are built.
type segment struct {
	tickets []Ticket
	lines   []int32
	tls     []Timeline
}

func newSegment(n int, timelines bool) segment {
	s := segment{tickets: make([]Ticket, n), lines: make([]int32, n)}
	if timelines {
		s.tls = make([]Timeline, n)
	}
	return s
}

func (s segment) slice(from, to int) segment {
	out := segment{tickets: s.tickets[from:to], lines: s.lines[from:to]}
	if s.tls != nil {
		out.tls = s.tls[from:to]
	}
	return out
}

func (s segment) join(t segment) segment {
	s.tickets = append(s.tickets, t.tickets...)
	s.lines = append(s.lines, t.lines...)
	if s.tls != nil {
		s.tls = append(s.tls, t.tls...)
	}
	return s
}

// without removes the slots of ex (in slot order) and returns what is
// left with the exclusions.
func (s segment) without(ex []slotExcluded) *decoded {
	d := &decoded{}
	if len(ex) > 0 {
		keep, next := 0, 0
		for i := range s.tickets {
			if next < len(ex) && ex[next].slot == i {
				next++
				continue
			}
			s.tickets[keep], s.lines[keep] = s.tickets[i], s.lines[i]
			if s.tls != nil {
				s.tls[keep] = s.tls[i]
			}
			keep++
		}
		clear(s.tickets[keep:])
		if s.tls != nil {
			clear(s.tls[keep:])
			s.tls = s.tls[:keep]
		}
		s.tickets, s.lines = s.tickets[:keep], s.lines[:keep]
		d.excluded = make([]Excluded, len(ex))
		for i, e := range ex {
			d.excluded[i] = e.Excluded
		}
	}
	d.tickets, d.lines, d.tls = s.tickets, s.lines, s.tls
	return d
}

// slotExcluded is a ticket left out, by its slot in the file's order.
type slotExcluded struct {
	slot int
	Excluded
}

// excludedList gathers the exclusions of every decoding goroutine.
type excludedList struct {
	mu   sync.Mutex
	list []slotExcluded
}

func (l *excludedList) add(e slotExcluded) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, e)
}

func (l *excludedList) sorted() []slotExcluded {
	slices.SortFunc(l.list, func(a, b slotExcluded) int { return a.slot - b.slot })
	return l.list
}

// chunkJob is one chunk of ticket lines to decode, or (long) the head of
// one line too long to decode.
type chunkJob struct {
	index, firstLine int
	first            int // slot of the chunk's first ticket in the file
	data             []byte
	long             bool
	seg              segment // the chunk's slots
}

// decode decodes the chunk's lines into their slots, listing the tickets
// left out in out, and stops at the first line that is not a ticket.
func (j chunkJob) decode(d *lineDecoder, out *excludedList) error {
	if j.long {
		n, class := headOf(j.data)
		out.add(slotExcluded{j.first, Excluded{Number: n, Class: class, Kind: ExcludedLineTooLong, Line: j.firstLine,
			Reason: fmt.Sprintf("the line is longer than the %d bytes a ticket line may have (MaxLineBytes)", d.maxLine)}})
		return nil
	}
	next, line := 0, j.firstLine
	for rest := j.data; len(rest) > 0; line++ {
		var b []byte
		b, rest, _ = bytes.Cut(rest, newline)
		if isBlank(b) {
			continue
		}
		var tl *Timeline
		if j.seg.tls != nil {
			tl = &j.seg.tls[next]
		}
		j.seg.lines[next] = int32(line)
		ex, err := d.decode(b, &j.seg.tickets[next], tl)
		if err != nil {
			return errorAt(line, b, err)
		}
		if ex != nil {
			ex.Line = line
			out.add(slotExcluded{j.first + next, *ex})
		}
		next++
	}
	return nil
}

// firstError keeps the error that comes first in the file, that of the
// earliest chunk with one, whatever order the chunks finish in.
type firstError struct {
	mu    sync.Mutex
	err   error
	chunk int
}

func (f *firstError) keep(chunk int, err error) {
	if err == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil || chunk < f.chunk {
		f.err, f.chunk = err, chunk
	}
}

// isBlank reports whether a line holds nothing but white space.
func isBlank(line []byte) bool { return len(bytes.TrimSpace(line)) == 0 }

// ticketLines counts the lines of data that are not blank.
func ticketLines(data []byte) int {
	n := 0
	for rest := data; len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, newline)
		if !isBlank(line) {
			n++
		}
	}
	return n
}

var newline = []byte{'\n'}

// longHead is how much of a line too long to decode is kept, to find
// its number and class.
const longHead = 4 << 10

// readChunks reads r to its end and hands it to emit in chunks of whole
// lines, numbered from 0: each read of size bytes is cut after its last
// line end, and a line longer than that grows the chunk, up to maxLine
// bytes. A line longer than maxLine is not kept: emit gets its first
// bytes with long set, and the rest is read past. Only the last chunk
// may lack a final newline. Buffers come from free when it has one.
func readChunks(r io.Reader, size, maxLine int, free chan []byte, emit func(index int, data []byte, long bool)) error {
	var carry []byte
	for index := 0; ; index++ {
		var buf []byte
		select {
		case buf = <-free:
		default:
		}
		buf = append(buf[:0], carry...)
		// Read until the buffer holds a line end past size bytes, or the
		// file ends; a line longer than size grows the buffer. What is
		// carried over past a long line may hold whole lines already.
		cut := bytes.LastIndexByte(buf, '\n') + 1
		if cut == 0 {
			cut = -1
		}
		var err error
		for cut < 0 && err == nil && len(buf) <= maxLine {
			buf = slices.Grow(buf, size)
			var n int
			n, err = io.ReadFull(r, buf[len(buf):len(buf)+size])
			from := len(buf)
			buf = buf[:from+n]
			if i := bytes.LastIndexByte(buf[from:], '\n'); i >= 0 {
				cut = from + i + 1
			}
		}
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return err
		}
		if cut < 0 && err == nil {
			// One line, longer than maxLine and not over yet: keep its
			// head, read past the rest.
			emit(index, bytes.Clone(buf[:min(len(buf), longHead)]), true)
			rest, err := skipLine(r)
			if err != nil || rest == nil {
				return err // nil at the end of the file
			}
			carry = append(carry[:0], rest...)
			continue
		}
		if err != nil {
			// The end of the file: everything left is the last chunk.
			if len(buf) > 0 {
				emit(index, buf, false)
			}
			return nil
		}
		carry = append(carry[:0], buf[cut:]...)
		emit(index, buf[:cut], false)
	}
}

// skipLine reads r past the next newline and returns what it read after
// it; nil at the end of the file.
func skipLine(r io.Reader) ([]byte, error) {
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			return bytes.Clone(buf[i+1 : n]), nil
		}
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// WriteSnapshot writes s to path atomically: it writes a temporary file in
// the same folder, syncs it and renames it over path, so a reader or an
// interrupted writer never sees a partial snapshot.
func WriteSnapshot(path string, s *Snapshot) error {
	s.SchemaVersion = SchemaVersion
	if err := atomicfile.Write(path, func(w io.Writer) error { return encodeSnapshot(w, s) }); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	return nil
}

func encodeSnapshot(w io.Writer, s *Snapshot) error {
	h := header{s.SchemaVersion, s.Repository, s.SyncedAt, s.Cursor, len(s.Tickets)}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		return err
	}
	for i := range s.Tickets {
		if err := enc.Encode(&s.Tickets[i]); err != nil {
			return fmt.Errorf("ticket #%d: %w", s.Tickets[i].Number, err)
		}
	}
	return nil
}
