package report

import (
	"encoding/json"
	"io"

	"github.com/opsqa/opsqa/internal/kpi"
)

// MetricsJSON prints the metrics as one object, the contract of DESIGN.md:
// durations in whole seconds, null for what cannot be computed, lists
// never null. schemas/metrics.schema.json describes it.
func MetricsJSON(w io.Writer, m *kpi.Metrics) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(m)
}
