package pipeline

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/issueform"
	"github.com/opsqa/opsqa/internal/safefile"
	"github.com/opsqa/opsqa/internal/ticket"
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

// MaxEventSize is the largest event payload read: GitHub caps webhook
// payloads at 25 MB.
const MaxEventSize = 25 << 20

// GradeEvent grades the quiz-result issue of an issues event payload
// against the repository at root: the form's fields are read with the
// repository's own quiz-result form, the key at the version submitted is
// found in the quizzes and their history. A payload that is not an
// issues event, or a repository without the form, is a *ConfigError.
//
// With a snapshot path the person's earlier quiz-result issues in it are
// read, so that a submission within the retake interval of their last
// graded attempt at the quiz is said to be too soon rather than graded;
// "" grades the submission alone.
func GradeEvent(root string, payload []byte, snapshot string) (training.Verdict, error) {
	var ev issuesEvent
	if err := json.Unmarshal(payload, &ev); err != nil || ev.Issue == nil {
		if err == nil {
			return training.Verdict{}, configErrorf("the event has no issue: grade reads an issues event payload (GITHUB_EVENT_PATH in a workflow run by issues: opened, edited)")
		}
		return training.Verdict{}, configErrorf("read the event payload: %v", err)
	}
	form, err := safefile.ReadFile(filepath.Join(root, filepath.FromSlash(QuizResultForm)), issueform.MaxFormSize, "an issue form")
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
	keys := training.RepoKeys(root, repo.r.OfKind("quiz"))
	var earlier []training.Submission
	if snapshot != "" {
		if !filepath.IsAbs(snapshot) {
			snapshot = filepath.Join(root, snapshot)
		}
		snap, err := ticket.ReadSnapshot(snapshot)
		if err != nil {
			return training.Verdict{}, configErrorf("read the earlier quiz results: %v", err)
		}
		for _, e := range training.Submissions(snap.Tickets, s.At) {
			if e.Author == s.Author {
				earlier = append(earlier, e)
			}
		}
	}
	return training.GradeAfter(s, earlier, keys, repo.config().Training.RetakeAfter()), nil
}

// trainingRecords grades the snapshot's quiz results with the quizzes'
// history and builds the records at asOf.
func trainingRecords(repo *loadedRepo, root string, snap *ticket.Snapshot, asOf time.Time) *training.Records {
	r := repo.r
	return training.FromTickets(r.Config, r.OfKind("curriculum"), r.OfKind("module"), snap.Tickets,
		training.RepoKeys(root, r.OfKind("quiz")), asOf)
}

// TrainingOptions says which records to read.
type TrainingOptions struct {
	// Root is the repository root.
	Root string
	// Snapshot holds the quiz-result tickets, relative to Root unless
	// absolute.
	Snapshot string
	// AsOf is "now", an RFC 3339 time or a date; default: when the
	// snapshot was taken.
	AsOf string
	// Now is the clock.
	Now func() time.Time
}

// Training builds the training records from the snapshot's quiz results:
// each graded again from the key of the version answered, the retake
// interval applied, certifications judged at the as-of time. Without a
// snapshot the error wraps fs.ErrNotExist.
func Training(o TrainingOptions) (*training.Records, error) {
	_, loc, err := loadConfig(o.Root)
	if err != nil {
		return nil, err
	}
	repo, err := loadRepository(o.Root)
	if err != nil {
		return nil, err
	}
	return trainingFromRepo(repo, loc, o)
}
