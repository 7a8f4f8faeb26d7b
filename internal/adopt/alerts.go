package adopt

import (
	"bufio"
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/alerting"
	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/repository"
	"github.com/opsqa/opsqa/internal/safefile"
)

// chooseAlertRules finds the YAML files that hold alerting rules (rule
// files, or PrometheusRule manifests) and the scheme their runbook_urls
// follow. Alerts are read by the same code lint reads them with.
func (p *Proposal) chooseAlertRules(root string, t *tree) error {
	if len(t.yaml) == 0 {
		return nil
	}
	cfg := config.Default()
	cfg.Collections = p.Collections
	cfg.AlertRules = t.yaml
	cfg.Repository = p.Repository
	repo, err := repository.LoadWith(root, cfg)
	if err != nil {
		return err
	}
	alerts := alerting.Read(repo).Alerts
	if len(alerts) == 0 {
		return nil
	}
	perFile := map[string]int{}
	for _, a := range alerts {
		perFile[a.File]++
	}
	p.AlertRules = ruleGlobs(t.yaml, perFile)
	p.because("alert_rules", strings.Join(p.AlertRules, ", "), "%s in %s", plural(len(alerts), "alert"), plural(len(perFile), "rule file"))
	p.chooseRunbookURLs(repo, alerts)
	return nil
}

// ruleGlobs names the rule files: a folder's *.yaml (or *.yml) when every
// such file in it holds alerts, and the files one by one otherwise.
func ruleGlobs(all []string, rules map[string]int) []string {
	type key struct{ dir, ext string }
	total, hits := map[key]int{}, map[key]int{}
	for _, f := range all {
		k := key{path.Dir(f), path.Ext(f)}
		total[k]++
		if rules[f] > 0 {
			hits[k]++
		}
	}
	var out []string
	for _, f := range slices.Sorted(maps.Keys(rules)) {
		k := key{path.Dir(f), path.Ext(f)}
		if total[k] > 1 && hits[k] == total[k] {
			f = path.Join(k.dir, "*"+k.ext)
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// scheme is a way runbook URLs are written: a URL prefix followed by as
// many folder names as the runbook lies deep in its collection, then the
// file's name (its stem), perhaps with an extension.
type scheme struct {
	prefix     string // scheme://host/path, no trailing slash
	collection string
	depth      int    // folders between the collection and the file
	suffix     string // ".md", ".html", "/" or ""
	ignoreCase bool
}

func (s scheme) parts() string {
	var b strings.Builder
	for i := range s.depth {
		if s.depth == 1 {
			b.WriteString("{group}/")
		} else {
			fmt.Fprintf(&b, "{group%d}/", i+1)
		}
	}
	return b.String()
}

func (s scheme) mapping() config.RunbookURL {
	suffix := s.suffix
	if suffix == "/" {
		suffix = "" // the mapping accepts a trailing slash anyway
	}
	return config.RunbookURL{
		URL:        s.prefix + "/" + s.parts() + "{alert}" + suffix,
		Path:       s.collection + "/" + s.parts() + "{alert}.md",
		IgnoreCase: s.ignoreCase,
	}
}

var blobRe = regexp.MustCompile(`^/([^/]+)/([^/]+)/(?:blob|tree)/`)

// chooseRunbookURLs infers runbook_urls from the alerts' URLs: for each
// URL whose last part names a runbook file, the part before the folders
// the file lies in is the scheme's prefix. GitHub blob URLs of the
// repository need no mapping, only the repository's name.
func (p *Proposal) chooseRunbookURLs(repo *repository.Repository, alerts []alerting.Alert) {
	byStem := map[string][]string{} // lower-case file stem → runbook paths
	for _, f := range repo.Files {
		if strings.EqualFold(path.Ext(f), ".md") && repository.KindOf(repo.Config, f, "") == "runbook" {
			s := strings.ToLower(strings.TrimSuffix(path.Base(f), path.Ext(f)))
			byStem[s] = append(byStem[s], f)
		}
	}
	// A scheme is counted by its shape; one sighting whose case differs
	// from the file's name makes the whole scheme ignore case.
	counts := map[scheme]int{}
	folded := map[scheme]bool{}
	blobRepos := map[string]int{}
	withURL := 0
	for _, a := range alerts {
		u, err := url.Parse(a.RunbookURL)
		if a.RunbookURL == "" || err != nil || u.Host == "" {
			continue
		}
		withURL++
		if strings.EqualFold(u.Host, "github.com") {
			if m := blobRe.FindStringSubmatch(u.Path); m != nil {
				blobRepos[m[1]+"/"+m[2]]++
				continue
			}
		}
		if s, ok := schemeOf(u, byStem, p.Collections); ok {
			folded[withCase(s)] = folded[withCase(s)] || s.ignoreCase
			counts[withCase(s)]++
		}
	}
	if p.Repository == "" && len(blobRepos) > 0 {
		p.Repository = mostCommon(blobRepos)
		p.because("repository", p.Repository, "%d runbook_urls are GitHub links into it", blobRepos[p.Repository])
	}
	schemes := slices.Collect(maps.Keys(counts))
	slices.SortFunc(schemes, func(a, b scheme) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a.prefix, b.prefix), cmp.Compare(a.depth, b.depth))
	})
	for _, s := range schemes {
		n := counts[s]
		s.ignoreCase = folded[s]
		m := s.mapping()
		p.RunbookURLs = append(p.RunbookURLs, m)
		why := fmt.Sprintf("%d of %d runbook_urls have this shape and name a runbook file", n, withURL)
		if s.ignoreCase {
			why += "; their case differs from the files' names"
		}
		p.because("runbook_url "+m.URL, m.URL+" → "+m.Path, "%s", why)
	}
}

