package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/opsqa/opsqa/internal/diag"
)

// testToday is the date every rule test runs on.
var testToday = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// Expectations sit on the line they are about: `<!-- want "re" "re2" -->`
// in Markdown, `# want "re"` in YAML. Each message pattern may be followed
// by `fix "re"`, a pattern the finding's fix hint must match. Markdown
// markers are blanked out before linting (an HTML comment would change how
// a heading or a list item parses); YAML comments are left, as YAML
// ignores them. A marker that does not parse fails the test: a typo must
// not turn an expectation into nothing.
var markerRe = regexp.MustCompile(`(<!--|#)\s*want\b`)

// testedElsewhere names rules whose inputs cannot live in a txtar archive
// (unreadable files, symbolic link loops), with the test that covers them.
var testedElsewhere = map[string]string{
	ruleUnreadable:        "TestLoadUnreadable",
	fileTypeRule.ID:       "TestLoadFileTypes",    // named pipes, devices
	outsideLinkRule.ID:    "TestLoadOutsideLinks", // links to absolute paths
	processVersionRule.ID: "TestProcessVersion",   // needs a Git repository
}

// expectation is one finding a marker asks for.
type expectation struct {
	msg, fix *regexp.Regexp
}

// parseWants returns the expectations of the want markers in line, and
// the line with its Markdown markers removed.
func parseWants(line string) ([]expectation, string, error) {
	var out []expectation
	blanked := line
	for {
		loc := markerRe.FindStringSubmatchIndex(blanked)
		if loc == nil {
			return out, line, nil
		}
		html := blanked[loc[2]:loc[3]] == "<!--"
		es, rest, err := parseSpecs(blanked[loc[1]:])
		if err != nil {
			return nil, "", fmt.Errorf("malformed want marker %q: %v", strings.TrimSpace(blanked[loc[0]:]), err)
		}
		out = append(out, es...)
		if !html {
			if strings.TrimSpace(rest) != "" {
				return nil, "", fmt.Errorf("malformed want marker: %q after the patterns", rest)
			}
			return out, line, nil
		}
		rest = strings.TrimLeft(rest, " \t")
		if !strings.HasPrefix(rest, "-->") {
			return nil, "", fmt.Errorf("malformed want marker: no --> after the patterns in %q", line)
		}
		blanked = strings.TrimRight(blanked[:loc[0]], " \t") + rest[len("-->"):]
		line = blanked
	}
}

// parseSpecs reads `"re" ["re" …]`, each optionally followed by
// `fix "re"`, and returns what follows them.
func parseSpecs(s string) ([]expectation, string, error) {
	var out []expectation
	for {
		trimmed := strings.TrimLeft(s, " \t")
		fix := false
		if after, ok := strings.CutPrefix(trimmed, "fix "); ok && len(out) > 0 {
			fix, trimmed = true, strings.TrimLeft(after, " \t")
		}
		if !strings.HasPrefix(trimmed, `"`) {
			if fix {
				return nil, "", fmt.Errorf("fix needs a quoted pattern")
			}
			if len(out) == 0 {
				return nil, "", fmt.Errorf("no quoted pattern")
			}
			return out, s, nil
		}
		pattern, rest, err := quoted(trimmed)
		if err != nil {
			return nil, "", err
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, "", err
		}
		if fix {
			if out[len(out)-1].fix != nil {
				return nil, "", fmt.Errorf("two fix patterns for one finding")
			}
			out[len(out)-1].fix = re
		} else {
			out = append(out, expectation{msg: re})
		}
		s = rest
	}
}

// quoted reads a double-quoted string at the start of s, in which \"
// stands for a quote and any other backslash is the pattern's own.
func quoted(s string) (string, string, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		case s[i] == '\\' && i+1 < len(s):
			b.WriteString(s[i : i+2])
			i++
		case s[i] == '"':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", fmt.Errorf("unterminated pattern %s", s)
}

