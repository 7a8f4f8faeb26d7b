package lint

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/diag"
)

// TestRepositoryIsClean lints the repository's own knowledge base: the
// sample organisation that the main command, the KPIs and the site run on
// must have no findings at error level.
func TestRepositoryIsClean(t *testing.T) {
	res, err := Run(Options{Root: "../..", Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files < 50 {
		t.Errorf("only %d files checked: is the knowledge base there?", res.Files)
	}
	for _, d := range res.Diagnostics {
		if d.Severity == diag.Error {
			t.Errorf("%s", d)
		}
	}
}

// BenchmarkLintRepository lints the repository's own knowledge base, all
// rules on, loading included.
func BenchmarkLintRepository(b *testing.B) {
	for b.Loop() {
		if _, err := Run(Options{Root: "../..", Today: testToday}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPreCommitHookFiles checks the files pattern of .pre-commit-hooks.yaml
// against this repository, which has the default layout: every file opsqa
// lints matches it, and every file it matches is one opsqa lints (any
// other would make the hook fail with a usage error).
func TestPreCommitHookFiles(t *testing.T) {
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct{ ID, Entry, Files string }
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].Entry != "opsqa lint" {
		t.Fatalf("hooks = %+v, want one running opsqa lint", hooks)
	}
	files := regexp.MustCompile(hooks[0].Files)
	res, err := Run(Options{Root: "../..", Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Repo.Files {
		if !files.MatchString(f) {
			t.Errorf("%s is linted but the hook's files pattern leaves it out", f)
		}
	}
	err = filepath.WalkDir("../..", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, "../../"))
		if e.IsDir() {
			if strings.HasPrefix(e.Name(), ".") || e.Name() == "node_modules" || e.Name() == "public" {
				return fs.SkipDir
			}
			return nil
		}
		if files.MatchString(rel) && !res.Repo.Holds(rel) {
			t.Errorf("the hook would pass %s, which opsqa refuses", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
