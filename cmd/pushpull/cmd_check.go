package main

import (
	"fmt"

	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/sweep"
)

func checkCommand() *command {
	return &command{
		name:    "check",
		args:    "[flags] FILE...",
		summary: "validate scenario files and print their resolved parameters",
		long: `Validates each scenario file (or shipped scenario NAME). A valid one is printed
with every parameter resolved, as a scenario file that runs the same: values
the file leaves out are marked "# default" (or the preset or flag they come
from). For a file with a [sweep] table it tries every value each factor takes
and says how many points and runs the sweep means. An edge-list graph is read,
so that a malformed line is found before a run. An invalid file gets every
error it holds, each naming the file, line and key.`,
		run: runCheck,
	}
}

func runCheck(e *env, args []string) error {
	c := lookup("check")
	fs := e.flags(c)
	var sf scenarioFlags
	sf.register(fs)
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return invalidf("check: name at least one scenario file (see `pushpull check --help`)")
	}
	failed := 0
	for i, f := range fs.Args() {
		sc, err := loadScenario(f)
		if err == nil {
			err = sf.apply(fs, sc)
		}
		if err == nil {
			// Every value each factor takes, tried on the scenario.
			err = sweep.Check(sc)
		}
		var edgeList *graph.Graph
		if err == nil && sc.Graph.Kind == graph.KindEdgeList {
			// An edge list is known only once read: a malformed line, or
			// a node count that disagrees with customers, is found here
			// rather than when a run starts.
			edgeList, err = sc.BuildGraph()
		}
		if err != nil {
			failed++
			fmt.Fprintln(e.stderr, err)
			continue
		}
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprintf(e.stdout, "# %s: valid\n", sc.File)
		if edgeList != nil {
			fmt.Fprintf(e.stdout, "# graph: %s read, %d nodes, %d edges, mean degree %.3g\n", sc.GraphSpec().Path, edgeList.N(), edgeList.M(), edgeList.MeanDegree())
		}
		if sc.Sweep != nil {
			points, runs := sc.SweepRuns()
			fmt.Fprintf(e.stdout, "# sweep: %s design, %d points x %d replicates = %d runs\n", sc.Sweep.Method, points, sc.Replicates, runs)
		}
		writeBudgets(e.stdout, sc)
		if err := sc.WriteResolved(e.stdout); err != nil {
			return err
		}
	}
	if failed > 0 {
		return invalidf("check: %d of %d file%s invalid", failed, fs.NArg(), plural(fs.NArg()))
	}
	return nil
}
