package training

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/config"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/ticket"
)

// TooSoon is a submission made within the retake interval of the
// person's previous graded attempt at the same quiz: answered, not
// graded, not counted.
const TooSoon Status = "too-soon"

// Curriculum is a training path as the records read it.
type Curriculum struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Audience are role ids.
	Audience []string `json:"audience"`
	// Modules are module ids in order.
	Modules []string `json:"modules"`
	// RecertifyDays, when set, is how long a pass stays valid.
	RecertifyDays int `json:"recertify_days,omitempty"`
	// OnCall is true when the audience includes a role on call.
	OnCall bool `json:"on_call"`
}

// Module is a training module and the quiz that assesses it.
type Module struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Quiz  string `json:"quiz,omitempty"`
}

// The states of a module for a person.
const (
	Held    = "passed"    // passed, and the pass is still valid
	Lapsed  = "expired"   // passed once, the pass is past its period
	Trying  = "failed"    // attempted, never passed
	NotYet  = "not-taken" // no graded attempt
	NoQuiz  = "no-quiz"   // the module has no quiz to pass
	Unknown = ""
)

// The states of a certification.
const (
	Certified  = "certified"   // every module held, expiry beyond the notice
	Due        = "due"         // every module held, expiring within the notice
	Expired    = "expired"     // every module passed once, one pass lapsed
	InProgress = "in-progress" // some module never passed
)

// ModuleRecord is a person's standing on one module.
type ModuleRecord struct {
	Module   string `json:"module"`
	State    string `json:"state"`
	Attempts int    `json:"attempts"`
	// LastScore is the percentage of the last graded attempt; nil when
	// none was graded.
	LastScore *int      `json:"last_score"`
	LastAt    time.Time `json:"last_at,omitzero"`
	// PassedAt is the latest pass.
	PassedAt time.Time `json:"passed_at,omitzero"`
	// Expires is when the latest pass stops counting for the person's
	// curricula; zero when it does not expire.
	Expires time.Time `json:"expires,omitzero"`
	// Required is true when a curriculum for the person's role includes
	// the module.
	Required bool `json:"required"`
}

// Certification is a person's standing on a curriculum written for them.
type Certification struct {
	Curriculum string `json:"curriculum"`
	State      string `json:"state"`
	Done       int    `json:"done"`
	Total      int    `json:"total"`
	// Since is when the last module was passed, making it complete.
	Since time.Time `json:"since,omitzero"`
	// Expires is when the oldest module pass lapses.
	Expires time.Time `json:"expires,omitzero"`
	// Missing are the modules not held now.
	Missing []string `json:"missing"`
}

// Person is one trainee: a team member, or an author of quiz results
// that no team lists.
type Person struct {
	Login  string `json:"login"`
	Name   string `json:"name,omitempty"`
	Team   string `json:"team,omitempty"`
	Role   string `json:"role,omitempty"`
	OnCall bool   `json:"on_call"`
	// Modules are in the order of Records.Modules.
	Modules        []ModuleRecord  `json:"modules"`
	Certifications []Certification `json:"certifications"`
	// Gaps are the required modules the person does not hold now.
	Gaps []string `json:"gaps"`
}

// Module returns the person's record of a module.
func (p *Person) Module(id string) (ModuleRecord, bool) {
	for _, m := range p.Modules {
		if m.Module == id {
			return m, true
		}
	}
	return ModuleRecord{}, false
}

// Records is the training state of an organisation at a time: the one
// home of "who passed what, until when, and what is missing", read by the
// training report, the recertification issues, the scorecards and the
// site.
type Records struct {
	AsOf       time.Time    `json:"as_of"`
	NoticeDays int          `json:"notice_days"`
	Curricula  []Curriculum `json:"curricula"`
	Modules    []Module     `json:"modules"`
	People     []Person     `json:"people"`
	// Attempts are every submission, in the order filed, with its
	// verdict.
	Attempts []Verdict `json:"-"`
}

// OnCallCurricula are the curricula written for a role on call.
func (r *Records) OnCallCurricula() []Curriculum {
	var out []Curriculum
	for _, c := range r.Curricula {
		if c.OnCall {
			out = append(out, c)
		}
	}
	return out
}

