package lint

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// process is a process standard with its version, a front matter line
// and a body; the version is on line 4, column 10.
func process(version, extra, body string) string {
	return "---\nid: x\ntitle: X\nversion: " + version + "\nlast_reviewed: 2026-01-01\n" + extra + "---\n" + body
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestProcessVersion compares process standards with their text at a
// commit of a real Git repository, whose work tree holds the knowledge
// base in a folder (kb/), as a monorepo does.
func TestProcessVersion(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	top := t.TempDir()
	root := filepath.Join(top, "kb")
	const history = "## Purpose\n\nText.\n\n## History\n\n- 1.0.0: first.\n\n## Related\n\n1.1.0 here is not in the history.\n"
	writeFiles(t, root, map[string]string{
		"opsqa.yaml": "organisation: Test\ncollections:\n  - {path: processes, kind: process, front_matter: optional, extra_keys: allow}\n" +
			"required_sections:\n  process: []\n",
		"processes/same.md":        process("1.0.0", "", "Text.\n"),
		"processes/reviewed.md":    process("1.0.0", "", "Text.\n"),
		"processes/wording.md":     process("1.2.0", "", "Text.\n"),
		"processes/lower.md":       process("1.3.0", "", "Text.\n"),
		"processes/front.md":       process(`"1.0"`, "owner: a\n", "Text.\n"),
		"processes/bumped.md":      process("1.0.0", "", "Text.\n"),
		"processes/history.md":     process("1.0.0", "", history),
		"processes/history-ok.md":  process("1.0.0", "", "## Change history\n\n| version | change |\n|---|---|\n| 1.0.0 | first |\n"),
		"processes/bad-version.md": process("1.0.0", "", "Text.\n"),
	})
	git(t, top, "init", "-q")
	git(t, top, "add", ".")
	git(t, top, "commit", "-q", "-m", "base")
	writeFiles(t, root, map[string]string{
		"processes/reviewed.md":    strings.Replace(process("1.0.0", "", "Text.\n"), "2026-01-01", "2026-11-01", 1),
		"processes/wording.md":     process("1.2.0", "", "Text, reworded.\n"),
		"processes/lower.md":       process("1.2.0", "", "Text, reworded.\n"),
		"processes/front.md":       process(`"1.0"`, "owner: b\n", "Text.\n"),
		"processes/bumped.md":      process("1.0.1", "", "Text, reworded.\n"),
		"processes/history.md":     process("1.1.0", "", history+"More.\n"),
		"processes/history-ok.md":  process("1.1.0", "", "## Change history\n\n| version | change |\n|---|---|\n| 1.0.0 | first |\n| 1.1.0 | a step |\n"),
		"processes/bad-version.md": process("one", "", "Text, reworded.\n"), // the schema rule's to report
		"processes/new.md":         process("1.0.0", "", "Not there at the base.\n"),
	})

	res, err := Run(Options{Root: root, Today: testToday, Base: "HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnostics {
		if d.Rule == processVersionRule.ID {
			got = append(got, d.Pos.String()+": "+d.Message+" | "+d.Fix)
		}
	}
	fix := " | raise version as processes/process-change.md (Versioning) says, and say in the pull request what changes for the people who follow it"
	want := []string{
		"processes/front.md:4:10: process changed since HEAD but version is still 1.0: bump it (1.0 → 1.0.1 for wording, 1.1.0 for new steps, 2.0.0 for changed responsibilities)" + fix,
		"processes/history.md:11:4: version is 1.1.0 now (it was 1.0.0 at HEAD), but the History section does not mention 1.1.0 | add an entry for 1.1.0 to the History section: what changed, and for whom",
		"processes/lower.md:4:10: process changed since HEAD but version is 1.2.0, lower than 1.3.0 there: bump it (1.3.0 → 1.3.1 for wording, 1.4.0 for new steps, 2.0.0 for changed responsibilities)" + fix,
		"processes/wording.md:4:10: process changed since HEAD but version is still 1.2.0: bump it (1.2.0 → 1.2.1 for wording, 1.3.0 for new steps, 2.0.0 for changed responsibilities)" + fix,
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, u := range res.Unchecked {
		if u.Rule == processVersionRule.ID {
			t.Errorf("not checked with a base: %s", u)
		}
	}

	// An unknown revision: each standard says it could not be compared.
	res, err = Run(Options{Root: root, Today: testToday, Base: "no-such-rev"})
	if err != nil {
		t.Fatal(err)
	}
	if u := uncheckedOf(res.Unchecked, processVersionRule.ID); u == nil || !strings.Contains(u.Reason, "cannot read it at no-such-rev") || len(u.Files) != 10 {
		t.Errorf("unknown revision: unchecked %+v, want every file, unreadable at no-such-rev", u)
	}

	// Without a base, the rule says it needs one, once for the repository.
	res, err = Run(Options{Root: root, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	if u := uncheckedOf(res.Unchecked, processVersionRule.ID); u == nil || u.Reason != "needs --changed-since to compare with a revision" || len(u.Files) != 0 {
		t.Errorf("no base: unchecked %+v", u)
	}
	for _, d := range res.Diagnostics {
		if d.Rule == processVersionRule.ID {
			t.Errorf("finding without a base: %s", d)
		}
	}

	// Without process standards there is nothing it could not check.
	res, err = Run(Options{Root: root, Paths: []string{"opsqa.yaml"}, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	if u := uncheckedOf(res.Unchecked, processVersionRule.ID); u != nil {
		t.Errorf("no process standards linted: unchecked %+v", u)
	}
}
