package sweep

import (
	"context"
	"fmt"
	"runtime"
	"testing"
)

// benchSweep is the sweep of the benchmark: three brands (push, pull and
// trust presets) on 10,000 customers for a year; 10 push rates of 10
// replicates each make 100 runs.
const benchSweep = `name = "bench"
days = 365
replicates = 10
seed = 1
customers = 10000

[graph]
kind = "watts_strogatz"
k = 10
beta = 0.1

[[brand]]
name = "Push"
strategy = "push"

[[brand]]
name = "Pull"
strategy = "pull"

[[brand]]
name = "Trust"
strategy = "trust"

[sweep]
method = "grid"

[[sweep.factor]]
path = "brand.Push.push.rate"
min = 0.2
max = 2
steps = 10
`

// BenchmarkSweep runs the 100 runs of benchSweep with 1 and 2 workers,
// and with GOMAXPROCS workers when that is more (go test ./sim/sweep -run
// X -bench Sweep -benchtime 1x, -cpu 16 for 16); runs/s per worker count
// gives the scaling.
func BenchmarkSweep(b *testing.B) {
	sc := parse(b, benchSweep)
	counts := []int{1, 2}
	if n := runtime.GOMAXPROCS(0); n > 2 {
		counts = append(counts, n)
	}
	for _, workers := range counts {
		b.Run(fmt.Sprintf("n1e4-b3-d365-runs100/workers%d", workers), func(b *testing.B) {
			for b.Loop() {
				res, err := Run(context.Background(), sc, Options{Dir: b.TempDir(), Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				if res.Ran != 100 {
					b.Fatalf("ran %d runs", res.Ran)
				}
			}
			b.ReportMetric(100*float64(b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}
