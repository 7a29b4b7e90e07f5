package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

func graphCommand() *command {
	return &command{
		name:    "graph",
		args:    "[flags] [FILE | NAME]",
		summary: "generate or read a social graph, print its statistics, optionally write its edge list",
		long: `Builds a social graph and prints its statistics: nodes, edges, degrees and their
histogram, mean local clustering, connected components and the largest one.

The graph is the scenario's (FILE or shipped NAME) or, without one, the default
graph: watts_strogatz with k = 10 and beta = 0.1 on 10000 customers. A flag per
graph key changes it, as the key would in a scenario file ("pushpull help
scenario" documents them):
  pushpull graph --kind barabasi_albert --m 5 --customers 100000
--path reads a real network from an edge-list file (SNAP or KONECT style, .gz
read directly), its node count becoming customers. --write saves the edge list,
which reads back as the identical graph.`,
		run: runGraph,
	}
}

// graphBase is the scenario the graph command starts from without a file:
// every default, and the one brand a scenario needs to be valid.
const graphBase = "name = \"graph\"\n[[brand]]\nname = \"-\"\n"

func runGraph(e *env, args []string) error {
	c := lookup("graph")
	fs := e.flags(c)
	keys := map[string]*string{}
	var order []string
	for _, d := range graph.SpecDocs {
		key := strings.TrimPrefix(d.Key, "graph.")
		flag := strings.ReplaceAll(key, "_", "-")
		keys[flag] = fs.String(flag, "", fmt.Sprintf("graph.%s: %s", key, d.Doc))
		order = append(order, flag)
	}
	customers := fs.String("customers", "", "number of customers: the graph's nodes")
	seed := fs.Uint64("seed", 0, "random seed of the generator (default: the scenario's)")
	sample := fs.Int("sample", 10000, "nodes sampled to estimate mean local clustering (0: all)")
	write := fs.String("write", "", "write the graph's edge list to this file")
	force := fs.Bool("force", false, "overwrite the --write file if it exists")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return invalidf("graph: expected at most one scenario, got %d", fs.NArg())
	}
	if *sample < 0 {
		return invalidf("graph: --sample must be at least 0, got %d", *sample)
	}
	var sc *scenario.Scenario
	var err error
	if fs.NArg() == 1 {
		sc, err = loadScenario(fs.Arg(0))
	} else {
		sc, err = scenario.Parse("pushpull graph", []byte(graphBase))
		err = invalid(err)
	}
	if err != nil {
		return err
	}
	var changes []scenario.Assignment
	if fs.Changed("customers") {
		changes = append(changes, scenario.Assignment{Source: "--customers", Text: "customers=" + *customers})
	}
	if fs.Changed("seed") {
		changes = append(changes, scenario.Assignment{Source: "--seed", Text: fmt.Sprintf("seed=%d", *seed)})
	}
	if fs.Changed("path") && !fs.Changed("kind") {
		changes = append(changes, scenario.Assignment{Source: "--path", Text: "graph.kind=" + graph.KindEdgeList})
	}
	for _, flag := range order {
		if fs.Changed(flag) {
			key := strings.ReplaceAll(flag, "-", "_")
			changes = append(changes, scenario.Assignment{Source: "--" + flag, Text: "graph." + key + "=" + *keys[flag]})
		}
	}
	if len(changes) > 0 {
		if err := sc.SetAll(changes); err != nil {
			return invalid(err)
		}
	}
	if *write != "" {
		// Refuse before the work: a folder, a missing folder or an
		// earlier file the flags did not allow to replace.
		info, err := os.Stat(*write)
		switch {
		case err == nil && info.IsDir():
			return invalidf("graph: --write %s is a folder; name the edge-list file to write", *write)
		case err == nil && !*force:
			return invalidf("graph: %s exists; use --force to overwrite it", *write)
		}
		if dir := filepath.Dir(*write); !isDir(dir) {
			return invalidf("graph: --write %s: no folder %s to write it in", *write, dir)
		}
	}
	if need := sc.GraphSpec().MemoryBytes(sc.Customers); need > 0 {
		if have, ok := e.memory(); ok && need > have {
			return invalidf("graph: %s needs about %s of memory but this machine has %s available", sc.Graph, formatBytes(need), formatBytes(have))
		}
	}
	g, err := sc.BuildGraph()
	if err != nil {
		return invalid(err)
	}
	stats := graph.Compute(g, *sample, rand.New(rand.NewPCG(sc.Seed, 1)))
	if err := writeGraphStats(e.stdout, sc.GraphSpec(), stats); err != nil {
		return err
	}
	if *write != "" {
		if err := output.WriteFile(*write, func(w io.Writer) error { return graph.WriteEdgeList(w, g) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "\nwrote %s\n", *write)
	}
	return nil
}

func writeGraphStats(w io.Writer, spec graph.Spec, s graph.Stats) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "graph\t%s\n", spec)
	fmt.Fprintf(tw, "nodes\t%d\n", s.N)
	fmt.Fprintf(tw, "edges\t%d\n", s.M)
	fmt.Fprintf(tw, "mean degree\t%.3f\n", s.MeanDegree)
	fmt.Fprintf(tw, "degree range\t%d to %d\n", s.MinDegree, s.MaxDegree)
	var bins []string
	for _, b := range s.DegreeHistogram {
		if b.Min == b.Max {
			bins = append(bins, fmt.Sprintf("%d: %d", b.Min, b.Count))
		} else {
			bins = append(bins, fmt.Sprintf("%d-%d: %d", b.Min, b.Max, b.Count))
		}
	}
	if len(bins) > 0 {
		fmt.Fprintf(tw, "degree histogram\t%s\n", strings.Join(bins, ", "))
	}
	fmt.Fprintf(tw, "mean local clustering\t%.4f (%s)\n", s.Clustering, s.ClusteringNote())
	fmt.Fprintf(tw, "components\t%d\n", s.Components)
	fmt.Fprintf(tw, "largest component\t%d (%.1f%%)\n", s.LargestComponent, 100*float64(s.LargestComponent)/float64(max(s.N, 1)))
	return tw.Flush()
}

// isDir reports whether path names an existing folder.
func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}
