package report

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/kpi"
	"github.com/opsqa/opsqa/internal/ticket"
	"github.com/opsqa/opsqa/schemas"
)

var (
	sampleFrom = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	sampleAsOf = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
)

// sampleMetrics computes the metrics of the bundled sample snapshot.
func sampleMetrics(t *testing.T, from, to time.Time) *kpi.Metrics {
	t.Helper()
	s, err := ticket.ReadSnapshot("../../data/snapshot.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(os.DirFS("../.."))
	if err != nil {
		t.Fatal(err)
	}
	o, err := kpi.OptionsFromConfig(cfg, from, to, sampleAsOf)
	if err != nil {
		t.Fatal(err)
	}
	return kpi.Compute(s.Tickets, o)
}

func metricsSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"metrics.schema.json"} {
		f, err := schemas.FS.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("https://opsqa.dev/schemas/"+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("https://opsqa.dev/schemas/metrics.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestMetricsJSONMatchesSchema(t *testing.T) {
	sch := metricsSchema(t)
	rejected := sampleMetrics(t, sampleFrom, sampleAsOf)
	rejected.Postmortems.Rejected = []kpi.RejectedPostmortem{{Incident: 3, Path: "content/postmortems/x.md", Reason: "issue #3 is a feedback ticket"}}
	excluded := sampleMetrics(t, sampleFrom, sampleAsOf)
	excluded.Excluded = sampleExcluded()
	cases := map[string]*kpi.Metrics{
		"sample":              sampleMetrics(t, sampleFrom, sampleAsOf),
		"rejected postmortem": rejected,
		"excluded":            excluded,
		"one week":            sampleMetrics(t, time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 27, 0, 0, 0, 0, time.UTC)),
		"empty":               sampleMetrics(t, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)),
	}
	for name, m := range cases {
		var buf bytes.Buffer
		if err := MetricsJSON(&buf, m); err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: output does not match schemas/metrics.schema.json: %v", name, err)
		}
	}
}

func TestMetricsSchemaRejectsZeroForNull(t *testing.T) {
	var buf bytes.Buffer
	m := sampleMetrics(t, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))
	if err := MetricsJSON(&buf, m); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	mttr := v["mttr"].(map[string]any)
	if mttr["mean_seconds"] != nil || mttr["met"] != nil {
		t.Fatalf("empty period: mttr = %v; want null mean and met", mttr)
	}
	// A made-up zero where there is no data must fail validation.
	mttr["mean_seconds"] = 0
	data, _ := json.Marshal(v)
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err := metricsSchema(t).Validate(doc); err == nil {
		t.Error("schema accepts mean_seconds 0 with n 0")
	}
	if lists := []string{"by_month", "open_past_deadline", "worst_services"}; true {
		for _, k := range lists {
			if _, ok := v[k].([]any); !ok {
				t.Errorf("%s = %v; want a list, never null", k, v[k])
			}
		}
	}
}

func TestMetricsTextSample(t *testing.T) {
	var buf bytes.Buffer
	if err := MetricsText(&buf, sampleMetrics(t, sampleFrom, sampleAsOf)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"KPIs for 2026-05-01 … 2026-10-31 (as of 2026-11-01 00:00 UTC)",
		"target ≤ 30m00s  MISSED",
		"target ≥ 80.0 %  MISSED",
		"no response yet: 1",
		"sev1 ≤ 5m00s:",
		"2026-09",
		"Open past the 24 h deadline:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}

	buf.Reset()
	sepOct := sampleMetrics(t, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), sampleAsOf)
	if err := MetricsText(&buf, sepOct); err != nil {
		t.Fatal(err)
	}
	if strings.Count(buf.String()[:strings.Index(buf.String(), "MTTR:")], "  met") != 2 {
		t.Errorf("September–October should meet both targets:\n%s", buf.String())
	}
}

