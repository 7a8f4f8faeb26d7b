// Package config reads opsqa.yaml: the organisation (teams, members,
// services), how issues map to tickets, the KPI targets and the lint
// settings. Validation against schemas/config.schema.json happens in the
// lint rules, which report positions; Load only decodes and fills defaults.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/safefile"
)

// FileName is where the configuration lives, at the repository root.
const FileName = "opsqa.yaml"

// MaxSize is the largest opsqa.yaml read, 1 MiB: the bundled one, with
// every team, service and check of the example organisation, is 9 KB.
const MaxSize = 1 << 20

// Config is opsqa.yaml decoded, with defaults filled in.
type Config struct {
	Organisation     string              `yaml:"organisation"`
	Repository       string              `yaml:"repository"`
	DefaultBranch    string              `yaml:"default_branch"`
	Timezone         string              `yaml:"timezone"`
	Site             Site                `yaml:"site"`
	Collections      []Collection        `yaml:"collections"`
	Roles            []Role              `yaml:"roles"`
	Teams            []Team              `yaml:"teams"`
	Services         []Service           `yaml:"services"`
	Labels           Labels              `yaml:"labels"`
	KPI              KPI                 `yaml:"kpi"`
	ReviewIntervals  map[string]int      `yaml:"review_intervals"`
	RequiredSections map[string][]string `yaml:"required_sections"`
	AlertRules       []string            `yaml:"alert_rules"`
	RunbookURLs      []RunbookURL        `yaml:"runbook_urls"`
	Lint             Lint                `yaml:"lint"`
	Scorecard        Scorecard           `yaml:"scorecard"`
	Codeowners       Codeowners          `yaml:"codeowners"`
	Training         Training            `yaml:"training"`

	// CollectionsGiven is true when opsqa.yaml lists its collections
	// rather than leaving the defaults: then each folder it names must
	// exist and hold documents.
	CollectionsGiven bool `yaml:"-"`
}

// Site configures the published knowledge site.
type Site struct {
	Title    string `yaml:"title"`
	BaseURL  string `yaml:"base_url"`
	Language string `yaml:"language"`
}

// Collection maps a folder, and every folder under it, to the kind of
// document it holds, and says how strictly its front matter is checked.
type Collection struct {
	Path string `yaml:"path"`
	Kind string `yaml:"kind"`
	// FrontMatter is "required" (the default: every key the kind's schema
	// requires) or "optional": a document may have none, and one that has
	// some is checked for the keys it gives, not for those it leaves out.
	FrontMatter string `yaml:"front_matter"`
	// ExtraKeys is "deny" (the default) or "allow": keys the schema does
	// not know, such as a static site generator's weight or aliases, are
	// accepted at the top of the front matter.
	ExtraKeys string `yaml:"extra_keys"`
	// Schema is a JSON Schema of the team's own (a file of the
	// repository) that extends the kind's built-in schema; when set, the
	// collection's front matter is validated against it instead.
	Schema string `yaml:"schema"`
}

// FrontMatterOptional reports whether documents of the collection may
// leave out the keys their schema requires, or all front matter.
func (c Collection) FrontMatterOptional() bool { return c.FrontMatter == "optional" }

// ExtraKeysAllowed reports whether unknown top-level front matter keys
// are accepted.
func (c Collection) ExtraKeysAllowed() bool { return c.ExtraKeys == "allow" }

// RunbookURL maps the runbook_url annotations of alert rules to files of
// the repository, for runbooks published elsewhere than opsqa's site:
// URL and Path are patterns whose {named} parts match one path segment
// each, such as https://runbooks.example.dev/runbooks/{group}/{alert}
// and runbooks/content/runbooks/{group}/{alert}.md.
type RunbookURL struct {
	URL  string `yaml:"url"`
	Path string `yaml:"path"`
	// IgnoreCase finds the file whatever the case of the URL: the
	// published pages are lower case, the files named after the alert.
	IgnoreCase bool `yaml:"ignore_case"`
}

// Role is a responsibility a person holds, such as on-call-engineer.
type Role struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	OnCall      bool   `yaml:"on_call"`
}

// Team owns documents and services.
type Team struct {
	ID          string   `yaml:"id"`
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Members     []Member `yaml:"members"`
	// GitHubTeam is the team's handle on GitHub, @org/team-slug: what
	// 'opsqa codeowners' writes for the documents it owns. A team without
	// one owns nothing in CODEOWNERS.
	GitHubTeam string `yaml:"github_team"`
}

// Codeowners says how 'opsqa codeowners' writes .github/CODEOWNERS
// beyond each document's owner.
type Codeowners struct {
	// Reviewers are teams whose handles follow the owner's on every
	// generated line. GitHub applies only the last line matching a file,
	// so a team that reviews every document must be on each line.
	Reviewers []string `yaml:"reviewers"`
}

