// Package repository is the model of a knowledge repository that every
// reader shares: its configuration, the files opsqa looks at, and its
// documents, each parsed once, on first use, with its kind decided in one
// place. Lint, the alert coverage, the KPIs' postmortems, the scorecards
// and the site read documents through it.
//
// Lookups are deterministic: ByID and OfKind give the same answer whatever
// was parsed before, because they parse every file that could hold the
// answer. A full run parses everything up front on every CPU; linting a
// few files parses those and only what their rules look at, which keeps a
// pre-commit run short.
package repository

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/safefile"
	"github.com/opsqa/opsqa/internal/suppress"
)

// The rules of the findings the walk makes.
const (
	// RuleUnreadable is the rule of the findings about files that could
	// not be read at all.
	RuleUnreadable = "unreadable"
	// RuleFileType is the rule of the findings about files that are not
	// regular files (named pipes, devices, sockets): never opened.
	RuleFileType = "file-type"
	// RuleOutsideLink is the rule of the findings about symbolic links
	// that lead outside the repository: never followed.
	RuleOutsideLink = "outside-link"
)

// Repository is every document of a knowledge repository.
type Repository struct {
	// Root is the repository folder on disk.
	Root string
	// realRoot is Root, absolute and without symbolic links: what a
	// link's target must lie in.
	realRoot string
	Config   *config.Config
	// ConfigDoc is opsqa.yaml as a document, for positions; nil when the
	// repository has none.
	ConfigDoc *document.Document
	// Files are the paths of every file looked at, documents or not:
	// opsqa.yaml, the Markdown files and the alert rule files.
	Files []string

	entries []*entry // every Markdown file, in path order
	byPath  map[string]*entry
	byBase  map[string][]*entry // by file name without .md: ids follow file names
	// walkFindings are problems met while walking: unreadable folders,
	// the configuration file.
	walkFindings []diag.Diagnostic
	// ruleFiles are the Prometheus rule files of alert_rules, found by
	// Load and parsed on first use.
	ruleFilesOnce sync.Once
	ruleFiles     RuleFiles
	// held are Files and every folder above them, for Holds.
	holdsOnce sync.Once
	held      map[string]struct{}
}

// entry is one Markdown file, parsed on first use.
type entry struct {
	file walkedFile
	// kind is the kind of its collection, "" outside every collection.
	kind     string
	once     sync.Once
	parsed   atomic.Bool // set once doc and findings are written
	doc      *document.Document
	findings []diag.Diagnostic
	// suppressions are found while the document is parsed, on every CPU,
	// rather than later on one.
	suppressions []suppress.Suppression
}

// Load finds opsqa.yaml, the alert rule files it names and every Markdown
// file under the collections' top folders; it parses none of them yet.
// Unreadable or malformed files become findings; only an unreadable root
// is an error.
func Load(root string) (*Repository, error) {
	return load(root, nil)
}

// LoadWith is Load with cfg in place of the repository's opsqa.yaml: the
// repository as a proposed configuration would see it.
func LoadWith(root string, cfg *config.Config) (*Repository, error) {
	return load(root, cfg)
}

func load(root string, cfg *config.Config) (*Repository, error) {
	if _, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	repo := &Repository{Root: root, byPath: map[string]*entry{}, byBase: map[string][]*entry{}}
	abs, err := filepath.Abs(root)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	repo.realRoot = abs
	if cfg != nil {
		repo.Config = cfg
	} else {
		repo.loadConfig()
	}
	repo.globRuleFiles()
	for _, top := range repo.topFolders() {
		for _, f := range repo.walk(top) {
			repo.entries = append(repo.entries, &entry{file: f, kind: repo.Config.KindOf(f.rel)})
		}
	}
	slices.SortFunc(repo.entries, func(a, b *entry) int { return strings.Compare(a.file.rel, b.file.rel) })
	for _, e := range repo.entries {
		repo.byPath[e.file.rel] = e
		repo.byBase[stem(e.file.rel)] = append(repo.byBase[stem(e.file.rel)], e)
	}
	return repo, nil
}

// stem is a path's file name without its extension: the id a document
// must have.
func stem(p string) string {
	base := path.Base(p)
	return strings.TrimSuffix(base, path.Ext(base))
}

// document parses the entry's file once; nil when it is not a document
// (unreadable, binary, too large).
func (r *Repository) document(e *entry) *document.Document {
	e.once.Do(func() {
		e.doc, e.findings = r.loadFile(e)
		if e.doc != nil {
			e.suppressions = suppress.Find(e.doc)
		}
		e.parsed.Store(true)
	})
	return e.doc
}

