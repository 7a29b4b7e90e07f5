package graph

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

func toGonum(g *Graph) *simple.UndirectedGraph {
	h := simple.NewUndirectedGraph()
	for i := range g.N() {
		h.AddNode(simple.Node(i))
	}
	for u := range g.N() {
		for _, v := range g.Neighbors(u) {
			if int(v) > u {
				h.SetEdge(simple.Edge{F: simple.Node(u), T: simple.Node(v)})
			}
		}
	}
	return h
}

// smallGraphs are varied small graphs for cross-checks: sparse random
// graphs with many components, and the other generators.
func smallGraphs(t *testing.T) map[string]*Graph {
	t.Helper()
	out := map[string]*Graph{}
	add := func(name string, g *Graph, err error) {
		if err != nil {
			t.Fatal(err)
		}
		out[name] = g
	}
	for i, d := range []float64{0.3, 0.8, 1.0, 1.5, 3} {
		g, err := ErdosRenyi(300, d, newRand(uint64(i)))
		add("erdos_renyi "+strings.Repeat("i", i+1), g, err)
	}
	g, err := WattsStrogatz(80, 4, 0.2, newRand(1))
	add("watts_strogatz", g, err)
	g, err = BarabasiAlbert(120, 2, newRand(1))
	add("barabasi_albert", g, err)
	g, err = Communities(150, 5, 4, 0.9, newRand(1))
	add("communities", g, err)
	g, _, err = PowerLaw(200, 2.3, 1, newRand(1))
	add("power_law", g, err)
	g, _, err = FromEdges(7, nil)
	add("edgeless", g, err)
	return out
}

// TestComponentsAgainstGonum: component count and largest component size
// agree with gonum's topo.ConnectedComponents on the same edges.
func TestComponentsAgainstGonum(t *testing.T) {
	for name, g := range smallGraphs(t) {
		cc := topo.ConnectedComponents(toGonum(g))
		largest := 0
		for _, c := range cc {
			largest = max(largest, len(c))
		}
		s := Compute(g, 0, nil)
		if s.Components != len(cc) || s.LargestComponent != largest {
			t.Errorf("%s: %d components, largest %d; gonum %d, largest %d", name, s.Components, s.LargestComponent, len(cc), largest)
		}
	}
}

// directClustering computes mean local clustering from an adjacency
// matrix, pair by pair.
func directClustering(g *Graph) float64 {
	n := g.N()
	adj := make([][]bool, n)
	for i := range adj {
		adj[i] = make([]bool, n)
		for _, v := range g.Neighbors(i) {
			adj[i][v] = true
		}
	}
	var sum float64
	for i := range n {
		var nb []int
		for j := range n {
			if adj[i][j] {
				nb = append(nb, j)
			}
		}
		if len(nb) < 2 {
			continue
		}
		links := 0
		for a := range nb {
			for b := a + 1; b < len(nb); b++ {
				if adj[nb[a]][nb[b]] {
					links++
				}
			}
		}
		sum += float64(links) / float64(len(nb)*(len(nb)-1)/2)
	}
	return sum / float64(n)
}

func TestClusteringAgainstDirect(t *testing.T) {
	graphs := smallGraphs(t)
	dense, err := ErdosRenyi(60, 20, newRand(3))
	if err != nil {
		t.Fatal(err)
	}
	graphs["dense"] = dense
	// A hub with many more neighbours than its leaves takes the binary
	// search path.
	star := [][2]int{{1, 2}, {2, 3}}
	for i := 1; i < 40; i++ {
		star = append(star, [2]int{0, i})
	}
	graphs["star"], _, _ = FromEdges(40, star)
	for name, g := range graphs {
		got, want := Compute(g, 0, nil).Clustering, directClustering(g)
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: clustering %.15f, direct %.15f", name, got, want)
		}
	}
}

