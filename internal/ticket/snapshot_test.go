package ticket

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func sampleSnapshot(n int) *Snapshot {
	at := time.Date(2026, 5, 9, 2, 14, 0, 0, time.UTC)
	s := &Snapshot{Repository: "example/ops", SyncedAt: at.Add(time.Duration(n+48) * time.Hour), Cursor: Cursor{Since: at, ListETag: `W/"abc"`}}
	for i := range n {
		closed := at.Add(time.Duration(i) * time.Hour)
		// Every other timeline starts with a label, so that a decoder
		// reusing its event buffer would leak the label into the next.
		s.Tickets = append(s.Tickets, Ticket{
			Number: i + 1, Title: "Orders API <5xx> \"quoted\" 订单", Class: Incident, Severity: "sev2", Service: "orders-api",
			Author: Actor{Login: "li-na", Type: "User"}, Labels: []string{"incident", "sev2"}, Assignees: []string{},
			State: Closed, StateReason: Completed, CreatedAt: at, UpdatedAt: closed, ClosedAt: &closed,
			Fields: map[string]string{"impact_started": "2026-05-09T02:10:00Z", "impact": ""},
			Events: []Event{
				{Kind: Labeled, At: at, Actor: Actor{Login: "ops-bot", Type: "Bot"}, Label: "sev2"},
				{Kind: Commented, At: at.Add(time.Minute), Actor: Actor{Login: "tom-becker", Type: "User"}, AuthorAssociation: "MEMBER"},
				{Kind: ClosedEv, At: closed, Actor: Actor{Login: "tom-becker", Type: "User"}, StateReason: Completed},
			},
		})
		if i%2 == 1 {
			s.Tickets[i].Events = s.Tickets[i].Events[1:]
		}
	}
	return s
}

// TestSnapshotRoundTrip writes and reads back enough tickets to span
// several decoding batches, and checks nothing changes, order included.
func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.jsonl")
	want := sampleSnapshot(3000)
	if err := WriteSnapshot(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.lines[0] != 2 || got.lines[len(got.lines)-1] != int32(len(want.Tickets)+1) {
		t.Errorf("line numbers %d … %d, want 2 … %d", got.lines[0], got.lines[len(got.lines)-1], len(want.Tickets)+1)
	}
	got.lines = nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip changed the snapshot:\n got %+v\nwant %+v", got.Tickets[0], want.Tickets[0])
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o644 {
		t.Errorf("snapshot mode %v, want 0644", info.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if lines := strings.Count(string(data), "\n"); lines != len(want.Tickets)+1 {
		t.Errorf("%d lines, want a header and one line per ticket (%d)", lines, len(want.Tickets)+1)
	}
}

// TestReadSnapshotErrors checks that a damaged file is refused with the
// line at fault, never half read.
func TestReadSnapshotErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.jsonl")
	if err := WriteSnapshot(path, sampleSnapshot(5)); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(good), "\n")
	for name, tc := range map[string]struct{ data, want string }{
		"empty":               {"", "empty file"},
		"not a header":        {"[1,2,3]\n", "s.jsonl:1:1: not a snapshot header"},
		"other version":       {`{"schema_version":9,"tickets":0}` + "\n", "s.jsonl:1:1: schema_version 9, this opsqa reads 1"},
		"truncated":           {strings.Join(lines[:4], ""), "announces 5 tickets, the file holds 3"},
		"bad ticket":          {lines[0] + lines[1] + `{"number":"three"}` + "\n" + strings.Join(lines[3:], ""), "s.jsonl:3:17: json: cannot unmarshal string into Go struct field Ticket.number"},
		"invalid UTF-8":       {lines[0] + strings.Replace(lines[1], "Orders API", "Orders \xff API", 1) + strings.Join(lines[2:], ""), "s.jsonl:2:29: invalid UTF-8"},
		"more than announced": {strings.Replace(lines[0], `"tickets":5`, `"tickets":4`, 1) + strings.Join(lines[1:], ""), "announces 4 tickets, the file holds 5"},
		"huge count":          {strings.Replace(lines[0], `"tickets":5`, `"tickets":999999999999`, 1) + strings.Join(lines[1:], ""), "s.jsonl:1:1: the header announces 999999999999 tickets, more than a file of"},
		"negative count":      {strings.Replace(lines[0], `"tickets":5`, `"tickets":-1`, 1) + strings.Join(lines[1:], ""), "announces -1 tickets"},
		"cut mid-line":        {strings.Join(lines[:3], "") + lines[3][:40], "s.jsonl:4:"},
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "s.jsonl")
			if err := os.WriteFile(p, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := ReadSnapshot(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, %v; want an error containing %q", s, err, tc.want)
			}
		})
	}
}

