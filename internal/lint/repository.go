package lint

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// ruleUnreadable reports files that could not be read at all.
const ruleUnreadable = "unreadable"

// Repository is every document of a knowledge repository, shared by all
// rules. Documents are parsed on first use and then kept: a full run
// parses everything up front on every CPU, while linting a few files
// parses those files and only what their rules look at (a link's target,
// a referenced module), which keeps a pre-commit run short.
type Repository struct {
	// Root is the repository folder on disk.
	Root   string
	Config *config.Config
	// ConfigDoc is opsqa.yaml as a document, for positions; nil when the
	// repository has none.
	ConfigDoc *document.Document
	// Files are the paths of every file looked at, documents or not.
	Files []string

	entries []*entry // every Markdown file, in path order
	byPath  map[string]*entry
	byBase  map[string][]*entry // by file name without .md: ids follow file names
	// byID indexes every document by id once all are parsed; until then
	// ByID looks at the files named after the id and what is parsed.
	byIDOnce sync.Once
	byID     map[string][]*document.Document
	// walkFindings are problems met while walking: unreadable folders,
	// the configuration file.
	walkFindings []diag.Diagnostic
	// ruleFiles are the Prometheus rule files of alert_rules, found by
	// Load and read on first use: the alerts rule, the coverage and the
	// suppressions in them all need them.
	ruleFilesOnce sync.Once
	ruleFiles     ruleFileSet
}

// entry is one Markdown file, parsed on first use.
type entry struct {
	file     walkedFile
	kind     string // the kind of its collection, before any type: key
	once     sync.Once
	parsed   atomic.Bool // set once doc and findings are written
	doc      *document.Document
	findings []diag.Diagnostic
	// suppressions are the document's suppression comments, found while
	// it is parsed, on every CPU, rather than later on one.
	suppressions []suppression
}

// Load finds opsqa.yaml, the alert rule files it names and every Markdown
// file under the collections' top folders; it parses none of them yet. Unreadable or
// malformed files become findings; only an unreadable root is an error.
func Load(root string) (*Repository, error) {
	if _, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	repo := &Repository{Root: root, byPath: map[string]*entry{}, byBase: map[string][]*entry{}}
	repo.loadConfig()
	repo.globRuleFiles()
	for _, top := range repo.topFolders() {
		for _, f := range repo.walk(top) {
			e := &entry{file: f, kind: repo.Config.KindOf(f.rel)}
			repo.entries = append(repo.entries, e)
		}
	}
	slices.SortFunc(repo.entries, func(a, b *entry) int { return strings.Compare(a.file.rel, b.file.rel) })
	for _, e := range repo.entries {
		repo.byPath[e.file.rel] = e
		base := strings.TrimSuffix(path.Base(e.file.rel), path.Ext(e.file.rel))
		repo.byBase[base] = append(repo.byBase[base], e)
	}
	return repo, nil
}

// document parses the entry's file once; nil when it is not a document
// (unreadable, binary, too large).
func (r *Repository) document(e *entry) *document.Document {
	e.once.Do(func() {
		e.doc, e.findings = r.loadFile(e.file)
		if e.doc != nil {
			e.suppressions = docSuppressions(e.doc)
		}
		e.parsed.Store(true)
	})
	return e.doc
}

// parse parses the entries on every CPU.
func (r *Repository) parse(es []*entry) {
	parallel(len(es), func(i int) { r.document(es[i]) })
}

// Docs returns every document, in path order, parsing all that are not
// parsed yet.
func (r *Repository) Docs() []*document.Document {
	r.parse(r.entries)
	r.byIDOnce.Do(func() {
		r.byID = map[string][]*document.Document{}
		for _, d := range r.docsOf(r.entries) {
			if id := d.ID(); id != "" {
				r.byID[id] = append(r.byID[id], d)
			}
		}
	})
	return r.docsOf(r.entries)
}

func (r *Repository) docsOf(es []*entry) []*document.Document {
	var out []*document.Document
	for _, e := range es {
		if d := r.document(e); d != nil {
			out = append(out, d)
		}
	}
	return out
}

