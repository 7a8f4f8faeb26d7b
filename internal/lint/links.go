package lint

import (
	"errors"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

var linksRule = Rule{
	ID:      "links",
	Summary: "internal links and #anchors resolve",
	Doc: `Links between documents are relative paths to the .md files (so they work
on GitHub and on the site), optionally with a #anchor. Each must lead to a
file of the repository, and its anchor to a heading of the target: an
explicit {#id} or the GitHub-style slug of the heading text. A link "#x"
points into the document itself. A path starting with / is read from the
repository root, as GitHub reads it. External links (http, https, mailto and
other schemes) are not fetched. Hugo's ref and relref shortcodes are
links too: {{< ref "x.md#a" >}} from the page's folder, a path with a
leading / from the content folder. A link that breaks when a file is renamed
leaves a reader at a dead end in the middle of an incident: fix the path or
the anchor (near misses are named), or remove the link.`,
	Severity: diag.Error,
	CheckDocument: func(p *Pass, d *document.Document) {
		lc := linkChecker{p: p}
		for _, l := range d.Links() {
			lc.check(d, l)
		}
	},
}

type linkChecker struct {
	p *Pass
}

func (lc linkChecker) check(d *document.Document, l document.Link) {
	p := lc.p
	pos := d.BodyPos(l.Offset)
	dest := strings.TrimSpace(l.Dest)
	if dest == "" {
		p.Report(pos, "write the path or URL between the parentheses", "link has no destination")
		return
	}
	if strings.Contains(dest, "{{") {
		return // a Hugo shortcode or template: resolved at build time
	}
	u, err := url.Parse(dest)
	if err != nil {
		p.Report(pos, "percent-encode spaces and special characters, or wrap the path in <>", "link %q is not a valid URL: %v", dest, unwrapURLError(err))
		return
	}
	if u.Scheme != "" || u.Host != "" {
		return // external: not fetched
	}
	frag := u.Fragment
	if u.Path == "" {
		if frag != "" {
			lc.checkAnchor(pos, d, d, frag)
		}
		return
	}
	target := u.Path
	if strings.HasPrefix(target, "/") {
		target = path.Clean(strings.TrimPrefix(target, "/"))
	} else {
		target = path.Join(path.Dir(d.Path), target)
	}
	if target == ".." || strings.HasPrefix(target, "../") {
		p.Report(pos, "link to a file inside the repository", "link %q leads outside the repository", dest)
		return
	}
	if doc := p.Repo.ByPath(target); doc != nil {
		if frag != "" {
			lc.checkAnchor(pos, d, doc, frag)
		}
		return
	}
	mode, err := p.folders.stat(target)
	if err != nil {
		hint := "fix the path; it is relative to this file's folder"
		msg := "link %q: %s does not exist%s"
		near := lc.nearFile(target)
		if near != "" {
			hint = "change the link to " + path.Join(path.Dir(u.Path), path.Base(near))
		}
		if !errors.Is(err, fs.ErrNotExist) {
			msg = "link %q: %s cannot be read%s"
		}
		p.Report(pos, hint, msg, dest, target, diag.DidYouMean(path.Base(target), nonEmpty(path.Base(near))))
		return
	}
	if frag == "" || mode.IsDir() || !strings.EqualFold(path.Ext(target), ".md") {
		// Anchors into other files (#L10 on GitHub) are not checked.
		return
	}
	// A Markdown file outside the linted folders (the README, docs/):
	// read it for its headings.
	src, err := p.Repo.ReadFile(target, document.MaxSize, "a document")
	if err != nil {
		return // not a document opsqa reads: a pipe, a link out, too large
	}
	if doc, _ := document.Parse(target, src); doc != nil {
		lc.checkAnchor(pos, d, doc, frag)
	}
}

// checkAnchor reports a fragment that names no heading of target.
func (lc linkChecker) checkAnchor(pos diag.Position, from, target *document.Document, frag string) {
	anchors := target.Anchors()
	if anchors[frag] {
		return
	}
	var ids []string
	for _, h := range target.Headings() {
		ids = append(ids, h.ID)
	}
	where := "this document"
	if target != from {
		where = target.Path
	}
	fix := "link to one of the headings of " + where
	if s := diag.Suggest(frag, ids); s != "" {
		fix = "change the anchor to #" + s
	} else if len(ids) == 0 {
		fix = where + " has no headings: link to the file without an anchor"
	}
	lc.p.Report(pos, fix, "anchor #%s does not match any heading of %s%s", frag, where, diag.DidYouMean(frag, ids))
}

// nearFile returns the path of a file next to target whose name is a near
// miss of target's, or "".
func (lc linkChecker) nearFile(target string) string {
	dir := path.Dir(target)
	if s := lc.p.folders.near(dir, path.Base(target)); s != "" {
		return path.Join(dir, s)
	}
	return ""
}

func nonEmpty(s string) []string {
	if s == "" || s == "." {
		return nil
	}
	return []string{s}
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
