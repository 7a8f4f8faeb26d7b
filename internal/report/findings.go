package report

import (
	"github.com/opsqa/opsqa/internal/diag"
)

// Findings is what a lint run hands to the printers.
type Findings struct {
	Diagnostics []diag.Diagnostic
	// Files is how many files were checked.
	Files int
	// Rules documents every rule, for SARIF and summaries.
	Rules []RuleInfo
	// Baselined is how many findings a baseline hid.
	Baselined int
	// Unchecked are the checks that could not apply, and why.
	Unchecked []diag.Unchecked
}

// RuleInfo is the documentation of a lint rule.
type RuleInfo struct {
	ID       string
	Summary  string
	Doc      string
	Severity diag.Severity
}

// Counts returns the number of errors, warnings and infos.
func (f *Findings) Counts() (errors, warnings, infos int) {
	for _, d := range f.Diagnostics {
		switch d.Severity {
		case diag.Error:
			errors++
		case diag.Warning:
			warnings++
		default:
			infos++
		}
	}
	return
}