// OnCallGaps are the people on call who lack a module their curricula
// require.
func (r *Records) OnCallGaps() []Person {
	var out []Person
	for _, p := range r.People {
		if p.OnCall && len(p.Gaps) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// Person returns the person with a login (any case).
func (r *Records) Person(login string) (*Person, bool) {
	for i := range r.People {
		if strings.EqualFold(r.People[i].Login, login) {
			return &r.People[i], true
		}
	}
	return nil, false
}

// Catalogue reads the active curricula and the modules from the
// documents; a role's on_call comes from the configuration.
func Catalogue(cfg *config.Config, curricula, modules []*document.Document) ([]Curriculum, []Module) {
	var cs []Curriculum
	for _, d := range curricula {
		if st := d.String("status"); st != "" && st != "active" {
			continue
		}
		c := Curriculum{ID: d.ID(), Title: d.Title(), Audience: d.Strings("audience"), Modules: d.Strings("modules")}
		c.RecertifyDays, _ = strconv.Atoi(strings.TrimSpace(fmt.Sprint(d.Meta["recertify_days"])))
		for _, role := range c.Audience {
			if r, ok := cfg.Role(role); ok && r.OnCall {
				c.OnCall = true
			}
		}
		cs = append(cs, c)
	}
	var ms []Module
	seen := map[string]bool{}
	add := func(m Module) {
		if !seen[m.ID] {
			seen[m.ID] = true
			ms = append(ms, m)
		}
	}
	byID := map[string]*document.Document{}
	for _, d := range modules {
		byID[d.ID()] = d
	}
	// Curricula order the modules, those for on call first; modules no
	// curriculum names follow.
	slices.SortStableFunc(cs, func(a, b Curriculum) int {
		switch {
		case a.OnCall == b.OnCall:
			return 0
		case a.OnCall:
			return -1
		}
		return 1
	})
	for _, c := range cs {
		for _, id := range c.Modules {
			if d := byID[id]; d != nil {
				add(Module{ID: id, Title: d.Title(), Quiz: d.String("quiz")})
			}
		}
	}
	for _, d := range modules {
		add(Module{ID: d.ID(), Title: d.Title(), Quiz: d.String("quiz")})
	}
	return cs, ms
}

// Submissions reads the quiz-result tickets as submissions, in the order
// filed. Tickets closed as not planned or duplicate were withdrawn and
// are left out, as are those filed after asOf.
func Submissions(tickets []ticket.Ticket, asOf time.Time) []Submission {
	var out []Submission
	for _, t := range tickets {
		if t.Class != ticket.QuizResult || t.CreatedAt.After(asOf) || t.StateReason == ticket.NotPlanned || t.StateReason == ticket.Duplicate {
			continue
		}
		out = append(out, Submission{Issue: t.Number, Author: strings.ToLower(t.Author.Login), At: t.CreatedAt,
			QuizID: strings.TrimSpace(t.Fields["quiz_id"]), Version: t.Fields["quiz_version"], Answers: t.Fields["answers"]})
	}
	slices.SortStableFunc(out, func(a, b Submission) int { return a.At.Compare(b.At) })
	return out
}

// GradeAll grades submissions in the order filed and applies the retake
// interval: a submission within retake of the same person's previous
// graded attempt at the same quiz is TooSoon.
func GradeAll(subs []Submission, keys KeyFinder, retake time.Duration) []Verdict {
	last := map[[2]string]Verdict{}
	out := make([]Verdict, 0, len(subs))
	for _, s := range subs {
		// Only an attempt that could be graded is held to the interval:
		// a malformed one is said to be malformed.
		v := Grade(s, keys)
		if soon := retakeCheck(s, last, retake); soon.Status != "" && (v.Status == Passed || v.Status == Failed) {
			v = soon
		}
		if v.Status == Passed || v.Status == Failed {
			v.RetakeFrom = s.At.Add(retake)
			last[[2]string{strings.ToLower(s.Author), strings.TrimSpace(s.QuizID)}] = v
		}
		out = append(out, v)
	}
	return out
}

// GradeAfter grades s given the same person's earlier submissions: the
// retake interval applies to the last graded one among them.
func GradeAfter(s Submission, earlier []Submission, keys KeyFinder, retake time.Duration) Verdict {
	var before []Submission
	for _, e := range earlier {
		if e.Issue != s.Issue && e.At.Before(s.At) {
			before = append(before, e)
		}
	}
	return GradeAll(append(before, s), keys, retake)[len(before)]
}

func retakeCheck(s Submission, last map[[2]string]Verdict, retake time.Duration) Verdict {
	prev, ok := last[[2]string{strings.ToLower(s.Author), strings.TrimSpace(s.QuizID)}]
	if !ok || s.At.Sub(prev.At) >= retake {
		return Verdict{}
	}
	return Verdict{Submission: s, Status: TooSoon,
		Why: fmt.Sprintf("submitted %s after attempt #%d at the same quiz; a quiz may be taken again %s after the last graded attempt, from %s",
			roundDuration(s.At.Sub(prev.At)), prev.Issue, roundDuration(retake), prev.At.Add(retake).UTC().Format("2006-01-02 15:04 UTC"))}
}

func roundDuration(d time.Duration) string {
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", d/time.Hour, d%time.Hour/time.Minute)
	default:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
}

// Build makes the records at asOf from the graded attempts.
func Build(cfg *config.Config, curricula []Curriculum, modules []Module, attempts []Verdict, asOf time.Time) *Records {
	r := &Records{AsOf: asOf, NoticeDays: cfg.Training.Notice(), Curricula: curricula, Modules: modules, Attempts: attempts}
	seen := map[string]bool{}
	for _, t := range cfg.Teams {
		for _, m := range t.Members {
			login := strings.ToLower(m.Login)
			if seen[login] {
				continue
			}
			seen[login] = true
			p := Person{Login: m.Login, Name: m.Name, Team: t.ID, Role: m.Role}
			if role, ok := cfg.Role(m.Role); ok {
				p.OnCall = role.OnCall
			}
			r.People = append(r.People, p)
		}
	}
	// Authors no team lists still have records: a new starter, or a
	// login the configuration spells differently.
	for _, a := range attempts {
		if login := strings.ToLower(a.Author); login != "" && !seen[login] {
			seen[login] = true
			r.People = append(r.People, Person{Login: login})
		}
	}
	for i := range r.People {
		r.fill(&r.People[i])
	}
	return r
}

// required returns the curricula written for a person's role or, for an
// on-call role no curriculum names, every on-call curriculum.
func (r *Records) required(p *Person) []Curriculum {
	var own []Curriculum
	for _, c := range r.Curricula {
		if p.Role != "" && slices.Contains(c.Audience, p.Role) {
			own = append(own, c)
		}
	}
	if len(own) == 0 && p.OnCall {
		own = r.OnCallCurricula()
	}
	return own
}

func (r *Records) fill(p *Person) {
	own := r.required(p)
	for _, m := range r.Modules {
		rec := ModuleRecord{Module: m.ID, State: NotYet}
		if m.Quiz == "" {
			rec.State = NoQuiz
		}
		// A pass is valid for the shortest period among the person's
		// curricula that include the module.
		period := 0
		for _, c := range own {
			if slices.Contains(c.Modules, m.ID) {
				rec.Required = true
				if c.RecertifyDays > 0 && (period == 0 || c.RecertifyDays < period) {
					period = c.RecertifyDays
				}
			}
		}
		for _, a := range r.Attempts {
			if m.Quiz == "" || !strings.EqualFold(a.Author, p.Login) || a.QuizID != m.Quiz || (a.Status != Passed && a.Status != Failed) {
				continue
			}
			rec.Attempts++
			score := a.Result.Score
			rec.LastScore, rec.LastAt = &score, a.At
			if a.Status == Passed {
				rec.PassedAt = a.At
			}
		}
		switch {
		case rec.PassedAt.IsZero() && rec.Attempts > 0:
			rec.State = Trying
		case !rec.PassedAt.IsZero():
			rec.State = Held
			if period > 0 {
				rec.Expires = rec.PassedAt.AddDate(0, 0, period)
				if r.AsOf.After(rec.Expires) {
					rec.State = Lapsed
				}
			}
		}
		p.Modules = append(p.Modules, rec)
		if rec.Required && rec.State != Held && rec.State != NoQuiz {
			p.Gaps = append(p.Gaps, m.ID)
		}
	}
	for _, c := range own {
		p.Certifications = append(p.Certifications, r.certification(p, c))
	}
}

func (r *Records) certification(p *Person, c Curriculum) Certification {
	cert := Certification{Curriculum: c.ID, Missing: []string{}}
	everPassed := true
	for _, id := range c.Modules {
		m, ok := p.Module(id)
		if !ok || m.State == NoQuiz {
			continue
		}
		cert.Total++
		if m.PassedAt.IsZero() {
			everPassed = false
		} else {
			if m.PassedAt.After(cert.Since) {
				cert.Since = m.PassedAt
			}
			if c.RecertifyDays > 0 {
				exp := m.PassedAt.AddDate(0, 0, c.RecertifyDays)
				if cert.Expires.IsZero() || exp.Before(cert.Expires) {
					cert.Expires = exp
				}
			}
		}
		if m.State == Held && (c.RecertifyDays == 0 || !r.AsOf.After(m.PassedAt.AddDate(0, 0, c.RecertifyDays))) {
			cert.Done++
		} else {
			cert.Missing = append(cert.Missing, id)
		}
	}
	switch {
	case !everPassed || cert.Total == 0:
		cert.State, cert.Since, cert.Expires = InProgress, time.Time{}, time.Time{}
	case len(cert.Missing) > 0:
		cert.State = Expired
	case !cert.Expires.IsZero() && !r.AsOf.AddDate(0, 0, r.NoticeDays).Before(cert.Expires):
		cert.State = Due
	default:
		cert.State = Certified
	}
	return cert
}

// DueCertifications are the certifications due or expired, per person,
// in the order of the people.
func (r *Records) DueCertifications() []PersonDue {
	var out []PersonDue
	for i := range r.People {
		p := &r.People[i]
		var due []Certification
		for _, c := range p.Certifications {
			if c.State == Due || c.State == Expired {
				due = append(due, c)
			}
		}
		if len(due) > 0 {
			out = append(out, PersonDue{Person: p, Certifications: due})
		}
	}
	return out
}

// PersonDue is a person with certifications to renew.
type PersonDue struct {
	Person         *Person
	Certifications []Certification
}

// FromTickets grades every quiz-result ticket filed by asOf, in the order
// filed, and builds the records at asOf.
func FromTickets(cfg *config.Config, curricula, modules []*document.Document, tickets []ticket.Ticket, keys KeyFinder, asOf time.Time) *Records {
	cs, ms := Catalogue(cfg, curricula, modules)
	return Build(cfg, cs, ms, GradeAll(Submissions(tickets, asOf), keys, cfg.Training.RetakeAfter()), asOf)
}

// Only returns the records of one person (login, any case) and/or one
// team; an error when nobody matches.
func (r *Records) Only(login, team string) (*Records, error) {
	out := *r
	out.People = nil
	for _, p := range r.People {
		if (login == "" || strings.EqualFold(p.Login, login)) && (team == "" || p.Team == team) {
			out.People = append(out.People, p)
		}
	}
	if len(out.People) == 0 {
		switch {
		case login != "" && team != "":
			return nil, fmt.Errorf("no records of %s on team %s", login, team)
		case login != "":
			return nil, fmt.Errorf("no records of %s: not on a team in opsqa.yaml and no quiz results", login)
		default:
			return nil, fmt.Errorf("no team %q with members in opsqa.yaml", team)
		}
	}
	return &out, nil
}

// ExamQuizzes are the ids of the quizzes that a curriculum in use holds
// to exam mode (quiz_mode: exam): those of its modules.
func ExamQuizzes(curricula, modules []*document.Document) map[string]bool {
	quizOf := map[string]string{}
	for _, m := range modules {
		quizOf[m.ID()] = m.String("quiz")
	}
	out := map[string]bool{}
	for _, c := range curricula {
		if st := c.String("status"); (st != "" && st != "active") || c.String("quiz_mode") != "exam" {
			continue
		}
		for _, id := range c.Strings("modules") {
			if q := quizOf[id]; q != "" {
				out[q] = true
			}
		}
	}
	return out
}
