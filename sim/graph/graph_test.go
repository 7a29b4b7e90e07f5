package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// checkInvariants asserts what every stored graph promises: offsets
// monotone from 0 to len(adj), rows strictly increasing (sorted, no
// duplicates), no self-loops, ids in range, symmetry, and degrees summing
// to 2M.
func checkInvariants(t *testing.T, g *Graph) {
	t.Helper()
	n := g.N()
	off, adj := g.Offsets(), g.Adjacency()
	if len(off) != n+1 || off[0] != 0 || int(off[n]) != len(adj) {
		t.Fatalf("offsets: len %d (n %d), first %d, last %d, adjacency %d", len(off), n, off[0], off[n], len(adj))
	}
	var sum int64
	for i := range n {
		if off[i+1] < off[i] {
			t.Fatalf("offsets decrease at %d", i)
		}
		row := g.Neighbors(i)
		sum += int64(len(row))
		if len(row) != g.Degree(i) {
			t.Fatalf("node %d: %d neighbours, degree %d", i, len(row), g.Degree(i))
		}
		for j, v := range row {
			if v < 0 || int(v) >= n {
				t.Fatalf("node %d: neighbour %d out of range", i, v)
			}
			if int(v) == i {
				t.Fatalf("node %d: self-loop", i)
			}
			if j > 0 && row[j-1] >= v {
				t.Fatalf("node %d: row not strictly increasing: %v", i, row)
			}
			if _, ok := slices.BinarySearch(g.Neighbors(int(v)), int32(i)); !ok {
				t.Fatalf("edge %d-%d is not symmetric", i, v)
			}
		}
	}
	if sum != 2*g.M() {
		t.Fatalf("degrees sum to %d, want 2M = %d", sum, 2*g.M())
	}
	if g.Labels() != nil && len(g.Labels()) != n {
		t.Fatalf("%d labels for %d nodes", len(g.Labels()), n)
	}
}

func sameGraph(a, b *Graph) bool {
	return a.N() == b.N() && a.IsComplete() == b.IsComplete() &&
		slices.Equal(a.Offsets(), b.Offsets()) && slices.Equal(a.Adjacency(), b.Adjacency()) &&
		slices.Equal(a.Labels(), b.Labels())
}

// randomEdgeText is a messy edge list drawn from seed: word and number
// ids, both directions, repeats, self-loops, comments, commas and extra
// columns.
func randomEdgeText(seed uint64) string {
	rng := newRand(seed)
	var b strings.Builder
	b.WriteString("# a test network\n% konect style comment\n\n")
	id := func() string {
		k := rng.IntN(300)
		if k%3 == 0 {
			return fmt.Sprintf("user%d", k)
		}
		return fmt.Sprint(k)
	}
	seps := []string{" ", "\t", ",", " , "}
	for range 1500 {
		u, v := id(), id()
		fmt.Fprintf(&b, "%s%s%s", u, seps[rng.IntN(len(seps))], v)
		if rng.IntN(4) == 0 {
			fmt.Fprintf(&b, " %d 1700000000", rng.IntN(9))
		}
		b.WriteString("\n")
	}
	return b.String()
}

type generator struct {
	name   string
	seeded bool // false: deterministic, the seed is not used
	make   func(seed uint64) (*Graph, error)
}

var generators = []generator{
	{"erdos_renyi", true, func(s uint64) (*Graph, error) { return ErdosRenyi(2000, 8, newRand(s)) }},
	{"erdos_renyi_sparse", true, func(s uint64) (*Graph, error) { return ErdosRenyi(2000, 0.7, newRand(s)) }},
	{"erdos_renyi_dense", true, func(s uint64) (*Graph, error) { return ErdosRenyi(60, 58.5, newRand(s)) }},
	{"watts_strogatz", true, func(s uint64) (*Graph, error) { return WattsStrogatz(2000, 6, 0.2, newRand(s)) }},
	{"watts_strogatz_dense", true, func(s uint64) (*Graph, error) { return WattsStrogatz(21, 18, 0.5, newRand(s)) }},
	{"ring", false, func(uint64) (*Graph, error) { return Ring(2000, 6) }},
	{"barabasi_albert", true, func(s uint64) (*Graph, error) { return BarabasiAlbert(2000, 3, newRand(s)) }},
	{"communities", true, func(s uint64) (*Graph, error) { return Communities(2000, 5, 8, 0.7, newRand(s)) }},
	{"communities_heterophily", true, func(s uint64) (*Graph, error) { return Communities(2000, 5, 8, 0.05, newRand(s)) }},
	{"power_law", true, func(s uint64) (*Graph, error) {
		g, _, err := PowerLaw(2000, 2.5, 2, newRand(s))
		return g, err
	}},
	{"configuration", true, func(s uint64) (*Graph, error) {
		degrees := make([]int, 2000)
		for i := range degrees {
			degrees[i] = 1 + i%7
		}
		degrees[0] += 1 // odd sum otherwise
		g, _, err := Configuration(degrees, newRand(s))
		return g, err
	}},
	{"reader", true, func(s uint64) (*Graph, error) {
		g, _, err := ReadEdgeListFrom(strings.NewReader(randomEdgeText(s)), "random.txt")
		return g, err
	}},
}

