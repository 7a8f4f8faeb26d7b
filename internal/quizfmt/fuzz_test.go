package quizfmt

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzReadGIFT feeds arbitrary text to the GIFT reader: it must not
// panic, must finish in time proportional to the input, and what it
// imports must make a quiz document that parses with every question
// kept, and a GIFT export.
func FuzzReadGIFT(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.gift")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{"{", "}", "::a", "::a::{", "a{~}", "a{=}", "a{~%%b}", "a{~%-%b ~c}", "a{T#", `\`, `a\{~b}`,
		"a{####}", "a{~a#b ~c####d}", "$CATEGORY:", "[html]<b>a{~<i>b</i> =c}", "[markdown]", "a {~%99.9999%b =c} d"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		start := time.Now()
		q, ds := ReadGIFT("f.gift", src)
		if d := time.Since(start); d > time.Second {
			t.Errorf("ReadGIFT took %v for %d bytes", d, len(src))
		}
		for _, d := range ds {
			if d.Pos.Line < 1 || d.Pos.Column < 1 {
				t.Errorf("finding without a position: %s", d)
			}
		}
		q.ID = "fuzz"
		back := parseQuiz(t, "f.md", WriteQuiz(q, Meta{}))
		if len(back.Questions) != len(q.Questions) {
			t.Errorf("%d questions imported, %d in the document", len(q.Questions), len(back.Questions))
		}
		WriteGIFT(back)
	})
}

// FuzzReadQuizdown feeds arbitrary Markdown to the quizdown reader: no
// panic; every question it keeps has an id and options, each finding
// lies in the file.
func FuzzReadQuizdown(f *testing.F) {
	for _, s := range []string{
		"---\nshuffle_answers: false\n---\n# Q {#q}\n\n- [x] a\n- [ ] b\n\n> hint\n",
		"# Order\n\n1. one\n2. two\n", "# Pairs\n\n- a\n- b\n", "1. [x] orphan\n", "---\n: :\n---\n", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		q, ds := ReadQuizdown("q.md", src)
		for _, d := range ds {
			if d.Pos.File != "q.md" {
				t.Errorf("finding in %q", d.Pos.File)
			}
		}
		if q == nil {
			return
		}
		for _, qu := range q.Questions {
			if qu.ID == "" || len(qu.Options) == 0 {
				t.Errorf("question %q kept with %d options", qu.ID, len(qu.Options))
			}
		}
	})
}
