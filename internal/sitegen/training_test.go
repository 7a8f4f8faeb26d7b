package sitegen

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/repository"
)

// TestTrainingPageWithoutTrainingFolder: a repository whose curricula and
// modules live elsewhere than training/ still gets a training page, at
// /training/, in the navigation; one that publishes a collection at
// /training gets it beside, at /training-records/.
func TestTrainingPageWithoutTrainingFolder(t *testing.T) {
	for _, tc := range []struct {
		name, curricula, page string
	}{
		{"elsewhere", "Onboarding/Paths", "training"},
		{"collection at training", "training", "training-records"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := t.TempDir()
			files := map[string]string{
				"opsqa.yaml": `organisation: Other
roles:
  - {id: sre, name: SRE, on_call: true}
teams:
  - id: infra
    name: Infra
    members:
      - {login: kim, name: Kim, role: sre}
collections:
  - {path: ` + tc.curricula + `, kind: curriculum}
  - {path: Onboarding/Lessons, kind: module}
  - {path: Onboarding/Checks, kind: quiz}
`,
				tc.curricula + "/sre.md":            "---\nid: sre\ntitle: SRE path\naudience: [sre]\nmodules: [triage]\n---\n\nThe path.\n",
				"Onboarding/Lessons/Triage.md":      "---\nid: triage\ntitle: Triage\nquiz: triage-check\n---\n\n# Triage\n",
				"Onboarding/Checks/triage-check.md": "---\nid: triage-check\npass_mark: 100\n---\n\n## First step {#first}\n\n1. [x] Read the runbook\n1. [ ] Restart\n",
			}
			writeRepo(t, repo, files)
			cfg, err := config.Load(os.DirFS(repo))
			if err != nil {
				t.Fatal(err)
			}
			docs, err := repository.Load(repo)
			if err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(t.TempDir(), "public")
			o := Options{RepoDir: repo, Config: cfg, Destination: dest, AsOf: asOf, Documents: documents(docs.Docs()),
				Training: sampleTraining(cfg, docs.Docs())}
			if _, err := Build(context.Background(), o, time.Now); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dest, tc.page, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			page := string(b)
			for _, s := range []string{
				`<h2 id="gaps-h">On call without the training</h2>`,
				`<strong>Kim</strong>`, // on call, no module passed
				`SRE path`,
				`0 of 1 modules held (0 %)`,
			} {
				if !strings.Contains(page, s) {
					t.Errorf("/%s/ lacks %q", tc.page, s)
				}
			}
			if !strings.Contains(page, `href="/`+tc.page+`/"`) {
				t.Errorf("the navigation has no link to /%s/", tc.page)
			}
		})
	}
}

// writeRepo writes files (slash-separated path → content) under repo.
func writeRepo(t *testing.T, repo string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
