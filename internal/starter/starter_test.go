package starter

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The starter's issue forms are the repository's own, with the starter's
// one service in the dropdowns: incidents sync reads both with the same
// parser, so they must not drift apart.
func TestStarterFormsFollowTheRepository(t *testing.T) {
	files, err := Files(Params{Organisation: "Example", Today: "2026-12-01"})
	if err != nil {
		t.Fatal(err)
	}
	services := regexp.MustCompile(`(?m)(^    id: service\n(?:.*\n){3}      options:\n)(        - [a-z0-9-]+\n)+`)
	for _, form := range []string{"incident.yml", "problem.yml", "feedback.yml", "quiz-result.yml"} {
		own, err := os.ReadFile(filepath.Join("../../.github/ISSUE_TEMPLATE", form))
		if err != nil {
			t.Fatal(err)
		}
		want := services.ReplaceAllString(string(own), "${1}        - example-service\n")
		want = strings.ReplaceAll(want, "https://ops.northwind-parcel.example/", "https://ops.example.com/")
		got := string(files[".github/ISSUE_TEMPLATE/"+form])
		if got != want {
			t.Errorf("starter %s differs from the repository's form beyond the service list:\n%s", form, got)
		}
	}
}

// Every file is filled in: no parameter is left unexpanded, and the ones
// given appear.
func TestFilesFillParameters(t *testing.T) {
	files, err := Files(Params{Organisation: "Acme Ops", Today: "2031-02-03", ActionRef: "0123456789abcdef0123456789abcdef01234567 # v9.9.9"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("only %d starter files", len(files))
	}
	for name, b := range files {
		if strings.Contains(string(b), "[[") {
			t.Errorf("%s holds an unexpanded parameter", name)
		}
	}
	if !strings.Contains(string(files["opsqa.yaml"]), "organisation: Acme Ops") {
		t.Errorf("opsqa.yaml does not name the organisation:\n%s", files["opsqa.yaml"])
	}
	if !strings.Contains(string(files["content/runbooks/example-service-down.md"]), "last_reviewed: 2031-02-03") {
		t.Error("the runbook's last review is not the day given")
	}
	ci := string(files[".github/workflows/opsqa-ci.yml"])
	if !strings.Contains(ci, "${{ github.ref }}") {
		t.Error("the workflow's expressions did not pass through")
	}
	if !strings.Contains(ci, "uses: opsqa/opsqa@0123456789abcdef0123456789abcdef01234567 # v9.9.9") {
		t.Errorf("the workflow does not pin the action as given:\n%s", ci)
	}
}
