package cli

import (
	"errors"
	"fmt"

	"github.com/opsqa/opsqa/internal/pipeline"
)

// Exit codes, as DESIGN.md fixes them.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // findings at error level, or a KPI target missed with --check
	ExitUsage    = 2 // usage or configuration error
	ExitFailure  = 3 // could not run: I/O, network, GitHub
)

// exitError carries the exit code a command wants. Commands return the
// helpers below; exitCode is the one place that maps errors to codes.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks a mistake in the command line or the configuration.
func usageError(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// errFindings is returned when a command ran fine and found problems; the
// findings themselves are already printed.
var errFindings = &exitError{code: ExitFindings, err: errors.New("findings at error level")}

// errTargetMissed is returned by --check when a KPI target is missed.
var errTargetMissed = &exitError{code: ExitFindings, err: errors.New("a KPI target is missed")}

// pipelineError marks the pipeline's configuration errors as usage
// errors; any other error is a failure to run.
func pipelineError(err error) error {
	var ce *pipeline.ConfigError
	if errors.As(err, &ce) {
		return &exitError{code: ExitUsage, err: err}
	}
	return err
}

// exitCode maps an error returned by a command to the process exit code:
// anything not marked otherwise is a failure to run.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitFailure
}
