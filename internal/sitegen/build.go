package sitegen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gohugoio/hugo/commands"
)

// hugoMu serialises Hugo runs: Hugo keeps process-wide state, so two
// builds in one process must not overlap.
var hugoMu sync.Mutex

// Build builds the site into o.Destination. clock times the steps; the
// result says how many pages were written and whether search is on.
func Build(ctx context.Context, o Options, clock func() time.Time) (*Result, error) {
	if err := o.validate(); err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	if o.Destination == "" {
		o.Destination = filepath.Join(o.RepoDir, "public")
	}
	if err := checkDestination(o.RepoDir, o.Destination); err != nil {
		return nil, err
	}
	t0 := clock()
	work, err := os.MkdirTemp("", "opsqa-site-")
	if err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	defer os.RemoveAll(work)
	if err := prepare(work, &o); err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	parent := filepath.Dir(o.Destination)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	// The new site is built beside the destination so that the final
	// rename stays on one file system.
	out, err := os.MkdirTemp(parent, "."+filepath.Base(o.Destination)+".new-")
	if err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(out)
		}
	}()
	res := &Result{Destination: o.Destination}
	t1 := clock()
	res.Prepare = t1.Sub(t0)
	if err := runHugo(work, "build", []string{"--destination", out, "--cleanDestinationDir", "--logLevel", "error"}); err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	t2 := clock()
	res.Hugo = t2.Sub(t1)
	if o.Pagefind != "" {
		if err := RunPagefind(ctx, o.Pagefind, out); err != nil {
			return nil, fmt.Errorf("build site: %w", err)
		}
		res.Search = true
		res.Pagefind = clock().Sub(t2)
	}
	t3 := clock()
	if res.Pages, err = countPages(out); err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	if err := swap(out, o.Destination); err != nil {
		return nil, fmt.Errorf("build site: %w", err)
	}
	ok = true
	res.Publish = clock().Sub(t3)
	return res, nil
}

// ServeOptions configure the live-reloading server.
type ServeOptions struct {
	Bind string
	Port int
	// Args are passed to Hugo's server as they are, for its own flags.
	Args []string
}

// Serve runs Hugo's server over the repository with live reload: edits to
// documents show at once. The computed data is the one given, as of the
// start. It returns when the server stops (on an interrupt).
func Serve(o Options, so ServeOptions) error {
	if err := o.validate(); err != nil {
		return fmt.Errorf("serve site: %w", err)
	}
	work, err := os.MkdirTemp("", "opsqa-serve-")
	if err != nil {
		return fmt.Errorf("serve site: %w", err)
	}
	defer os.RemoveAll(work)
	if err := prepare(work, &o); err != nil {
		return fmt.Errorf("serve site: %w", err)
	}
	args := []string{"--bind", so.Bind, "--port", strconv.Itoa(so.Port), "--renderToMemory"}
	if err := runHugo(work, "server", append(args, so.Args...)); err != nil {
		return fmt.Errorf("serve site: %w", err)
	}
	return nil
}

// runHugo runs a Hugo command ("build", "server") in-process over the
// project in work.
func runHugo(work, command string, args []string) error {
	hugoMu.Lock()
	defer hugoMu.Unlock()
	all := append([]string{command, "--source", work, "--config", "hugo.toml," + generatedConfig,
		"--cacheDir", filepath.Join(work, ".cache"), "--noBuildLock"}, args...)
	if command != "build" {
		if err := commands.Execute(all); err != nil {
			return fmt.Errorf("run hugo: %w", err)
		}
		return nil
	}
	// Hugo prints its banner and timings on standard output and its
	// errors on standard error, then returns only "logged N error(s)". A
	// build drops the banner (--quiet would drop the errors with it) and
	// keeps what Hugo logged, to return with the error: a refused or
	// missing shortcode, a template that fails on a page, with its file.
	null, err := os.Open(os.DevNull)
	if err != nil {
		return fmt.Errorf("run hugo: %w", err)
	}
	defer null.Close()
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("run hugo: %w", err)
	}
	logged := &tailBuffer{max: 16 << 10}
	copied := make(chan struct{})
	go func() { _, _ = io.Copy(logged, r); close(copied) }()
	stdout, stderr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = null, w
	err = commands.Execute(all)
	os.Stdout, os.Stderr = stdout, stderr
	w.Close()
	<-copied
	r.Close()
	if err != nil {
		if msg := strings.TrimSpace(logged.String()); msg != "" {
			return fmt.Errorf("run hugo: %w:\n%s", err, msg)
		}
		return fmt.Errorf("run hugo: %w", err)
	}
	// Warnings of a build that succeeded still reach the terminal.
	_, _ = io.WriteString(stderr, logged.String())
	return nil
}

// tailBuffer keeps the last max bytes written to it: what Hugo logs is
// bounded by the pages, not by anything opsqa controls.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.buf) }

// RunPagefind indexes the site in dir for search.
func RunPagefind(ctx context.Context, bin, dir string) error {
	cmd := exec.CommandContext(ctx, bin, "--site", dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("run pagefind: %w\n%s", err, tail(string(out), 2000))
	}
	return nil
}

// FindPagefind returns the Pagefind executable that `npm ci` installs in
// the repository, else the one on PATH, else "".
func FindPagefind(repo string, lookPath func(string) (string, error)) string {
	local := filepath.Join(repo, "node_modules", ".bin", "pagefind")
	if fi, err := os.Stat(local); err == nil && !fi.IsDir() {
		return local
	}
	if p, err := lookPath("pagefind"); err == nil {
		return p
	}
	return ""
}

// checkDestination refuses destinations whose replacement would remove
// the repository.
func checkDestination(repo, dest string) error {
	rel, err := filepath.Rel(dest, repo)
	if err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return fmt.Errorf("build site: destination %s holds the repository; choose a folder inside it such as public", dest)
	}
	return nil
}

// swap puts the new site in place of the old one. The old site is moved
// aside first and removed only once the new one is in place.
func swap(next, dest string) error {
	old := ""
	if _, err := os.Lstat(dest); err == nil {
		old = next + ".old"
		if err := os.Rename(dest, old); err != nil {
			return fmt.Errorf("replace %s: %w", dest, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("replace %s: %w", dest, err)
	}
	if err := os.Rename(next, dest); err != nil {
		if old != "" {
			os.Rename(old, dest)
		}
		return fmt.Errorf("replace %s: %w", dest, err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	// MkdirTemp made the folder private; a site is for reading.
	return os.Chmod(dest, 0o755)
}

// countPages counts the HTML pages of the site, leaving out Pagefind's
// files.
func countPages(dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "pagefind" {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".html") {
			n++
		}
		return nil
	})
	return n, err
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
