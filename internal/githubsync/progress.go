package githubsync

import (
	"io"

	"github.com/schollz/progressbar/v3"
)

// progress shows a bar per phase of the sync on a terminal. With no writer
// it does nothing, so CI logs and pipes stay clean.
type progress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func newProgress(w io.Writer) *progress { return &progress{w: w} }

// start begins a phase of n steps; n <= 0 when the count is unknown, which
// shows a count without a bar.
func (p *progress) start(what string, n int) {
	if p.w == nil {
		return
	}
	p.close()
	if n <= 0 {
		n = -1
	}
	p.bar = progressbar.NewOptions(n,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionOnCompletion(func() { io.WriteString(p.w, "\n") }),
	)
}

func (p *progress) add() {
	if p.bar != nil {
		p.bar.Add(1)
	}
}

func (p *progress) close() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}
