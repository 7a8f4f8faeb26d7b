// Package pipeline is opsqa's work between the repository on disk and what
// the commands print: lint, the ticket snapshot, the KPIs, the scorecards,
// their history and the site built from them. Each command calls one
// function here and prints what it returns; the steps are shared, so
// 'opsqa metrics' and the site compute the same figures the same way.
//
// Nothing here writes to the process's streams, reads the clock or exits:
// the caller passes the clock in and prints the results.
package pipeline

import (
	"fmt"
	"os"
	"time"

	"github.com/opsqa/opsqa/internal/config"
)

// ConfigError is a mistake in what the pipeline was asked to do: opsqa.yaml
// cannot be read or decoded, an option's value does not parse, the period
// is empty, a path holds nothing to lint. Fixing the input, not running
// again, is the remedy; the command line reports it as a usage error.
type ConfigError struct {
	Err error
}

func (e *ConfigError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }

func configErrorf(format string, args ...any) error {
	return &ConfigError{Err: fmt.Errorf(format, args...)}
}

// loadConfig reads opsqa.yaml at root and the time zone it names.
func loadConfig(root string) (*config.Config, *time.Location, error) {
	cfg, err := config.Load(os.DirFS(root))
	if err != nil {
		return nil, nil, &ConfigError{Err: err}
	}
	loc, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		return nil, nil, configErrorf("read timezone %q in %s: %v", cfg.Timezone, config.FileName, err)
	}
	return cfg, loc, nil
}
