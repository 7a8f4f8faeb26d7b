package config

import (
	"fmt"
	"strings"
	"testing"
)

func TestCheckPaths(t *testing.T) {
	cfg, err := Parse([]byte(`
collections:
  - {path: content/runbooks, kind: runbook}
  - {path: ../other/runbooks, kind: runbook}
  - {path: /etc, kind: process, schema: ../../schema.json}
teams:
  - {id: platform, name: P, members: []}
  - {id: "../../evil", name: E, members: []}
services:
  - {id: postgres, name: PG, team: platform}
  - {id: "../../../../tmp/x", name: X, team: platform}
  - {id: "Web Shop", name: W, team: platform}
alert_rules: [monitoring/*.yml, "../**/*.yml", /etc/prometheus/*.yml]
runbook_urls:
  - {url: "https://x.example/{a}", path: "../{a}.md"}
scorecard:
  history: ../history.jsonl
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range cfg.CheckPaths() {
		got = append(got, fmt.Sprint(p.Key...)+": "+p.Message)
	}
	want := []string{
		`collections1path: collection path "../other/runbooks" climbs out of the repository`,
		`collections2path: collection path "/etc" is absolute`,
		`collections2schema: schema "../../schema.json" climbs out`,
		`teams1id: team id "../../evil" is not a slug`,
		`services1id: service id "../../../../tmp/x" is not a slug`,
		`services2id: service id "Web Shop" is not a slug`,
		`alert_rules1: alert_rules pattern "../**/*.yml" climbs out`,
		`alert_rules2: alert_rules pattern "/etc/prometheus/*.yml" is absolute`,
		`runbook_urls0path: runbook_urls path "../{a}.md" climbs out`,
		`scorecardhistory: scorecard history "../history.jsonl" climbs out`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\ngot  %s\nwant %s…", i, got[i], want[i])
		}
	}
	if ps := Default().CheckPaths(); len(ps) != 0 {
		t.Errorf("the defaults have problems: %v", ps)
	}
}

func TestSafeID(t *testing.T) {
	for id, want := range map[string]bool{"postgres": true, "a": true, "web-shop": true, "x1": true,
		"../x": false, "a/b": false, "-a": false, "a-": false, "": false, "A": false, "a.b": false, strings.Repeat("a", 81): false} {
		if SafeID(id) != want {
			t.Errorf("SafeID(%q) = %v, want %v", id, !want, want)
		}
	}
}
