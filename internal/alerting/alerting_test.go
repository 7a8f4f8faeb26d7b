package alerting

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/opsqa/opsqa/internal/repository"
)

// fixture is a repository with one alert of every kind of coverage.
const fixture = `
-- opsqa.yaml --
organisation: Test
repository: acme/kb
default_branch: main
site: {base_url: "https://kb.example.com/"}
alert_rules: [monitoring/*.yaml]
-- content/runbooks/disk-full.md --
---
id: disk-full
title: Disk full
service: postgres
alerts: [DiskFull, DiskFullSite, DiskFullGitHub]
---
# Disk full
-- processes/change.md --
---
id: change
title: Change
---
-- monitoring/rules.yaml --
groups:
  - name: db
    rules:
      - alert: DiskFull
        annotations: {runbook_url: ../content/runbooks/disk-full.md}
      - alert: DiskFullSite
        labels: {service: storage}
        annotations: {runbook_url: "https://kb.example.com/runbooks/disk-full/"}
      - alert: DiskFullGitHub
        annotations: {runbook_url: "https://github.com/acme/kb/blob/main/content/runbooks/disk-full.md"}
      - alert: NotListed
        annotations: {runbook_url: ../content/runbooks/disk-full.md}
      - alert: NoURL
        expr: up == 0
      - alert: Dangling
        annotations: {runbook_url: "https://kb.example.com/runbooks/disk-ful/"}
      - alert: Process
        annotations: {runbook_url: ../processes/change.md}
      # opsqa-disable-next-line alert-runbooks: heartbeat, pages nobody
      - alert: Watchdog
        expr: vector(1)
      - record: job:up:sum
        expr: sum(up)
`

