package lint

import (
	"errors"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

// shellVariants maps the info strings of shell code blocks to the parser's
// variant. sh and shell parse as Bash: runbooks label blocks loosely and
// run them in Bash, and the point is that a command is well formed, not
// that it is portable.
var shellVariants = map[string]syntax.LangVariant{
	"sh":    syntax.LangBash,
	"bash":  syntax.LangBash,
	"shell": syntax.LangBash,
	"zsh":   syntax.LangZsh,
}

// shellParsers keep parsers for reuse, one pool per variant: a new parser
// allocates buffers of a few kilobytes, more than most blocks hold.
var shellParsers = map[syntax.LangVariant]*sync.Pool{}

func init() {
	for _, v := range shellVariants {
		shellParsers[v] = &sync.Pool{New: func() any { return syntax.NewParser(syntax.Variant(v)) }}
	}
}

func parseShell(v syntax.LangVariant, code string) error {
	p := shellParsers[v].Get().(*syntax.Parser)
	defer shellParsers[v].Put(p)
	_, err := p.Parse(strings.NewReader(code), "")
	return err
}

var shellSyntaxRule = Rule{
	ID:      "shell-syntax",
	Summary: "shell code blocks (sh, bash, shell, zsh) parse",
	Doc: `Fenced code blocks marked sh, bash, shell or zsh in runbooks, modules and
processes are parsed with a real shell parser (mvdan.cc/sh), so that the
commands an on-call engineer copies at 3 a.m. are at least well formed: no
unclosed quote, no "fi" without "if", no dangling pipe. The finding points
at the line and column of the error inside the block.

A block whose first non-blank line starts with "$ " is a terminal session:
the lines starting with "$ " are the commands (the prompt is dropped, and
a command ending in \ continues on the next line); every other line is
output and is not parsed, except the body of a here-document, which is
input up to its delimiter line. Placeholders written <like-this> or <pod
name from the previous step> are read as words, not as redirections. A
block that fails and looks like PromQL gets the hint to mark it promql.
Fix the command, or mark a block that is not shell as text.`,
	Severity: diag.Error,
	Kinds:    []string{"runbook", "module", "process"},
	CheckDocument: func(p *Pass, d *document.Document) {
		for _, cb := range d.CodeBlocks() {
			variant, ok := shellVariants[strings.ToLower(cb.Lang)]
			if !ok || !cb.Closed {
				continue // an unclosed block is the code-fence rule's finding
			}
			err := parseShell(variant, shellSource(cb.Code))
			if err == nil {
				continue
			}
			line, col, msg := 1, 1, err.Error()
			var pe syntax.ParseError
			var le syntax.LangError
			switch {
			case errors.As(err, &pe):
				line, col, msg = int(pe.Pos.Line()), int(pe.Pos.Col()), pe.Text
			case errors.As(err, &le):
				line, col = int(le.Pos.Line()), int(le.Pos.Col())
				msg = strings.TrimPrefix(le.Error(), le.Pos.String()+": ")
			}
			if promQLRe.MatchString(cb.Code) {
				p.Report(codePos(d, cb, line, col), "mark the block ```promql",
					"shell syntax error: %s; the block looks like PromQL, not shell", msg)
				continue
			}
			p.Report(codePos(d, cb, line, col), "fix the command; if the block is not shell, mark it ```text",
				"shell syntax error: %s", msg)
		}
	},
}

var codeFenceRule = Rule{
	ID:      "code-fence",
	Summary: "every code fence is closed",
	Doc: `A code block opened with ` + "```" + ` or ~~~ and never closed runs to the end of
the document: every heading and paragraph after it renders as code, and
the sections it swallows disappear from the page and its table of
contents. Close the block with a matching fence on its own line.`,
	Severity: diag.Error,
	CheckDocument: func(p *Pass, d *document.Document) {
		for _, cb := range d.CodeBlocks() {
			if !cb.Closed {
				p.Report(d.BodyPos(cb.FenceOffset), "close the block with a matching fence on its own line",
					"code block is never closed: the rest of the document is swallowed as code")
			}
		}
	},
}

// placeholderRe matches <placeholder> words in commands, which the reader
// replaces; parsed as written they would be redirections. They may hold
// spaces (<pod name from previous step>) but neither start nor end with
// one, so "sort < in > out" stays a pair of redirections.
var placeholderRe = regexp.MustCompile(`<[A-Za-z](?:[A-Za-z0-9_.:/ -]*[A-Za-z0-9_.-])?>`)

// promQLRe recognises a PromQL query in a block that failed to parse as
// shell: an aggregation or rate function, or a selector with a label
// matcher.
var promQLRe = regexp.MustCompile(`\b(?:rate|irate|increase|sum|avg|min|max|count|topk|bottomk|histogram_quantile|absent|predict_linear)(?:\s+(?:by|without)\s*\([^)]*\))?\s*\(|[A-Za-z_:][A-Za-z0-9_:]*\{[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=)\s*"`)

// heredocRe finds the start of a here-document in a command and its
// delimiter word.
var heredocRe = regexp.MustCompile(`<<(-?)\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?`)

// shellSource prepares a block for the parser, keeping every line and
// column where it was: session prompts and <placeholders> become
// same-length words or spaces, output lines become blank.
func shellSource(code string) string {
	// A CRLF file's \r would glue itself to the last word of each line
	// ("fi\r" is no keyword); it is the last byte of its line, so
	// dropping it moves no column.
	lines := strings.Split(strings.ReplaceAll(code, "\r\n", "\n"), "\n")
	session := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		session = strings.HasPrefix(l, "$ ") || l == "$"
		break
	}
	if session {
		// A here-document's body follows its command without prompts
		// ($ cat <<EOF | kubectl apply -f -): it is input, kept to its
		// delimiter line, not output.
		continued, heredoc, dash := false, "", false
		for i, l := range lines {
			switch {
			case heredoc != "":
				if end := l; (dash && strings.TrimLeft(end, "\t") == heredoc) || end == heredoc {
					heredoc = ""
				}
				continue
			case strings.HasPrefix(l, "$ ") || l == "$":
				lines[i] = " " + l[1:]
			case continued:
			default:
				lines[i] = ""
			}
			if m := heredocRe.FindStringSubmatch(lines[i]); m != nil {
				heredoc, dash = m[2], m[1] == "-"
			}
			continued = strings.HasSuffix(strings.TrimRight(lines[i], " \t\r"), "\\")
		}
	}
	for i, l := range lines {
		if !strings.Contains(l, "<") {
			continue
		}
		lines[i] = placeholderRe.ReplaceAllStringFunc(l, func(m string) string {
			return "_" + m[1:len(m)-1] + "_"
		})
	}
	return strings.Join(lines, "\n")
}

// codePos maps a 1-based line and byte column inside a code block to the
// file. Blocks inside list items lose their indentation in Code, so the
// column is found on the file's line rather than by adding offsets.
func codePos(d *document.Document, cb document.CodeBlock, line, col int) diag.Position {
	lines := strings.Split(cb.Code, "\n")
	if line < 1 {
		line = 1
	}
	if line > len(lines) {
		line = len(lines)
	}
	if n := len(lines); n > 1 && lines[n-1] == "" && line == n {
		// The parser reports an unexpected end after the final newline:
		// point at the end of the last line instead.
		line--
		col = len(lines[line-1]) + 1
	}
	codeLine := strings.TrimRight(lines[line-1], "\r")
	pos := d.BodyPos(cb.Offset)
	pos.Line += line - 1
	src := d.LineText(pos.Line)
	indent := max(len(src)-len(codeLine), 0)
	if !strings.HasSuffix(src, codeLine) {
		indent = 0
	}
	b := min(indent+max(col-1, 0), len(src))
	pos.Column = utf8.RuneCountInString(src[:b]) + 1
	return pos
}
