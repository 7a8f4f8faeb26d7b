package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/ticket"
)

// BenchmarkBuildLarge builds a generated repository of 5,000 documents and
// 10,000 tickets with 'opsqa build', without Pagefind, and reports the
// split between opsqa's own work (lint, KPIs, scorecards, data files) and
// Hugo, and the size of the dashboard page.
//
//	go test ./internal/cli -run '^$' -bench BuildLarge -benchtime 3x
func BenchmarkBuildLarge(b *testing.B) {
	repo := b.TempDir()
	writeLargeRepo(b, repo, 5000, 10000)
	runtime.GC() // the generator's garbage is not the build's
	re := regexp.MustCompile(`built (\d+) pages in ([\d.]+)s \(opsqa ([\d.]+)s, hugo ([\d.]+)s, publish ([\d.]+)s`)
	var total, own, hugo, publish, dashboardKB float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var out, errOut bytes.Buffer
		env := &Env{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" },
			Now: time.Now, Dir: repo}
		b.StartTimer()
		code := Main([]string{"build", "--allow-lint-errors", "--as-of", "2026-11-27", "--history", ""}, env)
		b.StopTimer()
		if code != 0 {
			b.Fatalf("exit %d\n%s", code, tailOf(errOut.String(), 3000))
		}
		m := re.FindStringSubmatch(out.String())
		if m == nil {
			b.Fatalf("no summary in %q", out.String())
		}
		pages, _ := strconv.Atoi(m[1])
		if pages < 15000 {
			b.Fatalf("only %d pages", pages)
		}
		t, _ := strconv.ParseFloat(m[2], 64)
		o, _ := strconv.ParseFloat(m[3], 64)
		h, _ := strconv.ParseFloat(m[4], 64)
		p, _ := strconv.ParseFloat(m[5], 64)
		total, own, hugo, publish = total+t, own+o, hugo+h, publish+p
		// Every build starts from no site, as in CI: removing the previous
		// site is file-system work that says nothing about opsqa.
		fi, err := os.Stat(filepath.Join(repo, "public", "index.html"))
		if err != nil {
			b.Fatal(err)
		}
		dashboardKB = float64(fi.Size()) / 1024
		if err := os.RemoveAll(filepath.Join(repo, "public")); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(total/n, "s/build")
	b.ReportMetric(own/n, "s-opsqa/build")
	b.ReportMetric(hugo/n, "s-hugo/build")
	b.ReportMetric(publish/n, "s-publish/build")
	b.ReportMetric(100*own/total, "%opsqa")
	b.ReportMetric(dashboardKB, "KB-dashboard")
}

