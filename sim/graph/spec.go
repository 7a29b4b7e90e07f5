package graph

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"strings"
)

// The graph kinds a scenario can ask for.
const (
	KindComplete       = "complete"
	KindErdosRenyi     = "erdos_renyi"
	KindWattsStrogatz  = "watts_strogatz"
	KindRing           = "ring"
	KindBarabasiAlbert = "barabasi_albert"
	KindCommunities    = "communities"
	KindPowerLaw       = "power_law"
	KindEdgeList       = "edge_list"
)

// Kinds lists every graph kind, in the order of KindDocs.
var Kinds = []string{KindComplete, KindErdosRenyi, KindWattsStrogatz, KindRing, KindBarabasiAlbert, KindCommunities, KindPowerLaw, KindEdgeList}

// A KindDoc documents one graph kind: what it is, the scenario keys it
// reads and where it comes from.
type KindDoc struct {
	Kind   string
	Doc    string
	Keys   []string
	Source string
}

// KindDocs documents every kind, in the order of Kinds.
var KindDocs = []KindDoc{
	{KindComplete, "Fully mixed: everyone can meet everyone; no edges are stored and the engine runs mean-field.", nil,
		"the mean-field limit of the Bass (1969) model"},
	{KindErdosRenyi, "Random graph: each pair of customers tied independently, with the given mean degree; degrees are Poisson.", []string{"graph.mean_degree"},
		"Erdos & Renyi (1959); Gilbert (1959); drawn by geometric skipping (Batagelj & Brandes 2005)"},
	{KindWattsStrogatz, "Small world: a ring lattice of degree k whose ties are each rewired to a random customer with probability beta.", []string{"graph.k", "graph.beta"},
		"Watts & Strogatz (1998)"},
	{KindRing, "Ring lattice: each customer tied to the k/2 nearest on either side (watts_strogatz with beta = 0).", []string{"graph.k"},
		"Watts & Strogatz (1998)"},
	{KindBarabasiAlbert, "Preferential attachment: each new customer ties to m others chosen in proportion to their degree; a scale-free tail with exponent 3.", []string{"graph.m"},
		"Barabasi & Albert (1999); linear-time sampling from Batagelj & Brandes (2005)"},
	{KindCommunities, "Stochastic block model: equal communities, the given mean degree, and the given share of ties inside a community.", []string{"graph.communities", "graph.mean_degree", "graph.homophily"},
		"Holland, Laskey & Leinhardt (1983)"},
	{KindPowerLaw, "Configuration model with power-law degrees from min_degree up; self-loops and multi-edges are erased, which leaves a few customers (more with a heavier tail) below min_degree.", []string{"graph.exponent", "graph.min_degree"},
		"Molloy & Reed (1995); Newman, Strogatz & Watts (2001); Clauset, Shalizi & Newman (2009) for the discrete power law"},
	{KindEdgeList, "A real network read from an edge-list file (SNAP or KONECT style, .gz allowed), with a node list if given; customers must equal its node count.", []string{"graph.path", "graph.nodes", "graph.relations", "graph.direction"},
		"Leskovec & Krevl, SNAP datasets (2014); Kunegis, KONECT (2013)"},
}

// A SpecDoc documents one scenario key of the graph specification.
type SpecDoc struct {
	Key    string
	Doc    string
	Unit   string
	Min    float64 // inclusive; NaN when unbounded
	Max    float64 // inclusive; NaN when unbounded
	Values []string
	Kinds  []string // the kinds that read this key
	Source string
}

