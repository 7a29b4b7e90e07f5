package sweep_test

import (
	"context"
	"fmt"
	"os"

	"github.com/pushpull/pushpull/sim/scenario"
	"github.com/pushpull/pushpull/sim/sweep"
)

// A grid of two push rates, each run twice, on a tiny market.
func ExampleRun() {
	sc, err := scenario.Parse("tiny.toml", []byte(`
name = "tiny"
days = 10
replicates = 2
customers = 200
[graph]
kind = "watts_strogatz"
k = 4
beta = 0.1
[[brand]]
name = "Loud"
strategy = "push"
[sweep]
method = "grid"
[[sweep.factor]]
path = "brand.Loud.push.rate"
values = [0.5, 2]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "tiny-sweep-")
	defer os.RemoveAll(dir)
	res, err := sweep.Run(context.Background(), sc, sweep.Options{Dir: dir, Workers: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Points, "points,", res.Runs, "runs")
	fmt.Println(res.Files[:5])
	// Output:
	// 2 points, 4 runs
	// [scenario.toml points.csv replicates.csv sweep_summary.csv sensitivity.csv]
}
