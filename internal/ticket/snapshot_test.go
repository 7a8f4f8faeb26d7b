package ticket

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleSnapshot(n int) *Snapshot {
	at := time.Date(2026, 5, 9, 2, 14, 0, 0, time.UTC)
	s := &Snapshot{Repository: "example/ops", SyncedAt: at.Add(48 * time.Hour), Cursor: Cursor{Since: at, ListETag: `W/"abc"`}}
	for i := range n {
		closed := at.Add(time.Duration(i) * time.Hour)
		s.Tickets = append(s.Tickets, Ticket{
			Number: i + 1, Title: "Orders API <5xx> \"quoted\" 订单", Class: Incident, Severity: "sev2", Service: "orders-api",
			Author: Actor{Login: "li-na", Type: "User"}, Labels: []string{"incident", "sev2"}, Assignees: []string{},
			State: Closed, StateReason: Completed, CreatedAt: at, UpdatedAt: closed, ClosedAt: &closed,
			Fields: map[string]string{"impact_started": "2026-05-09T02:10:00Z", "impact": ""},
			Events: []Event{
				{Kind: Commented, At: at.Add(time.Minute), Actor: Actor{Login: "tom-becker", Type: "User"}, AuthorAssociation: "MEMBER"},
				{Kind: ClosedEv, At: closed, Actor: Actor{Login: "tom-becker", Type: "User"}, StateReason: Completed},
			},
		})
	}
	return s
}

// TestSnapshotRoundTrip writes and reads back enough tickets to span
// several decoding batches, and checks nothing changes, order included.
func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "snap.jsonl")
	want := sampleSnapshot(3*batchLines + 7)
	if err := WriteSnapshot(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
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
		"empty":         {"", "empty file"},
		"not a header":  {"[1,2,3]\n", "line 1: not a snapshot header"},
		"other version": {`{"schema_version":9,"tickets":0}` + "\n", "schema_version 9, this opsqa reads 1"},
		"truncated":     {strings.Join(lines[:4], ""), "announces 5 tickets, the file holds 3"},
		"bad ticket":    {lines[0] + lines[1] + `{"number":"three"}` + "\n" + strings.Join(lines[3:], ""), "line 3:"},
		"cut mid-line":  {strings.Join(lines[:3], "") + lines[3][:40], "line 4:"},
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
