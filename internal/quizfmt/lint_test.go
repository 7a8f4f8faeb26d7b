package quizfmt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/lint"
)

// TestImportsPassLint lints each imported test file in a repository of
// its own, with the owner and review date the author adds: the linter
// finds nothing, but for the questions the import said have no feedback
// to explain them, one finding each.
func TestImportsPassLint(t *testing.T) {
	today := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, file := range inputs(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			q, ds, _ := imported(t, file)
			doc := WriteQuiz(q, Meta{Owner: "operations", LastReviewed: today})
			root := t.TempDir()
			write := func(name, data string) {
				p := filepath.Join(root, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("opsqa.yaml", "organisation: Example\nteams:\n  - {id: operations, name: Operations, members: [{login: ann, name: Ann, role: sre}]}\nroles:\n  - {id: sre, name: SRE}\ncollections:\n  - {path: training/quizzes, kind: quiz}\n")
			write("training/quizzes/"+q.ID+".md", string(doc))
			res, err := lint.Run(lint.Options{Root: root, Today: today})
			if err != nil {
				t.Fatal(err)
			}
			unexplained := map[string]bool{}
			for _, d := range ds {
				if strings.Contains(d.Message, "has no feedback to explain its answer") {
					unexplained[strings.Split(d.Message, `"`)[1]] = true
				}
			}
			for _, d := range res.Diagnostics {
				if d.Rule == "quiz" && d.Severity == diag.Error && strings.Contains(d.Message, " has no explanation") {
					id := strings.Split(d.Message, `"`)[1]
					if unexplained[id] {
						delete(unexplained, id)
						continue
					}
				}
				t.Errorf("%s", d)
			}
			for id := range unexplained {
				t.Errorf("the import said %q has no explanation, lint did not", id)
			}
		})
	}
}
