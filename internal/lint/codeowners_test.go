package lint

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/opsqa/opsqa/internal/diag"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func uncheckedOf(us []diag.Unchecked, rule string) *diag.Unchecked {
	for i := range us {
		if us[i].Rule == rule {
			return &us[i]
		}
	}
	return nil
}

// TestCodeownersCannotApply: without a team that has a github_team there
// is nothing to generate, and the summary says so; when only some files
// are linted, the rule's findings (in CODEOWNERS) would not be shown, and
// it does not run.
func TestCodeownersCannotApply(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"opsqa.yaml": "organisation: Test\nteams:\n  - {id: ops, name: Ops, members: []}\n" +
			"collections:\n  - {path: docs, kind: process, front_matter: optional}\n",
		"docs/a.md": "---\nowner: ops\n---\nText.\n",
	})
	res, err := Run(Options{Root: root, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	if u := uncheckedOf(res.Unchecked, codeownersRule.ID); u == nil || u.Reason != "no team in opsqa.yaml has a github_team" || len(u.Files) != 0 {
		t.Errorf("unchecked %+v, want the repository: no team has a github_team", u)
	}

	writeFiles(t, root, map[string]string{
		"opsqa.yaml": "organisation: Test\nteams:\n  - {id: ops, name: Ops, github_team: \"@acme/ops\", members: []}\n" +
			"collections:\n  - {path: docs, kind: process, front_matter: optional}\n",
	})
	for _, paths := range [][]string{nil, {"docs/a.md"}} {
		res, err = Run(Options{Root: root, Paths: paths, Today: testToday})
		if err != nil {
			t.Fatal(err)
		}
		var found []diag.Diagnostic
		for _, d := range res.Diagnostics {
			if d.Rule == codeownersRule.ID {
				found = append(found, d)
			}
		}
		if want := len(paths) == 0; (len(found) == 1) != want || uncheckedOf(res.Unchecked, codeownersRule.ID) != nil {
			t.Errorf("paths %v: findings %v, unchecked %v; want a finding: %v", paths, found, res.Unchecked, want)
		}
	}
}
