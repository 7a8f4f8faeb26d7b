// Package version says which opsqa this is, from what the Go toolchain
// records in the binary: the module version 'go install ...@v0.4.0'
// built, and the commit a build from a checkout was made at.
package version

import (
	"regexp"
	"runtime/debug"
)

// Info is the version of the running binary.
type Info struct {
	// Version is the module version ("v0.4.0", a pseudo-version), or
	// "(devel)" for a build from a checkout.
	Version string
	// Commit is the full commit a build from a checkout was made at, ""
	// when unknown; Modified says the checkout had uncommitted changes.
	Commit   string
	Modified bool
}

// Read reads the running binary's build information; override, when
// set (by -ldflags -X), names the version instead.
func Read(override string) Info {
	i := Info{Version: "(devel)"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			i.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				i.Commit = s.Value
			case "vcs.modified":
				i.Modified = s.Value == "true"
			}
		}
	}
	if override != "" && override != "dev" {
		i.Version = override
	}
	return i
}

// String is what --version prints: "v0.4.0", "(devel) commit 1a2b…
// (modified)".
func (i Info) String() string {
	s := i.Version
	if i.Commit != "" {
		s += " commit " + i.Commit
		if i.Modified {
			s += " (modified)"
		}
	}
	return s
}

var (
	shaRe     = regexp.MustCompile(`^[0-9a-f]{40}$`)
	releaseRe = regexp.MustCompile(`^v\d+\.\d+\.\d+$`)
)

// ActionRef is how a workflow written by this binary pins the opsqa
// action, as a uses: reference with its comment: the commit it was built
// from, else its release tag, else main with a note to pin it. Actions
// need a full commit or a ref; a pseudo-version's short hash is neither.
func (i Info) ActionRef() string {
	switch {
	case shaRe.MatchString(i.Commit) && !i.Modified:
		return i.Commit + " # " + i.Version
	case releaseRe.MatchString(i.Version):
		return i.Version + " # pin this to the release's full commit"
	}
	return "main # pin this to a release's full commit"
}
