package sitegen

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
)

func TestSitePath(t *testing.T) {
	ms := []mount{{Source: "training/quizzes", Target: "training/quizzes"}, {Source: "processes", Target: "processes"}, {Source: "content", Target: ""}}
	for rel, want := range map[string]string{
		"content/runbooks/disk-full.md":       "/runbooks/disk-full",
		"content/runbooks/_index.md":          "/runbooks",
		"processes/incident-management.md":    "/processes/incident-management",
		"training/quizzes/basics-quiz.md":     "/training/quizzes/basics-quiz",
		"monitoring/alerts/postgres.yaml":     "",
		"contentious/not-under-a-mount.md":    "",
		"training/modules/not-mounted.md":     "",
		"processes/nested/deeper/standard.md": "/processes/nested/deeper/standard",
	} {
		if got := sitePath(ms, rel); got != want {
			t.Errorf("sitePath(%q) = %q, want %q", rel, got, want)
		}
	}
}

func TestContentMounts(t *testing.T) {
	repo := t.TempDir()
	for _, d := range []string{"content/runbooks", "processes", "training/modules", "training/quizzes"} {
		if err := os.MkdirAll(filepath.Join(repo, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg := config.Default()
	got := contentMounts(repo, cfg)
	// Longest source first; collections missing on disk are left out.
	want := []mount{{"training/modules", "training/modules"}, {"training/quizzes", "training/quizzes"}, {"processes", "processes"}, {"content", ""}}
	if !slices.Equal(got, want) {
		t.Errorf("contentMounts = %v, want %v", got, want)
	}
	sections := kindSections(got, cfg)
	if sections["runbook"] != "/runbooks" || sections["quiz"] != "/training/quizzes" || sections["process"] != "/processes" {
		t.Errorf("kindSections = %v", sections)
	}
	if _, ok := sections["curriculum"]; ok {
		t.Error("a section for a collection that does not exist")
	}
}

// i18nKeys lists the keys of a Hugo i18n TOML file: plain keys and tables.
func i18nKeys(t *testing.T, file string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^(?:([a-z0-9_-]+) =|\[([a-z0-9_-]+)\])`)
	var keys []string
	plural := []string{"zero", "one", "two", "few", "many", "other"}
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		if !slices.Contains(plural, m[1]) {
			keys = append(keys, m[1]+m[2])
		}
	}
	slices.Sort(keys)
	return keys
}

func TestEveryStringIsTranslated(t *testing.T) {
	en := i18nKeys(t, "../../site/i18n/en.toml")
	zh := i18nKeys(t, "../../site/i18n/zh-cn.toml")
	if len(en) < 100 {
		t.Fatalf("only %d English strings read", len(en))
	}
	if !slices.Equal(en, zh) {
		for _, k := range en {
			if !slices.Contains(zh, k) {
				t.Errorf("zh-cn.toml lacks %q", k)
			}
		}
		for _, k := range zh {
			if !slices.Contains(en, k) {
				t.Errorf("en.toml lacks %q", k)
			}
		}
	}
	// Every string the templates ask for by a literal key exists.
	re := regexp.MustCompile(`T "([a-z0-9_-]+)"`)
	err := filepath.WalkDir("../../site/layouts", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(en, m[1]) {
				t.Errorf("%s uses string %q, missing from en.toml", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestChineseSite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	o := sampleOptions(t, dest)
	o.Config.Site.Language = "zh-CN"
	if _, err := Build(context.Background(), o, time.Now); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dest, "runbooks", "postgres-disk-full", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, s := range []string{`<html lang="zh-cn">`, `跳到正文`, `编辑此页`, `本页对你有帮助吗？`, `>运维手册<`} {
		mustContain(t, page, s)
	}
	mustNotContain(t, page, "Edit this page")
}

func TestFailedBuildKeepsTheOldSite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(dest, "index.html")
	if err := os.WriteFile(marker, []byte("the old site"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := sampleOptions(t, dest)
	// Hugo succeeds, then indexing fails: nothing may change.
	o.Pagefind = "/bin/false"
	if _, err := Build(context.Background(), o, time.Now); err == nil || !strings.Contains(err.Error(), "run pagefind") {
		t.Fatalf("Build error = %v, want a Pagefind failure", err)
	}
	if b, err := os.ReadFile(marker); err != nil || string(b) != "the old site" {
		t.Errorf("old site changed: %q, %v", b, err)
	}
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("leftovers beside the destination: %v", entries)
	}

	// A successful build replaces it.
	o.Pagefind = ""
	if _, err := Build(context.Background(), o, time.Now); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(marker); string(b) == "the old site" {
		t.Error("old site not replaced")
	}
	if entries, _ := os.ReadDir(filepath.Dir(dest)); len(entries) != 1 {
		t.Errorf("leftovers beside the destination: %v", entries)
	}
}

func TestBuildRefusesTheRepositoryAsDestination(t *testing.T) {
	o := sampleOptions(t, "")
	o.Destination = filepath.Dir(o.RepoDir)
	if _, err := Build(context.Background(), o, time.Now); err == nil || !strings.Contains(err.Error(), "holds the repository") {
		t.Errorf("Build error = %v", err)
	}
}
