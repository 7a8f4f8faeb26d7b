package cli

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script from the actual output")

// TestMain lets the scripts run the opsqa command in-process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"opsqa": func() { os.Exit(Main(os.Args[1:], System())) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: real
// repositories as inline files, real command lines, exact output.
func TestScripts(t *testing.T) {
	// $SAMPLE is this repository: Northwind Parcel's documents and the
	// bundled sample snapshot, for scripts that read them as they are.
	sample, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Setup: func(e *testscript.Env) error {
			e.Setenv("NO_COLOR", "1")
			e.Setenv("GITHUB_ACTIONS", "")
			e.Setenv("SAMPLE", sample)
			return nil
		},
	})
}
