package kpi

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/sample"
	"github.com/opsqa/opsqa/internal/ticket"
)

// BenchmarkMetrics100k loads a snapshot of 100,000 tickets with their
// timelines from a file and computes every KPI over six months, as
// `opsqa metrics` does. Target (BENCHMARKS.md): under 1 s and 500 MB.
func BenchmarkMetrics100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "snapshot.jsonl")
	if err := ticket.WriteSnapshot(path, sample.Generate(sample.Options{Seed: 1, Random: 100_000})); err != nil {
		b.Fatal(err)
	}
	if info, err := os.Stat(path); err == nil {
		b.ReportMetric(float64(info.Size())/(1<<20), "snapshot-MB")
	}
	o := sampleOptions(b)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var peak uint64
	for b.Loop() {
		// As opsqa metrics does: timelines are built while reading.
		s, tls, err := ticket.ReadSnapshotTimelines(path, func(*ticket.Snapshot) (ticket.Policy, time.Time, error) {
			return o.Policy, o.AsOf, nil
		})
		if err != nil {
			b.Fatal(err)
		}
		tls, use := Complete(tls, o)
		m := ComputeTimelines(tls, s.Tickets, o, use)
		if m.ResolutionRate.Opened == 0 {
			b.Fatal("no tickets in the period")
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	b.ReportMetric(float64(peak)/(1<<20), "heap-inuse-MB")
}

// BenchmarkCompute100k is the statistics alone, without loading: it shows
// that reading the snapshot dominates.
func BenchmarkCompute100k(b *testing.B) {
	s := sample.Generate(sample.Options{Seed: 1, Random: 100_000})
	o := sampleOptions(b)
	b.ReportAllocs()
	for b.Loop() {
		Compute(s.Tickets, o)
	}
}

// sampleOptions are the KPI options of the repository's own opsqa.yaml
// over the sample's six months.
func sampleOptions(b *testing.B) Options {
	b.Helper()
	cfg, err := config.Load(os.DirFS("../.."))
	if err != nil {
		b.Fatal(err)
	}
	o, err := OptionsFromConfig(cfg, sample.Start, sample.AsOf, sample.AsOf)
	if err != nil {
		b.Fatal(err)
	}
	return o
}