// parse parses the entries on every CPU and returns their documents, in
// the entries' order. A lookup of one file (a link's target) parses it
// in the caller's goroutine.
func (r *Repository) parse(es []*entry) []*document.Document {
	if len(es) > 1 {
		Parallel(len(es), func(i int) { r.document(es[i]) })
	}
	var out []*document.Document
	for _, e := range es {
		if d := r.document(e); d != nil {
			out = append(out, d)
		}
	}
	return out
}

// Parallel calls f(0) … f(n-1) on one worker per CPU, each taking the
// next index: thousands of documents cost as many goroutines as there
// are CPUs, not one each.
func Parallel(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				f(i)
			}
		})
	}
	wg.Wait()
}

// DocumentFiles is the number of Markdown files in the collections,
// parsed or not.
func (r *Repository) DocumentFiles() int { return len(r.entries) }

// Docs returns every document, in path order, parsing all that are not
// parsed yet.
func (r *Repository) Docs() []*document.Document { return r.parse(r.entries) }

// Select parses and returns the documents under paths (slash-separated,
// relative to the root), or every document when paths is empty.
func (r *Repository) Select(paths []string) []*document.Document {
	if len(paths) == 0 {
		return r.Docs()
	}
	var es []*entry
	set := NewPathSet(paths)
	for _, e := range r.entries {
		if set.Holds(e.file.rel) {
			es = append(es, e)
		}
	}
	return r.parse(es)
}

// ByPath returns the document at a slash-separated path, or nil.
func (r *Repository) ByPath(p string) *document.Document {
	if e := r.byPath[p]; e != nil {
		return r.document(e)
	}
	return nil
}

