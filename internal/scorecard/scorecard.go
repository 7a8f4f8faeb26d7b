// Package scorecard grades each service and team against the checks that
// opsqa.yaml defines: every check passes, fails, does not apply or could not
// be measured; levels (bronze, silver, gold, …) are reached when every check
// at and below them passes; a weighted score sums up the measured checks.
//
// The package measures plain values gathered by the caller (Input), so it
// does no I/O and takes the clock as an argument. Gather builds an Input
// from the loaded documents and the ticket snapshot. History keeps the
// scores of every build, so trends outlive the snapshot, and Badge draws
// the SVG badge of a card.
package scorecard

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/config"
)

// SchemaVersion is the version of the Report JSON written for the site.
const SchemaVersion = 1

// Status is the outcome of one check for one subject.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	// NotApplicable means there is nothing to check, such as a service with
	// no alerts; it does not block a level and is left out of the score,
	// but a level needs at least one check that passed.
	NotApplicable Status = "not-applicable"
	// NotMeasured means the data is missing; it blocks levels and is left
	// out of the score.
	NotMeasured Status = "not-measured"
)

// Subject kinds: what a card and a check are about.
const (
	SubjectService = "service"
	SubjectTeam    = "team"
)

// Report is the scorecards of every service and team at one date.
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	AsOf          time.Time `json:"as_of"`
	// Levels are from lowest to highest.
	Levels   []string `json:"levels"`
	Services []Card   `json:"services"`
	Teams    []Card   `json:"teams"`
}

