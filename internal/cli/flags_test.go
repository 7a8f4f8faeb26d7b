package cli

import (
	"errors"
	"reflect"
	"testing"
)

// These tests stop each command at its runF seam: they check what the
// flags and arguments become, without a repository on disk, so a renamed
// flag or a lost default fails here rather than in a user's CI.

func TestLintFlags(t *testing.T) {
	env := &Env{}
	for _, tc := range []struct {
		args []string
		want lintOptions
	}{
		{nil, lintOptions{env: env, Paths: []string{}}},
		{
			[]string{"--root", "kb", "--format", "sarif", "--changed-since", "origin/main",
				"--baseline", "b.json", "--today", "2026-01-31", "content/runbooks", "processes/x.md"},
			lintOptions{env: env, Root: "kb", Format: "sarif", ChangedSince: "origin/main",
				Baseline: "b.json", Today: "2026-01-31", Paths: []string{"content/runbooks", "processes/x.md"}},
		},
		{[]string{"--write-baseline", ".opsqa-baseline.json"}, lintOptions{env: env, Paths: []string{}, WriteBaseline: ".opsqa-baseline.json"}},
	} {
		var got *lintOptions
		cmd := newLintCmd(env, func(o *lintOptions) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%v:\n got  %+v\n want %+v", tc.args, *got, tc.want)
		}
	}
}

func TestMetricsFlags(t *testing.T) {
	env := &Env{}
	for _, tc := range []struct {
		args []string
		want metricsOptions
	}{
		{nil, metricsOptions{env: env, Snapshot: "data/snapshot.jsonl", Format: "text"}},
		{
			[]string{"--snapshot", "/tmp/s.jsonl", "--from", "2026-09-01", "--to", "2026-10-31",
				"--as-of", "2026-11-01", "--format", "json", "--check"},
			metricsOptions{env: env, Snapshot: "/tmp/s.jsonl", From: "2026-09-01", To: "2026-10-31",
				AsOf: "2026-11-01", Format: "json", Check: true},
		},
	} {
		var got *metricsOptions
		cmd := newMetricsCmd(env, func(o *metricsOptions) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%v:\n got  %+v\n want %+v", tc.args, *got, tc.want)
		}
	}

	cmd := newMetricsCmd(env, func(*metricsOptions) error { t.Error("ran with a stray argument"); return nil })
	cmd.SetArgs([]string{"extra"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	var exit *exitError
	if err := cmd.Execute(); !errors.As(err, &exit) || exit.code != ExitUsage {
		t.Errorf("stray argument: %v, want a usage error", err)
	}
}

func TestBuildFlags(t *testing.T) {
	env := &Env{}
	for _, tc := range []struct {
		args []string
		want buildOptions
	}{
		{nil, buildOptions{env: env, Destination: "public", Snapshot: "data/snapshot.jsonl"}},
		{
			[]string{"--destination", "/tmp/site", "--allow-lint-errors", "--as-of", "2026-11-01",
				"--history", "/tmp/h.jsonl", "--base-url", "https://kb.example.dev/"},
			buildOptions{env: env, Destination: "/tmp/site", AllowLintErrors: true, AsOf: "2026-11-01",
				Snapshot: "data/snapshot.jsonl", History: "/tmp/h.jsonl", BaseURL: "https://kb.example.dev/"},
		},
	} {
		var got *buildOptions
		cmd := newBuildCmd(env, func(o *buildOptions) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if got.LookPath == nil {
			t.Errorf("%v: no LookPath for Pagefind", tc.args)
		}
		got.LookPath = nil
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%v:\n got  %+v\n want %+v", tc.args, *got, tc.want)
		}
	}
}

func TestInitFlags(t *testing.T) {
	env := &Env{}
	for _, tc := range []struct {
		args []string
		want initOptions
	}{
		{nil, initOptions{env: env}},
		{
			[]string{"kb", "--starter", "--force", "--baseline", ".opsqa-baseline.json", "--today", "2026-12-01"},
			initOptions{env: env, Dir: "kb", Starter: true, Force: true, Baseline: ".opsqa-baseline.json", Today: "2026-12-01"},
		},
	} {
		var got *initOptions
		cmd := newInitCmd(env, func(o *initOptions) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%v:\n got  %+v\n want %+v", tc.args, *got, tc.want)
		}
	}
	cmd := newInitCmd(env, func(*initOptions) error { return nil })
	cmd.SetArgs([]string{"a", "b"})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var ee *exitError
	if err := cmd.Execute(); !errors.As(err, &ee) || ee.code != ExitUsage {
		t.Errorf("two folders: got %v, want a usage error", err)
	}
}

func TestCodeownersFlags(t *testing.T) {
	env := &Env{}
	for _, tc := range []struct {
		args []string
		want codeownersOptions
	}{
		{nil, codeownersOptions{env: env}},
		{[]string{"--check", "--root", "kb"}, codeownersOptions{env: env, Root: "kb", Check: true}},
	} {
		var got *codeownersOptions
		cmd := newCodeownersCmd(env, func(o *codeownersOptions) error { got = o; return nil })
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%v:\n got  %+v\n want %+v", tc.args, *got, tc.want)
		}
	}
	cmd := newCodeownersCmd(env, func(*codeownersOptions) error { t.Error("ran with a stray argument"); return nil })
	cmd.SetArgs([]string{"CODEOWNERS"})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	var ee *exitError
	if err := cmd.Execute(); !errors.As(err, &ee) || ee.code != ExitUsage {
		t.Errorf("stray argument: got %v, want a usage error", err)
	}
}

func TestTrainingGradeFlags(t *testing.T) {
	env := &Env{}
	var got *trainingGradeOptions
	cmd := newTrainingGradeCmd(env, func(o *trainingGradeOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--event", "e.json", "--format", "json", "--root", "kb"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if want := (trainingGradeOptions{env: env, Root: "kb", Event: "e.json", Format: "json"}); !reflect.DeepEqual(*got, want) {
		t.Errorf("got %+v, want %+v", *got, want)
	}
}

func TestTrainingRecertifyFlags(t *testing.T) {
	env := &Env{}
	var got *trainingRecertifyOptions
	cmd := newTrainingRecertifyCmd(env, func(o *trainingRecertifyOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--dry-run", "--notice-days", "14", "--repo", "o/r", "--format", "json", "--as-of", "2026-11-01", "--root", "kb"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	want := trainingRecertifyOptions{env: env, Root: "kb", Snapshot: "data/snapshot.jsonl", AsOf: "2026-11-01", Repo: "o/r", NoticeDays: 14, DryRun: true, Format: "json"}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("got %+v, want %+v", *got, want)
	}
}
