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

	"github.com/bmatcuk/doublestar/v4"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// topFolders are the first path segments of the collections: content,
// processes, training. Files there outside any collection (a section's
// _index.md) are loaded too, so their links are checked.
func (r *Repository) topFolders() []string {
	var tops []string
	for _, c := range r.Config.Collections {
		top, _, _ := strings.Cut(path.Clean(c.Path), "/")
		if !slices.Contains(tops, top) {
			tops = append(tops, top)
		}
	}
	return tops
}

// walkedFile is a Markdown file found by the walk, to be parsed.
type walkedFile struct{ path, rel string }

func (r *Repository) walk(top string) []walkedFile {
	var files []walkedFile
	dir := filepath.Join(r.Root, filepath.FromSlash(top))
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
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
			if strings.HasPrefix(e.Name(), ".") && p != dir {
				return fs.SkipDir
			}
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

// loadFile reads and parses one Markdown file. Symbolic links to files
// are followed (os.Open does); WalkDir never descends into linked
// folders, so a link loop cannot trap the walk, and a looping file link
// fails to read with a finding. It runs in parallel with other files, so
// it only reads the repository. The Markdown body is parsed later, on
// first use: linting one file parses the bodies of that file and the
// files it links to, not of the whole repository.
func (r *Repository) loadFile(e *entry) (*document.Document, []diag.Diagnostic) {
	f := e.file
	src, size, err := readSource(f.path)
	switch {
	case err != nil:
		return nil, []diag.Diagnostic{Unreadable(f.rel, err)}
	case size < 0:
		return nil, nil // a folder named *.md
	case size > document.MaxSize:
		return nil, []diag.Diagnostic{{Pos: diag.Position{File: f.rel}, Severity: diag.Error,
			Rule: document.RuleEncoding, Message: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit for a document", size, document.MaxSize),
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
// content; a folder has size -1.
func readSource(p string) (src []byte, size int64, err error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return nil, 0, err
	case info.IsDir():
		return nil, -1, nil
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
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
	}
	return false
}
