package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/opsqa/opsqa/internal/diag"
)

// testToday is the date every rule test runs on.
var testToday = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// Expectations sit on the line they are about: `<!-- want "re" "re2" -->`
// in Markdown, `# want "re"` in YAML. Markdown markers are blanked out
// before linting (an HTML comment would change how a heading or a list
// item parses); YAML comments are left, as YAML ignores them.
var (
	wantRe     = regexp.MustCompile(`want((?:\s+"(?:[^"\\]|\\.)*")+)`)
	quotedRe   = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	htmlWantRe = regexp.MustCompile(`\s*<!-- want(?:\s+"(?:[^"\\]|\\.)*")+ -->`)
)

// testedElsewhere names rules whose inputs cannot live in a txtar archive
// (unreadable files, symbolic link loops), with the test that covers them.
var testedElsewhere = map[string]string{
	ruleUnreadable: "TestLoadUnreadable",
}

// parseWants returns the regular expressions of the want markers in line.
func parseWants(line string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for _, m := range wantRe.FindAllStringSubmatch(line, -1) {
		for _, q := range quotedRe.FindAllStringSubmatch(m[1], -1) {
			re, err := regexp.Compile(strings.ReplaceAll(q[1], `\"`, `"`))
			if err != nil {
				return nil, err
			}
			out = append(out, re)
		}
	}
	return out, nil
}

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
			root, wants := extract(t, path, baseConfig)
			res, err := Run(Options{Root: root, Today: testToday})
			if err != nil {
				t.Fatal(err)
			}
			var got []diag.Diagnostic
			for _, d := range res.Diagnostics {
				if d.Rule == ruleID {
					got = append(got, d)
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
// want markers blanked, and returns its root and the expectations.
func extract(t *testing.T, archive string, baseConfig []byte) (string, []*want) {
	t.Helper()
	var wants []*want
	a, err := txtar.ParseFile(archive)
	if err != nil {
		t.Fatal(err)
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
			res, err := parseWants(line)
			if err != nil {
				t.Fatalf("%s:%d: bad want: %v", f.Name, i+1, err)
			}
			for _, re := range res {
				wants = append(wants, &want{file: f.Name, line: i + 1, re: re})
			}
			if strings.HasSuffix(f.Name, ".md") {
				lines[i] = htmlWantRe.ReplaceAllString(line, "")
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
	return root, wants
}

type want struct {
	file string
	line int
	re   *regexp.Regexp
	met  bool
}

// fileWants reads an archive's "want" file: `path:line "re"` lines for
// findings on lines that cannot hold a marker (a --- delimiter, an empty
// file, a binary one).
func fileWants(t *testing.T, data []byte) []*want {
	var wants []*want
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		loc, rest, _ := strings.Cut(line, " ")
		file, lineNo, _ := strings.Cut(loc, ":")
		n := 0
		fmt.Sscanf(lineNo, "%d", &n)
		res, err := parseWants("want " + rest)
		if err != nil {
			t.Fatalf("want file: %v", err)
		}
		for _, re := range res {
			wants = append(wants, &want{file: file, line: n, re: re})
		}
	}
	return wants
}

func checkWants(t *testing.T, got []diag.Diagnostic, wants []*want) {
	t.Helper()
	for _, d := range got {
		i := slices.IndexFunc(wants, func(w *want) bool {
			return !w.met && w.file == d.Pos.File && w.line == d.Pos.Line && w.re.MatchString(d.Message)
		})
		if i < 0 {
			t.Errorf("unexpected finding: %s", d)
			continue
		}
		wants[i].met = true
		if d.Pos.Line > 0 && d.Pos.Column < 1 {
			t.Errorf("finding without a column: %s", d)
		}
	}
	for _, w := range wants {
		if !w.met {
			t.Errorf("%s:%d: no finding matching %q", w.file, w.line, w.re)
		}
	}
}
