package codeowners

import (
	"fmt"
	"strings"
	"testing"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
)

func testConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Parse([]byte(`
organisation: Test
teams:
  - {id: ops, name: Ops, github_team: "@acme/ops", members: []}
  - {id: platform, name: Platform, github_team: "@acme/platform", members: []}
  - {id: support, name: Support, members: []}
codeowners:
  reviewers: [ops, support]
`))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func doc(t *testing.T, path, owner string) *document.Document {
	t.Helper()
	src := "---\ntitle: x\n---\nText.\n"
	if owner != "" {
		src = fmt.Sprintf("---\nowner: %s\n---\nText.\n", owner)
	}
	d, ds := document.Parse(path, []byte(src))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	return d
}

func TestGenerate(t *testing.T) {
	cfg := testConfig(t)
	got := Generate(cfg, []*document.Document{
		doc(t, "processes/z.md", "ops"),
		doc(t, "content/runbooks/disk full.md", "platform"),
		doc(t, "processes/support.md", "support"), // no github_team: no line
		doc(t, "processes/nobody.md", ""),         // no owner: no line
		doc(t, "processes/unknown.md", "ghosts"),  // unknown team: no line
	})
	var lines []string
	for _, e := range got {
		lines = append(lines, e.Line())
	}
	want := []string{
		`/content/runbooks/disk\ full.md @acme/platform @acme/ops`,
		`/processes/z.md @acme/ops`,
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got[0].Team != "platform" || got[1].Team != "ops" {
		t.Errorf("teams %q %q", got[0].Team, got[1].Team)
	}
	if !Applies(cfg) {
		t.Error("Applies: false with teams that have handles")
	}
	if Applies(&config.Config{Teams: []config.Team{{ID: "x"}}}) {
		t.Error("Applies: true without a handle")
	}
}

func entries(lines ...string) []Entry {
	var out []Entry
	for _, l := range lines {
		path, owner, _ := strings.Cut(l, " ")
		out = append(out, Entry{Path: path, Team: strings.TrimPrefix(owner, "@acme/"), Owners: []string{owner}})
	}
	return out
}

func TestCompare(t *testing.T) {
	const hand = "# ours\n* @acme/ops\n/docs/ @acme/platform\n"
	block := func(lines ...string) string {
		return beginLine + "\n" + strings.Join(append(lines, endLine), "\n") + "\n"
	}
	for _, tc := range []struct {
		name, current string
		entries       []Entry
		file          string // "" means unchanged
		diff          string
		noBlock       bool
	}{
		{
			name:    "no file",
			entries: entries("a.md @acme/ops"),
			file:    block("/a.md @acme/ops"),
			diff:    "@@ -0,0 +1,3 @@\n+" + beginLine + "\n+/a.md @acme/ops\n+" + endLine + "\n",
			noBlock: true,
		},
		{
			name:    "hand-written lines, no block: appended after a blank line",
			current: hand,
			entries: entries("a.md @acme/ops"),
			file:    hand + "\n" + block("/a.md @acme/ops"),
			diff:    "@@ -3,0 +4,4 @@\n+\n+" + beginLine + "\n+/a.md @acme/ops\n+" + endLine + "\n",
			noBlock: true,
		},
		{
			name:    "up to date, columns aligned by hand",
			current: hand + block("/a.md    @acme/ops", "/b.md @acme/platform") + "/after.md @acme/ops\n",
			entries: entries("a.md @acme/ops", "b.md @acme/platform"),
		},
		{
			name:    "owner changed, document added and removed; lines outside kept",
			current: hand + block("/a.md @acme/ops", "/gone.md @acme/ops", "/z.md @acme/ops") + "/after.md @acme/ops\n",
			entries: entries("a.md @acme/platform", "b.md @acme/ops", "z.md @acme/ops"),
			file:    hand + block("/a.md @acme/platform", "/b.md @acme/ops", "/z.md @acme/ops") + "/after.md @acme/ops\n",
			diff:    "@@ -5,2 +5,2 @@\n-/a.md @acme/ops\n+/a.md @acme/platform\n-/gone.md @acme/ops\n+/b.md @acme/ops\n",
		},
		{
			name:    "a document added at the end, a comment in the block removed",
			current: block("# mine", "/a.md @acme/ops"),
			entries: entries("a.md @acme/ops", "b.md @acme/ops"),
			file:    block("/a.md @acme/ops", "/b.md @acme/ops"),
			diff:    "@@ -2 +1,0 @@\n-# mine\n@@ -3,0 +3 @@\n+/b.md @acme/ops\n",
		},
		{
			name:    "out of order is up to date: GitHub reads each line alone",
			current: block("/b.md @acme/ops", "/a.md @acme/ops"),
			entries: entries("a.md @acme/ops", "b.md @acme/ops"),
		},
		{
			name:    "out of order, a document added and a line repeated",
			current: block("/c.md @acme/ops", "/a.md @acme/ops", "/c.md @acme/ops"),
			entries: entries("a.md @acme/ops", "b.md @acme/ops", "c.md @acme/ops"),
			file:    block("/b.md @acme/ops", "/c.md @acme/ops", "/a.md @acme/ops"),
			diff:    "@@ -1,0 +2 @@\n+/b.md @acme/ops\n@@ -4 +4,0 @@\n-/c.md @acme/ops\n",
		},
		{
			name:    "CRLF kept",
			current: strings.ReplaceAll(block("/a.md @acme/ops"), "\n", "\r\n"),
			entries: entries("a.md @acme/platform"),
			file:    strings.ReplaceAll(block("/a.md @acme/platform"), "\n", "\r\n"),
			diff:    "@@ -2 +2 @@\n-/a.md @acme/ops\n+/a.md @acme/platform\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var current []byte
			if tc.current != "" {
				current = []byte(tc.current)
			}
			plan, err := Compare(current, tc.entries)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.file
			if want == "" {
				want = tc.current
				if len(plan.Edits) > 0 {
					t.Errorf("edits of an up-to-date file: %+v", plan.Edits)
				}
			}
			if string(plan.File) != want {
				t.Errorf("file:\n%s\nwant:\n%s", plan.File, want)
			}
			if plan.NoBlock != tc.noBlock {
				t.Errorf("NoBlock %v, want %v", plan.NoBlock, tc.noBlock)
			}
			header := "--- CODEOWNERS\n+++ CODEOWNERS (as opsqa codeowners writes it)\n"
			if tc.diff == "" {
				header = ""
			}
			if got := plan.Diff("CODEOWNERS"); got != header+tc.diff {
				t.Errorf("diff:\n%s\nwant:\n%s", got, header+tc.diff)
			}
			// What was written is up to date.
			again, err := Compare(plan.File, tc.entries)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Edits) > 0 {
				t.Errorf("edits after writing: %+v", again.Edits)
			}
		})
	}
}

func TestCompareMarkers(t *testing.T) {
	for _, tc := range []struct {
		current string
		line    int
		msg     string
	}{
		{"* @a/b\n" + beginLine + "\n/a.md @a/b\n", 2, "without a \"" + EndMarker + "\" after it"},
		{EndMarker + "\n", 1, "without a \"" + BeginMarker + "\" before it"},
		{beginLine + "\n" + endLine + "\n" + beginLine + "\n" + endLine + "\n", 3, "a second"},
		{beginLine + "\n" + endLine + "\n" + endLine + "\n", 3, "without a"},
	} {
		_, err := Compare([]byte(tc.current), nil)
		me, ok := IsMarkerError(err)
		if !ok || me.Line != tc.line || !strings.Contains(me.Msg, tc.msg) {
			t.Errorf("%q: got %v, want a marker error on line %d containing %q", tc.current, err, tc.line, tc.msg)
		}
	}
}