func TestMetricsMarkdownEscapesTitles(t *testing.T) {
	m := sampleMetrics(t, sampleFrom, sampleAsOf)
	if len(m.OpenPastDeadline) == 0 {
		t.Fatal("the sample has no overdue ticket to print")
	}
	m.OpenPastDeadline[0].Title = "DB down | <script>alert(1)</script> cc @mei-lin\nnext line"
	var buf bytes.Buffer
	if err := MetricsMarkdown(&buf, m); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "## Service-quality KPIs: ❌ targets missed") {
		t.Errorf("markdown starts %q", out[:80])
	}
	for _, bad := range []string{"<script>", "@mei-lin", "| <", "\nnext line"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains %q unescaped", bad)
		}
	}
	if !strings.Contains(out, `DB down \| &lt;script&gt;`) {
		t.Errorf("escaped title missing:\n%s", out)
	}
}

func TestDur(t *testing.T) {
	for s, want := range map[int64]string{0: "0s", 59: "59s", 60: "1m00s", 1805: "30m05s", 3600: "1h00m", 86399: "23h59m", 90000: "1d01h", -61: "-1m01s"} {
		if got := dur(s); got != want {
			t.Errorf("dur(%d) = %q; want %q", s, got, want)
		}
	}
}

func sampleExcluded() []ticket.Excluded {
	return []ticket.Excluded{
		{Number: 12, Class: ticket.Incident, Kind: ticket.ExcludedDuplicate, Reason: "duplicate of ticket #12 at line 9: the first is kept", Line: 40},
		{Number: 13, Class: "incdent", Kind: ticket.ExcludedUnknownClass, Reason: `class "incdent" is none of incident, problem, feedback, quiz-result, other`, Line: 41},
		{Number: 14, Class: ticket.Incident, Kind: ticket.ExcludedImpossible, Reason: "resolved @ops before started"},
	}
}

// TestMetricsExcludedEveryFormat checks that each format says how many
// tickets were left out and why, and that the sample leaves out none.
func TestMetricsExcludedEveryFormat(t *testing.T) {
	m := sampleMetrics(t, sampleFrom, sampleAsOf)
	if len(m.Excluded) != 0 || m.MTTR.N != 73 || m.ResolvedWithin24h.Met != 100 || m.ResolvedWithin24h.Eligible != 137 {
		t.Fatalf("sample: %d excluded, MTTR n=%d, 24 h %d of %d", len(m.Excluded), m.MTTR.N, m.ResolvedWithin24h.Met, m.ResolvedWithin24h.Eligible)
	}
	var text bytes.Buffer
	if err := MetricsText(&text, m); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text.String(), "left out of the figures") {
		t.Error("text report of the sample speaks of tickets left out")
	}
	m.Excluded = sampleExcluded()
	for name, tc := range map[string]struct {
		print func(*bytes.Buffer) error
		want  []string
	}{
		"text": {func(b *bytes.Buffer) error { return MetricsText(b, m) }, []string{
			"3 tickets left out of the figures: 1 duplicate, 1 impossible_time, 1 unknown_class.\n",
			"  line 40: #12 incident: duplicate of ticket #12 at line 9: the first is kept\n",
			"  line 41: #13 incdent: class \"incdent\" is none of",
			"  #14 incident: resolved @ops before started\n",
		}},
		"markdown": {func(b *bytes.Buffer) error { return MetricsMarkdown(b, m) }, []string{
			"### Tickets left out (3)\n\n3 tickets left out of the figures: 1 duplicate, 1 impossible_time, 1 unknown_class.\n",
			"| 40 | #12 | incident | duplicate of ticket #12 at line 9: the first is kept |\n",
			"| – | #14 | incident | resolved @\u2060ops before started |\n",
		}},
		"json": {func(b *bytes.Buffer) error { return MetricsJSON(b, m) }, []string{
			`"excluded": [`, `"number": 12,`, `"kind": "duplicate",`, `"line": 40`,
		}},
	} {
		var b bytes.Buffer
		if err := tc.print(&b); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: no %q in\n%s", name, w, b.String())
			}
		}
	}
}
