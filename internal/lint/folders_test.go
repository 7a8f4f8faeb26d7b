package lint

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestFoldersStat checks that the listings answer as os.Stat would, for
// the cases a listing alone cannot settle too.
func TestFoldersStat(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"docs/a.md", "docs/sub/b.md", "file"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("a.md", filepath.Join(root, "docs/link.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("gone.md", filepath.Join(root, "docs/dangling.md")); err != nil {
		t.Fatal(err)
	}
	fo := newFolders(root)
	for _, tc := range []struct {
		target   string
		dir      bool
		notExist bool // else another error
		err      bool
	}{
		{target: "docs/a.md"},
		{target: "docs/sub", dir: true},
		{target: "docs", dir: true},
		{target: ".", dir: true},
		{target: "docs/link.md"},
		{target: "docs/dangling.md", err: true, notExist: true},
		{target: "docs/A.md", err: true, notExist: true}, // case-sensitive, as on GitHub
		{target: "docs/b.md", err: true, notExist: true},
		{target: "nowhere/b.md", err: true, notExist: true},
		{target: "file/b.md", err: true}, // not a folder: cannot be read
	} {
		mode, err := fo.stat(tc.target)
		if (err != nil) != tc.err || err != nil && errors.Is(err, fs.ErrNotExist) != tc.notExist {
			t.Errorf("stat(%q): %v, want error %v (not exist: %v)", tc.target, err, tc.err, tc.notExist)
			continue
		}
		if err == nil && mode.IsDir() != tc.dir {
			t.Errorf("stat(%q) is a folder: %v, want %v", tc.target, mode.IsDir(), tc.dir)
		}
	}
	if got := fo.near("docs", "a.mdd"); got != "a.md" {
		t.Errorf(`near("docs", "a.mdd") = %q, want "a.md"`, got)
	}
	if got := fo.near("nowhere", "a.md"); got != "" {
		t.Errorf(`near("nowhere", "a.md") = %q, want ""`, got)
	}
}

// TestFoldersListOnce checks that a folder is read once, by goroutines
// asking at the same time: a file removed after the first look is still
// in the listing.
func TestFoldersListOnce(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "a.md"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	fo := newFolders(root)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := fo.stat("a.md"); err != nil {
				t.Error(err)
			}
			if got := fo.near(".", "b.md"); got != "a.md" {
				t.Errorf(`near(".", "b.md") = %q, want "a.md"`, got)
			}
		})
	}
	wg.Wait()
	if err := os.Remove(filepath.Join(root, "a.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := fo.stat("a.md"); err != nil {
		t.Errorf("a.md was looked up again: %v", err)
	}
}
