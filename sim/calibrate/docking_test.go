package calibrate

import (
	"context"
	"math"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/pushpull/pushpull/sim/scenario"
)

// bassScenario is scenarios/validation/bass.toml, the engine reduced to
// the Bass model (p = recall.push, q = 10 recall.peer), with customers
// customers.
func bassScenario(t testing.TB, customers int) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load(filepath.Join("..", "..", "scenarios", "validation", "bass.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.SetFrom("--customers", "customers="+itoa(customers)); err != nil {
		t.Fatal(err)
	}
	return sc
}

func itoa(n int) string { return strconv.Itoa(n) }

// engineBass is the fit of validation/bass with customers customers to
// its adopters on days, simulated by the engine at truth (recall.push,
// recall.peer) with seed 1969.
func engineBass(t testing.TB, customers int, days []int, truth []float64, priors []Prior) (Model, []Prior, *Data) {
	t.Helper()
	sc := bassScenario(t, customers)
	data := &Data{File: "engine", TimeColumn: "day", Columns: []string{"adopters"}, Values: [][]float64{nil}}
	for i, d := range days {
		data.Times = append(data.Times, float64(d))
		data.Lines = append(data.Lines, i+2)
	}
	model, priors, err := ScenarioModel(sc, priors, Target{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	data.Values[0] = observe(t, model, truth, len(days), 1969)
	return model, priors, data
}

// Fitting p and q to a fully mixed Bass curve made by the engine recovers
// them, and the posterior mean agrees with the nonlinear least-squares
// fit (Srinivasan and Mason 1986) of the same curve.
func TestBassDockingFit(t *testing.T) {
	const customers, p, q = 500, 0.005, 0.12
	days := everyDay(2, 60)
	truth := []float64{p, q / 10}
	model, priors, data := engineBass(t, customers, days, truth, []Prior{
		{Key: "recall.push", Shape: LogUniform, Low: 0.001, High: 0.03},
		{Key: "recall.peer", Shape: Uniform, Low: 0.002, High: 0.03},
	})
	res, err := Run(context.Background(), model, priors, NewDistance(data.Values), Options{Particles: 100, Seed: 1, Workers: 2, MinAcceptance: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	sums := Summarize(res.Posterior(), priors)
	times := make([]float64, len(days))
	for i, d := range days {
		times[i] = float64(d)
	}
	_, nlsP, nlsQ := fitBassNLS(dailyBass, times, data.Values[0], [3]float64{customers, 0.01, 0.1})
	nls := []float64{nlsP, nlsQ / 10}
	for j, s := range sums {
		t.Logf("%s: truth %.4g, posterior mean %.4g (sd %.2g), 90%% [%.4g, %.4g]; NLS %.4g; %d generations, %d simulations, tolerance %.4f (%s)",
			s.Key, truth[j], s.Mean, s.SD, s.Low, s.High, nls[j], len(res.Generations), res.Simulations, res.Posterior().Tolerance, res.Stop)
		if truth[j] < s.Low || truth[j] > s.High {
			t.Errorf("%s: truth %g outside the 90%% interval [%g, %g]", s.Key, truth[j], s.Low, s.High)
		}
		// Both estimate from the same curve, so they differ by much less
		// than the curve's noise, which the posterior's spread measures.
		if math.Abs(s.Mean-nls[j]) > s.SD {
			t.Errorf("%s: posterior mean %g and least-squares fit %g differ by more than a posterior sd %g", s.Key, s.Mean, nls[j], s.SD)
		}
	}
}
