package training

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Notice is what one person must do to stay certified: the
// certifications due or expired, and the modules to pass again.
type Notice struct {
	Login string `json:"person"`
	Name  string `json:"name,omitempty"`
	// State is Expired when any certification has lapsed, else Due.
	State string `json:"state"`
	// Expires is the earliest expiry among the certifications.
	Expires time.Time `json:"expires"`
	// Certifications are those due or expired.
	Certifications []Certification `json:"certifications"`
	// Modules are the modules to pass again, in the order of the
	// records: every module of those curricula whose pass lapses within
	// the notice period or has lapsed.
	Modules []RenewModule `json:"modules"`
}

// RenewModule is a module a person must pass again.
type RenewModule struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Quiz  string `json:"quiz"`
	// PassedAt is the person's latest pass; Expires when it stops
	// counting for the curricula due.
	PassedAt time.Time `json:"passed_at,omitzero"`
	Expires  time.Time `json:"expires,omitzero"`
	// Lapsed is true when the pass has already expired.
	Lapsed bool `json:"lapsed"`
}

// Notices are the people whose certifications fall due within the
// notice period or have expired, in the order of the people.
func (r *Records) Notices() []Notice {
	var out []Notice
	horizon := r.AsOf.AddDate(0, 0, r.NoticeDays)
	for _, pd := range r.DueCertifications() {
		p := pd.Person
		n := Notice{Login: strings.ToLower(p.Login), Name: p.Name, State: Due, Certifications: pd.Certifications}
		// A module shared by two curricula is renewed by one pass: it is
		// listed once, with the earliest expiry.
		expires := map[string]time.Time{}
		for _, c := range pd.Certifications {
			if c.State == Expired {
				n.State = Expired
			}
			if n.Expires.IsZero() || (!c.Expires.IsZero() && c.Expires.Before(n.Expires)) {
				n.Expires = c.Expires
			}
			cur, ok := r.curriculum(c.Curriculum)
			if !ok {
				continue
			}
			for _, id := range cur.Modules {
				m, ok := p.Module(id)
				if !ok || m.State == NoQuiz || m.PassedAt.IsZero() {
					continue
				}
				exp := m.PassedAt.AddDate(0, 0, cur.RecertifyDays)
				if cur.RecertifyDays == 0 || exp.After(horizon) {
					continue
				}
				if old, seen := expires[id]; !seen || exp.Before(old) {
					expires[id] = exp
				}
			}
		}
		for _, m := range r.Modules {
			exp, ok := expires[m.ID]
			if !ok {
				continue
			}
			rec, _ := p.Module(m.ID)
			n.Modules = append(n.Modules, RenewModule{ID: m.ID, Title: m.Title, Quiz: m.Quiz,
				PassedAt: rec.PassedAt, Expires: exp, Lapsed: r.AsOf.After(exp)})
		}
		out = append(out, n)
	}
	return out
}

func (r *Records) curriculum(id string) (Curriculum, bool) {
	for _, c := range r.Curricula {
		if c.ID == id {
			return c, true
		}
	}
	return Curriculum{}, false
}

// The marker in the body of a recertification issue says whose it is. It
// is an HTML comment, which GitHub does not show, so that finding a
// person's issue never depends on a title someone may have edited.
var markerRE = regexp.MustCompile(`<!--\s*opsqa:recertify\s+person=([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\s*-->`)

// Marker is the hidden line that marks login's recertification issue.
func Marker(login string) string {
	return "<!-- opsqa:recertify person=" + strings.ToLower(login) + " -->"
}

// MarkedPerson returns the login a body's marker names, lower case.
func MarkedPerson(body string) (string, bool) {
	m := markerRE.FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return strings.ToLower(m[1]), true
}

// The actions on a person's recertification issue.
const (
	Open   = "open"   // no open issue: open one
	Update = "update" // the open issue says something else now: edit it
	Close  = "close"  // the person is no longer due, or the issue is a second one
	Keep   = "none"   // the open issue already says it
)

// OpenIssue is an open recertification issue as the tracker lists it.
type OpenIssue struct {
	Number int
	Title  string
	Body   string
}

// IssueLinks are the pages a recertification issue links to, by module
// and quiz id; an id without one is named, not linked.
type IssueLinks struct {
	Modules map[string]string
	Quizzes map[string]string
}