// SpecDocs documents every key of Spec, in the order of its fields.
var SpecDocs = []SpecDoc{
	{Key: "graph.kind", Doc: "The social graph customers sit on.", Min: math.NaN(), Max: math.NaN(), Values: Kinds, Kinds: Kinds, Source: "see each kind"},
	{Key: "graph.mean_degree", Doc: "Mean number of ties per customer.", Unit: "ties", Min: 0, Max: math.NaN(), Kinds: []string{KindErdosRenyi, KindCommunities},
		Source: "assumption; Dunbar (1993) puts the active network near 150, close ties near 5-15"},
	{Key: "graph.k", Doc: "Lattice degree: ties per customer before rewiring; even, below customers.", Unit: "ties", Min: 2, Max: math.NaN(), Kinds: []string{KindWattsStrogatz, KindRing},
		Source: "Watts & Strogatz (1998)"},
	{Key: "graph.beta", Doc: "Chance each lattice tie is rewired to a random customer; 0 is the ring, 1 near random.", Unit: "probability", Min: 0, Max: 1, Kinds: []string{KindWattsStrogatz},
		Source: "Watts & Strogatz (1998): small-world regime about 0.01-0.1"},
	{Key: "graph.m", Doc: "Ties each new customer makes; the mean degree is about 2m and the minimum m.", Unit: "ties", Min: 1, Max: math.NaN(), Kinds: []string{KindBarabasiAlbert},
		Source: "Barabasi & Albert (1999)"},
	{Key: "graph.communities", Doc: "Number of equal communities (customers are split into contiguous blocks of ids).", Unit: "communities", Min: 2, Max: math.NaN(), Kinds: []string{KindCommunities},
		Source: "Holland, Laskey & Leinhardt (1983)"},
	{Key: "graph.homophily", Doc: "Expected share of ties inside a customer's own community.", Unit: "share", Min: 0, Max: 1, Kinds: []string{KindCommunities},
		Source: "McPherson, Smith-Lovin & Cook (2001) on homophily; the value is an assumption"},
	{Key: "graph.exponent", Doc: "Power-law degree exponent: P(k) ~ k^-exponent; must be greater than 2.", Min: 2, Max: math.NaN(), Kinds: []string{KindPowerLaw},
		Source: "Clauset, Shalizi & Newman (2009): measured social networks mostly 2-3.5"},
	{Key: "graph.min_degree", Doc: "Smallest degree of the power law.", Unit: "ties", Min: 1, Max: math.NaN(), Kinds: []string{KindPowerLaw},
		Source: "assumption"},
	{Key: "graph.path", Doc: "Edge-list file (relative to the scenario file): one edge a line, ids numbers (0 or more) or words, # and % comments, .gz read directly. A first line of column names (source,target) is skipped; columns after the ids (and the relation) are ignored and counted: weights are not used.", Min: math.NaN(), Max: math.NaN(), Kinds: []string{KindEdgeList},
		Source: "SNAP (Leskovec & Krevl 2014) and KONECT (Kunegis 2013) formats"},
	{Key: "graph.nodes", Doc: "Node-list file (relative to the scenario file): one node id a line, in its first column, a header line allowed. Its nodes are the customers, in its order, those on no edge kept as isolated customers; an edge naming a node it lacks is an error. Empty: the nodes are those of the edge list.", Min: math.NaN(), Max: math.NaN(), Kinds: []string{KindEdgeList},
		Source: "file format: a node table beside the ties, as netdiffuseR (Vega Yon & Valente) keeps survey networks"},
	{Key: "graph.relations", Doc: "Relations to keep, read from the edge list's third column (for example [\"advice\", \"friend\"]); lines of other relations are skipped and counted, their nodes kept. Empty: no relation column, every line kept.", Min: math.NaN(), Max: math.NaN(), Kinds: []string{KindEdgeList},
		Source: "file format: several relations in one list, as the advice, discussion and friendship nominations of Coleman, Katz & Menzel (1966)"},
	{Key: "graph.direction", Doc: "Which way a tie \"a b\" carries word of mouth: both (each hears the other), source_to_target (b hears a) or target_to_source (a hears b: a named b as an adviser, or a follows b).", Min: math.NaN(), Max: math.NaN(), Values: Directions, Kinds: []string{KindEdgeList},
		Source: "assumption; nominations are read as the nominator hearing the nominated in Burt (1987) and Valente (1995)"},
}

