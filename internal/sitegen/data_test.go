package sitegen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/ticket"
)

// TestIncidentPagesOncePerTicket checks that a snapshot holding
// duplicate numbers gives one incident page per number, and every other
// ticket its page: read from a file (the reader leaves the copies out)
// or built in memory (the site keeps the first).
func TestIncidentPagesOncePerTicket(t *testing.T) {
	at := time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString(`{"schema_version":1,"synced_at":"2026-11-01T00:00:00Z","tickets":300}` + "\n")
	for i := range 300 {
		n := i | 1 // 1, 1, 3, 3, 5, 5, …: every number twice
		fmt.Fprintf(&b, `{"number":%d,"title":"line %d","class":"incident","created_at":"2026-10-01T10:00:00Z"}`+"\n", n, i+2)
	}
	path := filepath.Join(t.TempDir(), "snap.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	read, err := ticket.ReadSnapshot(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Excluded) != 150 {
		t.Fatalf("the reader left out %d copies, want 150", len(read.Excluded))
	}
	built := &ticket.Snapshot{SyncedAt: at}
	for i := range 300 {
		built.Tickets = append(built.Tickets, ticket.Ticket{Number: i/2 + 1, Title: fmt.Sprintf("copy %d", i%2), Class: ticket.Incident, CreatedAt: at})
	}
	for name, s := range map[string]*ticket.Snapshot{"read": read, "built": built} {
		data, err := siteData(nil, &Options{Config: &config.Config{}, AsOf: at, Snapshot: s})
		if err != nil {
			t.Fatal(err)
		}
		pages := data["tickets"].([]ticketView)
		seen := map[int]string{}
		for _, v := range pages {
			if _, dup := seen[v.Number]; dup {
				t.Fatalf("%s: two pages for #%d", name, v.Number)
			}
			seen[v.Number] = v.Title
		}
		if len(seen) != 150 {
			t.Errorf("%s: %d pages, want 150", name, len(seen))
		}
		if first := map[string]string{"read": "line 2", "built": "copy 0"}[name]; seen[1] != first {
			t.Errorf("%s: #1 shows %q, want the first, %q", name, seen[1], first)
		}
	}
}