func TestComputeBasics(t *testing.T) {
	// A triangle, a pendant and an isolated node.
	g, _, err := FromEdges(5, [][2]int{{0, 1}, {1, 2}, {2, 0}, {2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	s := Compute(g, 0, nil)
	want := Stats{N: 5, M: 4, MeanDegree: 1.6, MinDegree: 0, MaxDegree: 3,
		DegreeHistogram:  []DegreeBin{{0, 0, 1}, {1, 1, 1}, {2, 3, 3}},
		Clustering:       (1 + 1 + 1.0/3) / 5,
		ClusteringSample: 5, ClusteringExact: true, Components: 2, LargestComponent: 4}
	got, _ := json.Marshal(s)
	exp, _ := json.Marshal(want)
	if string(got) != string(exp) {
		t.Errorf("Compute:\n got %s\nwant %s", got, exp)
	}
	for _, key := range []string{`"n"`, `"m"`, `"mean_degree"`, `"min_degree"`, `"max_degree"`, `"degree_histogram"`, `"clustering"`, `"clustering_sample"`, `"components"`, `"largest_component"`} {
		if !strings.Contains(string(got), key) {
			t.Errorf("JSON lacks %s: %s", key, got)
		}
	}
	if note := s.ClusteringNote(); note != "exact over all 5 nodes" {
		t.Errorf("note %q", note)
	}
}

func TestComputeSampled(t *testing.T) {
	g, err := WattsStrogatz(20_000, 8, 0.1, newRand(1))
	if err != nil {
		t.Fatal(err)
	}
	exact := Compute(g, 0, nil)
	s := Compute(g, 2000, newRand(2))
	if s.ClusteringExact || s.ClusteringSample != 2000 || s.ClusteringNote() != "sampled over 2000 of 20000 nodes" {
		t.Errorf("sampled stats: exact %v, sample %d, note %q", s.ClusteringExact, s.ClusteringSample, s.ClusteringNote())
	}
	// Local clustering has a standard deviation below 0.2 here, so the
	// sample mean is within 0.02 of the exact one (about 4.5 standard errors).
	if math.Abs(s.Clustering-exact.Clustering) > 0.02 {
		t.Errorf("sampled clustering %.4f, exact %.4f", s.Clustering, exact.Clustering)
	}
	if again := Compute(g, 2000, newRand(2)); again.Clustering != s.Clustering {
		t.Error("same seed, different sample")
	}
	if big := Compute(g, 50_000, newRand(2)); !big.ClusteringExact || big.Clustering != exact.Clustering {
		t.Error("a sample larger than n is not exact")
	}
}

func TestComputeComplete(t *testing.T) {
	s := Compute(Complete(1_000_000), 100, newRand(1))
	if !s.Complete || s.N != 1_000_000 || s.M != 499_999_500_000 || s.MinDegree != 999_999 || s.MaxDegree != 999_999 ||
		s.Clustering != 1 || s.Components != 1 || s.LargestComponent != 1_000_000 || s.MeanDegree != 999_999 {
		t.Errorf("complete stats %+v", s)
	}
	if len(s.DegreeHistogram) != 1 || s.DegreeHistogram[0].Count != 1_000_000 || s.DegreeHistogram[0].Min > 999_999 || s.DegreeHistogram[0].Max < 999_999 {
		t.Errorf("complete histogram %+v", s.DegreeHistogram)
	}
	if s := Compute(Complete(0), 10, nil); s.N != 0 || s.Components != 0 {
		t.Errorf("empty complete stats %+v", s)
	}
	if s := Compute(Complete(2), 10, nil); s.Clustering != 0 || s.Components != 1 {
		t.Errorf("complete pair stats %+v", s)
	}
}

func TestDegreeHistogram(t *testing.T) {
	g, _, err := PowerLaw(5000, 2.2, 1, newRand(4))
	if err != nil {
		t.Fatal(err)
	}
	s := Compute(g, 100, newRand(1))
	total := 0
	for i, b := range s.DegreeHistogram {
		total += b.Count
		if b.Count == 0 || b.Min > b.Max || (i > 0 && b.Min <= s.DegreeHistogram[i-1].Max) {
			t.Errorf("bad bin %+v", b)
		}
	}
	if total != g.N() {
		t.Errorf("histogram counts %d nodes of %d", total, g.N())
	}
	last := s.DegreeHistogram[len(s.DegreeHistogram)-1]
	if s.MaxDegree < last.Min || s.MaxDegree > last.Max {
		t.Errorf("max degree %d outside the last bin %+v", s.MaxDegree, last)
	}
}
