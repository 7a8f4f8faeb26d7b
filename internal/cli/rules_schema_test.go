package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/opsqa/opsqa/internal/lint"
	"github.com/opsqa/opsqa/schemas"
)

const rulesSchemaURL = "https://opsqa.dev/schemas/rules.schema.json"

// runRulesCmd runs opsqa rules through its constructor, as the root
// command wires it, with in-memory streams.
func runRulesCmd(t *testing.T, args ...string) (stdout string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{
		Out: &out, ErrOut: &errOut, In: strings.NewReader(""),
		Getenv: func(string) string { return "" },
		Now:    func() time.Time { return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) },
		Dir:    t.TempDir(),
	}
	cmd := newRulesCmd(env, nil)
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err = cmd.Execute()
	if errOut.Len() > 0 {
		t.Errorf("stderr: %s", errOut.String())
	}
	return out.String(), err
}

func rulesSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := schemas.FS.ReadFile("rules.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(rulesSchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(rulesSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// TestRulesJSONMatchesSchema validates opsqa rules --format json, for
// every rule and for one, against schemas/rules.schema.json.
func TestRulesJSONMatchesSchema(t *testing.T) {
	sch := rulesSchema(t)
	for name, tc := range map[string]struct {
		args []string
		want int
	}{
		"every rule": {[]string{"--format", "json"}, len(lint.Rules())},
		"one rule":   {[]string{"--format", "json", "required-sections"}, 1},
	} {
		t.Run(name, func(t *testing.T) {
			out, err := runRulesCmd(t, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(doc); err != nil {
				t.Errorf("output does not match schemas/rules.schema.json: %v", err)
			}
			var rules []map[string]any
			if err := json.Unmarshal([]byte(out), &rules); err != nil {
				t.Fatal(err)
			}
			if len(rules) != tc.want {
				t.Errorf("%d rules, want %d", len(rules), tc.want)
			}
		})
	}
}

// TestRulesSchemaIsStrict checks that the schema notices a renamed key,
// a missing one and values outside their enum, so that it cannot drift
// from the output unseen.
func TestRulesSchemaIsStrict(t *testing.T) {
	sch := rulesSchema(t)
	out, err := runRulesCmd(t, "--format", "json", "required-sections")
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(r map[string]any){
		"renamed key":      func(r map[string]any) { r["rule"] = r["id"]; delete(r, "id") },
		"missing kinds":    func(r map[string]any) { delete(r, "kinds") },
		"null kinds":       func(r map[string]any) { r["kinds"] = nil },
		"unknown severity": func(r map[string]any) { r["severity"] = "fatal" },
		"unknown kind":     func(r map[string]any) { r["kinds"] = []any{"runbooks"} },
		"empty summary":    func(r map[string]any) { r["summary"] = "" },
	} {
		t.Run(name, func(t *testing.T) {
			var rules []map[string]any
			if err := json.Unmarshal([]byte(out), &rules); err != nil {
				t.Fatal(err)
			}
			edit(rules[0])
			v := make([]any, len(rules))
			for i, r := range rules {
				v[i] = r
			}
			if err := sch.Validate(v); err == nil {
				t.Error("the schema accepts it")
			}
		})
	}
}
