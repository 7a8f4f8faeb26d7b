package sample

import (
	"time"

	"github.com/opsqa/opsqa/internal/ticket"
)

// The people of opsqa.yaml, by team.
var teams = map[string][]string{
	"operations":   {"mei-lin", "arjun-rao", "sofia-alvarez", "tom-becker", "li-na"},
	"platform":     {"kenji-sato", "olu-adeyemi", "hannah-kim", "lucas-moreau"},
	"applications": {"priya-nair", "daniel-okafor", "wang-fang", "grace-mwangi"},
	"user-support": {"zhang-wei", "emma-johnson", "carlos-mendes"},
}

// onCall is the operations rotation that answers first.
var onCall = []string{"sofia-alvarez", "tom-becker", "li-na", "arjun-rao"}

// onCallStaff take the on-call quizzes.
var onCallStaff = []string{"sofia-alvarez", "tom-becker", "li-na", "arjun-rao", "olu-adeyemi", "lucas-moreau", "hannah-kim", "kenji-sato", "daniel-okafor"}

var everyone = func() []string {
	var out []string
	for _, id := range []string{"operations", "platform", "applications", "user-support"} {
		out = append(out, teams[id]...)
	}
	return out
}()

// pages are the site pages feedback is given on.
var pages = []string{
	"/runbooks/postgres-disk-space/", "/runbooks/postgres-wal-archiving/", "/runbooks/postgres-replication-lag/",
	"/runbooks/postgres-connections/", "/runbooks/orders-api-errors/", "/runbooks/orders-api-latency/",
	"/runbooks/orders-api-crashloop/", "/runbooks/storefront-errors/", "/runbooks/storefront-latency/",
}

// quizzes are the training modules' quizzes.
var quizzes = []string{
	"oncall-fundamentals-quiz", "incident-response-quiz", "severity-and-escalation-quiz",
	"alerting-and-runbooks-quiz", "database-triage-quiz", "kubernetes-triage-quiz",
	"change-management-basics-quiz", "postmortems-and-problem-management-quiz",
}

type service struct {
	id, team string
	// weight is how often it has incidents; mttrFactor how slow they are
	// to fix.
	weight, mttrFactor float64
	incidentTitles     []string
	problemTitles      []string
	impacts            []string
}

var serviceOrder = []string{"storefront", "orders-api", "postgres", "rabbitmq", "redis", "kubernetes", "dns", "certificates", "backups"}

