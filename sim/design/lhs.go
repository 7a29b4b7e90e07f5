package design

import (
	"math/bits"
	"math/rand/v2"
)

// latinHypercubeStream is the second PCG seed word ("pushpull" in ASCII);
// fixed so that Design.Seed alone determines the design.
const latinHypercubeStream = 0x7075736870756c6c

// latinHypercubeUnit draws an n-point Latin hypercube in [0, 1)^k: u[i][f]
// is (perm_f[i] + U)/n for an independent random permutation perm_f per
// factor and an independent uniform U per cell. Factor by factor, the stream
// gives a permutation (Fisher-Yates, from the top) and then the n uniforms.
func latinHypercubeUnit(n, k int, seed uint64) [][]float64 {
	s := unitStream{rand.NewPCG(seed, latinHypercubeStream)}
	unit := make([][]float64, n)
	for i := range unit {
		unit[i] = make([]float64, k)
	}
	perm := make([]int, n)
	for f := range k {
		for i := range perm {
			perm[i] = i
		}
		for i := n - 1; i > 0; i-- {
			j := int(s.below(uint64(i + 1)))
			perm[i], perm[j] = perm[j], perm[i]
		}
		for i := range n {
			unit[i][f] = (float64(perm[i]) + s.float64()) / float64(n)
		}
	}
	return unit
}

// unitStream derives uniforms from a PCG's raw output with fixed
// arithmetic, rather than math/rand/v2's Rand methods, whose algorithms Go
// does not promise to keep: a seed must give the same design on every
// release, or shards built by different binaries would disagree.
type unitStream struct{ src *rand.PCG }

// float64 is uniform on [0, 1) with 53 random bits.
func (s unitStream) float64() float64 {
	return float64(s.src.Uint64()>>11) / (1 << 53)
}

// below is uniform on [0, n) for n > 0, by Lemire's (2019) multiply and
// reject, which has no modulo bias.
func (s unitStream) below(n uint64) uint64 {
	hi, lo := bits.Mul64(s.src.Uint64(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(s.src.Uint64(), n)
		}
	}
	return hi
}
