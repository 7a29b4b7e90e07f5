package sim

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/pushpull/pushpull/sim/graph"
)

// diffusionParams is a market reduced to pure diffusion, the setting in
// which the engine must dock with the Bass model: one brand, unlimited
// attention, a purchase on every need and a need every day, every buyer
// satisfied and an advocate, no churn, no incidents, trust that does not
// enter choice. Bass's p is push.rate * recall.push and q is
// word_of_mouth.rate * recall.peer.
func diffusionParams(n int, p, q float64) Params {
	pr := DefaultParams()
	pr.Customers = n
	pr.Attention.Unlimited = true
	pr.Need = Need{Rate: 1}
	pr.Choice = Choice{Outside: -50}
	pr.Satisfaction = Satisfaction{Tolerance: 1, Advocacy: 1}
	pr.Churn = Churn{}
	pr.OptIn = OptIn{}
	pr.Irritation.PerPush = 0
	pr.WordOfMouth = WordOfMouth{Mode: WOMOngoing, Rate: 10}
	pr.Recall = Recall{Peer: q / 10, Push: p}
	b, _ := StrategyPreset("")
	b.Name = "solo"
	b.Push = Push{Rate: 1, Targeting: TargetEveryone}
	b.Trust.IncidentRate = 0
	if p == 0 {
		b.Push.Rate = 0
	}
	pr.Brands = []Brand{b}
	return pr
}

// meanAdoption runs replicates and returns the mean adoption share on
// days 0..days.
func meanAdoption(t testing.TB, pr Params, g *graph.Graph, days, reps int) []float64 {
	t.Helper()
	sum := make([]float64, days+1)
	var mu sync.Mutex
	err := RunReplicates(context.Background(), &pr, g, RunOptions{
		Days: days, Replicates: reps, Seed: 42, Workers: 2,
		OnDay: func(rep int, m *Market) {
			mu.Lock()
			sum[m.Day()] += float64(m.Metrics()[0].Adopters) / float64(pr.Customers)
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for d := range sum {
		sum[d] /= float64(reps)
	}
	return sum
}

func TestBassDocking(t *testing.T) {
	const n, reps, days = 100_000, 20, 40
	tests := []struct {
		name  string
		p, q  float64
		seed  float64
		exact func(prev float64) float64
	}{
		// F(t+1) = F(t) + (p + q F(t)) (1 - F(t)), the exact daily recursion (Bass 1969).
		{"bass", 0.03, 0.38, 0, func(f float64) float64 { return f + (0.03+0.38*f)*(1-f) }},
		// q = 0: pure external influence, 1 - (1-p)^t.
		{"external-only", 0.03, 0, 0, func(f float64) float64 { return f + 0.03*(1-f) }},
		// p = 0 with 1% seeded adopters: the logistic curve.
		{"logistic", 0, 0.38, 0.01, func(f float64) float64 { return f + 0.38*f*(1-f) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := diffusionParams(n, tt.p, tt.q)
			pr.Brands[0].SeedCustomers = tt.seed
			pr.Brands[0].SeedAdvocates = tt.seed
			got := meanAdoption(t, pr, graph.Complete(n), days, reps)
			want := got[0]
			if math.Abs(want-tt.seed) > 0.002 {
				t.Fatalf("day 0 adoption %.4f, want the seeded %.4f", want, tt.seed)
			}
			maxErr := 0.0
			for d := 1; d <= days; d++ {
				want = tt.exact(want)
				maxErr = max(maxErr, math.Abs(got[d]-want))
				if math.Abs(got[d]-want) > 0.01 {
					t.Errorf("day %d: adoption %.4f, Bass recursion %.4f (difference %.4f > 0.01)", d, got[d], want, got[d]-want)
				}
			}
			t.Logf("p = %g, q = %g: largest difference to the recursion over %d days %.4f", tt.p, tt.q, days, maxErr)
		})
	}
}

// cascadeParams makes word of mouth an independent cascade: each new
// advocate tells each friend once with probability T, and a friend told
// adopts and becomes an advocate in turn.
func cascadeParams(n int, T, seed float64) Params {
	pr := diffusionParams(n, 0, 0)
	pr.WordOfMouth = WordOfMouth{Mode: WOMOnce, Transmissibility: T}
	pr.Recall = Recall{Peer: 1}
	pr.Brands[0].SeedCustomers = seed
	pr.Brands[0].SeedAdvocates = seed
	return pr
}

// percolation solves S = 1 - exp(-zTS) for the large-outbreak share of
// bond percolation on an Erdos-Renyi graph (Newman 2002).
func percolation(zT float64) float64 {
	s := 0.5
	for range 200 {
		s = 1 - math.Exp(-zT*s)
	}
	return s
}

func TestCascadeMatchesPercolation(t *testing.T) {
	const n, z, reps, days = 100_000, 4.0, 8, 60
	g, err := graph.ErdosRenyi(n, z, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	for _, T := range []float64{0.5, 0.75} {
		pr := cascadeParams(n, T, 0.0005)
		reach := finalShares(t, pr, g, days, reps)
		want := percolation(z * T)
		var mean float64
		for _, s := range reach {
			mean += s
		}
		mean /= float64(len(reach))
		t.Logf("T = %v: mean reach %.4f over %d replicates, theory %.4f", T, mean, reps, want)
		if math.Abs(mean-want) > 0.01 {
			t.Errorf("T = %v: mean reach %.4f, S = 1 - exp(-zTS) gives %.4f", T, mean, want)
		}
	}
	// Below the threshold zT = 1 there is no large outbreak.
	for i, s := range finalShares(t, cascadeParams(n, 0.2, 0.0005), g, days, reps) {
		if s >= 0.05 {
			t.Errorf("zT = 0.8, replicate %d reached %.3f of customers, want no large outbreak (< 0.05)", i, s)
		}
	}
}

func finalShares(t testing.TB, pr Params, g *graph.Graph, days, reps int) []float64 {
	t.Helper()
	out := make([]float64, reps)
	err := RunReplicates(context.Background(), &pr, g, RunOptions{
		Days: days, Replicates: reps, Seed: 3, Workers: 2,
		OnDay: func(rep int, m *Market) {
			if m.Day() == days {
				out[rep] = float64(m.Metrics()[0].Adopters) / float64(pr.Customers)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSparseNetworkSlowsDiffusion(t *testing.T) {
	const n, reps, days = 20_000, 6, 12
	pr := diffusionParams(n, 0.03, 0.38)
	ring, err := graph.WattsStrogatz(n, 10, 0, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	mixed := meanAdoption(t, pr, graph.Complete(n), days, reps)
	lattice := meanAdoption(t, pr, ring, days, reps)
	// Fibich & Levin: a network run lies between the two-node lower bound
	// f2(t) = 1 - (q e^{-2pt} - p e^{-(p+q)t})/(q - p) and the fully mixed curve.
	p, q := 0.03, 0.38
	for d := 5; d <= days; d++ {
		t.Logf("day %d: lattice %.4f, mixed %.4f", d, lattice[d], mixed[d])
		if lattice[d] >= mixed[d] {
			t.Errorf("day %d: ring lattice adoption %.4f not below fully mixed %.4f", d, lattice[d], mixed[d])
		}
		tt := float64(d)
		f2 := 1 - (q*math.Exp(-2*p*tt)-p*math.Exp(-(p+q)*tt))/(q-p)
		if lattice[d] < f2-0.01 {
			t.Errorf("day %d: ring lattice adoption %.4f below the two-node bound f2 = %.4f", d, lattice[d], f2)
		}
	}
}
