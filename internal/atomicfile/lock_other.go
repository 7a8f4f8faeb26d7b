//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package atomicfile

import "os"

// lock is a no-op where flock is not available: temporary files of a
// killed writer stay, harmless, as readers never read them.
func lock(*os.File) error { return nil }

func removeIfUnheld(string) {}
