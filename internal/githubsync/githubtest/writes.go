package githubtest

// The writes the server accepts, for tests of the commands that file
// issues: opening an issue (POST /repos/{owner}/{repo}/issues, 201 with
// the issue and a Location header) and updating one (PATCH
// /repos/{owner}/{repo}/issues/{number}, 200 with the issue), with
// GitHub's 404 for an unknown issue and 422 "Validation Failed" bodies
// for a missing title or a state it does not know. A write counts
// against the rate limit and sets updated_at, as on GitHub.

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Writer is the account the server says opened an issue through the
// API: the token of a workflow run.
var Writer = User{Login: "github-actions[bot]", Type: "Bot"}

var issuePath = regexp.MustCompile(`^/(?:repos/([^/]+)/([^/]+)|repositories/(\d+))/issues/(\d+)$`)

const (
	createDocURL = "https://docs.github.com/rest/issues/issues#create-an-issue"
	updateDocURL = "https://docs.github.com/rest/issues/issues#update-an-issue"
)

// issueRequest is the body of a create or update; a key left out is
// nil, so that an update changes only the keys it sends.
type issueRequest struct {
	Title       *string   `json:"title"`
	Body        *string   `json:"body"`
	Labels      *[]string `json:"labels"`
	Assignees   *[]string `json:"assignees"`
	Assignee    *string   `json:"assignee"`
	State       *string   `json:"state"`
	StateReason *string   `json:"state_reason"`
}

// validationError is one entry of a 422's errors.
type validationError struct {
	Resource string `json:"resource"`
	Code     string `json:"code"`
	Field    string `json:"field"`
}

// serveWrite answers the writes it knows and reports whether it did.
func (s *Server) serveWrite(w *statusWriter, r *http.Request) bool {
	switch {
	case r.Method == http.MethodPost:
		m := listPath.FindStringSubmatch(r.URL.Path)
		if m == nil || !s.repoMatches(m[1], m[2], m[3]) {
			return false
		}
		s.createIssue(w, r)
		return true
	case r.Method == http.MethodPatch:
		m := issuePath.FindStringSubmatch(r.URL.Path)
		if m == nil || !s.repoMatches(m[1], m[2], m[3]) {
			return false
		}
		n, _ := strconv.Atoi(m[4])
		s.updateIssue(w, r, n)
		return true
	}
	return false
}

func (s *Server) createIssue(w *statusWriter, r *http.Request) {
	var req issueRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		s.writeError(w, http.StatusBadRequest, "Problems parsing JSON", createDocURL, nil)
		return
	}
	if req.Title == nil || strings.TrimSpace(*req.Title) == "" {
		s.validationFailed(w, createDocURL, validationError{Resource: "Issue", Code: "missing_field", Field: "title"})
		return
	}
	now := s.now().UTC().Truncate(1e9)
	is := Issue{Title: *req.Title, Body: req.Body, User: Writer, State: "open", CreatedAt: now, UpdatedAt: now}
	if req.Labels != nil {
		is.Labels = append([]string(nil), *req.Labels...)
	}
	is.Assignees = assignees(req)
	s.mu.Lock()
	for n := range s.issues {
		is.Number = max(is.Number, n)
	}
	is.Number++
	s.issues[is.Number] = &is
	s.timelines[is.Number] = nil
	c := is
	s.mu.Unlock()
	w.Header().Set("Location", s.api("/repos/%s/%s/issues/%d", s.Owner, s.Name, c.Number))
	s.writeIssue(w, http.StatusCreated, &c)
}

