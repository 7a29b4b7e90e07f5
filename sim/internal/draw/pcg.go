package draw

import (
	"math/bits"
	"math/rand/v2"
)

// PCG is the PCG-DXSM generator of math/rand/v2's PCG, the same stream
// for the same seed, written out so that the hot loop's uniform draw
// inlines: a call would cost more than the draw, since every live
// register is saved around it.
type PCG struct{ hi, lo uint64 }

// The 128-bit multiplier and increment of the state, and DXSM's multiplier.
const (
	pcgMulHi    = 2549297995355413924
	pcgMulLo    = 4865540595714422341
	pcgIncHi    = 6364136223846793005
	pcgIncLo    = 1442695040888963407
	pcgCheapMul = 0xda942042e4dd58b5
)

// Seed sets the state, as rand.PCG.Seed does.
func (p *PCG) Seed(seed1, seed2 uint64) { p.hi, p.lo = seed1, seed2 }

// Uint64 advances the state and returns its DXSM output. The carry into
// the high word is added plainly rather than by bits.Add64, the same sum,
// which keeps Uniform and the draws built on it cheap enough to inline.
func (p *PCG) Uint64() uint64 {
	hi, lo := bits.Mul64(p.lo, pcgMulLo)
	hi += p.hi*pcgMulLo + p.lo*pcgMulHi
	lo, c := bits.Add64(lo, pcgIncLo, 0)
	hi += pcgIncHi + c
	p.lo, p.hi = lo, hi
	hi ^= hi >> 32
	hi *= pcgCheapMul
	hi ^= hi >> 48
	return hi * (lo | 1)
}

// Uniform draws from [0, 1) from the top 53 bits of the next output: the
// hot loop's draw, inlined, without the interface call of rand.Rand.
func (p *PCG) Uniform() float64 { return float64(p.Uint64()>>11) * 0x1p-53 }

// Source is one random stream: its generator, for the hot loop's draws,
// and a rand.Rand over the same generator for the rare draws that
// math/rand/v2 makes (normal deviates, uniforms in its own convention).
// Both advance the same state. A Source must be made ready by Init and
// not copied afterwards, since its rand.Rand points at its generator.
type Source struct {
	PCG
	rand *rand.Rand
}

// Init makes s ready for use.
func (s *Source) Init() { s.rand = rand.New(&s.PCG) }

// Rand is the rand.Rand over s's generator.
func (s *Source) Rand() *rand.Rand { return s.rand }

// Mix combines its arguments into one well-spread 64-bit value
// (SplitMix64 finalizer over a running hash), for seeding streams from
// the numbers that name them.
func Mix(xs ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, x := range xs {
		h ^= x + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2)
		h = splitmix(h)
	}
	return h
}

func splitmix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
