package optimize

import (
	"context"
	"errors"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

// noise is replicate r's luck at candidate c: a part every candidate of
// replicate r shares (what common random numbers pair away) and a part of
// the candidate's own.
func noise(c Candidate, rep int, common, own float64) float64 {
	h := fnv.New64a()
	h.Write([]byte(c.Key()))
	shared := rand.New(rand.NewPCG(uint64(rep), 0)).NormFloat64()
	mine := rand.New(rand.NewPCG(uint64(rep), h.Sum64())).NormFloat64()
	return common*shared + own*mine
}

// bowl is a noisy paraboloid over [0, 10]^2 whose true maximum, 0, is at
// (6.3, 2.7).
type bowl struct{ common, own float64 }

func (b bowl) truth(x, y float64) float64 { return -((x-6.3)*(x-6.3) + 2*(y-2.7)*(y-2.7)) / 10 }

func (b bowl) objective(_ context.Context, c Candidate, rep int) (float64, error) {
	return b.truth(c.Values[0], c.Values[1]) + noise(c, rep, b.common, b.own), nil
}

var bowlSpace = Space{Ranges: []Range{{Name: "x", Min: 0, Max: 10, Start: math.NaN()}, {Name: "y", Min: 0, Max: 10, Start: math.NaN()}}}

// fineGrid is the brute-force answer: every point of a 41 x 41 grid (a
// step of 0.25), each with replicates; it returns the best point by mean.
func fineGrid(b bowl, reps int) (x, y float64, sims int) {
	best := math.Inf(-1)
	for i := 0; i <= 40; i++ {
		for j := 0; j <= 40; j++ {
			c := Candidate{Values: []float64{float64(i) / 4, float64(j) / 4}}
			sum := 0.0
			for r := range reps {
				v, _ := b.objective(context.Background(), c, r)
				sum += v
			}
			sims += reps
			if sum/float64(reps) > best {
				best, x, y = sum/float64(reps), c.Values[0], c.Values[1]
			}
		}
	}
	return x, y, sims
}

// randomSearch spends the budget on uniform random candidates of reps
// replicates each and returns the best by mean.
func randomSearch(b bowl, budget, reps int, seed uint64) (x, y float64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	best := math.Inf(-1)
	for range budget / reps {
		c := Candidate{Values: []float64{10 * rng.Float64(), 10 * rng.Float64()}}
		sum := 0.0
		for r := range reps {
			v, _ := b.objective(context.Background(), c, r)
			sum += v
		}
		if sum/float64(reps) > best {
			best, x, y = sum/float64(reps), c.Values[0], c.Values[1]
		}
	}
	return x, y
}

// The optimizer's answer is as good as a fine grid's, within the grid's
// own noise, for a tenth of its simulations.
func TestFindsTheOptimumOfANoisyBowl(t *testing.T) {
	b := bowl{common: 1, own: 0.5}
	const gridReps = 20
	gx, gy, gridSims := fineGrid(b, gridReps)
	// Two grid points whose true values differ by less than the half-width
	// of their paired 95% interval cannot be told apart by the grid.
	gridNoise := tQuantile(0.95, gridReps-1) * b.own * math.Sqrt(2.0/gridReps)
	t.Logf("grid: %d simulations, best (%.2f, %.2f), regret %.4f, noise %.3f", gridSims, gx, gy, -b.truth(gx, gy), gridNoise)
	budget := gridSims / 10
	res, err := Run(context.Background(), &bowlSpace, b.objective, Options{Budget: budget, Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	x, y := res.Best.Values[0], res.Best.Values[1]
	regret := -b.truth(x, y)
	t.Logf("optimizer: %d simulations, best (%.3f, %.3f), regret %.4f", res.Simulations, x, y, regret)
	if res.Simulations > budget {
		t.Errorf("used %d simulations, budget %d", res.Simulations, budget)
	}
	if regret > gridNoise {
		t.Errorf("regret %.4f exceeds the grid's noise %.3f", regret, gridNoise)
	}
	if !res.Finalists[0].Estimate.Contains(0) && math.Abs(res.Finalists[0].Estimate.Estimate) > 1 {
		t.Errorf("winner's estimate %+v is far from the true maximum 0", res.Finalists[0].Estimate)
	}
}

// With the same number of simulations, the optimizer's answer is truly
// better than random search's in most of 20 seeds.
func TestBeatsRandomSearch(t *testing.T) {
	b := bowl{common: 1, own: 0.5}
	const budget, seeds = 3362, 20 // a tenth of the fine grid's simulations
	wins := 0
	var regretOpt, regretRandom float64
	for seed := range uint64(seeds) {
		res, err := Run(context.Background(), &bowlSpace, b.objective, Options{Budget: budget, Seed: seed, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		ro := -b.truth(res.Best.Values[0], res.Best.Values[1])
		rx, ry := randomSearch(b, budget, DefaultReplicates, seed)
		rr := -b.truth(rx, ry)
		regretOpt += ro / seeds
		regretRandom += rr / seeds
		if ro < rr {
			wins++
		}
	}
	t.Logf("wins %d of %d; mean regret: optimizer %.4f, random search %.4f", wins, seeds, regretOpt, regretRandom)
	// Under the null of a coin toss, 14 or more wins of 20 has
	// probability 0.058.
	if wins < 14 || regretOpt >= regretRandom {
		t.Errorf("optimizer beat random search in %d of %d seeds (mean regret %.4f against %.4f), want at least 14 and a lower mean", wins, seeds, regretOpt, regretRandom)
	}
}

// Shares that sum to one: the maximum of sum w_i log s_i on the simplex
// is at s = w.
func TestFindsTheBestSplitOfShares(t *testing.T) {
	w := []float64{0.5, 0.3, 0.2}
	space := Space{Shares: []Shares{{Names: []string{"ads", "content", "partners"}}}}
	obj := func(_ context.Context, c Candidate, rep int) (float64, error) {
		v := 0.0
		for i, s := range c.Shares[0] {
			v += w[i] * math.Log(s)
		}
		return v + noise(c, rep, 0.5, 0.02), nil
	}
	res, err := Run(context.Background(), &space, obj, Options{Budget: 2000, Seed: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for i, s := range res.Best.Shares[0] {
		sum += s
		if math.Abs(s-w[i]) > 0.06 {
			t.Errorf("share %d = %.3f, want %.2f +- 0.06", i, s, w[i])
		}
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("shares sum to %.15f, want 1", sum)
	}
}

// Choices are compared exactly: the best choice wins even though the
// range's best value is the same under every choice.
func TestComparesEveryChoice(t *testing.T) {
	offset := []float64{0, 0.5, 0.2}
	space := Space{
		Ranges:  []Range{{Name: "rate", Min: 0, Max: 4, Start: math.NaN()}},
		Choices: []Choice{{Name: "platform", Values: []string{"none", "conversation", "contribution"}}},
	}
	obj := func(_ context.Context, c Candidate, rep int) (float64, error) {
		x := c.Values[0]
		return offset[c.Choices[0]] - (x-1.5)*(x-1.5) + noise(c, rep, 1, 0.1), nil
	}
	res, err := Run(context.Background(), &space, obj, Options{Budget: 1500, Seed: 5, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := space.Choices[0].Values[res.Best.Choices[0]]; got != "conversation" {
		t.Errorf("best platform %s, want conversation", got)
	}
	if x := res.Best.Values[0]; math.Abs(x-1.5) > 0.2 {
		t.Errorf("best rate %.3f, want 1.5 +- 0.2", x)
	}
	// Finalists of the same platform at nearly the same rate may be
	// within noise of the winner; those of other platforms, 0.3 or more
	// below, must not.
	for _, f := range res.Finalists[1:] {
		if f.Candidate.Choices[0] != res.Best.Choices[0] && f.Verdict != Worse {
			t.Errorf("finalist %v, 0.3 or more below the winner, has verdict %s (difference %+v)", f.Candidate, f.Verdict, f.Difference)
		}
	}
}

// The final selection's intervals are paired: the difference's interval
// is the Student-t interval of replicate-by-replicate differences, far
// narrower than the finalists' own intervals when most noise is shared.
func TestFinalIntervalsArePaired(t *testing.T) {
	offset := []float64{0, 0.3}
	space := Space{Choices: []Choice{{Name: "response", Values: []string{"hide", "admit"}}}}
	var calls atomic.Int64
	values := map[string][]float64{}
	obj := func(_ context.Context, c Candidate, rep int) (float64, error) {
		calls.Add(1)
		return offset[c.Choices[0]] + noise(c, rep, 2, 0.1), nil
	}
	res, err := Run(context.Background(), &space, obj, Options{Budget: 200, Seed: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Finalists) != 2 {
		t.Fatalf("%d finalists, want 2", len(res.Finalists))
	}
	win, other := res.Finalists[0], res.Finalists[1]
	if space.Choices[0].Values[win.Candidate.Choices[0]] != "admit" || other.Verdict != Worse || res.Tied {
		t.Errorf("winner %v, other's verdict %s, tied %v; want admit, worse, false", win.Candidate, other.Verdict, res.Tied)
	}
	n := other.Difference.N
	for _, f := range res.Finalists {
		for r := range n {
			v, _ := obj(context.Background(), f.Candidate, r)
			values[f.Candidate.Key()] = append(values[f.Candidate.Key()], v)
		}
	}
	d := make([]float64, n)
	for r := range n {
		d[r] = values[other.Candidate.Key()][r] - values[win.Candidate.Key()][r]
	}
	want := meanInterval(d, DefaultConfidence)
	if math.Abs(want.Low-other.Difference.Low) > 1e-12 || math.Abs(want.High-other.Difference.High) > 1e-12 {
		t.Errorf("difference interval %+v, want the paired %+v", other.Difference, want)
	}
	pairedWidth := other.Difference.High - other.Difference.Low
	ownWidth := win.Estimate.High - win.Estimate.Low
	if pairedWidth > ownWidth/5 {
		t.Errorf("paired interval width %.3f not far below the winner's own %.3f", pairedWidth, ownWidth)
	}
	if win.ProbabilityBest < 0.99 {
		t.Errorf("winner's probability of being best %.3f, want > 0.99", win.ProbabilityBest)
	}
}

// A deliberate tie is reported as a tie: two choices with the same effect
// and the same luck (an exact tie), and two with the same effect and luck
// of their own (a tie within the margin).
func TestReportsATie(t *testing.T) {
	for _, tc := range []struct {
		name   string
		own    float64
		margin float64
	}{
		{"exact", 0, 0},
		{"within margin", 0.05, 0.1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			space := Space{Choices: []Choice{{Name: "platform", Values: []string{"conversation", "contribution"}}}}
			obj := func(_ context.Context, c Candidate, rep int) (float64, error) {
				return 1 + noise(Candidate{Choices: c.Choices}, rep, 1, 0)*1 + tc.own*noise(c, rep, 0, 1), nil
			}
			res, err := Run(context.Background(), &space, obj, Options{Budget: 400, Seed: 2, Workers: 2, TieMargin: tc.margin})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Tied || res.Finalists[1].Verdict != Tie {
				t.Fatalf("tied %v, runner-up's verdict %s, difference %+v; want a tie", res.Tied, res.Finalists[1].Verdict, res.Finalists[1].Difference)
			}
			p0, p1 := res.Finalists[0].ProbabilityBest, res.Finalists[1].ProbabilityBest
			if math.Abs(p0+p1-1) > 1e-9 {
				t.Errorf("probabilities %.3f + %.3f do not sum to 1", p0, p1)
			}
			if tc.own == 0 && (p0 != 0.5 || p1 != 0.5) {
				t.Errorf("an exact tie has probabilities %.3f and %.3f, want 0.5 each", p0, p1)
			}
		})
	}
}

// The answer does not depend on the number of workers.
func TestSameAnswerForAnyWorkers(t *testing.T) {
	b := bowl{common: 1, own: 0.5}
	var first *Result
	for _, w := range []int{1, 3, 8} {
		res, err := Run(context.Background(), &bowlSpace, b.objective, Options{Budget: 600, Seed: 7, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
			continue
		}
		if !reflect.DeepEqual(res, first) {
			t.Errorf("workers %d: best %v after %d simulations; workers 1: best %v after %d", w, res.Best, res.Simulations, first.Best, first.Simulations)
		}
	}
}

// A killed optimization resumes from its journal, runs only what is
// missing, and gives the answer of an uninterrupted one.
func TestResumesFromTheJournal(t *testing.T) {
	b := bowl{common: 1, own: 0.5}
	opt := Options{Budget: 600, Seed: 11, Workers: 2, Identity: "bowl"}
	whole, err := Run(context.Background(), &bowlSpace, b.objective, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Journal = filepath.Join(t.TempDir(), "optimize.journal")
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	killing := func(ctx context.Context, c Candidate, rep int) (float64, error) {
		if calls.Add(1) == 250 {
			cancel()
		}
		return b.objective(ctx, c, rep)
	}
	if _, err := Run(ctx, &bowlSpace, killing, opt); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: error %v, want context.Canceled", err)
	}
	var second atomic.Int64
	counting := func(ctx context.Context, c Candidate, rep int) (float64, error) {
		second.Add(1)
		return b.objective(ctx, c, rep)
	}
	resumed, err := Run(context.Background(), &bowlSpace, counting, opt)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Resumed < 200 || int(second.Load()) != resumed.Simulations-resumed.Resumed {
		t.Errorf("resumed %d, ran %d of %d; want at least 200 resumed and only the rest run", resumed.Resumed, second.Load(), resumed.Simulations)
	}
	resumed.Resumed = 0
	if !reflect.DeepEqual(resumed, whole) {
		t.Errorf("resumed answer %v (%d simulations), uninterrupted %v (%d)", resumed.Best, resumed.Simulations, whole.Best, whole.Simulations)
	}
	// A journal of another optimization is refused.
	other := opt
	other.Seed = 12
	if _, err := Run(context.Background(), &bowlSpace, b.objective, other); err == nil || !strings.Contains(err.Error(), "belongs to another optimization") {
		t.Errorf("another optimization's journal: error %v", err)
	}
}

func TestRejectsBadOptions(t *testing.T) {
	obj := bowl{}.objective
	for _, tc := range []struct {
		name  string
		space Space
		opt   Options
		want  string
	}{
		{"zero budget", bowlSpace, Options{}, "optimize: the simulation budget must be at least 1: 0"},
		{"empty space", Space{}, Options{Budget: 10}, "optimize: the space has nothing to search"},
		{"inverted range", Space{Ranges: []Range{{Name: "x", Min: 2, Max: 1, Start: math.NaN()}}}, Options{Budget: 10}, "optimize: range x: min must be below max and both finite: [2, 1]"},
		{"shares not summing to one", Space{Shares: []Shares{{Names: []string{"a", "b"}, Start: []float64{0.5, 0.6}}}}, Options{Budget: 10}, "optimize: shares [a b]: start shares must sum to 1: 1.1"},
		{"bad quantile", bowlSpace, Options{Budget: 10, Quantile: 1.5}, "optimize: the quantile must be in [0, 1) (0: the mean): 1.5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), &tc.space, obj, tc.opt)
			if err == nil || err.Error() != tc.want {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
