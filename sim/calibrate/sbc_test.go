package calibrate

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// Simulation-based calibration (Talts et al. 2018): draw a truth from the
// prior, simulate data at it, fit; over many such data sets a calibrated
// posterior puts the truth at a uniformly distributed rank among posterior
// draws, and its 90% intervals cover the truth 90% of the time.
func TestSimulationBasedCalibration(t *testing.T) {
	const (
		datasets = 100
		draws    = 9 // posterior draws per data set: ranks 0..9, 10 bins
		// The false-alarm rate of each check: each key's coverage and
		// rank histogram is tested at 1%, so a calibrated fit fails one of
		// the four checks with probability below 4%; the seeds are fixed,
		// so the test gives the same answer every time.
		alpha = 0.01
	)
	days := everyDay(3, 30)
	model := stochasticBass(1000, days)
	priors := bassPriors()
	r := rand.New(rand.NewPCG(2018, 1))
	covered := make([]int, len(priors))
	ranks := make([][]int, len(priors))
	for k := range ranks {
		ranks[k] = make([]int, draws+1)
	}
	sims := 0
	for i := range datasets {
		truth := make([]float64, len(priors))
		for j, p := range priors {
			truth[j] = p.fromWork(p.sample(r))
		}
		dist := NewDistance([][]float64{observe(t, model, truth, len(days), uint64(1000+i))})
		res, err := Run(context.Background(), model, priors, dist, Options{Particles: 100, Seed: uint64(i), Workers: 2, MinAcceptance: 0.03, Generations: 16})
		if err != nil {
			t.Fatal(err)
		}
		sims += res.Simulations
		post := res.Posterior()
		for j, s := range Summarize(post, priors) {
			if truth[j] >= s.Low && truth[j] <= s.High {
				covered[j]++
			}
		}
		cum := make([]float64, len(post.Weights))
		var c float64
		for n, w := range post.Weights {
			c += w
			cum[n] = c
		}
		for j := range priors {
			rank := 0
			for range draws {
				n, _ := slices.BinarySearch(cum, r.Float64()*c)
				if post.Particles[min(n, len(cum)-1)][j] < truth[j] {
					rank++
				}
			}
			ranks[j][rank]++
		}
	}
	// Coverage: binomial(datasets, 0.9), two-sided at alpha.
	cov := distuv.Binomial{N: datasets, P: Credible}
	lo, hi := 0, datasets
	for lo < datasets && cov.CDF(float64(lo)) < alpha/2 {
		lo++
	}
	for hi > 0 && cov.CDF(float64(hi-1)) > 1-alpha/2 {
		hi--
	}
	chi := distuv.ChiSquared{K: draws}
	critical := chi.Quantile(1 - alpha)
	for j, p := range priors {
		var x2 float64
		want := float64(datasets) / float64(draws+1)
		for _, n := range ranks[j] {
			x2 += (float64(n) - want) * (float64(n) - want) / want
		}
		t.Logf("%s: 90%% intervals cover the truth in %d of %d data sets (accepted %d..%d); rank histogram %v, chi-square %.1f (critical %.1f at %g, %d degrees of freedom); %d simulations in all",
			p.Key, covered[j], datasets, lo, hi, ranks[j], x2, critical, alpha, draws, sims)
		if covered[j] < lo || covered[j] > hi {
			t.Errorf("%s: coverage %d of %d outside the binomial range %d..%d", p.Key, covered[j], datasets, lo, hi)
		}
		if x2 > critical || math.IsNaN(x2) {
			t.Errorf("%s: rank histogram %v not uniform: chi-square %.1f > %.1f", p.Key, ranks[j], x2, critical)
		}
	}
}