var services = map[string]*service{
	"storefront": {id: "storefront", team: "applications", weight: 15, mttrFactor: 0.9,
		incidentTitles: []string{"Storefront returning 502 on checkout", "StorefrontHighLatency: booking page p95 above 3 s", "Storefront static assets failing to load", "Parcel tracking page shows a blank screen"},
		problemTitles:  []string{"Storefront Node.js workers leak memory and restart daily", "Checkout page slow after every deployment", "Storefront error rate spikes at the top of each hour"},
		impacts:        []string{"Customers cannot book parcels on the web site.", "Tracking pages load slowly for most customers.", "Some customers see errors at checkout and retry."}},
	"orders-api": {id: "orders-api", team: "applications", weight: 20, mttrFactor: 1.25,
		incidentTitles: []string{"OrdersAPIHighErrorRate: 5xx above 5 %", "Orders API pods crash-looping after deploy", "Partner integrations time out calling the orders API", "OrdersAPIHighLatency: p99 above 2 s"},
		problemTitles:  []string{"Orders API connection pool exhausted under peak load", "Recurring OrdersAPIPodCrashLooping after config reloads", "Orders API retries amplify PostgreSQL load"},
		impacts:        []string{"Order creation fails for a share of customers and partners.", "Partner label printing is delayed.", "Checkout is slow; some orders are created twice."}},
	"postgres": {id: "postgres", team: "platform", weight: 12, mttrFactor: 1.2,
		incidentTitles: []string{"PostgresReplicationLag: replica 10 minutes behind", "PostgresTooManyConnections on the primary", "PostgresDiskSpaceLow on a replica", "Slow queries on the orders table after autovacuum stalled"},
		problemTitles:  []string{"Replication lag every night during the backup window", "PgBouncer pool sizing does not match the orders API replicas", "Autovacuum cannot keep up with the events table"},
		impacts:        []string{"Order history is stale for customers.", "The orders API returns errors when the pool is full.", "Reports run slowly; no customer impact yet."}},
	"rabbitmq": {id: "rabbitmq", team: "platform", weight: 10, mttrFactor: 1,
		incidentTitles: []string{"RabbitMQQueueBacklog on tracking-events", "RabbitMQNodeDown: rabbit-2 left the cluster", "Tracking updates delayed by 20 minutes"},
		problemTitles:  []string{"Tracking consumers do not scale with queue depth", "RabbitMQ node restarts lose unacknowledged messages"},
		impacts:        []string{"Tracking updates reach customers late.", "Order confirmation e-mails are delayed."}},
	"redis": {id: "redis", team: "platform", weight: 8, mttrFactor: 0.7,
		incidentTitles: []string{"RedisMemoryHigh on the session cache", "RedisDown: storefront sessions lost", "Rate limiter rejecting partner requests"},
		problemTitles:  []string{"Session keys have no TTL and fill Redis", "Redis failover takes longer than the client timeout"},
		impacts:        []string{"Customers are logged out and must sign in again.", "Some partner requests are rejected with 429."}},
	"kubernetes": {id: "kubernetes", team: "platform", weight: 12, mttrFactor: 1.05,
		incidentTitles: []string{"KubeNodeDiskPressure on the general node pool", "KubePodCrashLooping in the ingress namespace", "Ingress controller restarts drop connections", "Cluster autoscaler not adding nodes"},
		problemTitles:  []string{"Node image updates are not tested before rollout", "Ingress controller memory limits too low for peak traffic", "Evictions during disk pressure hit critical pods"},
		impacts:        []string{"Requests fail while pods are rescheduled.", "Deployments are blocked; no customer impact yet."}},
	"dns": {id: "dns", team: "platform", weight: 6, mttrFactor: 0.8,
		incidentTitles: []string{"CoreDNSErrorsHigh: SERVFAIL for cluster.local", "DNSResolutionFailing for the partner API hostname", "Intermittent NXDOMAIN from CoreDNS"},
		problemTitles:  []string{"CoreDNS cache too small for the cluster's query rate", "DNS changes are not reviewed before rollout"},
		impacts:        []string{"Services intermittently fail to reach each other.", "Partners cannot resolve the API host name."}},
	"certificates": {id: "certificates", team: "platform", weight: 5, mttrFactor: 1,
		incidentTitles: []string{"CertificateExpiringSoon for tracking.northwind-parcel.example", "CertManagerRenewalFailing for the storefront certificate"},
		problemTitles:  []string{"Certificate alerts route to a channel nobody watches", "cert-manager solver credentials are not rotated with the DNS API token"},
		impacts:        []string{"No customer impact yet; a certificate expires within days.", "Browsers warn customers about the certificate."}},
	"backups": {id: "backups", team: "platform", weight: 6, mttrFactor: 0.9,
		incidentTitles: []string{"BackupJobFailed: nightly PostgreSQL base backup", "BackupTooOld: object-store backup older than 26 h"},
		problemTitles:  []string{"Restore test has not been run since March", "Backups fail whenever the object-store credentials rotate"},
		impacts:        []string{"No customer impact; recovery point objective at risk.", "The last restorable backup is older than policy allows."}},
}

var totalWeight = func() float64 {
	var w float64
	for _, s := range services {
		w += s.weight
	}
	return w
}()

