package graph

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// MaxEdgeEnds is the most edge ends (twice the edges) a stored graph can
// hold: offsets are int32.
const MaxEdgeEnds = math.MaxInt32

// MaxNodes is the most nodes a stored graph can hold: node ids are int32.
const MaxNodes = math.MaxInt32 - 1

// A Graph is a simple graph, immutable once built and safe to read from
// many goroutines: undirected, or directed when read so from a file
// (Directed). A complete graph (fully mixed) stores no edges; see
// IsComplete.
type Graph struct {
	n        int
	complete bool
	// directed graphs store each tie once, in the row of the node whose
	// word travels along it; undirected ones store it in both rows.
	directed bool
	offsets  []int32 // len n+1; row i is adj[offsets[i]:offsets[i+1]]
	adj      []int32
	labels   []string   // node labels read from a file, or nil
	ids      []int64    // numeric node ids read from a file, or nil
	input    *ReadStats // what reading the file found, or nil
}

// Erased counts what an erased configuration model or an edge list dropped
// to make the graph simple.
type Erased struct {
	SelfLoops  int64 `json:"self_loops"`
	MultiEdges int64 `json:"multi_edges"`
}

// Complete returns the complete graph on n nodes as a marker: no edges are
// stored, so a fully mixed market of millions of customers costs nothing
// here. N, M, Degree, MeanDegree and MaxDegree report the complete graph,
// but Neighbors, Offsets and Adjacency return nil: the engine must check
// IsComplete and treat the market as mean-field. A negative n is taken as 0.
func Complete(n int) *Graph {
	return &Graph{n: max(n, 0), complete: true}
}

// IsComplete reports whether g is the fully mixed marker made by Complete,
// whose neighbour lists are not stored.
func (g *Graph) IsComplete() bool { return g.complete }

// N is the number of nodes.
func (g *Graph) N() int { return g.n }

// M is the number of edges: of ties one way for a directed graph.
func (g *Graph) M() int64 {
	if g.complete {
		return int64(g.n) * int64(g.n-1) / 2
	}
	if g.directed {
		return int64(len(g.adj))
	}
	return int64(len(g.adj) / 2)
}

// Directed reports whether each tie carries word one way only, from the
// node whose row holds it: a graph read with a direction.
func (g *Graph) Directed() bool { return g.directed }

// Input is what reading the graph's files found, nil for a generated graph.
func (g *Graph) Input() *ReadStats { return g.input }

// Degree is the number of neighbours of node i: of nodes its word reaches,
// for a directed graph.
func (g *Graph) Degree(i int) int {
	if g.complete {
		return g.n - 1
	}
	return int(g.offsets[i+1] - g.offsets[i])
}

// Neighbors returns the neighbours of node i in increasing order, without
// allocating. The slice is shared: read it, never write it. It is nil for a
// complete graph.
func (g *Graph) Neighbors(i int) []int32 {
	if g.complete {
		return nil
	}
	lo, hi := g.offsets[i], g.offsets[i+1]
	return g.adj[lo:hi:hi]
}

// Offsets returns the CSR row offsets (length N()+1), for hot loops that
// index Adjacency directly. Read-only by contract; nil for a complete graph.
func (g *Graph) Offsets() []int32 { return g.offsets }

// Adjacency returns the concatenated sorted neighbour lists (length 2M()).
// Read-only by contract; nil for a complete graph.
func (g *Graph) Adjacency() []int32 { return g.adj }

// HasEdge reports whether u and v are adjacent (whether u's word reaches v,
// for a directed graph), by binary search.
func (g *Graph) HasEdge(u, v int) bool {
	if u < 0 || v < 0 || u >= g.n || v >= g.n || u == v {
		return false
	}
	if g.complete {
		return true
	}
	if !g.directed && g.Degree(u) > g.Degree(v) {
		u, v = v, u
	}
	_, found := slices.BinarySearch(g.Neighbors(u), int32(v))
	return found
}

// MeanDegree is 2M/N (M/N, the mean out-degree, for a directed graph), 0
// for an empty graph.
func (g *Graph) MeanDegree() float64 {
	if g.n == 0 {
		return 0
	}
	if g.directed {
		return float64(g.M()) / float64(g.n)
	}
	return 2 * float64(g.M()) / float64(g.n)
}

// MaxDegree is the largest degree, 0 for an empty graph.
func (g *Graph) MaxDegree() int {
	if g.complete {
		return max(g.n-1, 0)
	}
	best := int32(0)
	for i := range g.n {
		best = max(best, g.offsets[i+1]-g.offsets[i])
	}
	return int(best)
}

