package ticket

import (
	"reflect"
	"strings"
	"testing"

	"github.com/opsqa/opsqa/internal/config"
)

var testServices = []string{"storefront", "orders-api", "postgres", "rabbitmq", "dns"}

func TestClassOf(t *testing.T) {
	rules := config.Default().Labels
	rules.Incident = []string{"incident", "Outage"}
	cases := []struct {
		labels []string
		want   Class
	}{
		{[]string{"incident"}, Incident},
		{[]string{"INCIDENT"}, Incident},
		{[]string{"outage"}, Incident},
		{[]string{"sev1", "Problem"}, Problem},
		// Order-independent: incident wins over problem either way.
		{[]string{"problem", "incident"}, Incident},
		{[]string{"incident", "problem"}, Incident},
		{[]string{"feedback"}, Feedback},
		{[]string{"Quiz-Result"}, QuizResult},
		{[]string{"bug"}, Other},
		{nil, Other},
	}
	for _, c := range cases {
		if got := ClassOf(c.labels, rules); got != c.want {
			t.Errorf("ClassOf(%q) = %s, want %s", c.labels, got, c.want)
		}
	}
}

func TestClassify(t *testing.T) {
	rules := config.Default().Labels
	cases := []struct {
		name     string
		rules    func(*config.Labels)
		labels   []string
		fields   map[string]string
		severity string
		service  string
		problems []string
	}{
		{name: "labels", labels: []string{"incident", "SEV2", "Service:Postgres"}, severity: "sev2", service: "postgres"},
		{name: "label order does not matter", labels: []string{"service:dns", "sev3", "incident"}, severity: "sev3", service: "dns"},
		{
			name:     "form fallback",
			labels:   []string{"incident"},
			fields:   map[string]string{"severity": "sev1: outage of a tier-1 service or data loss for many customers", "service": "rabbitmq"},
			severity: "sev1", service: "rabbitmq",
		},
		{
			name:     "labels win over the form",
			labels:   []string{"incident", "sev4", "service:storefront"},
			fields:   map[string]string{"severity": "sev1: outage", "service": "postgres"},
			severity: "sev4", service: "storefront",
		},
		{
			name:     "two severities: the most severe, reported",
			labels:   []string{"sev3", "incident", "sev2"},
			severity: "sev2",
			problems: []string{"labels give several severities (sev2, sev3); sev2, the most severe, is used"},
		},
		{
			name:     "two services: opsqa.yaml order, reported",
			labels:   []string{"service:dns", "service:orders-api"},
			service:  "orders-api",
			problems: []string{"labels give several services (orders-api, dns); orders-api is used"},
		},
		{
			name:     "unknown service label falls back to the form",
			labels:   []string{"service:mainframe"},
			fields:   map[string]string{"service": "postgres"},
			service:  "postgres",
			problems: []string{"label service:mainframe names no service in opsqa.yaml"},
		},
		{
			name:     "unreadable form answers are reported, not guessed",
			fields:   map[string]string{"severity": "critical", "service": "the database"},
			problems: []string{`form field severity "critical" does not start with sev1 … sev4`, `form field service "the database" names no service in opsqa.yaml`},
		},
		{name: "not severities", labels: []string{"sev5", "sev10", "sev", "severe1"}, fields: map[string]string{"severity": ""}},
		{name: "sev12 in a form is not sev1", fields: map[string]string{"severity": "sev12"}, problems: []string{`form field severity "sev12" does not start with sev1 … sev4`}},
		{
			name:     "prefixed severity labels",
			rules:    func(l *config.Labels) { l.SeverityPrefix = "severity/" },
			labels:   []string{"sev1", "Severity/SEV2"},
			severity: "sev2",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rules
			if c.rules != nil {
				c.rules(&r)
			}
			tk := &Ticket{Labels: c.labels, Fields: c.fields}
			Classify(tk, r, testServices)
			if tk.Severity != c.severity || tk.Service != c.service {
				t.Errorf("severity %q service %q, want %q %q", tk.Severity, tk.Service, c.severity, c.service)
			}
			if !reflect.DeepEqual(tk.FormProblems, c.problems) {
				t.Errorf("problems:\n got %q\nwant %q", tk.FormProblems, c.problems)
			}
			if want := ClassOf(c.labels, r); tk.Class != want {
				t.Errorf("class %s, want %s", tk.Class, want)
			}
		})
	}
}

func TestClassifyPermutations(t *testing.T) {
	labels := []string{"incident", "sev2", "service:dns", "sev4", "Service:Postgres", "customer"}
	var first *Ticket
	permute(labels, 0, func(p []string) {
		tk := &Ticket{Labels: append([]string(nil), p...)}
		Classify(tk, config.Default().Labels, testServices)
		if first == nil {
			first = tk
			return
		}
		if tk.Class != first.Class || tk.Severity != first.Severity || tk.Service != first.Service ||
			strings.Join(tk.FormProblems, "|") != strings.Join(first.FormProblems, "|") {
			t.Fatalf("labels %q classify as %s/%s/%s %q, first order gave %s/%s/%s %q", p,
				tk.Class, tk.Severity, tk.Service, tk.FormProblems, first.Class, first.Severity, first.Service, first.FormProblems)
		}
	})
	if first.Severity != "sev2" || first.Service != "postgres" {
		t.Errorf("got %s %s, want sev2 postgres", first.Severity, first.Service)
	}
}

func permute(s []string, k int, f func([]string)) {
	if k == len(s) {
		f(s)
		return
	}
	for i := k; i < len(s); i++ {
		s[k], s[i] = s[i], s[k]
		permute(s, k+1, f)
		s[k], s[i] = s[i], s[k]
	}
}
