package ticket

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"github.com/opsqa/opsqa/internal/atomicfile"
)

// A snapshot file is JSON Lines: the first line is the header (everything
// but the tickets, plus their count), then one ticket per line. One line
// per ticket keeps a sync's diff readable, and lets the reader decode
// tickets on every CPU at once: a snapshot of 100,000 tickets is a few
// hundred megabytes, and decoding dominates everything metrics and the
// site do with it.

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
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	defer f.Close()
	s, err := decodeSnapshot(f)
	var le *lineError
	switch {
	case errors.As(err, &le):
		return nil, fmt.Errorf("read snapshot: %s:%w", path, err)
	case err != nil:
		return nil, fmt.Errorf("read snapshot %s: %w", path, err)
	}
	return s, nil
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
		offset = int64(firstInvalidUTF8(text)) + 1
	}
	col := 1
	if offset > 0 {
		col = utf8.RuneCount(text[:min(int(offset)-1, len(text))]) + 1
	}
	return &lineError{line, col, err}
}

func decodeSnapshot(r io.Reader) (*Snapshot, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := readLine(br)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file")
		}
		return nil, err
	}
	var h header
	if err := json.Unmarshal(first, &h); err != nil {
		return nil, &lineError{1, 1, fmt.Errorf("not a snapshot header: %w", err)}
	}
	if h.SchemaVersion != SchemaVersion {
		return nil, &lineError{1, 1, fmt.Errorf("schema_version %d, this opsqa reads %d", h.SchemaVersion, SchemaVersion)}
	}
	s := Snapshot{SchemaVersion: h.SchemaVersion, Repository: h.Repository, SyncedAt: h.SyncedAt, Cursor: h.Cursor}
	tickets, err := decodeTickets(br, 2, chunkSize)
	if err != nil {
		return nil, err
	}
	if len(tickets) != h.Tickets {
		return nil, fmt.Errorf("the header announces %d tickets, the file holds %d: it is incomplete", h.Tickets, len(tickets))
	}
	s.Tickets = tickets
	return &s, nil
}

// chunkSize is about how many bytes of ticket lines one decoding job
// takes: big enough that handing out jobs costs nothing, small enough
// that both CPUs stay busy to the end.
const chunkSize = 1 << 20

// decodeTickets reads the ticket lines in chunks cut at line ends and
// decodes the chunks on every CPU, keeping the file's order. firstLine is
// the file's line number of the first ticket line, for error messages.
func decodeTickets(r io.Reader, firstLine, size int) ([]Ticket, error) {
	type job struct {
		index, firstLine int
		data             []byte
	}
	type result struct {
		tickets []Ticket
		err     error
	}
	jobs := make(chan job)
	// Chunks go back to the reader once decoded: decoding copies every
	// string out, so two buffers per CPU serve the whole file.
	free := make(chan []byte, 2*runtime.GOMAXPROCS(0)+1)
	var mu sync.Mutex
	var results []result
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			d := newLineDecoder()
			for j := range jobs {
				r := result{tickets: make([]Ticket, 0, bytes.Count(j.data, newline))}
				line := j.firstLine
				for rest := j.data; len(rest) > 0; line++ {
					var b []byte
					b, rest, _ = bytes.Cut(rest, newline)
					if len(bytes.TrimSpace(b)) == 0 {
						continue
					}
					r.tickets = append(r.tickets, Ticket{})
					if err := d.decode(b, &r.tickets[len(r.tickets)-1]); err != nil {
						r.err = errorAt(line, b, err)
						break
					}
				}
				select {
				case free <- j.data[:0]:
				default:
				}
				mu.Lock()
				for len(results) <= j.index {
					results = append(results, result{})
				}
				results[j.index] = r
				mu.Unlock()
			}
		})
	}
	readErr := readChunks(r, size, free, func(index int, data []byte) {
		jobs <- job{index: index, firstLine: firstLine, data: data}
		firstLine += bytes.Count(data, newline)
	})
	close(jobs)
	wg.Wait()
	if readErr != nil {
		return nil, readErr
	}
	n := 0
	for _, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		n += len(r.tickets)
	}
	tickets := make([]Ticket, 0, n)
	for _, r := range results {
		tickets = append(tickets, r.tickets...)
	}
	return tickets, nil
}

var newline = []byte{'\n'}

// firstInvalidUTF8 is the offset of the first byte of b that does not
// start a valid UTF-8 sequence, or len(b).
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

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
