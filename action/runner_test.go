package action

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"gopkg.in/yaml.v3"
)

// actionFile is action.yml as far as running it goes.
type actionFile struct {
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type step struct {
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	With             map[string]string `yaml:"with"`
	ContinueOnError  bool              `yaml:"continue-on-error"`
}

func readAction(t *testing.T) *actionFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "composite" || len(a.Runs.Steps) == 0 {
		t.Fatalf("action.yml is not a composite action with steps")
	}
	return &a
}

// runner runs a composite action's steps as the runner does: inputs with
// their defaults, expressions in if:, env:, with: and working-directory:,
// each run: step in bash with GITHUB_OUTPUT, GITHUB_PATH and
// GITHUB_STEP_SUMMARY files, outputs and outcomes carried to the later
// steps. Steps that use other actions are not run: uses answers for them
// (Go is already here; a cache misses; an upload succeeds or is refused).
type runner struct {
	t          *testing.T
	action     *actionFile
	actionPath string // the action's folder: GITHUB_ACTION_PATH
	workspace  string
	temp       string
	inputs     map[string]any
	github     map[string]any
	steps      map[string]any // id → {outputs: {…}, outcome: …}
	paths      []string       // GITHUB_PATH, newest first
	summary    string         // the job summary file
	log        strings.Builder
	uses       func(s step, with map[string]string) (outcome string)
	// env is more of the runner's environment (GITHUB_API_URL).
	env []string
}

func newRunner(t *testing.T, a *actionFile, workspace, temp string, inputs map[string]string, github map[string]any) *runner {
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{t: t, action: a, actionPath: abs, workspace: workspace, temp: temp,
		inputs: map[string]any{}, github: github, steps: map[string]any{}, summary: filepath.Join(temp, "summary.md")}
	for name, in := range a.Inputs {
		r.inputs[name] = r.expand(in.Default)
	}
	for name, v := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
		r.inputs[name] = v
	}
	return r
}

// run runs every step; it returns false when a step failed (and was not
// allowed to), as the job would.
func (r *runner) run() bool {
	for i, s := range r.action.Runs.Steps {
		id := s.ID
		if id == "" {
			id = fmt.Sprintf("__%d", i)
		}
		if s.If != "" && !truthy(r.eval(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s.If), "${{"), "}}"))) {
			r.steps[id] = map[string]any{"outcome": "skipped", "outputs": map[string]any{}}
			continue
		}
		outcome, outputs := "success", map[string]any{}
		if s.Uses != "" {
			with := map[string]string{}
			for k, v := range s.With {
				with[k] = r.expand(v)
			}
			outcome = r.uses(s, with)
		} else {
			outcome = r.shell(s, outputs)
		}
		r.steps[id] = map[string]any{"outcome": outcome, "outputs": outputs}
		if outcome == "failure" && !s.ContinueOnError {
			return false
		}
	}
	return true
}

func (r *runner) shell(s step, outputs map[string]any) string {
	if s.Shell != "bash" {
		r.t.Fatalf("step %q: shell %q; the action's steps run in bash", s.ID, s.Shell)
	}
	outFile := filepath.Join(r.temp, "output")
	pathFile := filepath.Join(r.temp, "path")
	for _, f := range []string{outFile, pathFile} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", r.expand(s.Run))
	cmd.Dir = filepath.Join(r.workspace, r.expand(s.WorkingDirectory))
	env := []string{
		"PATH=" + strings.Join(append(r.paths, os.Getenv("PATH")), string(os.PathListSeparator)),
		"HOME=" + os.Getenv("HOME"), "GOPATH=" + os.Getenv("GOPATH"), "GOCACHE=" + goEnv(r.t, "GOCACHE"),
		"GOMODCACHE=" + goEnv(r.t, "GOMODCACHE"), "GOFLAGS=" + os.Getenv("GOFLAGS"), "GOPROXY=" + os.Getenv("GOPROXY"),
		"GITHUB_ACTIONS=true", "CI=true", "NO_COLOR=1",
		"GITHUB_ACTION_PATH=" + r.actionPath, "GITHUB_WORKSPACE=" + r.workspace,
		"GITHUB_OUTPUT=" + outFile, "GITHUB_PATH=" + pathFile, "GITHUB_STEP_SUMMARY=" + r.summary,
		"GITHUB_REPOSITORY=" + fmt.Sprint(r.github["repository"]), "GITHUB_EVENT_NAME=" + fmt.Sprint(r.github["event_name"]),
		"RUNNER_TEMP=" + r.temp,
	}
	env = append(env, r.env...)
	for k, v := range s.Env {
		env = append(env, k+"="+r.expand(v))
	}
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	fmt.Fprintf(&r.log, "## step %s\n%s", s.ID, out)
	for k, v := range readKV(r.t, outFile) {
		outputs[k] = v
	}
	added, _ := os.ReadFile(pathFile)
	for _, p := range strings.Fields(string(added)) {
		r.paths = append([]string{p}, r.paths...)
	}
	if err != nil {
		return "failure"
	}
	return "success"
}

func readKV(t *testing.T, file string) map[string]string {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kv := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			kv[k] = v
		}
	}
	return kv
}

func goEnv(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

var exprRe = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expand replaces each ${{ … }} in s with its value.
func (r *runner) expand(s string) string {
	return exprRe.ReplaceAllStringFunc(s, func(m string) string {
		return str(r.eval(exprRe.FindStringSubmatch(m)[1]))
	})
}

// eval evaluates an expression with actionlint's parser, over the
// contexts the action reads: inputs, github, steps, runner.
func (r *runner) eval(src string) any {
	n, perr := actionlint.NewExprParser().Parse(actionlint.NewExprLexer(src + "}}"))
	if perr != nil {
		r.t.Fatalf("expression %q: %v", src, perr)
	}
	return r.node(n)
}

func (r *runner) node(n actionlint.ExprNode) any {
	switch n := n.(type) {
	case *actionlint.VariableNode:
		switch n.Name {
		case "inputs":
			return r.inputs
		case "github":
			return r.github
		case "steps":
			return r.steps
		case "runner":
			return map[string]any{"os": "Linux", "temp": r.temp}
		}
		r.t.Fatalf("the runner knows no context %q", n.Name)
	case *actionlint.ObjectDerefNode:
		m, _ := r.node(n.Receiver).(map[string]any)
		return m[n.Property]
	case *actionlint.StringNode:
		return n.Value
	case *actionlint.BoolNode:
		return n.Value
	case *actionlint.NullNode:
		return nil
	case *actionlint.NotOpNode:
		return !truthy(r.node(n.Operand))
	case *actionlint.LogicalOpNode:
		l := r.node(n.Left)
		if (n.Kind == actionlint.LogicalOpNodeKindAnd) != truthy(l) {
			return l
		}
		return r.node(n.Right)
	case *actionlint.CompareOpNode:
		// Strings compare ignoring case, and null is the empty string.
		eq := strings.EqualFold(str(r.node(n.Left)), str(r.node(n.Right)))
		switch n.Kind {
		case actionlint.CompareOpNodeKindEq:
			return eq
		case actionlint.CompareOpNodeKindNotEq:
			return !eq
		}
	}
	r.t.Fatalf("the runner cannot evaluate %T", n)
	return nil
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case string:
		return v != ""
	}
	return true
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// output is the value of one of the action's outputs after a run.
func (r *runner) output(name string) string {
	o, ok := r.action.Outputs[name]
	if !ok {
		r.t.Fatalf("action.yml has no output %q", name)
	}
	return r.expand(o.Value)
}