// TestGeneratorProperties runs every generator and the reader: the result
// is a valid simple graph, the same seed gives the identical graph and a
// different seed a different one.
func TestGeneratorProperties(t *testing.T) {
	for _, gen := range generators {
		t.Run(gen.name, func(t *testing.T) {
			g, err := gen.make(1)
			if err != nil {
				t.Fatal(err)
			}
			if g.M() == 0 {
				t.Fatal("no edges")
			}
			checkInvariants(t, g)
			again, err := gen.make(1)
			if err != nil {
				t.Fatal(err)
			}
			if !sameGraph(g, again) {
				t.Error("same seed gave a different graph")
			}
			if !gen.seeded {
				return
			}
			other, err := gen.make(2)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, other)
			if sameGraph(g, other) {
				t.Error("different seeds gave the same graph")
			}
		})
	}
}

func TestFromEdges(t *testing.T) {
	g, er, err := FromEdges(5, [][2]int{{0, 1}, {1, 0}, {2, 2}, {3, 1}, {0, 1}, {4, 3}})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, g)
	if g.M() != 3 || er.SelfLoops != 1 || er.MultiEdges != 2 {
		t.Errorf("M = %d, erased %+v; want 3 edges, 1 self-loop, 2 multi-edges", g.M(), er)
	}
	if got := g.Neighbors(1); !slices.Equal(got, []int32{0, 3}) {
		t.Errorf("Neighbors(1) = %v, want [0 3]", got)
	}
	if !g.HasEdge(3, 4) || g.HasEdge(0, 2) || g.HasEdge(2, 2) || g.HasEdge(-1, 0) {
		t.Error("HasEdge wrong")
	}
	for _, bad := range [][][2]int{{{0, 5}}, {{-1, 0}}} {
		if _, _, err := FromEdges(5, bad); err == nil || !strings.HasPrefix(err.Error(), "graph: ") {
			t.Errorf("FromEdges(5, %v): error %v, want one starting graph:", bad, err)
		}
	}
}

