package alerting

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/config"
)

// urlMapping is a runbook_urls entry of opsqa.yaml, compiled: the URL
// pattern as an expression whose groups are its {named} parts.
type urlMapping struct {
	config.RunbookURL
	re    *regexp.Regexp
	names []string
}

var partRe = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// compileMappings compiles the runbook_urls of opsqa.yaml. An entry that
// does not compile is left out with an error; the config rule reports the
// shape of every entry against its schema.
func compileMappings(cfg *config.Config) ([]urlMapping, []error) {
	var out []urlMapping
	var errs []error
	for i, m := range cfg.RunbookURLs {
		var expr strings.Builder
		var names []string
		pattern := strings.TrimSuffix(lowerHost(m.URL), "/")
		last := 0
		for _, loc := range partRe.FindAllStringSubmatchIndex(pattern, -1) {
			expr.WriteString(regexp.QuoteMeta(pattern[last:loc[0]]))
			expr.WriteString(`([^/?#]+)`)
			names = append(names, pattern[loc[2]:loc[3]])
			last = loc[1]
		}
		expr.WriteString(regexp.QuoteMeta(pattern[last:]))
		flags := ""
		if m.IgnoreCase {
			flags = "(?i)"
		}
		re, err := regexp.Compile(flags + `^` + expr.String() + `/?$`)
		if err != nil {
			errs = append(errs, fmt.Errorf("runbook_urls[%d]: %w", i, err))
			continue
		}
		for _, name := range partRe.FindAllStringSubmatch(m.Path, -1) {
			if !slices.Contains(names, name[1]) {
				errs = append(errs, fmt.Errorf("runbook_urls[%d]: path names {%s}, which the url does not", i, name[1]))
				re = nil
			}
		}
		if re != nil {
			out = append(out, urlMapping{RunbookURL: m, re: re, names: names})
		}
	}
	return out, errs
}

// lowerHost lower-cases the scheme and host of a URL (pattern), which
// match in any case; the path keeps its case.
func lowerHost(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	host, p, _ := strings.Cut(rest, "/")
	if p != "" || strings.HasSuffix(rest, "/") {
		p = "/" + p
	}
	return strings.ToLower(scheme) + "://" + strings.ToLower(host) + p
}

// path returns the repository path u maps to, or "" when the mapping
// does not match it. The parts keep the case they have in the URL.
func (m urlMapping) path(u *url.URL) string {
	v := *u
	v.Fragment, v.RawFragment, v.RawQuery = "", "", ""
	sub := m.re.FindStringSubmatch(lowerHost(v.String()))
	if sub == nil {
		return ""
	}
	p := m.Path
	for i, name := range m.names {
		part, err := url.PathUnescape(sub[i+1])
		if err != nil {
			return ""
		}
		p = strings.ReplaceAll(p, "{"+name+"}", part)
	}
	return p
}
