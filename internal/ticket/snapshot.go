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
	"sync"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

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

// batchLines is how many ticket lines one decoding job takes.
const batchLines = 256

// ReadSnapshot reads a snapshot file written by WriteSnapshot.
func ReadSnapshot(path string) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	defer f.Close()
	s, err := decodeSnapshot(f)
	if err != nil {
		return nil, fmt.Errorf("read snapshot %s: %w", path, err)
	}
	return s, nil
}

func decodeSnapshot(r io.Reader) (*Snapshot, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	first, err := readLine(br)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file")
		}
		return nil, err
	}
	var h header
	if err := json.Unmarshal(first, &h); err != nil {
		return nil, fmt.Errorf("line 1: not a snapshot header: %w", err)
	}
	if h.SchemaVersion != SchemaVersion {
		return nil, fmt.Errorf("line 1: schema_version %d, this opsqa reads %d", h.SchemaVersion, SchemaVersion)
	}
	s := Snapshot{SchemaVersion: h.SchemaVersion, Repository: h.Repository, SyncedAt: h.SyncedAt, Cursor: h.Cursor}
	tickets, err := decodeTickets(br)
	if err != nil {
		return nil, err
	}
	if len(tickets) != h.Tickets {
		return nil, fmt.Errorf("the header announces %d tickets, the file holds %d: it is incomplete", h.Tickets, len(tickets))
	}
	s.Tickets = tickets
	return &s, nil
}

// decodeTickets reads ticket lines in batches and decodes the batches on
// every CPU, keeping the file's order.
func decodeTickets(br *bufio.Reader) ([]Ticket, error) {
	type job struct {
		index, firstLine int
		lines            [][]byte
	}
	type result struct {
		tickets []Ticket
		err     error
	}
	jobs := make(chan job)
	var mu sync.Mutex
	var results []result
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				r := result{tickets: make([]Ticket, len(j.lines))}
				for i, line := range j.lines {
					// The decoder appends a timeline's events to the slice it
					// finds, so room for the typical eight spares growing
					// each timeline from one element, doubling: that was a
					// third of everything a 100,000-ticket read allocated.
					r.tickets[i].Events = make([]Event, 0, 8)
					if err := jsonv2.Unmarshal(line, &r.tickets[i]); err != nil {
						r.err = fmt.Errorf("line %d: %w", j.firstLine+i, err)
						break
					}
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
	var readErr error
	line, index := 2, 0
	for readErr == nil {
		batch := job{index: index, firstLine: line}
		for len(batch.lines) < batchLines {
			b, err := readLine(br)
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				} else {
					readErr = io.EOF
				}
				break
			}
			if len(bytes.TrimSpace(b)) == 0 {
				line++
				continue
			}
			batch.lines = append(batch.lines, b)
			line++
		}
		if len(batch.lines) > 0 {
			jobs <- batch
			index++
		}
	}
	close(jobs)
	wg.Wait()
	if !errors.Is(readErr, io.EOF) {
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

// readLine returns the next line without its newline, as a fresh slice.
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
