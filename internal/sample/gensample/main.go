// Command gensample writes the sample snapshot, data/snapshot.jsonl, or a
// large random one for benchmarks:
//
//	go run ./internal/sample/gensample -o data/snapshot.jsonl
//	go run ./internal/sample/gensample -n 100000 -o /tmp/snapshot-100k.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/opsqa/opsqa/internal/sample"
	"github.com/opsqa/opsqa/internal/ticket"
)

func main() {
	out := flag.String("o", "data/snapshot.jsonl", "file to write")
	seed := flag.Uint64("seed", sample.DefaultSeed, "random seed")
	n := flag.Int("n", 0, "make this many random tickets with no pinned incidents (for benchmarks)")
	flag.Parse()
	s := sample.Generate(sample.Options{Seed: *seed, Random: *n})
	if err := ticket.WriteSnapshot(*out, s); err != nil {
		fmt.Fprintln(os.Stderr, "gensample:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gensample: wrote %d tickets to %s\n", len(s.Tickets), *out)
}
