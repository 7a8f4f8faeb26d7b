package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestHostileInputs runs every case of testdata/hostile: a repository
// (the archive's files) and one opsqa command line, run as its own
// process so that each case has a wall-clock and a memory bound (peak
// resident set, from the kernel's accounting). The archive's comment
// says what the case is, then:
//
//	run: lint --format text      the command (after "opsqa")
//	exit: 1                      the exit code expected
//	want: a line fragment        in the output (stdout and stderr); repeatable
//	not: a fragment              nowhere in the output; repeatable
//	timeout: 20s                 the time bound (default 20s)
//	memory: 300                  the memory bound in MB (default 300)
//
// A file whose first line is "opsqa-test:repeat N QUOTED" is generated:
// the rest of the file with the Go-quoted text N times in place of
// «repeat» (at the end when there is none), so that a megabyte of
// brackets needs no megabyte in the repository. No case may
// panic: "panic:" and "goroutine " never appear in its output.
func TestHostileInputs(t *testing.T) {
	archives, err := filepath.Glob("testdata/hostile/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(archives) == 0 {
		t.Fatal("no cases in testdata/hostile")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// TestMain runs the opsqa command when the binary is called opsqa.
	bin := filepath.Join(t.TempDir(), "opsqa")
	if err := os.Symlink(exe, bin); err != nil {
		t.Fatal(err)
	}
	for _, path := range archives {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := readCase(t, path)
			dir := t.TempDir()
			writeCase(t, dir, c.files)
			ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, c.args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "NO_COLOR=1", "GITHUB_ACTIONS=", "GITHUB_TOKEN=", "GH_TOKEN=")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			err := cmd.Run()
			took := time.Since(start)
			if ctx.Err() != nil {
				t.Fatalf("still running after %s: killed\n%s", c.timeout, tailOf(out.String(), 3000))
			}
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss / 1024 // KB on Linux
			text := out.String()
			if code != c.exit {
				t.Errorf("exit %d, want %d", code, c.exit)
			}
			if peak > int64(c.memoryMB) {
				t.Errorf("peak memory %d MB, past the bound of %d MB", peak, c.memoryMB)
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q", w)
				}
			}
			for _, n := range append(c.not, "panic:", "goroutine ") {
				if strings.Contains(text, n) {
					t.Errorf("output holds %q", n)
				}
			}
			if t.Failed() {
				t.Logf("took %s, peak %d MB; output:\n%s", took.Round(time.Millisecond), peak, tailOf(text, 3000))
			}
		})
	}
}

type hostileCase struct {
	args      []string
	exit      int
	want, not []string
	timeout   time.Duration
	memoryMB  int
	files     []txtar.File
}

func readCase(t *testing.T, path string) hostileCase {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := hostileCase{timeout: 20 * time.Second, memoryMB: 300, files: a.Files}
	ran := false
	for _, line := range strings.Split(string(a.Comment), "\n") {
		key, val, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		switch key {
		case "run":
			c.args, ran = strings.Fields(val), true
		case "exit":
			c.exit, err = strconv.Atoi(val)
		case "want":
			c.want = append(c.want, val)
		case "not":
			c.not = append(c.not, val)
		case "timeout":
			c.timeout, err = time.ParseDuration(val)
		case "memory":
			c.memoryMB, err = strconv.Atoi(val)
		}
		if err != nil {
			t.Fatalf("%s: %q: %v", path, line, err)
		}
	}
	if !ran {
		t.Fatalf("%s has no run: line", path)
	}
	return c
}

// writeCase writes the archive's files, generating those that ask for it.
func writeCase(t *testing.T, dir string, files []txtar.File) {
	t.Helper()
	for _, f := range files {
		data := f.Data
		if rest, ok := bytes.CutPrefix(data, []byte("opsqa-test:repeat ")); ok {
			line, body, _ := bytes.Cut(rest, []byte("\n"))
			n, quoted, _ := strings.Cut(string(line), " ")
			count, err := strconv.Atoi(n)
			if err != nil {
				t.Fatalf("%s: repeat count %q: %v", f.Name, n, err)
			}
			unit, err := strconv.Unquote(quoted)
			if err != nil {
				t.Fatalf("%s: repeat text %s: %v", f.Name, quoted, err)
			}
			many := []byte(strings.Repeat(unit, count))
			if bytes.Contains(body, []byte("«repeat»")) {
				data = bytes.Replace(body, []byte("«repeat»"), many, 1)
			} else {
				data = append(bytes.Clone(body), many...)
			}
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
