package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadUnreadable covers what a txtar archive cannot hold: a symbolic
// link loop, a dangling link, a file larger than the limit. Each is a
// finding; the other documents are still loaded and checked.
func TestLoadUnreadable(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "processes")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.md", "---\nid: good\ntitle: Good one\nowner: platform\nstatus: draft\nlast_reviewed: 2026-10-01\n---\n")
	if err := os.Symlink("loop-b.md", filepath.Join(dir, "loop-a.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop-a.md", filepath.Join(dir, "loop-b.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("missing.md", filepath.Join(dir, "dangling.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".", filepath.Join(dir, "self")); err != nil { // a folder loop
		t.Fatal(err)
	}
	big, err := os.Create(filepath.Join(dir, "huge.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	big.Close()

	res, err := Run(Options{Root: root, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range res.Diagnostics {
		got[d.Pos.File] += d.Rule + ": " + d.Message + "\n"
	}
	for file, want := range map[string]string{
		"processes/loop-a.md":   "unreadable: cannot read: too many levels of symbolic links",
		"processes/loop-b.md":   "unreadable: cannot read: too many levels of symbolic links",
		"processes/dangling.md": "unreadable: cannot read: no such file or directory",
		"processes/huge.md":     "limits: file is 52428800 bytes, larger than the 1048576-byte limit",
	} {
		if !strings.Contains(got[file], want) {
			t.Errorf("%s: got %q, want %q", file, got[file], want)
		}
	}
	if res.Repo.ByPath("processes/good.md") == nil {
		t.Error("good.md was not loaded next to the broken files")
	}
	if os.Getuid() != 0 { // root reads anything
		write("secret.md", "---\nid: secret\n---\n")
		os.Chmod(filepath.Join(dir, "secret.md"), 0)
		res, _ := Run(Options{Root: root, Today: testToday})
		found := false
		for _, d := range res.Diagnostics {
			found = found || d.Pos.File == "processes/secret.md" && strings.Contains(d.Message, "permission denied")
		}
		if !found {
			t.Error("unreadable file not reported")
		}
	}
}

// TestLintOneFileParsesOnlyWhatItNeeds lints one file of a repository:
// the file's links are still checked against their targets, which are
// parsed on demand, while unrelated files are never parsed.
func TestLintOneFileParsesOnlyWhatItNeeds(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "processes")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	doc := func(id, body string) string {
		return "---\nid: " + id + "\ntitle: Process " + id + "\nowner: platform\nstatus: draft\nlast_reviewed: 2026-10-01\n" +
			"practice: incident-management\nversion: \"1.0\"\nroles: [{id: sre, name: SRE}]\n" +
			"raci: [{activity: Do it, responsible: sre, accountable: sre}]\nkpis: [mttr]\n---\n" + body
	}
	for name, data := range map[string]string{
		"aa.md":        doc("aa", "## Steps\n\nSee [b](bb.md#steps) and [b again](bb.md#nowhere).\n"),
		"bb.md":        doc("bb", "## Steps\n\nText.\n"),
		"unrelated.md": "---\nid: [broken\n---\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(Options{Root: root, Today: testToday, Paths: []string{"processes/aa.md"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.Rule+": "+d.Message)
	}
	if len(got) != 1 || !strings.Contains(got[0], "links: anchor #nowhere does not match any heading of processes/bb.md") {
		t.Errorf("findings = %q, want only the broken anchor", got)
	}
	if parsed := res.Repo.Parsed(); strings.Join(parsed, " ") != "processes/aa.md processes/bb.md" {
		t.Errorf("parsed %v, want only aa.md and the bb.md it links to", parsed)
	}
	if res.Files != 1 {
		t.Errorf("files = %d, want 1", res.Files)
	}
}
