package lint

import (
	"bytes"
	"fmt"
	"maps"
	"os/exec"
	"reflect"
	"strconv"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

var processVersionRule = Rule{
	ID:      "process-version",
	Summary: "a changed process standard raises its version, and its history names the new one",
	Doc: `People follow a process standard by its version: the version level says
whom a change must reach (processes/process-change.md, Versioning). With
--changed-since REV, every process standard that differs from its text at
REV, in its body or its front matter, must have a higher version than it
had there: a patch for wording (1.2.0 → 1.2.1), a minor version for
something added (1.3.0), a major one when people must act differently or
accountability moves (2.0.0). Setting last_reviewed alone is a review,
not a change, and needs no new version; a standard new since REV needs
none either. A standard that keeps its changes in a section of its own
(## History, ## Change history, ## Revision history or ## Changelog) must
name the new version there; one without such a section records its
changes in Git and in the pull request, as the bundled standards do.
Without --changed-since there is nothing to compare with, and the rule
says so.`,
	Severity: diag.Error,
	Kinds:    []string{"process"},
	CheckDocument: func(p *Pass, d *document.Document) {
		if p.Base == "" {
			p.CannotApply(nil, "needs --changed-since to compare with a revision")
			return
		}
		old, found, err := gitShow(p.Repo.Root, p.Base, d.Path)
		switch {
		case err != nil:
			p.CannotApply(d, fmt.Sprintf("cannot read it at %s: %v", p.Base, err))
			return
		case !found:
			return // new since the base: its first version is whatever it says
		}
		before, _ := document.Parse(d.Path, old)
		if before == nil || !changedSince(before, d) {
			return
		}
		_, v := d.Lookup("version")
		now, ok := parseVersion(d.String("version"))
		if !ok {
			return // the schema rule reports a missing or malformed version
		}
		if was, ok := parseVersion(before.String("version")); ok && now.compare(was) <= 0 {
			state := "still " + d.String("version")
			if now.compare(was) < 0 {
				state = fmt.Sprintf("%s, lower than %s there", d.String("version"), before.String("version"))
			}
			p.Report(d.NodePos(v), "raise version as processes/process-change.md (Versioning) says, and say in the pull request what changes for the people who follow it",
				"process changed since %s but version is %s: bump it (%s → %s for wording, %s for new steps, %s for changed responsibilities)",
				p.Base, state, before.String("version"), was.bump(2), was.bump(1), was.bump(0))
			return
		}
		if h, ok := historySection(d); ok && !bytes.Contains(sectionText(d, h), []byte(d.String("version"))) {
			p.Report(d.BodyPos(h.Offset), "add an entry for "+d.String("version")+" to the "+h.Text+" section: what changed, and for whom",
				"version is %s now (it was %s at %s), but the %s section does not mention %s", d.String("version"), before.String("version"), p.Base, h.Text, d.String("version"))
		}
	},
}

// changedSince reports whether a process standard differs from its
// earlier text, in its body or in its front matter other than
// last_reviewed (a review that changes nothing) and version.
func changedSince(before, after *document.Document) bool {
	if !bytes.Equal(bytes.TrimSpace(before.Body), bytes.TrimSpace(after.Body)) {
		return true
	}
	strip := func(m map[string]any) map[string]any {
		m = maps.Clone(m)
		delete(m, "last_reviewed")
		delete(m, "version")
		return m
	}
	return !reflect.DeepEqual(strip(before.Meta), strip(after.Meta))
}

// historyNames are the headings of the sections a standard may keep its
// changes in.
var historyNames = []string{"History", "Change history", "Revision history", "Changelog"}

func historySection(d *document.Document) (document.Heading, bool) {
	for _, h := range d.Headings() {
		for _, name := range historyNames {
			if h.Level == 2 && sectionMatches(h, name) {
				return h, true
			}
		}
	}
	return document.Heading{}, false
}

// sectionText is the body from heading h to the next heading of its level
// or above.
func sectionText(d *document.Document, h document.Heading) []byte {
	end := len(d.Body)
	for _, o := range d.Headings() {
		if o.Offset > h.Offset && o.Level <= h.Level {
			end = o.Offset
			break
		}
	}
	return d.Body[h.Offset:end]
}

// version is MAJOR.MINOR[.PATCH], as the process schema allows.
type version [3]int

func parseVersion(s string) (version, bool) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return version{}, false
	}
	var v version
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return version{}, false
		}
		v[i] = n
	}
	return v, true
}

func (v version) compare(w version) int {
	for i := range v {
		if v[i] != w[i] {
			if v[i] < w[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// bump raises part i (0 major, 1 minor, 2 patch) and zeroes the parts
// after it.
func (v version) bump(i int) version {
	v[i]++
	for j := i + 1; j < len(v); j++ {
		v[j] = 0
	}
	return v
}

func (v version) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// gitShow returns the file at rel (relative to root, which may be a
// folder inside the work tree) as it was at rev; found is false when it
// did not exist there.
func gitShow(root, rev, rel string) (src []byte, found bool, err error) {
	git := func(args ...string) ([]byte, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
		}
		return out, nil
	}
	// ls-tree tells a file absent at rev from a failure, which git show
	// does not (both exit 128); its paths are relative to root.
	listed, err := git("ls-tree", "-z", rev, "--", rel)
	if err != nil {
		return nil, false, err
	}
	if len(listed) == 0 {
		return nil, false, nil
	}
	out, err := git("show", rev+":./"+rel)
	return out, err == nil, err
}
