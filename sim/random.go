package sim

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// pcg is the PCG-DXSM generator of math/rand/v2's PCG, the same stream
// for the same seed, written out so that the hot loop's uniform draw
// inlines: a call would cost more than the draw, since every live
// register is saved around it.
type pcg struct{ hi, lo uint64 }

// The 128-bit multiplier and increment of the state, and DXSM's multiplier.
const (
	pcgMulHi    = 2549297995355413924
	pcgMulLo    = 4865540595714422341
	pcgIncHi    = 6364136223846793005
	pcgIncLo    = 1442695040888963407
	pcgCheapMul = 0xda942042e4dd58b5
)

// Seed sets the state, as rand.PCG.Seed does.
func (p *pcg) Seed(seed1, seed2 uint64) { p.hi, p.lo = seed1, seed2 }

// Uint64 advances the state and returns its DXSM output.
func (p *pcg) Uint64() uint64 {
	hi, lo := bits.Mul64(p.lo, pcgMulLo)
	hi += p.hi*pcgMulLo + p.lo*pcgMulHi
	lo, c := bits.Add64(lo, pcgIncLo, 0)
	hi, _ = bits.Add64(hi, pcgIncHi, c)
	p.lo, p.hi = lo, hi
	hi ^= hi >> 32
	hi *= pcgCheapMul
	hi ^= hi >> 48
	return hi * (lo | 1)
}

