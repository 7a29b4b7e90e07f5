package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
)

func checkNodes(n int) error {
	if n < 0 || n > MaxNodes {
		return fmt.Errorf("graph: node count must be between 0 and %d: %d", MaxNodes, n)
	}
	return nil
}

// checkEnds refuses, before anything is allocated, a graph expected to hold
// more edge ends than int32 offsets address.
func checkEnds(expectedEdges float64) error {
	if 2*expectedEdges > MaxEdgeEnds {
		return fmt.Errorf("%w: about %.0f", errTooManyEnds, 2*expectedEdges)
	}
	return nil
}

// ErdosRenyi draws G(n, p) with p = meanDegree/(n-1) (Erdos & Renyi 1959,
// Gilbert 1959), in time linear in n plus the edges by geometric skipping
// over the pairs (Batagelj & Brandes 2005).
func ErdosRenyi(n int, meanDegree float64, rng *rand.Rand) (*Graph, error) {
	if err := checkNodes(n); err != nil {
		return nil, err
	}
	if !(meanDegree >= 0) || meanDegree > float64(max(n-1, 0)) {
		return nil, fmt.Errorf("graph: mean degree must be between 0 and n-1 (%d): %g", max(n-1, 0), meanDegree)
	}
	if n < 2 || meanDegree == 0 {
		return build1(n, nil)
	}
	p := meanDegree / float64(n-1)
	pairs := float64(n) * float64(n-1) / 2
	if err := checkEnds(pairs * p); err != nil {
		return nil, err
	}
	ends := make([]int32, 0, 2*capacityFor(pairs*p))
	ends = appendGnp(ends, n, 0, p, rng, nil)
	return build1(n, ends)
}

// build1 builds from edge pairs known to be simple.
func build1(n int, ends []int32) (*Graph, error) {
	g, _, _, err := build(n, ends, false)
	return g, err
}

// capacityFor is a slice capacity that a Poisson or binomial count with the
// given mean exceeds only with negligible probability.
func capacityFor(mean float64) int {
	return int(mean + 6*math.Sqrt(mean) + 16)
}

// appendGnp appends each pair (v, w), 0 <= w < v < n, independently with
// probability p, shifted by offset, skipping geometrically over the pairs
// in between (Batagelj & Brandes 2005, algorithm G(n,p)). keep, when not
// nil, may veto a pair (thinning).
func appendGnp(ends []int32, n int, offset int32, p float64, rng *rand.Rand, keep func(v, w int32) bool) []int32 {
	if p <= 0 || n < 2 {
		return ends
	}
	emit := func(v, w int64) {
		a, b := int32(v)+offset, int32(w)+offset
		if keep == nil || keep(a, b) {
			ends = append(ends, a, b)
		}
	}
	nn := int64(n)
	if p >= 1 {
		for v := int64(1); v < nn; v++ {
			for w := range v {
				emit(v, w)
			}
		}
		return ends
	}
	lp := math.Log1p(-p)
	beyond := float64(nn) * float64(nn)
	v, w := int64(1), int64(-1)
	for v < nn {
		skip := math.Log1p(-rng.Float64()) / lp
		if skip >= beyond {
			break
		}
		w += 1 + int64(skip)
		for w >= v && v < nn {
			w -= v
			v++
		}
		if v < nn {
			emit(v, w)
		}
	}
	return ends
}

// Ring is the ring lattice: each node tied to the k/2 nearest nodes on
// either side. k must be even and below n.
func Ring(n, k int) (*Graph, error) {
	return WattsStrogatz(n, k, 0, nil)
}

// WattsStrogatz draws a small world (Watts & Strogatz 1998): a ring lattice
// of even degree k whose edges, each with probability beta, have their far
// end moved to a uniformly random other node. beta = 0 is the ring lattice
// and rng may then be nil. A move that duplicates a tie is replaced by a tie
// from one of its ends to a random node it is not tied to, so the mean
// degree is exactly k, except in a lattice so dense (k near n) that a node
// has no partner left.
func WattsStrogatz(n, k int, beta float64, rng *rand.Rand) (*Graph, error) {
	if err := checkNodes(n); err != nil {
		return nil, err
	}
	if k < 0 || k%2 != 0 || (k > 0 && k >= n) {
		return nil, fmt.Errorf("graph: lattice degree must be even, at least 0 and below the node count %d: %d", n, k)
	}
	if !(beta >= 0 && beta <= 1) {
		return nil, fmt.Errorf("graph: rewiring probability must be between 0 and 1: %g", beta)
	}
	if beta > 0 && rng == nil {
		return nil, fmt.Errorf("graph: rewiring probability %g needs a random generator", beta)
	}
	half := k / 2
	if err := checkEnds(float64(n) * float64(half)); err != nil {
		return nil, err
	}
	ends := make([]int32, 0, n*k)
	for u := range n {
		for j := 1; j <= half; j++ {
			v := u + j
			if v >= n {
				v -= n
			}
			if beta > 0 && rng.Float64() < beta {
				v = rng.IntN(n - 1)
				if v >= u {
					v++
				}
			}
			ends = append(ends, int32(u), int32(v))
		}
	}
	g, _, dups, err := build(n, ends, true)
	if err != nil || len(dups) == 0 {
		return g, err
	}
	return redrawDuplicates(g, dups, rng), nil
}

