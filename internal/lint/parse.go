package lint

import (
	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
	"github.com/opsqa/opsqa/internal/repository"
)

// The loader finds these problems while reading files; the rules only
// report them, so that severities and suppressions apply as to any rule.

var encodingRule = Rule{
	ID:              document.RuleEncoding,
	Summary:         "files are UTF-8 text",
	Doc:             "A document must be UTF-8 text without NUL bytes. Binary files with a .md name, other encodings and pasted logs break rendering and search. Save the file as UTF-8, or remove it.",
	Severity:        diag.Error,
	CheckRepository: func(p *Pass) { p.reportLoadFindings(document.RuleEncoding) },
}

var limitsRule = Rule{
	ID:      document.RuleLimits,
	Summary: "documents stay within the limits of size, line length, markup and nesting",
	Doc: `A document is at most 1 MiB, its lines at most 64 KiB, its body at most
100,000 inline markup characters ([ * _ ~ ` + "`" + `), its block quotes and lists
at most 32 deep, its front matter at most 64 KiB and 1,000 keys. Past a
limit the document is not read further: one finding at the place, and no
other rule runs on it, because parsing such text costs memory and time for
nothing (a few megabytes of "[" take gigabytes to parse). Hand-written
documents stay far below; split the document, or move generated data out of
it. RELIABILITY.md lists each limit with its cost.`,
	Severity:        diag.Error,
	CheckRepository: func(p *Pass) { p.reportLoadFindings(document.RuleLimits) },
}

var frontMatterRule = Rule{
	ID:              document.RuleFrontMatter,
	Summary:         "every document starts with a closed front matter block",
	Doc:             "Documents start with YAML front matter between two --- lines. Without it the document has no id, owner or kind; an unclosed block silently swallows the whole file as body text in most tools. Add the block, or the closing --- line.",
	Severity:        diag.Error,
	CheckRepository: func(p *Pass) { p.reportLoadFindings(document.RuleFrontMatter) },
}

var yamlSyntaxRule = Rule{
	ID:              document.RuleYAML,
	Summary:         "front matter and opsqa.yaml are valid YAML without duplicate keys",
	Doc:             "YAML syntax errors hide every other check of the document. Duplicate keys are errors because YAML readers disagree on which value wins. Fix the line shown; check indentation and quoting.",
	Severity:        diag.Error,
	CheckRepository: func(p *Pass) { p.reportLoadFindings(document.RuleYAML) },
}

// ruleUnreadable is the rule of the loader's findings about files it
// could not read.
const ruleUnreadable = repository.RuleUnreadable

var unreadableRule = Rule{
	ID:              ruleUnreadable,
	Summary:         "every file can be read",
	Doc:             "A file that cannot be read (permissions, a broken or looping symbolic link) is reported so that it is not silently left out. Fix its permissions or its link target.",
	Severity:        diag.Error,
	CheckRepository: func(p *Pass) { p.reportLoadFindings(ruleUnreadable) },
}

var fileTypeRule = Rule{
	ID:      repository.RuleFileType,
	Summary: "every file in the document folders is a regular file or a folder",
	Doc: `A named pipe, a device or a socket in a document folder, or under the
name of opsqa.yaml, an alert rule file or CODEOWNERS, is reported and never
opened: reading a named pipe waits for a writer for ever, and a device such
as /dev/zero never ends, so one such file committed to a repository would
stop every lint and build. A symbolic link with a document's name that leads
to a folder is reported too: links to folders are not followed, so the
documents in it would go unlinted. Remove the file, or commit a regular file
in its place.`,
	Severity:        diag.Error,
	CheckRepository: func(p *Pass) { p.reportLoadFindings(repository.RuleFileType) },
}

var outsideLinkRule = Rule{
	ID:      repository.RuleOutsideLink,
	Summary: "symbolic links lead to files inside the repository",
	Doc: `A symbolic link is followed only when what it leads to lies inside the
repository. One that leads out (to /etc/passwd, to a home folder, to another
checkout) is reported and never read, linted or published: otherwise a link
committed to a collection would bring a file of whichever machine runs opsqa
into the findings and onto the site. Commit the file itself, or link to a
file inside the repository.`,
	Severity:        diag.Error,
	CheckRepository: func(p *Pass) { p.reportLoadFindings(repository.RuleOutsideLink) },
}

func (p *Pass) reportLoadFindings(rule string) {
	for _, d := range p.Repo.LoadFindings() {
		if d.Rule == rule {
			p.ReportDiagnostic(d)
		}
	}
}
