package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/opsqa/opsqa/internal/corpus"
)

// BenchmarkBrokenLinks lints one folder of generated runbooks, each linking
// twice to the next: "clean", where the links resolve, and "broken", where
// every link has a typo and is reported with the name it was meant to be.
// The broken run should cost at most twice the clean one, and both should
// grow linearly with the number of runbooks: a near name must not cost a
// scan of the whole folder.
func BenchmarkBrokenLinks(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		for _, broken := range []bool{false, true} {
			name, write, want := "clean", corpus.Write, 0
			if broken {
				name, write, want = "broken", corpus.WriteBrokenLinks, 2*n
			}
			b.Run(fmt.Sprintf("runbooks=%d/%s", n, name), func(b *testing.B) {
				dir := b.TempDir()
				if err := write(dir, n); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					res, err := Run(Options{Root: dir, Today: testToday})
					if err != nil {
						b.Fatal(err)
					}
					// Count the findings, so that a rule gone quiet (or
					// a suggestion gone missing) cannot look fast.
					got := 0
					for _, d := range res.Diagnostics {
						if d.Rule == "links" && strings.Contains(d.Message, "; did you mean") {
							got++
						}
					}
					if got != want || len(res.Diagnostics) != want {
						b.Fatalf("%d findings, %d of them broken links with a suggestion, want %d", len(res.Diagnostics), got, want)
					}
				}
			})
		}
	}
}
