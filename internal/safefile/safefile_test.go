package safefile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// within fails the test when f takes longer than a few seconds: a read
// of a named pipe or of /dev/zero would never return.
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("still reading after 5 s")
	}
}

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "history.jsonl")
	if err := os.WriteFile(p, []byte(strings.Repeat("x", 1025)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(p, 1024, "the scorecard history")
	var se *SizeError
	if !errors.As(err, &se) || err.Error() != "file "+p+" is larger than 1 KiB (the limit for the scorecard history)" {
		t.Errorf("got %v", err)
	}
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("%v is not ErrTooLarge", err)
	}
	if _, err := ReadFS(os.DirFS(dir), "history.jsonl", 1024, "x"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadFS: got %v", err)
	}
	got, err := ReadFile(p, 1025, "x")
	if err != nil || len(got) != 1025 {
		t.Errorf("at the limit: %d bytes, %v", len(got), err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 1, "x"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// TestFileGrowsPastLimit: a file that grows after it was opened is read
// up to the limit, then refused.
func TestFileGrowsPastLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "snapshot.jsonl")
	if err := os.WriteFile(p, []byte("ab"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(p, 10, "a snapshot")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := os.WriteFile(p, []byte(strings.Repeat("y", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	if !errors.Is(err, ErrTooLarge) || len(got) != 10 {
		t.Errorf("read %d bytes, %v; want 10 and ErrTooLarge", len(got), err)
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{1 << 20: "1 MiB", 64 << 10: "64 KiB", 2 << 30: "2 GiB", 1000: "1000 bytes", 3 << 20: "3 MiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
