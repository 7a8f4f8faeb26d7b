package cli

import (
	"io"
	"net/http"
	"os"
	"time"

	"golang.org/x/term"
)

// Env holds every dependency a command has on the world outside: streams,
// the environment, the clock, the working directory and the HTTP client.
// Tests build one with in-memory streams and a fixed clock.
type Env struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// IsTerminal is true when Out is a terminal: colour, grouping and
	// progress bars are for people, plain lines for machines.
	IsTerminal bool
	// ErrIsTerminal is true when ErrOut is a terminal.
	ErrIsTerminal bool
	Getenv        func(string) string
	Now           func() time.Time
	// Dir is the working directory; relative paths are read from it.
	Dir        string
	HTTPClient *http.Client
}

// System returns the Env of the running process.
func System() *Env {
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	return &Env{
		In:            os.Stdin,
		Out:           os.Stdout,
		ErrOut:        os.Stderr,
		IsTerminal:    term.IsTerminal(int(os.Stdout.Fd())),
		ErrIsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		Getenv:        os.Getenv,
		Now:           time.Now,
		Dir:           dir,
		HTTPClient:    &http.Client{Timeout: 60 * time.Second},
	}
}

// colorEnabled follows the NO_COLOR convention and never colours a pipe.
func (e *Env) colorEnabled() bool {
	return e.IsTerminal && e.Getenv("NO_COLOR") == "" && e.Getenv("TERM") != "dumb"
}