// Draft is the issue a notice should have.
type Draft struct {
	Notice Notice
	Title  string
	Body   string
}

// Action is what to do about one person's issue.
type Action struct {
	Person string
	Kind   string
	// Issue is the issue acted on; 0 for one to open.
	Issue int
	// Notice is the person's notice; nil for a Close.
	Notice *Notice
	// Title and Body are the issue's new text for an Open or Update.
	Title, Body string
	// Why says why an issue is closed.
	Why string
	// Duplicate is set when the issue is closed as a second issue for
	// the same person.
	Duplicate bool
	// URL is the issue's page, once GitHub has said it.
	URL string
}

// Recertification is one run over the recertification issues: what was
// done or, in a dry run, what would be.
type Recertification struct {
	Repo       string
	Label      string
	AsOf       time.Time
	NoticeDays int
	DryRun     bool
	// IssuesRead is false when the open issues could not be read (a dry
	// run without a token): every person due is then planned as an open.
	IssuesRead bool
	Actions    []Action
}

// Plan decides, from the drafts of the people due and the open
// recertification issues, what to open, update and close, so that each
// person due has exactly one open issue saying what their drafts say:
//
//   - a person due without an open issue gets one opened;
//   - a person due with one gets it updated when its title or body
//     differ, else left alone;
//   - a second open issue for the same person is closed as a duplicate
//     of the first (the lowest number);
//   - an open issue of a person no longer due is closed, with why from
//     the records.
//
// Issues without the marker are not opsqa's and are left out. Actions
// are in the order of the drafts, the closes after them by issue number.
func Plan(r *Records, drafts []Draft, open []OpenIssue) []Action {
	byPerson := map[string][]OpenIssue{}
	for _, is := range open {
		if login, ok := MarkedPerson(is.Body); ok {
			byPerson[login] = append(byPerson[login], is)
		}
	}
	for _, list := range byPerson {
		slices.SortFunc(list, func(a, b OpenIssue) int { return a.Number - b.Number })
	}
	var out, closes []Action
	due := map[string]bool{}
	for _, d := range drafts {
		n := d.Notice
		login := strings.ToLower(n.Login)
		due[login] = true
		a := Action{Person: login, Kind: Open, Notice: &n, Title: d.Title, Body: d.Body}
		if list := byPerson[login]; len(list) > 0 {
			first := list[0]
			a.Issue, a.Kind = first.Number, Update
			if first.Title == d.Title && first.Body == d.Body {
				a.Kind = Keep
			}
			for _, dup := range list[1:] {
				closes = append(closes, Action{Person: login, Kind: Close, Issue: dup.Number, Duplicate: true,
					Why: fmt.Sprintf("a second recertification issue for %s: #%d is the one kept up to date", login, first.Number)})
			}
		}
		out = append(out, a)
	}
	for login, list := range byPerson {
		if due[login] {
			continue
		}
		for _, is := range list {
			closes = append(closes, Action{Person: login, Kind: Close, Issue: is.Number, Why: r.notDueWhy(login)})
		}
	}
	slices.SortFunc(closes, func(a, b Action) int { return a.Issue - b.Issue })
	return append(out, closes...)
}

// notDueWhy says why a person has no recertification due now.
func (r *Records) notDueWhy(login string) string {
	p, ok := r.Person(login)
	if !ok {
		return fmt.Sprintf("%s is on no team in opsqa.yaml and has no quiz results", login)
	}
	var parts []string
	for _, c := range p.Certifications {
		switch c.State {
		case Certified:
			if c.Expires.IsZero() {
				parts = append(parts, fmt.Sprintf("%s certified", c.Curriculum))
			} else {
				parts = append(parts, fmt.Sprintf("%s certified until %s", c.Curriculum, c.Expires.UTC().Format(time.DateOnly)))
			}
		case InProgress:
			parts = append(parts, fmt.Sprintf("%s in progress, %d of %d modules", c.Curriculum, c.Done, c.Total))
		}
	}
	asOf := r.AsOf.UTC().Format(time.DateOnly)
	if len(parts) == 0 {
		return fmt.Sprintf("as of %s no curriculum written for %s's role expires", asOf, login)
	}
	return fmt.Sprintf("as of %s nothing is due: %s", asOf, strings.Join(parts, "; "))
}
