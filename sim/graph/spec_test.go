package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSpecValidate(t *testing.T) {
	cases := []struct {
		spec Spec
		n    int
		want []string // substrings, each problem reported
	}{
		{Spec{Kind: "complete"}, 10, nil},
		{Spec{Kind: "erdos_renyi", MeanDegree: 10}, 1000, nil},
		{Spec{Kind: "watts_strogatz", K: 10, Beta: 0.1}, 1000, nil},
		{Spec{Kind: "ring", K: 4}, 5, nil},
		{Spec{Kind: "barabasi_albert", M: 5}, 6, nil},
		{Spec{Kind: "communities", Communities: 10, MeanDegree: 10, Homophily: 0.8}, 1000, nil},
		{Spec{Kind: "communities", Communities: 10, MeanDegree: 10}, 1000, nil}, // homophily 0: all ties between
		{Spec{Kind: "power_law", Exponent: 2.5, MinDegree: 2}, 1000, nil},
		{Spec{Kind: "edge_list", Path: "net.txt"}, 1000, nil},

		{Spec{Kind: ""}, 10, []string{`graph.kind must be one of complete, erdos_renyi, watts_strogatz, ring, barabasi_albert, communities, power_law, edge_list: ""`}},
		{Spec{Kind: "small_world"}, 10, []string{`graph.kind must be one of`, `"small_world"`}},
		{Spec{Kind: "complete"}, 0, []string{"customers must be between 1 and 2147483646 for a social graph: 0"}},
		{Spec{Kind: "complete", K: 4, Path: "x"}, 10, []string{`graph.k does not apply to graph.kind = "complete" (it is read by watts_strogatz, ring)`, `graph.path does not apply`}},
		{Spec{Kind: "erdos_renyi", MeanDegree: -1}, 100, []string{"graph.mean_degree must be between 0 and customers-1 (99): -1"}},
		{Spec{Kind: "erdos_renyi", MeanDegree: math.NaN()}, 100, []string{"graph.mean_degree must be between 0 and customers-1 (99): NaN"}},
		{Spec{Kind: "erdos_renyi", MeanDegree: 100}, 100, []string{"graph.mean_degree must be between"}},
		{Spec{Kind: "watts_strogatz", K: 3, Beta: 2}, 100, []string{"graph.k must be an even number from 2 to customers-1 (99): 3", "graph.beta must be between 0 and 1: 2"}},
		{Spec{Kind: "watts_strogatz", K: 100}, 100, []string{"graph.k must be an even number"}},
		{Spec{Kind: "ring", K: 4, Beta: 0.1}, 100, []string{`graph.beta does not apply to graph.kind = "ring"`}},
		{Spec{Kind: "barabasi_albert"}, 100, []string{"graph.m must be from 1 to customers-1 (99): 0"}},
		{Spec{Kind: "barabasi_albert", M: 5, MeanDegree: 10}, 100, []string{`graph.mean_degree does not apply to graph.kind = "barabasi_albert" (it is read by erdos_renyi, communities)`}},
		{Spec{Kind: "communities", Communities: 1, MeanDegree: 4, Homophily: 1.5}, 100, []string{"graph.communities must be from 2 to customers (100): 1", "graph.homophily must be between 0 and 1: 1.5"}},
		{Spec{Kind: "communities", Communities: 50, MeanDegree: 10, Homophily: 1}, 100, []string{"graph.homophily 1 at graph.mean_degree 10 asks for more ties inside each community (about 2 customers) than it has pairs"}},
		{Spec{Kind: "power_law", Exponent: 2, MinDegree: 0}, 100, []string{"graph.exponent must be greater than 2", "graph.min_degree must be from 1 to customers-1 (99): 0"}},
		{Spec{Kind: "power_law", Exponent: math.Inf(1), MinDegree: 1}, 100, []string{"graph.exponent must be greater than 2"}},
		{Spec{Kind: "edge_list", Path: "  "}, 100, []string{`graph.path must name an edge-list file for graph.kind = "edge_list"`}},
		{Spec{Kind: "barabasi_albert", M: 5}, 500_000_000, []string{"barabasi_albert(m=5) on 500000000 customers would have about 2.5e+09 edges; a stored graph holds at most 1073741823 (int32 offsets)"}},
	}
	for _, c := range cases {
		t.Run(c.spec.String(), func(t *testing.T) {
			err := c.spec.Validate(c.n)
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
			if lines := strings.Count(err.Error(), "\n") + 1; lines != len(c.want) && !strings.Contains(c.want[0], "must be one of") {
				t.Errorf("%d problems reported, want %d: %v", lines, len(c.want), err)
			}
		})
	}
}

