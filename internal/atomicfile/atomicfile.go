// Package atomicfile writes a file so that no reader, and no writer that is
// interrupted, ever sees it half written: the snapshot, the scorecard
// history and lint baselines are all read back by later runs.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// Write creates or replaces the file at path with what write produces. It
// writes a temporary file in the same folder (creating the folder), syncs
// it and renames it over path; on any error the temporary file is removed
// and path is left as it was. The file is readable by all (0644), as
// shared data: a temporary file starts out private.
//
// A writer holds a lock on its temporary file until the rename, so that
// the temporary files of a writer that was killed (SIGKILL, a power cut)
// can be told from those of one still at work: each Write removes the
// ones of path that no process holds. Readers never see them, as they
// read path only.
func Write(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	removeStale(dir, base)
	tmp, err := os.CreateTemp(dir, tempPrefix(base)+"*"+tempSuffix)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("write %s: %w; the file is left as it was", path, err)
		}
	}()
	if err := lock(tmp); err != nil {
		return err
	}
	var sink io.Writer = tmp
	if f := fault.Load(); f != nil {
		sink = &failingWriter{w: tmp, left: f.after, err: f.err}
	}
	w := bufio.NewWriterSize(sink, 1<<20)
	if err := write(w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	// The rename happens with the lock held: until then the temporary
	// file is this writer's.
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	tmp.Close()
	syncDir(dir)
	return nil
}

const tempSuffix = ".tmp"

func tempPrefix(base string) string { return "." + base + "." }

// staleAge is how old an empty, unlocked temporary file must be to be
// taken for a dead writer's: a live one may not have locked it yet.
const staleAge = time.Minute

// removeStale removes the temporary files of base in dir that no writer
// holds any more.
func removeStale(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(base)
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, tempSuffix) ||
			len(name) <= len(prefix)+len(tempSuffix) || strings.Contains(name[len(prefix):len(name)-len(tempSuffix)], ".") {
			continue
		}
		removeIfUnheld(filepath.Join(dir, name))
	}
}

// syncDir makes the rename durable; a file system that cannot sync a
// folder still renamed the file.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// FailWritesAfter makes the writes of every Write from now on fail with
// err once n bytes of the file are written, as a full disk fails them
// (syscall.ENOSPC), until restore is called. It is for tests of the
// packages that write through Write.
func FailWritesAfter(n int64, err error) (restore func()) {
	fault.Store(&faultSpec{after: n, err: err})
	return func() { fault.Store(nil) }
}

type faultSpec struct {
	after int64
	err   error
}

var fault atomic.Pointer[faultSpec]

type failingWriter struct {
	w    io.Writer
	left int64
	err  error
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if int64(len(p)) <= f.left {
		f.left -= int64(len(p))
		return f.w.Write(p)
	}
	n, _ := f.w.Write(p[:f.left])
	f.left = 0
	return n, f.err
}
