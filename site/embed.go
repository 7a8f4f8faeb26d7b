// Package site holds the Hugo project of the knowledge site: configuration,
// layouts, the stylesheet, scripts and the site's own strings. It is
// embedded in the opsqa binary so that any knowledge repository can be
// built without a checkout of opsqa or a Hugo installation.
package site

import "embed"

// FS is the Hugo project. The all: prefix keeps files whose names start
// with an underscore, which Hugo uses for partials, render hooks, section
// pages and content adapters.
//
//go:embed hugo.toml all:layouts all:content assets i18n all:static
var FS embed.FS
