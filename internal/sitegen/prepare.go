package sitegen

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/safefile"
	"github.com/opsqa/opsqa/internal/scorecard"
	"github.com/opsqa/opsqa/site"
)

// generatedConfig is the name of the configuration file opsqa writes next
// to the embedded hugo.toml.
const generatedConfig = "opsqa.json"

// mount maps a folder of the repository (Source, slash-separated and
// relative to the root; "" is the root) to a folder of Hugo's content
// (Target, "" is the content root).
type mount struct {
	Source string `json:"source"`
	Target string `json:"target"`
}

// assetTypes are the extensions of the files in the document folders
// that the site publishes: what a page shows or offers for download
// (images, diagrams, PDFs). The rest of what lives there (OWNERS, README,
// scripts, alert rules, other YAML) is the repository's, not the site's:
// the link hook sends links to it to the repository.
var assetTypes = []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".pdf"}

// mountFiles are the patterns of a mount that takes the files with these
// extensions at any depth. Hugo enters a folder only when a pattern's
// folder part matches it, so "**.md" alone would skip every subfolder;
// "/**/*.md" takes them and "/*.md" the files at the top.
func mountFiles(exts ...string) []string {
	names := make([]string, len(exts))
	for i, ext := range exts {
		names[i] = strings.TrimPrefix(ext, ".")
	}
	alt := "{" + strings.Join(names, ",") + "}"
	return []string{"/*." + alt, "/**/*." + alt}
}

// contentMounts decides where each collection appears on the site. The
// repository's content/ folder is the site's content root; any other
// collection folder keeps its path, so processes/ becomes /processes/ and
// training/quizzes/ becomes /training/quizzes/. The list is ordered longest
// source first, the order in which the link hook must try them.
func contentMounts(repo string, cfg *config.Config) []mount {
	var ms []mount
	if isRepoDir(repo, "content") {
		ms = append(ms, mount{Source: "content", Target: ""})
	}
	for _, c := range cfg.Collections {
		if filepath.IsAbs(c.Path) || path.IsAbs(c.Path) {
			continue // outside the repository: never published
		}
		p := path.Clean(strings.Trim(c.Path, "/"))
		if p == "content" || strings.HasPrefix(p, "content/") || !isRepoDir(repo, p) {
			continue
		}
		if slices.ContainsFunc(ms, func(m mount) bool { return m.Source == p }) {
			continue
		}
		ms = append(ms, mount{Source: p, Target: p})
	}
	slices.SortStableFunc(ms, func(a, b mount) int { return cmp.Compare(len(b.Source), len(a.Source)) })
	return ms
}

// sitePath maps a slash-separated repository path to the content path Hugo
// knows the file by ("/runbooks/disk-full"), or "" when no mount holds it.
func sitePath(ms []mount, rel string) string {
	for _, m := range ms {
		if m.Source != "" && !strings.HasPrefix(rel, m.Source+"/") {
			continue
		}
		inner := strings.TrimPrefix(rel, m.Source+"/")
		p := path.Join("/", m.Target, strings.TrimSuffix(inner, path.Ext(inner)))
		return strings.TrimSuffix(p, "/_index")
	}
	return ""
}

// kindSections maps each kind to the site section of its first
// collection.
func kindSections(ms []mount, cfg *config.Config) map[string]string {
	out := map[string]string{}
	for _, c := range cfg.Collections {
		if _, ok := out[c.Kind]; ok {
			continue
		}
		if p := sitePath(ms, path.Clean(strings.Trim(c.Path, "/"))+"/_index.md"); p != "" {
			out[c.Kind] = p
		}
	}
	return out
}

// trainingSection is the site section that shows the training records
// (a page typed "training"): the training/ folder that holds the training
// collections, as in the starter; else, when there are curricula to
// report on, one made for them (made), at /training unless a collection
// is published there.
func trainingSection(ms []mount, o *Options) (p string, made bool) {
	kinds := mapValues(kindSections(ms, o.Config))
	for _, k := range kinds {
		if strings.HasPrefix(k, "/training/") && !slices.Contains(kinds, "/training") {
			return "/training", false
		}
	}
	if o.Training == nil || len(o.Training.Curricula) == 0 {
		return "", false
	}
	if slices.Contains(kinds, "/training") {
		return "/training-records", true
	}
	return "/training", true
}

