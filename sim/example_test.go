package sim_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
)

// threeBrands is a market of 5,000 customers with one brand of each
// strategy preset, each starting with 2% of the customers.
func threeBrands() sim.Params {
	p := sim.DefaultParams()
	p.Customers = 5000
	p.Brands = nil
	for _, strategy := range sim.Strategies {
		b, err := sim.StrategyPreset(strategy)
		if err != nil {
			panic(err)
		}
		b.Name = strategy
		b.SeedCustomers = 0.02
		b.SeedAware = 0.1
		p.Brands = append(p.Brands, b)
	}
	return p
}

// A Market is one replicate, stepped a day at a time; its metrics describe
// the last day, brand by brand.
func ExampleMarket_Step() {
	p := threeBrands()
	g, err := graph.WattsStrogatz(p.Customers, 10, 0.1, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	m, err := sim.NewMarket(&p, g, 7, 0)
	if err != nil {
		panic(err)
	}
	defer m.Close()
	for m.Day() < 90 {
		m.Step()
		if m.Day()%30 != 0 {
			continue
		}
		fmt.Printf("day %d:\n", m.Day())
		for b, d := range m.Metrics() {
			fmt.Printf("  %-5s %4d aware, %4d customers, %3d advocates, share of purchases %.2f\n",
				p.Brands[b].Name, d.Aware, d.Customers, d.Advocates, d.PurchaseShare)
		}
	}
	// Output:
	// day 30:
	//   push  3242 aware,  852 customers, 105 advocates, share of purchases 0.58
	//   pull  1047 aware,  464 customers,  72 advocates, share of purchases 0.21
	//   trust  941 aware,  392 customers,  81 advocates, share of purchases 0.21
	// day 60:
	//   push  4312 aware, 1413 customers, 179 advocates, share of purchases 0.39
	//   pull  1895 aware,  705 customers, 125 advocates, share of purchases 0.31
	//   trust 2136 aware,  718 customers, 155 advocates, share of purchases 0.30
	// day 90:
	//   push  4708 aware, 1298 customers, 157 advocates, share of purchases 0.25
	//   pull  2870 aware,  942 customers, 165 advocates, share of purchases 0.35
	//   trust 3894 aware, 1262 customers, 291 advocates, share of purchases 0.40
}

// RunReplicates runs replicates in parallel and reports every day of each
// through OnDay, here to keep each replicate's final customers of the
// first brand. Replicate r's results depend on the seed and r alone,
// whatever the number of workers: replicate 0 is the market of the
// Market.Step example.
func ExampleRunReplicates() {
	p := threeBrands()
	g, err := graph.WattsStrogatz(p.Customers, 10, 0.1, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	const days, replicates = 60, 4
	var mu sync.Mutex
	final := make([]int64, replicates)
	err = sim.RunReplicates(context.Background(), &p, g, sim.RunOptions{
		Days: days, Replicates: replicates, Seed: 7, Workers: 2,
		OnDay: func(rep int, m *sim.Market) {
			if m.Day() == days {
				mu.Lock()
				final[rep] = m.Metrics()[0].Customers
				mu.Unlock()
			}
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s customers on day %d, by replicate: %v\n", p.Brands[0].Name, days, final)
	// Output:
	// push customers on day 60, by replicate: [1413 1518 1456 1513]
}
