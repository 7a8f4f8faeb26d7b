package repository

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/safefile"
)

// topFolders are the first path segments of the collections: content,
// processes, training. Files there outside any collection (a section's
// _index.md) are loaded too, so their links are checked.
func (r *Repository) topFolders() []string {
	var tops []string
	for _, c := range r.Config.Collections {
		top, _, _ := strings.Cut(path.Clean(c.Path), "/")
		if top == "" || top == ".." || filepath.IsAbs(c.Path) {
			continue // outside the repository: config.CheckPaths reports it
		}
		if !slices.Contains(tops, top) {
			tops = append(tops, top)
		}
	}
	return tops
}

// walkedFile is a Markdown file found by the walk, to be parsed.
type walkedFile struct{ path, rel string }

// walk lists the Markdown files under top, a folder of the root. Only
// regular files are taken: a named pipe, a device or a socket is a
// finding and never opened (opening a named pipe waits for a writer for
// ever), whatever its name. A symbolic link is followed only when what
// it leads to lies inside the repository: one leading out is a finding
// and never read, so that a link committed to a collection cannot bring
// a file of the machine running opsqa into the findings or the site.
// Folders named like documents (runbook.md/) are walked as folders.
func (r *Repository) walk(top string) []walkedFile {
	var files []walkedFile
	dir := filepath.Join(r.Root, filepath.FromSlash(top))
	info, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err == nil && info.Mode()&fs.ModeSymlink != 0:
		// A top folder that is a link is walked when it stays inside:
		// the site publishes what it holds. The separator makes WalkDir
		// follow it; the paths below it keep the link's name.
		target, ok := r.followLink(dir, top)
		if !ok {
			return nil
		}
		if !target.IsDir() {
			r.walkFindings = append(r.walkFindings, FileType(top, target.Mode()))
			return nil
		}
		dir += string(filepath.Separator)
	}
	_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		rel := r.rel(p)
		if err != nil {
			r.walkFindings = append(r.walkFindings, Unreadable(rel, err))
			if e != nil && e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if r.ignored(rel) {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			if strings.HasPrefix(e.Name(), ".") && filepath.Clean(p) != filepath.Clean(dir) {
				return fs.SkipDir
			}
			return nil
		}
		mode := e.Type() // from the folder's listing: no system call
		if mode&fs.ModeSymlink != 0 {
			if !strings.EqualFold(filepath.Ext(p), ".md") {
				return nil // never read, and the site leaves links out
			}
			target, ok := r.followLink(p, rel)
			if !ok {
				return nil
			}
			mode = target.Mode()
		}
		if !mode.IsRegular() {
			r.walkFindings = append(r.walkFindings, FileType(rel, mode))
			return nil
		}
		if !strings.EqualFold(filepath.Ext(p), ".md") {
			return nil
		}
		r.Files = append(r.Files, rel)
		files = append(files, walkedFile{p, rel})
		return nil
	})
	return files
}

// followLink resolves the symbolic link at p (rel from the root). It
// returns what the link leads to when that lies inside the repository;
// otherwise, or when the link is broken or loops, it records a finding
// and returns false.
func (r *Repository) followLink(p, rel string) (fs.FileInfo, bool) {
	info, err := os.Stat(p)
	if err != nil {
		r.walkFindings = append(r.walkFindings, Unreadable(rel, err))
		return nil, false
	}
	real, err := filepath.EvalSymlinks(p)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		r.walkFindings = append(r.walkFindings, Unreadable(rel, err))
		return nil, false
	}
	if !safefile.Within(r.realRoot, real) {
		link, _ := os.Readlink(p)
		r.walkFindings = append(r.walkFindings, diag.Diagnostic{Pos: diag.Position{File: rel, Line: 1, Column: 1}, Severity: diag.Error,
			Rule: RuleOutsideLink, Message: fmt.Sprintf("symbolic link to %q leads outside the repository: it is not read, linted or published", link),
			Fix: "commit the file itself, or link to a file inside the repository"})
		return nil, false
	}
	return info, true
}

// FileType is the finding for a file that is not a regular file or a
// folder: a named pipe, a device, a socket, or a link to a folder with a
// document's name. It is never opened.
func FileType(rel string, mode fs.FileMode) diag.Diagnostic {
	what := safefile.Describe(mode)
	fix := "remove it, or commit a regular file in its place"
	if mode.IsDir() {
		what = "a link to a folder (links to folders are not followed, so no document in it is linted)"
		fix = "link to the documents one by one, or move the folder here"
	}
	return diag.Diagnostic{Pos: diag.Position{File: rel, Line: 1, Column: 1}, Severity: diag.Error, Rule: RuleFileType,
		Message: fmt.Sprintf("%s is %s, not a regular file: it is not read", path.Base(rel), what), Fix: fix}
}

// loadFile reads and parses one Markdown file: a regular file, or a
// link the walk found to lead to one inside the repository. It runs in
// parallel with other files, so it only reads the repository. The
// Markdown body is parsed later, on first use: linting one file parses
// the bodies of that file and the files it links to, not of the whole
// repository.
func (r *Repository) loadFile(e *entry) (*document.Document, []diag.Diagnostic) {
	f := e.file
	src, size, err := readSource(f.path)
	var te *safefile.TypeError
	switch {
	case errors.As(err, &te):
		return nil, []diag.Diagnostic{FileType(f.rel, te.Mode)}
	case err != nil:
		return nil, []diag.Diagnostic{Unreadable(f.rel, err)}
	case size > document.MaxSize:
		return nil, []diag.Diagnostic{{Pos: diag.Position{File: f.rel}, Severity: diag.Error,
			Rule: document.RuleLimits, Message: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit for a document", size, document.MaxSize),
			Fix: "split the document, or move data out of it"}}
	}
	doc, ds := document.Parse(f.rel, src)
	if doc == nil {
		return nil, ds
	}
	doc.Kind = KindOf(r.Config, f.rel, doc.String("type"))
	return doc, ds
}

// readSource reads the file at p with one open, one stat of the open file
// and one read: system calls are most of what reading thousands of small
// files costs. It refuses, before reading, a file larger than the limit
// for a document (a 50 MB file is never one), returning its size and no
// content, and a file that is no longer a regular file (*safefile.TypeError):
// the walk checked it, and O_NONBLOCK keeps a named pipe put in its place
// since from blocking the open.
func readSource(p string) (src []byte, size int64, err error) {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return nil, 0, err
	case !info.Mode().IsRegular():
		return nil, 0, &safefile.TypeError{Path: p, Mode: info.Mode()}
	case info.Size() > document.MaxSize:
		return nil, info.Size(), nil
	}
	src = make([]byte, info.Size())
	n, err := io.ReadFull(f, src)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil // shorter than when it was opened: what is there
	}
	return src[:n], int64(n), err
}

func (r *Repository) rel(p string) string {
	rel, err := filepath.Rel(r.Root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

func (r *Repository) ignored(rel string) bool {
	for _, g := range r.Config.Lint.Ignore {
		g, err := CleanGlob(g)
		if err != nil {
			continue // past the bounds, it ignores nothing; the schema bounds its length
		}
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
	}
	return false
}
