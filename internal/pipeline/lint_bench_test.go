package pipeline

import (
	"fmt"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/corpus"
)

// BenchmarkLintEveryPath lints a folder of 10,000 generated runbooks
// with each file named on the command line, as a pre-commit hook does
// after a change to every runbook (a rename of a section, a new owner):
// the paths are checked, selected and counted for each file, so any step
// that compares every path with every file shows here. The "folder" case
// names the folder once, for comparison: the two must cost about the same.
func BenchmarkLintEveryPath(b *testing.B) {
	const n = 10000
	dir := b.TempDir()
	if err := corpus.Write(dir, n); err != nil {
		b.Fatal(err)
	}
	every := make([]string, n)
	for i := range every {
		every[i] = fmt.Sprintf("content/runbooks/runbook-%05d.md", i)
	}
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, bc := range []struct {
		name  string
		paths []string
	}{
		{"folder", []string{"content/runbooks"}},
		{"every-file", every},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				res, err := Lint(LintOptions{Root: dir, Paths: bc.paths, Today: today})
				if err != nil {
					b.Fatal(err)
				}
				if res.Files != n || len(res.Diagnostics) != 0 {
					b.Fatalf("%d files checked, %d findings; want %d and none", res.Files, len(res.Diagnostics), n)
				}
			}
		})
	}
}
