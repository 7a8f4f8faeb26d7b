package ticket

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// snapshotFile writes a header announcing announced tickets (the lines'
// count when negative) and the lines, and returns the path.
func snapshotFile(t testing.TB, announced int, lines ...string) string {
	t.Helper()
	if announced < 0 {
		announced = len(lines)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"schema_version":1,"repository":"example/ops","synced_at":"2026-11-01T00:00:00Z","cursor":{},"tickets":%d}`+"\n", announced)
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "snap.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// line is a ticket line of number n with the given fields replaced or
// added (raw JSON values).
func line(n int, fields ...string) string {
	base := map[string]string{
		"number": fmt.Sprint(n), "title": `"Orders API errors"`, "class": `"incident"`,
		"author": `{"login":"li-na","type":"User"}`, "state": `"closed"`, "state_reason": `"completed"`,
		"created_at": `"2026-10-01T10:00:00Z"`, "updated_at": `"2026-10-01T11:00:00Z"`, "closed_at": `"2026-10-01T11:00:00Z"`,
		"events": `[{"kind":"commented","at":"2026-10-01T10:05:00Z","actor":{"login":"tom-becker","type":"User"}},` +
			`{"kind":"closed","at":"2026-10-01T11:00:00Z","actor":{"login":"tom-becker","type":"User"},"state_reason":"completed"}]`,
	}
	order := []string{"number", "title", "class", "author", "state", "state_reason", "created_at", "updated_at", "closed_at", "events"}
	for i := 0; i+1 < len(fields); i += 2 {
		if _, ok := base[fields[i]]; !ok {
			order = append(order, fields[i])
		}
		base[fields[i]] = fields[i+1]
	}
	var b strings.Builder
	b.WriteString("{")
	for i, k := range order {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q:%s", k, base[k])
	}
	b.WriteString("}")
	return b.String()
}

// readBoth reads path whole and as timelines, and checks both leave out
// the same tickets; it returns the whole read.
func readBoth(t *testing.T, path string) *Snapshot {
	t.Helper()
	s, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	s2, tls, err := ReadSnapshotTimelines(path, func(h *Snapshot) (Policy, time.Time, error) { return Policy{}, h.SyncedAt, nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(tls) != len(s2.Tickets) || len(s2.Tickets) != len(s.Tickets) || len(s2.Excluded) != len(s.Excluded) {
		t.Fatalf("timelines read: %d timelines, %d tickets, %d excluded; whole: %d tickets, %d excluded",
			len(tls), len(s2.Tickets), len(s2.Excluded), len(s.Tickets), len(s.Excluded))
	}
	for i := range tls {
		if tls[i].Number != s.Tickets[i].Number {
			t.Fatalf("timeline %d is of #%d, ticket of #%d", i, tls[i].Number, s.Tickets[i].Number)
		}
	}
	return s
}

func numbers(ts []Ticket) []int {
	var out []int
	for _, t := range ts {
		out = append(out, t.Number)
	}
	return out
}

func wantExcluded(t *testing.T, s *Snapshot, kept []int, want ...Excluded) {
	t.Helper()
	if got := fmt.Sprint(numbers(s.Tickets)); got != fmt.Sprint(kept) {
		t.Errorf("kept %s, want %v", got, kept)
	}
	if len(s.Excluded) != len(want) {
		t.Fatalf("excluded %+v, want %d", s.Excluded, len(want))
	}
	for i, w := range want {
		g := s.Excluded[i]
		if g.Number != w.Number || g.Class != w.Class || g.Kind != w.Kind || g.Line != w.Line || !strings.Contains(g.Reason, w.Reason) {
			t.Errorf("excluded %d: got %+v\nwant %+v (reason containing %q)", i, g, w, w.Reason)
		}
	}
}

// TestDuplicateNumbers checks that a ticket number met again is left
// out, the first kept, both lines named, and nothing else lost.
func TestDuplicateNumbers(t *testing.T) {
	path := snapshotFile(t, -1, line(1), line(2), line(2, "title", `"the copy"`), line(3), line(2))
	s := readBoth(t, path)
	wantExcluded(t, s, []int{1, 2, 3},
		Excluded{Number: 2, Class: Incident, Kind: ExcludedDuplicate, Line: 4, Reason: "duplicate of ticket #2 at line 3: the first is kept"},
		Excluded{Number: 2, Class: Incident, Kind: ExcludedDuplicate, Line: 6, Reason: "at line 3"})
	if s.Tickets[1].Title != "Orders API errors" {
		t.Errorf("kept %q, want the first #2", s.Tickets[1].Title)
	}
	if s.Excluded[0].Ticket != nil {
		t.Error("a duplicate is kept for the sync to write back")
	}
}

// TestUnknownClass checks that a class opsqa does not know, or none, is
// left out with a reason.
func TestUnknownClass(t *testing.T) {
	path := snapshotFile(t, -1, line(1, "class", `"incdent"`), line(2), line(3, "class", `""`), line(4, "class", `"other"`))
	wantExcluded(t, readBoth(t, path), []int{2, 4},
		Excluded{Number: 1, Class: "incdent", Kind: ExcludedUnknownClass, Line: 2, Reason: `class "incdent" is none of incident, problem`},
		Excluded{Number: 3, Kind: ExcludedUnknownClass, Line: 4, Reason: "no class"})
}

// TestImpossibleTimes checks times before 1970, after a day past the
// snapshot, and closes or events before the ticket existed (an offset
// of -23:59 included) are left out with a reason.
func TestImpossibleTimes(t *testing.T) {
	path := snapshotFile(t, -1,
		line(1, "created_at", `"1969-12-31T23:59:59Z"`),
		line(2, "closed_at", `"9999-12-31T23:59:59Z"`),
		line(3, "closed_at", `"2026-09-30T10:00:00Z"`),
		line(4, "created_at", `"2026-10-01T10:00:00-23:59"`),
		line(5, "events", `[{"kind":"commented","at":"2026-11-02T00:00:01Z","actor":{"login":"tom-becker"}}]`),
		line(6, "created_at", `"0001-01-01T00:00:00Z"`),
		line(7, "events", `[{"kind":"commented","actor":{"login":"tom-becker"}}]`),
		line(8, "events", `[{"kind":"commented","at":"2026-11-01T23:59:59Z","actor":{"login":"tom-becker"}}]`), // within a day: kept
		line(9, "number", "0"),
	)
	wantExcluded(t, readBoth(t, path), []int{8},
		Excluded{Number: 1, Class: Incident, Kind: ExcludedImpossible, Line: 2, Reason: "created_at 1969-12-31T23:59:59Z is before 1970"},
		Excluded{Number: 2, Class: Incident, Kind: ExcludedImpossible, Line: 3, Reason: "closed_at 9999-12-31T23:59:59Z is after 2026-11-01T00:00:00Z, a day after the snapshot was taken"},
		Excluded{Number: 3, Class: Incident, Kind: ExcludedImpossible, Line: 4, Reason: "closed_at 2026-09-30T10:00:00Z is before created_at 2026-10-01T10:00:00Z"},
		Excluded{Number: 4, Class: Incident, Kind: ExcludedImpossible, Line: 5, Reason: "closed_at 2026-10-01T11:00:00Z is before created_at 2026-10-02T09:59:00Z"},
		Excluded{Number: 5, Class: Incident, Kind: ExcludedImpossible, Line: 6, Reason: "event 1 (commented) 2026-11-02T00:00:01Z is after"},
		Excluded{Number: 6, Class: Incident, Kind: ExcludedImpossible, Line: 7, Reason: "created_at is missing"},
		Excluded{Number: 7, Class: Incident, Kind: ExcludedImpossible, Line: 8, Reason: "event 1 (commented) is missing"},
		Excluded{Number: 0, Class: Incident, Kind: ExcludedBadNumber, Line: 10, Reason: "number 0 is not an issue number"},
	)
}

// TestExcludedKeptForSync checks that a ticket left out for what it
// says (not for how its line is written) is kept whole, events and
// all, for a sync to write back.
func TestExcludedKeptForSync(t *testing.T) {
	s := readBoth(t, snapshotFile(t, -1, line(1, "class", `"incdent"`, "labels", `["incdent"]`)))
	kept := s.Excluded[0].Ticket
	if kept == nil || kept.Number != 1 || len(kept.Events) != 2 || fmt.Sprint(kept.Labels) != "[incdent]" {
		t.Fatalf("kept %+v", kept)
	}
}

// TestLoneSurrogate checks that half a UTF-16 pair, which the decoder
// would turn into U+FFFD without a word, leaves the ticket out, naming
// the field; a whole pair and an escaped backslash are kept.
func TestLoneSurrogate(t *testing.T) {
	path := snapshotFile(t, -1,
		line(1, "title", `"Orders \ud800 API"`),
		line(2, "title", `"Orders \ud83d\ude00 API \\ud800"`),
		line(3, "events", `[{"kind":"commented","at":"2026-10-01T10:05:00Z","actor":{"login":"tom-becker"}},{"kind":"commented","at":"2026-10-01T10:06:00Z","actor":{"login":"x\uDC00"}}]`),
		line(4, "fields", `{"impact":"half \ud83d"}`),
		line(5, "labels", `["incident","\udfff"]`),
	)
	wantExcluded(t, readBoth(t, path), []int{2},
		Excluded{Number: 1, Class: Incident, Kind: ExcludedLoneSurrogate, Line: 2, Reason: `title holds a lone UTF-16 surrogate (\ud800)`},
		Excluded{Number: 3, Class: Incident, Kind: ExcludedLoneSurrogate, Line: 4, Reason: `events[1].actor.login holds a lone UTF-16 surrogate (\uDC00)`},
		Excluded{Number: 4, Class: Incident, Kind: ExcludedLoneSurrogate, Line: 5, Reason: `fields.impact holds`},
		Excluded{Number: 5, Class: Incident, Kind: ExcludedLoneSurrogate, Line: 6, Reason: `labels[1] holds`},
	)
}

// heapGrowth is how many bytes f allocates.
func heapGrowth(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestTooManyEvents checks that a ticket with more events than
// MaxEventsPerTicket is left out without its events being decoded: a
// million of them cost neither seconds nor hundreds of megabytes.
func TestTooManyEvents(t *testing.T) {
	many := "[" + strings.Repeat(`{},`, 1_000_000) + `{"kind":"commented"}]`
	atLimit := "[" + strings.Repeat(`{"kind":"labeled","at":"2026-10-01T10:05:00Z","label":"x"},`, MaxEventsPerTicket-1) + `{"kind":"commented","at":"2026-10-01T10:06:00Z","actor":{"login":"tom-becker"}}]`
	escaped := `{"number":3,"class":"incident","created_at":"2026-10-01T10:00:00Z","Events":[{},{}],"ev\u0065nts":` + many + `}`
	path := snapshotFile(t, -1, line(1), line(2, "events", many), escaped, line(4, "events", atLimit))
	var s *Snapshot
	start := time.Now()
	grew := heapGrowth(func() { s = readBoth(t, path) })
	wantExcluded(t, s, []int{1, 4},
		Excluded{Number: 2, Class: Incident, Kind: ExcludedTooManyEvents, Line: 3, Reason: "more than 10000 timeline events, the most a ticket may have (MaxEventsPerTicket)"},
		Excluded{Number: 3, Class: Incident, Kind: ExcludedTooManyEvents, Line: 4, Reason: "MaxEventsPerTicket"})
	if grew > 100<<20 {
		t.Errorf("reading a million events allocated %d MB", grew>>20)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("reading a million events took %v", d)
	}
}

// TestLineTooLong checks that a line longer than MaxLineBytes is left
// out without being held whole, its number and class read from its
// start, and the lines after it read as ever.
func TestLineTooLong(t *testing.T) {
	long := line(2, "pad", `"`+strings.Repeat("x", MaxLineBytes)+`"`)
	path := snapshotFile(t, -1, line(1), long, line(3))
	s := readBoth(t, path)
	grew := heapGrowth(func() {
		if _, err := ReadSnapshot(path); err != nil {
			t.Error(err)
		}
	})
	wantExcluded(t, s, []int{1, 3},
		Excluded{Number: 2, Class: Incident, Kind: ExcludedLineTooLong, Line: 3, Reason: "longer than the 8388608 bytes a ticket line may have (MaxLineBytes)"})
	// The buffer grows by doubling up to the limit and a chunk, then the
	// rest of the line is read past.
	if grew > 6*MaxLineBytes {
		t.Errorf("reading a line of %d MB allocated %d MB", len(long)>>20, grew>>20)
	}
}

// TestLineTooLongSmall checks both places a long line is caught with a
// small limit: a chunk that ends within the limit, the reader skipping
// one that does not, and a last line with no newline.
func TestLineTooLongSmall(t *testing.T) {
	for _, chunk := range []int{16, 64, 300, 4096} {
		body := line(1) + "\n" + line(2, "title", `"`+strings.Repeat("y", 900)+`"`) + "\n" + line(3) + "\n" + line(4, "title", `"`+strings.Repeat("z", 700)+`"`)
		d, err := decodeTickets(strings.NewReader(body), decodeConfig{firstLine: 2, chunk: chunk, maxLine: 600, announced: 4, latest: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatalf("chunk %d: %v", chunk, err)
		}
		if got := fmt.Sprint(numbers(d.tickets), len(d.excluded)); got != "[1 3] 2" {
			t.Fatalf("chunk %d: kept and excluded %s", chunk, got)
		}
		for i, w := range []struct{ n, line int }{{2, 3}, {4, 5}} {
			if e := d.excluded[i]; e.Number != w.n || e.Line != w.line || e.Kind != ExcludedLineTooLong {
				t.Errorf("chunk %d: excluded %+v, want #%d at line %d", chunk, e, w.n, w.line)
			}
		}
		if fmt.Sprint(d.lines) != "[2 4]" {
			t.Errorf("chunk %d: lines %v", chunk, d.lines)
		}
	}
}

// TestSnapshotLimits checks the limits on the file and the ticket count:
// each refused with the limit named, before the work it protects.
func TestSnapshotLimits(t *testing.T) {
	t.Run("file size", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "big.jsonl")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := os.Truncate(path, MaxSnapshotBytes+1); err != nil { // sparse: no disk used
			t.Fatal(err)
		}
		if _, err := ReadSnapshot(path); err == nil || !strings.Contains(err.Error(), "more than the 1073741824 a snapshot may have (MaxSnapshotBytes)") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("announced", func(t *testing.T) {
		lines := make([]string, 3)
		for i := range lines {
			lines[i] = line(i+1, "pad", `"`+strings.Repeat(" ", 3_000_000)+`"`)
		}
		path := snapshotFile(t, MaxSnapshotTickets+1, lines...)
		if _, err := ReadSnapshot(path); err == nil || !strings.Contains(err.Error(), "snap.jsonl:1:1: the header announces 500001 tickets, more than the 500000 a snapshot may hold (MaxSnapshotTickets)") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("held", func(t *testing.T) {
		var b bytes.Buffer
		for i := range MaxSnapshotTickets + 1 {
			fmt.Fprintf(&b, `{"number":%d}`+"\n", i+1)
		}
		path := snapshotFile(t, 3, strings.TrimSuffix(b.String(), "\n"))
		if _, err := ReadSnapshot(path); err == nil || !strings.Contains(err.Error(), "the file holds more than the 500000 tickets a snapshot may hold (MaxSnapshotTickets)") {
			t.Errorf("got %v", err)
		}
	})
}

// TestHeaderCountNotAllocated checks that a header announcing far more
// tickets than its file holds (here 400,000 over a file padded with
// blank lines to look big enough) does not make the reader allocate
// them: the slots made up front stop at preallocTickets.
func TestHeaderCountNotAllocated(t *testing.T) {
	const announced = 400_000
	pad := strings.Repeat(" \n", announced*minTicketLine/2)
	path := snapshotFile(t, announced, line(1), pad, line(2))
	var err error
	grew := heapGrowth(func() {
		_, _, err = ReadSnapshotTimelines(path, func(*Snapshot) (Policy, time.Time, error) { return Policy{}, time.Time{}, nil })
	})
	if err == nil || !strings.Contains(err.Error(), "announces 400000 tickets, the file holds 2: it is incomplete") {
		t.Fatalf("got %v", err)
	}
	perTicket := uint64(312 + 272 + 4) // a ticket, its timeline, its line number
	if limit := uint64(preallocTickets)*perTicket + 16<<20; grew > limit {
		t.Errorf("allocated %d MB for 2 tickets, want at most %d MB (the header's count would take %d MB)", grew>>20, limit>>20, announced*perTicket>>20)
	}
}

// TestSnapshotPastPrealloc reads a snapshot of more tickets than are
// made up front, so that the chunks past them join at the end, in order.
func TestSnapshotPastPrealloc(t *testing.T) {
	n := preallocTickets + 3000
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `{"number":%d,"class":"feedback","created_at":"2026-10-01T10:00:00Z"}`+"\n", i+1)
	}
	s := readBoth(t, snapshotFile(t, n, strings.TrimSuffix(b.String(), "\n")))
	if len(s.Tickets) != n || s.Tickets[n-1].Number != n || s.LineOf(n) != n+1 || len(s.Excluded) != 0 {
		t.Fatalf("%d tickets, last #%d at line %d, %d excluded", len(s.Tickets), s.Tickets[len(s.Tickets)-1].Number, s.LineOf(n), len(s.Excluded))
	}
	for i := range s.Tickets {
		if s.Tickets[i].Number != i+1 {
			t.Fatalf("ticket %d is #%d", i, s.Tickets[i].Number)
		}
	}
}

func TestCountEvents(t *testing.T) {
	for _, tc := range []struct {
		line string
		want int
	}{
		{`{"events":[{},{},{}]}`, 3},
		{`{"events":[]}`, 0},
		{`{"EVENTS":[{"a":[1,2,3]},{"b":"],["}]}`, 2},
		{`{"title":"\"events\":[{},{}]","events":[{}]}`, 1},
		{`{"ev\u0065nts":[{},{}],"events":[{}]}`, 3},
		{`{"fields":{"events":[{},{},{}]},"labels":["a","b"]}`, 0},
		{`{"events":[1,"two",null]}`, 3},
	} {
		if got := countEventsUpTo([]byte(tc.line), 100); got != tc.want {
			t.Errorf("%s: %d events, want %d", tc.line, got, tc.want)
		}
	}
	if got := countEvents([]byte(`{"events":[{},{}]}`), 1000); got != 0 {
		t.Errorf("a line too short to pass the limit was scanned: %d", got)
	}
}

func TestFieldAt(t *testing.T) {
	line := []byte(`{"number":1,"title":"a\ud800","events":[{"actor":{"login":"b"}},{"actor":{"login":"\ud800"}}],"fields":{"x":"y","impact":"\ud800"},"labels":["p","\ud800"]}`)
	var want []string
	for i := 0; ; {
		j := bytes.Index(line[i:], []byte(`\ud800`))
		if j < 0 {
			break
		}
		want = append(want, fieldAt(line, i+j))
		i += j + 1
	}
	if got := strings.Join(want, " "); got != "title events[1].actor.login fields.impact labels[1]" {
		t.Errorf("fields %q", got)
	}
	if !json.Valid(line) {
		t.Fatal("the test line is not JSON")
	}
}

// TestCheckSnapshot checks the same rules on a snapshot in memory, as a
// sync has one before it writes it.
func TestCheckSnapshot(t *testing.T) {
	at := time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)
	s := &Snapshot{SyncedAt: at.Add(time.Hour), Tickets: []Ticket{
		{Number: 1, Class: Incident, CreatedAt: at},
		{Number: 2, Class: "bogus", CreatedAt: at},
		{Number: 1, Class: Problem, CreatedAt: at},
		{Number: 3, Class: Problem, CreatedAt: at.AddDate(0, 0, 2)},
	}}
	CheckSnapshot(s, Latest(s.SyncedAt, time.Time{}))
	if got := fmt.Sprint(numbers(s.Tickets)); got != "[1]" {
		t.Errorf("kept %s", got)
	}
	if got := ExcludedSummary(s.Excluded); got != "3 tickets left out of the figures: 1 duplicate, 1 impossible_time, 1 unknown_class" {
		t.Errorf("summary %q", got)
	}
}
