package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/pushpull/pushpull/sim/scenario"
)

// env is what every subcommand may use of the outside world.
type env struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	// args is the command line, for manifests.
	args []string
	// terminal reports whether stderr is a terminal, for progress bars.
	terminal bool
	cores    int
	// memory reports the memory a run may use; tests replace it.
	memory func() (int64, bool)
	// afterDay, when set, is called after each day of each replicate:
	// tests stop a run at a chosen day through it, as Ctrl-C would.
	afterDay func(replicate, day int)
}

func newEnv(ctx context.Context, args []string, stdout, stderr io.Writer) *env {
	e := &env{ctx: ctx, stdout: stdout, stderr: stderr, args: append([]string{"pushpull"}, args...),
		cores: runtime.NumCPU(), memory: availableMemory}
	if f, ok := stderr.(*os.File); ok {
		e.terminal = term.IsTerminal(int(f.Fd()))
	}
	return e
}

// A command is one subcommand of pushpull.
type command struct {
	name    string
	args    string // what follows the name in the usage line
	summary string // one line for `pushpull help`
	long    string // paragraphs for `pushpull help NAME`
	run     func(e *env, args []string) error
}

// commands is every subcommand of pushpull, the one place where a
// command is listed: each is made by its own file's constructor.
func commands() []*command {
	return []*command{
		calibrateCommand(),
		checkCommand(),
		compareCommand(),
		graphCommand(),
		helpCommand(),
		mergeCommand(),
		newCommand(),
		optimizeCommand(),
		plotCommand(),
		runCommand(),
		serveCommand(),
		sweepCommand(),
		versionCommand(),
	}
}

func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// errHelpShown means --help was asked for and shown: exit 0.
var errHelpShown = errors.New("help shown")

func (e *env) run(args []string) error {
	if len(args) == 0 {
		e.usage(e.stderr)
		return invalidf("no subcommand given; try `pushpull run` for the default scenario")
	}
	name := args[0]
	switch name {
	case "-h", "--help":
		e.usage(e.stdout)
		return nil
	case "-v", "--version":
		name = "version"
	}
	c := lookup(name)
	if c == nil {
		return invalidf("unknown subcommand %q%s; run `pushpull help` for the list", name, suggest(name))
	}
	if err := c.run(e, args[1:]); !errors.Is(err, errHelpShown) {
		return err
	}
	return nil
}

func suggest(name string) string {
	best, dist := "", 3
	for _, c := range commands() {
		if d := scenario.EditDistance(name, c.name); d < dist {
			best, dist = c.name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func (e *env) usage(w io.Writer) {
	fmt.Fprintln(w, "pushpull simulates push versus pull markets: customers on a social graph,")
	fmt.Fprintln(w, "brands competing for them with push, pull and trust.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  pushpull <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run `pushpull help <command>` or `pushpull <command> --help` for details,")
	fmt.Fprintln(w, "and `pushpull help scenario` for every key of a scenario file.")
}

// flags makes the flag set of a subcommand; its --help prints the
// command's help to stdout.
func (e *env) flags(c *command) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	return fs
}

// parse parses args with fs, turning --help into help text on stdout and
// flag errors into invalid-input errors that name the command.
func (e *env) parse(c *command, fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			writeHelp(e.stdout, c, fs)
			return errHelpShown
		}
		return invalidf("%s: %v (see `pushpull %s --help`)", c.name, err, c.name)
	}
	return nil
}

func writeHelp(w io.Writer, c *command, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "Usage: pushpull %s %s\n\n", c.name, c.args)
	fmt.Fprintln(w, strings.TrimSpace(c.long))
	if fs != nil && fs.HasFlags() {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Flags:")
		fmt.Fprint(w, fs.FlagUsagesWrapped(100))
	}
}
