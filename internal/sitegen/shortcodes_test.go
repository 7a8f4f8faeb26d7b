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

// TestRefusedShortcodes: a document calling param (which would print the
// repository's absolute path) or a shortcode that fetches from the
// network fails the build with the file and the shortcode named, and
// nothing is published, even when lint's errors were allowed.
func TestRefusedShortcodes(t *testing.T) {
	for _, name := range []string{"param", "youtube"} {
		t.Run(name, func(t *testing.T) {
			repo := t.TempDir()
			writeRepo(t, repo, map[string]string{
				"opsqa.yaml":            "organisation: X\n",
				"content/runbooks/x.md": "---\nid: x\ntitle: T\n---\n\n# T\n\nPath: {{< " + name + " \"opsqa.repo_dir\" >}}\n",
			})
			cfg, err := config.Load(os.DirFS(repo))
			if err != nil {
				t.Fatal(err)
			}
			docs, err := repository.Load(repo)
			if err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(repo, "public")
			o := Options{RepoDir: repo, Config: cfg, Destination: dest, AsOf: asOf, Documents: documents(docs.Docs())}
			_, err = Build(context.Background(), o, time.Now)
			if err == nil || !strings.Contains(err.Error(), "shortcode "+name+" is not allowed") || !strings.Contains(err.Error(), "runbooks/x.md") {
				t.Fatalf("build: %v, want the refused shortcode named with its file", err)
			}
			if _, err := os.Stat(dest); !os.IsNotExist(err) {
				t.Errorf("a site was published: %v", err)
			}
		})
	}
}
