package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/opsqa/opsqa/internal/training"
)

// RecertificationIssue writes the recertification issues' titles and
// bodies, for the pipeline that files them.
type RecertificationIssue struct{}

// Title is RecertificationTitle.
func (RecertificationIssue) Title(n training.Notice) string { return RecertificationTitle(n) }

// Body is RecertificationBody.
func (RecertificationIssue) Body(n training.Notice, links training.IssueLinks) string {
	return RecertificationBody(n, links)
}

// Closed is RecertificationClosed.
func (RecertificationIssue) Closed(previous, why string) string {
	return RecertificationClosed(previous, why)
}

// RecertificationTitle is the title of a person's recertification issue.
func RecertificationTitle(n training.Notice) string {
	who := n.Login
	if n.Name != "" {
		who = n.Name + " (" + n.Login + ")"
	}
	if n.State == training.Expired {
		return fmt.Sprintf("Recertification expired %s: %s", day(n.Expires), who)
	}
	return fmt.Sprintf("Recertification due by %s: %s", day(n.Expires), who)
}

// RecertificationBody is the body of a person's recertification issue:
// the marker that finds it again, a mention of the person, the
// certifications due or expired, the modules to pass again with links
// to their quizzes. It holds dates, not "in 10 days", so that it changes
// only when the person's standing does and a weekly run edits nothing
// otherwise.
func RecertificationBody(n training.Notice, links training.IssueLinks) string {
	var b strings.Builder
	b.WriteString(training.Marker(n.Login) + "\n")
	fmt.Fprintf(&b, "@%s, ", n.Login)
	verb := func(c training.Certification) string {
		if c.State == training.Expired {
			return "expired on " + day(c.Expires)
		}
		return "expires on " + day(c.Expires)
	}
	if len(n.Certifications) == 1 {
		c := n.Certifications[0]
		fmt.Fprintf(&b, "your **%s** certification %s.", MarkdownCell(c.Curriculum), verb(c))
	} else {
		var certs []string
		for _, c := range n.Certifications {
			certs = append(certs, fmt.Sprintf("**%s**, which %s", MarkdownCell(c.Curriculum), verb(c)))
		}
		fmt.Fprintf(&b, "your certifications %s.", joinAnd(certs))
	}
	if n.State == training.Expired {
		b.WriteString(" Until you pass these quizzes again you are not certified:\n\n")
	} else {
		b.WriteString(" Pass these quizzes again before then to stay certified:\n\n")
	}
	b.WriteString("| module | quiz | last passed | pass expires |\n|---|---|---|---|\n")
	for _, m := range n.Modules {
		exp := day(m.Expires)
		if m.Lapsed {
			exp += " (expired)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", link(m.Title, links.Modules[m.ID]), link(m.Quiz, links.Quizzes[m.Quiz]), day(m.PassedAt), exp)
	}
	b.WriteString("\nEach quiz is graded on its page and filed as a quiz-result issue, graded again from the answer key. " +
		"This issue is updated when your standing changes and closed once nothing is due.\n\n" +
		"<sub>Kept up to date by `opsqa training recertify`; the hidden first line says whose issue this is.</sub>\n")
	return b.String()
}

// RecertificationClosed is the body a recertification issue is closed
// with: its marker, why it is closed, and what it said before.
func RecertificationClosed(previous, why string) string {
	login, _ := training.MarkedPerson(previous)
	rest := previous
	if i := strings.Index(rest, "-->"); i >= 0 {
		rest = strings.TrimLeft(rest[i+3:], "\n")
	}
	var b strings.Builder
	b.WriteString(training.Marker(login) + "\n")
	fmt.Fprintf(&b, "**Closed: %s.**\n", MarkdownCell(why))
	if strings.TrimSpace(rest) != "" {
		b.WriteString("\n<details><summary>What this issue said before</summary>\n\n" + rest + "\n</details>\n")
	}
	return b.String()
}

func link(text, url string) string {
	if text == "" {
		return "-"
	}
	if url == "" {
		return MarkdownCell(text)
	}
	return "[" + MarkdownCell(text) + "](" + url + ")"
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// recertEntry is one action in the JSON output.
type recertEntry struct {
	Person  string   `json:"person"`
	Action  string   `json:"action"`
	Issue   *int     `json:"issue"`
	URL     string   `json:"url,omitempty"`
	State   string   `json:"state,omitempty"`
	Modules []string `json:"modules"`
	Expires *string  `json:"expires"`
	Reason  string   `json:"reason,omitempty"`
}

// RecertificationJSON writes the actions as an array of {person, action
// (open, update, close, none), issue (null for one not opened), modules,
// expires (null for a close)}, with the issue's url, the state (due,
// expired) and a close's reason when known.
func RecertificationJSON(w io.Writer, r *training.Recertification) error {
	out := make([]recertEntry, 0, len(r.Actions))
	for _, a := range r.Actions {
		e := recertEntry{Person: a.Person, Action: a.Kind, URL: a.URL, Modules: []string{}, Reason: a.Why}
		if a.Issue != 0 {
			n := a.Issue
			e.Issue = &n
		}
		if a.Notice != nil {
			e.State = a.Notice.State
			for _, m := range a.Notice.Modules {
				e.Modules = append(e.Modules, m.ID)
			}
			if !a.Notice.Expires.IsZero() {
				d := day(a.Notice.Expires)
				e.Expires = &d
			}
		}
		out = append(out, e)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// RecertificationText writes one line per person: the action, the
// issue, the standing and the modules to pass again, then the counts.
func RecertificationText(w io.Writer, r *training.Recertification) error {
	ew := &errWriter{w: w}
	ew.printf("Recertification issues of %s as of %s (due: expiring within %d days; label %s)\n", r.Repo, day(r.AsOf), r.NoticeDays, r.Label)
	if r.DryRun {
		ew.printf("Dry run: nothing written.\n")
	}
	if !r.IssuesRead {
		ew.printf("The open issues were not read (no GitHub token): whoever is due is shown as opened, though an issue may exist.\n")
	}
	ew.printf("\n")
	if len(r.Actions) == 0 {
		ew.printf("Nobody due and no open recertification issue.\n")
		return ew.err
	}
	verbs := map[string][2]string{
		training.Open: {"open", "opened"}, training.Update: {"update", "updated"},
		training.Close: {"close", "closed"}, training.Keep: {"none", "unchanged"},
	}
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	counts := map[string]int{}
	for _, a := range r.Actions {
		counts[a.Kind]++
		issue := "-"
		if a.Issue != 0 {
			issue = fmt.Sprintf("#%d", a.Issue)
		}
		what := a.Why
		if a.Notice != nil {
			var mods []string
			for _, m := range a.Notice.Modules {
				mods = append(mods, m.ID)
			}
			what = fmt.Sprintf("%s %s\t%s", a.Notice.State, day(a.Notice.Expires), strings.Join(mods, ", "))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", verbs[a.Kind][0], issue, a.Person, what)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.DryRun {
		ew.printf("\nWould be: ")
	} else {
		ew.printf("\n")
	}
	var parts []string
	for _, k := range []string{training.Open, training.Update, training.Close, training.Keep} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], verbs[k][1]))
	}
	ew.printf("%s.\n", strings.Join(parts, ", "))
	return ew.err
}
