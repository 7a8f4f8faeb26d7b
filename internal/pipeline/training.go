package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/issueform"
	"github.com/opsqa/opsqa/internal/training"
)

// QuizResultForm is the issue form quiz results are filed with.
const QuizResultForm = ".github/ISSUE_TEMPLATE/quiz-result.yml"

// issuesEvent is the part of GitHub's issues webhook payload (the file
// GITHUB_EVENT_PATH names in a workflow) that grading reads.
type issuesEvent struct {
	Issue *struct {
		Number    int       `json:"number"`
		Body      *string   `json:"body"`
		CreatedAt time.Time `json:"created_at"`
		User      struct {
			Login string `json:"login"`
		} `json:"user"`
	} `json:"issue"`
}

// GradeEvent grades the quiz-result issue of an issues event payload
// against the repository at root: the form's fields are read with the
// repository's own quiz-result form, the key at the version submitted is
// found in the quizzes and their history. A payload that is not an
// issues event, or a repository without the form, is a *ConfigError.
func GradeEvent(root string, payload []byte) (training.Verdict, error) {
	var ev issuesEvent
	if err := json.Unmarshal(payload, &ev); err != nil || ev.Issue == nil {
		if err == nil {
			return training.Verdict{}, configErrorf("the event has no issue: grade reads an issues event payload (GITHUB_EVENT_PATH in a workflow run by issues: opened, edited)")
		}
		return training.Verdict{}, configErrorf("read the event payload: %v", err)
	}
	form, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(QuizResultForm)))
	if err != nil {
		return training.Verdict{}, configErrorf("no quiz-result form: %v", err)
	}
	t, err := issueform.ParseTemplate(form)
	if err != nil {
		return training.Verdict{}, configErrorf("%s: %v", QuizResultForm, err)
	}
	body := ""
	if ev.Issue.Body != nil {
		body = *ev.Issue.Body
	}
	f := t.Parse(body).Fields
	repo, err := loadRepository(root)
	if err != nil {
		return training.Verdict{}, err
	}
	s := training.Submission{
		Issue: ev.Issue.Number, Author: strings.ToLower(ev.Issue.User.Login), At: ev.Issue.CreatedAt,
		QuizID: f["quiz_id"], Version: f["quiz_version"], Answers: f["answers"],
	}
	return training.Grade(s, training.RepoKeys(root, repo.r.OfKind("quiz"))), nil
}
