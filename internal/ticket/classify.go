package ticket

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opsqa/opsqa/internal/config"
)

// ClassOf returns the class a ticket's labels give it, per the labels
// section of opsqa.yaml. Matching is case-insensitive and independent of
// label order; when labels name several classes the first of incident,
// problem, feedback, quiz-result wins, so the same labels always give the
// same class.
func ClassOf(labels []string, rules config.Labels) Class {
	for _, c := range []struct {
		class Class
		names []string
	}{
		{Incident, rules.Incident},
		{Problem, rules.Problem},
		{Feedback, rules.Feedback},
		{QuizResult, rules.QuizResult},
	} {
		for _, l := range labels {
			if hasFold(c.names, l) {
				return c.class
			}
		}
	}
	return Other
}

// Classify sets the class, severity and service of t from its labels and,
// where the labels say nothing, from the issue form's service and severity
// answers in t.Fields. services lists the service ids of opsqa.yaml; a
// value naming none of them is reported in t.FormProblems and left out
// rather than kept as an unknown service. Conflicting labels (two
// severities, two services) are reported too; the most severe severity and
// the first service in opsqa.yaml's order are kept, so the result does not
// depend on label order. Call it once per ticket: problems are appended.
func Classify(t *Ticket, rules config.Labels, services []string) {
	t.Class = ClassOf(t.Labels, rules)
	t.Severity, t.Service = "", ""
	problem := func(format string, args ...any) {
		t.FormProblems = append(t.FormProblems, fmt.Sprintf(format, args...))
	}

	var sevs []string
	var svcLabels []string
	for _, l := range t.Labels {
		if s, ok := severityLabel(l, rules.SeverityPrefix); ok && !slices.Contains(sevs, s) {
			sevs = append(sevs, s)
		}
		if rules.ServicePrefix != "" && len(l) > len(rules.ServicePrefix) && strings.EqualFold(l[:len(rules.ServicePrefix)], rules.ServicePrefix) {
			id := strings.ToLower(strings.TrimSpace(l[len(rules.ServicePrefix):]))
			if !slices.Contains(svcLabels, id) {
				svcLabels = append(svcLabels, id)
			}
		}
	}
	slices.Sort(sevs)
	switch {
	case len(sevs) > 0:
		t.Severity = sevs[0]
		if len(sevs) > 1 {
			problem("labels give several severities (%s); %s, the most severe, is used", strings.Join(sevs, ", "), sevs[0])
		}
	case t.Fields["severity"] != "":
		if s, ok := leadingSeverity(t.Fields["severity"]); ok {
			t.Severity = s
		} else {
			problem("form field severity %q does not start with sev1 … sev4", t.Fields["severity"])
		}
	}

	var known []string
	for _, id := range svcLabels {
		if slices.Contains(services, id) {
			known = append(known, id)
		} else {
			problem("label %s%s names no service in opsqa.yaml", rules.ServicePrefix, id)
		}
	}
	switch {
	case len(known) > 0:
		slices.SortFunc(known, func(a, b string) int {
			return slices.Index(services, a) - slices.Index(services, b)
		})
		t.Service = known[0]
		if len(known) > 1 {
			problem("labels give several services (%s); %s is used", strings.Join(known, ", "), known[0])
		}
	case strings.TrimSpace(t.Fields["service"]) != "":
		id := strings.ToLower(strings.TrimSpace(t.Fields["service"]))
		if slices.Contains(services, id) {
			t.Service = id
		} else {
			problem("form field service %q names no service in opsqa.yaml", t.Fields["service"])
		}
	}
}

// severityLabel reads a severity label: the configured prefix, then sev1 …
// sev4, in any case.
func severityLabel(label, prefix string) (string, bool) {
	l := strings.ToLower(strings.TrimSpace(label))
	p := strings.ToLower(prefix)
	if !strings.HasPrefix(l, p) {
		return "", false
	}
	l = l[len(p):]
	if len(l) == 4 && strings.HasPrefix(l, "sev") && l[3] >= '1' && l[3] <= '4' {
		return l, true
	}
	return "", false
}

// leadingSeverity reads the severity a form answer starts with, such as
// "sev2: major degradation …".
func leadingSeverity(answer string) (string, bool) {
	a := strings.ToLower(strings.TrimSpace(answer))
	if len(a) < 4 || !strings.HasPrefix(a, "sev") || a[3] < '1' || a[3] > '4' {
		return "", false
	}
	if len(a) > 4 && (a[4] >= '0' && a[4] <= '9' || a[4] >= 'a' && a[4] <= 'z') {
		return "", false
	}
	return a[:4], true
}

func hasFold(names []string, s string) bool {
	s = strings.TrimSpace(s)
	for _, n := range names {
		if strings.EqualFold(n, s) {
			return true
		}
	}
	return false
}
