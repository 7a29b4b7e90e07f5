package calibrate_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/pushpull/pushpull/sim/calibrate"
)

func ExampleParsePrior() {
	for _, text := range []string{"recall.push=0.001:0.5", "recall.peer=log:0.001:1", "brand.Acme.push.rate=normal:2:0.5:0:10"} {
		p, err := calibrate.ParsePrior("--fit", text)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %s prior on [%g, %g]\n", p.Key, p.Shape, p.Low, p.High)
	}
	// Output:
	// recall.push: uniform prior on [0.001, 0.5]
	// recall.peer: log prior on [0.001, 1]
	// brand.Acme.push.rate: normal prior on [0, 10]
}

// A line through the origin observed with noise: the fit recovers its
// slope, 0.7.
func ExampleRun() {
	times := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	model := func(_ context.Context, theta []float64, seed uint64, out []float64) error {
		r := rand.New(rand.NewPCG(seed, 1))
		for i, t := range times {
			out[i] = theta[0]*t + 0.05*r.NormFloat64()
		}
		return nil
	}
	observed := make([]float64, len(times))
	model(context.Background(), []float64{0.7}, 42, observed)
	priors := []calibrate.Prior{{Key: "slope", Shape: calibrate.Uniform, Low: 0, High: 2}}
	res, err := calibrate.Run(context.Background(), model, priors, calibrate.NewDistance([][]float64{observed}),
		calibrate.Options{Particles: 200, Seed: 1, Tolerance: 0.01})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := calibrate.Summarize(res.Posterior(), priors)[0]
	fmt.Printf("slope %.2f, 90%% credible interval [%.2f, %.2f]\n", s.Mean, s.Low, s.High)
	// Output:
	// slope 0.70, 90% credible interval [0.69, 0.71]
}
