package repository

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestPathSetMatchesInPaths: the set answers as InPaths does, on random
// files and paths, prefixes that are not folders ("content/run") included.
func TestPathSetMatchesInPaths(t *testing.T) {
	segs := []string{"content", "run", "runbooks", "a.md", "b.md", "content/runbooks"}
	rnd := rand.New(rand.NewPCG(1, 2))
	randPath := func() string {
		p := segs[rnd.IntN(len(segs))]
		for range rnd.IntN(3) {
			p += "/" + segs[rnd.IntN(len(segs))]
		}
		return p
	}
	for i := range 2000 {
		var paths []string
		for range rnd.IntN(4) {
			p := randPath()
			if rnd.IntN(5) == 0 {
				p += "/"
			}
			if rnd.IntN(20) == 0 {
				p = "."
			}
			paths = append(paths, p)
		}
		file := randPath()
		if got, want := NewPathSet(paths).Holds(file), InPaths(file, paths); got != want {
			t.Fatalf("case %d: Holds(%q) over %q = %v, InPaths = %v", i, file, paths, got, want)
		}
	}
}

func TestHolds(t *testing.T) {
	r := &Repository{Files: []string{"opsqa.yaml", "content/runbooks/a.md", "monitoring/rules.yml"}}
	for p, want := range map[string]bool{
		".": true, "content": true, "content/": true, "content/runbooks": true, "content/runbooks/a.md": true,
		"opsqa.yaml": true, "content/run": false, "content/runbooks/b.md": false, "monitoring/rules.yml": true, "": false,
	} {
		if got := r.Holds(p); got != want {
			t.Errorf("Holds(%q) = %v, want %v", p, got, want)
		}
	}
}

// BenchmarkPathSet asks of 10,000 files whether each is among 10,000
// paths: what lint does with every file named on the command line.
func BenchmarkPathSet(b *testing.B) {
	paths := make([]string, 10000)
	for i := range paths {
		paths[i] = fmt.Sprintf("content/runbooks/runbook-%05d.md", i)
	}
	for b.Loop() {
		s := NewPathSet(paths)
		for _, f := range paths {
			if !s.Holds(f) {
				b.Fatal(f)
			}
		}
	}
}
