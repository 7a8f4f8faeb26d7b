//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package atomicfile

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// lock takes an exclusive lock on f, released when f is closed or its
// process dies.
func lock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			if err != nil {
				return fmt.Errorf("lock %s: %w", f.Name(), err)
			}
			return nil
		}
	}
}

// removeIfUnheld removes the temporary file at path when no process holds
// its lock, unless it is empty and new: its writer may be about to lock it.
func removeIfUnheld(path string) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return
	}
	info, err := f.Stat()
	if err != nil || (info.Size() == 0 && time.Since(info.ModTime()) < staleAge) {
		return
	}
	os.Remove(path)
}