// redrawDuplicates adds, for each extra copy of a rewired edge, a new edge
// from one of its two ends (chosen at random, as either may have been the
// rewired one) to a uniformly random node it is not yet tied to. Expected
// extra copies are about beta k^2/2 whatever n, so this is cheap.
func redrawDuplicates(g *Graph, dups [][2]int32, rng *rand.Rand) *Graph {
	n := g.n
	added := map[[2]int32]bool{}
	extraDegree := map[int32]int{}
	free := func(s int32) bool { return g.Degree(int(s))+extraDegree[s] < n-1 }
	var extra [][2]int32
	for _, d := range dups {
		s := d[rng.IntN(2)]
		if !free(s) {
			if s == d[0] {
				s = d[1]
			} else {
				s = d[0]
			}
			if !free(s) {
				continue
			}
		}
		for range 1000 + 100*n {
			w := int32(rng.IntN(n - 1))
			if w >= s {
				w++
			}
			key := [2]int32{min(s, w), max(s, w)}
			if g.HasEdge(int(s), int(w)) || added[key] {
				continue
			}
			added[key] = true
			extraDegree[s]++
			extraDegree[w]++
			extra = append(extra, key)
			break
		}
	}
	return g.withEdges(extra)
}

// BarabasiAlbert grows a preferential-attachment graph (Barabasi & Albert
// 1999): it starts from a clique of m+1 nodes, and each new node ties to m
// distinct existing nodes chosen with probability proportional to degree.
// Drawing a uniform entry of the flat list of edge ends so far is exactly
// degree-proportional, which makes it linear (Batagelj & Brandes 2005).
// Every node has degree at least m; the mean degree is 2m - m(m+1)/n.
func BarabasiAlbert(n, m int, rng *rand.Rand) (*Graph, error) {
	if err := checkNodes(n); err != nil {
		return nil, err
	}
	if m < 1 || n < m+1 {
		return nil, fmt.Errorf("graph: edges per new node must be at least 1 and below the node count %d: %d", n, m)
	}
	edges := float64(m)*float64(m+1)/2 + float64(n-m-1)*float64(m)
	if err := checkEnds(edges); err != nil {
		return nil, err
	}
	ends := make([]int32, 0, 2*int(edges))
	for i := 1; i <= m; i++ {
		for j := range i {
			ends = append(ends, int32(i), int32(j))
		}
	}
	chosen := make([]int32, n) // chosen[x] == v+1: x is already a target of v
	targets := make([]int32, m)
	for v := m + 1; v < n; v++ {
		sofar := len(ends)
		for t := range targets {
			x := ends[rng.IntN(sofar)]
			for chosen[x] == int32(v+1) {
				x = ends[rng.IntN(sofar)]
			}
			chosen[x] = int32(v + 1)
			targets[t] = x
		}
		for _, x := range targets {
			ends = append(ends, int32(v), x)
		}
	}
	return build1(n, ends)
}

// CommunityOf is the community of node i in Communities(n, c, ...):
// communities are contiguous blocks of node ids whose sizes differ by at
// most one.
func CommunityOf(i, n, c int) int {
	return int(int64(i) * int64(c) / int64(n))
}

// communityStart is the first node of community k (k = c gives n).
func communityStart(k, n, c int) int {
	return int((int64(k)*int64(n) + int64(c) - 1) / int64(c))
}

// blockProbabilities are the tie probabilities inside and between
// communities that give the mean degree with the share homophily of ties
// inside, and the number of pairs of each kind.
func blockProbabilities(n, c int, meanDegree, homophily float64) (pIn, pOut, pairsIn, pairsOut float64) {
	for k := range c {
		s := float64(communityStart(k+1, n, c) - communityStart(k, n, c))
		pairsIn += s * (s - 1) / 2
	}
	pairsOut = float64(n)*float64(n-1)/2 - pairsIn
	edges := float64(n) * meanDegree / 2
	pIn = ratio(homophily*edges, pairsIn)
	pOut = ratio((1-homophily)*edges, pairsOut)
	return pIn, pOut, pairsIn, pairsOut
}

