package sitegen

import (
	"path/filepath"
	"testing"
)

// TestBadgePathRefusesUnsafeIDs: an id becomes a file name only when it
// is a slug, whatever checked the configuration before.
func TestBadgePathRefusesUnsafeIDs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "static", "badges")
	if p, err := badgePath(dir, "postgres"); err != nil || p != filepath.Join(dir, "postgres.svg") {
		t.Errorf("postgres: %q, %v", p, err)
	}
	for _, id := range []string{"../../../x", "a/b", "..", "", "/etc/passwd", `a\..\b`, "Web"} {
		if p, err := badgePath(dir, id); err == nil {
			t.Errorf("%q: written to %s", id, p)
		}
	}
}
