package scorecard

import (
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/config"
)

// ruleFile is the part of a Prometheus rule file the scorecard reads.
type ruleFile struct {
	Groups []struct {
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// ReadAlerts reads the alerting rules of the Prometheus rule files that
// match patterns (opsqa.yaml's alert_rules, slash-separated globs with **)
// in fsys. An alert's service is its `service` label. Recording rules are
// skipped. The Runbook of each alert is left for ResolveRunbooks.
func ReadAlerts(fsys fs.FS, patterns []string) ([]Alert, error) {
	var files []string
	for _, p := range patterns {
		m, err := doublestar.Glob(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("read alert rules: pattern %q: %w", p, err)
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	files = slices.Compact(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("read alert rules: no file matches %s", strings.Join(patterns, ", "))
	}
	var out []Alert
	for _, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read alert rules: %w", err)
		}
		var rf ruleFile
		if err := yaml.Unmarshal(b, &rf); err != nil {
			return nil, fmt.Errorf("read alert rules %s: %w", name, err)
		}
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				if r.Alert == "" {
					continue
				}
				out = append(out, Alert{Name: r.Alert, Service: r.Labels["service"], RunbookURL: strings.TrimSpace(r.Annotations["runbook_url"])})
			}
		}
	}
	return out, nil
}

// ResolveRunbooks sets each alert's Runbook to the id of the runbook its
// runbook_url leads to, among runbookIDs. A URL leads to a runbook when it
// is relative (a path to the Markdown file) or points into the published
// site (site.base_url) or the repository on GitHub, and its last path
// segment, less any .md, is the runbook's id.
func ResolveRunbooks(alerts []Alert, cfg *config.Config, runbookIDs []string) {
	for i := range alerts {
		alerts[i].Runbook = runbookFromURL(alerts[i].RunbookURL, cfg, runbookIDs)
	}
}

func runbookFromURL(raw string, cfg *config.Config, ids []string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if u.IsAbs() || u.Host != "" {
		ours := func(prefix string) bool {
			return prefix != "" && strings.HasPrefix(strings.ToLower(raw), strings.ToLower(strings.TrimSuffix(prefix, "/")+"/"))
		}
		if !ours(cfg.Site.BaseURL) && (cfg.Repository == "" || !ours("https://github.com/"+cfg.Repository)) {
			return ""
		}
	}
	id := strings.TrimSuffix(path.Base(strings.TrimRight(u.Path, "/")), ".md")
	if slices.Contains(ids, id) {
		return id
	}
	return ""
}
