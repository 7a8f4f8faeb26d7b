package adopt

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// YAML is the proposal as opsqa.yaml, each setting under a comment that
// says why it was chosen.
func (p *Proposal) YAML() []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# yaml-language-server: $schema=https://opsqa.dev/schemas/config.schema.json\n")
	comment(&b, "", "Written by `opsqa init` from what it found in this repository; the comment above each setting says why it was chosen. Change any of them: `opsqa lint` reads this file, `opsqa rules` explains every rule.")
	w("organisation: %s\n", scalar(p.Organisation))
	if p.Repository != "" {
		comment(&b, "", "On GitHub: runbook_urls that are blob links into it lead to its files without a mapping. "+p.Why("repository"))
		w("repository: %s\n", scalar(p.Repository))
	}
	w("\ncollections:\n")
	for _, c := range p.Collections {
		comment(&b, "  ", c.Path+": "+p.Why("collection "+c.Path)+"; the folders under it belong to it.")
		w("  - path: %s\n    kind: %s\n", scalar(c.Path), c.Kind)
		if c.FrontMatter != "" {
			comment(&b, "    ", p.Why("front_matter"))
			w("    front_matter: %s\n", c.FrontMatter)
		}
		if c.ExtraKeys != "" {
			comment(&b, "    ", p.Why("extra_keys"))
			w("    extra_keys: %s\n", c.ExtraKeys)
		}
	}
	if len(p.Sections) > 0 {
		w("\nrequired_sections:\n")
		comment(&b, "  ", "The sections every runbook must have, in this order: "+p.Why("sections")+".")
		w("  runbook: %s\n", flow(p.Sections))
	}
	if p.ReviewDays > 0 {
		w("\nreview_intervals:\n")
		comment(&b, "  ", "Days from a runbook's last_reviewed to its next review: "+p.Why("review_intervals")+".")
		w("  runbook: %d\n", p.ReviewDays)
	}
	if len(p.AlertRules) > 0 {
		w("\n")
		comment(&b, "", "Prometheus rule files and PrometheusRule manifests: "+p.Why("alert_rules")+". Every alert's runbook_url must lead to a runbook.")
		w("alert_rules:\n")
		for _, g := range p.AlertRules {
			w("  - %s\n", scalar(g))
		}
	}
	if len(p.RunbookURLs) > 0 {
		w("\n")
		comment(&b, "", "Where runbook_urls published elsewhere lead in this repository: each {part} matches one segment of the URL and fills the same part of the path.")
		w("runbook_urls:\n")
		for _, m := range p.RunbookURLs {
			comment(&b, "  ", p.Why("runbook_url "+m.URL)+".")
			w("  - url: %s\n    path: %s\n", scalar(m.URL), scalar(m.Path))
			if m.IgnoreCase {
				w("    ignore_case: true\n")
			}
		}
	}
	if len(p.Ignore) > 0 {
		w("\nlint:\n  ignore:\n")
		for _, f := range p.Ignore {
			w("    - %s # the runbook template, not a runbook\n", scalar(f))
		}
	}
	return b.Bytes()
}

// comment writes text as comment lines of at most 76 columns.
func comment(b *bytes.Buffer, indent, text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	line := indent + "#"
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > 76 && len(line) > len(indent)+1 {
			b.WriteString(line + "\n")
			line = indent + "#"
		}
		line += " " + word
	}
	b.WriteString(line + "\n")
}

// scalar is s as a YAML scalar, quoted only where YAML needs it.
func scalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// flow is a list of strings in YAML's flow style.
func flow(items []string) string {
	var quoted []string
	for _, s := range items {
		v := scalar(s)
		if strings.ContainsAny(v, ",[]{}") && !strings.HasPrefix(v, `"`) && !strings.HasPrefix(v, "'") {
			v = fmt.Sprintf("%q", s)
		}
		quoted = append(quoted, v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
