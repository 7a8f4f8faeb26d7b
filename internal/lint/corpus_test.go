package lint

import (
	"testing"

	"github.com/opsqa/opsqa/internal/corpus"
)

// BenchmarkLintCorpus lints the 5,000 generated runbooks of
// scripts/bench-lint.sh in one process, loading included: the linter's
// own cost, without the binary's start. Both cases assert that the
// corpus is clean, so that a rule gone wrong cannot look fast.
func BenchmarkLintCorpus(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, 5000); err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		paths []string
	}{
		{"all", nil},
		{"one-file", []string{"content/runbooks/runbook-00042.md"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := Run(Options{Root: dir, Paths: bc.paths, Today: testToday})
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Diagnostics) != 0 {
					b.Fatalf("%d findings on a clean corpus, first: %v", len(res.Diagnostics), res.Diagnostics[0])
				}
			}
		})
	}
}

// TestCorpusIsClean lints a small corpus of the benchmark's generator, so
// that the generator and the rules stay in step without running the
// benchmark: a corpus with findings would measure the wrong thing.
func TestCorpusIsClean(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 30); err != nil {
		t.Fatal(err)
	}
	res, err := Run(Options{Root: dir, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 31 { // 30 runbooks and opsqa.yaml
		t.Errorf("%d files checked, want 31", res.Files)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("%s", d)
	}
}