func load(t testing.TB, archive string) *repository.Repository {
	t.Helper()
	root := t.TempDir()
	for _, f := range txtar.Parse([]byte(archive)).Files {
		p := filepath.Join(root, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	repo, err := repository.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// TestRead pins the verdict of every alert: covered only when the URL,
// in any of the three forms, leads to a runbook that lists the alert; the
// service from the label, else from the runbook; the exempt heartbeat
// neither checked nor counted; the recording rule no alert at all.
func TestRead(t *testing.T) {
	scan := Read(load(t, fixture))
	type verdict struct {
		service, problem string
		covered, exempt  bool
	}
	want := map[string]verdict{
		"DiskFull":       {service: "postgres", covered: true},
		"DiskFullSite":   {service: "storage", covered: true},
		"DiskFullGitHub": {service: "postgres", covered: true},
		"NotListed":      {service: "postgres", problem: "runbook disk-full does not list it"},
		"NoURL":          {problem: "no runbook_url"},
		"Dangling":       {problem: "runbook_url leads to no runbook"},
		"Process":        {problem: "runbook_url leads to no runbook"},
		"Watchdog":       {exempt: true},
	}
	if len(scan.Alerts) != len(want) {
		t.Fatalf("got %d alerts, want %d: %+v", len(scan.Alerts), len(want), scan.Alerts)
	}
	for _, a := range scan.Alerts {
		w, ok := want[a.Name]
		if !ok {
			t.Errorf("unexpected alert %q", a.Name)
			continue
		}
		got := verdict{service: a.Service, problem: a.Problem, covered: a.Covered, exempt: a.Exempt}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", a.Name, got, w)
		}
		if a.Pos.File != "monitoring/rules.yaml" || a.Pos.Line == 0 {
			t.Errorf("%s: position %v, want a line of monitoring/rules.yaml", a.Name, a.Pos)
		}
	}
	if n := len(scan.Counted()); n != len(want)-1 {
		t.Errorf("Counted() = %d alerts, want all but the exempt one (%d)", n, len(want)-1)
	}
	// One finding per uncovered alert, none for the covered or exempt.
	if len(scan.Findings) != 4 {
		t.Errorf("got %d findings, want 4: %+v", len(scan.Findings), scan.Findings)
	}
	for _, f := range scan.Findings {
		if f.Fix == "" {
			t.Errorf("finding without a fix: %+v", f)
		}
	}
}

// TestReadNoRules: without alert_rules there is nothing to cover, which
// is not the same as nothing covered.
func TestReadNoRules(t *testing.T) {
	scan := Read(load(t, "-- opsqa.yaml --\norganisation: Test\n"))
	if len(scan.Alerts) != 0 || len(scan.Findings) != 0 {
		t.Errorf("got %+v, want nothing", scan)
	}
}

// TestReadUnmatchedGlob reports a pattern that matches no file at its
// place in opsqa.yaml.
func TestReadUnmatchedGlob(t *testing.T) {
	scan := Read(load(t, "-- opsqa.yaml --\norganisation: Test\nalert_rules:\n  - alerts/*.yml\n"))
	if len(scan.Findings) != 1 || scan.Findings[0].Pos.File != "opsqa.yaml" || scan.Findings[0].Pos.Line != 3 {
		t.Errorf("got %+v, want one finding at opsqa.yaml:3", scan.Findings)
	}
}

// ecosystem is a repository kept the way the Prometheus ecosystem keeps
// runbooks: one file per alert, named after it, in a folder per group,
// without front matter, published at <base>/runbooks/<group>/<alert>; and
// a PrometheusRule manifest whose runbook_url annotations follow that
// scheme, some of them dangling.
const ecosystem = `
-- opsqa.yaml --
organisation: Test
repository: acme/runbooks
site: {base_url: "https://kb.example.dev/"}
collections:
  - {path: content/runbooks, kind: runbook, front_matter: optional}
runbook_urls:
  - url: https://runbooks.example.dev/runbooks/{group}/{alert}
    path: content/runbooks/{group}/{alert}.md
    ignore_case: true
alert_rules: [manifests/*.yaml]
-- content/runbooks/kubernetes/KubePodCrashLooping.md --
# KubePodCrashLooping
-- content/runbooks/kubernetes/KubeJobFailed.md --
# KubeJobFailed
-- content/runbooks/node/NodeFilesystemSpaceFillingUp.md --
---
title: Filesystem filling up
alerts: [NodeFilesystemAlmostOutOfSpace]
---
# Filesystem
-- manifests/rules.yaml --
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: kube}
spec:
  groups:
    - name: kubernetes-apps
      rules:
        - alert: KubePodCrashLooping
          annotations: {runbook_url: "https://runbooks.example.dev/runbooks/kubernetes/kubepodcrashlooping"}
        - alert: KubeJobFailed
          annotations: {runbook_url: "https://github.com/acme/runbooks/blob/main/content/runbooks/kubernetes/KubeJobFailed.md"}
        - alert: KubeJobFailedSite
          annotations: {runbook_url: "https://kb.example.dev/runbooks/kubernetes/kubejobfailed/"}
        - alert: KubeDeploymentReplicasMismatch
          annotations: {runbook_url: "https://runbooks.example.dev/runbooks/kubernetes/kubedeploymentreplicasmismatch"}
        - alert: KubePodNotReady
          annotations: {runbook_url: "https://runbooks.example.dev/runbooks/kubernetes/KubePodCrashLoopin"}
        - alert: NodeFilesystemSpaceFillingUp
          annotations: {runbook_url: "https://runbooks.example.dev/runbooks/node/nodefilesystemspacefillingup"}
`

// TestReadEcosystemURLs: mapped URLs lead to the file named after the
// alert whatever the case, GitHub blob URLs of the repository and the
// site's nested runbook pages resolve without configuration, a runbook
// without alerts answers the alert it is named after, and each dangling
// URL is reported at its line with the nearest runbook.
func TestReadEcosystemURLs(t *testing.T) {
	scan := Read(load(t, ecosystem))
	want := map[string]string{
		"KubePodCrashLooping":            "",
		"KubeJobFailed":                  "",
		"KubeJobFailedSite":              "runbook KubeJobFailed does not list it",
		"KubeDeploymentReplicasMismatch": "runbook_url leads to no runbook",
		"KubePodNotReady":                "runbook_url leads to no runbook",
		"NodeFilesystemSpaceFillingUp":   "runbook NodeFilesystemSpaceFillingUp does not list it",
	}
	if len(scan.Alerts) != len(want) {
		t.Fatalf("got %d alerts, want %d", len(scan.Alerts), len(want))
	}
	for _, a := range scan.Alerts {
		if a.Problem != want[a.Name] || a.Covered != (want[a.Name] == "") {
			t.Errorf("%s: problem %q covered %v, want problem %q", a.Name, a.Problem, a.Covered, want[a.Name])
		}
	}
	found := map[int]string{}
	for _, f := range scan.Findings {
		found[f.Pos.Line] = f.Message
	}
	for line, msg := range map[int]string{
		15: "maps to content/runbooks/kubernetes/kubedeploymentreplicasmismatch.md, which does not exist",
		17: `did you mean "content/runbooks/kubernetes/KubePodCrashLooping.md"?`,
	} {
		if !strings.Contains(found[line], msg) {
			t.Errorf("manifests/rules.yaml:%d: %q, want it to say %q", line, found[line], msg)
		}
	}
}
