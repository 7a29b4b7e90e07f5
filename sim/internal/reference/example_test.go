package reference_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/internal/reference"
)

// A market of a push brand and a pull brand on a small world, stepped
// for a season.
func ExampleMarket() {
	p := sim.DefaultParams()
	p.Customers = 1000
	for _, strategy := range []string{"push", "pull"} {
		b, _ := sim.StrategyPreset(strategy)
		b.Name = strategy
		b.SeedCustomers, b.SeedAdvocates = 0.02, 0.01
		p.Brands = append(p.Brands, b)
	}
	g, err := graph.WattsStrogatz(p.Customers, 10, 0.1, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := reference.New(&p, g, 7)
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 90 {
		m.Step()
	}
	for b, t := range m.Tallies() {
		fmt.Printf("day %d, %s: %d aware, %d adopters\n", m.Day(), p.Brands[b].Name, t.Aware, t.Adopters)
	}
	// Output:
	// day 90, push: 945 aware, 525 adopters
	// day 90, pull: 474 aware, 231 adopters
}
