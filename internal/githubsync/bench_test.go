package githubsync

import "testing"

// BenchmarkSync1000 measures a first sync and an unchanged re-sync of
// 1,000 tickets (1,111 issues with pull requests) against the local fake
// API, and reports the requests each costs.
func BenchmarkSync1000(b *testing.B) {
	clk := newClock()
	srv := newServer(b, clk)
	srv.Seed(1111, epoch)
	opts := testOptions(b, srv, clk)
	b.Run("full", func(b *testing.B) {
		var st Stats
		for i := 0; i < b.N; i++ {
			_, st = mustSync(b, nil, opts)
		}
		b.ReportMetric(float64(st.Requests), "requests/sync")
	})
	first, _ := mustSync(b, nil, opts)
	b.Run("unchanged", func(b *testing.B) {
		var st Stats
		for i := 0; i < b.N; i++ {
			_, st = mustSync(b, first, opts)
		}
		if !st.NotModified {
			b.Fatal("re-sync was not a 304")
		}
		b.ReportMetric(float64(st.Requests), "requests/sync")
	})
}
