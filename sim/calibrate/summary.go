package calibrate

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// weightedQuantile is the q-quantile of xs under weights ws: the smallest
// x whose cumulative weight reaches q of the total.
func weightedQuantile(xs, ws []float64, q float64) float64 {
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	var total float64
	for _, w := range ws {
		total += w
	}
	var cum float64
	for _, i := range idx {
		cum += ws[i]
		if cum >= q*total {
			return xs[i]
		}
	}
	return xs[idx[len(idx)-1]]
}

// Summary is the posterior of one key.
type Summary struct {
	Key    string
	Prior  Prior
	Mean   float64
	SD     float64
	Median float64
	// Low and High bound the central 90% credible interval: the weighted
	// 5% and 95% quantiles.
	Low, High float64
}

// Credible is the probability mass of the interval Summary reports.
const Credible = 0.90

// Summarize returns each key's weighted posterior mean, standard
// deviation, median and central 90% credible interval.
func Summarize(g *Generation, priors []Prior) []Summary {
	out := make([]Summary, len(priors))
	col := make([]float64, len(g.Particles))
	for j, p := range priors {
		for i, x := range g.Particles {
			col[i] = x[j]
		}
		mean, sd := weightedMeanSD(col, g.Weights)
		tail := (1 - Credible) / 2
		out[j] = Summary{Key: p.Key, Prior: p, Mean: mean, SD: sd,
			Median: weightedQuantile(col, g.Weights, 0.5),
			Low:    weightedQuantile(col, g.Weights, tail),
			High:   weightedQuantile(col, g.Weights, 1-tail)}
	}
	return out
}

func weightedMeanSD(xs, ws []float64) (mean, sd float64) {
	for i, x := range xs {
		mean += ws[i] * x
	}
	var v float64
	for i, x := range xs {
		v += ws[i] * (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(v)
}

// Unidentified is the absolute posterior correlation above which two keys
// are reported as ones the data cannot tell apart: the data fix a
// combination of them (a sum, a ratio), not each.
const Unidentified = 0.9

// Correlations returns the weighted Pearson correlation of every pair of
// keys over the posterior particles; r[a][a] is 1.
func Correlations(g *Generation) [][]float64 {
	d := len(g.Particles[0])
	means := make([]float64, d)
	for i, x := range g.Particles {
		for a := range d {
			means[a] += g.Weights[i] * x[a]
		}
	}
	cov := make([][]float64, d)
	for a := range d {
		cov[a] = make([]float64, d)
		for b := range d {
			for i, x := range g.Particles {
				cov[a][b] += g.Weights[i] * (x[a] - means[a]) * (x[b] - means[b])
			}
		}
	}
	r := make([][]float64, d)
	for a := range d {
		r[a] = make([]float64, d)
		for b := range d {
			den := math.Sqrt(cov[a][a] * cov[b][b])
			switch {
			case a == b:
				r[a][b] = 1
			case den > 0:
				r[a][b] = cov[a][b] / den
			}
		}
	}
	return r
}

// Predictive simulates draws values drawn from the posterior by weight,
// each with its own seed from (seed, draw), and returns the simulated
// vectors and the values drawn. The same seed gives the same draws
// whatever workers is.
func Predictive(ctx context.Context, model Model, g *Generation, n, draws, workers int, seed uint64) (sims, thetas [][]float64, err error) {
	cum := make([]float64, len(g.Weights))
	var s float64
	for i, w := range g.Weights {
		s += w
		cum[i] = s
	}
	sims = make([][]float64, draws)
	thetas = make([][]float64, draws)
	err = forEach(ctx, workers, draws, func(ctx context.Context, k int) error {
		r := rand.New(rand.NewPCG(streamSeed(seed, streamPredictive, uint64(k)), streamPredictive))
		j, _ := slices.BinarySearch(cum, r.Float64()*cum[len(cum)-1])
		j = min(j, len(cum)-1)
		thetas[k] = g.Particles[j]
		sims[k] = make([]float64, n)
		return model(ctx, thetas[k], streamSeed(seed, streamPredictive, uint64(k), 1), sims[k])
	})
	return sims, thetas, err
}

// Band returns, for each element of the simulated vectors, the weighted
// median and central 90% interval over the simulations.
func Band(sims [][]float64) (median, low, high []float64) {
	n := len(sims[0])
	median, low, high = make([]float64, n), make([]float64, n), make([]float64, n)
	col := make([]float64, len(sims))
	ws := make([]float64, len(sims))
	for i := range ws {
		ws[i] = 1
	}
	tail := (1 - Credible) / 2
	for t := range n {
		for i, s := range sims {
			col[i] = s[t]
		}
		median[t] = weightedQuantile(col, ws, 0.5)
		low[t] = weightedQuantile(col, ws, tail)
		high[t] = weightedQuantile(col, ws, 1-tail)
	}
	return median, low, high
}

// Rejection fits by plain rejection ABC (Pritchard et al. 1999), the
// baseline ABC-SMC is measured against: it simulates simulations values
// drawn from the prior and keeps the particles nearest the data, each of
// weight 1/particles; the tolerance is the largest distance kept.
func Rejection(ctx context.Context, model Model, priors []Prior, dist *Distance, particles, simulations, workers int, seed uint64) (*Generation, error) {
	type draw struct {
		theta []float64
		d     float64
	}
	all := make([]draw, simulations)
	err := forEach(ctx, workers, simulations, func(ctx context.Context, i int) error {
		r := rand.New(rand.NewPCG(streamSeed(seed, streamRejection, uint64(i)), streamRejection))
		theta := make([]float64, len(priors))
		for j, p := range priors {
			theta[j] = p.fromWork(p.sample(r))
		}
		out := make([]float64, dist.Len())
		if err := model(ctx, theta, streamSeed(seed, streamRejection, uint64(i), 1), out); err != nil {
			return err
		}
		all[i] = draw{theta, dist.Of(out)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].d < all[b].d })
	particles = min(particles, simulations)
	g := &Generation{Simulations: simulations, Proposals: simulations, Tolerance: all[particles-1].d}
	for _, d := range all[:particles] {
		g.Particles = append(g.Particles, d.theta)
		g.Weights = append(g.Weights, 1/float64(particles))
		g.Distances = append(g.Distances, d.d)
	}
	return g, nil
}
