// Package safefile reads the files of a repository that are not
// documents (opsqa.yaml, alert rule files, the ticket snapshot, the
// scorecard history, CODEOWNERS, a baseline, an issue form, a schema)
// as a repository may hold them, not as its authors meant them: a named
// pipe, a device or a link to /dev/zero under the expected name is
// refused before it is opened, and a regular file is read no further
// than the limit its reader states, so that no file can block a run or
// exhaust its memory.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// ErrNotRegular is the error for a file that is not a regular file (a
// named pipe, a device, a socket, a folder): reading one could block
// forever or never end.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is the error for a file larger than its reader's limit.
var ErrTooLarge = errors.New("file too large")

// TypeError says what a path is when it is not a regular file.
type TypeError struct {
	Path string
	Mode fs.FileMode
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, Describe(e.Mode))
}

// Unwrap returns ErrNotRegular.
func (e *TypeError) Unwrap() error { return ErrNotRegular }

// SizeError says that a file is larger than a reader's limit, and which.
type SizeError struct {
	Path string
	// Max is the limit in bytes; What names the reader it is the limit of.
	Max  int64
	What string
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("file %s is larger than %s (the limit for %s)", e.Path, Bytes(e.Max), e.What)
}

// Unwrap returns ErrTooLarge.
func (e *SizeError) Unwrap() error { return ErrTooLarge }

// Describe names a file type in words: "a named pipe", "a device".
func Describe(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeIrregular != 0:
		return "a file of unknown type"
	}
	return "a regular file"
}

// Bytes writes a size the way limits are stated: "1 MiB", "64 KiB",
// "1000 bytes".
func Bytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// File is an open regular file whose reads end with a *SizeError once
// they pass the limit.
type File struct {
	f    *os.File
	r    io.Reader
	n    int64 // bytes read so far
	max  int64
	path string
	what string
	// Size is the file's size when it was opened.
	Size int64
}

// Open opens the regular file at path for reading at most max bytes;
// what names the reader, for the error. The path is checked with
// os.Stat (a link is judged by what it leads to) before it is opened, so
// that a named pipe is never opened, and the open file again, so that a
// file swapped for another in between is refused too. A file larger than
// max when opened is refused at once.
func Open(path string, max int64, what string) (*File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := check(path, info, max, what); err != nil {
		return nil, err
	}
	// O_NONBLOCK: should a named pipe take the file's place after the
	// check, opening it returns at once instead of waiting for a writer;
	// the check of the open file below then refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	info, err = f.Stat()
	if err == nil {
		err = check(path, info, max, what)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &File{f: f, r: io.LimitReader(f, max+1), max: max, path: path, what: what, Size: info.Size()}, nil
}

func check(path string, info fs.FileInfo, max int64, what string) error {
	if !info.Mode().IsRegular() {
		return &TypeError{Path: path, Mode: info.Mode()}
	}
	if info.Size() > max {
		return &SizeError{Path: path, Max: max, What: what}
	}
	return nil
}

// Read reads from the file, failing with a *SizeError past the limit: a
// file that grew after it was opened is not read without end.
func (f *File) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	f.n += int64(n)
	if f.n > f.max {
		return n - int(f.n-f.max), &SizeError{Path: f.path, Max: f.max, What: f.what}
	}
	return n, err
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// ReadFile reads the regular file at path whole, refusing a file that is
// not regular (*TypeError) or larger than max bytes (*SizeError); what
// names the reader the limit is for ("a rule file"). A missing file's
// error satisfies errors.Is(err, fs.ErrNotExist), as os.ReadFile's does.
func ReadFile(path string, max int64, what string) ([]byte, error) {
	f, err := Open(path, max, what)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 0, min(f.Size, max)+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case errors.Is(err, io.EOF):
			return buf, nil
		case err != nil:
			return nil, err
		case len(buf) == cap(buf):
			buf = append(buf, 0)[:len(buf)] // grown while read: more room
		}
	}
}

// ReadFS is ReadFile for a file of fsys. fs.Stat of an os.DirFS follows
// links as os.Stat does, so the same files are refused.
func ReadFS(fsys fs.FS, name string, max int64, what string) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if err := check(name, info, max, what); err != nil {
		return nil, err
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := check(name, info, max, what); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &SizeError{Path: name, Max: max, What: what}
	}
	return data, nil
}

// Within reports whether the path p lies in the folder dir (or is it);
// both are absolute and free of symbolic links (filepath.EvalSymlinks).
func Within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Resolve returns the path of rel (slash-separated) inside root with
// every symbolic link resolved, and whether it still lies inside root:
// false for ".." and absolute paths too. A path that does not exist is
// resolved as far as it does.
func Resolve(root, rel string) (string, bool) {
	if rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) || filepath.IsAbs(filepath.FromSlash(rel)) || filepath.VolumeName(filepath.FromSlash(rel)) != "" {
		return "", false
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err == nil {
		realRoot, err = filepath.Abs(realRoot)
	}
	if err != nil {
		return "", false
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		// Missing: judge the folder that holds it.
		dir, ok := Resolve(root, path.Dir(path.Clean(rel)))
		return filepath.Join(dir, path.Base(rel)), ok && path.Clean(rel) != "."
	}
	if real, err = filepath.Abs(real); err != nil {
		return "", false
	}
	return real, Within(realRoot, real)
}
