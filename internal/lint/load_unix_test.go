//go:build unix

package lint

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// run lints root, failing the test when the run does not finish within
// 10 s: reading a named pipe would block it for ever.
func runWithin(t *testing.T, root string) *Result {
	t.Helper()
	type out struct {
		res *Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := Run(Options{Root: root, Today: testToday})
		done <- out{res, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatal(o.err)
		}
		return o.res
	case <-time.After(10 * time.Second):
		t.Fatal("lint still running after 10 s: a file that is not a regular file was opened")
		return nil
	}
}

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

func writeFile(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const goodProcess = "---\nid: good\ntitle: Good one\nowner: platform\nstatus: draft\nlast_reviewed: 2026-10-01\n---\n"

// findings maps each file to its findings, one "rule: message" a line.
func findings(res *Result) map[string]string {
	got := map[string]string{}
	for _, d := range res.Diagnostics {
		got[d.Pos.File] += d.Rule + ": " + d.Message + "\n"
	}
	return got
}

// TestLoadFileTypes: named pipes anywhere in a document folder, under a
// document's name or an asset's, as an alert rule file or as opsqa.yaml,
// are findings at file:1:1 and never opened; a folder named like a
// document is walked as a folder; a link with a document's name leading
// to a folder is a finding.
func TestLoadFileTypes(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "processes", "good.md"), goodProcess)
	mkfifo(t, filepath.Join(root, "processes", "pipe.md"))
	mkfifo(t, filepath.Join(root, "processes", "diagrams", "flow.png"))
	writeFile(t, filepath.Join(root, "processes", "folder.md", "inner.md"), strings.Replace(goodProcess, "id: good", "id: inner", 1))
	if err := os.Symlink("folder.md", filepath.Join(root, "processes", "linked.md")); err != nil {
		t.Fatal(err)
	}
	mkfifo(t, filepath.Join(root, "monitoring", "rules.yml"))
	writeFile(t, filepath.Join(root, "opsqa.yaml"), "teams:\n  - {id: platform, name: Platform, members: [{login: ana}]}\nalert_rules: [monitoring/*.yml]\n")

	res := runWithin(t, root)
	got := findings(res)
	for file, want := range map[string]string{
		"processes/pipe.md":           "file-type: pipe.md is a named pipe (FIFO), not a regular file: it is not read",
		"processes/diagrams/flow.png": "file-type: flow.png is a named pipe (FIFO), not a regular file",
		"processes/linked.md":         "file-type: linked.md is a link to a folder",
		"monitoring/rules.yml":        "alert-runbooks: rules.yml is a named pipe (FIFO), not a regular file: it is not read",
	} {
		if !strings.Contains(got[file], want) {
			t.Errorf("%s: got %q, want %q", file, got[file], want)
		}
	}
	for _, d := range res.Diagnostics {
		if d.Rule == fileTypeRule.ID && (d.Pos.Line != 1 || d.Pos.Column != 1) {
			t.Errorf("%s: want the finding at 1:1", d)
		}
	}
	if got["processes/folder.md"] != "" {
		t.Errorf("the folder folder.md is reported: %s", got["processes/folder.md"])
	}
	if res.Repo.ByPath("processes/folder.md/inner.md") == nil || res.Repo.ByPath("processes/good.md") == nil {
		t.Error("the documents next to the pipes, and in the folder named folder.md, were not loaded")
	}

	// The configuration itself.
	cfgRoot := t.TempDir()
	writeFile(t, filepath.Join(cfgRoot, "processes", "good.md"), goodProcess)
	mkfifo(t, filepath.Join(cfgRoot, "opsqa.yaml"))
	if got := findings(runWithin(t, cfgRoot))["opsqa.yaml"]; !strings.Contains(got, "file-type: opsqa.yaml is a named pipe (FIFO), not a regular file") {
		t.Errorf("opsqa.yaml: got %q", got)
	}
}

// TestLoadOutsideLinks: a link leading out of the repository, to a file
// or as a whole document folder, is a finding and its target is never
// read; a link to a file inside is followed as before.
func TestLoadOutsideLinks(t *testing.T) {
	outside := t.TempDir()
	const secret = "TOPSECRET-4f1c"
	writeFile(t, filepath.Join(outside, "secret.md"), "---\nid: secret\ntitle: "+secret+"\n---\n# "+secret+"\n")
	writeFile(t, filepath.Join(outside, "quizzes", "leak.md"), "---\nid: leak\ntitle: "+secret+"\n---\n")
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "processes", "good.md"), goodProcess)
	link := func(target, name string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	link(filepath.Join(outside, "secret.md"), "processes/absolute.md")
	rel, err := filepath.Rel(filepath.Join(root, "processes"), filepath.Join(outside, "secret.md"))
	if err != nil {
		t.Fatal(err)
	}
	link(rel, "processes/relative.md")
	link("/dev/zero", "processes/zero.md")
	link("good.md", "processes/alias.md")                   // inside: followed
	link(filepath.Join(outside, "quizzes"), "training")     // a whole top folder
	link("/dev/zero", ".github/CODEOWNERS")                 // read by the codeowners rule
	link(filepath.Join(outside, "secret.md"), "opsqa.yaml") // the configuration

	res := runWithin(t, root)
	got := findings(res)
	for _, file := range []string{"processes/absolute.md", "processes/relative.md", "processes/zero.md", "training", "opsqa.yaml"} {
		if !strings.Contains(got[file], "outside-link: ") || !strings.Contains(got[file], "outside the repository") {
			t.Errorf("%s: got %q, want an outside-link finding", file, got[file])
		}
	}
	for file, msg := range got {
		if strings.Contains(msg, secret) {
			t.Errorf("%s: the outside file was read: %s", file, msg)
		}
	}
	if res.Repo.ByPath("processes/alias.md") == nil {
		t.Error("a link inside the repository was not followed")
	}
	for _, f := range res.Repo.Files {
		if strings.HasPrefix(f, "training/") || f == "processes/absolute.md" {
			t.Errorf("%s is among the files looked at", f)
		}
	}
}