func ratio(a, b float64) float64 {
	if a == 0 {
		return 0
	}
	if b == 0 {
		return math.Inf(1)
	}
	return a / b
}

// Communities draws a stochastic block model (Holland, Laskey & Leinhardt
// 1983) with c equal communities (see CommunityOf): every pair is tied
// independently, with probability pIn inside a community and pOut between,
// set so that the expected mean degree is meanDegree and the expected share
// of ties inside a community is homophily. When pIn >= pOut it draws all
// pairs at pOut and adds each community's pairs at
// (pIn-pOut)/(1-pOut), their union tying an inside pair with probability
// pIn; otherwise it draws all pairs at pOut and keeps inside ones with
// probability pIn/pOut. Both are linear in the edges by geometric skipping.
func Communities(n, c int, meanDegree, homophily float64, rng *rand.Rand) (*Graph, error) {
	if err := checkNodes(n); err != nil {
		return nil, err
	}
	if c < 1 || c > max(n, 1) {
		return nil, fmt.Errorf("graph: community count must be between 1 and the node count %d: %d", n, c)
	}
	if !(meanDegree >= 0) || meanDegree > float64(max(n-1, 0)) {
		return nil, fmt.Errorf("graph: mean degree must be between 0 and n-1 (%d): %g", max(n-1, 0), meanDegree)
	}
	if !(homophily >= 0 && homophily <= 1) {
		return nil, fmt.Errorf("graph: homophily must be between 0 and 1: %g", homophily)
	}
	if n < 2 || meanDegree == 0 {
		return build1(n, nil)
	}
	pIn, pOut, pairsIn, pairsOut := blockProbabilities(n, c, meanDegree, homophily)
	if pIn > 1 {
		return nil, fmt.Errorf("graph: homophily %g at mean degree %g needs more ties inside communities of about %d nodes than they have pairs", homophily, meanDegree, n/c)
	}
	if pOut > 1 {
		return nil, fmt.Errorf("graph: homophily %g at mean degree %g needs more ties between communities than there are pairs", homophily, meanDegree)
	}
	if err := checkEnds(pIn*pairsIn + pOut*pairsOut); err != nil {
		return nil, err
	}
	same := func(v, w int32) bool { return CommunityOf(int(v), n, c) == CommunityOf(int(w), n, c) }
	var ends []int32
	if pIn >= pOut {
		q := 0.0
		if pOut < 1 {
			q = (pIn - pOut) / (1 - pOut)
		}
		ends = make([]int32, 0, 2*capacityFor(pOut*(pairsIn+pairsOut)+q*pairsIn))
		ends = appendGnp(ends, n, 0, pOut, rng, nil)
		for k := range c {
			lo, hi := communityStart(k, n, c), communityStart(k+1, n, c)
			ends = appendGnp(ends, hi-lo, int32(lo), q, rng, nil)
		}
	} else {
		keepIn := pIn / pOut
		ends = make([]int32, 0, 2*capacityFor(pOut*(pairsIn+pairsOut)))
		ends = appendGnp(ends, n, 0, pOut, rng, func(v, w int32) bool {
			return !same(v, w) || rng.Float64() < keepIn
		})
	}
	// Pairs drawn by both passes are one tie: the union is the model.
	return build1(n, ends)
}

// PowerLaw draws an erased configuration model (Molloy & Reed 1995; Newman,
// Strogatz & Watts 2001) whose degrees follow a discrete power law
// P(k) ~ k^-exponent for k >= minDegree, truncated at n-1: each degree is
// floor((minDegree-1/2)(1-u)^(-1/(exponent-1)) + 1/2), the discrete
// approximation of Clauset, Shalizi & Newman (2009, appendix D). Stubs are
// paired at random; self-loops and multi-edges are dropped and counted.
func PowerLaw(n int, exponent float64, minDegree int, rng *rand.Rand) (*Graph, Erased, error) {
	if err := checkNodes(n); err != nil {
		return nil, Erased{}, err
	}
	if !(exponent > 2) || math.IsInf(exponent, 1) {
		return nil, Erased{}, fmt.Errorf("graph: power-law exponent must be greater than 2 and finite: %g", exponent)
	}
	if minDegree < 1 || minDegree > max(n-1, 0) {
		return nil, Erased{}, fmt.Errorf("graph: minimum degree must be between 1 and n-1 (%d): %d", max(n-1, 0), minDegree)
	}
	mean, _ := powerLawMoments(exponent, minDegree, n-1)
	if err := checkEnds(float64(n) * mean / 2); err != nil {
		return nil, Erased{}, err
	}
	degrees := make([]int32, n)
	var sum int64
	for i := range degrees {
		degrees[i] = drawPowerLaw(exponent, minDegree, n-1, rng)
		sum += int64(degrees[i])
	}
	if sum%2 != 0 {
		// Redraw one degree until the sum is even: stubs must pair up.
		i := rng.IntN(n)
		sum -= int64(degrees[i])
		for range 1000 {
			degrees[i] = drawPowerLaw(exponent, minDegree, n-1, rng)
			if (sum+int64(degrees[i]))%2 == 0 {
				break
			}
		}
		if (sum+int64(degrees[i]))%2 != 0 {
			if int(degrees[i]) < n-1 {
				degrees[i]++
			} else {
				degrees[i]--
			}
		}
		sum += int64(degrees[i])
	}
	return configuration(degrees, sum, rng)
}