// prepare fills work with the Hugo project: the embedded files, the
// generated configuration, section pages for the collections, the data
// files and the scorecard badges.
func prepare(work string, o *Options) error {
	if err := extract(site.FS, work); err != nil {
		return err
	}
	ms := contentMounts(o.RepoDir, o.Config)
	if err := writeSections(filepath.Join(work, "content-gen"), ms, o.Config); err != nil {
		return err
	}
	if p, made := trainingSection(ms, o); made {
		fm := fmt.Sprintf("---\ntitle: %q\ntype: training\n---\n", "Training")
		if err := writeFile(filepath.Join(work, "content-gen", filepath.FromSlash(p), "_index.md"), []byte(fm)); err != nil {
			return err
		}
	}
	if err := writeJSON(filepath.Join(work, generatedConfig), hugoConfig(work, ms, o)); err != nil {
		return err
	}
	data, err := siteData(ms, o)
	if err != nil {
		return err
	}
	for name, v := range data {
		if err := writeJSON(filepath.Join(work, "data", "opsqa", name+".json"), v); err != nil {
			return err
		}
	}
	if o.Scorecards != nil {
		badges := filepath.Join(work, "static", "badges")
		for _, c := range o.Scorecards.Services {
			p, err := badgePath(badges, c.ID)
			if err != nil {
				return err
			}
			if err := writeFile(p, scorecard.Badge(c, o.Scorecards.Levels)); err != nil {
				return err
			}
		}
	}
	return nil
}

// badgePath is where the badge of the service id goes in the folder
// dir. The configuration check refuses such ids before any build; this
// refuses them again where the id becomes a path, so that no caller can
// make the site write outside its folder.
func badgePath(dir, id string) (string, error) {
	p := filepath.Join(dir, id+".svg")
	if !config.SafeID(id) || filepath.Dir(p) != filepath.Clean(dir) {
		return "", fmt.Errorf("badge of service %q: the id is not a slug, so it cannot name a file", id)
	}
	return p, nil
}

// extract copies the embedded Hugo project to dir.
func extract(fsys fs.FS, dir string) error {
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, filepath.FromSlash(p)), 0o755)
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, filepath.FromSlash(p)), b, 0o644)
	})
	if err != nil {
		return fmt.Errorf("extract site: %w", err)
	}
	return nil
}

// writeSections writes a section page for every collection folder and the
// folders above it, so that nested collections such as training/quizzes
// get list pages. A section page in the repository itself wins: its mount
// comes first.
func writeSections(dir string, ms []mount, cfg *config.Config) error {
	done := map[string]bool{}
	for _, c := range cfg.Collections {
		p := sitePath(ms, path.Clean(strings.Trim(c.Path, "/"))+"/_index.md")
		for p != "/" && p != "" && !done[p] {
			done[p] = true
			name := path.Base(p)
			fm := fmt.Sprintf("---\ntitle: %q\n---\n", strings.ToUpper(name[:1])+name[1:])
			if err := writeFile(filepath.Join(dir, filepath.FromSlash(p), "_index.md"), []byte(fm)); err != nil {
				return err
			}
			p = path.Dir(p)
		}
	}
	return nil
}