func TestAccessors(t *testing.T) {
	g, _, err := FromEdges(4, [][2]int{{0, 1}, {0, 2}, {0, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if g.MeanDegree() != 1.5 || g.MaxDegree() != 3 || g.Label(2) != "2" || g.Labels() != nil || g.IsComplete() {
		t.Errorf("mean %g, max %d, label %q, labels %v", g.MeanDegree(), g.MaxDegree(), g.Label(2), g.Labels())
	}
	if b := g.MemoryBytes(); b < 4*(5+6) || b > 1024 {
		t.Errorf("MemoryBytes = %d", b)
	}
	if allocs := testing.AllocsPerRun(100, func() { _ = g.Neighbors(0) }); allocs != 0 {
		t.Errorf("Neighbors allocates %g times", allocs)
	}
	// Appending to a returned row must not overwrite the next row.
	row := g.Neighbors(1)
	_ = append(row, 99)
	if g.Neighbors(2)[0] != 0 {
		t.Error("append to a row overwrote the adjacency")
	}
}

func TestComplete(t *testing.T) {
	for _, n := range []int{0, 1, 2, 1_000_000} {
		g := Complete(n)
		wantM := int64(n) * int64(n-1) / 2
		if !g.IsComplete() || g.N() != n || g.M() != wantM || g.Neighbors(0) != nil || g.Offsets() != nil || g.Adjacency() != nil {
			t.Errorf("Complete(%d): N %d, M %d (want %d)", n, g.N(), g.M(), wantM)
		}
		if n > 0 && (g.Degree(0) != n-1 || g.MaxDegree() != n-1 || g.MeanDegree() != float64(n-1)) {
			t.Errorf("Complete(%d): degree %d, max %d, mean %g", n, g.Degree(0), g.MaxDegree(), g.MeanDegree())
		}
		if g.MemoryBytes() > 1024 {
			t.Errorf("Complete(%d) holds %d bytes", n, g.MemoryBytes())
		}
	}
	if Complete(-3).N() != 0 {
		t.Error("Complete(-3) is not empty")
	}
	if !Complete(5).HasEdge(1, 3) || Complete(5).HasEdge(2, 2) {
		t.Error("Complete HasEdge wrong")
	}
}

// TestInt32Limit: graphs beyond int32 edge ends are refused up front,
// before anything large is allocated.
func TestInt32Limit(t *testing.T) {
	rng := newRand(1)
	checks := []struct {
		name string
		err  func() error
	}{
		{"erdos_renyi", func() error { _, err := ErdosRenyi(1<<30, 10, rng); return err }},
		{"watts_strogatz", func() error { _, err := WattsStrogatz(1<<30, 10, 0.1, rng); return err }},
		{"barabasi_albert", func() error { _, err := BarabasiAlbert(1<<30, 5, rng); return err }},
		{"communities", func() error { _, err := Communities(1<<30, 10, 10, 0.5, rng); return err }},
		{"power_law", func() error { _, _, err := PowerLaw(1<<30, 2.5, 4, rng); return err }},
		{"configuration", func() error { _, _, err := Configuration([]int{1 << 30, 1 << 30, 2}, rng); return err }},
		{"spec", func() error { return Spec{Kind: KindErdosRenyi, MeanDegree: 10}.Validate(1 << 30) }},
	}
	for _, c := range checks {
		err := c.err()
		if err == nil || !strings.Contains(err.Error(), "int32") {
			t.Errorf("%s: error %v, want one about int32 offsets", c.name, err)
		}
	}
}

// TestGeneratorErrors: bad parameters are errors, never panics.
func TestGeneratorErrors(t *testing.T) {
	rng := newRand(1)
	checks := []struct {
		name string
		err  func() error
	}{
		{"er negative n", func() error { _, err := ErdosRenyi(-1, 1, rng); return err }},
		{"er NaN", func() error { _, err := ErdosRenyi(10, math.NaN(), rng); return err }},
		{"er too dense", func() error { _, err := ErdosRenyi(10, 10, rng); return err }},
		{"ws odd k", func() error { _, err := WattsStrogatz(10, 3, 0.1, rng); return err }},
		{"ws k = n", func() error { _, err := WattsStrogatz(10, 10, 0.1, rng); return err }},
		{"ws beta", func() error { _, err := WattsStrogatz(10, 4, 1.5, rng); return err }},
		{"ws nil rng", func() error { _, err := WattsStrogatz(10, 4, 0.5, nil); return err }},
		{"ba m = 0", func() error { _, err := BarabasiAlbert(10, 0, rng); return err }},
		{"ba n <= m", func() error { _, err := BarabasiAlbert(5, 5, rng); return err }},
		{"sbm c = 0", func() error { _, err := Communities(10, 0, 2, 0.5, rng); return err }},
		{"sbm homophily", func() error { _, err := Communities(10, 2, 2, -0.1, rng); return err }},
		{"sbm infeasible", func() error { _, err := Communities(100, 50, 10, 1, rng); return err }},
		{"power law exponent", func() error { _, _, err := PowerLaw(100, 2, 1, rng); return err }},
		{"power law min degree", func() error { _, _, err := PowerLaw(100, 2.5, 100, rng); return err }},
		{"configuration odd", func() error { _, _, err := Configuration([]int{1, 2}, rng); return err }},
		{"configuration negative", func() error { _, _, err := Configuration([]int{-1, 1}, rng); return err }},
	}
	for _, c := range checks {
		err := c.err()
		if err == nil || !strings.HasPrefix(err.Error(), "graph: ") {
			t.Errorf("%s: error %v, want one starting graph:", c.name, err)
		}
	}
}

// TestConcurrentReads: a built graph is read from many goroutines at once
// (run with -race to check).
func TestConcurrentReads(t *testing.T) {
	g, err := BarabasiAlbert(5000, 3, newRand(1))
	if err != nil {
		t.Fatal(err)
	}
	want := Compute(g, 0, nil)
	done := make(chan Stats)
	for w := range 4 {
		go func() {
			var sum int64
			for i := range g.N() {
				for _, v := range g.Neighbors((i + w*997) % g.N()) {
					sum += int64(v)
				}
			}
			_ = sum
			done <- Compute(g, 0, nil)
		}()
	}
	for range 4 {
		if got := <-done; got.Clustering != want.Clustering || got.Components != want.Components {
			t.Error("concurrent reads disagree")
		}
	}
}
