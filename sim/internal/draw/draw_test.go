package draw

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/pushpull/pushpull/sim/internal/drawtest"
)

func newSource(seed1, seed2 uint64) *Source {
	s := &Source{}
	s.Init()
	s.Seed(seed1, seed2)
	return s
}

// TestPCGMatchesMathRand checks that the engine's own generator gives
// math/rand/v2's PCG stream for the same seeds, so that results do not
// depend on which of the two draws them.
func TestPCGMatchesMathRand(t *testing.T) {
	for _, seed := range [][2]uint64{{0, 0}, {1, 2}, {0x9e3779b97f4a7c15, 0x5851f42d4c957f2d}, {^uint64(0), ^uint64(0)}} {
		var got PCG
		got.Seed(seed[0], seed[1])
		want := rand.NewPCG(seed[0], seed[1])
		for i := range 1000 {
			if g, w := got.Uint64(), want.Uint64(); g != w {
				t.Fatalf("seed %v, draw %d: got %#x, math/rand/v2 gives %#x", seed, i, g, w)
			}
		}
	}
}

func TestExpNegMatchesExp(t *testing.T) {
	for x := 0.0; x < 10; x += 0.0037 {
		got, want := expNeg(x), math.Exp(-x)
		if rel := math.Abs(got-want) / want; rel > 1e-15 {
			t.Fatalf("expNeg(%v) = %v, math.Exp gives %v (relative error %.2g)", x, got, want, rel)
		}
	}
}

// TestCountdownChance checks that countdowns succeed with their chance:
// over n trials the share of successes is within 4 standard errors of p.
func TestCountdownChance(t *testing.T) {
	s := newSource(3, 4)
	const n = 200_000
	for _, p := range []float64{0, 0.001, 0.02, 0.3, 0.9, 1} {
		var k Countdown
		k.Start(s, p)
		hits := 0
		for range n {
			if k.Hit(s) {
				hits++
			}
		}
		share := float64(hits) / n
		if tol := 4 * math.Sqrt(p*(1-p)/n); math.Abs(share-p) > tol {
			t.Errorf("p = %v: share of successes %v, want within %.2g", p, share, tol)
		}
	}
}

// TestPoissonMoments checks both Poisson draws, by inversion and by PTRS,
// against Poisson(lambda).
func TestPoissonMoments(t *testing.T) {
	s := newSource(7, 8)
	for _, lambda := range []float64{0.05, 0.3, 0.9, 2.5, 7, 30} {
		drawtest.CheckPoisson(t, lambda, func() int32 { return s.Poisson(lambda) })
		drawtest.CheckPoisson(t, lambda, func() int32 { return s.PoissonExp(lambda, math.Exp(-lambda)) })
	}
}

// TestGammaMoments checks the gamma draw's mean and variance, shape times
// scale and shape times scale squared, within 5 standard errors of n
// draws, for shapes below and above 1. The standard error of the sample
// variance comes from the fourth central moment, 3k(k+2)θ^4 for shape k.
func TestGammaMoments(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n = 200_000
	for _, c := range []struct{ shape, scale float64 }{{0.3, 2}, {1, 1}, {2.5, 0.4}, {9, 3}} {
		var sum, sq float64
		for range n {
			x := Gamma(r, c.shape, c.scale)
			sum += x
			sq += x * x
		}
		mean := sum / n
		variance := sq/n - mean*mean
		wantMean, wantVar := c.shape*c.scale, c.shape*c.scale*c.scale
		if tol := 5 * math.Sqrt(wantVar/n); math.Abs(mean-wantMean) > tol {
			t.Errorf("shape %v scale %v: mean %v, want %v within %.3g", c.shape, c.scale, mean, wantMean, tol)
		}
		mu4 := 3 * c.shape * (c.shape + 2) * math.Pow(c.scale, 4)
		if tol := 5 * math.Sqrt((mu4-wantVar*wantVar)/n); math.Abs(variance-wantVar) > tol {
			t.Errorf("shape %v scale %v: variance %v, want %v within %.3g", c.shape, c.scale, variance, wantVar, tol)
		}
	}
}

// TestLogUnitMatchesLog checks the engine's logarithm on (0, 1] against
// math.Log, to four units in the last place: near 1, where the logarithm
// is small, on every interval of its table, and down to the smallest
// uniform draws.
func TestLogUnitMatchesLog(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(x float64) {
		got, want := LogUnit(x), math.Log(x)
		if d := math.Abs(got - want); d > 4*0x1p-52*math.Abs(want) {
			t.Fatalf("LogUnit(%v) = %v, math.Log gives %v (relative error %.2g)", x, got, want, d/math.Abs(want))
		}
	}
	for _, x := range []float64{1, math.Nextafter(1, 0), 1 - 0x1p-40, 0.5, 0.6875, 0.75, 0x1p-53, 1e-300} {
		check(x)
	}
	for range 1_000_000 {
		check(1 - r.Float64())
		check(1 - 1e-6*r.Float64())
		check(math.Ldexp(1-r.Float64(), -r.IntN(60)))
	}
}

// TestExponentialTail checks the ziggurat's exponential draw against the
// exponential survival function exp(-t), within five binomial standard
// errors, at points inside the layers, near the top of the base layer
// and in the tail past zigR, which the draw reaches by its slow paths.
func TestExponentialTail(t *testing.T) {
	const draws = 4_000_000
	s := newSource(11, 12)
	points := []float64{0.001, 0.01, 0.1, 0.5, 1, 2, 3, 5, zigR - 0.05, zigR, 9, 11}
	above := make([]int, len(points))
	var sum float64
	for range draws {
		x := s.Exponential()
		sum += x
		for k, p := range points {
			if x > p {
				above[k]++
			}
		}
	}
	for k, p := range points {
		want := math.Exp(-p)
		got := float64(above[k]) / draws
		if tol := 5 * math.Sqrt(want*(1-want)/draws); math.Abs(got-want) > tol {
			t.Errorf("share above %v: %.6g, want %.6g within %.2g", p, got, want, tol)
		}
	}
	if mean, tol := sum/draws, 5/math.Sqrt(draws); math.Abs(mean-1) > tol {
		t.Errorf("mean %.5f, want 1 within %.5f", mean, tol)
	}
}

// TestThinnedChance checks that thinned trials succeed with each trial's
// own chance: trials cycle through chances below the bound, and each
// chance's share of successes is within 4 standard errors of it.
func TestThinnedChance(t *testing.T) {
	s := newSource(13, 14)
	const perChance = 100_000
	for _, bound := range []float64{0.01, 0.2, 1} {
		chances := []float64{0, bound / 10, bound / 2, bound}
		hits := make([]int, len(chances))
		var k Thinned
		k.Start(s, bound)
		for i := range perChance * len(chances) {
			c := i % len(chances)
			if k.Candidate(s) && k.Accept(s, chances[c]) {
				hits[c]++
			}
		}
		for c, p := range chances {
			share := float64(hits[c]) / perChance
			if tol := 4 * math.Sqrt(p*(1-p)/perChance); math.Abs(share-p) > tol {
				t.Errorf("bound %v, chance %v: share of successes %v, want within %.2g", bound, p, share, tol)
			}
		}
	}
}