// otherRulesRe reads an archive's "other rules:" line: the rules besides
// the one under test whose findings the input is known to raise (most
// often schema and required-sections on deliberately small documents).
// Findings of any rule not named there fail the test, so a rule that
// starts reporting what another already reports is seen.
var otherRulesRe = regexp.MustCompile(`(?m)^other rules: (.+)$`)

// TestRules runs each testdata/rules/NAME.txtar as a small repository and
// checks the findings of rule NAME against the want markers: every finding
// must be expected on its line, and every expectation met. Lines without a
// marker must yield nothing, so false positives fail the test too.
// testdata/rules/opsqa.yaml is the configuration unless an archive has its
// own.
func TestRules(t *testing.T) {
	archives, err := filepath.Glob("testdata/rules/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(archives) == 0 {
		t.Fatal("no rule test archives")
	}
	baseConfig, err := os.ReadFile("testdata/rules/opsqa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tested := map[string]bool{}
	for _, path := range archives {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		ruleID, _, _ := strings.Cut(name, ".") // schema.config.txtar tests rule schema
		tested[ruleID] = true
		t.Run(name, func(t *testing.T) {
			root, wants, others := extract(t, path, baseConfig)
			res, err := Run(Options{Root: root, Today: testToday})
			if err != nil {
				t.Fatal(err)
			}
			var got []diag.Diagnostic
			raised := map[string]bool{}
			for _, d := range res.Diagnostics {
				switch {
				case d.Rule == ruleID:
					got = append(got, d)
				case others[d.Rule]:
					raised[d.Rule] = true
				default:
					t.Errorf("finding of rule %s, not named on the archive's \"other rules:\" line: %s", d.Rule, d)
				}
			}
			for r := range others {
				if !raised[r] {
					t.Errorf("\"other rules:\" names %s, which reports nothing here", r)
				}
			}
			checkWants(t, got, wants)
		})
	}
	for _, r := range Rules() {
		if !tested[r.ID] && testedElsewhere[r.ID] == "" {
			t.Errorf("rule %s has no testdata/rules/%s.txtar", r.ID, r.ID)
		}
	}
}

// extract writes the archive to a temporary repository, with Markdown
// want markers blanked, and returns its root, the expectations and the
// other rules the input is known to raise.
func extract(t *testing.T, archive string, baseConfig []byte) (string, []*want, map[string]bool) {
	t.Helper()
	var wants []*want
	a, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	others := map[string]bool{}
	if m := otherRulesRe.FindSubmatch(a.Comment); m != nil {
		for _, r := range strings.FieldsFunc(string(m[1]), func(r rune) bool { return r == ',' || r == ' ' }) {
			others[r] = true
		}
	}
	root := t.TempDir()
	hasConfig := false
	for _, f := range a.Files {
		if f.Name == "opsqa.yaml" {
			hasConfig = true
		}
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if f.Name == "want" {
			wants = append(wants, fileWants(t, f.Data)...)
			continue
		}
		lines := strings.Split(string(f.Data), "\n")
		for i, line := range lines {
			es, blanked, err := parseWants(line)
			if err != nil {
				t.Fatalf("%s:%d: %v", f.Name, i+1, err)
			}
			for _, e := range es {
				wants = append(wants, &want{file: f.Name, line: i + 1, expectation: e})
			}
			if strings.HasSuffix(f.Name, ".md") {
				lines[i] = blanked
			}
		}
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !hasConfig {
		if err := os.WriteFile(filepath.Join(root, "opsqa.yaml"), baseConfig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root, wants, others
}

type want struct {
	file string
	line int
	expectation
	met bool
}

// wantLineRe is a line of an archive's "want" file, for findings on lines
// that cannot hold a marker (a --- delimiter, an empty file, a binary
// one): `path:line "re" [fix "re"]`.
var wantLineRe = regexp.MustCompile(`^(\S+):([0-9]+) (.+)$`)

func fileWants(t *testing.T, data []byte) []*want {
	t.Helper()
	var wants []*want
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		m := wantLineRe.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("want:%d: %q is not `path:line \"pattern\"`", i+1, line)
		}
		n, _ := strconv.Atoi(m[2])
		es, rest, err := parseSpecs(m[3])
		if err == nil && strings.TrimSpace(rest) != "" {
			err = fmt.Errorf("%q after the patterns", rest)
		}
		if err != nil {
			t.Fatalf("want:%d: %v", i+1, err)
		}
		for _, e := range es {
			wants = append(wants, &want{file: m[1], line: n, expectation: e})
		}
	}
	return wants
}

// checkWants matches every finding with one expectation on its line; each
// finding also needs a fix hint, matching the expectation's fix pattern
// where it gives one.
func checkWants(t *testing.T, got []diag.Diagnostic, wants []*want) {
	t.Helper()
	for _, d := range got {
		i := slices.IndexFunc(wants, func(w *want) bool {
			return !w.met && w.file == d.Pos.File && w.line == d.Pos.Line && w.msg.MatchString(d.Message)
		})
		if i < 0 {
			t.Errorf("unexpected finding: %s", d)
			continue
		}
		w := wants[i]
		w.met = true
		if d.Pos.Line > 0 && d.Pos.Column < 1 {
			t.Errorf("finding without a column: %s", d)
		}
		switch {
		case strings.TrimSpace(d.Fix) == "" || d.Fix == d.Message:
			t.Errorf("finding without a fix hint of its own: %s (fix %q)", d, d.Fix)
		case w.fix != nil && !w.fix.MatchString(d.Fix):
			t.Errorf("%s:%d: fix %q does not match %q", w.file, w.line, d.Fix, w.fix)
		}
	}
	for _, w := range wants {
		if !w.met {
			t.Errorf("%s:%d: no finding matching %q", w.file, w.line, w.msg)
		}
	}
}

// TestWantMarkers: the markers the rule tests rely on parse as written,
// and a malformed one is an error rather than no expectation.
func TestWantMarkers(t *testing.T) {
	for _, tc := range []struct {
		line    string
		msgs    []string
		fixes   []string
		blanked string
	}{
		{`id: x # want "a" "b\"c"`, []string{"a", `b"c`}, []string{"", ""}, `id: x # want "a" "b\"c"`},
		{`Text <!-- want "m" fix "f" --> more`, []string{"m"}, []string{"f"}, `Text more`},
		{`<!-- x --> <!-- want "\(1\)" -->`, []string{`\(1\)`}, []string{""}, `<!-- x -->`},
		{`no marker here, though want appears`, nil, nil, `no marker here, though want appears`},
	} {
		es, blanked, err := parseWants(tc.line)
		if err != nil {
			t.Errorf("%q: %v", tc.line, err)
			continue
		}
		var msgs, fixes []string
		for _, e := range es {
			msgs = append(msgs, e.msg.String())
			f := ""
			if e.fix != nil {
				f = e.fix.String()
			}
			fixes = append(fixes, f)
		}
		if !slices.Equal(msgs, tc.msgs) || !slices.Equal(fixes, tc.fixes) || (strings.HasPrefix(tc.line, "<") || strings.HasPrefix(tc.line, "Text")) && blanked != tc.blanked {
			t.Errorf("%q: msgs %q fixes %q blanked %q", tc.line, msgs, fixes, blanked)
		}
	}
	for _, bad := range []string{
		`id: x # want a`,
		`id: x # want "a" trailing`,
		`id: x # want "unterminated`,
		`id: x # want "("`,
		`id: x # want "a" fix`,
		`id: x # want "a" fix "b" fix "c"`,
		`Text <!-- want "m" ->`,
		`Text <!-- want -->`,
	} {
		if _, _, err := parseWants(bad); err == nil {
			t.Errorf("%q parsed without error", bad)
		}
	}
}
