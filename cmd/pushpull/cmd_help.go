package main

import (
	"fmt"

	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

func helpCommand() *command {
	return &command{
		name:    "help",
		args:    "[command | scenario]",
		summary: "show help for a command, or every key of a scenario file",
		long: `Shows the help of a command. "pushpull help scenario" lists every key a
scenario file may hold, with its default, unit, allowed range and source.`,
		run: runHelp,
	}
}

func versionCommand() *command {
	return &command{
		name:    "version",
		args:    "",
		summary: "print the version, VCS revision and Go version",
		long:    `Prints the module version, the VCS revision it was built from and the Go version.`,
		run:     runVersion,
	}
}

func runHelp(e *env, args []string) error {
	c := lookup("help")
	fs := e.flags(c)
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() == 0:
		e.usage(e.stdout)
		return nil
	case fs.NArg() > 1:
		return invalidf("help: expected one topic, got %d", fs.NArg())
	case fs.Arg(0) == "scenario":
		return scenario.WriteReference(e.stdout, "text")
	}
	target := lookup(fs.Arg(0))
	if target == nil {
		return invalidf("help: unknown topic %q%s; topics are the commands and \"scenario\"", fs.Arg(0), suggest(fs.Arg(0)))
	}
	return target.run(e, []string{"--help"})
}

func runVersion(e *env, args []string) error {
	c := lookup("version")
	fs := e.flags(c)
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return invalidf("version: takes no arguments")
	}
	b := output.ReadBuild()
	rev := b.Revision
	if rev == "" {
		rev = "unknown (not built from a VCS checkout)"
	} else if b.Modified {
		rev += " (modified)"
	}
	_, err := fmt.Fprintf(e.stdout, "pushpull %s\nmodule    %s\nrevision  %s\ngo        %s %s/%s\n", b.Version, b.Module, rev, b.GoVersion, b.OS, b.Arch)
	return err
}
