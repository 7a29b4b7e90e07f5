// Command pushpull simulates push versus pull markets: customers on a social
// graph, brands competing for them with push, pull and trust strategies.
//
// Run `pushpull help` for the list of subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/pushpull/pushpull/sim/scenario"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := newEnv(ctx, os.Args[1:], os.Stdout, os.Stderr)
	err := env.run(os.Args[1:])
	stop()
	os.Exit(report(err, os.Stderr))
}

// run is the whole program as tests see it: arguments in, output and an
// error out, no signals, no process exit.
func run(args []string, stdout, stderr io.Writer) error {
	return newEnv(context.Background(), args, stdout, stderr).run(args)
}

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1 // the run itself failed
	exitInvalid = 2 // usage error or invalid input
)

// invalidError marks errors caused by what the user gave: a flag, a file, a
// value. They exit with code 2; everything else exits with 1.
type invalidError struct{ err error }

func (e *invalidError) Error() string { return e.err.Error() }
func (e *invalidError) Unwrap() error { return e.err }

func invalid(err error) error {
	if err == nil {
		return nil
	}
	var ie *invalidError
	if errors.As(err, &ie) {
		return err
	}
	return &invalidError{err}
}

func invalidf(format string, args ...any) error { return invalid(fmt.Errorf(format, args...)) }

// report prints err for a person and returns the process exit code.
func report(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var located scenario.Errors
	if errors.As(err, &located) {
		// Each line names its file, line and key, as a compiler's do.
		fmt.Fprintln(stderr, located)
	} else {
		fmt.Fprintf(stderr, "pushpull: %v\n", err)
	}
	var ie *invalidError
	if errors.As(err, &ie) {
		return exitInvalid
	}
	return exitFailure
}

// exitCode is report without printing, for tests.
func exitCode(err error) int { return report(err, io.Discard) }
