package calibrate

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func bassPriors() []Prior {
	return []Prior{
		{Key: "p", Shape: LogUniform, Low: 0.002, High: 0.05},
		{Key: "q", Shape: Uniform, Low: 0.05, High: 0.6},
	}
}

func observe(t testing.TB, model Model, theta []float64, n int, seed uint64) []float64 {
	t.Helper()
	out := make([]float64, n)
	if err := model(context.Background(), theta, seed, out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRunRecoversBass(t *testing.T) {
	days := everyDay(2, 40)
	model := stochasticBass(20_000, days)
	truth := []float64{0.01, 0.3}
	dist := NewDistance([][]float64{observe(t, model, truth, len(days), 99)})
	res, err := Run(context.Background(), model, bassPriors(), dist, Options{Particles: 300, Seed: 7, Workers: 2, Tolerance: 0.005})
	if err != nil {
		t.Fatal(err)
	}
	post := res.Posterior()
	for j, s := range Summarize(post, bassPriors()) {
		t.Logf("%s: truth %g, mean %.4g, 90%% [%.4g, %.4g], after %d generations, %d simulations (%s), ESS %.0f",
			s.Key, truth[j], s.Mean, s.Low, s.High, len(res.Generations), res.Simulations, res.Stop, post.ESS())
		if truth[j] < s.Low || truth[j] > s.High {
			t.Errorf("%s: truth %g outside the 90%% interval [%g, %g]", s.Key, truth[j], s.Low, s.High)
		}
		if rel := math.Abs(s.Mean-truth[j]) / truth[j]; rel > 0.1 {
			t.Errorf("%s: posterior mean %g is %.0f%% off the truth %g, want within 10%%", s.Key, s.Mean, 100*rel, truth[j])
		}
	}
	var sum float64
	for _, w := range post.Weights {
		sum += w
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("weights sum to %g, want 1", sum)
	}
	if ess := post.ESS(); ess < 1 || ess > float64(len(post.Weights))+1e-9 {
		t.Errorf("ESS %g outside [1, N]", ess)
	}
}

// The same seed gives the same fit whatever the number of workers, and a
// fit resumed after any finished generation gives the same result as one
// that never stopped.
func TestRunDeterministicAndResumable(t *testing.T) {
	days := everyDay(3, 30)
	model := stochasticBass(2000, days)
	dist := NewDistance([][]float64{observe(t, model, []float64{0.01, 0.3}, len(days), 5)})
	var gens []*Generation
	opt := Options{Particles: 100, Seed: 11, Generations: 5}
	run := func(workers int, resume []*Generation, record bool) *Result {
		o := opt
		o.Workers, o.Resume = workers, resume
		if record {
			o.OnGeneration = func(g *Generation) error { gens = append(gens, g); return nil }
		}
		res, err := Run(context.Background(), model, bassPriors(), dist, o)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	one := run(1, nil, true)
	if len(gens) != 5 {
		t.Fatalf("%d generations reported, want 5 (%s)", len(gens), one.Stop)
	}
	for _, tt := range []struct {
		name    string
		workers int
		resume  []*Generation
	}{
		{"4 workers", 4, nil},
		{"resumed after generation 0", 2, gens[:1]},
		{"resumed after generation 2", 3, gens[:3]},
		{"resumed when finished", 2, gens},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := run(tt.workers, tt.resume, false)
			if !reflect.DeepEqual(got.Generations, one.Generations) || got.Stop != one.Stop {
				t.Errorf("the fit differs from the one of 1 worker that never stopped")
			}
		})
	}
}

func TestPriorSampleStaysInSupport(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, p := range []Prior{
		{Key: "u", Shape: Uniform, Low: -1, High: 2},
		{Key: "l", Shape: LogUniform, Low: 0.001, High: 10},
		{Key: "n", Shape: Normal, Mean: 0, SD: 1, Low: 3, High: 4}, // far tail: inverse CDF
		{Key: "m", Shape: Normal, Mean: 0.5, SD: 0.2, Low: 0, High: 1},
	} {
		var mean float64
		const n = 4000
		for range n {
			x := p.fromWork(p.sample(r))
			if x < p.Low || x > p.High {
				t.Fatalf("%s: draw %g outside [%g, %g]", p.Key, x, p.Low, p.High)
			}
			mean += x / n
		}
		if p.Key == "u" && math.Abs(mean-0.5) > 4*3/math.Sqrt(12*n) {
			t.Errorf("uniform on [-1, 2]: mean %g, want 0.5 within 4 standard errors", mean)
		}
	}
}

// Generations read back from a journal are the ones written, bit for bit;
// a torn last line is dropped, and a journal of another fit refused.
func TestJournalRoundTrip(t *testing.T) {
	days := everyDay(3, 30)
	model := stochasticBass(2000, days)
	dist := NewDistance([][]float64{observe(t, model, []float64{0.01, 0.3}, len(days), 5)})
	res, err := Run(context.Background(), model, bassPriors(), dist, Options{Particles: 50, Seed: 3, Generations: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), JournalFile)
	j, gens, err := OpenJournal(path, "fit-a", false)
	if err != nil || len(gens) != 0 {
		t.Fatalf("new journal: %d generations, %v", len(gens), err)
	}
	for _, g := range res.Generations {
		if err := j.Append(g); err != nil {
			t.Fatal(err)
		}
	}
	j.Close()
	data, _ := os.ReadFile(path)
	tests := []struct {
		name     string
		text     string
		identity string
		want     int
		wantErr  string
	}{
		{"whole", string(data), "fit-a", 3, ""},
		{"torn last line", string(data[:len(data)-7]), "fit-a", 2, ""},
		{"another fit", string(data), "fit-b", 0, "belongs to another fit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			j, gens, err := OpenJournal(path, tt.identity, false)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			if !reflect.DeepEqual(gens, res.Generations[:tt.want]) {
				t.Errorf("read %d generations, not the %d written", len(gens), tt.want)
			}
		})
	}
}
