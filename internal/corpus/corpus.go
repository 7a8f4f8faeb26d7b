// Package corpus writes a knowledge repository of realistic runbooks
// (front matter, every required section, shell snippets, a table, links
// between runbooks) for the lint benchmarks: scripts/bench-lint.sh,
// BenchmarkLintCorpus and BenchmarkBrokenLinks. The output is
// deterministic.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// config is the corpus's opsqa.yaml.
const config = `organisation: Benchmark
repository: example/ops
teams:
  - {id: platform, name: Platform, members: [{login: alice, role: sre}]}
  - {id: operations, name: Operations, members: [{login: bob, role: on-call-engineer}]}
roles:
  - {id: sre, name: SRE, on_call: true}
  - {id: on-call-engineer, name: On-call engineer, on_call: true}
services:
  - {id: postgres, name: PostgreSQL, team: platform}
  - {id: web, name: Web, team: operations}
  - {id: queue, name: Queue, team: platform}
`

// Write writes opsqa.yaml and n runbooks under dir/content/runbooks.
func Write(dir string, n int) error { return write(dir, n, false) }

// WriteBrokenLinks writes the corpus of Write with a typo in every link
// between runbooks ("rnubook-00043.md"): each is then reported with the
// name it was meant to be, which measures the search for near names.
func WriteBrokenLinks(dir string, n int) error { return write(dir, n, true) }

func write(dir string, n int, broken bool) error {
	rb := filepath.Join(dir, "content", "runbooks")
	if err := os.MkdirAll(rb, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "opsqa.yaml"), []byte(config), 0o644); err != nil {
		return err
	}
	services := []string{"postgres", "web", "queue"}
	for i := range n {
		id := fmt.Sprintf("runbook-%05d", i)
		next := fmt.Sprintf("runbook-%05d", (i+1)%n)
		if broken {
			next = "rnubook" + strings.TrimPrefix(next, "runbook")
		}
		svc := services[i%len(services)]
		if err := os.WriteFile(filepath.Join(rb, id+".md"), []byte(runbook(id, next, svc, i)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func runbook(id, next, svc string, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `---
id: %s
title: Service %s alert %d
description: Restores %s when alert %d fires.
owner: platform
service: %s
status: active
last_reviewed: 2026-10-%02d
severity: sev%d
alerts: [Alert%05d]
escalation:
  team: platform
  after_minutes: 30
  contact: "PagerDuty: platform-primary"
tags: [generated, %s]
---
`, id, svc, i, svc, i, svc, 1+i%28, 1+i%4, i, svc)
	sections := []string{"Overview", "Symptoms", "Impact", "Diagnosis", "Mitigation", "Escalation", "Verification"}
	for _, s := range sections {
		fmt.Fprintf(&b, "\n## %s\n\n", s)
		for p := range 3 {
			fmt.Fprintf(&b, "Paragraph %d of %s for %s: check the dashboards, compare with the last known good state, and record what you see in the incident issue before you change anything.\n", p, s, svc)
		}
		switch s {
		case "Diagnosis", "Mitigation":
			fmt.Fprintf(&b, "\n```sh\nkubectl -n %s get pods -o wide\nkubectl -n %s logs deploy/%s --since=15m | grep -i error | tail -n 50\nfor pod in $(kubectl -n %s get pods -o name); do\n  kubectl -n %s describe \"$pod\" | sed -n '/Events/,$p'\ndone\n```\n", svc, svc, svc, svc, svc)
			fmt.Fprintf(&b, "\n1. Look at the output.\n2. If the error rate stays above 5 %%, go to [the next runbook](%s.md#mitigation).\n3. Otherwise continue.\n", next)
		case "Escalation":
			b.WriteString("\n| After | Who |\n|---|---|\n| 15 min | platform on call |\n| 30 min | incident manager |\n")
		}
	}
	return b.String()
}
