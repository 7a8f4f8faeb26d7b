package githubtest

import (
	"fmt"
	"time"
)

var (
	sampleServices   = []string{"storefront", "orders-api", "postgres", "rabbitmq", "redis", "kubernetes", "dns", "certificates", "backups"}
	sampleResponders = []string{"tom-becker", "sofia-alvarez", "li-na", "arjun-rao", "hannah-kim", "lucas-moreau", "olu-adeyemi", "kenji-sato"}
	sampleReporters  = []string{"emma-johnson", "carlos-mendes", "zhang-wei", "priya-nair", "daniel-okafor"}
	sampleSeverities = []string{
		"sev1: outage of a tier-1 service or data loss for many customers",
		"sev2: major degradation of a tier-1 service, no workaround",
		"sev3: partial degradation, or a tier-2 service, with a workaround",
		"sev4: minor or cosmetic, no customer impact",
	}
)

// FormBody renders answers as GitHub renders an issue form submission:
// "### Label", a blank line, the answer or _No response_.
func FormBody(pairs ...string) string {
	var b []byte
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b = append(b, "\n\n"...)
		}
		v := pairs[i+1]
		if v == "" {
			v = "_No response_"
		}
		b = fmt.Appendf(b, "### %s\n\n%s", pairs[i], v)
	}
	return string(b)
}

// Seed fills the server with n issues numbered from 1: a deterministic mix
// of incidents, problems, feedback and quiz results opened through the
// forms, with comments by responders and a bot, assignments, labels,
// closes as completed and as not planned, reopens, events the sync must
// ignore, and every tenth issue a pull request. Issue i is created i hours
// after start. Seed returns how many of the n are not pull requests.
func (s *Server) Seed(n int, start time.Time) int {
	tickets := 0
	for i := 1; i <= n; i++ {
		created := start.Add(time.Duration(i) * time.Hour)
		reporter := User{Login: sampleReporters[i%len(sampleReporters)]}
		responder := User{Login: sampleResponders[i%len(sampleResponders)]}
		svc := sampleServices[i%len(sampleServices)]
		is := Issue{Number: i, User: reporter, State: "open", CreatedAt: created, UpdatedAt: created}
		var events []Event
		at := func(min int) time.Time { return created.Add(time.Duration(min) * time.Minute) }
		if i%10 == 0 {
			is.PullRequest = true
			is.Title = fmt.Sprintf("Update runbook for %s", svc)
			body := "Runbook changes."
			is.Body = &body
			s.Put(is)
			continue
		}
		tickets++
		switch i % 4 {
		case 0, 1: // incident
			is.Title = fmt.Sprintf("%s degraded (%d)", svc, i)
			is.Labels = []string{"incident"}
			body := FormBody("Service", svc, "Severity", sampleSeverities[i%4],
				"Impact started", created.Add(-7*time.Minute).UTC().Format(time.RFC3339),
				"Detected by", "alert", "Impact", "Customers see errors.", "Description", "")
			is.Body = &body
			if i%3 == 0 {
				is.Labels = append(is.Labels, "sev2", "service:"+svc)
			}
		case 2: // problem
			is.Title = fmt.Sprintf("Recurring %s fault (%d)", svc, i)
			is.Labels = []string{"problem"}
			body := FormBody("Service", svc, "Severity", sampleSeverities[3], "Impact started", "",
				"Detected by", "staff", "Impact", "Slow pages.", "Description", "See logs.", "Steps to reproduce", "")
			is.Body = &body
		case 3:
			if i%8 == 3 {
				is.Title = "Feedback on the runbook"
				is.Labels = []string{"feedback"}
				body := FormBody("Page", "https://ops.northwind-parcel.example/runbooks/"+svc+"/", "Rating", fmt.Sprint(1+i%5), "Comments", "")
				is.Body = &body
			} else {
				is.Title = "Quiz result"
				is.Labels = []string{"quiz-result"}
				body := FormBody("Quiz id", "incident-management-basics", "Answers", "q1: a", "Score", "1/1")
				is.Body = &body
			}
		}
		cur := is
		events = append(events,
			Event{Event: "subscribed", Actor: reporter, At: at(0)},
			Event{Event: "commented", Actor: User{Login: "opsqa-bot[bot]", Type: "Bot"}, At: at(1), Body: "Runbook: see the site.", AuthorAssociation: "NONE"},
			Event{Event: "commented", Actor: reporter, At: at(2), Body: "Still failing.", AuthorAssociation: "MEMBER"},
			Event{Event: "assigned", Actor: responder, Assignee: responder.Login, At: at(4)},
			Event{Event: "commented", Actor: responder, At: at(5), Body: "Looking.", AuthorAssociation: "MEMBER"},
			Event{Event: "mentioned", Actor: responder, At: at(5)},
		)
		cur.Assignees = []string{responder.Login}
		if i%5 == 1 {
			events = append(events, Event{Event: "labeled", Actor: responder, Label: "mitigated", At: at(10)})
			cur.Labels = append(append([]string(nil), cur.Labels...), "mitigated")
		}
		switch {
		case i%7 == 0: // closed as not planned
			events = append(events, Event{Event: "closed", Actor: responder, StateReason: "not_planned", At: at(30)})
			c := at(30)
			cur.State, cur.StateReason, cur.ClosedAt, cur.UpdatedAt = "closed", "not_planned", &c, c
		case i%11 == 0: // closed, reopened, closed again
			c := at(90)
			events = append(events,
				Event{Event: "closed", Actor: responder, StateReason: "completed", At: at(25)},
				Event{Event: "reopened", Actor: reporter, At: at(40)},
				Event{Event: "cross-referenced", Actor: responder, At: at(45)},
				Event{Event: "closed", Actor: responder, StateReason: "completed", At: c},
			)
			cur.State, cur.StateReason, cur.ClosedAt, cur.UpdatedAt = "closed", "completed", &c, c
		case i%6 != 5: // closed as completed
			c := at(15 + i%50)
			events = append(events, Event{Event: "closed", Actor: responder, StateReason: "completed", At: c})
			cur.State, cur.StateReason, cur.ClosedAt, cur.UpdatedAt = "closed", "completed", &c, c
		default: // still open
			cur.UpdatedAt = events[len(events)-1].At
			if i%5 == 1 {
				cur.UpdatedAt = at(10)
			}
		}
		s.Put(cur, events...)
	}
	return tickets
}
