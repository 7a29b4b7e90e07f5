package calibrate

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pushpull/pushpull/sim/scenario"
)

// BenchmarkMedicalInnovation fits external (recall.push) and peer
// (recall.peer) influence of the shipped medical-innovation scenario to its
// 17 observed months, with the command's defaults but 200 particles.
func BenchmarkMedicalInnovation(b *testing.B) {
	root := filepath.Join("..", "..", "scenarios")
	sc, err := scenario.Load(filepath.Join(root, "medical-innovation.toml"))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(root, "data", "medical-innovation", "observed.csv")
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	data, err := ReadData(path, f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	priors := []Prior{{Key: "recall.push", Shape: Uniform, Low: 0.001, High: 0.5}, {Key: "recall.peer", Shape: Uniform, Low: 0.001, High: 1}}
	model, priors, err := ScenarioModel(sc, priors, Target{Data: data})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := Run(context.Background(), model, priors, NewDistance(data.Values), Options{Particles: 200, Seed: sc.Seed, Workers: 2})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Simulations), "simulations")
		b.ReportMetric(float64(len(res.Generations)), "generations")
	}
}

// BenchmarkBass10k fits p and q to a 10,000-customer, 120-day fully mixed
// Bass curve of the engine, by ABC-SMC and by rejection ABC with as many
// simulations, and reports each one's error of the posterior mean.
func BenchmarkBass10k(b *testing.B) {
	const customers, p, q = 10_000, 0.002, 0.06
	truth := []float64{p, q / 10}
	model, priors, data := engineBass(b, customers, everyDay(5, 120), truth, []Prior{
		{Key: "recall.push", Shape: LogUniform, Low: 0.0005, High: 0.02},
		{Key: "recall.peer", Shape: Uniform, Low: 0.001, High: 0.02},
	})
	dist := NewDistance(data.Values)
	relErr := func(g *Generation) (float64, float64) {
		s := Summarize(g, priors)
		return (s[0].Mean - truth[0]) / truth[0], (s[1].Mean - truth[1]) / truth[1]
	}
	for b.Loop() {
		res, err := Run(context.Background(), model, priors, dist, Options{Particles: 100, Seed: 1, Workers: 2, MinAcceptance: 0.1})
		if err != nil {
			b.Fatal(err)
		}
		ep, eq := relErr(res.Posterior())
		b.ReportMetric(float64(res.Simulations), "simulations")
		b.ReportMetric(100*ep, "p_error_%")
		b.ReportMetric(100*eq, "q_error_%")
		s := Summarize(res.Posterior(), priors)
		b.ReportMetric(100*(s[0].High-s[0].Low)/truth[0], "p_interval_%")
		rej, err := Rejection(context.Background(), model, priors, dist, 100, res.Simulations, 2, 1)
		if err != nil {
			b.Fatal(err)
		}
		rp, rq := relErr(rej)
		r := Summarize(rej, priors)
		b.ReportMetric(100*rp, "rejection_p_error_%")
		b.ReportMetric(100*rq, "rejection_q_error_%")
		b.ReportMetric(100*(r[0].High-r[0].Low)/truth[0], "rejection_p_interval_%")
	}
}
