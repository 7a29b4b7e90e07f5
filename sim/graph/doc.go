// Package graph holds the social graph customers sit on: its compact
// representation, the random graph models a scenario can ask for, a reader
// and writer for real networks' edge lists, and summary statistics.
//
// # Representation
//
// A Graph is a simple graph in compressed sparse rows, undirected unless
// read with a direction: node i's neighbours (for a directed graph, the
// nodes its word reaches) are Adjacency()[Offsets()[i]:Offsets()[i+1]],
// sorted, with no self-loops and no repeated edges. Offsets and neighbour ids are int32, so
// a graph takes about 4 bytes per edge end plus 4 per node, and holds at
// most 2^31-1 edge ends (about a billion edges); building a larger one is
// an error, never a wrap-around. A graph is built once and never changes,
// so any number of goroutines may read it. Neighbors returns a subslice
// without allocating; the engine's hot loop may index Offsets and
// Adjacency directly.
//
// Every builder collects edge pairs in one flat int32 slice and turns them
// into rows by counting sort (count degrees, fill rows), then sorts and
// dedupes each row in place: linear time, no per-node slices or maps.
//
// A fully mixed market is Complete(n): a marker, not a stored graph, so a
// million customers fully mixed cost nothing. It reports N, M, Degree and
// MeanDegree of the complete graph, but Neighbors, Offsets and Adjacency
// are nil: the engine must check IsComplete and run mean-field.
//
// # Generators
//
// Every generator takes an explicit *rand.Rand (math/rand/v2) and draws
// from nothing else, so a seed fixes the graph; each runs in time and
// memory linear in its output.
//
//   - ErdosRenyi: G(n, p) with p = mean degree/(n-1) (Erdos & Renyi 1959;
//     Gilbert 1959), by geometric skipping over the pairs (Batagelj &
//     Brandes 2005).
//   - WattsStrogatz and Ring: the small world of Watts & Strogatz (1998), a
//     ring lattice of even degree k whose ties are each rewired with
//     probability beta; duplicates are redrawn, so the mean degree is k.
//   - BarabasiAlbert: preferential attachment (Barabasi & Albert 1999) from
//     a clique of m+1 nodes, m ties per new node, drawn uniformly from the
//     flat list of edge ends so far, which is degree-proportional
//     (Batagelj & Brandes 2005).
//   - Communities: a stochastic block model (Holland, Laskey & Leinhardt
//     1983) with equal communities of contiguous ids, a mean degree and a
//     share of ties inside communities (homophily), by geometric skipping.
//   - PowerLaw and Configuration: the erased configuration model (Molloy &
//     Reed 1995; Newman, Strogatz & Watts 2001; Newman 2010): stubs paired
//     at random, self-loops and multi-edges dropped and counted. PowerLaw
//     draws degrees from the discrete power law approximation of Clauset,
//     Shalizi & Newman (2009).
//
// Spec is the graph table of a scenario file: Validate names every problem
// by its scenario key (graph.mean_degree, graph.k, ...), Build makes the
// graph, MemoryBytes estimates it beforehand, and Kinds, KindDocs and
// SpecDocs document it for the command line.
//
// # Edge lists
//
// ReadEdgeList reads real networks as published by SNAP and KONECT: one
// edge a line, two node ids separated by spaces, tabs or commas, blank
// lines and comment lines starting with # or % skipped. Ids are whole
// numbers of 0 or more, or any other words; a negative number is refused
// with its line. Files already numbered 0..n-1 keep their numbering;
// otherwise nodes are numbered in order of first appearance and their ids
// kept as labels. Further columns (weights, timestamps) are not used:
// every tie counts the same, and ReadStats counts the lines that had them.
// Self-loops and repeated ties are dropped and counted in ReadStats.
// Gzip-compressed input is read directly, recognized by its magic bytes.
// The file is streamed into chunks of int32 pairs that are never copied,
// then sorted into rows, so the peak is about twice the final graph plus a
// table from ids to nodes: no per-node slices or maps.
//
// The first line of a file may name the columns (source,target or
// who,whom,relation): it is a header, recorded in ReadStats and skipped,
// when its first two fields are known column names (source, target, from,
// to, who, whom, id and the like), or are words followed by a line of
// numbers. Only the first line can be one, so it is never read as an edge
// between two made-up nodes "source" and "target", and a file that starts
// with a comment, as SNAP's do, has none.
//
// ReadNetwork adds what survey networks need (ReadOptions). A node list,
// one id a line in its first column, gives the nodes and their order, so
// that people on no tie are kept as isolated nodes; an edge naming a node
// it lacks is an error. A relation column (the third) with a choice of
// relations keeps only their lines, merging the rest's ties away but not
// their nodes. A direction keeps each tie one way, in the row of the node
// whose word it carries: such a graph is Directed, its M counts ties one
// way and its degrees are out-degrees. The graph keeps what reading found,
// the files' SHA-256 included (Input), for manifests.
//
// Two comment lines are directives. "# nodes: N" (as in SNAP's
// "# Nodes: 4039 Edges: 88234") gives the node count: when every id is a
// number below N, ids are node indices and nodes that appear on no edge
// are isolated nodes, and a file with this header and no edges is a graph
// without edges rather than an error. "# node: ID" declares a node where it
// stands, fixing its place in the order of first appearance.
//
// WriteEdgeList writes each edge once, with a header giving the node and
// edge counts, and the declarations a labelled graph needs, so that
// reading the file back gives the identical graph: same nodes in the same
// order, isolated ones included, same labels. A bad line is reported as
// graph: FILE:LINE: found "TEXT"; want two node ids separated by spaces,
// tabs or a comma.
//
// # Statistics
//
// Compute gives node and edge counts, degree range and a power-of-two
// degree histogram, mean local clustering (exact, or over a stated sample
// of nodes), and connected components, for manifests and the command line.
package graph
