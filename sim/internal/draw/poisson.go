package draw

import (
	"math"
	"math/rand/v2"
)

// Poisson draws from a Poisson distribution of mean lambda, computing
// exp(-lambda) only when the draw needs it: since exp(-lambda) > 1 - lambda,
// a uniform below 1 - lambda is a zero by inversion, which is most draws of
// a small mean. The draws are those of PoissonExp.
func (s *Source) Poisson(lambda float64) int32 {
	if lambda <= 0 {
		return 0
	}
	if lambda >= 10 {
		return poissonPTRS(s.rand, lambda)
	}
	u := s.Uniform()
	// The margin keeps rounding from ever deciding otherwise than exp would.
	if u < 1-lambda-0x1p-50 {
		return 0
	}
	return invertPoisson(u, lambda, expNeg(lambda))
}

// expNegSteps is how finely expNegTable tabulates exp(-x) per unit of x.
const expNegSteps = 64

// expNegTable[j] is exp(-j/expNegSteps), for 0 <= j/expNegSteps <= 10.
var expNegTable = func() (t [10*expNegSteps + 1]float64) {
	for j := range t {
		t[j] = math.Exp(-float64(j) / expNegSteps)
	}
	return t
}()

// expNeg is exp(-x) for x in [0, 10), to within a few units in the last
// place, at a fraction of math.Exp's cost: Poisson needs it for every
// draw that is not decided as zero at once. A tabulated exp(-j/64) is corrected by
// the Taylor series of exp(-d) for the remainder d < 1/64 up to d^6,
// whose error is below d^7/5040 < 1e-16. The series is evaluated in
// Estrin's form, in powers of d^2, whose few dependent steps let the
// processor overlap the multiplications.
func expNeg(x float64) float64 {
	const c3, c4, c5, c6 = 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720
	j := int(x * expNegSteps)
	d := x - float64(j)*(1.0/expNegSteps)
	d2 := d * d
	return expNegTable[j] * ((1 - d) + d2*(0.5-d*c3) + d2*d2*((c4-d*c5)+d2*c6))
}

// PoissonExp draws from a Poisson distribution of mean lambda; expNeg is
// exp(-lambda), which callers compute once for many draws of the same mean.
// Small means use inversion with one uniform draw; large ones the
// transformed rejection method PTRS of Hormann (1993).
func (s *Source) PoissonExp(lambda, expNeg float64) int32 {
	if lambda <= 0 {
		return 0
	}
	if lambda >= 10 {
		return poissonPTRS(s.rand, lambda)
	}
	return invertPoisson(s.Uniform(), lambda, expNeg)
}

// reciprocals[k] is 1/k: a multiplication where a division would hold up
// the next step of the inversion.
var reciprocals = func() (r [32]float64) {
	for k := 1; k < len(r); k++ {
		r[k] = 1 / float64(k)
	}
	return r
}()

// invertPoisson returns the smallest k whose Poisson(lambda) distribution
// function reaches u.
func invertPoisson(u, lambda, expNeg float64) int32 {
	p := expNeg
	cdf := p
	var k int32
	for u > cdf {
		k++
		if int(k) < len(reciprocals) {
			p *= lambda * reciprocals[k]
		} else {
			p *= lambda / float64(k)
		}
		cdf += p
		if p < 1e-17 && k > int32(lambda) {
			break
		}
	}
	return k
}

// poissonPTRS is Hormann's PTRS ("The transformed rejection method for
// generating Poisson random variables", Insurance: Mathematics and
// Economics 12, 1993), exact for lambda >= 10.
func poissonPTRS(r *rand.Rand, lambda float64) int32 {
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int32(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int32(k)
		}
	}
}
