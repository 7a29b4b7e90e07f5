package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
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
read directly), its node count becoming customers; --nodes adds a node list,
--relations keeps the relations named, separated by commas (advice,friend), and
--direction makes ties one way. What reading found is printed first: the files'
SHA-256, a header skipped, self-loops and duplicate ties dropped, columns
ignored. --write saves the edge list, which reads back as the identical graph.`,
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
			value := *keys[flag]
			if key == "relations" {
				value = tomlWords(value)
			}
			changes = append(changes, scenario.Assignment{Source: "--" + flag, Text: "graph." + key + "=" + value})
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

// tomlWords writes a comma-separated flag value (advice,friend) as the
// TOML list of words a list key takes.
func tomlWords(value string) string {
	var words []string
	for w := range strings.SplitSeq(value, ",") {
		if w = strings.TrimSpace(w); w != "" {
			words = append(words, strconv.Quote(w))
		}
	}
	return "[" + strings.Join(words, ", ") + "]"
}

func writeGraphStats(w io.Writer, spec graph.Spec, s graph.Stats) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "graph\t%s\n", spec)
	if in := s.Input; in != nil {
		writeGraphInput(tw, in)
	}
	fmt.Fprintf(tw, "nodes\t%d\n", s.N)
	degree := "degree"
	if s.Directed {
		degree = "out-degree"
		fmt.Fprintf(tw, "ties\t%d, one way each\n", s.M)
	} else {
		fmt.Fprintf(tw, "edges\t%d\n", s.M)
	}
	fmt.Fprintf(tw, "mean %s\t%.3f\n", degree, s.MeanDegree)
	fmt.Fprintf(tw, "%s range\t%d to %d\n", degree, s.MinDegree, s.MaxDegree)
	var bins []string
	for _, b := range s.DegreeHistogram {
		if b.Min == b.Max {
			bins = append(bins, fmt.Sprintf("%d: %d", b.Min, b.Count))
		} else {
			bins = append(bins, fmt.Sprintf("%d-%d: %d", b.Min, b.Max, b.Count))
		}
	}
	if len(bins) > 0 {
		fmt.Fprintf(tw, "%s histogram\t%s\n", degree, strings.Join(bins, ", "))
	}
	fmt.Fprintf(tw, "mean local clustering\t%.4f (%s)\n", s.Clustering, s.ClusteringNote())
	fmt.Fprintf(tw, "components\t%d\n", s.Components)
	fmt.Fprintf(tw, "largest component\t%d (%.1f%%)\n", s.LargestComponent, 100*float64(s.LargestComponent)/float64(max(s.N, 1)))
	return tw.Flush()
}

// writeGraphInput says what reading the graph's files found: which files
// (by SHA-256), what was skipped, dropped and ignored.
func writeGraphInput(tw io.Writer, in *graph.ReadStats) {
	fmt.Fprintf(tw, "edge list\t%s, %d edge lines, sha256 %s\n", in.Path, in.EdgesRead, in.SHA256)
	if in.NodesPath != "" {
		fmt.Fprintf(tw, "node list\t%s, sha256 %s\n", in.NodesPath, in.NodesSHA256)
	}
	if in.NodesHeader != "" {
		fmt.Fprintf(tw, "node list header\t%q, skipped\n", in.NodesHeader)
	}
	if in.Header != "" {
		fmt.Fprintf(tw, "header\t%q, skipped\n", in.Header)
	}
	if in.OtherRelations > 0 {
		fmt.Fprintf(tw, "other relations\t%d lines skipped\n", in.OtherRelations)
	}
	fmt.Fprintf(tw, "dropped\t%d self-loops, %d duplicate ties\n", in.SelfLoops, in.Duplicates)
	if in.IgnoredColumns > 0 {
		fmt.Fprintf(tw, "ignored\tcolumns after the ids on %d lines (weights are not used: every tie counts the same)\n", in.IgnoredColumns)
	}
	if in.Direction != graph.DirectionBoth {
		fmt.Fprintf(tw, "direction\t%s\n", in.Direction)
	}
}

// isDir reports whether path names an existing folder.
func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}
