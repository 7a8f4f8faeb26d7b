package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
)

// GitHub prints findings as workflow commands, which GitHub Actions turns
// into annotations on the pull request's changed lines.
func GitHub(w io.Writer, f *Findings) error {
	ew := &errWriter{w: w}
	for _, d := range f.Diagnostics {
		level := "error"
		switch d.Severity {
		case diag.Warning:
			level = "warning"
		case diag.Info:
			level = "notice"
		}
		props := []string{"file=" + escapeProperty(d.Pos.File)}
		if d.Pos.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", d.Pos.Line))
			if d.Pos.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", d.Pos.Column))
			}
		}
		props = append(props, "title="+escapeProperty("opsqa "+d.Rule))
		msg := d.Message
		if d.Fix != "" {
			msg += "\nFix: " + d.Fix
		}
		ew.printf("::%s %s::%s\n", level, strings.Join(props, ","), escapeData(msg))
	}
	for _, u := range f.Unchecked {
		ew.printf("::notice title=%s::%s\n", escapeProperty("opsqa "+u.Rule+" not checked"), escapeData(u.String()))
	}
	errs, warns, infos := f.Counts()
	ew.printf("%s checked: %s, %s, %s\n", plural(f.Files, "file"), plural(errs, "error"), plural(warns, "warning"), plural(infos, "info"))
	return ew.err
}

// escapeData and escapeProperty follow the workflow command encoding: a
// message may not carry raw newlines, and a property not , or :.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// Summary writes a Markdown job summary (for $GITHUB_STEP_SUMMARY): the
// counts, then a table of findings, capped so a large run stays readable.
func Summary(w io.Writer, f *Findings) error {
	const limit = 100
	ew := &errWriter{w: w}
	errs, warns, infos := f.Counts()
	status := "✅ passed"
	if errs > 0 {
		status = "❌ failed"
	}
	ew.printf("## opsqa lint %s\n\n%s checked: %s, %s, %s.\n\n", status, plural(f.Files, "file"), plural(errs, "error"), plural(warns, "warning"), plural(infos, "info"))
	if len(f.Unchecked) > 0 {
		ew.printf("Not checked:\n\n")
		for _, u := range f.Unchecked {
			ew.printf("- %s\n", MarkdownCell(u.String()))
		}
		ew.printf("\n")
	}
	if len(f.Diagnostics) == 0 {
		return ew.err
	}
	ew.printf("| Location | Severity | Rule | Message |\n|---|---|---|---|\n")
	for i, d := range f.Diagnostics {
		if i == limit {
			ew.printf("\n…and %d more.\n", len(f.Diagnostics)-limit)
			break
		}
		ew.printf("| `%s` | %s | `%s` | %s |\n", d.Pos, d.Severity, d.Rule, MarkdownCell(d.Message))
	}
	return ew.err
}

// MarkdownCell escapes text for a Markdown table cell: pipes, newlines,
// and the characters that would start HTML or formatting.
func MarkdownCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "\r", "", "<", "&lt;", ">", "&gt;", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]").Replace(s)
}
