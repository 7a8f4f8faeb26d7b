package pipeline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/opsqa/opsqa/internal/atomicfile"
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/quiz"
	"github.com/opsqa/opsqa/internal/quizfmt"
	"github.com/opsqa/opsqa/internal/safefile"
)

// The formats 'opsqa training convert' reads and writes.
const (
	FormatGIFT     = "gift"
	FormatQuizdown = "quizdown"
	FormatQuiz     = "quiz"
)

// ConvertOptions say what to convert.
type ConvertOptions struct {
	// File is the file to read; Name is how findings name it.
	File, Name string
	// From is gift, quizdown or quiz; empty guesses it from the file.
	From string
	// To is quiz or gift; empty is gift for a quiz, quiz for the rest.
	To string
	// ID is the imported quiz's id; empty takes the output file's name,
	// else the input's.
	ID string
	// Owner and Today fill in the owner and last_reviewed of an
	// imported quiz.
	Owner string
	Today time.Time
	// Out is the file to write, replaced only with Force; empty leaves
	// the output in the result.
	Out   string
	Force bool
}

// ConvertResult is a finished conversion.
type ConvertResult struct {
	From, To string
	// Output is the converted file; nil when nothing could be converted.
	Output []byte
	// Questions is how many questions the output holds.
	Questions int
	// Diagnostics are what could not be carried over, by position in the
	// input: skipped questions are warnings; an error means nothing was
	// written.
	Diagnostics []diag.Diagnostic
}

// Errors reports whether the conversion found errors.
func (r *ConvertResult) Errors() bool {
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Error {
			return true
		}
	}
	return false
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)

// Convert imports a GIFT or quizdown file as a quiz document, or exports
// a quiz document (or either of the others) to GIFT. With Out set, the
// output is written whole or not at all, and only when something could be
// converted.
func Convert(o ConvertOptions) (*ConvertResult, error) {
	if o.Name == "" {
		o.Name = o.File
	}
	src, err := safefile.ReadFile(o.File, document.MaxSize, "a document")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, configErrorf("read %s: no such file", o.Name)
		}
		return nil, fmt.Errorf("read %s: %w", o.Name, err)
	}
	r := &ConvertResult{From: o.From, To: o.To}
	if r.From == "" {
		if r.From = guessFormat(o.File, src); r.From == "" {
			return nil, configErrorf("cannot tell the format of %s from its name: pass --from gift, quizdown or quiz", o.Name)
		}
	}
	if r.To == "" {
		r.To = FormatQuiz
		if r.From == FormatQuiz {
			r.To = FormatGIFT
		}
	}
	switch {
	case r.From != FormatGIFT && r.From != FormatQuizdown && r.From != FormatQuiz:
		return nil, configErrorf("unknown --from %q: use gift, quizdown or quiz", r.From)
	case r.To != FormatQuiz && r.To != FormatGIFT:
		return nil, configErrorf("unknown --to %q: use quiz or gift", r.To)
	case r.From == FormatQuiz && r.To == FormatQuiz:
		return nil, configErrorf("%s is a quiz already: convert it --to gift", o.Name)
	}
	if o.Out != "" && !o.Force {
		if _, err := os.Stat(o.Out); err == nil {
			return nil, configErrorf("%s exists: pass --force to replace it", o.Out)
		}
	}
	id := o.ID
	if id == "" && o.Out != "" && r.To == FormatQuiz {
		id = quizfmt.FileID(o.Out)
	}
	if id == "" {
		id = quizfmt.FileID(o.File)
	}
	if !slugRe.MatchString(id) {
		return nil, configErrorf("quiz id %q is no slug (lower-case letters, digits and hyphens): pass --id", id)
	}

	var ds []diag.Diagnostic
	if r.From == FormatQuiz {
		d, pds := document.Parse(o.Name, src)
		ds = pds
		if d != nil {
			q := quiz.Parse(d)
			for _, qu := range q.Questions {
				for _, p := range qu.Problems {
					ds = append(ds, diag.Diagnostic{Pos: d.BodyPos(p.Offset), Severity: diag.Warning, Rule: quizfmt.Rule, Message: p.Message})
				}
			}
			r.Output, r.Questions, ds = exportGIFT(q, o.Name, d, ds)
		}
	} else {
		read := quizfmt.ReadGIFT
		if r.From == FormatQuizdown {
			read = quizfmt.ReadQuizdown
		}
		var q *quiz.Quiz
		q, ds = read(o.Name, src)
		q.ID = id
		if len(q.Questions) > 0 {
			if o.Owner == "" && r.To == FormatQuiz {
				ds = append(ds, diag.Diagnostic{Pos: diag.Position{File: o.Name}, Severity: diag.Info, Rule: quizfmt.Rule,
					Message: "the quiz has no owner yet", Fix: "set owner: to a team id of opsqa.yaml, or pass --owner"})
			}
			doc := quizfmt.WriteQuiz(q, quizfmt.Meta{Owner: o.Owner, LastReviewed: o.Today})
			r.Output, r.Questions = doc, len(q.Questions)
			if r.To == FormatGIFT {
				d, _ := document.Parse(o.Name, doc)
				// Offsets are in the document just written, not in
				// the input: findings go to the input as a whole.
				r.Output, r.Questions, ds = exportGIFT(quiz.Parse(d), o.Name, nil, ds)
			}
		}
	}
	if r.Questions > 0 {
		// Questions were converted: what went wrong elsewhere in the
		// file (its front matter, say) lost something, no more.
		for i := range ds {
			ds[i].Severity = min(ds[i].Severity, diag.Warning)
		}
	} else {
		r.Output = nil
		ds = append(ds, diag.Diagnostic{Pos: diag.Position{File: o.Name}, Severity: diag.Error, Rule: quizfmt.Rule,
			Message: "no question could be converted", Fix: "see the findings above; only single and multiple choice questions convert"})
	}
	diag.Sort(ds)
	r.Diagnostics = ds
	if r.Output == nil || o.Out == "" {
		return r, nil
	}
	if err := atomicfile.Write(o.Out, func(w io.Writer) error {
		_, err := w.Write(r.Output)
		return err
	}); err != nil {
		return nil, err
	}
	return r, nil
}

// exportGIFT writes q as GIFT; the problems go to their question in d,
// or to the file as a whole when d is nil.
func exportGIFT(q *quiz.Quiz, name string, d *document.Document, ds []diag.Diagnostic) ([]byte, int, []diag.Diagnostic) {
	out, n, problems := quizfmt.WriteGIFT(q)
	for _, p := range problems {
		pos := diag.Position{File: name}
		if d != nil {
			pos = d.BodyPos(p.Offset)
		}
		ds = append(ds, diag.Diagnostic{Pos: pos, Severity: diag.Warning, Rule: quizfmt.Rule, Message: p.Message})
	}
	return out, n, ds
}

// guessFormat names the format of a file from its extension: .gift and
// .txt (what Moodle exports) are GIFT; a Markdown file is a quiz when its
// front matter has a pass_mark, quizdown otherwise.
func guessFormat(file string, src []byte) string {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".gift", ".txt":
		return FormatGIFT
	case ".md", ".markdown":
		if d, _ := document.Parse(file, src); d != nil && d.Meta["pass_mark"] != nil {
			return FormatQuiz
		}
		return FormatQuizdown
	}
	return ""
}