// Spec is the scenario's description of the social graph: the graph table
// of a scenario file, whose keys are graph.kind, graph.k and so on (the
// toml tags). Which fields apply depends on Kind; see KindDocs and
// SpecDocs.
type Spec struct {
	Kind        string  `toml:"kind" json:"kind"`
	MeanDegree  float64 `toml:"mean_degree,omitempty" json:"mean_degree,omitempty"`
	K           int     `toml:"k,omitempty" json:"k,omitempty"`
	Beta        float64 `toml:"beta,omitempty" json:"beta,omitempty"`
	M           int     `toml:"m,omitempty" json:"m,omitempty"`
	Communities int     `toml:"communities,omitempty" json:"communities,omitempty"`
	Homophily   float64 `toml:"homophily,omitempty" json:"homophily,omitempty"`
	Exponent    float64 `toml:"exponent,omitempty" json:"exponent,omitempty"`
	MinDegree   int     `toml:"min_degree,omitempty" json:"min_degree,omitempty"`
	Path        string  `toml:"path,omitempty" json:"path,omitempty"`
	Nodes       string  `toml:"nodes,omitempty" json:"nodes,omitempty"`
	// Relations is nil when every line is kept.
	Relations []string `toml:"relations,omitempty" json:"relations,omitempty"`
	Direction string   `toml:"direction,omitempty" json:"direction,omitempty"`
	// Files holds Path and Nodes; nil reads them from the operating system.
	Files fs.FS `toml:"-" json:"-"`
}

// keysOf are the keys each kind reads; any other key set is a mistake.
func keysOf(kind string) []string {
	for _, d := range KindDocs {
		if d.Kind == kind {
			return d.Keys
		}
	}
	return nil
}

func (s Spec) setKeys() []string {
	var keys []string
	add := func(set bool, key string) {
		if set {
			keys = append(keys, key)
		}
	}
	add(s.MeanDegree != 0, "graph.mean_degree")
	add(s.K != 0, "graph.k")
	add(s.Beta != 0, "graph.beta")
	add(s.M != 0, "graph.m")
	add(s.Communities != 0, "graph.communities")
	add(s.Homophily != 0, "graph.homophily")
	add(s.Exponent != 0, "graph.exponent")
	add(s.MinDegree != 0, "graph.min_degree")
	add(s.Path != "", "graph.path")
	add(s.Nodes != "", "graph.nodes")
	add(len(s.Relations) > 0, "graph.relations")
	add(s.Direction != "" && s.Direction != DirectionBoth, "graph.direction")
	return keys
}