func TestSpecBuild(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "net.txt")
	if err := os.WriteFile(path, []byte("# nodes: 50\n0 1\n1 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	specs := []Spec{
		{Kind: KindComplete},
		{Kind: KindErdosRenyi, MeanDegree: 6},
		{Kind: KindWattsStrogatz, K: 6, Beta: 0.1},
		{Kind: KindRing, K: 6},
		{Kind: KindBarabasiAlbert, M: 3},
		{Kind: KindCommunities, Communities: 5, MeanDegree: 6, Homophily: 0.8},
		{Kind: KindPowerLaw, Exponent: 2.5, MinDegree: 2},
		{Kind: KindEdgeList, Path: path},
	}
	built := map[string]bool{}
	for _, s := range specs {
		g, err := s.Build(50, newRand(1))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		built[s.Kind] = true
		if g.N() != 50 {
			t.Errorf("%s: %d nodes", s, g.N())
		}
		if g.IsComplete() != (s.Kind == KindComplete) {
			t.Errorf("%s: IsComplete %v", s, g.IsComplete())
		}
		if !g.IsComplete() {
			checkInvariants(t, g)
		}
		again, _ := s.Build(50, newRand(1))
		if !sameGraph(g, again) {
			t.Errorf("%s: same seed, different graph", s)
		}
	}
	for _, k := range Kinds {
		if !built[k] {
			t.Errorf("kind %s not built", k)
		}
	}
	if _, err := (Spec{Kind: KindErdosRenyi, MeanDegree: 80}).Build(50, newRand(1)); err == nil || !strings.Contains(err.Error(), "graph.mean_degree") {
		t.Errorf("invalid spec built: %v", err)
	}
	if _, err := (Spec{Kind: KindEdgeList, Path: filepath.Join(dir, "none.txt")}).Build(50, nil); err == nil || !strings.Contains(err.Error(), "none.txt") {
		t.Errorf("missing edge list: %v", err)
	}
}

func TestSpecString(t *testing.T) {
	for _, c := range []struct {
		spec Spec
		want string
	}{
		{Spec{Kind: KindComplete}, "complete"},
		{Spec{Kind: KindErdosRenyi, MeanDegree: 10}, "erdos_renyi(mean_degree=10)"},
		{Spec{Kind: KindWattsStrogatz, K: 10, Beta: 0.1}, "watts_strogatz(k=10, beta=0.1)"},
		{Spec{Kind: KindRing, K: 4}, "ring(k=4)"},
		{Spec{Kind: KindBarabasiAlbert, M: 5}, "barabasi_albert(m=5)"},
		{Spec{Kind: KindPowerLaw, Exponent: 2.5, MinDegree: 2}, "power_law(exponent=2.5, min_degree=2)"},
		{Spec{Kind: KindEdgeList, Path: "a b.txt"}, `edge_list(path="a b.txt")`},
		{Spec{Kind: KindEdgeList, Path: "e.txt", Nodes: "n.csv", Relations: []string{"advice", "friend"}, Direction: DirectionTargetToSource},
			`edge_list(path="e.txt", nodes="n.csv", relations=["advice" "friend"], direction=target_to_source)`},
		{Spec{Kind: KindEdgeList, Path: "e.txt", Direction: DirectionBoth}, `edge_list(path="e.txt")`},
		{Spec{Kind: KindCommunities, Communities: 4, MeanDegree: 8, Homophily: 0.9}, "communities(communities=4, mean_degree=8, homophily=0.9)"},
		{Spec{Kind: "what"}, `"what"`},
	} {
		if got := c.spec.String(); got != c.want {
			t.Errorf("String() = %s, want %s", got, c.want)
		}
	}
}

