package sitegen

import (
	"cmp"
	"slices"
	"time"

	"github.com/opsqa/opsqa/internal/training"
)

// trainingPage is data/opsqa/training.json: the training records laid
// out for the training page. Every state (certified, due, expired,
// passed, …) is the records' verdict, copied; this file only counts and
// orders. Names and titles are the configuration's and the documents'
// text, printed escaped by the templates.
type trainingPage struct {
	AsOf       time.Time `json:"as_of"`
	NoticeDays int       `json:"notice_days"`
	// People and OnCall count the people with records; OnCallTrained
	// those on call who hold every module their curricula require.
	People        int `json:"people"`
	OnCall        int `json:"on_call"`
	OnCallTrained int `json:"on_call_trained"`
	// Renewals are the certifications due or expired: expired first,
	// then by expiry.
	Renewals  []renewalView    `json:"renewals"`
	Gaps      []gapView        `json:"gaps"`
	Curricula []curriculumView `json:"curricula"`
	Modules   []moduleView     `json:"modules"`
	Matrix    []matrixRow      `json:"matrix"`
}

type renewalView struct {
	Login      string    `json:"login"`
	Name       string    `json:"name"`
	Team       string    `json:"team"`
	Curriculum string    `json:"curriculum"`
	State      string    `json:"state"`
	Expires    time.Time `json:"expires"`
	// Missing are the module ids to pass again.
	Missing []string `json:"missing"`
}

type gapView struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	Team  string `json:"team"`
	Role  string `json:"role"`
	// Missing are the required module ids the person does not hold.
	Missing []string `json:"missing"`
}

// curriculumView is a curriculum and how far the people written for it
// are: how many hold each state, and the modules held over the modules
// required, in percent.
type curriculumView struct {
	training.Curriculum
	Enrolled int            `json:"enrolled"`
	States   map[string]int `json:"states"`
	Done     int            `json:"done"`
	Total    int            `json:"total"`
	Percent  int            `json:"percent"`
	// People are those written for the curriculum, with their standing.
	People []enrolledView `json:"people"`
}

type enrolledView struct {
	Login   string    `json:"login"`
	Name    string    `json:"name"`
	Team    string    `json:"team"`
	State   string    `json:"state"`
	Done    int       `json:"done"`
	Total   int       `json:"total"`
	Expires time.Time `json:"expires,omitzero"`
}

type moduleView struct {
	training.Module
	// Holders counts the people whose pass of the module is valid.
	Holders int `json:"holders"`
}

type matrixRow struct {
	Login  string                  `json:"login"`
	Name   string                  `json:"name"`
	Team   string                  `json:"team"`
	OnCall bool                    `json:"on_call"`
	Cells  []training.ModuleRecord `json:"cells"`
}

// trainingData lays the records out for the page.
func trainingData(r *training.Records) *trainingPage {
	tp := &trainingPage{
		AsOf: r.AsOf.UTC(), NoticeDays: r.NoticeDays,
		Renewals: []renewalView{}, Gaps: []gapView{}, Curricula: []curriculumView{}, Modules: []moduleView{}, Matrix: []matrixRow{},
	}
	byID := map[string]*curriculumView{}
	for _, c := range r.Curricula {
		tp.Curricula = append(tp.Curricula, curriculumView{Curriculum: c, States: map[string]int{}, People: []enrolledView{}})
	}
	for i := range tp.Curricula {
		byID[tp.Curricula[i].ID] = &tp.Curricula[i]
	}
	holders := map[string]int{}
	for _, p := range r.People {
		tp.People++
		if p.OnCall {
			tp.OnCall++
			if len(p.Gaps) == 0 {
				tp.OnCallTrained++
			}
		}
		for _, c := range p.Certifications {
			if cv := byID[c.Curriculum]; cv != nil {
				cv.Enrolled++
				cv.States[c.State]++
				cv.Done += c.Done
				cv.Total += c.Total
				cv.People = append(cv.People, enrolledView{Login: p.Login, Name: cmp.Or(p.Name, p.Login), Team: p.Team, State: c.State, Done: c.Done, Total: c.Total, Expires: c.Expires.UTC()})
			}
			if c.State == training.Due || c.State == training.Expired {
				tp.Renewals = append(tp.Renewals, renewalView{
					Login: p.Login, Name: cmp.Or(p.Name, p.Login), Team: p.Team,
					Curriculum: c.Curriculum, State: c.State, Expires: c.Expires.UTC(), Missing: nonNil(c.Missing),
				})
			}
		}
		for _, m := range p.Modules {
			if m.State == training.Held {
				holders[m.Module]++
			}
		}
		tp.Matrix = append(tp.Matrix, matrixRow{Login: p.Login, Name: cmp.Or(p.Name, p.Login), Team: p.Team, OnCall: p.OnCall, Cells: p.Modules})
	}
	for _, p := range r.OnCallGaps() {
		tp.Gaps = append(tp.Gaps, gapView{Login: p.Login, Name: cmp.Or(p.Name, p.Login), Team: p.Team, Role: p.Role, Missing: p.Gaps})
	}
	for i := range tp.Curricula {
		if cv := &tp.Curricula[i]; cv.Total > 0 {
			cv.Percent = cv.Done * 100 / cv.Total
		}
	}
	for _, m := range r.Modules {
		tp.Modules = append(tp.Modules, moduleView{Module: m, Holders: holders[m.ID]})
	}
	// Lapsed first: they are the gap today; then the soonest to lapse.
	slices.SortStableFunc(tp.Renewals, func(a, b renewalView) int {
		if (a.State == training.Expired) != (b.State == training.Expired) {
			if a.State == training.Expired {
				return -1
			}
			return 1
		}
		return a.Expires.Compare(b.Expires)
	})
	return tp
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