// Validate reports every problem with s for a market of n customers, each
// naming its scenario key (graph.mean_degree and so on), joined into one
// error; nil when s can be built.
func (s Spec) Validate(n int) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if n < 1 || n > MaxNodes {
		bad("customers must be between 1 and %d for a social graph: %d", MaxNodes, n)
	}
	known := keysOf(s.Kind) != nil || s.Kind == KindComplete
	if !known {
		bad("graph.kind must be one of %s: %q", strings.Join(Kinds, ", "), s.Kind)
		return errors.Join(errs...)
	}
	for _, key := range s.setKeys() {
		if !contains(keysOf(s.Kind), key) {
			bad("%s does not apply to graph.kind = %q (it is read by %s)", key, s.Kind, strings.Join(kindsReading(key), ", "))
		}
	}
	top := max(n-1, 0)
	meanDegree := func() {
		if !(s.MeanDegree >= 0) || s.MeanDegree > float64(top) {
			bad("graph.mean_degree must be between 0 and customers-1 (%d): %g", top, s.MeanDegree)
		}
	}
	lattice := func() {
		if s.K < 2 || s.K%2 != 0 || s.K > top {
			bad("graph.k must be an even number from 2 to customers-1 (%d): %d", top, s.K)
		}
	}
	switch s.Kind {
	case KindErdosRenyi:
		meanDegree()
	case KindWattsStrogatz:
		lattice()
		if !(s.Beta >= 0 && s.Beta <= 1) {
			bad("graph.beta must be between 0 and 1: %g", s.Beta)
		}
	case KindRing:
		lattice()
	case KindBarabasiAlbert:
		if s.M < 1 || s.M > top {
			bad("graph.m must be from 1 to customers-1 (%d): %d", top, s.M)
		}
	case KindCommunities:
		meanDegree()
		if s.Communities < 2 || s.Communities > max(n, 2) {
			bad("graph.communities must be from 2 to customers (%d): %d", max(n, 2), s.Communities)
		}
		if !(s.Homophily >= 0 && s.Homophily <= 1) {
			bad("graph.homophily must be between 0 and 1: %g", s.Homophily)
		}
		if len(errs) == 0 && n >= 2 {
			pIn, pOut, _, _ := blockProbabilities(n, s.Communities, s.MeanDegree, s.Homophily)
			if pIn > 1 {
				bad("graph.homophily %g at graph.mean_degree %g asks for more ties inside each community (about %d customers) than it has pairs; lower graph.homophily or graph.mean_degree, or use fewer graph.communities",
					s.Homophily, s.MeanDegree, n/s.Communities)
			}
			if pOut > 1 {
				bad("graph.homophily %g at graph.mean_degree %g asks for more ties between communities than there are pairs; raise graph.homophily or lower graph.mean_degree",
					s.Homophily, s.MeanDegree)
			}
		}
	case KindPowerLaw:
		if !(s.Exponent > 2) || math.IsInf(s.Exponent, 1) {
			bad("graph.exponent must be greater than 2 (the mean degree is infinite at 2 and below): %g", s.Exponent)
		}
		if s.MinDegree < 1 || s.MinDegree > top {
			bad("graph.min_degree must be from 1 to customers-1 (%d): %d", top, s.MinDegree)
		}
	case KindEdgeList:
		if strings.TrimSpace(s.Path) == "" {
			bad("graph.path must name an edge-list file for graph.kind = %q", KindEdgeList)
		}
		if s.Direction != "" && !contains(Directions, s.Direction) {
			bad("graph.direction must be one of %s: %q", strings.Join(Directions, ", "), s.Direction)
		}
		for _, r := range s.Relations {
			if tok, rest := nextToken([]byte(r)); len(tok) != len(r) || len(rest) != 0 || r == "" {
				bad("graph.relations must be words, each as in the edge list's third column: %q", r)
			}
		}
	}
	if len(errs) == 0 && s.Kind != KindComplete && s.Kind != KindEdgeList {
		if edges := s.expectedEdges(n); 2*edges > MaxEdgeEnds*0.99 {
			bad("graph %s on %d customers would have about %.3g edges; a stored graph holds at most %d (int32 offsets)", s, n, edges, MaxEdgeEnds/2)
		}
	}
	return errors.Join(errs...)
}

