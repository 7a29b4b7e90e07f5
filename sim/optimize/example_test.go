package optimize_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/pushpull/pushpull/sim/optimize"
)

// The best split of a budget over two levers, and a platform to choose,
// for a noisy objective whose best is 70% on ads with the "conversation"
// platform.
func ExampleRun() {
	space := optimize.Space{
		Shares:  []optimize.Shares{{Names: []string{"ads", "content"}}},
		Choices: []optimize.Choice{{Name: "platform", Values: []string{"none", "conversation"}}},
	}
	objective := func(_ context.Context, c optimize.Candidate, rep int) (float64, error) {
		ads := c.Shares[0][0]
		luck := rand.New(rand.NewPCG(uint64(rep), 1)).NormFloat64() // replicate rep's luck, shared by every candidate
		return 0.7*math.Log(ads) + 0.3*math.Log(1-ads) + 0.2*float64(c.Choices[0]) + 0.5*luck, nil
	}
	res, err := optimize.Run(context.Background(), &space, objective, optimize.Options{Budget: 800, Seed: 1, Workers: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	best := res.Finalists[0]
	fmt.Printf("ads %.1f, platform %s\n", res.Best.Shares[0][0], space.Choices[0].Values[res.Best.Choices[0]])
	fmt.Printf("probability best %.2f, tied %v\n", best.ProbabilityBest, res.Tied)
	fmt.Println("within budget:", res.Simulations <= 800)
	// Output:
	// ads 0.7, platform conversation
	// probability best 1.00, tied false
	// within budget: true
}