// poisson draws from a Poisson distribution of mean lambda, computing
// exp(-lambda) only when the draw needs it: since exp(-lambda) > 1 - lambda,
// a uniform below 1 - lambda is a zero by inversion, which is most draws of
// a small mean. The draws are those of poissonExp.
func poisson(w *worker, lambda float64) int32 {
	if lambda <= 0 {
		return 0
	}
	if lambda >= 10 {
		return poissonPTRS(w.r, lambda)
	}
	u := w.uniform()
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
// place, at a fraction of math.Exp's cost: poisson needs it for every
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

// poissonExp draws from a Poisson distribution of mean lambda; expNeg is
// exp(-lambda), which callers compute once for many draws of the same mean.
// Small means use inversion with one uniform draw; large ones the
// transformed rejection method PTRS of Hormann (1993).
func poissonExp(w *worker, lambda, expNeg float64) int32 {
	if lambda <= 0 {
		return 0
	}
	if lambda >= 10 {
		return poissonPTRS(w.r, lambda)
	}
	return invertPoisson(w.uniform(), lambda, expNeg)
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

// gamma draws from a gamma distribution with the given shape and scale
// (Marsaglia & Tsang 2000; shapes below 1 by the boost of Stuart 1962).
func gamma(r *rand.Rand, shape, scale float64) float64 {
	if shape < 1 {
		u := r.Float64()
		return gamma(r, shape+1, scale) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v * scale
		}
	}
}

// The exponential distribution is drawn by the ziggurat method of
// Marsaglia and Tsang ("The Ziggurat Method for Generating Random
// Variables", Journal of Statistical Software 5(8), 2000), with 256
// layers and tables in double precision: one 64-bit draw picks a layer
// from its low 8 bits and a point in it from its top 53, and is
// accepted at once for about 99% of draws, without a logarithm. The
// rest fall in a layer's wedge, decided by the density, or in the tail
// past zigR, drawn by inversion.
const (
	zigLayers = 256
	zigR      = 7.69711747013104972  // where the tail starts
	zigArea   = 3.949659822581572e-3 // the area of each layer
	zigScale  = 1 << 53              // the range of a point's draw
)

// zigWidth[i] converts a point's draw to x in layer i, zigAccept[i] is
// the draw below which the point lies under the layer above and is
// accepted at once, and zigDensity[i] is exp(-x) at the layer's edge.
var zigWidth, zigDensity, zigAccept = func() (width, density [zigLayers]float64, accept [zigLayers]uint64) {
	d := zigR
	t := d
	q := zigArea / math.Exp(-d)
	accept[0] = uint64(d / q * zigScale)
	accept[1] = 0
	width[0] = q / zigScale
	width[zigLayers-1] = d / zigScale
	density[0] = 1
	density[zigLayers-1] = math.Exp(-d)
	for i := zigLayers - 2; i >= 1; i-- {
		d = -math.Log(zigArea/d + math.Exp(-d))
		accept[i+1] = uint64(d / t * zigScale)
		t = d
		density[i] = math.Exp(-d)
		width[i] = d / zigScale
	}
	return width, density, accept
}()

// exponential draws from the exponential distribution of mean 1.
func (w *worker) exponential() float64 {
	for {
		u := w.src.Uint64()
		i := u % zigLayers
		j := u >> 11
		x := float64(j) * zigWidth[i]
		if j < zigAccept[i] {
			return x
		}
		if x, ok := w.exponentialSlow(i, x); ok {
			return x
		}
	}
}

// exponentialSlow decides a draw of x in layer i that is not under the
// layer above: in the tail for layer 0, else in the wedge by the density.
func (w *worker) exponentialSlow(i uint64, x float64) (float64, bool) {
	if i == 0 {
		return zigR - logUnit(1-w.uniform()), true
	}
	return x, zigDensity[i]+w.uniform()*(zigDensity[i-1]-zigDensity[i]) < math.Exp(-x)
}

// A countdown decides a run of independent trials that share one chance
// p, in order, by drawing how many trials fail before the next success:
// a geometric number, floor(E/-log(1-p)) for E exponential of mean 1. A
// trial then costs a decrement, and only a success costs a draw, so rare
// events cost in proportion to how often they happen.
type countdown struct {
	left  int64   // trials that fail before the next success
	scale float64 // 1/-log(1-p): 0 when every trial succeeds, +Inf when none does
}

// start sets the chance and draws the first gap.
func (k *countdown) start(w *worker, p float64) {
	k.scale = 1 / -math.Log1p(-min(max(p, 0), 1))
	k.next(w)
}

func (k *countdown) next(w *worker) {
	gap := w.exponential() * k.scale
	// A chance of 0 gives +Inf, or NaN for a draw of 0: no success, ever.
	if !(gap < 1<<62) {
		k.left = 1 << 62
		return
	}
	k.left = int64(gap)
}

// geometricGap is the number of failures before the next success of
// trials of chance p, by inversion of x uniform on (0, 1]; logMiss is
// log(1-p). The caller floors it, after checking it against its range.
func geometricGap(x, logMiss float64) float64 { return logUnit(x) / logMiss }

// logTableBits sets the size of logUnit's table: 128 intervals.
const logTableBits = 7

// logOffset moves the bits of x so that the intervals of logUnit's
// table tile [0.6875, 1.375).
const logOffset = 0x3fe6000000000000

// logInverse[i] is the reciprocal of the centre of interval i of
// logUnit's table, and logCentre[i] is minus its logarithm: the log of
// the centre as the reciprocal rounds it.
var logInverse, logCentre = func() (inv, lg [1 << logTableBits]float64) {
	for i := range inv {
		lo := math.Float64frombits(logOffset + uint64(i)<<(52-logTableBits))
		hi := math.Float64frombits(logOffset + uint64(i+1)<<(52-logTableBits))
		if lo > 2 { // the intervals past 1.375 wrap to the top of [0.6875, 1)
			lo, hi = lo/2, hi/2
		}
		inv[i] = 2 / (lo + hi)
		lg[i] = -math.Log(inv[i])
	}
	return inv, lg
}()

// logUnit is the natural logarithm of x in (0, 1], to within a few units
// in the last place of the result, at about half of math.Log's time:
// word of mouth takes one per message sent, the ziggurat's tail one per
// draw in it, and math.Log's long chain of dependent steps would cost
// more than the rest of the draw.
// x = 2^k z with z in [0.6875, 1.375); z times the reciprocal of its
// interval's centre c is 1 + r with |r| < 2^-8, so log x = k log 2 +
// log c + log1p(r), and log1p(r) is its Taylor series to r^7, whose error
// is below r^8/8 < 2^-67. Within 2^-8 of 1, where log x is small and
// must not be the difference of larger terms, r is x - 1, exactly. Other
// arguments go to math.Log.
func logUnit(x float64) float64 {
	if !(x >= 0x1p-1000 && x <= 1) {
		return math.Log(x)
	}
	if x > 1-0x1p-8 {
		return log1pSmall(x - 1)
	}
	bits := math.Float64bits(x)
	t := bits - logOffset
	i := t >> (52 - logTableBits) % (1 << logTableBits)
	k := float64(int64(t) >> 52)
	z := math.Float64frombits(bits - t&(0xfff<<52))
	// log 2 in two parts, the first with trailing zero bits so that k
	// times it is exact (as in math.Log).
	const ln2Hi, ln2Lo = 6.93147180369123816490e-01, 1.90821492927058770002e-10
	return k*ln2Hi + (logCentre[i] + log1pSmall(math.FMA(z, logInverse[i], -1)) + k*ln2Lo)
}

// log1pSmall is log(1+r) for |r| < 2^-8, by its Taylor series to r^7 in
// Estrin's form.
func log1pSmall(r float64) float64 {
	const c3, c4, c5, c6, c7 = 1.0 / 3, -1.0 / 4, 1.0 / 5, -1.0 / 6, 1.0 / 7
	r2 := r * r
	return (r - 0.5*r2) + r2*r*((c3+r*c4)+r2*(c5+r*c6+r2*c7))
}

// hit reports whether the next trial succeeds.
func (k *countdown) hit(w *worker) bool {
	if k.left > 0 {
		k.left--
		return false
	}
	k.next(w)
	return true
}
