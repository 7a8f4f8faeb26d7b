// Package training decides what a quiz-result submission is worth: it
// is graded again from the answer key of the version the trainee answered
// (found in the repository's history by quiz.Version), the issue's author
// is the person, and the score the page claimed is ignored. The grading
// command's comment and labels take the verdict from here.
package training

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/quiz"
)

// Submission is a quiz-result issue as filed.
type Submission struct {
	Issue   int
	Author  string
	At      time.Time
	QuizID  string
	Version string // the quiz version the page showed; "" when not given
	Answers string // one line per question: "question-id: a,c"
}

// Status is what became of a submission.
type Status string

// The statuses: graded (passed or failed), or not graded and why.
const (
	Passed         Status = "passed"
	Failed         Status = "failed"
	UnknownQuiz    Status = "unknown-quiz"
	UnknownVersion Status = "unknown-version"
	Malformed      Status = "malformed"
)

// Verdict is a graded submission.
type Verdict struct {
	Submission
	Status Status
	// Quiz is the answer key used; nil when not graded.
	Quiz   *quiz.Quiz
	Result quiz.Result
	// Current is false when the key is an earlier version than the
	// repository's.
	Current bool
	// Unknown are answered question ids the quiz does not have.
	Unknown []string
	// Why says why a submission was not graded.
	Why string
	// RetakeFrom is when the person may take the quiz again, for a
	// graded submission; zero when not known.
	RetakeFrom time.Time
}

// Counts reports whether the verdict is a pass for the records.
func (v Verdict) Counts() bool { return v.Status == Passed }

// KeyFinder finds a quiz's answer key at a version: the document, or
// nil when no quiz has the id, and whether the version was found ("" is
// the current one).
type KeyFinder func(id, version string) (doc *document.Document, current, found bool)

// Grade grades s with the key finder.
func Grade(s Submission, keys KeyFinder) Verdict {
	v := Verdict{Submission: s}
	id := strings.TrimSpace(s.QuizID)
	if id == "" {
		v.Status, v.Why = Malformed, "the submission names no quiz"
		return v
	}
	answers, err := quiz.ParseAnswers(s.Answers)
	if err != nil {
		v.Status, v.Why = Malformed, err.Error()
		return v
	}
	doc, current, found := keys(id, strings.TrimSpace(s.Version))
	switch {
	case doc == nil:
		v.Status, v.Why = UnknownQuiz, fmt.Sprintf("no quiz has the id %q", id)
		return v
	case !found:
		v.Status, v.Why = UnknownVersion, fmt.Sprintf("quiz %s has no version %q in the repository's history", id, s.Version)
		return v
	}
	v.Quiz, v.Current = quiz.Parse(doc), current
	known := map[string]bool{}
	for _, q := range v.Quiz.Questions {
		known[q.ID] = true
	}
	for qid := range answers {
		if !known[qid] {
			v.Unknown = append(v.Unknown, qid)
		}
	}
	v.Result = quiz.Grade(v.Quiz, answers)
	v.Status = Failed
	if v.Result.Passed {
		v.Status = Passed
	}
	return v
}

// RepoKeys finds answer keys in the quizzes of a repository and, for an
// earlier version, in its Git history at root: the commits that touched
// the quiz's file, each version named by quiz.Version of the file's
// bytes. With root "" only the quizzes as they are are known.
func RepoKeys(root string, quizzes []*document.Document) KeyFinder {
	// Many results name the same earlier version: look each up in Git
	// once.
	older := map[[2]string]*document.Document{}
	return func(id, version string) (*document.Document, bool, bool) {
		var doc *document.Document
		for _, d := range quizzes {
			if d.ID() == id {
				doc = d
			}
		}
		if doc == nil {
			return nil, false, false
		}
		if version == "" || quiz.Version(doc.Source) == version {
			return doc, true, true
		}
		key := [2]string{id, version}
		old, seen := older[key]
		if !seen {
			old = atVersion(root, doc.Path, version)
			older[key] = old
		}
		if old != nil {
			return old, false, true
		}
		return doc, false, false
	}
}

// atVersion looks for the version of file in the commits that touched it.
func atVersion(root, file, version string) *document.Document {
	if root == "" {
		return nil
	}
	git := func(args ...string) ([]byte, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		return cmd.Output()
	}
	rel := "./" + filepath.ToSlash(file)
	out, err := git("log", "--format=%H", "--", rel)
	if err != nil {
		return nil
	}
	for _, commit := range strings.Fields(string(out)) {
		src, err := git("show", commit+":"+rel)
		if err != nil {
			continue
		}
		// Versions hash the document's source, as the site's do.
		if d, _ := document.Parse(file, src); d != nil && quiz.Version(d.Source) == version {
			d.Kind = "quiz"
			return d
		}
	}
	return nil
}
