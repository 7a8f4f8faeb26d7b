package quizfmt

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/quiz"
)

// parseQuiz parses a quiz document as the linter and the site do.
func parseQuiz(t *testing.T, name string, src []byte) *quiz.Quiz {
	t.Helper()
	d, ds := document.Parse(name, src)
	if d == nil {
		t.Fatalf("%s: %v", name, ds)
	}
	return quiz.Parse(d)
}

// sameQuestions compares what a quiz asks and its answer key: ids, texts
// (plain and as written), options, correct flags, single or multiple
// choice and explanations.
func sameQuestions(t *testing.T, what string, got, want *quiz.Quiz) {
	t.Helper()
	if len(got.Questions) != len(want.Questions) {
		t.Fatalf("%s: %d questions, want %d", what, len(got.Questions), len(want.Questions))
	}
	for i, w := range want.Questions {
		g := got.Questions[i]
		if g.ID != w.ID || g.Text != w.Text || g.Markdown != w.Markdown || g.Multiple != w.Multiple ||
			g.Explanation != w.Explanation || g.ExplanationMarkdown != w.ExplanationMarkdown {
			t.Errorf("%s: question %d\n got %q %q %q multiple=%t\n  %q\nwant %q %q %q multiple=%t\n  %q", what, i,
				g.ID, g.Text, g.Markdown, g.Multiple, g.ExplanationMarkdown, w.ID, w.Text, w.Markdown, w.Multiple, w.ExplanationMarkdown)
		}
		strip := func(os []quiz.Option) []quiz.Option {
			out := slices.Clone(os)
			for i := range out {
				out[i].Offset = 0
			}
			return out
		}
		if !slices.Equal(strip(g.Options), strip(w.Options)) {
			t.Errorf("%s: question %s options\n got %+v\nwant %+v", what, w.ID, g.Options, w.Options)
		}
	}
}

// TestRepositoryQuizzesThroughGIFT exports every quiz of the repository
// to GIFT and imports it again: the questions come back the same, and
// exporting the import gives the same GIFT.
func TestRepositoryQuizzesThroughGIFT(t *testing.T) {
	files, err := filepath.Glob("../../training/quizzes/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no quizzes: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			orig := parseQuiz(t, file, src)
			gift, _, problems := WriteGIFT(orig)
			if len(problems) > 0 {
				t.Errorf("export: %v", problems)
			}
			imported, ds := ReadGIFT("export.gift", gift)
			if len(ds) > 0 {
				t.Errorf("import of the export: %v", ds)
			}
			imported.ID = orig.ID
			if imported.Title != orig.Title {
				t.Errorf("title %q, want %q", imported.Title, orig.Title)
			}
			back := parseQuiz(t, "back.md", WriteQuiz(imported, Meta{}))
			sameQuestions(t, "quiz → GIFT → quiz", back, orig)
			again, _, _ := WriteGIFT(back)
			if string(again) != string(gift) {
				t.Errorf("GIFT → quiz → GIFT changed it:\n%s\nwant\n%s", again, gift)
			}
		})
	}
}

// TestRepositoryQuizzesAsQuizdown reads every quiz of the repository as
// quizdown, the dialect the quiz format stays close to: the questions are
// the same.
func TestRepositoryQuizzesAsQuizdown(t *testing.T) {
	files, _ := filepath.Glob("../../training/quizzes/*.md")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			orig := parseQuiz(t, file, src)
			q, _ := ReadQuizdown(file, src)
			q.ID = orig.ID
			back := parseQuiz(t, "back.md", WriteQuiz(q, Meta{}))
			sameQuestions(t, "quiz read as quizdown", back, orig)
			if back.Intro != orig.Intro {
				t.Errorf("intro %q, want %q", back.Intro, orig.Intro)
			}
		})
	}
}
