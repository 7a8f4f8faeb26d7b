package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// runMetrics runs opsqa metrics in the repository root, on the bundled
// sample snapshot and postmortems.
func runMetrics(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		Out: &out, ErrOut: &errOut, In: strings.NewReader(""),
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) },
		Dir:    "../..",
	}
	code = Main(append([]string{"metrics"}, args...), env)
	return code, out.String(), errOut.String()
}

func TestMetricsSample(t *testing.T) {
	code, out, errOut := runMetrics(t)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	// The default period is six calendar months before the snapshot's
	// as-of time (2026-11-01).
	if !strings.HasPrefix(out, "KPIs for 2026-05-01 … 2026-10-31 (as of 2026-11-01 00:00 UTC)") {
		t.Errorf("header: %q", strings.SplitN(out, "\n", 2)[0])
	}
	if strings.Count(out, "MISSED") < 2 {
		t.Errorf("the whole period should miss both targets:\n%s", out)
	}
}

func TestMetricsCheck(t *testing.T) {
	code, _, errOut := runMetrics(t, "--check")
	if code != ExitFindings || !strings.Contains(errOut, "target missed: mttr, resolved_within_24h") {
		t.Errorf("--check over the whole period: exit %d, stderr %q; want 1 naming both targets", code, errOut)
	}
	code, _, errOut = runMetrics(t, "--check", "--from", "2026-09-01", "--to", "2026-10-31")
	if code != 0 {
		t.Errorf("--check over September–October: exit %d, stderr %q; want 0", code, errOut)
	}
}

func TestMetricsJSONPeriodAndAsOf(t *testing.T) {
	code, out, errOut := runMetrics(t, "--format", "json", "--as-of", "2026-08-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m struct {
		AsOf   time.Time `json:"as_of"`
		Period struct {
			From, To time.Time
		} `json:"period"`
		ByMonth []struct {
			Month string `json:"month"`
		} `json:"by_month"`
		ResolutionRate struct {
			Opened int `json:"opened"`
		} `json:"resolution_rate"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	if !m.AsOf.Equal(want) || !m.Period.To.Equal(want) || !m.Period.From.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("as_of %s period %s … %s", m.AsOf, m.Period.From, m.Period.To)
	}
	if len(m.ByMonth) != 6 || m.ByMonth[0].Month != "2026-02" || m.ByMonth[5].Month != "2026-07" {
		t.Errorf("months = %+v", m.ByMonth)
	}
	// Only May–July exist as of 2026-08-01.
	if m.ResolutionRate.Opened == 0 || m.ResolutionRate.Opened > 80 {
		t.Errorf("opened = %d; want May–July's tickets only", m.ResolutionRate.Opened)
	}
}

func TestMetricsMarkdown(t *testing.T) {
	code, out, _ := runMetrics(t, "--format", "markdown", "--from", "2026-09-01")
	if code != 0 || !strings.HasPrefix(out, "## Service-quality KPIs: ✅ targets met") {
		t.Errorf("exit %d, output starts %q", code, strings.SplitN(out, "\n", 2)[0])
	}
}

func TestMetricsUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--format", "yaml"},
		{"--from", "2026-10-01", "--to", "2026-09-01"},
		{"--from", "May"},
		{"--as-of", "yesterday"},
		{"--snapshot", "no/such/snapshot.json"},
		{"extra-argument"},
	} {
		code, _, errOut := runMetrics(t, args...)
		if code != ExitUsage || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args, code, errOut)
		}
	}
}