// hugoConfig is the part of the configuration that depends on the
// repository and the run.
func hugoConfig(work string, ms []mount, o *Options) map[string]any {
	cfg := o.Config
	lang := strings.ToLower(cmp.Or(cfg.Site.Language, "en"))
	// Hugo takes the Markdown of a document folder as content and the
	// assets beside it as static files, published as they are at the
	// same place; nothing else there is published. Mounting a component
	// drops its default folder, so the project's own are mounted too.
	mounts := []map[string]any{{"source": filepath.Join(work, "content"), "target": "content"}}
	statics := []map[string]any{{"source": filepath.Join(work, "static"), "target": "static"}}
	for _, m := range ms {
		src := filepath.Join(o.RepoDir, filepath.FromSlash(m.Source))
		// Exclusions first: Hugo takes a file by the first pattern it matches.
		skip := unpublished(src)
		mounts = append(mounts, map[string]any{"source": src, "target": path.Join("content", m.Target), "files": slices.Concat(skip, mountFiles(".md"))})
		statics = append(statics, map[string]any{"source": src, "target": path.Join("static", m.Target), "files": slices.Concat(skip, mountFiles(assetTypes...))})
	}
	mounts = append(mounts, map[string]any{"source": filepath.Join(work, "content-gen"), "target": "content"})
	mounts = append(mounts, statics...)

	sections := kindSections(ms, cfg)
	var cascade []map[string]any
	for _, c := range cfg.Collections {
		p := sections[c.Kind]
		if p == "" || sitePath(ms, path.Clean(strings.Trim(c.Path, "/"))+"/_index.md") != p {
			continue
		}
		cascade = append(cascade, map[string]any{"type": c.Kind, "target": map[string]any{"path": "{" + p + "," + p + "/**}"}})
	}
	var nav []map[string]string
	seen := map[string]bool{}
	for _, c := range cfg.Collections {
		p := sections[c.Kind]
		if p == "" {
			continue
		}
		top := "/" + strings.SplitN(strings.TrimPrefix(p, "/"), "/", 2)[0]
		if !seen[top] {
			seen[top] = true
			nav = append(nav, map[string]string{"path": top})
		}
	}
	// Folders that hold collections without being one (training/) are
	// typed by name, so their title comes from the site's strings.
	kinds := mapValues(sections)
	for _, n := range nav {
		if p := n["path"]; seen[p] && !slices.Contains(kinds, p) {
			cascade = append(cascade, map[string]any{"type": path.Base(p), "target": map[string]any{"path": p}})
		}
	}
	if p, made := trainingSection(ms, o); made {
		nav = append(nav, map[string]string{"path": p})
	}
	nav = append(nav, map[string]string{"path": "/incidents"}, map[string]string{"path": "/scorecards"}, map[string]string{"path": "/search"})

	teams, services, roles := map[string]string{}, map[string]string{}, map[string]string{}
	for _, t := range cfg.Teams {
		teams[t.ID] = cmp.Or(t.Name, t.ID)
	}
	for _, s := range cfg.Services {
		services[s.ID] = cmp.Or(s.Name, s.ID)
	}
	for _, r := range cfg.Roles {
		roles[r.ID] = cmp.Or(r.Name, r.ID)
	}
	var linkMounts []mount
	for _, m := range ms {
		linkMounts = append(linkMounts, mount{Source: m.Source, Target: m.Target})
	}
	return map[string]any{
		"baseURL":                cmp.Or(o.BaseURL, cfg.Site.BaseURL, "/"),
		"title":                  cmp.Or(cfg.Site.Title, cfg.Organisation, "Operations knowledge base"),
		"locale":                 lang,
		"defaultContentLanguage": lang,
		"module":                 map[string]any{"mounts": mounts},
		"cascade":                cascade,
		"params": map[string]any{"opsqa": map[string]any{
			"repo_dir": filepath.ToSlash(o.RepoDir),
			"mounts":   linkMounts,
			"sections": sections,
			"nav":      nav,
			"teams":    teams,
			"services": services,
			"roles":    roles,
			"assets":   assetTypes,
		}},
	}
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// isRepoDir reports whether rel, slash-separated, is a folder of the
// repository that stays inside it once its links are followed: Hugo
// follows a link at a mount's root, so a collection folder linked to
// /home or another checkout would be published whole.
func isRepoDir(repo, rel string) bool {
	real, ok := safefile.Resolve(repo, rel)
	return ok && isDir(real)
}

// unpublished are the files of the folder dir (a mount's source) Hugo
// must not open, as exclusion patterns of a mount's files: what is
// neither a folder nor a regular file. A named pipe would block the
// build for ever, a device never end; lint reports each of them
// (file-type). Hugo leaves symbolic links out of mounts itself; they are
// excluded here too, so that no version of it can follow one out of the
// repository. The listing's types need no system call per file.
func unpublished(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type().IsRegular() {
			return nil
		}
		if rel, err := filepath.Rel(dir, p); err == nil {
			out = append(out, "! /"+globEscape(filepath.ToSlash(rel)))
		}
		return nil
	})
	return out
}

// globEscape quotes the characters Hugo's file patterns give a meaning.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]{}\,!`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func writeJSON(p string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", filepath.Base(p), err)
	}
	return writeFile(p, b)
}

func writeFile(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	return nil
}
