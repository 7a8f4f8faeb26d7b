package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// ruleUnreadable reports files that could not be read at all.
const ruleUnreadable = "unreadable"

// Repository is every document of a knowledge repository, loaded once
// and shared by all rules.
type Repository struct {
	// Root is the repository folder on disk.
	Root   string
	Config *config.Config
	// ConfigDoc is opsqa.yaml as a document, for positions; nil when the
	// repository has none.
	ConfigDoc *document.Document
	// Docs are the Markdown documents, in path order.
	Docs []*document.Document
	// Files are the paths of every file looked at, documents or not.
	Files []string
	// ByID maps a document id to the documents claiming it.
	ByID map[string][]*document.Document
	// ByPath maps a slash-separated path to its document.
	ByPath map[string]*document.Document
	// loadFindings are problems met while loading: unreadable files,
	// broken front matter. The parse rules report them.
	loadFindings []diag.Diagnostic
}

// Load reads opsqa.yaml and every Markdown file under the collections'
// top folders. Unreadable or malformed files become findings; only an
// unreadable root is an error.
func Load(root string) (*Repository, error) {
	if _, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	repo := &Repository{Root: root, ByID: map[string][]*document.Document{}, ByPath: map[string]*document.Document{}}
	repo.loadConfig()
	var files []walkedFile
	for _, top := range repo.topFolders() {
		files = append(files, repo.walk(top)...)
	}
	docs := make([]*document.Document, len(files))
	found := make([][]diag.Diagnostic, len(files))
	parallel(len(files), func(i int) {
		docs[i], found[i] = repo.loadFile(files[i])
	})
	for i := range files {
		if docs[i] != nil {
			repo.Docs = append(repo.Docs, docs[i])
		}
		repo.loadFindings = append(repo.loadFindings, found[i]...)
	}
	slices.SortFunc(repo.Docs, func(a, b *document.Document) int { return strings.Compare(a.Path, b.Path) })
	for _, d := range repo.Docs {
		repo.ByPath[d.Path] = d
		if id := d.ID(); id != "" {
			repo.ByID[id] = append(repo.ByID[id], d)
		}
	}
	return repo, nil
}

func (r *Repository) loadConfig() {
	r.Config = config.Default()
	src, err := os.ReadFile(filepath.Join(r.Root, config.FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	r.Files = append(r.Files, config.FileName)
	if err != nil {
		r.loadFindings = append(r.loadFindings, unreadable(config.FileName, err))
		return
	}
	doc, ds := document.ParseYAML(config.FileName, src)
	r.loadFindings = append(r.loadFindings, ds...)
	r.ConfigDoc = doc
	if cfg, _ := config.Parse(src); cfg != nil {
		r.Config = cfg
	}
	// A config that does not decode keeps the defaults; the schema rule
	// says what is wrong with it, with positions.
}

// topFolders are the first path segments of the collections: content,
// processes, training. Files there outside any collection (a section's
// _index.md) are loaded too, so their links are checked.
func (r *Repository) topFolders() []string {
	var tops []string
	for _, c := range r.Config.Collections {
		top, _, _ := strings.Cut(path.Clean(c.Path), "/")
		if !slices.Contains(tops, top) {
			tops = append(tops, top)
		}
	}
	return tops
}

// walkedFile is a Markdown file found by the walk, to be parsed.
type walkedFile struct{ path, rel string }

func (r *Repository) walk(top string) []walkedFile {
	var files []walkedFile
	dir := filepath.Join(r.Root, filepath.FromSlash(top))
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		rel := r.rel(p)
		if err != nil {
			r.loadFindings = append(r.loadFindings, unreadable(rel, err))
			if e != nil && e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if r.ignored(rel) {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			if strings.HasPrefix(e.Name(), ".") && p != dir {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.EqualFold(filepath.Ext(p), ".md") {
			return nil
		}
		r.Files = append(r.Files, rel)
		files = append(files, walkedFile{p, rel})
		return nil
	})
	return files
}

// loadFile reads and parses one Markdown file. Symbolic links to files
// are followed (os.ReadFile does); WalkDir never descends into linked
// folders, so a link loop cannot trap the walk, and a looping file link
// fails to read with a finding. It runs in parallel with other files, so
// it only reads the repository. The Markdown body is parsed later, on
// first use: linting one file parses the bodies of that file and the
// files it links to, not of the whole repository.
func (r *Repository) loadFile(f walkedFile) (*document.Document, []diag.Diagnostic) {
	info, err := os.Stat(f.path)
	if err != nil {
		return nil, []diag.Diagnostic{unreadable(f.rel, err)}
	}
	if info.IsDir() {
		return nil, nil
	}
	if info.Size() > document.MaxSize {
		// Refuse before reading: a 50 MB file is never a document.
		return nil, []diag.Diagnostic{{Pos: diag.Position{File: f.rel}, Severity: diag.Error,
			Rule: document.RuleEncoding, Message: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit for a document", info.Size(), document.MaxSize),
			Fix: "split the document, or move data out of it"}}
	}
	src, err := os.ReadFile(f.path)
	if err != nil {
		return nil, []diag.Diagnostic{unreadable(f.rel, err)}
	}
	doc, ds := document.Parse(f.rel, src)
	if doc == nil {
		return nil, ds
	}
	doc.Kind = r.Config.KindOf(f.rel)
	if t := doc.String("type"); t != "" {
		doc.Kind = t
	}
	base := path.Base(f.rel)
	if base == "_index.md" || strings.EqualFold(base, "README.md") {
		doc.Kind = ""
	}
	return doc, ds
}

func (r *Repository) rel(p string) string {
	rel, err := filepath.Rel(r.Root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

func (r *Repository) ignored(rel string) bool {
	for _, g := range r.Config.Lint.Ignore {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
	}
	return false
}

func unreadable(rel string, err error) diag.Diagnostic {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return diag.Diagnostic{Pos: diag.Position{File: rel}, Severity: diag.Error, Rule: ruleUnreadable,
		Message: fmt.Sprintf("cannot read: %v", err), Fix: "check the file's permissions and, for a link, its target"}
}

// Doc returns the single document with id, or nil when there is none or
// more than one.
func (r *Repository) Doc(id string) *document.Document {
	if ds := r.ByID[id]; len(ds) == 1 {
		return ds[0]
	}
	return nil
}

// OfKind returns the documents of a kind, in path order.
func (r *Repository) OfKind(kind string) []*document.Document {
	var out []*document.Document
	for _, d := range r.Docs {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}
