package report

import (
	"encoding/json"
	"io"

	"github.com/opsqa/opsqa/internal/diag"
)

// FindingsSchemaVersion is the version of the lint JSON output.
const FindingsSchemaVersion = 1

type jsonFindings struct {
	SchemaVersion int               `json:"schema_version"`
	Files         int               `json:"files"`
	Summary       jsonSummary       `json:"summary"`
	Diagnostics   []diag.Diagnostic `json:"diagnostics"`
	Unchecked     []diag.Unchecked  `json:"unchecked"`
}

type jsonSummary struct {
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
	Infos     int `json:"infos"`
	Baselined int `json:"baselined"`
}

// JSON prints findings as one object; the list is [] when empty, never
// null. schemas/lint-output.schema.json describes it.
func JSON(w io.Writer, f *Findings) error {
	out := jsonFindings{SchemaVersion: FindingsSchemaVersion, Files: f.Files, Diagnostics: f.Diagnostics}
	if out.Diagnostics == nil {
		out.Diagnostics = []diag.Diagnostic{}
	}
	out.Unchecked = f.Unchecked
	if out.Unchecked == nil {
		out.Unchecked = []diag.Unchecked{}
	}
	out.Summary.Errors, out.Summary.Warnings, out.Summary.Infos = f.Counts()
	out.Summary.Baselined = f.Baselined
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
