package ticket

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// FuzzReadSnapshot feeds arbitrary files to the snapshot reader, whole
// and building timelines: it must not panic, must finish in time
// proportional to the input, and what it accepts must hold only tickets
// that pass Check, one per number, with every other line of the header's
// count listed as excluded at a line of its own; written back and read
// again, the tickets come back the same, none excluded.
func FuzzReadSnapshot(f *testing.F) {
	const h = `{"schema_version":1,"repository":"example/ops","synced_at":"2026-11-01T00:00:00Z","cursor":{},"tickets":%d}` + "\n"
	f.Add([]byte(fmt.Sprintf(h, 2) + line(1) + "\n" + line(2) + "\n"))
	f.Add([]byte(fmt.Sprintf(h, 3) + line(1) + "\n" + line(1) + "\n" + line(2, "class", `"incdent"`) + "\n"))
	f.Add([]byte(fmt.Sprintf(h, 2) + line(1, "title", `"\ud800"`) + "\n" + line(2, "created_at", `"2026-10-01T10:00:00-23:59"`)))
	f.Add([]byte(fmt.Sprintf(h, 1) + line(1, "events", `[{},{}]`) + "\n"))
	f.Add([]byte(fmt.Sprintf(h, 1) + `{"number":1,"class":"feedback","created_at":"1969-12-31T23:59:59Z"}` + "\r\n\n"))
	f.Add([]byte(fmt.Sprintf(h, 400000) + "\n\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		start := time.Now()
		s, _, err := decodeSnapshot(bytes.NewReader(data), int64(len(data)), nil)
		s2, tls, err2 := decodeSnapshot(bytes.NewReader(data), int64(len(data)), func(h *Snapshot) (Policy, time.Time, error) {
			return Policy{}, h.SyncedAt, nil
		})
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("reading %d bytes took %v", len(data), d)
		}
		if (err == nil) != (err2 == nil) {
			t.Fatalf("read whole: %v; read as timelines: %v", err, err2)
		}
		if err != nil {
			return
		}
		if len(tls) != len(s2.Tickets) || len(s2.Tickets) != len(s.Tickets) || len(s2.Excluded) != len(s.Excluded) {
			t.Fatalf("%d timelines of %d tickets (%d excluded); whole: %d tickets, %d excluded", len(tls), len(s2.Tickets), len(s2.Excluded), len(s.Tickets), len(s.Excluded))
		}
		latest := Latest(s.SyncedAt, time.Time{})
		seen := map[int]bool{}
		for i := range s.Tickets {
			tk := &s.Tickets[i]
			if kind, reason := Check(tk, latest); kind != "" {
				t.Errorf("ticket #%d kept: %s", tk.Number, reason)
			}
			if seen[tk.Number] {
				t.Errorf("ticket #%d kept twice", tk.Number)
			}
			seen[tk.Number] = true
			if tls[i].Number != tk.Number {
				t.Errorf("timeline %d of #%d, ticket #%d", i, tls[i].Number, tk.Number)
			}
		}
		lines := map[int]bool{}
		for _, e := range s.Excluded {
			if e.Kind == "" || e.Reason == "" || e.Line < 2 || lines[e.Line] {
				t.Errorf("excluded %+v", e)
			}
			lines[e.Line] = true
		}
		var buf bytes.Buffer
		if err := encodeSnapshot(&buf, s); err != nil {
			t.Fatal(err)
		}
		back, _, err := decodeSnapshot(bytes.NewReader(buf.Bytes()), int64(buf.Len()), nil)
		if err != nil {
			t.Fatalf("written back, not read: %v", err)
		}
		if len(back.Excluded) != 0 || len(back.Tickets) != len(s.Tickets) {
			t.Fatalf("written back: %d tickets, excluded %+v; want %d, none", len(back.Tickets), back.Excluded, len(s.Tickets))
		}
	})
}
