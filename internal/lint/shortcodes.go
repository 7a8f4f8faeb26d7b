package lint

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// siteShortcodes are the Hugo shortcodes a document may call on the
// opsqa site: the links opsqa resolves (ref, relref) and Hugo's own that
// render only what the document holds. The others Hugo ships reveal the
// build (param prints the site's parameters, the repository's absolute
// path among them) or fetch from the network at build time (gist,
// instagram, x, twitter, vimeo, youtube); the site's templates refuse
// them too (site/layouts/_shortcodes), so that a build with lint errors
// allowed still cannot run them.
var siteShortcodes = []string{"ref", "relref", "highlight", "details", "figure", "qr", "comment"}

// shortcodeRe matches a shortcode's opening: {{< name, {{% name, with the
// closing form's slash and Hugo's whitespace trimming dash. {{</* … */>}}
// is Hugo's escape, shown as text, and does not match.
var shortcodeRe = regexp.MustCompile(`\{\{[<%]-?\s*(/\*)?/?\s*([A-Za-z0-9_.\-/]+)`)

var shortcodesRule = Rule{
	ID:      "shortcodes",
	Summary: "documents call only the Hugo shortcodes the site has and allows",
	Doc: `Hugo runs the shortcodes of a page wherever they are in its text, code
blocks and comments included, when the site is built. A document may call
ref and relref (links, checked by the links rule), highlight, details,
figure, qr and comment. Any other is reported: param would print the
build machine's configuration, the repository's absolute path among it;
gist, instagram, x, twitter, vimeo and youtube fetch from the network as
the site is built; a theme's shortcode the site does not have fails the
build. To show a shortcode as text, write it escaped, {{</* name */>}}.`,
	Severity: diag.Error,
	CheckDocument: func(p *Pass, d *document.Document) {
		if !bytes.Contains(d.Body, []byte("{{")) {
			return
		}
		for _, m := range shortcodeRe.FindAllSubmatchIndex(d.Body, -1) {
			name := string(d.Body[m[4]:m[5]])
			if m[2] >= 0 || slices.Contains(siteShortcodes, name) {
				continue
			}
			msg := "shortcode " + name + " is not available on the site: documents may call " + strings.Join(siteShortcodes, ", ")
			switch name {
			case "param":
				msg = "shortcode param would publish the build's configuration, the repository's path on the build machine among it"
			case "gist", "instagram", "x", "twitter", "vimeo", "youtube":
				msg = "shortcode " + name + " fetches from the network while the site is built; link to the page instead"
			}
			p.Report(d.BodyPos(m[4]), "remove it, or write it escaped to show it as text: {{</* "+name+" */>}}", "%s", msg)
		}
	},
}
