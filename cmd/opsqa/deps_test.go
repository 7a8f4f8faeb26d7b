package main

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/opsqa/opsqa/"

// forbidden lists, per package, imports that would break the layout of
// DESIGN.md: imports point one way, from the CLI down to the leaves, and
// the KPI code knows nothing of GitHub's client library.
var forbidden = map[string][]string{
	"internal/diag":       {module, "github.com/spf13/cobra"},
	"internal/config":     {module + "internal/cli", module + "internal/lint", module + "internal/kpi", module + "internal/sitegen"},
	"internal/document":   {module + "internal/cli", module + "internal/lint", module + "internal/report", module + "internal/kpi", module + "internal/sitegen"},
	"internal/schema":     {module + "internal/cli", module + "internal/lint", module + "internal/report", module + "internal/kpi", module + "internal/sitegen"},
	"internal/ticket":     {module + "internal/cli", module + "internal/lint", module + "internal/kpi", module + "internal/sitegen", "github.com/google/go-github"},
	"internal/kpi":        {module + "internal/cli", module + "internal/lint", module + "internal/report", module + "internal/sitegen", module + "internal/githubsync", "github.com/google/go-github"},
	"internal/lint":       {module + "internal/cli", module + "internal/report", module + "internal/kpi", module + "internal/sitegen", module + "internal/githubsync"},
	"internal/report":     {module + "internal/cli", module + "internal/lint", module + "internal/sitegen", module + "internal/githubsync"},
	"internal/quiz":       {module + "internal/cli", module + "internal/lint", module + "internal/kpi"},
	"internal/scorecard":  {module + "internal/cli", module + "internal/sitegen"},
	"internal/sitegen":    {module + "internal/cli"},
	"internal/githubsync": {module + "internal/cli", module + "internal/kpi", module + "internal/sitegen"},
}

// TestImportsPointOneWay lists every package's imports with go list and
// fails on an import against the layout. Only internal/cli may import
// cobra.
func TestImportsPointOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := strings.TrimPrefix(fields[0], module), fields[1:]
		for _, imp := range imports {
			if strings.HasPrefix(imp, "github.com/spf13/cobra") && pkg != "internal/cli" {
				t.Errorf("%s imports cobra; only internal/cli may", pkg)
			}
			if imp == module+"internal/cli" && pkg != "cmd/opsqa" {
				t.Errorf("%s imports internal/cli; only cmd/opsqa may", pkg)
			}
		}
		for prefix, bad := range forbidden {
			if pkg != prefix && !strings.HasPrefix(pkg, prefix+"/") {
				continue
			}
			seen++
			for _, imp := range imports {
				for _, b := range bad {
					if strings.HasPrefix(imp, b) && !strings.HasPrefix(imp, module+prefix) {
						t.Errorf("%s imports %s, against the layout", pkg, imp)
					}
				}
			}
		}
	}
	if seen < 5 {
		t.Fatalf("checked only %d packages: is the module path right?", seen)
	}
}
