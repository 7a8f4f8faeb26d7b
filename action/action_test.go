// Package action tests the opsqa GitHub Action (action.yml at the
// repository root, its steps in action/*.sh) and the workflows: this
// repository's and those 'opsqa init' writes.
package action

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"

	"github.com/opsqa/opsqa/internal/starter"
)

const root = ".."

// starterWorkflows writes the workflows of the starter repository into a
// folder of their own, pinned as a release of opsqa would pin them.
func starterWorkflows(t *testing.T) []string {
	t.Helper()
	files, err := starter.Files(starter.Params{Organisation: "Example", Today: "2026-12-01",
		ActionRef: "0123456789abcdef0123456789abcdef01234567 # v1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for name, data := range files {
		if !strings.HasPrefix(name, ".github/workflows/") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		t.Fatal("the starter has no workflows")
	}
	return paths
}

// TestWorkflowsPassActionlint lints this repository's workflows (with the
// local action's inputs checked against action.yml) and the starter's.
func TestWorkflowsPassActionlint(t *testing.T) {
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{Color: actionlint.ColorOptionKindNever, Oneline: true})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintRepository(root)
	if err != nil {
		t.Fatal(err)
	}
	more, err := l.LintFiles(starterWorkflows(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if errs = append(errs, more...); len(errs) > 0 {
		t.Errorf("actionlint found %d problems:\n%s", len(errs), out.String())
	}
}

var (
	usesRe   = regexp.MustCompile(`(?m)^\s*(?:-\s+)?uses:\s*(\S+)(.*)$`)
	pinnedRe = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$`)
)

// TestActionsArePinned: every action a workflow or the action uses is
// this repository's own (./) or pinned by full commit with its version in
// a comment, so that a moved tag cannot change what runs.
func TestActionsArePinned(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(root, ".github/workflows/*.yml"))
	files = append(files, filepath.Join(root, "action.yml"))
	files = append(files, starterWorkflows(t)...)
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range usesRe.FindAllStringSubmatch(string(data), -1) {
			n++
			ref, comment := m[1], strings.TrimSpace(m[2])
			if strings.HasPrefix(ref, "./") {
				continue
			}
			if !pinnedRe.MatchString(ref) || !regexp.MustCompile(`^# v\d`).MatchString(comment) {
				t.Errorf("%s: %s %s is not pinned by full commit with its version in a comment", filepath.Base(f), ref, comment)
			}
		}
	}
	if n < 10 {
		t.Errorf("found only %d uses: lines; the pattern has stopped matching", n)
	}
}

// TestEveryJobIsBounded: each job of this repository's and the starter's
// workflows states its permissions and a timeout (a job calling a
// reusable workflow, its permissions), and each workflow a concurrency
// group or permissions: {} at the top.
func TestEveryJobIsBounded(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(root, ".github/workflows/*.yml"))
	files = append(files, starterWorkflows(t)...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		wf, errs := actionlint.Parse(data)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", f, errs[0])
		}
		name := filepath.Base(f)
		if wf.On != nil && isCalled(wf) {
			// A reusable workflow runs under its caller's concurrency.
		} else if wf.Concurrency == nil {
			t.Errorf("%s has no concurrency group", name)
		}
		for id, job := range wf.Jobs {
			if job.Permissions == nil {
				t.Errorf("%s: job %s states no permissions", name, id)
			}
			if job.WorkflowCall == nil && job.TimeoutMinutes == nil {
				t.Errorf("%s: job %s has no timeout", name, id)
			}
		}
	}
}

func isCalled(wf *actionlint.Workflow) bool {
	for _, e := range wf.On {
		if _, ok := e.(*actionlint.WorkflowCallEvent); ok {
			return true
		}
	}
	return false
}

// TestActionDocumentsItsInputs: every input and output has a description
// and the README names each input.
func TestActionDocumentsItsInputs(t *testing.T) {
	a := readAction(t)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range a.Inputs {
		if strings.TrimSpace(in.Description) == "" {
			t.Errorf("input %s has no description", name)
		}
		if !strings.Contains(string(readme), "`"+name+"`") {
			t.Errorf("the README does not mention the action's input %s", name)
		}
	}
	for name, o := range a.Outputs {
		if strings.TrimSpace(o.Description) == "" {
			t.Errorf("output %s has no description", name)
		}
	}
}