// selected parses and returns the documents under paths (all when paths
// is empty).
func (r *Repository) selected(paths []string) []*document.Document {
	if len(paths) == 0 {
		return r.Docs()
	}
	var es []*entry
	for _, e := range r.entries {
		if inPaths(e.file.rel, paths) {
			es = append(es, e)
		}
	}
	r.parse(es)
	return r.docsOf(es)
}

// parsed returns the documents parsed so far, in path order.
func (r *Repository) parsed() []*document.Document {
	var out []*document.Document
	for _, e := range r.entries {
		if e.parsed.Load() && e.doc != nil {
			out = append(out, e.doc)
		}
	}
	return out
}

// loadFindings are the problems met while reading the files parsed so far.
func (r *Repository) loadFindings() []diag.Diagnostic {
	out := slices.Clone(r.walkFindings)
	for _, e := range r.entries {
		if e.parsed.Load() {
			out = append(out, e.findings...)
		}
	}
	return out
}

// ByPath returns the document at a slash-separated path, or nil.
func (r *Repository) ByPath(p string) *document.Document {
	if e := r.byPath[p]; e != nil {
		return r.document(e)
	}
	return nil
}

// ByID returns the documents claiming id. Ids equal file names (the
// unique-id rule sees to it), so the files of that name are parsed first;
// a document whose id differs from its file name is found among the
// documents parsed so far, and in a full run that is all of them.
func (r *Repository) ByID(id string) []*document.Document {
	if r.byID != nil {
		return r.byID[id]
	}
	var out []*document.Document
	for _, e := range r.byBase[id] {
		if d := r.document(e); d != nil && d.ID() == id {
			out = append(out, d)
		}
	}
	for _, d := range r.parsed() {
		if d.ID() == id && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b *document.Document) int { return strings.Compare(a.Path, b.Path) })
	return out
}

func (r *Repository) loadConfig() {
	r.Config = config.Default()
	src, err := os.ReadFile(filepath.Join(r.Root, config.FileName))
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	r.Files = append(r.Files, config.FileName)
	if err != nil {
		r.walkFindings = append(r.walkFindings, unreadable(config.FileName, err))
		return
	}
	doc, ds := document.ParseYAML(config.FileName, src)
	r.walkFindings = append(r.walkFindings, ds...)
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
			r.walkFindings = append(r.walkFindings, unreadable(rel, err))
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
	src, size, err := readSource(f.path)
	switch {
	case err != nil:
		return nil, []diag.Diagnostic{unreadable(f.rel, err)}
	case size < 0:
		return nil, nil // a folder named *.md
	case size > document.MaxSize:
		return nil, []diag.Diagnostic{{Pos: diag.Position{File: f.rel}, Severity: diag.Error,
			Rule: document.RuleEncoding, Message: fmt.Sprintf("file is %d bytes, larger than the %d-byte limit for a document", size, document.MaxSize),
			Fix: "split the document, or move data out of it"}}
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

// readSource reads the file at p with one open, one stat of the open file
// and one read: system calls are most of what reading thousands of small
// files costs. It refuses, before reading, a file larger than the limit
// for a document (a 50 MB file is never one), returning its size and no
// content; a folder has size -1.
func readSource(p string) (src []byte, size int64, err error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return nil, 0, err
	case info.IsDir():
		return nil, -1, nil
	case info.Size() > document.MaxSize:
		return nil, info.Size(), nil
	}
	src = make([]byte, info.Size())
	n, err := io.ReadFull(f, src)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = nil // shorter than when it was opened: what is there
	}
	return src[:n], int64(n), err
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

// Holds reports whether the slash-separated path is, or is a folder of,
// a file the repository looked at.
func (r *Repository) Holds(p string) bool {
	for _, f := range r.Files {
		if inPaths(f, []string{p}) {
			return true
		}
	}
	return false
}

// Doc returns the single document with id, or nil when there is none or
// more than one.
func (r *Repository) Doc(id string) *document.Document {
	if ds := r.ByID(id); len(ds) == 1 {
		return ds[0]
	}
	return nil
}

// OfKind returns the documents of a kind, in path order: those of its
// collections, and any parsed so far that state it with type:.
func (r *Repository) OfKind(kind string) []*document.Document {
	var es []*entry
	for _, e := range r.entries {
		if e.kind == kind {
			es = append(es, e)
		}
	}
	r.parse(es)
	var out []*document.Document
	for _, d := range r.parsed() {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}