func contains(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

func kindsReading(key string) []string {
	for _, d := range SpecDocs {
		if d.Key == key {
			return d.Kinds
		}
	}
	return nil
}

// expectedEdges is the expected edge count of a generated graph.
func (s Spec) expectedEdges(n int) float64 {
	fn := float64(n)
	switch s.Kind {
	case KindComplete:
		return fn * (fn - 1) / 2
	case KindErdosRenyi, KindCommunities:
		return fn * s.MeanDegree / 2
	case KindWattsStrogatz, KindRing:
		return fn * float64(s.K) / 2
	case KindBarabasiAlbert:
		m := float64(s.M)
		return m*(m+1)/2 + (fn-m-1)*m
	case KindPowerLaw:
		mean, _ := powerLawMoments(s.Exponent, s.MinDegree, n-1)
		return fn * mean / 2
	}
	return 0
}

// Build validates s and makes the graph for n customers, drawing from rng
// only. For edge_list, n is not checked against the file's node count: the
// caller compares N() with the customers it expects.
func (s Spec) Build(n int, rng *rand.Rand) (*Graph, error) {
	if err := s.Validate(n); err != nil {
		return nil, err
	}
	switch s.Kind {
	case KindComplete:
		return Complete(n), nil
	case KindErdosRenyi:
		return ErdosRenyi(n, s.MeanDegree, rng)
	case KindWattsStrogatz:
		return WattsStrogatz(n, s.K, s.Beta, rng)
	case KindRing:
		return Ring(n, s.K)
	case KindBarabasiAlbert:
		return BarabasiAlbert(n, s.M, rng)
	case KindCommunities:
		return Communities(n, s.Communities, s.MeanDegree, s.Homophily, rng)
	case KindPowerLaw:
		g, _, err := PowerLaw(n, s.Exponent, s.MinDegree, rng)
		return g, err
	case KindEdgeList:
		g, _, err := ReadNetwork(s.Path, s.ReadOptions())
		return g, err
	}
	return nil, fmt.Errorf("graph.kind must be one of %s: %q", strings.Join(Kinds, ", "), s.Kind)
}

// ReadOptions are the options an edge_list graph is read with.
func (s Spec) ReadOptions() ReadOptions {
	return ReadOptions{Nodes: s.Nodes, Relations: s.Relations, Direction: s.Direction, FS: s.Files}
}

// MemoryBytes estimates, before building, the peak bytes that building the
// graph for n customers takes: the CSR (4 bytes per edge end and per node)
// plus the edge pairs it is sorted from, about 16 bytes per edge and 12 per
// node, about twice what the built graph keeps. For edge_list the edges are
// extrapolated from the file's size and its first megabyte, and id tables
// and labels are allowed for; an unreadable file counts as no edges. A
// complete graph stores nothing: a constant.
func (s Spec) MemoryBytes(n int) int64 {
	const overhead = 1024
	fn := float64(max(n, 0))
	switch s.Kind {
	case KindComplete:
		return overhead
	case KindEdgeList:
		edges := estimateFileEdges(s.Path)
		return int64(18*edges+32*fn) + overhead
	}
	edges := s.expectedEdges(n)
	if math.IsNaN(edges) || edges < 0 {
		edges = 0
	}
	return int64(16*edges+12*fn) + overhead
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}

// estimateFileEdges extrapolates the edge lines of a file from its first
// megabyte (decompressed) and its size; 0 when it cannot be read.
func estimateFileEdges(path string) float64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0
	}
	cr := &countingReader{r: f}
	br := bufio.NewReaderSize(cr, 1<<16)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0
		}
		src = zr
	}
	head := make([]byte, 1<<20)
	k, err := io.ReadFull(src, head)
	head = head[:k]
	var edges float64
	for line := range bytes.Lines(head) {
		rest := skipSeparators(bytes.TrimRight(line, "\n"))
		if len(rest) > 0 && rest[0] != '#' && rest[0] != '%' {
			edges++
		}
	}
	if err != nil || cr.n == 0 { // the whole file was read
		return edges
	}
	return edges * float64(info.Size()) / float64(cr.n)
}

// String is a short description, as in "watts_strogatz(k=10, beta=0.1)".
func (s Spec) String() string {
	switch s.Kind {
	case KindComplete:
		return KindComplete
	case KindErdosRenyi:
		return fmt.Sprintf("%s(mean_degree=%g)", s.Kind, s.MeanDegree)
	case KindWattsStrogatz:
		return fmt.Sprintf("%s(k=%d, beta=%g)", s.Kind, s.K, s.Beta)
	case KindRing:
		return fmt.Sprintf("%s(k=%d)", s.Kind, s.K)
	case KindBarabasiAlbert:
		return fmt.Sprintf("%s(m=%d)", s.Kind, s.M)
	case KindCommunities:
		return fmt.Sprintf("%s(communities=%d, mean_degree=%g, homophily=%g)", s.Kind, s.Communities, s.MeanDegree, s.Homophily)
	case KindPowerLaw:
		return fmt.Sprintf("%s(exponent=%g, min_degree=%d)", s.Kind, s.Exponent, s.MinDegree)
	case KindEdgeList:
		text := fmt.Sprintf("%s(path=%q", s.Kind, s.Path)
		if s.Nodes != "" {
			text += fmt.Sprintf(", nodes=%q", s.Nodes)
		}
		if len(s.Relations) > 0 {
			text += fmt.Sprintf(", relations=%q", s.Relations)
		}
		if s.Direction != "" && s.Direction != DirectionBoth {
			text += ", direction=" + s.Direction
		}
		return text + ")"
	}
	return fmt.Sprintf("%q", s.Kind)
}
