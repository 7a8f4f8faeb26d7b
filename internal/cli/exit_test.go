package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runIn runs opsqa with args in dir, as a user would from a shell there.
func runIn(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		Out: &out, ErrOut: &errOut, In: strings.NewReader(""),
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) },
		Dir:    dir,
	}
	code = Main(args, env)
	return code, out.String(), errOut.String()
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const minimalConfig = "organisation: Test\nrepository: example/ops\n"

const brokenProcess = "---\nid: a\ntitel: Broken\n---\nText.\n"

// TestLintChangedSinceWithNothingChanged: naming files and a revision
// since which none of them changed checks nothing, says so, and passes.
func TestLintChangedSinceWithNothingChanged(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := writeFiles(t, map[string]string{
		"opsqa.yaml":     minimalConfig,
		"processes/a.md": brokenProcess,
		"processes/b.md": strings.Replace(brokenProcess, "id: a", "id: b", 1),
	})
	for _, args := range [][]string{
		{"init", "-q"},
		{"-c", "user.email=ci@example.com", "-c", "user.name=CI", "add", "."},
		{"-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-q", "-m", "base"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
	}
	code, out, errOut := runIn(t, dir, "lint", "processes/a.md", "processes/b.md", "--changed-since", "HEAD")
	if code != ExitOK {
		t.Errorf("exit %d, want %d; stderr %q", code, ExitOK, errOut)
	}
	if !strings.Contains(errOut, "no file opsqa lints changed since HEAD: nothing to check") {
		t.Errorf("stderr %q does not say nothing was checked", errOut)
	}
	if strings.ContainsRune(out+errOut, 0) || strings.Contains(out, "titel") {
		t.Errorf("stdout %q", out)
	}

	// The same files, changed: now they are checked and fail.
	if err := os.WriteFile(filepath.Join(dir, "processes", "a.md"), []byte(brokenProcess+"More.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runIn(t, dir, "lint", "processes/a.md", "processes/b.md", "--changed-since", "HEAD")
	if code != ExitFindings || !strings.Contains(out, "processes/a.md:3:1: error schema: unknown key \"titel\"") || strings.Contains(out, "processes/b.md") {
		t.Errorf("exit %d, stdout:\n%s", code, out)
	}
}

// TestConfigurationErrorsExitTwo: a configuration that cannot be used is
// the user's to fix, exit 2, whichever command meets it; lint still
// reports where in opsqa.yaml the mistake is.
func TestConfigurationErrorsExitTwo(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config string
		args   []string
		want   string
	}{
		{"lint, YAML that does not parse", "organisation: [Test\n", []string{"lint"}, "opsqa.yaml:1:"},
		{"metrics, YAML that does not parse", "organisation: [Test\n", []string{"metrics"}, "opsqa.yaml"},
		{"metrics, unknown time zone", minimalConfig + "timezone: Mars/Olympus\n", []string{"metrics"}, `timezone "Mars/Olympus"`},
		{"build, unknown time zone", minimalConfig + "timezone: Mars/Olympus\n", []string{"build"}, `timezone "Mars/Olympus"`},
		{"lint, a path holding nothing to lint", minimalConfig, []string{"lint", "README.md"}, "README.md holds no file opsqa lints"},
		{"metrics, an empty period", minimalConfig, []string{"metrics", "--from", "2026-06-01", "--to", "2026-05-01"}, "the period is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"opsqa.yaml": tc.config, "README.md": "# Ops\n"})
			writeSnapshot(t, dir)
			code, out, errOut := runIn(t, dir, tc.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if !strings.Contains(out+errOut, tc.want) {
				t.Errorf("output does not say %q:\nstdout: %s\nstderr: %s", tc.want, out, errOut)
			}
			if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
				t.Error("a site was written")
			}
		})
	}
}

// writeSnapshot puts an empty ticket snapshot where metrics and build look
// by default, so that only the configuration can be at fault.
func writeSnapshot(t *testing.T, dir string) {
	t.Helper()
	p := filepath.Join(dir, "data", "snapshot.jsonl")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	header := `{"schema_version":1,"repository":"example/ops","synced_at":"2026-11-01T00:00:00Z","tickets":0}` + "\n"
	if err := os.WriteFile(p, []byte(header), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLayoutErrorsExitTwo: a layout under which lint would check nothing
// is refused with where and why, never passed as "0 files checked".
func TestLayoutErrorsExitTwo(t *testing.T) {
	collections := minimalConfig + "collections:\n  - {path: docs/runbooks, kind: runbook}\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"a collection folder that does not exist", map[string]string{"opsqa.yaml": collections, "README.md": "# Ops\n"},
			"opsqa.yaml:4:12: the folder docs/runbooks of the runbook collection does not exist"},
		{"a collection without a Markdown file", map[string]string{"opsqa.yaml": collections, "docs/runbooks/disk.txt": "Disk.\n"},
			"opsqa.yaml:4:12: the runbook collection holds no .md file under docs/runbooks"},
		{"no opsqa.yaml and no documents", map[string]string{"docs/runbooks/disk.md": "# Disk\n"},
			"has no opsqa.yaml and no documents in the default folders (content/runbooks, "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runIn(t, writeFiles(t, tc.files), "lint")
			if code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if !strings.Contains(out+errOut, tc.want) {
				t.Errorf("output does not say %q:\nstdout: %s\nstderr: %s", tc.want, out, errOut)
			}
		})
	}
}
