package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
)

// TextOptions shape the text printer.
type TextOptions struct {
	// Pretty groups findings by file with colour and fix hints, for a
	// terminal. Otherwise each finding is one plain line, as compilers
	// print them, which editors and grep understand.
	Pretty bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
)

// Text prints findings for people: `file:line:col: severity rule: message`,
// then a summary line.
func Text(w io.Writer, f *Findings, opts TextOptions) error {
	ew := &errWriter{w: w}
	if !opts.Pretty {
		for _, d := range f.Diagnostics {
			ew.printf("%s\n", d)
		}
	} else {
		last := ""
		for _, d := range f.Diagnostics {
			if d.Pos.File != last {
				if last != "" {
					ew.printf("\n")
				}
				ew.printf("%s%s%s\n", ansiBold, d.Pos.File, ansiReset)
				last = d.Pos.File
			}
			ew.printf("  %s%s%s  %s%s%s %s %s(%s)%s\n", ansiDim, lineCol(d.Pos), ansiReset,
				sevColor(d.Severity), d.Severity, ansiReset, d.Message, ansiDim, d.Rule, ansiReset)
			if d.Fix != "" {
				ew.printf("  %s%s  fix: %s%s\n", strings.Repeat(" ", len(lineCol(d.Pos))), ansiDim, d.Fix, ansiReset)
			}
		}
		if len(f.Diagnostics) > 0 {
			ew.printf("\n")
		}
	}
	errs, warns, infos := f.Counts()
	summary := fmt.Sprintf("%s checked: %s, %s, %s", plural(f.Files, "file"), plural(errs, "error"), plural(warns, "warning"), plural(infos, "info"))
	if f.Baselined > 0 {
		summary += fmt.Sprintf(" (%d more in the baseline)", f.Baselined)
	}
	ew.printf("%s\n", summary)
	for _, u := range f.Unchecked {
		ew.printf("not checked: %s\n", u)
	}
	return ew.err
}

func lineCol(p diag.Position) string {
	if p.Line == 0 {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, max(p.Column, 1))
}

func sevColor(s diag.Severity) string {
	switch s {
	case diag.Error:
		return ansiRed
	case diag.Warning:
		return ansiYellow
	}
	return ansiBlue
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if word == "info" {
		return fmt.Sprintf("%d infos", n)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
