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
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := readLine(br)
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
	// The ticket slice is made at the announced length, so the header
	// cannot ask for more than the file can hold.
	if h.Tickets < 0 || int64(h.Tickets) > size/minTicketLine {
		return nil, nil, &lineError{1, 1, fmt.Errorf("the header announces %d tickets, more than a file of %d bytes can hold", h.Tickets, size)}
	}
	s := Snapshot{SchemaVersion: h.SchemaVersion, Repository: h.Repository, SyncedAt: h.SyncedAt, Cursor: h.Cursor}
	var build *timelineBuild
	if options != nil {
		policy, asOf, err := options(&s)
		if err != nil {
			return nil, nil, optionsError{err}
		}
		build = &timelineBuild{policy, asOf}
	}
	tickets, tls, err := decodeTickets(br, 2, chunkSize, h.Tickets, build)
	if err != nil {
		return nil, nil, err
	}
	s.Tickets = tickets
	return &s, tls, nil
}

// chunkSize is about how many bytes of ticket lines one decoding job
// takes: big enough that handing out jobs costs nothing, small enough
// that both CPUs stay busy to the end.
const chunkSize = 1 << 20

// decodeTickets reads the ticket lines in chunks cut at line ends and
// decodes the chunks on every CPU, each ticket straight into its place in
// one slice of the announced length (a copy of 100,000 decoded tickets
// into a slice of the right size, at the end, cost more than a tenth of
// the read). firstLine is the file's line number of the first ticket
// line, for error messages. With build set, the tickets' timelines are
// built as they are decoded, and their events dropped.
func decodeTickets(r io.Reader, firstLine, size, announced int, build *timelineBuild) ([]Ticket, []Timeline, error) {
	tickets := make([]Ticket, announced)
	var tls []Timeline
	if build != nil {
		tls = make([]Timeline, announced)
	}
	jobs := make(chan chunkJob)
	// Chunks go back to the reader once decoded: decoding copies every
	// string out, so two buffers per CPU serve the whole file.
	free := make(chan []byte, 2*runtime.GOMAXPROCS(0)+1)
	var first firstError
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			d := newLineDecoder()
			d.build = build
			for j := range jobs {
				err := j.decode(d, tickets, tls)
				select {
				case free <- j.data[:0]:
				default:
				}
				first.keep(j.index, err)
			}
		})
	}
	held := 0
	readErr := readChunks(r, size, free, func(index int, data []byte) {
		n := ticketLines(data)
		if held+n <= announced {
			jobs <- chunkJob{index: index, firstLine: firstLine, first: held, data: data}
		}
		held += n
		firstLine += bytes.Count(data, newline)
	})
	close(jobs)
	wg.Wait()
	if readErr != nil {
		return nil, nil, readErr
	}
	if first.err != nil {
		return nil, nil, first.err
	}
	switch {
	case held < announced:
		return nil, nil, fmt.Errorf("the header announces %d tickets, the file holds %d: it is incomplete", announced, held)
	case held > announced:
		return nil, nil, fmt.Errorf("the header announces %d tickets, the file holds %d: it is not the file the header describes", announced, held)
	}
	return tickets, tls, nil
}

// chunkJob is one chunk of ticket lines to decode.
type chunkJob struct {
	index, firstLine int
	first            int // index of the chunk's first ticket
	data             []byte
}

// decode decodes the chunk's lines into their places in tickets (and
// tls, when timelines are built), stopping at the first bad line.
func (j chunkJob) decode(d *lineDecoder, tickets []Ticket, tls []Timeline) error {
	next, line := j.first, j.firstLine
	for rest := j.data; len(rest) > 0; line++ {
		var b []byte
		b, rest, _ = bytes.Cut(rest, newline)
		if isBlank(b) {
			continue
		}
		var tl *Timeline
		if tls != nil {
			tl = &tls[next]
		}
		if err := d.decode(b, &tickets[next], tl); err != nil {
			return errorAt(line, b, err)
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

// readChunks reads r to its end and hands it to emit in chunks of whole
// lines, numbered from 0: each read of size bytes is cut after its last
// line end, and a line longer than that grows the chunk. Only the last
// chunk may lack a final newline. Buffers come from free when it has one.
func readChunks(r io.Reader, size int, free chan []byte, emit func(index int, data []byte)) error {
	var carry []byte
	for index := 0; ; index++ {
		var buf []byte
		select {
		case buf = <-free:
		default:
		}
		buf = append(buf[:0], carry...)
		// Read until the buffer holds a line end past size bytes, or the
		// file ends; a line longer than size grows the buffer.
		cut := -1
		var err error
		for cut < 0 && err == nil {
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
		if err != nil {
			// The end of the file: everything left is the last chunk.
			if len(buf) > 0 {
				emit(index, buf)
			}
			return nil
		}
		carry = append(carry[:0], buf[cut:]...)
		emit(index, buf[:cut])
	}
}

// readLine returns the next line without its newline.
func readLine(br *bufio.Reader) ([]byte, error) {
	b, err := br.ReadBytes('\n')
	if len(b) > 0 && (err == nil || errors.Is(err, io.EOF)) {
		return bytes.TrimRight(b, "\r\n"), nil
	}
	return nil, err
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
