package lint

import (
	"testing"

	"github.com/opsqa/opsqa/internal/diag"
)

// TestRepositoryIsClean lints the repository's own knowledge base: the
// sample organisation that the main command, the KPIs and the site run on
// must have no findings at error level.
func TestRepositoryIsClean(t *testing.T) {
	res, err := Run(Options{Root: "../..", Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files < 50 {
		t.Errorf("only %d files checked: is the knowledge base there?", res.Files)
	}
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error {
			t.Errorf("%s", d)
		}
	}
}

// BenchmarkLintRepository lints the repository's own knowledge base, all
// rules on, loading included.
func BenchmarkLintRepository(b *testing.B) {
	for b.Loop() {
		if _, err := Run(Options{Root: "../..", Today: testToday}); err != nil {
			b.Fatal(err)
		}
	}
}
