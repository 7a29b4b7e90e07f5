package optimize

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/pushpull/pushpull/sim/scenario"
)

// benchMarket is the market of the README's performance figure: 10,000
// customers for a year, three brands, and a pull brand whose budget splits
// over all four budget levers.
const benchMarket = `name = "four-shares"
days = 365
replicates = 2
seed = 2027
customers = 10000

[graph]
kind = "watts_strogatz"
k = 10
beta = 0.1

[[brand]]
name = "Blast"
strategy = "push"

[[brand]]
name = "Orbit"
strategy = "pull"
[brand.budget]
daily = 120
push = 0.25
content = 0.25
platform = 0.25
partners = 0.25
[[brand.partner]]
name = "guild"
audience = 0.2
rate = 0.1
credibility = 0.9
fee = 30

[[brand]]
name = "Candor"
strategy = "trust"
`

// BenchmarkOptimizeFourShares optimizes Orbit's profit over its four
// budget shares to a final selection, with a budget of 400 simulations,
// on GOMAXPROCS workers (go test -cpu 2 for two cores).
func BenchmarkOptimizeFourShares(b *testing.B) {
	sc, err := scenario.Parse("four-shares.toml", []byte(benchMarket))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		m, err := NewMarket(sc, MarketSpec{Brand: "Orbit", Shares: ShareKeys, SharesSource: "bench", Objective: "profit"})
		if err != nil {
			b.Fatal(err)
		}
		st, err := RunStudy(context.Background(), m, StudyOptions{Options: Options{Budget: 400, Seed: 1}, Dir: filepath.Join(b.TempDir(), "out")})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Result.Simulations), "simulations")
		b.ReportMetric(float64(st.Result.Simulations+2*len(st.Marginals)*st.Marginals[0].Rate.N+2*len(st.MoneyMarginals)*st.MoneyMarginals[0].Rate.N), "simulations_with_marginals")
	}
}

// BenchmarkFourSharesSimulation is one simulation of that market.
func BenchmarkFourSharesSimulation(b *testing.B) {
	sc, err := scenario.Parse("four-shares.toml", []byte(benchMarket))
	if err != nil {
		b.Fatal(err)
	}
	m, err := NewMarket(sc, MarketSpec{Brand: "Orbit", Shares: ShareKeys, SharesSource: "bench", Objective: "profit"})
	if err != nil {
		b.Fatal(err)
	}
	base, _ := m.Baseline()
	for b.Loop() {
		if _, err := m.Objective(context.Background(), base, 0); err != nil {
			b.Fatal(err)
		}
	}
}
