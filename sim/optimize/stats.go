package optimize

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is an estimate with its confidence interval and the number of
// replicates behind it.
type Interval struct {
	Estimate, Low, High float64
	N                   int
}

// MarshalJSON writes the interval with a missing end (one replicate says
// nothing of spread) as null, which JSON has for NaN.
func (iv Interval) MarshalJSON() ([]byte, error) {
	f := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	return json.Marshal(map[string]any{"estimate": f(iv.Estimate), "low": f(iv.Low), "high": f(iv.High), "n": iv.N})
}

// Contains reports whether v lies in the interval.
func (iv Interval) Contains(v float64) bool { return iv.Low <= v && v <= iv.High }

// bootstrapDraws is the number of bootstrap resamples of a quantile's
// interval and of the probability of being best: enough that a
// probability's Monte Carlo error (at most 0.5/sqrt(2000) = 0.011) is
// well below what a reader would act on.
const bootstrapDraws = 2000

// statistic reduces a candidate's replicates to the number the search
// maximizes: their mean, or their lower quantile q (the value that a
// share q of replicates fall below), a risk-averse objective.
type statistic struct {
	quantile   float64 // 0: the mean
	confidence float64
	seed       uint64
}

func (s statistic) of(values []float64) float64 {
	if s.quantile == 0 {
		sum := 0.0
		for _, v := range values {
			sum += v
		}
		return sum / float64(len(values))
	}
	sorted := append([]float64(nil), values...)
	slices.Sort(sorted)
	return quantileSorted(sorted, s.quantile)
}

// quantileSorted interpolates linearly between order statistics (type 7 of
// Hyndman and Fan 1996, the default of R and NumPy).
func quantileSorted(x []float64, q float64) float64 {
	h := q * float64(len(x)-1)
	lo := int(math.Floor(h))
	if lo >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

func tQuantile(confidence float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.5 + confidence/2)
}

// meanInterval is the Student-t interval of the mean of values.
func meanInterval(values []float64, confidence float64) Interval {
	n := len(values)
	iv := Interval{Estimate: math.NaN(), Low: math.NaN(), High: math.NaN(), N: n}
	if n == 0 {
		return iv
	}
	sum := 0.0
	for _, v := range values {
		sum += v
	}
	iv.Estimate = sum / float64(n)
	if n < 2 {
		return iv
	}
	ss := 0.0
	for _, v := range values {
		ss += (v - iv.Estimate) * (v - iv.Estimate)
	}
	half := tQuantile(confidence, n-1) * math.Sqrt(ss/float64(n-1)/float64(n))
	iv.Low, iv.High = iv.Estimate-half, iv.Estimate+half
	return iv
}

// interval is the statistic of values with its confidence interval: the
// Student-t interval for a mean, a bootstrap percentile interval for a
// quantile.
func (s statistic) interval(values []float64) Interval {
	if s.quantile == 0 {
		return meanInterval(values, s.confidence)
	}
	return s.paired(values, nil)
}

// difference is the statistic of a minus that of b, with the interval of
// the paired difference: a[r] and b[r] share replicate r's luck. For the
// mean it is the Student-t interval of the differences a[r]-b[r]; for a
// quantile, the bootstrap resamples replicates, each drawn replicate
// bringing both its values.
func (s statistic) difference(a, b []float64) Interval {
	if s.quantile == 0 {
		d := make([]float64, len(a))
		for i := range a {
			d[i] = a[i] - b[i]
		}
		return meanInterval(d, s.confidence)
	}
	return s.paired(a, b)
}

// paired bootstraps the statistic of a (minus that of b, when b is given).
func (s statistic) paired(a, b []float64) Interval {
	n := len(a)
	est := s.of(a)
	if b != nil {
		est -= s.of(b)
	}
	iv := Interval{Estimate: est, Low: math.NaN(), High: math.NaN(), N: n}
	if n < 2 {
		return iv
	}
	rng := rand.New(rand.NewPCG(s.seed, 0x6f707469)) // the same draws for the same values
	ra, rb := make([]float64, n), make([]float64, n)
	draws := make([]float64, bootstrapDraws)
	for d := range draws {
		for i := range n {
			k := rng.IntN(n)
			ra[i] = a[k]
			if b != nil {
				rb[i] = b[k]
			}
		}
		draws[d] = s.of(ra)
		if b != nil {
			draws[d] -= s.of(rb)
		}
	}
	slices.Sort(draws)
	alpha := (1 - s.confidence) / 2
	iv.Low, iv.High = quantileSorted(draws, alpha), quantileSorted(draws, 1-alpha)
	return iv
}

// probabilityBest is, for each candidate, the share of bootstrap resamples
// of the replicates in which its statistic is the largest (a share of a
// draw for each of several that tie). values[i][r] is candidate i's
// replicate r; all have the same replicates, and a resample draws whole
// replicates, which keeps the pairing.
func (s statistic) probabilityBest(values [][]float64) []float64 {
	k := len(values)
	p := make([]float64, k)
	if k == 0 {
		return p
	}
	n := len(values[0])
	rng := rand.New(rand.NewPCG(s.seed, 0x62657374))
	picks := make([]int, n)
	buf := make([]float64, n)
	stat := make([]float64, k)
	for range bootstrapDraws {
		for i := range picks {
			picks[i] = rng.IntN(n)
		}
		best := math.Inf(-1)
		for c := range values {
			for i, r := range picks {
				buf[i] = values[c][r]
			}
			stat[c] = s.of(buf)
			best = math.Max(best, stat[c])
		}
		ties := 0
		for c := range stat {
			if stat[c] == best {
				ties++
			}
		}
		for c := range stat {
			if stat[c] == best {
				p[c] += 1 / float64(ties)
			}
		}
	}
	for c := range p {
		p[c] /= bootstrapDraws
	}
	return p
}