// Training sets the rules of assessment that are not a curriculum's
// own: how soon a quiz may be taken again, and how early a
// recertification falls due.
type Training struct {
	// RetakeHours is the least time between two graded attempts at one
	// quiz by one person; a submission sooner is not graded. 0 means
	// the default, 24.
	RetakeHours int `yaml:"retake_hours"`
	// NoticeDays is how many days before a certification expires it is
	// due; 0 means the default, 30.
	NoticeDays int `yaml:"recertification_notice_days"`
	// Label marks the recertification-due issues; default
	// "recertification".
	Label string `yaml:"recertification_label"`
}

// RetakeAfter is the least time between two graded attempts.
func (t Training) RetakeAfter() time.Duration {
	if t.RetakeHours > 0 {
		return time.Duration(t.RetakeHours) * time.Hour
	}
	return 24 * time.Hour
}

// Notice is how many days before expiry a certification is due.
func (t Training) Notice() int {
	if t.NoticeDays > 0 {
		return t.NoticeDays
	}
	return 30
}

// RecertificationLabel is the label of recertification-due issues.
func (t Training) RecertificationLabel() string {
	if t.Label != "" {
		return t.Label
	}
	return "recertification"
}

// Member is a person on a team, by GitHub login.
type Member struct {
	Login string `yaml:"login"`
	Name  string `yaml:"name"`
	Role  string `yaml:"role"`
}

// Service is something the organisation runs and measures.
type Service struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Team        string `yaml:"team"`
	Tier        int    `yaml:"tier"`
	Description string `yaml:"description"`
}

// Labels maps GitHub issue labels to ticket classes and attributes.
// Matching is case-insensitive.
type Labels struct {
	Incident       []string `yaml:"incident"`
	Problem        []string `yaml:"problem"`
	Feedback       []string `yaml:"feedback"`
	QuizResult     []string `yaml:"quiz_result"`
	Acknowledged   []string `yaml:"acknowledged"`
	Mitigated      []string `yaml:"mitigated"`
	SeverityPrefix string   `yaml:"severity_prefix"`
	ServicePrefix  string   `yaml:"service_prefix"`
}

// KPI holds the targets of the plan and the policies that decide how
// milestones are read from tickets.
type KPI struct {
	MTTRTargetSeconds          int64            `yaml:"mttr_target_seconds"`
	ResolvedWithinSeconds      int64            `yaml:"resolved_within_seconds"`
	ResolvedWithinTargetRatio  float64          `yaml:"resolved_within_target_ratio"`
	FirstResponseTargetSeconds map[string]int64 `yaml:"first_response_target_seconds"`
	// FirstResponseTargetRatio is the share of tickets that must get their
	// first response within their severity's target.
	FirstResponseTargetRatio float64 `yaml:"first_response_target_ratio"`
	// ResponseSignals lists what counts as a first response: "comment",
	// "assignment", "label" (an acknowledged label).
	ResponseSignals []string `yaml:"response_signals"`
	// Responders is "anyone" or "team-members".
	Responders string `yaml:"responders"`
	// Resolution is "final-close" or "first-close".
	Resolution         string  `yaml:"resolution"`
	SatisfactionTarget float64 `yaml:"satisfaction_target"`
}

// Lint holds per-rule settings and ignored paths.
type Lint struct {
	Rules  map[string]string `yaml:"rules"`
	Ignore []string          `yaml:"ignore"`
}

// Scorecard defines levels and the checks that reach them.
type Scorecard struct {
	Levels []string         `yaml:"levels"`
	Checks []ScorecardCheck `yaml:"checks"`
	// History is the file, relative to the repository root, that each
	// build appends the day's scores to, so trends outlive the ticket
	// snapshot; committed with the content. "" keeps no history.
	History string `yaml:"history"`
}

// ScorecardCheck is one check of a scorecard.
type ScorecardCheck struct {
	ID          string  `yaml:"id"`
	Title       string  `yaml:"title"`
	Level       string  `yaml:"level"`
	Weight      float64 `yaml:"weight"`
	AppliesTo   string  `yaml:"applies_to"`
	Remediation string  `yaml:"remediation"`
}

// DefaultCollections are the folders of DESIGN.md.
var DefaultCollections = []Collection{
	{Path: "content/runbooks", Kind: "runbook"},
	{Path: "content/postmortems", Kind: "postmortem"},
	{Path: "processes", Kind: "process"},
	{Path: "training/curricula", Kind: "curriculum"},
	{Path: "training/modules", Kind: "module"},
	{Path: "training/quizzes", Kind: "quiz"},
}

// Kinds lists every document kind.
var Kinds = []string{"runbook", "postmortem", "process", "curriculum", "module", "quiz"}

