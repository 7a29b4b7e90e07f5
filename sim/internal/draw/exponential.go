package draw

import "math"

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

// Exponential draws from the exponential distribution of mean 1.
func (p *PCG) Exponential() float64 {
	for {
		u := p.Uint64()
		i := u % zigLayers
		j := u >> 11
		x := float64(j) * zigWidth[i]
		if j < zigAccept[i] {
			return x
		}
		if x, ok := p.exponentialSlow(i, x); ok {
			return x
		}
	}
}

// exponentialSlow decides a draw of x in layer i that is not under the
// layer above: in the tail for layer 0, else in the wedge by the density.
func (p *PCG) exponentialSlow(i uint64, x float64) (float64, bool) {
	if i == 0 {
		return zigR - LogUnit(1-p.Uniform()), true
	}
	return x, zigDensity[i]+p.Uniform()*(zigDensity[i-1]-zigDensity[i]) < math.Exp(-x)
}

// GeometricGap is the number of failures before the next success of
// trials of chance p, by inversion of x uniform on (0, 1]; logMiss is
// log(1-p). The caller floors it, after checking it against its range.
func GeometricGap(x, logMiss float64) float64 { return LogUnit(x) / logMiss }

// logTableBits sets the size of LogUnit's table: 128 intervals.
const logTableBits = 7

// logOffset moves the bits of x so that the intervals of logUnit's
// table tile [0.6875, 1.375).
const logOffset = 0x3fe6000000000000

// logInverse[i] is the reciprocal of the centre of interval i of
// LogUnit's table, and logCentre[i] is minus its logarithm: the log of
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

// LogUnit is the natural logarithm of x in (0, 1], to within a few units
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
func LogUnit(x float64) float64 {
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
