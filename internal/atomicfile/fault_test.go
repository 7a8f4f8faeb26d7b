//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A full disk at any byte of the file leaves the previous file
// byte-identical, no temporary file, and an error that says so.
func TestWriteDiskFull(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snapshot.jsonl")
	old := []byte(strings.Repeat("previous line\n", 100))
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	next := bytes.Repeat([]byte("a new and longer line\n"), 100_000) // past the 1 MB buffer
	for _, n := range []int64{0, 1, 4095, 1 << 20, int64(len(next)) - 1} {
		restore := FailWritesAfter(n, syscall.ENOSPC)
		err := Write(path, func(w io.Writer) error { _, err := w.Write(next); return err })
		restore()
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("after %d bytes: err = %v, want ENOSPC", n, err)
		}
		for _, want := range []string{path, "no space left on device", "left as it was"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("after %d bytes: %q lacks %q", n, err, want)
			}
		}
		if data, _ := os.ReadFile(path); !bytes.Equal(data, old) {
			t.Fatalf("after %d bytes: the previous file changed (%d bytes)", n, len(data))
		}
		if names := folder(t, dir); len(names) != 1 {
			t.Fatalf("after %d bytes: folder holds %v", n, names)
		}
	}
	// With room again, the write goes through.
	if err := Write(path, func(w io.Writer) error { _, err := w.Write(next); return err }); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !bytes.Equal(data, next) {
		t.Errorf("file holds %d bytes, want %d", len(data), len(next))
	}
}

// The temporary files of a killed writer are removed by the next write;
// those of a writer at work, and a new empty one, are left alone.
func TestWriteRemovesStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "history.jsonl")
	stale := filepath.Join(dir, ".history.jsonl.1234567.tmp")
	staleEmpty := filepath.Join(dir, ".history.jsonl.2345678.tmp")
	fresh := filepath.Join(dir, ".history.jsonl.3456789.tmp")
	live := filepath.Join(dir, ".history.jsonl.4567890.tmp")
	other := filepath.Join(dir, ".history.jsonl.bak.5678901.tmp") // another file's
	for _, p := range []string{stale, live, other} {
		if err := os.WriteFile(p, []byte("half a line"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{staleEmpty, fresh} {
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * staleAge)
	if err := os.Chtimes(staleEmpty, long, long); err != nil {
		t.Fatal(err)
	}
	held, err := os.Open(live)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := lock(held); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "{}\n"); return err }); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(folder(t, dir), " ")
	want := ".history.jsonl.3456789.tmp .history.jsonl.4567890.tmp .history.jsonl.bak.5678901.tmp history.jsonl"
	if got != want {
		t.Errorf("folder holds\n%s\nwant\n%s", got, want)
	}
}

func folder(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
