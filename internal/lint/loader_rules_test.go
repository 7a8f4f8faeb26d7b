package lint

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLoaderRulesRegistered holds every rule the loader can report
// (the Rule… constants of the packages that read and parse files) to a
// registered rule: a finding whose rule is not listed in Rules is never
// reported, so the file it is about would pass lint without a word.
func TestLoaderRulesRegistered(t *testing.T) {
	found := 0
	for _, dir := range []string{"../document", "../repository"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if !strings.HasPrefix(name.Name, "Rule") || i >= len(vs.Values) {
							continue
						}
						lit, ok := vs.Values[i].(*ast.BasicLit)
						if !ok || lit.Kind != token.STRING {
							continue
						}
						id, _ := strconv.Unquote(lit.Value)
						found++
						if RuleByID(id) == nil {
							t.Errorf("%s: %s = %q is reported by the loader but is no rule: its findings are dropped", file, name.Name, id)
						}
					}
				}
			}
		}
	}
	if found < 7 {
		t.Fatalf("found %d loader rules, want at least 7 (the test no longer reads the constants)", found)
	}
}
