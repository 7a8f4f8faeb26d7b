package quizfmt

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/opsqa/opsqa/internal/quiz"
)

// DefaultPassMark is the pass mark of an imported quiz, as in the
// repository's own quizzes.
const DefaultPassMark = 80

// Meta is what WriteQuiz writes in the front matter besides the quiz's
// id, title, pass mark and shuffle: each is written when set. The rest of
// the front matter (description, module) is left for the author.
type Meta struct {
	Owner        string
	LastReviewed time.Time
}

// WriteQuiz writes questions as a quiz document: front matter (the
// title, when q has none, made from the id; the pass mark, when q has
// none, DefaultPassMark), the intro,
// then per question a heading with its {#id}, the options as a task list
// (ordered for single choice, unordered for multiple) and the explanation
// as a blockquote. The status is draft: an imported quiz is reviewed
// before it is relied on.
func WriteQuiz(q *quiz.Quiz, m Meta) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	title := strings.TrimSpace(q.Title)
	if len(title) < 3 {
		title = strings.ReplaceAll(q.ID, "-", " ")
		title = strings.ToUpper(title[:1]) + title[1:]
	}
	fmt.Fprintf(&b, "id: %s\n", yamlScalar(q.ID))
	fmt.Fprintf(&b, "title: %s\n", yamlScalar(title))
	if m.Owner != "" {
		fmt.Fprintf(&b, "owner: %s\n", yamlScalar(m.Owner))
	}
	b.WriteString("status: draft\n")
	if !m.LastReviewed.IsZero() {
		fmt.Fprintf(&b, "last_reviewed: %s\n", m.LastReviewed.Format(time.DateOnly))
	}
	b.WriteString("tags: [quiz]\n")
	pass := q.PassMark
	if pass == 0 {
		pass = DefaultPassMark
	}
	fmt.Fprintf(&b, "pass_mark: %d\n", pass)
	fmt.Fprintf(&b, "shuffle: %t\n", q.Shuffle)
	b.WriteString("---\n")
	if intro := strings.TrimSpace(q.Intro); intro != "" {
		b.WriteString("\n" + intro + "\n")
	}
	for _, qu := range q.Questions {
		fmt.Fprintf(&b, "\n## %s {#%s}\n\n", headingText(qu.Markdown), qu.ID)
		marker := "1. "
		if qu.Multiple {
			marker = "- "
		}
		for _, o := range qu.Options {
			box := "[ ] "
			if o.Correct {
				box = "[x] "
			}
			b.WriteString(marker + box + indent(o.Markdown, strings.Repeat(" ", len(marker))) + "\n")
		}
		if e := strings.TrimSpace(qu.ExplanationMarkdown); e != "" {
			b.WriteString("\n")
			for _, l := range strings.Split(e, "\n") {
				b.WriteString(strings.TrimRight("> "+l, " ") + "\n")
			}
		}
	}
	return b.Bytes()
}

// headingText is Markdown fit for one heading line: lines joined, and a
// trailing # or {…} escaped, which would close the heading or be read as
// its attributes.
func headingText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if strings.HasSuffix(s, "}") && !strings.HasSuffix(s, `\}`) {
		s = s[:len(s)-1] + `\}`
	}
	if strings.HasSuffix(s, "#") && !strings.HasSuffix(s, `\#`) {
		s = s[:len(s)-1] + `\#`
	}
	return s
}

// indent indents every line of s but the first, so that it stays in its
// list item.
func indent(s, by string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = by + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// yamlScalar is s as a YAML scalar, quoted when it needs to be.
func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return strconv.Quote(s)
	}
	v := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(v, "\n") {
		return strconv.Quote(s)
	}
	return v
}
