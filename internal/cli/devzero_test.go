//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDevZeroEverywhere commits a link to /dev/zero under the name of
// each file opsqa reads besides documents, and runs the command that
// reads it: each must stop at once with an error or a finding naming the
// file, instead of reading until memory runs out.
func TestDevZeroEverywhere(t *testing.T) {
	good := func(t *testing.T) string {
		repo := t.TempDir()
		if err := os.CopyFS(repo, os.DirFS("../sitegen/testdata/repo")); err != nil {
			t.Fatal(err)
		}
		return repo
	}
	zero := func(t *testing.T, repo, name string) {
		t.Helper()
		p := filepath.Join(repo, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(p), 0o755))
		os.Remove(p)
		must(t, os.Symlink("/dev/zero", p))
	}
	for _, c := range []struct {
		name, file string
		args       []string
		code       int
		want       string
	}{
		{"config, lint", "opsqa.yaml", []string{"lint"}, ExitUsage, "opsqa.yaml:1:1: error outside-link: opsqa.yaml is a symbolic link leading outside the repository"},
		{"config, metrics", "opsqa.yaml", []string{"metrics"}, ExitUsage, "opsqa.yaml is a character device, not a regular file"},
		{"alert rules", "monitoring/rules.yml", []string{"lint"}, ExitFindings, "monitoring/rules.yml:1:1: error alert-runbooks: monitoring/rules.yml is a symbolic link leading outside the repository"},
		{"snapshot", "data/snapshot.jsonl", []string{"metrics"}, ExitFailure, "data/snapshot.jsonl is a character device, not a regular file"},
		{"history", "data/history.jsonl", []string{"build", "--history", "data/history.jsonl"}, ExitFailure, "data/history.jsonl is a character device, not a regular file"},
		{"baseline", "baseline.json", []string{"lint", "--baseline", "baseline.json"}, ExitUsage, "baseline.json is a character device, not a regular file"},
		{"CODEOWNERS", ".github/CODEOWNERS", []string{"codeowners"}, ExitFailure, ".github/CODEOWNERS is a character device, not a regular file"},
		{"issue form", ".github/ISSUE_TEMPLATE/quiz-result.yml", []string{"training", "grade", "--event", "event.json"}, ExitUsage, "quiz-result.yml is a character device, not a regular file"},
		{"event", "event.json", []string{"training", "grade", "--event", "event.json"}, ExitUsage, "event.json is a character device, not a regular file"},
		{"schema", "schemas/team.schema.json", []string{"schema", "export", "out"}, ExitUsage, "team.schema.json is a character device, not a regular file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			repo := good(t)
			switch c.file {
			case "monitoring/rules.yml":
				cfg, err := os.ReadFile(filepath.Join(repo, "opsqa.yaml"))
				must(t, err)
				writeTestFile(t, filepath.Join(repo, "opsqa.yaml"), string(cfg)+"alert_rules: [monitoring/*.yml]\n")
			case "schemas/team.schema.json":
				cfg, err := os.ReadFile(filepath.Join(repo, "opsqa.yaml"))
				must(t, err)
				writeTestFile(t, filepath.Join(repo, "opsqa.yaml"), string(cfg)+"collections:\n  - {path: processes, kind: process, schema: schemas/team.schema.json}\n")
			case ".github/CODEOWNERS":
				cfg, err := os.ReadFile(filepath.Join(repo, "opsqa.yaml"))
				must(t, err)
				writeTestFile(t, filepath.Join(repo, "opsqa.yaml"), strings.Replace(string(cfg), "name: Operations\n", "name: Operations\n    github_team: \"@acme/ops\"\n", 1))
			case ".github/ISSUE_TEMPLATE/quiz-result.yml":
				writeTestFile(t, filepath.Join(repo, "event.json"), `{"action":"opened","issue":{"number":1,"body":"x","user":{"login":"ana"},"labels":[{"name":"quiz-result"}]}}`)
			}
			zero(t, repo, c.file)
			var out, errOut bytes.Buffer
			env := &Env{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }, Now: time.Now, Dir: repo}
			done := make(chan int, 1)
			args := make([]string, len(c.args))
			for i, a := range c.args {
				if a == c.file && i > 0 && c.args[i-1] == "--baseline" {
					a = filepath.Join(repo, a) // read from the working folder, not the root
				}
				args[i] = a
			}
			go func() { done <- Main(append(args, "--root", repo), env) }()
			select {
			case code := <-done:
				all := out.String() + errOut.String()
				if code != c.code || !strings.Contains(all, c.want) {
					t.Errorf("exit %d, want %d and %q in:\n%s", code, c.code, c.want, all)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("still reading after 30 s")
			}
		})
	}
}