// Default returns the configuration used where opsqa.yaml leaves a value out.
func Default() *Config {
	return &Config{
		DefaultBranch: "main",
		Timezone:      "UTC",
		Site:          Site{Language: "en"},
		Collections:   DefaultCollections,
		Labels: Labels{
			Incident:      []string{"incident"},
			Problem:       []string{"problem"},
			Feedback:      []string{"feedback"},
			QuizResult:    []string{"quiz-result"},
			Acknowledged:  []string{"acknowledged"},
			Mitigated:     []string{"mitigated"},
			ServicePrefix: "service:",
		},
		KPI: KPI{
			MTTRTargetSeconds:         1800,
			ResolvedWithinSeconds:     86400,
			ResolvedWithinTargetRatio: 0.8,
			FirstResponseTargetRatio:  0.8,
			ResponseSignals:           []string{"comment"},
			Responders:                "anyone",
			Resolution:                "final-close",
		},
		ReviewIntervals: map[string]int{
			"runbook": 180, "process": 365, "postmortem": 365,
			"curriculum": 365, "module": 365, "quiz": 365,
		},
		RequiredSections: map[string][]string{
			"runbook": {"Overview", "Symptoms", "Impact", "Diagnosis", "Mitigation", "Escalation"},
		},
		Scorecard: Scorecard{Levels: []string{"bronze", "silver", "gold"}},
	}
}

// Parse decodes opsqa.yaml over the defaults. Keys the file leaves out keep
// their default; maps are merged key by key. When some values have the
// wrong type, Parse returns the configuration decoded from the rest along
// with the error, so a linter can still check what is usable.
func Parse(data []byte) (*Config, error) {
	c := Default()
	intervals, sections := c.ReviewIntervals, c.RequiredSections
	c.ReviewIntervals, c.RequiredSections, c.Collections = nil, nil, nil
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var typeErr *yaml.TypeError
	err := dec.Decode(c)
	switch {
	case errors.As(err, &typeErr):
		err = fmt.Errorf("decode %s: %w", FileName, err)
	case err != nil && !errors.Is(err, io.EOF):
		return nil, fmt.Errorf("decode %s: %w", FileName, err)
	default:
		err = nil
	}
	c.ReviewIntervals = mergeMap(intervals, c.ReviewIntervals)
	c.RequiredSections = mergeMap(sections, c.RequiredSections)
	c.CollectionsGiven = len(c.Collections) > 0
	if !c.CollectionsGiven {
		c.Collections = DefaultCollections
	}
	for i := range c.Scorecard.Checks {
		if c.Scorecard.Checks[i].Weight == 0 {
			c.Scorecard.Checks[i].Weight = 1
		}
	}
	return c, err
}

func mergeMap[V any](base, over map[string]V) map[string]V {
	out := make(map[string]V, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// Load reads opsqa.yaml from the root of fsys. A missing file is not an
// error: the defaults describe a repository laid out as DESIGN.md says.
func Load(fsys fs.FS) (*Config, error) {
	data, err := safefile.ReadFS(fsys, FileName, MaxSize, FileName)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Default(), nil
		}
		return nil, fmt.Errorf("read %s: %w", FileName, err)
	}
	return Parse(data)
}

// KindOf returns the kind of the collection holding the slash-separated
// path, or "" when no collection holds it.
func (c *Config) KindOf(p string) string {
	col, _ := c.CollectionOf(p)
	return col.Kind
}

// CollectionOf returns the collection holding the slash-separated path:
// the one whose folder is the longest prefix of it.
func (c *Config) CollectionOf(p string) (Collection, bool) {
	best, found := -1, Collection{}
	for _, col := range c.Collections {
		dir := strings.TrimSuffix(path.Clean(col.Path), "/")
		if len(p) > len(dir) && p[len(dir)] == '/' && strings.HasPrefix(p, dir) && len(dir) > best {
			best, found = len(dir), col
		}
	}
	return found, best >= 0
}

// Team returns the team with the given id.
func (c *Config) Team(id string) (Team, bool) {
	for _, t := range c.Teams {
		if t.ID == id {
			return t, true
		}
	}
	return Team{}, false
}

// Service returns the service with the given id.
func (c *Config) Service(id string) (Service, bool) {
	for _, s := range c.Services {
		if s.ID == id {
			return s, true
		}
	}
	return Service{}, false
}

// Role returns the role with the given id.
func (c *Config) Role(id string) (Role, bool) {
	for _, r := range c.Roles {
		if r.ID == id {
			return r, true
		}
	}
	return Role{}, false
}

// MemberTeams maps each member's login to the ids of the teams they are on.
func (c *Config) MemberTeams() map[string][]string {
	m := map[string][]string{}
	for _, t := range c.Teams {
		for _, mem := range t.Members {
			m[strings.ToLower(mem.Login)] = append(m[strings.ToLower(mem.Login)], t.ID)
		}
	}
	return m
}

// ReviewInterval returns the review interval in days for a kind.
func (c *Config) ReviewInterval(kind string) int {
	if d, ok := c.ReviewIntervals[kind]; ok {
		return d
	}
	return 365
}
