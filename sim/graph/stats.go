package graph

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// A DegreeBin counts the nodes whose degree lies in [Min, Max]. Bins are
// powers of two: {0}, {1}, [2,3], [4,7], [8,15], ...
type DegreeBin struct {
	Min   int `json:"min"`
	Max   int `json:"max"`
	Count int `json:"count"`
}

// Stats summarize a graph for manifests and the command line.
type Stats struct {
	N          int     `json:"n"`
	M          int64   `json:"m"`
	MeanDegree float64 `json:"mean_degree"`
	MinDegree  int     `json:"min_degree"`
	MaxDegree  int     `json:"max_degree"`
	// DegreeHistogram lists the non-empty power-of-two bins in order.
	DegreeHistogram []DegreeBin `json:"degree_histogram"`
	// Clustering is the mean local clustering coefficient (Watts &
	// Strogatz 1998), nodes of degree below 2 counting as 0, averaged over
	// ClusteringSample nodes: all of them when ClusteringExact.
	Clustering       float64 `json:"clustering"`
	ClusteringSample int     `json:"clustering_sample"`
	ClusteringExact  bool    `json:"clustering_exact"`
	Components       int     `json:"components"`
	LargestComponent int     `json:"largest_component"`
	// Complete marks the fully mixed marker, whose stats are closed forms.
	Complete bool `json:"complete,omitempty"`
	// Directed marks a graph whose ties carry word one way: M counts
	// them one way, degrees are out-degrees (the ties a node's word
	// travels along), and clustering and components are those of the
	// graph with every tie taken both ways.
	Directed bool `json:"directed,omitempty"`
	// Input is what reading the graph's files found (their SHA-256, what
	// was dropped or ignored); nil for a generated graph.
	Input *ReadStats `json:"input,omitempty"`
}

// ClusteringNote says how Clustering was obtained, for display.
func (s Stats) ClusteringNote() string {
	switch {
	case s.Complete:
		return "closed form, fully mixed"
	case s.ClusteringExact:
		return fmt.Sprintf("exact over all %d nodes", s.N)
	}
	return fmt.Sprintf("sampled over %d of %d nodes", s.ClusteringSample, s.N)
}

func degreeBin(d int) int { return bits.Len(uint(d)) }

func binBounds(b int) (lo, hi int) {
	if b == 0 {
		return 0, 0
	}
	return 1 << (b - 1), 1<<b - 1
}

// Compute summarizes g. Mean local clustering is exact when sample <= 0 or
// sample >= N (or rng is nil), and otherwise averaged over sample distinct
// nodes drawn with rng. A complete graph gets closed forms
// without touching edges. Time is linear in the edges plus, for
// clustering, about the sum over the nodes averaged of their neighbours'
// degrees.
func Compute(g *Graph, sample int, rng *rand.Rand) Stats {
	n := g.N()
	s := Stats{N: n, M: g.M(), MeanDegree: g.MeanDegree(), Directed: g.directed, Input: g.input}
	if g.complete {
		s.Complete = true
		if n == 0 {
			s.ClusteringExact = true
			return s
		}
		s.MinDegree, s.MaxDegree = n-1, n-1
		lo, hi := binBounds(degreeBin(n - 1))
		s.DegreeHistogram = []DegreeBin{{Min: lo, Max: hi, Count: n}}
		if n >= 3 {
			s.Clustering = 1
		}
		s.ClusteringSample, s.ClusteringExact = n, true
		s.Components, s.LargestComponent = 1, n
		return s
	}
	var counts [64]int
	if n > 0 {
		s.MinDegree = g.Degree(0)
	}
	for i := range n {
		d := g.Degree(i)
		s.MinDegree = min(s.MinDegree, d)
		s.MaxDegree = max(s.MaxDegree, d)
		counts[degreeBin(d)]++
	}
	s.DegreeHistogram = []DegreeBin{}
	for b, c := range counts {
		if c > 0 {
			lo, hi := binBounds(b)
			s.DegreeHistogram = append(s.DegreeHistogram, DegreeBin{Min: lo, Max: hi, Count: c})
		}
	}
	sym := g.symmetrized()
	s.Clustering, s.ClusteringSample, s.ClusteringExact = meanClustering(sym, sample, rng)
	s.Components, s.LargestComponent = components(sym)
	return s
}

func meanClustering(g *Graph, sample int, rng *rand.Rand) (mean float64, nodes int, exact bool) {
	n := g.N()
	if n == 0 {
		return 0, 0, true
	}
	mark := make([]int32, n)
	var sum float64
	if sample <= 0 || sample >= n || rng == nil {
		for i := range n {
			sum += localClustering(g, i, mark)
		}
		return sum / float64(n), n, true
	}
	// Floyd's algorithm: sample distinct nodes in O(sample) memory.
	chosen := make(map[int]bool, sample)
	for j := n - sample; j < n; j++ {
		t := rng.IntN(j + 1)
		if chosen[t] {
			t = j
		}
		chosen[t] = true
	}
	picked := make([]int, 0, sample)
	for i := range chosen {
		picked = append(picked, i)
	}
	slices.Sort(picked) // map order is random; sums must not be
	for _, i := range picked {
		sum += localClustering(g, i, mark)
	}
	return sum / float64(sample), sample, false
}

// localClustering is the share of pairs of i's neighbours that are tied.
// mark is scratch of length N whose entries must never equal i+1 on entry.
func localClustering(g *Graph, i int, mark []int32) float64 {
	nb := g.Neighbors(i)
	d := len(nb)
	if d < 2 {
		return 0
	}
	stamp := int32(i + 1)
	for _, a := range nb {
		mark[a] = stamp
	}
	var ordered int64 // ordered pairs (a, b) of tied neighbours
	for _, a := range nb {
		na := g.Neighbors(int(a))
		if len(na) > 8*d {
			for _, b := range nb {
				if _, ok := slices.BinarySearch(na, b); ok {
					ordered++
				}
			}
			continue
		}
		for _, b := range na {
			if mark[b] == stamp {
				ordered++
			}
		}
	}
	return float64(ordered) / (float64(d) * float64(d-1))
}

// components counts connected components and the largest one's size by
// breadth-first search.
func components(g *Graph) (count, largest int) {
	n := g.N()
	seen := make([]bool, n)
	queue := make([]int32, 0, 1024)
	for s := range n {
		if seen[s] {
			continue
		}
		count++
		seen[s] = true
		queue = append(queue[:0], int32(s))
		for h := 0; h < len(queue); h++ {
			for _, v := range g.Neighbors(int(queue[h])) {
				if !seen[v] {
					seen[v] = true
					queue = append(queue, v)
				}
			}
		}
		largest = max(largest, len(queue))
	}
	return count, largest
}
