package sim_test

import (
	"context"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/scenario"
)

// BenchmarkCascade runs the independent cascade of
// scenarios/validation/cascade.toml at transmissibility 0.2 on an
// Erdős-Rényi graph of 100,000 customers of mean degree 10 (zT = 2, a
// large outbreak reaching about 80%), built once: one replicate of 60
// days per op, on every core. Most customers never hear of the idea, or
// have adopted it and have nothing left to say, so the cost of a
// replicate is the cost of idle customers.
func BenchmarkCascade(b *testing.B) {
	sc, err := scenario.Load("../scenarios/validation/cascade.toml")
	if err != nil {
		b.Fatal(err)
	}
	if err := sc.Set("word_of_mouth.transmissibility=0.2"); err != nil {
		b.Fatal(err)
	}
	g, err := graph.ErdosRenyi(sc.Customers, 10, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	var reach int64
	b.ReportAllocs()
	for b.Loop() {
		err := sim.RunReplicates(context.Background(), &sc.Params, g, sim.RunOptions{
			Days: sc.Days, Replicates: 1, Seed: sc.Seed, Workers: runtime.GOMAXPROCS(0),
			OnDay: func(_ int, m *sim.Market) { reach = m.Metrics()[0].Adopters },
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/replicate")
	b.ReportMetric(float64(reach)/float64(sc.Customers), "reach")
}
