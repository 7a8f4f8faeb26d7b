// Package ticket is the domain model of incidents, problems, feedback and
// quiz results tracked as issues: the normalized snapshot that
// `opsqa incidents sync` writes and that metrics and the site read. It knows
// nothing of go-github; the GitHub adapter fills these types.
//
// A snapshot keeps the raw events of each ticket (comments, assignments,
// label changes, closes and reopens) rather than precomputed milestones, so
// that changing a policy in opsqa.yaml (what counts as a response, which
// close counts as the resolution) needs no new sync.
package ticket

import "time"

// SchemaVersion is the version of the snapshot format written by this code.
const SchemaVersion = 1

// Snapshot is everything metrics and the site need from the issue tracker.
type Snapshot struct {
	SchemaVersion int    `json:"schema_version"`
	Repository    string `json:"repository"`
	// SyncedAt is when the snapshot was taken; the data freshness shown on
	// the site.
	SyncedAt time.Time `json:"synced_at"`
	// Cursor lets the next sync ask only for what changed.
	Cursor  Cursor   `json:"cursor"`
	Tickets []Ticket `json:"tickets"`
	// Excluded are the tickets the reader left out (CheckSnapshot,
	// ReadSnapshot), in file order; they are not written back.
	Excluded []Excluded `json:"-"`
	// lines are the file's line numbers of Tickets, when read from one.
	lines []int32
}

// Cursor is the state an incremental sync resumes from.
type Cursor struct {
	// Since is the newest updated_at seen; the next listing asks for
	// issues updated at or after it.
	Since time.Time `json:"since,omitzero"`
	// ListETag is the ETag of the first page of the last listing, for a
	// conditional request that costs no rate limit when nothing changed.
	ListETag string `json:"list_etag,omitempty"`
}

// Class is what a ticket is, from its labels.
type Class string

const (
	Incident   Class = "incident"
	Problem    Class = "problem"
	Feedback   Class = "feedback"
	QuizResult Class = "quiz-result"
	Other      Class = "other"
)

// State is the issue state now.
type State string

const (
	Open   State = "open"
	Closed State = "closed"
)

// StateReason is why an issue was closed, as GitHub reports it.
type StateReason string

const (
	Completed  StateReason = "completed"
	NotPlanned StateReason = "not_planned"
	Duplicate  StateReason = "duplicate"
	Reopened   StateReason = "reopened"
)

// Ticket is one issue with what the KPIs need.
type Ticket struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	URL    string `json:"url,omitempty"`
	Class  Class  `json:"class"`
	// Severity is "sev1" … "sev4", or "" when neither a label nor the form
	// gives one.
	Severity string `json:"severity,omitempty"`
	// Service is a service id from opsqa.yaml, or "".
	Service     string      `json:"service,omitempty"`
	Author      Actor       `json:"author"`
	Labels      []string    `json:"labels"`
	Assignees   []string    `json:"assignees"`
	State       State       `json:"state"`
	StateReason StateReason `json:"state_reason,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	UpdatedAt   time.Time   `json:"updated_at"`
	ClosedAt    *time.Time  `json:"closed_at,omitempty"`
	// Fields are the issue form's answers by field id (service, severity,
	// impact_started, detected_by, impact, rating, …), "" for "_No response_".
	Fields map[string]string `json:"fields,omitempty"`
	// FormProblems says why parts of the body could not be read as the
	// issue form; such fields are left out rather than guessed.
	FormProblems []string `json:"form_problems,omitempty"`
	// Events are the ticket's timeline, oldest first.
	Events []Event `json:"events"`
}

// Actor is who did something. Type is GitHub's user type: "User", "Bot",
// "Organization".
type Actor struct {
	Login string `json:"login"`
	Type  string `json:"type,omitempty"`
}

// IsBot reports whether the actor is an automation account.
func (a Actor) IsBot() bool { return a.Type == "Bot" }

// EventKind names a timeline event.
type EventKind string

const (
	Commented  EventKind = "commented"
	Assigned   EventKind = "assigned"
	Unassigned EventKind = "unassigned"
	Labeled    EventKind = "labeled"
	Unlabeled  EventKind = "unlabeled"
	ClosedEv   EventKind = "closed"
	ReopenedEv EventKind = "reopened"
)

// Event is one entry of a ticket's timeline.
type Event struct {
	Kind  EventKind `json:"kind"`
	At    time.Time `json:"at"`
	Actor Actor     `json:"actor"`
	// Label is set on labeled and unlabeled events.
	Label string `json:"label,omitempty"`
	// Assignee is set on assigned and unassigned events.
	Assignee string `json:"assignee,omitempty"`
	// StateReason is set on closed events.
	StateReason StateReason `json:"state_reason,omitempty"`
	// AuthorAssociation is the commenter's relation to the repository
	// (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE), on comments.
	AuthorAssociation string `json:"author_association,omitempty"`
}