// drawPowerLaw draws one degree in [kmin, kmax], redrawing values above
// kmax (truncation, not a spike at kmax).
func drawPowerLaw(exponent float64, kmin, kmax int, rng *rand.Rand) int32 {
	a := float64(kmin) - 0.5
	inv := -1 / (exponent - 1)
	for range 1000 {
		k := math.Floor(a*math.Pow(1-rng.Float64(), inv) + 0.5)
		if k <= float64(kmax) {
			return int32(k)
		}
	}
	return int32(kmin)
}

// powerLawMoments are the mean and mean square of the degrees
// drawPowerLaw gives, before erasure: K = k when the Pareto variate X on
// [kmin-1/2, kmax+1/2) falls in [k-1/2, k+1/2). The first 2^16 values are
// summed exactly; beyond, rounding no longer matters and the continuous
// integrals are used.
func powerLawMoments(exponent float64, kmin, kmax int) (mean, meanSquare float64) {
	if kmax <= kmin {
		k := float64(kmin)
		return k, k * k
	}
	s := exponent - 1
	a := float64(kmin) - 0.5
	survival := func(x float64) float64 { return math.Pow(x/a, -s) }
	total := 1 - survival(float64(kmax)+0.5)
	exactTo := min(kmax, kmin+1<<16)
	for k := kmin; k <= exactTo; k++ {
		x := float64(k)
		p := (survival(x-0.5) - survival(x+0.5)) / total
		mean += p * x
		meanSquare += p * x * x
	}
	if exactTo < kmax {
		lo, hi := float64(exactTo)+0.5, float64(kmax)+0.5
		c := s * math.Pow(a, s) / total
		mean += c * (math.Pow(lo, 1-s) - math.Pow(hi, 1-s)) / (s - 1)
		if s == 2 {
			meanSquare += c * math.Log(hi/lo)
		} else {
			meanSquare += c * (math.Pow(hi, 2-s) - math.Pow(lo, 2-s)) / (2 - s)
		}
	}
	return mean, meanSquare
}

// Configuration draws an erased configuration model with the given degree
// sequence (Molloy & Reed 1995; Newman 2010, section 13.2): stubs are
// paired uniformly at random, then self-loops and multi-edges are dropped
// and counted, so realized degrees may fall short of those asked for.
func Configuration(degrees []int, rng *rand.Rand) (*Graph, Erased, error) {
	if err := checkNodes(len(degrees)); err != nil {
		return nil, Erased{}, err
	}
	d := make([]int32, len(degrees))
	var sum int64
	for i, k := range degrees {
		if k < 0 || k > MaxEdgeEnds {
			return nil, Erased{}, fmt.Errorf("graph: degree of node %d out of range: %d", i, k)
		}
		d[i] = int32(k)
		sum += int64(k)
	}
	if sum%2 != 0 {
		return nil, Erased{}, fmt.Errorf("graph: degrees must sum to an even number: %d", sum)
	}
	return configuration(d, sum, rng)
}

func configuration(degrees []int32, sum int64, rng *rand.Rand) (*Graph, Erased, error) {
	if sum > MaxEdgeEnds {
		return nil, Erased{}, fmt.Errorf("%w: %d", errTooManyEnds, sum)
	}
	stubs := make([]int32, 0, sum)
	for i, k := range degrees {
		for range k {
			stubs = append(stubs, int32(i))
		}
	}
	// Pair each stub in turn with a uniformly random stub not yet paired:
	// a uniform matching in half the swaps of a full shuffle.
	for i := 0; i+1 < len(stubs); i += 2 {
		j := i + 1 + rng.IntN(len(stubs)-i-1)
		stubs[i+1], stubs[j] = stubs[j], stubs[i+1]
	}
	g, er, _, err := build(len(degrees), stubs, false)
	return g, er, err
}
