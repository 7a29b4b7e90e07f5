package graph_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/pushpull/pushpull/sim/graph"
)

func ExampleErdosRenyi() {
	g, err := graph.ErdosRenyi(10_000, 8, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.N(), g.M())
	fmt.Printf("mean degree %.3f\n", g.MeanDegree())
	// Output:
	// 10000 39890
	// mean degree 7.978
}

func ExampleBarabasiAlbert() {
	g, _ := graph.BarabasiAlbert(100_000, 5, rand.New(rand.NewPCG(1, 2)))
	s := graph.Compute(g, 1000, rand.New(rand.NewPCG(3, 4)))
	fmt.Println(s.N, s.M, s.MinDegree, s.Components)
	// Output:
	// 100000 499985 5 1
}

func ExampleComplete() {
	g := graph.Complete(1_000_000)
	fmt.Println(g.IsComplete(), g.N(), g.M(), g.Degree(0), g.Neighbors(0) == nil)
	// Output:
	// true 1000000 499999500000 999999 true
}

func ExampleCompute() {
	g, _ := graph.Ring(1000, 4)
	s := graph.Compute(g, 0, nil)
	fmt.Printf("n %d, m %d, degrees %d-%d, clustering %.3f (%s), %d component\n",
		s.N, s.M, s.MinDegree, s.MaxDegree, s.Clustering, s.ClusteringNote(), s.Components)
	// Output:
	// n 1000, m 2000, degrees 4-4, clustering 0.500 (exact over all 1000 nodes), 1 component
}

// The engine's hot loop reads the raw rows; a complete graph has none and
// is handled mean-field.
func ExampleGraph_Neighbors() {
	g, _, _ := graph.FromEdges(4, [][2]int{{0, 1}, {0, 2}, {2, 3}})
	for i := range g.N() {
		fmt.Println(i, g.Neighbors(i))
	}
	off, adj := g.Offsets(), g.Adjacency()
	fmt.Println(off, adj)
	// Output:
	// 0 [1 2]
	// 1 [0]
	// 2 [0 3]
	// 3 [2]
	// [0 2 3 5 6] [1 2 0 0 3 2]
}
