package pipeline

import (
	"context"
	"errors"
	"testing"
)

// The issue links to the quizzes on the site when it has a base URL,
// else to the files on GitHub (Enterprise Server when its URL is given).
func TestRecertifyIssueLinks(t *testing.T) {
	repo, err := loadRepository("../..")
	if err != nil {
		t.Fatal(err)
	}
	const quiz = "change-management-basics-quiz"
	links := issueLinks(repo, "../..", "northwind-parcel/operations", "")
	if got, want := links.Quizzes[quiz], "https://ops.northwind-parcel.example/training/quizzes/change-management-basics-quiz/"; got != want {
		t.Errorf("on the site: %q; want %q", got, want)
	}
	repo.r.Config.Site.BaseURL = ""
	links = issueLinks(repo, "../..", "northwind-parcel/operations", "https://github.example.com/")
	if got, want := links.Quizzes[quiz], "https://github.example.com/northwind-parcel/operations/blob/HEAD/training/quizzes/change-management-basics-quiz.md"; got != want {
		t.Errorf("on GitHub: %q; want %q", got, want)
	}
	if got, want := links.Modules["change-management-basics"], "https://github.example.com/northwind-parcel/operations/blob/HEAD/training/modules/change-management-basics.md"; got != want {
		t.Errorf("module on GitHub: %q; want %q", got, want)
	}
}

// Only a dry run goes without a tracker.
func TestRecertifyNeedsTrackerToWrite(t *testing.T) {
	_, err := Recertify(context.Background(), RecertifyOptions{TrainingOptions: TrainingOptions{Root: "../.."}})
	var ce *ConfigError
	if err == nil || !errors.As(err, &ce) {
		t.Errorf("no tracker, no dry run: %v; want a configuration error", err)
	}
}
