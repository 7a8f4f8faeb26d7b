// Command gencorpus writes a knowledge repository of N realistic runbooks
// (internal/corpus) for the lint benchmark.
//
//	go run ./scripts/gencorpus -n 5000 -o /tmp/corpus
package main

import (
	"flag"
	"log"

	"github.com/opsqa/opsqa/internal/corpus"
)

func main() {
	n := flag.Int("n", 5000, "number of runbooks")
	out := flag.String("o", "corpus", "output folder")
	flag.Parse()
	if err := corpus.Write(*out, *n); err != nil {
		log.Fatal(err)
	}
}
