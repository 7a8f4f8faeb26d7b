package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/opsqa/opsqa/internal/training"
)

// TrainingSchemaVersion versions the JSON of the training records.
const TrainingSchemaVersion = 1

// TrainingJSON writes the records as one versioned object.
func TrainingJSON(w io.Writer, r *training.Records) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		SchemaVersion int `json:"schema_version"`
		*training.Records
	}{TrainingSchemaVersion, r})
}

// cellMark is a module state in the matrix: a sign that reads without
// colour, and the last score.
func cellMark(m training.ModuleRecord) string {
	sign := map[string]string{training.Held: "✓", training.Lapsed: "!", training.Trying: "✗", training.NotYet: "·", training.NoQuiz: "–"}[m.State]
	if m.LastScore != nil {
		return fmt.Sprintf("%s %d", sign, *m.LastScore)
	}
	return sign
}

const matrixLegend = "✓ passed, ! pass expired, ✗ failed, · not taken; the figure is the last score in %"

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}

func personName(p training.Person) string {
	if p.Name != "" {
		return p.Name + " (" + p.Login + ")"
	}
	return p.Login
}

// certState is a certification's state with its date.
func certState(c training.Certification) string {
	switch c.State {
	case training.Certified:
		if c.Expires.IsZero() {
			return "certified"
		}
		return "certified until " + day(c.Expires)
	case training.Due:
		return "due: expires " + day(c.Expires)
	case training.Expired:
		return "expired " + day(c.Expires)
	default:
		return fmt.Sprintf("in progress, %d of %d modules", c.Done, c.Total)
	}
}

// TrainingText writes the records for a terminal: certifications, due
// and expired, on-call gaps and the skills matrix.
func TrainingText(w io.Writer, r *training.Records) error {
	ew := &errWriter{w: w}
	ew.printf("Training records as of %s (due: expiring within %d days)\n\n", day(r.AsOf), r.NoticeDays)
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "person\tteam\tcurriculum\tmodules\tstate")
	for _, p := range r.People {
		for _, c := range p.Certifications {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%s\n", personName(p), p.Team, c.Curriculum, c.Done, c.Total, certState(c))
		}
	}
	if err := tw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
	ew.printf("\nOn call without the training\n")
	gaps := r.OnCallGaps()
	if len(gaps) == 0 {
		ew.printf("  none: everyone on call holds every module their curricula require\n")
	}
	for _, p := range gaps {
		ew.printf("  %s, %s: %s\n", personName(p), p.Role, strings.Join(p.Gaps, ", "))
	}
	ew.printf("\nSkills matrix (%s)\n", matrixLegend)
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "person")
	for i := range r.Modules {
		fmt.Fprintf(tw, "\t%d", i+1)
	}
	fmt.Fprintln(tw)
	for _, p := range r.People {
		fmt.Fprint(tw, p.Login)
		for _, m := range p.Modules {
			fmt.Fprintf(tw, "\t%s", cellMark(m))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil && ew.err == nil {
		ew.err = err
	}
	for i, m := range r.Modules {
		ew.printf("  %d %s\n", i+1, m.ID)
	}
	return ew.err
}

// TrainingMarkdown writes the records as a report to paste into an issue
// or a review: names and ids from opsqa.yaml and the documents are
// escaped.
func TrainingMarkdown(w io.Writer, r *training.Records) error {
	ew := &errWriter{w: w}
	ew.printf("## Training records, %s\n\n", day(r.AsOf))
	var due []string
	for _, pd := range r.DueCertifications() {
		for _, c := range pd.Certifications {
			due = append(due, fmt.Sprintf("- **%s**: %s, %s", MarkdownCell(personName(*pd.Person)), MarkdownCell(c.Curriculum), certState(c)))
		}
	}
	ew.printf("### Recertification due or expired\n\n")
	if len(due) == 0 {
		ew.printf("None within %d days.\n", r.NoticeDays)
	} else {
		ew.printf("%s\n", strings.Join(due, "\n"))
	}
	ew.printf("\n### On call without the training\n\n")
	gaps := r.OnCallGaps()
	if len(gaps) == 0 {
		ew.printf("None: everyone on call holds every module their curricula require.\n")
	}
	for _, p := range gaps {
		ew.printf("- **%s** (%s): %s\n", MarkdownCell(personName(p)), MarkdownCell(p.Role), MarkdownCell(strings.Join(p.Gaps, ", ")))
	}
	ew.printf("\n### Certifications\n\n| person | team | curriculum | modules | state |\n|---|---|---|---|---|\n")
	for _, p := range r.People {
		for _, c := range p.Certifications {
			ew.printf("| %s | %s | %s | %d/%d | %s |\n", MarkdownCell(personName(p)), MarkdownCell(p.Team), MarkdownCell(c.Curriculum), c.Done, c.Total, certState(c))
		}
	}
	ew.printf("\n### Skills matrix\n\n%s.\n\n| person |", matrixLegend)
	for _, m := range r.Modules {
		ew.printf(" %s |", MarkdownCell(m.Title))
	}
	ew.printf("\n|---|%s\n", strings.Repeat("---|", len(r.Modules)))
	for _, p := range r.People {
		ew.printf("| %s |", MarkdownCell(p.Login))
		for _, m := range p.Modules {
			ew.printf(" %s |", cellMark(m))
		}
		ew.printf("\n")
	}
	return ew.err
}