// Labels returns the node labels of a graph read from an edge list whose ids
// were not already 0..n-1, in node order; nil otherwise. Numeric ids are
// formatted on each call, so keep the result rather than calling it in a
// loop.
func (g *Graph) Labels() []string {
	if g.labels != nil {
		return g.labels
	}
	if g.ids == nil {
		return nil
	}
	out := make([]string, len(g.ids))
	for i, id := range g.ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

// Label is node i's label: its id in the file it was read from, or its
// index in decimal.
func (g *Graph) Label(i int) string {
	switch {
	case g.labels != nil:
		return g.labels[i]
	case g.ids != nil:
		return strconv.FormatInt(g.ids[i], 10)
	}
	return strconv.Itoa(i)
}

func (g *Graph) hasLabels() bool { return g.labels != nil || g.ids != nil }

// MemoryBytes is what g holds in memory: offsets, adjacency and labels.
func (g *Graph) MemoryBytes() int64 {
	b := int64(96) + 4*int64(cap(g.offsets)) + 4*int64(cap(g.adj)) + 8*int64(cap(g.ids))
	for _, l := range g.labels {
		b += 16 + int64(len(l))
	}
	return b
}

// FromEdges builds a graph on n nodes from a list of edges, dropping
// self-loops and repeated edges (in either direction) and counting them.
func FromEdges(n int, edges [][2]int) (*Graph, Erased, error) {
	if n < 0 || n > MaxNodes {
		return nil, Erased{}, fmt.Errorf("graph: node count out of range: %d", n)
	}
	if 2*int64(len(edges)) > MaxEdgeEnds {
		return nil, Erased{}, fmt.Errorf("graph: too many edges for int32 offsets: %d", len(edges))
	}
	ends := make([]int32, 0, 2*len(edges))
	for _, e := range edges {
		if e[0] < 0 || e[0] >= n || e[1] < 0 || e[1] >= n {
			return nil, Erased{}, fmt.Errorf("graph: edge %d-%d has a node outside 0..%d", e[0], e[1], n-1)
		}
		ends = append(ends, int32(e[0]), int32(e[1]))
	}
	g, er, _, err := build(n, ends, false)
	return g, er, err
}

// symmetrized returns g with every tie both ways: g itself when undirected.
func (g *Graph) symmetrized() *Graph {
	if !g.directed {
		return g
	}
	sym, _, _, _ := buildChunks(g.n, [][]int32{g.arcs()}, false, false)
	return sym
}

// arcs lists a stored graph's ties as pairs (u, v), u's row holding v.
func (g *Graph) arcs() []int32 {
	ends := make([]int32, 0, 2*len(g.adj))
	for u := range g.n {
		for _, v := range g.Neighbors(u) {
			ends = append(ends, int32(u), v)
		}
	}
	return ends
}

// errTooManyEnds is returned when a graph would need more edge ends than
// int32 offsets can address.
var errTooManyEnds = errors.New("graph: too many edge ends for int32 offsets (at most 2147483647)")

// build makes the CSR graph from edge pairs (ends[2i], ends[2i+1]) by a
// counting sort: count degrees, fill rows, then sort and dedupe each row in
// place. Self-loops are skipped and duplicates removed; both are counted.
// With collect, it also returns each duplicated pair (u < v) once per extra
// copy, for generators that redraw them. ends is not modified.
func build(n int, ends []int32, collect bool) (*Graph, Erased, [][2]int32, error) {
	return buildChunks(n, [][]int32{ends}, collect, false)
}

// buildChunks is build over pairs stored in chunks of even length, which
// the reader grows without ever copying them. A directed graph keeps each
// pair (u, v) in u's row only, and counts an identical pair as a repeat.
func buildChunks(n int, chunks [][]int32, collect, directed bool) (*Graph, Erased, [][2]int32, error) {
	var er Erased
	// Counting into c[u+2] and filling through c[u+1] leaves c[i] = start
	// of row i, without a second cursor array.
	c := make([]int32, n+2)
	var total int64
	for _, ends := range chunks {
		for i := 0; i+1 < len(ends); i += 2 {
			u, v := ends[i], ends[i+1]
			if u == v {
				er.SelfLoops++
				continue
			}
			c[u+2]++
			total++
			if !directed {
				c[v+2]++
				total++
			}
		}
	}
	if total > MaxEdgeEnds {
		return nil, er, nil, fmt.Errorf("%w: %d", errTooManyEnds, total)
	}
	for i := 2; i < len(c); i++ {
		c[i] += c[i-1]
	}
	adj := make([]int32, total)
	for _, ends := range chunks {
		for i := 0; i+1 < len(ends); i += 2 {
			u, v := ends[i], ends[i+1]
			if u == v {
				continue
			}
			adj[c[u+1]] = v
			c[u+1]++
			if !directed {
				adj[c[v+1]] = u
				c[v+1]++
			}
		}
	}
	offsets := c[:n+1]
	var dups [][2]int32
	w := int32(0)
	for i := range n {
		lo, hi := offsets[i], offsets[i+1]
		row := adj[lo:hi]
		if !slices.IsSorted(row) {
			slices.Sort(row)
		}
		offsets[i] = w
		for j, x := range row {
			if j > 0 && x == row[j-1] {
				if collect && int32(i) < x {
					dups = append(dups, [2]int32{int32(i), x})
				}
				continue
			}
			adj[w] = x
			w++
		}
	}
	offsets[n] = w
	er.MultiEdges = int64(total) - int64(w)
	if !directed {
		er.MultiEdges /= 2
	}
	if int64(w) < int64(total)-int64(total)/16 {
		adj = slices.Clone(adj[:w])
	} else {
		adj = adj[:w:w]
	}
	return &Graph{n: n, directed: directed, offsets: offsets, adj: adj}, er, dups, nil
}

// withEdges returns g plus the given edges, which must be new, distinct and
// free of self-loops; rows stay sorted.
func (g *Graph) withEdges(extra [][2]int32) *Graph {
	if len(extra) == 0 {
		return g
	}
	ends := make([][2]int32, 0, 2*len(extra))
	for _, e := range extra {
		ends = append(ends, e, [2]int32{e[1], e[0]})
	}
	slices.SortFunc(ends, func(a, b [2]int32) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
	offsets := make([]int32, g.n+1)
	adj := make([]int32, len(g.adj)+len(ends))
	k := 0
	w := int32(0)
	for i := range g.n {
		offsets[i] = w
		w += int32(copy(adj[w:], g.Neighbors(i)))
		added := false
		for k < len(ends) && ends[k][0] == int32(i) {
			adj[w] = ends[k][1]
			w++
			k++
			added = true
		}
		if added {
			slices.Sort(adj[offsets[i]:w])
		}
	}
	offsets[g.n] = w
	return &Graph{n: g.n, offsets: offsets, adj: adj}
}
