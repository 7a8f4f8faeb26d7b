package repository

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
)

func TestCleanGlob(t *testing.T) {
	for in, want := range map[string]string{
		"monitoring/**/**/**/*.yml": "monitoring/**/*.yml",
		"**/**/rules.yml":           "**/rules.yml",
		"a/**":                      "a/**",
		"a/**/b/**/**":              "a/**/b/**",
		"a/***/b":                   "a/***/b",
	} {
		if got, err := CleanGlob(in); err != nil || got != want {
			t.Errorf("CleanGlob(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := CleanGlob(strings.Repeat("a/", 64) + "b"); err == nil {
		t.Error("65 segments accepted")
	}
	if _, err := CleanGlob(strings.Repeat("x", 1025)); err == nil {
		t.Error("1025 bytes accepted")
	}
}

// TestRepeatedDoubleStarGlob: thirty "**/" in an alert_rules pattern and
// in lint.ignore, over a few nested folders, is matched at once, and
// finds what one "**/" finds.
func TestRepeatedDoubleStarGlob(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "monitoring", "a", "b", "c", "d", "e", "f", "g", "h")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(deep, "rules.yml"), []byte("groups: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "content", "runbooks", "a", "b", "c", "d", "e", "f"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "content", "runbooks", "a", "b", "c", "d", "e", "f", "x.md"), []byte("# X\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stars := strings.Repeat("**/", 30)
	cfg := config.Default()
	cfg.AlertRules = []string{"monitoring/" + stars + "*.yml"}
	cfg.Lint.Ignore = []string{"content/" + stars + "nothing-here.md"}
	start := time.Now()
	r, err := LoadWith(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	if got := r.RuleFiles().Names; len(got) != 1 || got[0] != "monitoring/a/b/c/d/e/f/g/h/rules.yml" {
		t.Errorf("found %q", got)
	}
	if len(r.Files) != 2 {
		t.Errorf("files %q", r.Files)
	}
}