// Card is the scorecard of one service or team.
type Card struct {
	Subject string `json:"subject"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	// Team is the owning team of a service; empty on team cards.
	Team string `json:"team,omitempty"`
	// Level is the highest level reached, "" when not even the lowest.
	Level string `json:"level"`
	// Score is 0–100, weighted over the checks that passed or failed; nil
	// when no check could be measured.
	Score  *int          `json:"score"`
	Checks []CheckResult `json:"checks"`
}

// CheckResult is one check of a card and the figure behind its status.
type CheckResult struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Level  string  `json:"level"`
	Weight float64 `json:"weight"`
	Status Status  `json:"status"`
	// Figure says in words what was measured, or why nothing was.
	Figure string `json:"figure"`
	// Value is the measured figure (a share from 0 to 1, or seconds for
	// MTTR) and Target what passing needs; both nil when not measured.
	Value  *float64 `json:"value"`
	Target *float64 `json:"target"`
	// Unit is "ratio" or "seconds".
	Unit string `json:"unit,omitempty"`
	// N is how many things were counted: alerts, runbooks, incidents,
	// tickets or people.
	N int `json:"n"`
	// Items name what fails the check: alerts, runbooks, incident numbers,
	// logins, in a stable order.
	Items []string `json:"items,omitempty"`
	// Remediation is set on failing checks.
	Remediation string `json:"remediation,omitempty"`
}

// Evaluate grades every service and team of cfg against cfg.Scorecard,
// measuring in. It returns an error only when the scorecard configuration
// itself is unusable (a check at an undeclared level, a duplicate id); a
// check opsqa does not know is reported as not measured.
func Evaluate(cfg *config.Config, in Input, now time.Time) (*Report, error) {
	sc := cfg.Scorecard
	if err := validate(sc); err != nil {
		return nil, fmt.Errorf("evaluate scorecard: %w", err)
	}
	env := &evalEnv{cfg: cfg, in: &in, now: now}
	r := &Report{SchemaVersion: SchemaVersion, AsOf: now, Levels: slices.Clone(sc.Levels),
		Services: []Card{}, Teams: []Card{}}
	for _, s := range cfg.Services {
		c := Card{Subject: SubjectService, ID: s.ID, Name: s.Name, Team: s.Team}
		c.Checks = env.run(sc.Checks, subject{kind: SubjectService, id: s.ID})
		c.Level, c.Score = grade(sc.Levels, c.Checks)
		r.Services = append(r.Services, c)
	}
	for _, t := range cfg.Teams {
		c := Card{Subject: SubjectTeam, ID: t.ID, Name: t.Name}
		c.Checks = env.run(sc.Checks, subject{kind: SubjectTeam, id: t.ID, team: t})
		c.Level, c.Score = grade(sc.Levels, c.Checks)
		r.Teams = append(r.Teams, c)
	}
	return r, nil
}

// validate rejects configurations no card could be graded against. The
// config schema catches most of these with positions; this guards callers
// that skipped lint.
func validate(sc config.Scorecard) error {
	if len(sc.Levels) == 0 && len(sc.Checks) > 0 {
		return fmt.Errorf("no levels declared for %d checks", len(sc.Checks))
	}
	seen := map[string]bool{}
	for _, c := range sc.Checks {
		if seen[c.ID] {
			return fmt.Errorf("check %q is declared twice", c.ID)
		}
		seen[c.ID] = true
		if !slices.Contains(sc.Levels, c.Level) {
			return fmt.Errorf("check %q has level %q, not one of %s", c.ID, c.Level, strings.Join(sc.Levels, ", "))
		}
		if c.Weight < 0 || math.IsNaN(c.Weight) || math.IsInf(c.Weight, 0) {
			return fmt.Errorf("check %q has weight %v; weights are zero or more", c.ID, c.Weight)
		}
		switch c.AppliesTo {
		case "", SubjectService, SubjectTeam:
		default:
			return fmt.Errorf("check %q applies to %q; use service or team", c.ID, c.AppliesTo)
		}
	}
	return nil
}

// appliesTo defaults to services, which most checks are about.
func appliesTo(c config.ScorecardCheck) string {
	return cmp.Or(c.AppliesTo, SubjectService)
}

type evalEnv struct {
	cfg *config.Config
	in  *Input
	now time.Time
}

// run measures the checks that apply to the subject's kind, in the order
// of the configuration.
func (e *evalEnv) run(checks []config.ScorecardCheck, s subject) []CheckResult {
	out := []CheckResult{}
	for _, c := range checks {
		if appliesTo(c) != s.kind {
			continue
		}
		res := CheckResult{ID: c.ID, Title: c.Title, Level: c.Level, Weight: c.Weight}
		m := e.measure(c.ID, s)
		res.Status, res.Figure, res.Value, res.Target = m.status, m.figure, m.value, m.target
		res.Unit, res.N, res.Items = m.unit, m.n, m.items
		if res.Status == Fail {
			res.Remediation = c.Remediation
		}
		out = append(out, res)
	}
	return out
}

func (e *evalEnv) measure(id string, s subject) measurement {
	def, ok := registry[id]
	if !ok {
		return notMeasured("opsqa has no check %q; known checks: %s", id, strings.Join(knownChecks(), ", "))
	}
	if def.subject != s.kind {
		return notMeasured("check %q measures %ss, not %ss; set applies_to: %s", id, def.subject, s.kind, def.subject)
	}
	return def.measure(e, s)
}

// grade returns the highest level whose checks, and those of every level
// below, all pass or do not apply, and the weighted score. A level needs
// at least one check at or below it that was measured and passed: a card
// whose checks all do not apply has earned nothing, and shows no level. A
// level with no check for this kind of card is skipped: it neither blocks
// the levels above nor is reached by itself, so a team graded only at gold
// shows no level at all until it earns gold.
func grade(levels []string, checks []CheckResult) (string, *int) {
	reached, passedSoFar := "", 0
	for _, lvl := range levels {
		ok, any := true, false
		for _, c := range checks {
			if c.Level != lvl {
				continue
			}
			any = true
			switch c.Status {
			case Pass:
				passedSoFar++
			case NotApplicable:
			default:
				ok = false
			}
		}
		if !ok {
			break
		}
		if any && passedSoFar > 0 {
			reached = lvl
		}
	}
	var passed, measured float64
	for _, c := range checks {
		switch c.Status {
		case Pass:
			passed += c.Weight
			measured += c.Weight
		case Fail:
			measured += c.Weight
		}
	}
	if measured == 0 {
		return reached, nil
	}
	score := int(math.Round(100 * passed / measured))
	return reached, &score
}
