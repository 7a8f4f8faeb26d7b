package lint

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestExactPositions pins line and column, which the annotated inputs of
// TestRules do not check: a finding inside a code block, after Chinese
// text or in a folded YAML value must point at the character itself.
func TestExactPositions(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"opsqa.yaml": "organisation: Test\n",
		"content/runbooks/r.md": "---\n" +
			"id: r\n" +
			"title: R\n" +
			"owner: platform\n" +
			"status: active\n" +
			"last_reviewed: 2026-10-01\n" +
			"description: >-\n" +
			"  owner is\n" +
			"  \"TBD\" for now\n" +
			"---\n" +
			"## 概述\n" +
			"\n" +
			"中文说明 TODO，见[链接](missing.md)。\n" +
			"\n" +
			"```bash\n" +
			"echo ok\n" +
			"echo \"中文 unclosed\n" +
			"```\n" +
			"\n" +
			"1. 列表:\n" +
			"\n" +
			"   ```sh\n" +
			"   ls |\n" +
			"   ```\n" +
			"\n" +
			"```sh\n" +
			"$ uptime\n" +
			" 10:00 up 2 days (load)\n" +
			"$ echo 'x\n" +
			"```\n",
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(Options{Root: root, Today: testToday})
	if err != nil {
		t.Fatal(err)
	}
	rules := []string{"placeholder", "links", "shell-syntax"}
	var got []string
	for _, d := range res.Diagnostics {
		if slices.Contains(rules, d.Rule) {
			got = append(got, d.Pos.String()+" "+d.Rule)
		}
	}
	want := []string{
		"content/runbooks/r.md:9:4 placeholder",   // inside the quotes of a folded value
		"content/runbooks/r.md:13:6 placeholder",  // columns count characters, not bytes
		"content/runbooks/r.md:13:12 links",       // the link's opening bracket
		"content/runbooks/r.md:17:6 shell-syntax", // the unclosed quote
		"content/runbooks/r.md:23:7 shell-syntax", // the pipe, indentation included
		"content/runbooks/r.md:29:8 shell-syntax", // in a session, the prompt counted
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("positions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
