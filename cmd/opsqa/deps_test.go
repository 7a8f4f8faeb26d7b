package main

import (
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/opsqa/opsqa/"

// layout lists, for every package of the module, the module's packages it
// may import. Imports point one way: from the CLI through the pipeline
// down to the leaves. The CLI reaches lint, KPIs, scorecards and the site
// only through the pipeline, so every verdict it prints is the one the
// pipeline computed. A package missing here fails the test: adding one
// means deciding where it sits.
var layout = map[string][]string{
	"cmd/opsqa":                      {"internal/cli"},
	"internal/cli":                   {"internal/config", "internal/githubsync", "internal/issueform", "internal/pipeline", "internal/report", "internal/scaffold", "internal/schema", "internal/ticket", "internal/version", "schemas", "internal/safefile"},
	"internal/pipeline":              {"internal/adopt", "internal/alerting", "internal/atomicfile", "internal/codeowners", "internal/config", "internal/diag", "internal/document", "internal/kpi", "internal/lint", "internal/postmortem", "internal/quiz", "internal/quizfmt", "internal/repository", "internal/review", "internal/scorecard", "internal/sitegen", "internal/starter", "internal/ticket", "internal/training", "internal/issueform", "internal/safefile"},
	"internal/adopt":                 {"internal/alerting", "internal/config", "internal/document", "internal/repository", "internal/schema", "internal/safefile"},
	"internal/starter":               nil,
	"internal/version":               nil,
	"internal/training":              {"internal/config", "internal/document", "internal/quiz", "internal/ticket"},
	"internal/sitegen":               {"internal/config", "internal/kpi", "internal/review", "internal/scorecard", "internal/ticket", "internal/training", "site", "internal/safefile"},
	"internal/scorecard":             {"internal/alerting", "internal/atomicfile", "internal/config", "internal/document", "internal/kpi", "internal/review", "internal/ticket", "internal/training", "internal/safefile"},
	"internal/lint":                  {"internal/alerting", "internal/atomicfile", "internal/codeowners", "internal/config", "internal/diag", "internal/document", "internal/postmortem", "internal/quiz", "internal/repository", "internal/review", "internal/schema", "internal/suppress", "internal/safefile"},
	"internal/report":                {"internal/diag", "internal/kpi", "internal/training"},
	"internal/githubsync":            {"internal/config", "internal/issueform", "internal/ticket"},
	"internal/alerting":              {"internal/config", "internal/diag", "internal/document", "internal/repository", "internal/suppress"},
	"internal/repository":            {"internal/config", "internal/diag", "internal/document", "internal/suppress", "internal/safefile"},
	"internal/postmortem":            {"internal/document", "internal/kpi"},
	"internal/kpi":                   {"internal/config", "internal/ticket"},
	"internal/ticket":                {"internal/atomicfile", "internal/config", "internal/diag", "internal/safefile"},
	"internal/review":                {"internal/config", "internal/document"},
	"internal/codeowners":            {"internal/config", "internal/document"},
	"internal/suppress":              {"internal/diag", "internal/document"},
	"internal/quiz":                  {"internal/document"},
	"internal/quizfmt":               {"internal/diag", "internal/document", "internal/quiz"},
	"internal/document":              {"internal/diag"},
	"internal/schema":                {"internal/diag", "schemas"},
	"internal/scaffold":              {"internal/config"},
	"internal/sample":                {"internal/ticket"},
	"internal/sample/gensample":      {"internal/sample", "internal/ticket"},
	"scripts/gencorpus":              {"internal/corpus"},
	"internal/atomicfile":            nil,
	"internal/safefile":              nil,
	"internal/config":                {"internal/safefile"},
	"internal/corpus":                nil,
	"internal/diag":                  nil,
	"internal/issueform":             nil,
	"internal/githubsync/githubtest": nil,
	"action":                         nil, // the GitHub Action's tests
	"schemas":                        nil,
	"site":                           nil,
}

// confined lists libraries that belong to one part of the design: the
// command line to the CLI, GitHub's client to the sync, Hugo to the site
// generator. The KPI code knows nothing of GitHub.
var confined = map[string][]string{
	"github.com/spf13/cobra":                {"internal/cli"},
	"github.com/google/go-github":           {"internal/githubsync"},
	"github.com/schollz/progressbar":        {"internal/githubsync"},
	"github.com/gohugoio/hugo":              {"internal/sitegen"},
	"github.com/santhosh-tekuri/jsonschema": {"internal/schema"},
}

// TestImportsFollowTheLayout lists every package's imports with go list
// and fails on an import the layout does not allow.
func TestImportsFollowTheLayout(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	listed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := strings.TrimPrefix(fields[0], module), fields[1:]
		listed[pkg] = true
		allowed, known := layout[pkg]
		if !known {
			t.Errorf("%s is not in the layout: add it to layout in deps_test.go with the packages it may import", pkg)
			continue
		}
		for _, imp := range imports {
			if internal, ok := strings.CutPrefix(imp, module); ok {
				if !slices.Contains(allowed, internal) {
					t.Errorf("%s imports %s, against the layout", pkg, internal)
				}
				continue
			}
			for lib, owners := range confined {
				if strings.HasPrefix(imp, lib) && !slices.Contains(owners, pkg) {
					t.Errorf("%s imports %s; only %s may", pkg, imp, strings.Join(owners, ", "))
				}
			}
		}
	}
	var stale []string
	for pkg := range layout {
		if !listed[pkg] {
			stale = append(stale, pkg)
		}
	}
	sort.Strings(stale)
	for _, pkg := range stale {
		t.Errorf("layout names %s, which go list does not know: remove it", pkg)
	}
}
