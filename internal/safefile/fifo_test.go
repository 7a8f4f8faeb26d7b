//go:build unix

package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadFileRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "opsqa.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	zero := filepath.Join(dir, "zero.yml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	toFIFO := filepath.Join(dir, "link.yml")
	if err := os.Symlink("opsqa.yaml", toFIFO); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{fifo, "is a named pipe (FIFO), not a regular file"},
		{zero, "is a character device, not a regular file"},
		{toFIFO, "is a named pipe (FIFO), not a regular file"},
		{dir, "is a folder, not a regular file"},
	} {
		within(t, func() {
			_, err := ReadFile(c.path, 1<<20, "a test file")
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: got %v, want %q", filepath.Base(c.path), err, c.want)
			}
		})
		within(t, func() {
			_, err := ReadFS(os.DirFS(dir), filepath.Base(c.path), 1<<20, "a test file")
			if c.path != dir && !errors.Is(err, ErrNotRegular) {
				t.Errorf("ReadFS %s: got %v, want ErrNotRegular", filepath.Base(c.path), err)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "content", "runbooks"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "processes")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("content", filepath.Join(root, "docs")); err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{
		"content": true, "content/runbooks": true, "docs/runbooks": true, "missing/x": true, ".": true,
		"processes": false, "processes/x": false, "..": false, "../x": false, "/etc": false, "content/../../x": false,
	} {
		if _, got := Resolve(root, rel); got != want {
			t.Errorf("Resolve(%q) inside = %v, want %v", rel, got, want)
		}
	}
}
