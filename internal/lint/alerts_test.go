package lint

import (
	"os"
	"reflect"
	"testing"
)

// TestAlertCoverage reads the alert-runbooks archive: an alert counts as
// covered only when its runbook_url leads to a runbook listing it, and
// takes its service from its label, else from that runbook; an exempt
// alert (Watchdog) is not counted at all.
func TestAlertCoverage(t *testing.T) {
	base, err := os.ReadFile("testdata/rules/opsqa.yaml")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := extract(t, "testdata/rules/alert-runbooks.txtar", base)
	repo, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	got := AlertCoverage(repo)
	want := Coverage{Services: []ServiceCoverage{
		{Service: "", Alerts: 7, Covered: 0, Uncovered: []string{
			"PostgresBadAnchor", "PostgresElsewhere", "PostgresNoReason", "PostgresNoRunbook", "PostgresOtherRepo", "PostgresProcess", "PostgresTypo"}},
		{Service: "postgres", Alerts: 5, Covered: 4, Uncovered: []string{"PostgresNotListed"}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AlertCoverage:\n got %+v\nwant %+v", got, want)
	}
}

// TestAlertCoverageNoRules: without alert_rules there is nothing to cover,
// which is not the same as nothing covered.
func TestAlertCoverageNoRules(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(root+"/opsqa.yaml", []byte("organisation: Test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	repo, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := AlertCoverage(repo); len(got.Services) != 0 {
		t.Errorf("AlertCoverage = %+v, want no services", got)
	}
}