func (s *Server) updateIssue(w *statusWriter, r *http.Request, n int) {
	var req issueRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		s.writeError(w, http.StatusBadRequest, "Problems parsing JSON", updateDocURL, nil)
		return
	}
	if req.State != nil && *req.State != "open" && *req.State != "closed" {
		s.validationFailed(w, updateDocURL, validationError{Resource: "Issue", Code: "invalid", Field: "state"})
		return
	}
	if req.StateReason != nil && !validReason(*req.StateReason) {
		s.validationFailed(w, updateDocURL, validationError{Resource: "Issue", Code: "invalid", Field: "state_reason"})
		return
	}
	if req.Title != nil && strings.TrimSpace(*req.Title) == "" {
		s.validationFailed(w, updateDocURL, validationError{Resource: "Issue", Code: "missing_field", Field: "title"})
		return
	}
	now := s.now().UTC().Truncate(1e9)
	s.mu.Lock()
	is, ok := s.issues[n]
	if !ok || is.PullRequest {
		s.mu.Unlock()
		s.writeError(w, http.StatusNotFound, "Not Found", updateDocURL, nil)
		return
	}
	if req.Title != nil {
		is.Title = *req.Title
	}
	if req.Body != nil {
		b := *req.Body
		is.Body = &b
	}
	if req.Labels != nil {
		is.Labels = append([]string(nil), *req.Labels...)
	}
	if req.Assignees != nil || req.Assignee != nil {
		is.Assignees = assignees(req)
	}
	if req.State != nil && *req.State != is.State {
		at := now
		switch *req.State {
		case "closed":
			is.State, is.StateReason, is.ClosedAt = "closed", "completed", &at
			s.timelines[n] = append(s.timelines[n], Event{Event: "closed", Actor: Writer, At: now, StateReason: "completed"})
		case "open":
			is.State, is.StateReason, is.ClosedAt = "open", "reopened", nil
			s.timelines[n] = append(s.timelines[n], Event{Event: "reopened", Actor: Writer, At: now, StateReason: "reopened"})
		}
	}
	if req.StateReason != nil && is.State == "closed" {
		is.StateReason = *req.StateReason
		if evs := s.timelines[n]; len(evs) > 0 && evs[len(evs)-1].Event == "closed" && evs[len(evs)-1].At.Equal(now) {
			evs[len(evs)-1].StateReason = *req.StateReason
		}
	}
	is.UpdatedAt = now
	c := *is
	s.mu.Unlock()
	s.writeIssue(w, http.StatusOK, &c)
}

func validReason(r string) bool {
	switch r {
	case "completed", "not_planned", "reopened", "duplicate":
		return true
	}
	return false
}

func assignees(req issueRequest) []string {
	var out []string
	if req.Assignees != nil {
		out = append(out, *req.Assignees...)
	}
	if req.Assignee != nil && *req.Assignee != "" {
		out = append(out, *req.Assignee)
	}
	return out
}

func (s *Server) writeIssue(w *statusWriter, status int, is *Issue) {
	data, _ := json.Marshal(s.issueJSON(is))
	h := w.Header()
	s.rateHeaders(h, true)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	w.Write(data)
}

// validationFailed writes GitHub's 422 body, as recorded in
// errors.json: a message, the errors by field, the documentation URL.
func (s *Server) validationFailed(w *statusWriter, doc string, errs ...validationError) {
	data, _ := json.Marshal(map[string]any{"message": "Validation Failed", "errors": errs, "documentation_url": doc})
	h := w.Header()
	s.rateHeaders(h, true)
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusUnprocessableEntity)
	w.Write(data)
}

// hasLabels reports whether an issue carries every label of a listing's
// labels parameter (comma-separated, any case), as GitHub filters.
func hasLabels(is *Issue, param string) bool {
	for _, want := range strings.Split(param, ",") {
		want = strings.TrimSpace(want)
		if want == "" {
			continue
		}
		found := false
		for _, l := range is.Labels {
			if strings.EqualFold(l, want) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Issue returns a copy of issue number, as the server holds it now.
func (s *Server) Issue(number int) (Issue, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	is, ok := s.issues[number]
	if !ok {
		return Issue{}, false
	}
	return *is, true
}

// Issues returns a copy of every issue, by number.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Issue, 0, len(s.issues))
	for _, is := range s.issues {
		out = append(out, *is)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}
