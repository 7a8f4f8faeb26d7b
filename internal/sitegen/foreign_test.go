package sitegen

import (
	"context"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/repository"
)

// foreignBase is the base URL of the foreign site: under a path, so that
// links and image sources must carry it.
const foreignBase = "https://runbooks.example.org/kb/"

// TestForeignRepository builds a runbook repository laid out as other
// teams lay theirs out (testdata/foreign): no front matter or only Hugo's,
// titles as first headings or not at all, group folders, CamelCase file
// names, images next to the pages, and files that are not documents.
func TestForeignRepository(t *testing.T) {
	repo, err := filepath.Abs("testdata/foreign")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(os.DirFS(repo))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := repository.Load(repo)
	if err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	o := Options{RepoDir: repo, Config: cfg, Destination: dest, AsOf: asOf, BaseURL: foreignBase, Documents: documents(docs.Docs())}
	if _, err := Build(context.Background(), o, time.Now); err != nil {
		t.Fatal(err)
	}
	read := func(t *testing.T, rel string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	pages := map[string]string{ // page → the title opsqa gives it
		"runbooks/disk-full":                      "Disk almost full",
		"runbooks/kubernetes/kubepodcrashlooping": "Pod is crash looping",
		"runbooks/kubernetes/kubenodenotready":    "Node is not ready",
		"runbooks/kubernetes/kubejobfailed":       "KubeJobFailed",
	}

	t.Run("titles", func(t *testing.T) {
		list := read(t, "runbooks")
		for p, title := range pages {
			mustContain(t, list, `<a href="/kb/`+p+`/">`+title+`</a>`)
			page := read(t, p)
			mustContain(t, page, `<title>`+title+` · Example Ops</title>`)
			mustContain(t, page, `<h1 data-pagefind-meta="title">`+title+`</h1>`)
			if n := strings.Count(page, "<h1"); n != 1 {
				t.Errorf("%s has %d h1 elements, want 1", p, n)
			}
		}
		// Sorted by those titles.
		at := -1
		for _, title := range []string{"Disk almost full", "KubeJobFailed", "Node is not ready", "Pod is crash looping"} {
			i := strings.Index(list, ">"+title+"</a>")
			if i < at {
				t.Errorf("%q listed out of order", title)
			}
			at = i
		}
		// The heading that became the title keeps its anchor.
		mustContain(t, read(t, "runbooks/disk-full"), `id="disk-almost-full"`)
	})

	t.Run("images next to the pages", func(t *testing.T) {
		img := regexp.MustCompile(`<img src="([^"]*)"`)
		for _, p := range []string{"runbooks/disk-full", "runbooks/kubernetes/kubepodcrashlooping"} {
			page := read(t, p)
			srcs := img.FindAllStringSubmatch(page, -1)
			if len(srcs) != 1 {
				t.Fatalf("%s: %d images, want 1", p, len(srcs))
			}
			src := resolve(t, p, srcs[0][1])
			if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(src))); err != nil {
				t.Errorf("%s: image %q → %s is not in the site: %v", p, srcs[0][1], src, err)
			}
		}
		mustContain(t, read(t, "runbooks/disk-full"), `alt="Disk usage by volume" title="Usage"`)
	})

	t.Run("links", func(t *testing.T) {
		page := read(t, "runbooks/disk-full")
		mustContain(t, page, `href="/kb/runbooks/kubernetes/kubepodcrashlooping/"`)
		// A script is not published: the link leads to the repository.
		mustContain(t, page, `href="https://github.com/example/runbooks/blob/main/runbooks/scripts/free-space.sh#L3" rel="noopener"`)
		// An asset is, beside the page's file.
		m := regexp.MustCompile(`<a href="([^"]*)">capacity plan</a>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no link to the capacity plan")
		}
		if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(resolve(t, "runbooks/disk-full", m[1])))); err != nil {
			t.Errorf("link %q: %v", m[1], err)
		}
	})

	t.Run("Hugo front matter", func(t *testing.T) {
		mustContain(t, read(t, "old/node-not-ready"), `/kb/runbooks/kubernetes/kubenodenotready/`)
	})

	t.Run("documents by id", func(t *testing.T) {
		// The postmortem names the runbook by its id, which is its file
		// name in a group folder.
		page := read(t, "reviews/2026-11-03-crash-loop")
		want := `<a href="/kb/runbooks/kubernetes/kubepodcrashlooping/">Pod is crash looping</a>`
		if !strings.Contains(page, want) {
			t.Errorf("the postmortem does not link the runbook it names: want %s", want)
		}
	})

	t.Run("files that are not documents", func(t *testing.T) {
		err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch ext := path.Ext(d.Name()); {
			case d.Name() == "OWNERS", d.Name() == "README", ext == ".sh", ext == ".yaml", ext == ".md":
				t.Errorf("published %s", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// resolve returns the file of the site, relative to its root, that a URL
// on the page at the site path p leads to.
func resolve(t *testing.T, p, ref string) string {
	t.Helper()
	base, err := url.Parse(foreignBase + p + "/")
	if err != nil {
		t.Fatal(err)
	}
	u, err := base.Parse(ref)
	if err != nil {
		t.Fatal(err)
	}
	root, _ := url.Parse(foreignBase)
	if u.Host != root.Host || !strings.HasPrefix(u.Path, root.Path) {
		t.Fatalf("%q leads off the site", ref)
	}
	return strings.TrimPrefix(u.Path, root.Path)
}
