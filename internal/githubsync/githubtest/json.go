package githubtest

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"
)

// The JSON below follows GitHub's REST responses field for field, nulls
// included, so a client that trips over a real response trips here too.

func (s *Server) api(format string, args ...any) string {
	return strings.TrimSuffix(s.srv.URL, "/") + fmt.Sprintf(format, args...)
}

func (s *Server) web(format string, args ...any) string {
	return "https://github.com" + fmt.Sprintf(format, args...)
}

func id(parts ...any) int64 {
	h := fnv.New64a()
	fmt.Fprint(h, parts...)
	return int64(h.Sum64() >> 12)
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func (s *Server) userJSON(u User) map[string]any {
	typ := u.Type
	if typ == "" {
		typ = "User"
	}
	login := u.Login
	return map[string]any{
		"login":               login,
		"id":                  id("user", login),
		"node_id":             "MDQ6VXNlcjE=",
		"avatar_url":          fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id("user", login)),
		"gravatar_id":         "",
		"url":                 s.api("/users/%s", login),
		"html_url":            s.web("/%s", login),
		"followers_url":       s.api("/users/%s/followers", login),
		"following_url":       s.api("/users/%s/following{/other_user}", login),
		"gists_url":           s.api("/users/%s/gists{/gist_id}", login),
		"starred_url":         s.api("/users/%s/starred{/owner}{/repo}", login),
		"subscriptions_url":   s.api("/users/%s/subscriptions", login),
		"organizations_url":   s.api("/users/%s/orgs", login),
		"repos_url":           s.api("/users/%s/repos", login),
		"events_url":          s.api("/users/%s/events{/privacy}", login),
		"received_events_url": s.api("/users/%s/received_events", login),
		"type":                typ,
		"site_admin":          false,
	}
}

var labelColors = map[string]string{"incident": "d73a4a", "problem": "fbca04", "feedback": "0e8a16", "quiz-result": "1d76db"}

func (s *Server) labelJSON(name string) map[string]any {
	color, ok := labelColors[strings.ToLower(name)]
	if !ok {
		color = "ededed"
	}
	return map[string]any{
		"id":          id("label", name),
		"node_id":     "MDU6TGFiZWwx",
		"url":         s.api("/repos/%s/%s/labels/%s", s.Owner, s.Name, name),
		"name":        name,
		"color":       color,
		"default":     false,
		"description": nil,
	}
}

func (s *Server) issueJSON(is *Issue) map[string]any {
	base := fmt.Sprintf("/repos/%s/%s/issues/%d", s.Owner, s.Name, is.Number)
	labels := []map[string]any{}
	for _, l := range is.Labels {
		labels = append(labels, s.labelJSON(l))
	}
	assignees := []map[string]any{}
	for _, a := range is.Assignees {
		assignees = append(assignees, s.userJSON(User{Login: a}))
	}
	var assignee any
	if len(assignees) > 0 {
		assignee = assignees[0]
	}
	var closedAt, stateReason, body, closedBy any
	if is.ClosedAt != nil {
		closedAt = ts(*is.ClosedAt)
	}
	if is.StateReason != "" {
		stateReason = is.StateReason
	}
	if is.Body != nil {
		body = *is.Body
	}
	m := map[string]any{
		"url":                      s.api("%s", base),
		"repository_url":           s.api("/repos/%s/%s", s.Owner, s.Name),
		"labels_url":               s.api("%s/labels{/name}", base),
		"comments_url":             s.api("%s/comments", base),
		"events_url":               s.api("%s/events", base),
		"html_url":                 s.web("/%s/%s/issues/%d", s.Owner, s.Name, is.Number),
		"id":                       id("issue", is.Number),
		"node_id":                  "I_kwDOABCD",
		"number":                   is.Number,
		"title":                    is.Title,
		"user":                     s.userJSON(is.User),
		"labels":                   labels,
		"state":                    is.State,
		"locked":                   false,
		"assignee":                 assignee,
		"assignees":                assignees,
		"milestone":                nil,
		"comments":                 0,
		"created_at":               ts(is.CreatedAt),
		"updated_at":               ts(is.UpdatedAt),
		"closed_at":                closedAt,
		"author_association":       "MEMBER",
		"active_lock_reason":       nil,
		"body":                     body,
		"closed_by":                closedBy,
		"timeline_url":             s.api("%s/timeline", base),
		"performed_via_github_app": nil,
		"state_reason":             stateReason,
		"reactions": map[string]any{
			"url": s.api("%s/reactions", base), "total_count": 0, "+1": 0, "-1": 0, "laugh": 0,
			"hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0,
		},
	}
	if is.PullRequest {
		m["draft"] = false
		m["pull_request"] = map[string]any{
			"url":       s.api("/repos/%s/%s/pulls/%d", s.Owner, s.Name, is.Number),
			"html_url":  s.web("/%s/%s/pull/%d", s.Owner, s.Name, is.Number),
			"diff_url":  s.web("/%s/%s/pull/%d.diff", s.Owner, s.Name, is.Number),
			"patch_url": s.web("/%s/%s/pull/%d.patch", s.Owner, s.Name, is.Number),
			"merged_at": nil,
		}
	}
	return m
}

func (s *Server) eventJSON(is *Issue, i int, e Event) map[string]any {
	eid := id("event", is.Number, i)
	actor := s.userJSON(e.Actor)
	issueURL := s.api("/repos/%s/%s/issues/%d", s.Owner, s.Name, is.Number)
	switch e.Event {
	case "commented":
		assoc := e.AuthorAssociation
		if assoc == "" {
			assoc = "MEMBER"
		}
		return map[string]any{
			"url":                      s.api("/repos/%s/%s/issues/comments/%d", s.Owner, s.Name, eid),
			"html_url":                 s.web("/%s/%s/issues/%d#issuecomment-%d", s.Owner, s.Name, is.Number, eid),
			"issue_url":                issueURL,
			"id":                       eid,
			"node_id":                  "IC_kwDOABCD",
			"user":                     actor,
			"created_at":               ts(e.At),
			"updated_at":               ts(e.At),
			"author_association":       assoc,
			"body":                     e.Body,
			"reactions":                map[string]any{"url": issueURL + "/reactions", "total_count": 0},
			"performed_via_github_app": nil,
			"event":                    "commented",
			"actor":                    actor,
		}
	case "cross-referenced":
		return map[string]any{
			"actor":      actor,
			"created_at": ts(e.At),
			"updated_at": ts(e.At),
			"source":     map[string]any{"type": "issue", "issue": s.issueJSON(is)},
			"event":      "cross-referenced",
		}
	}
	m := map[string]any{
		"id":                       eid,
		"node_id":                  "LE_kwDOABCD",
		"url":                      s.api("/repos/%s/%s/issues/events/%d", s.Owner, s.Name, eid),
		"actor":                    actor,
		"event":                    e.Event,
		"commit_id":                nil,
		"commit_url":               nil,
		"created_at":               ts(e.At),
		"performed_via_github_app": nil,
	}
	switch e.Event {
	case "labeled", "unlabeled":
		m["label"] = map[string]any{"name": e.Label, "color": s.labelJSON(e.Label)["color"]}
	case "assigned", "unassigned":
		m["assignee"] = s.userJSON(User{Login: e.Assignee})
		m["assigner"] = actor
	case "closed", "reopened":
		var reason any
		if e.StateReason != "" {
			reason = e.StateReason
		}
		m["state_reason"] = reason
	case "renamed":
		m["rename"] = map[string]any{"from": "old title", "to": is.Title}
	}
	return m
}