func tailOf(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// writeLargeRepo writes a repository with docs documents spread over the
// six kinds and a snapshot of tickets tickets.
func writeLargeRepo(tb testing.TB, dir string, docs, tickets int) {
	tb.Helper()
	const services = 40
	var cfg strings.Builder
	cfg.WriteString("organisation: Bench\nrepository: bench/ops\nsite: {title: Bench, base_url: https://bench.example/}\n")
	cfg.WriteString("roles:\n  - {id: on-call-engineer, name: On-call engineer, on_call: true}\n  - {id: ops-manager, name: Operations manager}\n")
	cfg.WriteString("teams:\n")
	for t := 0; t < 8; t++ {
		fmt.Fprintf(&cfg, "  - {id: team-%d, name: Team %d, members: [{login: user-%d, role: on-call-engineer}]}\n", t, t, t)
	}
	cfg.WriteString("services:\n")
	for s := 0; s < services; s++ {
		fmt.Fprintf(&cfg, "  - {id: svc-%d, name: Service %d, team: team-%d, tier: 1}\n", s, s, s%8)
	}
	cfg.WriteString(`scorecard:
  levels: [bronze, silver, gold]
  checks:
    - {id: runbooks-reviewed, title: Runbooks reviewed, level: bronze, weight: 2, applies_to: service, remediation: Review them.}
    - {id: mttr-target, title: MTTR within target, level: silver, weight: 3, applies_to: service, remediation: Faster.}
    - {id: response-target, title: Response target, level: silver, weight: 2, applies_to: service, remediation: Answer.}
    - {id: postmortems-done, title: Postmortems, level: gold, weight: 2, applies_to: service, remediation: Write them.}
`)
	write(tb, filepath.Join(dir, "opsqa.yaml"), cfg.String())

	body := strings.Repeat("The on-call engineer checks the dashboards, reads the logs and follows the steps below in order. ", 3)
	section := func(name string) string {
		return fmt.Sprintf("## %s\n\n%s\n\n```sh\nkubectl get pods -n orders\n```\n\n", name, body)
	}
	runbookBody := ""
	for _, s := range []string{"Overview", "Symptoms", "Impact", "Diagnosis", "Mitigation", "Escalation"} {
		runbookBody += section(s)
	}
	kinds := []struct{ folder, front, body string }{
		{"content/runbooks", "service: svc-{s}\nseverity: sev2\nalerts: [Alert{i}]\nescalation: {team: team-1, after_minutes: 30}\n", runbookBody + "See [the process](../../processes/doc-{p}.md).\n"},
		{"processes", "practice: incident-management\nversion: \"1.0\"\nroles: [{id: on-call-engineer, name: On-call engineer}, {id: ops-manager, name: Operations manager}]\nraci:\n  - {activity: Respond, responsible: on-call-engineer, accountable: ops-manager}\n  - {activity: Review, responsible: ops-manager, accountable: ops-manager, informed: [on-call-engineer]}\nkpis: [mttr]\n", section("Purpose") + section("Scope") + section("Procedure")},
		{"content/postmortems", "incident: {i}\nservice: svc-{s}\nseverity: sev2\nmilestones: {started: 2026-06-01T10:00:00Z, detected: 2026-06-01T10:05:00Z, resolved: 2026-06-01T10:40:00Z}\naction_items: [{title: Add an alert, owner: team-1, status: done}]\n", section("Summary") + section("Impact") + section("Timeline") + section("Root cause") + section("Action items")},
		{"training/curricula", "audience: [on-call-engineer]\nmodules: [doc-{q}]\npass_mark: 80\n", section("Who it is for")},
		{"training/modules", "objectives: [Respond well]\nduration_minutes: 30\nquiz: doc-{q}\n", section("Overview") + section("Material")},
		{"training/quizzes", "module: doc-{m}\npass_mark: 80\n", "## Which is right? {#q1}\n\n1. [ ] No\n1. [x] Yes\n\n> Because.\n\n## Which apply? {#q2}\n\n- [x] One\n- [x] Two\n- [ ] Three\n\n> Both.\n"},
	}
	for i := 0; i < docs; i++ {
		k := kinds[i%len(kinds)]
		if i < docs*2/5 {
			k = kinds[0] // runbooks are most of a knowledge base
		}
		// Every module is assessed by the quiz after it; every curriculum
		// and quiz names the module before it; runbooks link to the first
		// process.
		process, module := firstOfKind(docs, 1), i-1
		front := strings.NewReplacer("{i}", strconv.Itoa(i), "{s}", strconv.Itoa(i%services),
			"{m}", strconv.Itoa(module), "{q}", strconv.Itoa(i+1), "{p}", strconv.Itoa(process)).Replace(k.front)
		doc := fmt.Sprintf("---\nid: doc-%d\ntitle: Document %d about service %d\ndescription: A generated document.\nowner: team-%d\nstatus: active\nlast_reviewed: 2026-09-01\ntags: [generated]\n%s---\n\n%s", i, i, i%services, i%8, front,
			strings.ReplaceAll(k.body, "{p}", strconv.Itoa(firstOfKind(docs, 1))))
		write(tb, filepath.Join(dir, filepath.FromSlash(k.folder), fmt.Sprintf("doc-%d.md", i)), doc)
	}

	snap := &ticket.Snapshot{Repository: "bench/ops", SyncedAt: time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)}
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < tickets; i++ {
		created := start.Add(time.Duration(i) * 23 * time.Minute)
		responded := created.Add(time.Duration(60+i%900) * time.Second)
		t := ticket.Ticket{
			Number: i + 1, Title: fmt.Sprintf("Service %d degraded <%d>", i%services, i), Class: ticket.Incident,
			Severity: fmt.Sprintf("sev%d", 1+i%4), Service: fmt.Sprintf("svc-%d", i%services),
			Author: ticket.Actor{Login: "reporter", Type: "User"}, Labels: []string{"incident"},
			State: ticket.Open, CreatedAt: created, UpdatedAt: responded,
			Fields: map[string]string{"impact": "Customers could not book parcels."},
			Events: []ticket.Event{{Kind: ticket.Commented, At: responded, Actor: ticket.Actor{Login: "user-1", Type: "User"}}},
		}
		if i%10 != 0 {
			closed := responded.Add(time.Duration(600+(i*37)%7200) * time.Second)
			t.State, t.StateReason, t.ClosedAt = ticket.Closed, ticket.Completed, &closed
			t.Events = append(t.Events, ticket.Event{Kind: ticket.ClosedEv, At: closed, Actor: ticket.Actor{Login: "user-1", Type: "User"}, StateReason: ticket.Completed})
		}
		snap.Tickets = append(snap.Tickets, t)
	}
	if err := ticket.WriteSnapshot(filepath.Join(dir, "data", "snapshot.jsonl"), snap); err != nil {
		tb.Fatal(err)
	}
}

// firstOfKind is the index of the first generated document of kinds[k].
func firstOfKind(docs, k int) int {
	i := docs * 2 / 5
	for i%6 != k {
		i++
	}
	return i
}

func write(tb testing.TB, p, s string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		tb.Fatal(err)
	}
}
