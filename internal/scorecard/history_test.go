package scorecard

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAppendHistoryDeduplicatesPerDay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "history.jsonl")
	cfg := parseConfig(t, testConfig)
	build := func(at time.Time, in Input) {
		t.Helper()
		r, err := Evaluate(cfg, in, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := AppendHistory(path, Entry(r)); err != nil {
			t.Fatal(err)
		}
	}
	in := testInput()
	build(now, in)
	// A later day (db-lag's review is then overdue), then an earlier one
	// (web-down's is not yet): the file stays ordered by date. Gather
	// takes the review verdicts on the build's day.
	later := testInput()
	later.Runbooks[1].Review.Overdue = true
	build(now.AddDate(0, 0, 1), later)
	earlier := testInput()
	earlier.Runbooks[0].Review.Overdue = false
	build(now.AddDate(0, 0, -1), earlier)
	// A second build the same day replaces that day's line.
	in.Postmortems = append(in.Postmortems, 8)
	build(now.Add(time.Hour), in)

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"date":"2026-06-30","services":{"db":{"level":"silver","score":83},"quiet":{"level":"","score":null},"web":{"level":"","score":20}},"teams":{"app":{"level":"gold","score":100},"desk":{"level":"","score":null},"plat":{"level":"","score":0}}}
{"date":"2026-07-01","services":{"db":{"level":"gold","score":100},"quiet":{"level":"","score":null},"web":{"level":"","score":0}},"teams":{"app":{"level":"gold","score":100},"desk":{"level":"","score":null},"plat":{"level":"","score":0}}}
{"date":"2026-07-02","services":{"db":{"level":"","score":67},"quiet":{"level":"","score":null},"web":{"level":"","score":0}},"teams":{"app":{"level":"gold","score":100},"desk":{"level":"","score":null},"plat":{"level":"","score":0}}}
`
	if string(b) != want {
		t.Errorf("history file:\n%s\nwant:\n%s", b, want)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	h, err := ReadHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range Trend(h, SubjectService, "db") {
		got = append(got, p.Date+" "+p.Level)
	}
	if g := strings.Join(got, ", "); g != "2026-06-30 silver, 2026-07-01 gold, 2026-07-02 " {
		t.Errorf("trend of db: %s", g)
	}
	if n := len(Trend(h, SubjectTeam, "db")); n != 0 {
		t.Errorf("team trend of a service id has %d points, want 0", n)
	}
	if p := Trend(h, SubjectTeam, "desk"); len(p) != 3 || p[0].Score != nil {
		t.Errorf("trend of desk: %+v, want 3 points with no score", p)
	}
}

func TestReadHistory(t *testing.T) {
	dir := t.TempDir()
	h, err := ReadHistory(filepath.Join(dir, "missing.jsonl"))
	if err != nil || h != nil {
		t.Errorf("missing file: %v, %v; want an empty history", h, err)
	}
	tests := []struct{ name, content, err string }{
		{"bad json", `{"date":"2026-01-01"}` + "\n\n{oops\n", "bad.jsonl:3: invalid character"},
		{"bad date", `{"date":"01/02/2026"}` + "\n", `bad.jsonl:1: date "01/02/2026" is not YYYY-MM-DD`},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, "bad.jsonl")
		if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadHistory(p)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.err)
		}
		// A history that cannot be read is never overwritten.
		if err := AppendHistory(p, HistoryEntry{Date: "2026-01-02"}); err == nil {
			t.Errorf("%s: AppendHistory over an unreadable history succeeded", tt.name)
		}
		if b, _ := os.ReadFile(p); string(b) != tt.content {
			t.Errorf("%s: file changed to %q", tt.name, b)
		}
	}
	// A last line without a newline is read.
	p := filepath.Join(dir, "ok.jsonl")
	os.WriteFile(p, []byte(`{"date":"2026-01-01","services":{"a":{"level":"gold","score":90}}}`), 0o644)
	h, err = ReadHistory(p)
	if err != nil || len(h) != 1 || *h[0].Services["a"].Score != 90 {
		t.Errorf("got %+v, %v", h, err)
	}
}
