package main

import (
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows work done and time left on stderr, only when stderr is a
// terminal and the user did not ask for quiet: logs and pipes stay clean.
type progress struct {
	bar *progressbar.ProgressBar
}

// progress makes a bar over total steps; unit names what a step is.
func (e *env) progress(title string, total int, quiet bool) *progress {
	return e.progressUnit(title, total, "replicate-days", quiet)
}

func (e *env) progressUnit(title string, total int, unit string, quiet bool) *progress {
	if quiet || !e.terminal || total <= 0 {
		return &progress{}
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(fmt.Sprintf("%-20s", title)),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
	)
	return &progress{bar: bar}
}

// add counts n more steps done; safe from several goroutines.
func (p *progress) add(n int) {
	if p.bar != nil {
		p.bar.Add(n)
	}
}

// finish removes the bar, leaving the terminal clean for the table.
func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
}

// describe replaces the text before the bar, for example to show how many
// replicates are done.
func (p *progress) describe(text string) {
	if p.bar != nil {
		p.bar.Describe(text)
	}
}