func withCase(s scheme) scheme { s.ignoreCase = false; return s }

// schemeOf finds the runbook u names by its last part and returns the
// shape of u around it.
func schemeOf(u *url.URL, byStem map[string][]string, cols []config.Collection) (scheme, bool) {
	p := u.EscapedPath()
	suffix := ""
	if strings.HasSuffix(p, "/") {
		suffix, p = "/", strings.TrimSuffix(p, "/")
	}
	if ext := path.Ext(p); ext == ".md" || ext == ".html" {
		suffix, p = ext, strings.TrimSuffix(p, ext)
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	last, _ := url.PathUnescape(segs[len(segs)-1])
	for _, f := range byStem[strings.ToLower(last)] {
		col := ""
		for _, c := range cols {
			if under(f, c.Path) {
				col = c.Path
			}
		}
		inner := strings.TrimPrefix(f, col+"/")
		dirs := strings.Split(path.Dir(inner), "/")
		if path.Dir(inner) == "." {
			dirs = nil
		}
		if len(segs) < len(dirs)+1 {
			continue
		}
		tail := segs[len(segs)-1-len(dirs):]
		exact, folded := true, true
		for i, d := range dirs {
			t, _ := url.PathUnescape(tail[i])
			exact = exact && t == d
			folded = folded && strings.EqualFold(t, d)
		}
		stem := strings.TrimSuffix(path.Base(f), path.Ext(f))
		exact = exact && last == stem
		if !folded {
			continue
		}
		prefix := u.Scheme + "://" + strings.ToLower(u.Host)
		if head := segs[:len(segs)-1-len(dirs)]; len(head) > 0 {
			prefix += "/" + strings.Join(head, "/")
		}
		return scheme{prefix: prefix, collection: col, depth: len(dirs), suffix: suffix, ignoreCase: !exact}, true
	}
	return scheme{}, false
}

func mostCommon(n map[string]int) string {
	best := ""
	for _, k := range slices.Sorted(maps.Keys(n)) {
		if best == "" || n[k] > n[best] {
			best = k
		}
	}
	return best
}

var remoteRe = regexp.MustCompile(`github\.com[:/]([^/\s]+)/([^/\s]+?)(?:\.git)?/?$`)

// maxGitConfigSize is the largest .git/config read.
const maxGitConfigSize = 1 << 20

// gitHubRemote is owner/name of the repository's origin on GitHub, read
// from .git/config, or "".
func gitHubRemote(root string) string {
	f, err := safefile.Open(filepath.Join(root, ".git", "config"), maxGitConfigSize, "a Git configuration")
	if err != nil {
		return ""
	}
	defer f.Close()
	origin := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			origin = line == `[remote "origin"]`
			continue
		}
		if k, v, ok := strings.Cut(line, "="); origin && ok && strings.TrimSpace(k) == "url" {
			if m := remoteRe.FindStringSubmatch(strings.TrimSpace(v)); m != nil {
				return m[1] + "/" + m[2]
			}
		}
	}
	return ""
}
