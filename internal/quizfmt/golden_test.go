package quizfmt

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/quiz"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the actual output")

// readers are the importers by the extension of their test files.
var readers = map[string]func(string, []byte) (*quiz.Quiz, []diag.Diagnostic){
	".gift": ReadGIFT,
	".md":   ReadQuizdown,
}

// imported converts a test file as the convert command does: the quiz's
// id is the file's name.
func imported(t *testing.T, file string) (*quiz.Quiz, []diag.Diagnostic, []byte) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	q, ds := readers[filepath.Ext(file)](filepath.Base(file), src)
	q.ID = FileID(file)
	return q, ds, WriteQuiz(q, Meta{})
}

func inputs(t *testing.T) []string {
	files, err := filepath.Glob("testdata/*.*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	return files
}

// TestGolden imports each file in testdata and compares the quiz document,
// the findings and the GIFT export of the import with
// testdata/golden/FILE.txtar.
func TestGolden(t *testing.T) {
	for _, file := range inputs(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			q, ds, doc := imported(t, file)
			var fs strings.Builder
			for _, d := range ds {
				fmt.Fprintf(&fs, "%s\n", d)
			}
			gift, _, problems := WriteGIFT(parseQuiz(t, "x.md", doc))
			if len(problems) > 0 {
				t.Errorf("export: %v", problems)
			}
			_ = q
			got := &txtar.Archive{Files: []txtar.File{
				{Name: "quiz.md", Data: doc},
				{Name: "findings", Data: []byte(fs.String())},
				{Name: "export.gift", Data: gift},
			}}
			golden := filepath.Join("testdata", "golden", filepath.Base(file)+".txtar")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, txtar.Format(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := txtar.ParseFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			for i, f := range got.Files {
				if i >= len(want.Files) || want.Files[i].Name != f.Name {
					t.Fatalf("%s: want sections quiz.md, findings, export.gift", golden)
				}
				if !bytes.Equal(want.Files[i].Data, f.Data) {
					t.Errorf("%s differs from %s:\n%s", f.Name, golden, f.Data)
				}
			}
		})
	}
}

// TestGIFTStable imports each test file, exports it to GIFT, imports and
// exports that again: the second export is the first, and the questions
// are the same.
func TestGIFTStable(t *testing.T) {
	for _, file := range inputs(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			_, _, doc := imported(t, file)
			first := parseQuiz(t, "first.md", doc)
			gift, _, _ := WriteGIFT(first)
			again, ds := ReadGIFT("first.gift", gift)
			for _, d := range ds {
				if d.Severity != diag.Info {
					t.Errorf("import of the export: %s", d)
				}
			}
			again.ID = first.ID
			second := parseQuiz(t, "second.md", WriteQuiz(again, Meta{}))
			sameQuestions(t, "GIFT → quiz → GIFT → quiz", second, first)
			if gift2, _, _ := WriteGIFT(second); !bytes.Equal(gift2, gift) {
				t.Errorf("second export differs:\n%s\nwant\n%s", gift2, gift)
			}
		})
	}
}