// ByID returns the documents with id, in path order. A document is found
// by id through its file name, which its id must equal (the unique-id
// rule reports one that differs): so the answer never depends on what
// was parsed before.
func (r *Repository) ByID(id string) []*document.Document {
	var out []*document.Document
	for _, d := range r.parse(r.byBase[id]) {
		if d.ID() == id {
			out = append(out, d)
		}
	}
	return out
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
// collections, and those outside every collection that state it with
// type: (inside a collection, the collection decides; see KindOf).
func (r *Repository) OfKind(kind string) []*document.Document {
	var es []*entry
	for _, e := range r.entries {
		if e.kind == kind || e.kind == "" {
			es = append(es, e)
		}
	}
	var out []*document.Document
	for _, d := range r.parse(es) {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	return out
}

// KindOf is the one rule for a document's kind: the kind of the
// collection its path lies in; outside every collection, the kind its
// type: states. A folder's index page (_index.md, README.md) has no kind.
// Inside a collection a type: that disagrees does not change the kind:
// the schema rule reports it, so that the folder alone tells a reader
// what a file is.
func KindOf(cfg *config.Config, rel, typ string) string {
	if base := path.Base(rel); base == "_index.md" || strings.EqualFold(base, "README.md") {
		return ""
	}
	if k := cfg.KindOf(rel); k != "" {
		return k
	}
	return typ
}

// LoadFindings are the problems met while reading the files parsed so
// far: every selected file, and what the rules looked at.
func (r *Repository) LoadFindings() []diag.Diagnostic {
	out := slices.Clone(r.walkFindings)
	for _, e := range r.entries {
		if e.parsed.Load() {
			out = append(out, e.findings...)
		}
	}
	return out
}

// Suppressions returns the suppression comments of the documents parsed
// so far, of opsqa.yaml and of the alert rule files.
func (r *Repository) Suppressions() []suppress.Suppression {
	var out []suppress.Suppression
	for _, e := range r.entries {
		if e.parsed.Load() {
			out = append(out, e.suppressions...)
		}
	}
	if r.ConfigDoc != nil {
		out = append(out, suppress.Find(r.ConfigDoc)...)
	}
	return append(out, r.RuleFiles().Suppressions...)
}

// Holds reports whether the slash-separated path is, or is a folder of,
// a file the repository looked at. The files and their folders are
// indexed on first use: a pre-commit run asks this of every file it
// names, thousands of them.
func (r *Repository) Holds(p string) bool {
	r.holdsOnce.Do(func() {
		r.held = map[string]struct{}{}
		for _, f := range r.Files {
			for q := f; q != "" && q != "."; q = path.Dir(q) {
				if _, ok := r.held[q]; ok {
					break
				}
				r.held[q] = struct{}{}
			}
		}
	})
	p = strings.TrimSuffix(p, "/")
	if p == "." {
		return len(r.Files) > 0
	}
	_, ok := r.held[p]
	return ok
}

// InPaths reports whether file is one of paths or lies under one of them;
// every file is when paths is empty. For many files against many paths,
// use a PathSet.
func InPaths(file string, paths []string) bool {
	if len(paths) == 0 {
		return true
	}
	for _, p := range paths {
		if under(file, strings.TrimSuffix(p, "/")) {
			return true
		}
	}
	return false
}

func under(file, p string) bool {
	return p == "." || file == p || len(file) > len(p) && file[len(p)] == '/' && strings.HasPrefix(file, p)
}

// PathSet is a set of slash-separated files and folders, relative to the
// root, asked whether a file is one of them or lies under one: in the
// time of the file's depth, whatever the number of paths. A lint of
// 10,000 files named one by one compared each with each before.
type PathSet struct {
	all bool // no paths, or "."
	set map[string]struct{}
}

// NewPathSet returns the set of paths; every file is in the set of none.
func NewPathSet(paths []string) *PathSet {
	s := &PathSet{all: len(paths) == 0, set: make(map[string]struct{}, len(paths))}
	for _, p := range paths {
		p = strings.TrimSuffix(p, "/")
		if p == "." {
			s.all = true
		}
		s.set[p] = struct{}{}
	}
	return s
}

// Holds reports whether file is one of the paths or lies under one.
func (s *PathSet) Holds(file string) bool {
	if s == nil || s.all {
		return true
	}
	for p := file; ; {
		if _, ok := s.set[p]; ok {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

func (r *Repository) loadConfig() {
	r.Config = config.Default()
	src, err := r.ReadFile(config.FileName, config.MaxSize, "opsqa.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	r.Files = append(r.Files, config.FileName)
	if err != nil {
		r.walkFindings = append(r.walkFindings, r.readFinding(config.FileName, err))
		return
	}
	doc, ds := document.ParseYAML(config.FileName, src)
	r.walkFindings = append(r.walkFindings, ds...)
	r.ConfigDoc = doc
	if cfg, _ := config.Parse(src); cfg != nil {
		r.Config = cfg
	}
	// A config that does not decode keeps the defaults; the config rule
	// says what is wrong with it, with positions.
}

// ReadFile reads a file of the repository that is not a document (rel
// is slash-separated, from the root): opsqa.yaml, an alert rule file,
// CODEOWNERS, a schema. Through a symbolic link it reads only a file
// inside the repository (an *OutsideError otherwise), and only a regular
// file of at most max bytes (safefile.ReadFile; what names the file for
// its error).
func (r *Repository) ReadFile(rel string, max int64, what string) ([]byte, error) {
	p := filepath.Join(r.Root, filepath.FromSlash(rel))
	if err := r.inside(p, rel); err != nil {
		return nil, err
	}
	return safefile.ReadFile(p, max, what)
}

// inside checks that p, the file rel of the repository, leads to a
// file inside the repository when it is or passes through a link. A
// missing file passes: reading it says so.
func (r *Repository) inside(p, rel string) error {
	real, err := filepath.EvalSymlinks(p)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil || safefile.Within(r.realRoot, real) {
		return nil
	}
	return &OutsideError{Path: rel}
}

// OutsideError is the error for a file of the repository that is a
// symbolic link leading out of it: it is not read.
type OutsideError struct{ Path string }

func (e *OutsideError) Error() string {
	return fmt.Sprintf("%s is a symbolic link leading outside the repository: it is not read", e.Path)
}

// readFinding is the finding for a file ReadFile refused or could not
// read, under the rule that says why.
func (r *Repository) readFinding(rel string, err error) diag.Diagnostic {
	var te *safefile.TypeError
	var oe *OutsideError
	var se *safefile.SizeError
	switch {
	case errors.As(err, &te):
		return FileType(rel, te.Mode)
	case errors.As(err, &oe):
		return diag.Diagnostic{Pos: diag.Position{File: rel, Line: 1, Column: 1}, Severity: diag.Error, Rule: RuleOutsideLink,
			Message: oe.Error(), Fix: "commit the file itself, or link to a file inside the repository"}
	case errors.As(err, &se):
		return diag.Diagnostic{Pos: diag.Position{File: rel, Line: 1, Column: 1}, Severity: diag.Error, Rule: document.RuleEncoding,
			Message: fmt.Sprintf("file is larger than %s, the limit for %s: it is not read", safefile.Bytes(se.Max), se.What), Fix: "split the file, or remove what it should not hold"}
	}
	return Unreadable(rel, err)
}

// Unreadable is the finding for a file that could not be read.
func Unreadable(rel string, err error) diag.Diagnostic {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return diag.Diagnostic{Pos: diag.Position{File: rel}, Severity: diag.Error, Rule: RuleUnreadable,
		Message: fmt.Sprintf("cannot read: %v", err), Fix: "check the file's permissions and, for a link, its target"}
}

// Parsed returns the paths of the documents parsed so far, in path order:
// what a run of a few files had to read.
func (r *Repository) Parsed() []string {
	var out []string
	for _, e := range r.entries {
		if e.parsed.Load() && e.doc != nil {
			out = append(out, e.file.rel)
		}
	}
	return out
}
