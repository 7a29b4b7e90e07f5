package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/pushpull/pushpull/sim/design"
	"gonum.org/v1/gonum/stat"
)

// DefaultResamples is the bootstrap size used when SobolOptions leaves it
// 0: enough for stable 95% percentile bounds at little cost, as the
// resamples reuse the runs.
const DefaultResamples = 200

// wideInterval is the interval width past which a Sobol result carries a
// warning to add base rows.
const wideInterval = 0.2

// SobolOptions sets the bootstrap of Sobol.
type SobolOptions struct {
	// Resamples is the number of bootstrap resamples; 0 means
	// DefaultResamples.
	Resamples int
	// Seed seeds the resampling, so that a result can be reproduced.
	Seed uint64
	// Confidence is the interval coverage in (0, 1); 0 means 0.95.
	Confidence float64
}

// Sobol estimates first-order and total Sobol indices of the outcome from a
// sobol design of package design: y[index] is the outcome of design point
// index, so len(y) is N*(k+2) for the k factors named factors. Base rows
// with a NaN or infinite outcome in any of their k+2 runs are dropped and
// counted.
func Sobol(outcome string, factors []string, y []float64, opts SobolOptions) (Result, error) {
	k := len(factors)
	if k == 0 {
		return Result{}, errors.New("sensitivity: no factors given")
	}
	width := k + 2
	if len(y)%width != 0 {
		return Result{}, fmt.Errorf("sensitivity: a sobol design of %d factors has a multiple of %d runs: %d", k, width, len(y))
	}
	resamples, confidence := opts.Resamples, opts.Confidence
	if resamples == 0 {
		resamples = DefaultResamples
	}
	if confidence == 0 {
		confidence = 0.95
	}
	if resamples < 0 {
		return Result{}, fmt.Errorf("sensitivity: bootstrap resamples must not be negative: %d", resamples)
	}
	if !(confidence > 0 && confidence < 1) {
		return Result{}, fmt.Errorf("sensitivity: confidence must be between 0 and 1: %v", confidence)
	}

	s := samples{k: k}
	total := len(y) / width
	for row := range total {
		a, _ := design.SobolIndex(row, design.BlockA, k)
		b, _ := design.SobolIndex(row, design.BlockB, k)
		ok := finite(y[a]) && finite(y[b])
		ab := make([]float64, k)
		for i := range k {
			index, _ := design.SobolIndex(row, i, k)
			ab[i] = y[index]
			ok = ok && finite(ab[i])
		}
		if ok {
			s.a, s.b, s.ab = append(s.a, y[a]), append(s.b, y[b]), append(s.ab, ab)
		}
	}
	n := len(s.a)
	res := Result{Outcome: outcome, Method: MethodSobol, R2: math.NaN(), Confidence: confidence, Used: n, Dropped: total - n, Factors: make([]FactorResult, k)}
	if res.Dropped > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d of %d base rows dropped for NaN or infinite outcomes (each base row is %d runs)", res.Dropped, total, width))
	}
	if n < 2 {
		return Result{}, fmt.Errorf("sensitivity: outcome %s: Sobol indices need at least 2 usable base rows: %d", outcome, n)
	}

	all := make([]int, n)
	for j := range all {
		all[j] = j
	}
	first, totals, variance := s.estimate(all)
	res.Variance = variance
	if variance == 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("outcome %s is constant: no variance to explain", outcome))
		for i, name := range factors {
			res.Factors[i] = FactorResult{Factor: name, IndexLow: math.NaN(), IndexHigh: math.NaN(), TotalLow: math.NaN(), TotalHigh: math.NaN()}
		}
		assignRanks(res.Factors, func(f FactorResult) float64 { return f.Total })
		return res, nil
	}

	bootFirst, bootTotal := make([][]float64, k), make([][]float64, k)
	stream := resampleStream{rand.NewPCG(opts.Seed, bootstrapStream)}
	pick := make([]int, n)
	for range resamples {
		for j := range pick {
			pick[j] = int(stream.below(uint64(n)))
		}
		f, t, v := s.estimate(pick)
		if v == 0 {
			continue // a resample of identical outcomes has no indices
		}
		for i := range k {
			bootFirst[i] = append(bootFirst[i], f[i])
			bootTotal[i] = append(bootTotal[i], t[i])
		}
	}
	wide := false
	for i, name := range factors {
		fr := FactorResult{Factor: name, Index: first[i], Total: totals[i]}
		fr.IndexLow, fr.IndexHigh = percentileInterval(bootFirst[i], confidence)
		fr.TotalLow, fr.TotalHigh = percentileInterval(bootTotal[i], confidence)
		wide = wide || fr.IndexHigh-fr.IndexLow > wideInterval || fr.TotalHigh-fr.TotalLow > wideInterval
		res.Factors[i] = fr
	}
	if wide {
		res.Warnings = append(res.Warnings, fmt.Sprintf("some intervals are wider than %.1f: add base rows (sweep.points) for a firmer ranking", wideInterval))
	}
	assignRanks(res.Factors, func(f FactorResult) float64 { return f.Total })
	return res, nil
}

// samples are the outcomes of the usable base rows: f(A), f(B) and f(AB_i).
type samples struct {
	k    int
	a, b []float64
	ab   [][]float64
	pool []float64 // scratch for the pooled variance
}

// estimate computes every factor's S_i and S_Ti and Var(y) over the base
// rows listed in rows (repeats allowed, for the bootstrap).
func (s *samples) estimate(rows []int) (first, total []float64, variance float64) {
	s.pool = s.pool[:0]
	for _, j := range rows {
		s.pool = append(s.pool, s.a[j], s.b[j])
	}
	// Population variance of f(A) and f(B) pooled, as in Saltelli et al.
	// (2010) and SALib.
	_, variance = stat.PopMeanVariance(s.pool, nil)
	first, total = make([]float64, s.k), make([]float64, s.k)
	if variance == 0 {
		return first, total, 0
	}
	n := float64(len(rows))
	for i := range s.k {
		var sumFirst, sumTotal float64
		for _, j := range rows {
			a, b, ab := s.a[j], s.b[j], s.ab[j][i]
			sumFirst += b * (ab - a)
			sumTotal += (a - ab) * (a - ab)
		}
		first[i] = sumFirst / n / variance
		total[i] = sumTotal / n / 2 / variance
	}
	return first, total, variance
}

// percentileInterval is the central confidence share of the bootstrap
// estimates, or NaN bounds without any.
func percentileInterval(estimates []float64, confidence float64) (low, high float64) {
	if len(estimates) == 0 {
		return math.NaN(), math.NaN()
	}
	sorted := slices.Clone(estimates)
	slices.Sort(sorted)
	tail := (1 - confidence) / 2
	return stat.Quantile(tail, stat.LinInterp, sorted, nil), stat.Quantile(1-tail, stat.LinInterp, sorted, nil)
}

// bootstrapStream is the second PCG seed word ("sobolbts" in ASCII), fixed
// so that SobolOptions.Seed alone determines the resamples.
const bootstrapStream = 0x736f626f6c627473

// resampleStream draws base rows from a PCG's raw output with fixed
// arithmetic, so that a seed gives the same intervals on every Go release.
type resampleStream struct{ src *rand.PCG }

// below is uniform on [0, n) for n > 0, by Lemire's (2019) multiply and
// reject, which has no modulo bias.
func (s resampleStream) below(n uint64) uint64 {
	hi, lo := bits.Mul64(s.src.Uint64(), n)
	if lo < n {
		threshold := -n % n
		for lo < threshold {
			hi, lo = bits.Mul64(s.src.Uint64(), n)
		}
	}
	return hi
}