// TestSpecMemoryBytes: the estimate made before building covers what the
// built graph holds and is within the 2-3x that building transiently needs.
func TestSpecMemoryBytes(t *testing.T) {
	const n = 20_000
	path := filepath.Join(t.TempDir(), "net.txt.gz")
	g0, _ := ErdosRenyi(n, 8, newRand(1))
	var text strings.Builder
	if err := WriteEdgeList(&text, g0); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, gzipped(t, text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(t.TempDir(), "net.txt")
	if err := os.WriteFile(plain, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, s := range append(slices.Clone(benchSpecs), Spec{Kind: KindRing, K: 10}, Spec{Kind: KindEdgeList, Path: path}, Spec{Kind: KindEdgeList, Path: plain}) {
		g, err := s.Build(n, newRand(1))
		if err != nil {
			t.Fatal(err)
		}
		est, held := s.MemoryBytes(n), g.MemoryBytes()
		if est < held || est > 4*held {
			t.Errorf("%s: estimate %d bytes, graph holds %d", s, est, held)
		}
	}
	if b := (Spec{Kind: KindComplete}).MemoryBytes(50_000_000); b > 4096 {
		t.Errorf("complete graph estimate %d bytes", b)
	}
}

// TestSpecDocs: every kind and key is documented once, keys match the toml
// tags of Spec, and every doc cites a source.
func TestSpecDocs(t *testing.T) {
	if len(KindDocs) != len(Kinds) {
		t.Fatalf("%d kind docs for %d kinds", len(KindDocs), len(Kinds))
	}
	for i, d := range KindDocs {
		if d.Kind != Kinds[i] || d.Doc == "" || d.Source == "" {
			t.Errorf("kind doc %d: %+v", i, d)
		}
		for _, key := range d.Keys {
			if !slices.Contains(kindsReading(key), d.Kind) {
				t.Errorf("kind %s reads %s, whose doc does not list it", d.Kind, key)
			}
		}
	}
	var keyed []reflect.StructField // the fields a scenario file sets
	for f := range reflect.TypeFor[Spec]().Fields() {
		if f.Tag.Get("toml") != "-" {
			keyed = append(keyed, f)
		}
	}
	if len(SpecDocs) != len(keyed) {
		t.Fatalf("%d spec docs for %d fields", len(SpecDocs), len(keyed))
	}
	for i, d := range SpecDocs {
		tag, _, _ := strings.Cut(keyed[i].Tag.Get("toml"), ",")
		if d.Key != "graph."+tag || d.Doc == "" || d.Source == "" || len(d.Kinds) == 0 {
			t.Errorf("spec doc %d (%s, field %s): %+v", i, d.Key, keyed[i].Name, d)
		}
		for _, k := range d.Kinds {
			if k != KindComplete && d.Key != "graph.kind" && !slices.Contains(keysOf(k), d.Key) {
				t.Errorf("%s lists kind %s, which does not read it", d.Key, k)
			}
		}
	}
}

func ExampleSpec_Build() {
	spec := Spec{Kind: "watts_strogatz", K: 10, Beta: 0.1}
	g, err := spec.Build(1000, rand.New(rand.NewPCG(42, 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(spec, g.N(), g.M(), g.MeanDegree())
	fmt.Println(Spec{Kind: "watts_strogatz", K: 7}.Validate(1000))
	// Output:
	// watts_strogatz(k=10, beta=0.1) 1000 5000 10
	// graph.k must be an even number from 2 to customers-1 (999): 7
}
