// Package schemas holds the JSON Schemas of every document kind and of
// opsqa.yaml. They ship inside the binary so that validation needs no files
// on disk, and `opsqa schema export` writes them out for editors.
package schemas

import "embed"

// FS holds the *.schema.json files.
//
//go:embed *.schema.json
var FS embed.FS