func BenchmarkReadSnapshot(b *testing.B) {
	path := filepath.Join(b.TempDir(), "snap.jsonl")
	if err := WriteSnapshot(path, sampleSnapshot(20000)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadSnapshot(path); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReadChunks checks that chunks are cut at line ends only, lose and
// repeat nothing, and grow to hold a line longer than the chunk size.
func TestReadChunks(t *testing.T) {
	var in strings.Builder
	for i := range 200 {
		in.WriteString(strings.Repeat("x", i*7%300))
		in.WriteString("\n")
	}
	in.WriteString("last line without a newline")
	for _, size := range []int{1, 16, 100, 4096, 1 << 20} {
		var got []byte
		free := make(chan []byte, 1)
		err := readChunks(strings.NewReader(in.String()), size, MaxLineBytes, free, func(index int, data []byte, _ bool) {
			if len(data) == 0 {
				t.Errorf("size %d: chunk %d is empty", size, index)
			}
			if !bytes.HasSuffix(data, []byte("\n")) && !strings.HasSuffix(in.String(), string(data)) {
				t.Errorf("size %d: chunk %d ends mid-line: %q", size, index, data[max(0, len(data)-10):])
			}
			got = append(got, data...)
			select {
			case free <- data[:0]: // reuse, as the decoder does
			default:
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != in.String() {
			t.Errorf("size %d: the chunks do not add up to the input", size)
		}
	}
}

// TestReadChunksReaders checks short reads and read errors: a reader
// that hands out one byte at a time gives the same chunks, and an error
// half way is returned, not taken for the end of the file.
func TestReadChunksReaders(t *testing.T) {
	in := strings.Repeat("{\"number\":1}\n", 100)
	var got []byte
	err := readChunks(iotest.OneByteReader(strings.NewReader(in)), 64, MaxLineBytes, make(chan []byte), func(_ int, data []byte, _ bool) {
		got = append(got, data...)
	})
	if err != nil || string(got) != in {
		t.Errorf("one byte at a time: err %v, %d of %d bytes", err, len(got), len(in))
	}
	broken := io.MultiReader(strings.NewReader(in[:500]), iotest.ErrReader(errors.New("connection reset")))
	err = readChunks(broken, 64, MaxLineBytes, make(chan []byte), func(int, []byte, bool) {})
	if err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("read error: got %v", err)
	}
}

// TestDecodeTicketsSmallChunks decodes with chunks far smaller than a
// line, and keeps the order and the line numbers of errors.
func TestDecodeTicketsSmallChunks(t *testing.T) {
	var buf bytes.Buffer
	want := sampleSnapshot(50)
	if err := encodeSnapshot(&buf, want); err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(buf.String(), "\n")
	body = strings.ReplaceAll(body, "\n", "\r\n\n") // CRLF and blank lines are skipped
	got, err := decodeTickets(strings.NewReader(body), decodeConfig{firstLine: 2, chunk: 64, maxLine: MaxLineBytes, announced: len(want.Tickets)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.tickets, want.Tickets) {
		t.Fatalf("decoded tickets differ:\n got %+v\nwant %+v", got.tickets[0], want.Tickets[0])
	}
	lines := strings.Split(body, "\n")
	lines[60] = `{"number":"sixty"}`
	_, err = decodeTickets(strings.NewReader(strings.Join(lines, "\n")), decodeConfig{firstLine: 2, chunk: 64, maxLine: MaxLineBytes, announced: len(want.Tickets)})
	if err == nil || !strings.HasPrefix(err.Error(), "62:17:") {
		t.Fatalf("got %v, want an error at line 62", err)
	}
}

// TestReadSnapshotTimelines checks that the timelines built while reading
// are the ones built from the tickets read whole, that events are
// dropped, and that an error of the options comes out as it is.
func TestReadSnapshotTimelines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.jsonl")
	want := sampleSnapshot(3000)
	if err := WriteSnapshot(path, want); err != nil {
		t.Fatal(err)
	}
	whole, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	policy := Policy{MitigatedLabels: []string{"sev2"}}
	var seen time.Time
	s, tls, err := ReadSnapshotTimelines(path, func(h *Snapshot) (Policy, time.Time, error) {
		seen = h.SyncedAt
		return policy, h.SyncedAt, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !seen.Equal(want.SyncedAt) {
		t.Errorf("options saw synced_at %v, want %v", seen, want.SyncedAt)
	}
	if len(tls) != len(whole.Tickets) || len(s.Tickets) != len(whole.Tickets) {
		t.Fatalf("%d timelines and %d tickets for %d tickets", len(tls), len(s.Tickets), len(whole.Tickets))
	}
	for i := range whole.Tickets {
		if w := BuildTimeline(&whole.Tickets[i], policy, want.SyncedAt); !reflect.DeepEqual(tls[i], w) {
			t.Fatalf("timeline %d:\n got %+v\nwant %+v", i, tls[i], w)
		}
		if s.Tickets[i].Events != nil {
			t.Fatalf("ticket %d kept its events", i)
		}
	}
	if tls[0].Mitigated == nil {
		t.Error("the policy did not reach the timelines: no mitigated label seen")
	}
	bad := errors.New("--from after --to")
	if _, _, err := ReadSnapshotTimelines(path, func(*Snapshot) (Policy, time.Time, error) { return Policy{}, time.Time{}, bad }); err != bad {
		t.Errorf("options error came out as %v", err)
	}
}
