package scenario

import (
	"fmt"
	"strings"
)

// An Error is one problem with a scenario, located where the user can fix
// it. It reads
//
//	FILE:LINE: KEY: PROBLEM (want WANT, got GOT)
//
// FILE is the scenario file, or the flag the value came from ("--set");
// LINE is left out when the value has no line (a flag, or a default that
// conflicts with another key).
type Error struct {
	File    string
	Line    int
	Key     string // as in a scenario file, brands by name: brand.Acme.push.rate
	Problem string
	Want    string
	Got     string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	switch {
	case e.Want != "" && e.Got != "":
		fmt.Fprintf(&b, " (want %s, got %s)", e.Want, e.Got)
	case e.Want != "":
		fmt.Fprintf(&b, " (want %s)", e.Want)
	case e.Got != "":
		fmt.Fprintf(&b, " (got %s)", e.Got)
	}
	return b.String()
}

// Errors are every problem found in a scenario, in the order of the file.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// errorf makes an error of the library itself, not of a scenario's content.
func errorf(format string, args ...any) error {
	return fmt.Errorf("scenario: "+format, args...)
}
