package githubsync

import (
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/issueform"
	"github.com/opsqa/opsqa/internal/ticket"
)

// timelineEvent is one entry of GET /repos/{owner}/{repo}/issues/{n}/timeline.
// go-github v62's Timeline has neither author_association (on comments)
// nor state_reason (on closes), which the KPIs need, so the adapter
// decodes into its own struct.
type timelineEvent struct {
	Event             string            `json:"event"`
	Actor             *github.User      `json:"actor"`
	User              *github.User      `json:"user"`
	CreatedAt         *github.Timestamp `json:"created_at"`
	Label             *github.Label     `json:"label"`
	Assignee          *github.User      `json:"assignee"`
	StateReason       *string           `json:"state_reason"`
	AuthorAssociation string            `json:"author_association"`
}

// converter turns GitHub's issues and timelines into tickets.
type converter struct {
	forms    map[ticket.Class]*issueform.Template
	labels   config.Labels
	services []string
}

// ticketOf builds the ticket of an issue and its timeline. The issue
// object gives the state now; the timeline gives the raw events the
// milestones are computed from.
func (cv *converter) ticketOf(is *github.Issue, events []timelineEvent) ticket.Ticket {
	t := ticket.Ticket{
		Number:      is.GetNumber(),
		Title:       is.GetTitle(),
		URL:         is.GetHTMLURL(),
		Author:      actor(is.User),
		Labels:      []string{},
		Assignees:   []string{},
		State:       ticket.State(is.GetState()),
		StateReason: ticket.StateReason(is.GetStateReason()),
		CreatedAt:   is.GetCreatedAt().Time.UTC(),
		UpdatedAt:   is.GetUpdatedAt().Time.UTC(),
		Events:      []ticket.Event{},
	}
	if is.ClosedAt != nil {
		at := is.ClosedAt.Time.UTC()
		t.ClosedAt = &at
	}
	for _, l := range is.Labels {
		if l != nil && l.GetName() != "" {
			t.Labels = append(t.Labels, l.GetName())
		}
	}
	for _, a := range is.Assignees {
		if a != nil && a.GetLogin() != "" {
			t.Assignees = append(t.Assignees, a.GetLogin())
		}
	}

	if form := cv.forms[ticket.ClassOf(t.Labels, cv.labels)]; form != nil {
		res := form.Parse(is.GetBody())
		t.Fields = res.Fields
		t.FormProblems = append(t.FormProblems, res.Problems...)
	}
	ticket.Classify(&t, cv.labels, cv.services)

	lastClose := -1
	for _, e := range events {
		ev, ok := eventOf(e)
		if !ok {
			continue
		}
		if ev.Kind == ticket.ClosedEv {
			lastClose = len(t.Events)
		}
		t.Events = append(t.Events, ev)
	}
	// Closes from before GitHub recorded reasons carry none; the final
	// close of a closed issue is the one the issue's own state_reason
	// describes.
	if lastClose >= 0 && t.State == ticket.Closed && t.Events[lastClose].StateReason == "" {
		t.Events[lastClose].StateReason = t.StateReason
	}
	return t
}

// eventOf maps the timeline events the KPIs use; the rest (mentions,
// subscriptions, cross-references, renames) are dropped.
func eventOf(e timelineEvent) (ticket.Event, bool) {
	var ev ticket.Event
	switch e.Event {
	case "commented":
		ev.Kind = ticket.Commented
		ev.AuthorAssociation = e.AuthorAssociation
		// A comment's author is its user; actor is the same person on
		// github.com but absent on some servers.
		if e.User != nil {
			ev.Actor = actor(e.User)
		} else {
			ev.Actor = actor(e.Actor)
		}
	case "assigned", "unassigned":
		ev.Kind = ticket.Assigned
		if e.Event == "unassigned" {
			ev.Kind = ticket.Unassigned
		}
		ev.Actor = actor(e.Actor)
		ev.Assignee = e.Assignee.GetLogin()
	case "labeled", "unlabeled":
		ev.Kind = ticket.Labeled
		if e.Event == "unlabeled" {
			ev.Kind = ticket.Unlabeled
		}
		ev.Actor = actor(e.Actor)
		ev.Label = e.Label.GetName()
	case "closed":
		ev.Kind = ticket.ClosedEv
		ev.Actor = actor(e.Actor)
		if e.StateReason != nil {
			ev.StateReason = ticket.StateReason(*e.StateReason)
		}
	case "reopened":
		ev.Kind = ticket.ReopenedEv
		ev.Actor = actor(e.Actor)
	default:
		return ev, false
	}
	if e.CreatedAt == nil {
		return ev, false
	}
	ev.At = e.CreatedAt.Time.UTC()
	return ev, true
}

func actor(u *github.User) ticket.Actor {
	if u == nil {
		// A deleted account shows as null; GitHub calls it "ghost".
		return ticket.Actor{Login: "ghost", Type: "User"}
	}
	a := ticket.Actor{Login: u.GetLogin(), Type: u.GetType()}
	// Apps acting through GitHub Actions and the like may come without a
	// type on older servers; their login gives them away.
	if a.Type == "" && strings.HasSuffix(a.Login, "[bot]") {
		a.Type = "Bot"
	}
	return a
}

// atOrZero is the time of a timestamp that may be absent.
func atOrZero(ts *github.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.Time.UTC()
}
