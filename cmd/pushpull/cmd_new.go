package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/pushpull/pushpull/scenarios"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

func newCommand() *command {
	return &command{
		name:    "new",
		args:    "[flags] NAME",
		summary: "write a fully commented scenario template to NAME.toml",
		long: `Writes NAME.toml (NAME may include a folder): a scenario file in which every key
appears with its default and a comment saying what it means, its unit, range and
source. Edit it, check it with "pushpull check NAME.toml" and run it with
"pushpull run NAME.toml". With --from, the new file is a copy of a shipped
scenario instead, renamed NAME. --list lists the shipped scenarios.`,
		run: runNew,
	}
}

var scenarioName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// nameLine is a name key; the scenario's own is the one before the first
// table header (brands have names too).
var (
	nameLine    = regexp.MustCompile(`(?m)^name\s*=.*$`)
	firstHeader = regexp.MustCompile(`(?m)^\s*\[`)
)

// renameScenario gives a copied scenario its new name, replacing its name
// key, or adding one when it has none.
func renameScenario(src []byte, name string) []byte {
	line := []byte("name = " + strconv.Quote(name))
	top := len(src)
	if loc := firstHeader.FindIndex(src); loc != nil {
		top = loc[0]
	}
	if loc := nameLine.FindIndex(src[:top]); loc != nil {
		return append(append(append([]byte(nil), src[:loc[0]]...), line...), src[loc[1]:]...)
	}
	return append(append(line, '\n'), src...)
}

func runNew(e *env, args []string) error {
	c := lookup("new")
	fs := e.flags(c)
	from := fs.String("from", "", "copy this shipped scenario (see --list)")
	list := fs.Bool("list", false, "list the shipped scenarios and exit")
	force := fs.Bool("force", false, "overwrite NAME.toml if it exists")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if *list {
		for _, n := range scenarios.Names() {
			fmt.Fprintln(e.stdout, n)
		}
		return nil
	}
	if fs.NArg() != 1 {
		return invalidf("new: expected one NAME, got %d (see `pushpull new --help`)", fs.NArg())
	}
	path := fs.Arg(0)
	if !strings.HasSuffix(path, ".toml") {
		path += ".toml"
	}
	name := strings.TrimSuffix(filepath.Base(path), ".toml")
	if !scenarioName.MatchString(name) {
		return invalidf("new: a scenario name is letters, digits, '-', '_' and '.', starting with a letter or digit: %q", name)
	}
	if _, err := os.Stat(path); err == nil && !*force {
		return invalidf("new: %s exists; use --force to overwrite it", path)
	}
	data := scenario.Template(name)
	if *from != "" {
		_, src, ok := scenarios.Lookup(*from)
		if !ok {
			return invalidf("new: no shipped scenario %q; `pushpull new --list` lists them", *from)
		}
		data = renameScenario(src, name)
	}
	if err := output.WriteFile(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	_, err := fmt.Fprintf(e.stdout, "wrote %s; check it with `pushpull check %s`\n", path, path)
	return err
}
