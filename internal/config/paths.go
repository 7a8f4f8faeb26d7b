package config

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// idPattern is what an id must be to name a file: the site writes a
// service's badge to static/badges/<id>.svg, so an id such as
// "../../x" would write outside the site. It is the slug of
// schemas/common.schema.json, one character shorter allowed.
var idPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$`)

// SafeID reports whether id may be part of a file name: lower-case
// letters, digits and inner hyphens, at most 80 characters.
func SafeID(id string) bool { return idPattern.MatchString(id) }

// PathProblem is a value of opsqa.yaml that would take opsqa outside the
// repository or the site: a path leading out of the repository, an id
// that is not safe in a file name.
type PathProblem struct {
	// Key is the value's place in opsqa.yaml, as document.PosAt takes it:
	// "services", 2, "id".
	Key     []any
	Message string
}

// CheckPaths returns the problems of the paths and ids of c, in the
// order of the file's keys. Each is a configuration error: the commands
// refuse to run under it rather than read or write outside.
func (c *Config) CheckPaths() []PathProblem {
	var out []PathProblem
	add := func(msg string, key ...any) { out = append(out, PathProblem{Key: key, Message: msg}) }
	inside := func(what, p string, key ...any) {
		if why := leaves(p); why != "" {
			add(fmt.Sprintf("%s %q %s: paths in %s are relative to the repository root and stay inside it", what, p, why, FileName), key...)
		}
	}
	if c.CollectionsGiven {
		for i, col := range c.Collections {
			inside("collection path", col.Path, "collections", i, "path")
			if col.Schema != "" {
				inside("schema", col.Schema, "collections", i, "schema")
			}
		}
	}
	for i, t := range c.Teams {
		if !SafeID(t.ID) {
			add(fmt.Sprintf("team id %q is not a slug (lower-case letters, digits and inner hyphens, at most 80): ids name files of the site", t.ID), "teams", i, "id")
		}
	}
	for i, s := range c.Services {
		if !SafeID(s.ID) {
			add(fmt.Sprintf("service id %q is not a slug (lower-case letters, digits and inner hyphens, at most 80): ids name files of the site, such as its badge", s.ID), "services", i, "id")
		}
	}
	for i, g := range c.AlertRules {
		inside("alert_rules pattern", g, "alert_rules", i)
	}
	for i, m := range c.RunbookURLs {
		inside("runbook_urls path", m.Path, "runbook_urls", i, "path")
	}
	if c.Scorecard.History != "" {
		inside("scorecard history", c.Scorecard.History, "scorecard", "history")
	}
	return out
}

// leaves says how the slash-separated path p leaves the repository: ""
// when it does not.
func leaves(p string) string {
	switch {
	case path.IsAbs(p) || filepath.IsAbs(p) || filepath.VolumeName(p) != "" || strings.HasPrefix(p, `\`):
		return "is absolute"
	case strings.ContainsRune(p, '\\') && strings.Contains(p, ".."):
		return "climbs out of the repository"
	}
	if c := path.Clean(p); c == ".." || strings.HasPrefix(c, "../") {
		return "climbs out of the repository"
	}
	return ""
}
