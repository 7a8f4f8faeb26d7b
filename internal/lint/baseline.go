package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/opsqa/opsqa/internal/atomicfile"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/safefile"
)

// A Baseline records the findings a repository had when it adopted opsqa,
// so that only new ones fail. Entries match on rule, file and message, not
// line, so editing above an old finding does not turn it into a new one;
// a count per entry keeps a second identical finding new.
type Baseline struct {
	SchemaVersion int             `json:"schema_version"`
	Entries       []BaselineEntry `json:"entries"`
}

// BaselineEntry is a group of identical recorded findings.
type BaselineEntry struct {
	Rule    string `json:"rule"`
	File    string `json:"file"`
	Message string `json:"message"`
	Count   int    `json:"count"`
}

type baselineKey struct{ rule, file, message string }

// NewBaseline records ds.
func NewBaseline(ds []diag.Diagnostic) *Baseline {
	counts := map[baselineKey]int{}
	for _, d := range ds {
		counts[baselineKey{d.Rule, d.Pos.File, d.Message}]++
	}
	b := &Baseline{SchemaVersion: 1, Entries: []BaselineEntry{}}
	for k, n := range counts {
		b.Entries = append(b.Entries, BaselineEntry{Rule: k.rule, File: k.file, Message: k.message, Count: n})
	}
	sort.Slice(b.Entries, func(i, j int) bool {
		a, c := b.Entries[i], b.Entries[j]
		if a.File != c.File {
			return a.File < c.File
		}
		if a.Rule != c.Rule {
			return a.Rule < c.Rule
		}
		return a.Message < c.Message
	})
	return b
}

// Filter returns the findings not in the baseline and how many it hid.
func (b *Baseline) Filter(ds []diag.Diagnostic) (kept []diag.Diagnostic, hidden int) {
	left := map[baselineKey]int{}
	for _, e := range b.Entries {
		left[baselineKey{e.Rule, e.File, e.Message}] += e.Count
	}
	kept = []diag.Diagnostic{}
	for _, d := range ds {
		k := baselineKey{d.Rule, d.Pos.File, d.Message}
		if left[k] > 0 {
			left[k]--
			hidden++
			continue
		}
		kept = append(kept, d)
	}
	return kept, hidden
}

// MaxBaselineSize is the largest baseline read, 64 MiB: a baseline of
// 100,000 findings is about 20 MB.
const MaxBaselineSize = 64 << 20

// ReadBaseline reads a baseline file.
func ReadBaseline(path string) (*Baseline, error) {
	data, err := safefile.ReadFile(path, MaxBaselineSize, "a baseline")
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("decode baseline %s: %w", path, err)
	}
	if b.SchemaVersion != 1 {
		return nil, fmt.Errorf("read baseline %s: unknown schema_version %d", path, b.SchemaVersion)
	}
	return &b, nil
}

// WriteBaseline writes b to path atomically.
func WriteBaseline(path string, b *Baseline) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(b)
	})
	if err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}
