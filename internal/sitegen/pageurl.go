package sitegen

import (
	"strings"

	"github.com/opsqa/opsqa/internal/config"
)

// PageURL is the address of the page that the repository file rel
// (slash-separated, relative to the repository root repo) becomes on the
// site published at cfg's base_url, or "" when the site has no base URL
// or no collection publishes the file. Hugo lowercases paths, and so
// does PageURL.
func PageURL(repo string, cfg *config.Config, rel string) string {
	base := strings.TrimSuffix(cfg.Site.BaseURL, "/")
	if base == "" {
		return ""
	}
	p := sitePath(contentMounts(repo, cfg), rel)
	if p == "" {
		return ""
	}
	return base + strings.ToLower(p) + "/"
}