// pinnedIncident is a major incident whose numbers and times the
// postmortems in content/postmortems give.
type pinnedIncident struct {
	Number   int
	Title    string
	Severity string
	Service  string
	Author   ticket.Actor
	// Started, Created (detected), Acknowledged, Mitigated, Resolved.
	Started, Created, Ack, Mitigated, Resolved time.Time
	// Responders: the first answers at Ack, the second joins after.
	Responders [2]string
	Impact     string
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

var pinned = []pinnedIncident{
	{Number: 14, Title: "Orders API returning 500s: PostgreSQL primary out of disk space", Severity: "sev1", Service: "postgres",
		Author: alertBot, Started: utc("2026-05-09T02:10:00Z"), Created: utc("2026-05-09T02:14:00Z"), Ack: utc("2026-05-09T02:21:00Z"),
		Mitigated: utc("2026-05-09T03:05:00Z"), Resolved: utc("2026-05-09T03:32:00Z"), Responders: [2]string{"tom-becker", "hannah-kim"},
		Impact: "Checkout and order tracking failed for all customers: the orders API returned HTTP 500."},
	{Number: 47, Title: "TLS certificate for api.northwind-parcel.example expired", Severity: "sev1", Service: "certificates",
		Author: user("emma-johnson"), Started: utc("2026-06-18T00:00:00Z"), Created: utc("2026-06-18T06:40:00Z"), Ack: utc("2026-06-18T06:52:00Z"),
		Mitigated: utc("2026-06-18T07:20:00Z"), Resolved: utc("2026-06-18T07:41:00Z"), Responders: [2]string{"sofia-alvarez", "lucas-moreau"},
		Impact: "Partner integrations and the mobile app could not reach the API: certificate expired."},
	{Number: 83, Title: "Order events delayed: RabbitMQ memory alarm blocking publishers", Severity: "sev2", Service: "rabbitmq",
		Author: alertBot, Started: utc("2026-07-22T13:05:00Z"), Created: utc("2026-07-22T13:09:00Z"), Ack: utc("2026-07-22T13:12:00Z"),
		Mitigated: utc("2026-07-22T13:31:00Z"), Resolved: utc("2026-07-22T13:44:00Z"), Responders: [2]string{"li-na", "olu-adeyemi"},
		Impact: "Order confirmations and tracking events were delayed; order creation slowed."},
	{Number: 121, Title: "Internal DNS change broke service discovery for the orders API", Severity: "sev2", Service: "dns",
		Author: user("daniel-okafor"), Started: utc("2026-08-30T09:30:00Z"), Created: utc("2026-08-30T09:33:00Z"), Ack: utc("2026-08-30T09:35:00Z"),
		Mitigated: utc("2026-08-30T09:49:00Z"), Resolved: utc("2026-08-30T09:58:00Z"), Responders: [2]string{"arjun-rao", "kenji-sato"},
		Impact: "The orders API could not reach PostgreSQL or RabbitMQ by name; most orders failed."},
	{Number: 168, Title: "Node pool NotReady after kernel upgrade", Severity: "sev2", Service: "kubernetes",
		Author: alertBot, Started: utc("2026-10-05T21:40:00Z"), Created: utc("2026-10-05T21:43:00Z"), Ack: utc("2026-10-05T21:46:00Z"),
		Mitigated: utc("2026-10-05T22:02:00Z"), Resolved: utc("2026-10-05T22:11:00Z"), Responders: [2]string{"tom-becker", "lucas-moreau"},
		Impact: "Half of the production pods were evicted; storefront and orders API degraded."},
}

// ticket renders the pinned incident with the events that make its
// milestones come out exactly as the postmortem states them.
func (p pinnedIncident) ticket() ticket.Ticket {
	t := newTicket(ticket.Incident, p.Title, p.Severity, p.Service, p.Author, p.Created)
	t.Fields["impact_started"] = p.Started.Format(time.RFC3339)
	t.Fields["detected_by"] = detectedBy(p.Author)
	t.Fields["impact"] = p.Impact
	first, second := p.Responders[0], p.Responders[1]
	t.Events = append(t.Events, triage(t, p.Created)...)
	t.Events = append(t.Events,
		// An automatic page and assignment: neither is a human response.
		ticket.Event{Kind: ticket.Assigned, At: p.Created.Add(30 * time.Second), Actor: ghBot, Assignee: first},
		comment(p.Ack, user(first)),
		ticket.Event{Kind: ticket.Labeled, At: p.Ack.Add(30 * time.Second), Actor: user(first), Label: "acknowledged"},
		ticket.Event{Kind: ticket.Assigned, At: p.Ack.Add(2 * time.Minute), Actor: user(first), Assignee: second},
		comment(p.Ack.Add(6*time.Minute), user(second)),
		comment(p.Mitigated.Add(-4*time.Minute), user(first)),
		ticket.Event{Kind: ticket.Labeled, At: p.Mitigated, Actor: user(second), Label: "mitigated"},
		comment(p.Resolved.Add(-time.Minute), user(second)),
		closeEv(p.Resolved, first, ticket.Completed),
		botComment(p.Resolved.Add(30*time.Second)),
	)
	if !p.Author.IsBot() {
		// The reporter adds detail before the answer: not a response.
		t.Events = append(t.Events, comment(p.Created.Add(p.Ack.Sub(p.Created)/2), p.Author))
	}
	return *t
}

// quizKey is one question of a quiz as the sample answers it: its id, how
// many options it has and the letters of the right ones. A test holds the
// table to training/quizzes.
type quizKey struct {
	id      string
	options int
	correct string
}

var quizKeys = map[string][]quizKey{
	"alerting-and-runbooks-quiz":              {{"runbook-url", 4, "c"}, {"symptoms", 4, "a,c"}, {"cause-alerts", 4, "d"}, {"route-47", 4, "b"}, {"mitigation-order", 4, "b"}, {"silence", 4, "a,d"}, {"runbook-wrong", 4, "a"}, {"delete-alert", 4, "b"}},
	"change-risk-and-cab-quiz":                {{"score-coredns", 4, "a"}, {"score-levels", 4, "a"}, {"blast-radius", 4, "c"}, {"untestable", 4, "a"}, {"agenda", 4, "a,b,d"}, {"outcomes", 4, "b"}, {"pir-when", 4, "b,c,d"}, {"catalogue", 4, "c"}},
	"emergency-changes-quiz":                  {{"qualifies", 4, "a,c"}, {"approval", 4, "d"}, {"merge-before-review", 4, "a"}, {"safeguards", 4, "a,b,c"}, {"smallest", 4, "d"}, {"standard-during-incident", 4, "d"}, {"after", 4, "a,b,d"}, {"emergency-share", 4, "c"}},
	"change-management-basics-quiz":           {{"type-scale", 4, "a"}, {"type-coredns", 3, "b"}, {"type-deadline", 3, "a"}, {"standard-catalogue", 4, "d"}, {"rollback-plan", 5, "b,c,e"}, {"what-is-change", 4, "b,c,d"}, {"freeze", 4, "d"}, {"approvals", 4, "c"}},
	"database-triage-quiz":                    {{"wal-growth", 4, "b"}, {"delete-wal", 4, "b"}, {"archiver-check", 4, "c"}, {"replica-missing", 4, "d"}, {"connections", 4, "a,c,d"}, {"redis-severity", 4, "b"}, {"lessons-14", 5, "c,d,e"}, {"backups", 4, "c"}},
	"incident-response-quiz":                  {{"first-response", 4, "b"}, {"incident-fields", 4, "a,b,d"}, {"mitigate-first", 4, "c"}, {"impact-started", 4, "b"}, {"compute-83", 4, "c"}, {"close-reasons", 4, "b,c"}, {"reopen", 4, "d"}, {"premature-close", 4, "a"}},
	"kubernetes-triage-quiz":                  {{"scope-first", 4, "c"}, {"many-nodes", 4, "b"}, {"cni-message", 4, "d"}, {"safe-mitigations", 5, "a,c,d"}, {"oomkilled", 4, "b"}, {"drain-pdb", 4, "a"}, {"verify", 4, "a,c,d"}, {"mttr-168", 4, "d"}},
	"oncall-fundamentals-quiz":                {{"mttr-clock", 4, "d"}, {"mttr-target", 4, "a"}, {"incident-47", 4, "b"}, {"first-response-signals", 5, "c,e"}, {"page-ack", 4, "d"}, {"open-past-deadline", 4, "d"}, {"handover", 4, "b,c,d"}, {"access-check", 4, "d"}},
	"postmortems-and-problem-management-quiz": {{"when-required", 4, "b,c"}, {"due-date", 4, "c"}, {"blameless", 4, "c"}, {"human-error", 4, "d"}, {"causes-47", 5, "b,c,e"}, {"action-items", 4, "b,c,d"}, {"known-error", 4, "a"}, {"problem-24h", 4, "c"}},
	"severity-and-escalation-quiz":            {{"classify-orders-down", 4, "a"}, {"classify-replica-lag", 4, "c"}, {"imminent", 4, "b"}, {"response-targets", 5, "a,c,d"}, {"torn", 3, "a"}, {"escalate-when", 4, "b"}, {"major-criteria", 5, "a,b,d"}, {"im-role", 4, "b"}},
}

// attempt is a quiz result in the training plan: who, which quiz, how
// many questions they got wrong (one of eight still passes at 80 %, three
// fail), whether the page's score was edited to full marks, and whether
// it was submitted again straight after the attempt before it.
type attempt struct {
	who, quiz string
	wrong     int
	tampered  bool
	again     bool
}

// trainingPlan is the order in which the quiz results come in. In June
// and July the change manager and a technical lead take the change-manager
// curriculum (recertified every 120 days: Grace's lapses in October,
// Priya's falls due in November). From September everyone on call takes
// the on-call curriculum before the yearly certification runs out in
// November: most finish; Li Na fails database triage twice; Lucas has three
// modules left; Olu edits a failed score to full marks; Tom submits a
// second time within minutes of failing, which is too soon to count.
var trainingPlan = []attempt{
	{"grace-mwangi", "change-management-basics-quiz", 0, false, false},
	{"grace-mwangi", "change-risk-and-cab-quiz", 1, false, false},
	{"grace-mwangi", "emergency-changes-quiz", 0, false, false},
	{"grace-mwangi", "incident-response-quiz", 1, false, false},
	{"priya-nair", "change-management-basics-quiz", 1, false, false},
	{"priya-nair", "change-risk-and-cab-quiz", 0, false, false},
	{"priya-nair", "emergency-changes-quiz", 1, false, false},
	{"priya-nair", "incident-response-quiz", 0, false, false},
	{"olu-adeyemi", "oncall-fundamentals-quiz", 0, false, false},
	{"sofia-alvarez", "oncall-fundamentals-quiz", 1, false, false},
	{"li-na", "oncall-fundamentals-quiz", 0, false, false},
	{"hannah-kim", "oncall-fundamentals-quiz", 1, false, false},
	{"olu-adeyemi", "incident-response-quiz", 0, false, false},
	{"li-na", "incident-response-quiz", 1, false, false},
	{"sofia-alvarez", "incident-response-quiz", 0, false, false},
	{"tom-becker", "oncall-fundamentals-quiz", 0, false, false},
	{"arjun-rao", "oncall-fundamentals-quiz", 0, false, false},
	{"hannah-kim", "incident-response-quiz", 0, false, false},
	{"tom-becker", "incident-response-quiz", 1, false, false},
	{"lucas-moreau", "oncall-fundamentals-quiz", 0, false, false},
	{"sofia-alvarez", "severity-and-escalation-quiz", 1, false, false},
	{"olu-adeyemi", "severity-and-escalation-quiz", 0, false, false},
	{"li-na", "severity-and-escalation-quiz", 0, false, false},
	{"arjun-rao", "incident-response-quiz", 0, false, false},
	{"hannah-kim", "severity-and-escalation-quiz", 1, false, false},
	{"lucas-moreau", "incident-response-quiz", 0, false, false},
	{"tom-becker", "severity-and-escalation-quiz", 0, false, false},
	{"olu-adeyemi", "alerting-and-runbooks-quiz", 1, false, false},
	{"sofia-alvarez", "alerting-and-runbooks-quiz", 0, false, false},
	{"arjun-rao", "severity-and-escalation-quiz", 1, false, false},
	{"li-na", "alerting-and-runbooks-quiz", 1, false, false},
	{"hannah-kim", "alerting-and-runbooks-quiz", 0, false, false},
	{"lucas-moreau", "severity-and-escalation-quiz", 1, false, false},
	{"tom-becker", "alerting-and-runbooks-quiz", 0, false, false},
	{"olu-adeyemi", "kubernetes-triage-quiz", 3, true, false},
	{"sofia-alvarez", "kubernetes-triage-quiz", 0, false, false},
	{"arjun-rao", "alerting-and-runbooks-quiz", 0, false, false},
	{"li-na", "kubernetes-triage-quiz", 1, false, false},
	{"hannah-kim", "kubernetes-triage-quiz", 1, false, false},
	{"lucas-moreau", "alerting-and-runbooks-quiz", 0, false, false},
	{"tom-becker", "kubernetes-triage-quiz", 3, false, false},
	{"tom-becker", "kubernetes-triage-quiz", 0, false, true},
	{"olu-adeyemi", "kubernetes-triage-quiz", 0, false, false},
	{"sofia-alvarez", "database-triage-quiz", 3, false, false},
	{"arjun-rao", "kubernetes-triage-quiz", 0, false, false},
	{"li-na", "database-triage-quiz", 3, false, false},
	{"hannah-kim", "database-triage-quiz", 0, false, false},
	{"olu-adeyemi", "database-triage-quiz", 0, false, false},
	{"tom-becker", "kubernetes-triage-quiz", 1, false, false},
	{"sofia-alvarez", "database-triage-quiz", 0, false, false},
	{"arjun-rao", "database-triage-quiz", 1, false, false},
	{"tom-becker", "database-triage-quiz", 0, false, false},
	{"li-na", "database-triage-quiz", 3, false, false},
	{"hannah-kim", "postmortems-and-problem-management-quiz", 0, false, false},
	{"olu-adeyemi", "postmortems-and-problem-management-quiz", 1, false, false},
	{"sofia-alvarez", "postmortems-and-problem-management-quiz", 0, false, false},
	{"arjun-rao", "postmortems-and-problem-management-quiz", 0, false, false},
	{"li-na", "postmortems-and-problem-management-quiz", 0, false, false},
	{"tom-becker", "postmortems-and-problem-management-quiz", 1, false, false},
	{"kenji-sato", "change-management-basics-quiz", 0, false, false},
	{"kenji-sato", "change-risk-and-cab-quiz", 1, false, false},
	{"daniel-okafor", "postmortems-and-problem-management-quiz", 1, false, false},
	{"kenji-sato", "emergency-changes-quiz", 0, false, false},
	{"kenji-sato", "incident-response-quiz", 0, false, false},
}
