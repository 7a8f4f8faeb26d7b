//go:build unix

package cli

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBuildHostileFiles runs 'opsqa build --allow-lint-errors' over a
// repository holding what a hostile pull request could commit: a
// runbook that is a symbolic link to a file outside the repository, a
// document folder (processes/) that is a link to a folder outside it,
// and named pipes under a document's and an image's name, one of them
// with the characters of Hugo's file patterns. The build must finish,
// lint must report each of them, and no page may hold the outside files'
// text.
func TestBuildHostileFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a site")
	}
	const secret = "TOPSECRET-9b2e"
	outside := t.TempDir()
	page := "---\nid: secret\ntitle: " + secret + "\nowner: operations\nstatus: active\nlast_reviewed: 2026-10-01\n---\n# " + secret + "\n\n" + secret + " body\n"
	writeTestFile(t, filepath.Join(outside, "secret.md"), page)
	writeTestFile(t, filepath.Join(outside, "processes", "leaked.md"), strings.Replace(page, "id: secret", "id: leaked", 1))
	writeTestFile(t, filepath.Join(outside, "processes", "leaked.png"), secret)

	repo := t.TempDir()
	if err := os.CopyFS(repo, os.DirFS("../sitegen/testdata/repo")); err != nil {
		t.Fatal(err)
	}
	must(t, os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(repo, "content", "runbooks", "secret.md")))
	must(t, os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(repo, "content", "runbooks", "secret.png")))
	must(t, os.RemoveAll(filepath.Join(repo, "processes")))
	must(t, os.Symlink(filepath.Join(outside, "processes"), filepath.Join(repo, "processes")))
	for _, name := range []string{"pipe.md", "pipe.png", "odd[1]{a,b}*.png"} {
		if err := syscall.Mkfifo(filepath.Join(repo, "content", "runbooks", name), 0o644); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
	}

	var out, errOut bytes.Buffer
	env := &Env{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }, Now: time.Now, Dir: repo}
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"build", "--allow-lint-errors", "--as-of", "2026-11-27", "--history", ""}, env)
	}()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, out.String(), errOut.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("build still running after 2 minutes: a named pipe was opened")
	}
	for _, want := range []string{
		"content/runbooks/secret.md:1:1: error outside-link: ",
		"processes:1:1: error outside-link: ",
		"content/runbooks/pipe.md:1:1: error file-type: pipe.md is a named pipe (FIFO)",
		"content/runbooks/pipe.png:1:1: error file-type: ",
		"content/runbooks/odd[1]{a,b}*.png:1:1: error file-type: ",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("lint did not report %q:\n%s", want, errOut.String())
		}
	}
	if strings.Contains(out.String()+errOut.String(), secret) {
		t.Errorf("the outside files' text is in the output")
	}
	pages := 0
	err := filepath.WalkDir(filepath.Join(repo, "public"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		pages++
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the text of a file outside the repository", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 20 {
		t.Errorf("only %d files in the site\n%s", pages, out.String())
	}
	if _, err := os.Stat(filepath.Join(repo, "public", "runbooks", "postgres-disk-full", "index.html")); err != nil {
		t.Errorf("the runbook beside the hostile files is not published: %v", err)
	}
	for _, p := range []string{"runbooks/secret/index.html", "runbooks/secret.png", "processes/leaked/index.html", "processes/leaked.png", "runbooks/pipe.png"} {
		if _, err := os.Lstat(filepath.Join(repo, "public", p)); err == nil {
			t.Errorf("%s is published", p)
		}
	}
}

func writeTestFile(t *testing.T, p, data string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(p), 0o755))
	must(t, os.WriteFile(p, []byte(data), 0o644))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
