package lint

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"

	"github.com/opsqa/opsqa/internal/diag"
)

// folders lists the repository's folders for the links rule, each at most
// once per run: a link to a file that is not a document is checked against
// its folder's listing, and a broken one is matched against its names. A
// system call per link, and a scan of the folder per broken link, made a
// folder of thousands of runbooks quadratic. Document rules run on every
// CPU, so it is safe for concurrent use. It lives on the run's passes, not
// in a global, so that nothing outlives the run.
type folders struct {
	root string
	mu   sync.Mutex
	m    map[string]*folder // by slash-separated path from the root
}

// folder is one listing, read on first use by whichever goroutine asks
// first while the others wait.
type folder struct {
	once  sync.Once
	err   error
	names []string      // sorted, as os.ReadDir returns them
	types []fs.FileMode // of names, by index

	nearOnce sync.Once
	near     *diag.Suggester
}

func newFolders(root string) *folders {
	return &folders{root: root, m: map[string]*folder{}}
}

// get returns dir's listing, reading it the first time.
func (fo *folders) get(dir string) *folder {
	fo.mu.Lock()
	f := fo.m[dir]
	if f == nil {
		f = &folder{}
		fo.m[dir] = f
	}
	fo.mu.Unlock()
	f.once.Do(func() {
		entries, err := os.ReadDir(filepath.Join(fo.root, filepath.FromSlash(dir)))
		if err != nil {
			f.err = err
			return
		}
		for _, e := range entries {
			f.names = append(f.names, e.Name())
			f.types = append(f.types, e.Type())
		}
	})
	return f
}

// stat answers os.Stat for a clean slash-separated path from the root, from its
// folder's listing: the type of the file, or an error that is
// fs.ErrNotExist when there is no such file. The name must match exactly,
// as on a case-sensitive file system (and on GitHub). What a listing
// cannot tell is asked of the file system: the root itself, where a
// symbolic link leads, and a folder that exists but cannot be listed.
func (fo *folders) stat(target string) (fs.FileMode, error) {
	dir, name := path.Split(target)
	dir = path.Clean(dir)
	if name == "" || name == "." {
		return fo.osStat(target)
	}
	f := fo.get(dir)
	if f.err != nil {
		if errors.Is(f.err, fs.ErrNotExist) {
			return 0, f.err
		}
		return fo.osStat(target)
	}
	i, ok := slices.BinarySearch(f.names, name)
	if !ok {
		return 0, fs.ErrNotExist
	}
	if f.types[i]&fs.ModeSymlink != 0 {
		return fo.osStat(target)
	}
	return f.types[i], nil
}

func (fo *folders) osStat(target string) (fs.FileMode, error) {
	info, err := os.Stat(filepath.Join(fo.root, filepath.FromSlash(target)))
	if err != nil {
		return 0, err
	}
	return info.Mode(), nil
}

// near returns the name in dir that name is a near miss of (diag.Suggest
// over the folder's names, in their order), or "". The index is built on
// the folder's first broken link.
func (fo *folders) near(dir, name string) string {
	f := fo.get(dir)
	if f.err != nil {
		return ""
	}
	f.nearOnce.Do(func() { f.near = diag.NewSuggester(f.names) })
	return f.near.Suggest(name)
}
