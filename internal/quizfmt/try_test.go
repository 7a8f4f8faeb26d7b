package quizfmt

import (
	"fmt"
	"os"
	"testing"
)

func TestTry(t *testing.T) {
	for _, n := range []string{"testdata/moodle.gift", "testdata/quizdown.md"} {
		src, _ := os.ReadFile(n)
		var q = ReadGIFT
		if n[len(n)-1] == 'd' {
			q = ReadQuizdown
		}
		qz, ds := q(n, src)
		for _, d := range ds {
			fmt.Println(d)
		}
		qz.ID = FileID(n); fmt.Println(string(WriteQuiz(qz, Meta{})))
	}
}
