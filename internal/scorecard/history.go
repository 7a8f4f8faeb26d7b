package scorecard

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"time"

	"github.com/opsqa/opsqa/internal/atomicfile"
	"github.com/opsqa/opsqa/internal/safefile"
)

// HistoryEntry is the scores of one day, one JSON line of the history file.
type HistoryEntry struct {
	// Date is the report's as-of day, YYYY-MM-DD.
	Date     string           `json:"date"`
	Services map[string]Score `json:"services"`
	Teams    map[string]Score `json:"teams"`
}

// Score is a card's level and score on one day.
type Score struct {
	Level string `json:"level"`
	Score *int   `json:"score"`
}

// Entry is the history line for r.
func Entry(r *Report) HistoryEntry {
	e := HistoryEntry{Date: r.AsOf.Format(time.DateOnly), Services: map[string]Score{}, Teams: map[string]Score{}}
	for _, c := range r.Services {
		e.Services[c.ID] = Score{Level: c.Level, Score: c.Score}
	}
	for _, c := range r.Teams {
		e.Teams[c.ID] = Score{Level: c.Level, Score: c.Score}
	}
	return e
}

// MergeHistory returns h with e added, replacing any entry of the same
// day: the last build of a day is the one that counts. The result is
// ordered by date.
func MergeHistory(h []HistoryEntry, e HistoryEntry) []HistoryEntry {
	out := slices.DeleteFunc(slices.Clone(h), func(x HistoryEntry) bool { return x.Date == e.Date })
	out = append(out, e)
	slices.SortStableFunc(out, func(a, b HistoryEntry) int { return cmp.Compare(a.Date, b.Date) })
	return out
}

// MaxHistorySize is the largest history file read, 64 MiB: a line a
// day of a few kilobytes (one score per service and team) stays under
// 16 MiB for ten years.
const MaxHistorySize = 64 << 20

// ReadHistory reads a history file. A missing file is an empty history:
// the first build starts it.
func ReadHistory(path string) ([]HistoryEntry, error) {
	f, err := safefile.Open(path, MaxHistorySize, "the scorecard history")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read scorecard history: %w", err)
	}
	defer f.Close()
	var h []HistoryEntry
	r := bufio.NewReader(f)
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			var e HistoryEntry
			if err := json.Unmarshal(b, &e); err != nil {
				return nil, fmt.Errorf("read scorecard history %s:%d: %w", path, line, err)
			}
			if _, perr := time.Parse(time.DateOnly, e.Date); perr != nil {
				return nil, fmt.Errorf("read scorecard history %s:%d: date %q is not YYYY-MM-DD", path, line, e.Date)
			}
			h = append(h, e)
		}
		if errors.Is(err, io.EOF) {
			return h, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read scorecard history %s: %w", path, err)
		}
	}
}

// AppendHistory records e in the history file at path, replacing the entry
// of the same day. It rewrites the file atomically (a temporary file in
// the same folder, renamed over it), so an interrupted build leaves the
// previous history whole.
func AppendHistory(path string, e HistoryEntry) error {
	h, err := ReadHistory(path)
	if err != nil {
		return fmt.Errorf("append scorecard history: %w", err)
	}
	if err := writeHistory(path, MergeHistory(h, e)); err != nil {
		return fmt.Errorf("append scorecard history: %w", err)
	}
	return nil
}

func writeHistory(path string, h []HistoryEntry) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		for _, e := range h {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	})
}

// TrendPoint is one day of a card's history.
type TrendPoint struct {
	Date  string `json:"date"`
	Level string `json:"level"`
	Score *int   `json:"score"`
}

// Trend returns the history of one card, oldest first. Days on which the
// card did not exist are left out.
func Trend(h []HistoryEntry, subject, id string) []TrendPoint {
	out := []TrendPoint{}
	for _, e := range h {
		m := e.Services
		if subject == SubjectTeam {
			m = e.Teams
		}
		if s, ok := m[id]; ok {
			out = append(out, TrendPoint{Date: e.Date, Level: s.Level, Score: s.Score})
		}
	}
	return out
}
