package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/pushpull/pushpull/sim/graph"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// marketParams is a full market: the defaults and one brand per strategy
// preset, every mechanism switched on, partners included.
func marketParams(n int) Params {
	p := DefaultParams()
	p.Customers = n
	for _, s := range Strategies {
		b, err := StrategyPreset(s)
		if err != nil {
			panic(err)
		}
		b.Name = s
		b.SeedCustomers = 0.02
		b.SeedAdvocates = 0.005
		b.SeedAware = 0.1
		p.Brands = append(p.Brands, b)
	}
	p.Brands[1].Partners = []Partner{{Name: "guild", Audience: 0.2, Rate: 0.1, Credibility: 0.7}}
	return p
}

func smallWorld(t testing.TB, n int) *graph.Graph {
	t.Helper()
	g, err := graph.WattsStrogatz(n, 10, 0.1, rand.New(rand.NewPCG(11, 12)))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// outcome runs reps replicates and returns, per replicate, f of the
// metrics of brand b on the given day.
func outcome(t testing.TB, p Params, g *graph.Graph, day, reps int, b int, f func(m *DayMetrics) float64) []float64 {
	t.Helper()
	out := make([]float64, reps)
	err := RunReplicates(context.Background(), &p, g, RunOptions{
		Days: day, Replicates: reps, Seed: 99, Workers: 2,
		OnDay: func(rep int, m *Market) {
			if m.Day() == day {
				out[rep] = f(&m.Metrics()[b])
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// assertGreater checks that the mean of hi exceeds the mean of lo by more
// than the 99.9% one-sided Welch t margin of their difference.
func assertGreater(t *testing.T, what string, hi, lo []float64) {
	t.Helper()
	mh, vh := stat.MeanVariance(hi, nil)
	ml, vl := stat.MeanVariance(lo, nil)
	nh, nl := float64(len(hi)), float64(len(lo))
	se := math.Sqrt(vh/nh + vl/nl)
	df := math.Max(1, math.Min(nh, nl)-1)
	margin := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.999) * se
	t.Logf("%s: %.4f vs %.4f (margin %.4f)", what, mh, ml, margin)
	if mh-ml <= margin {
		t.Errorf("%s: %.4f vs %.4f, difference %.4f not above the 99.9%% margin %.4f", what, mh, ml, mh-ml, margin)
	}
}

func TestMorePushBringsEarlierAwareness(t *testing.T) {
	const n, reps, day = 5000, 8, 20
	g := smallWorld(t, n)
	aware := func(rate float64) []float64 {
		p := marketParams(n)
		p.Brands[0].Push.Rate = rate
		return outcome(t, p, g, day, reps, 0, func(m *DayMetrics) float64 { return float64(m.Aware) / n })
	}
	assertGreater(t, "aware share on day 20, push rate 2 vs 0.5", aware(2), aware(0.5))
}

func TestLowerAttentionLowersPushYield(t *testing.T) {
	const n, reps, day = 5000, 8, 30
	g := smallWorld(t, n)
	yield := func(capacity float64) []float64 {
		p := marketParams(n)
		p.Attention.Capacity = capacity
		for b := range p.Brands {
			p.Brands[b].Push.Rate = 2
			p.Brands[b].Push.Targeting = TargetEveryone
		}
		return outcome(t, p, g, day, reps, 0, func(m *DayMetrics) float64 {
			return float64(m.ImpressionsProcessed) / float64(m.ImpressionsSent)
		})
	}
	assertGreater(t, "share of push impressions processed, capacity 12 vs 3", yield(12), yield(3))
}

func TestOptInPushWastesAndIrritatesLess(t *testing.T) {
	const n, reps, day = 5000, 8, 60
	g := smallWorld(t, n)
	run := func(target Targeting, f func(m *DayMetrics) float64) []float64 {
		p := marketParams(n)
		p.Brands[0].Push.Rate = 3
		p.Brands[0].Push.Targeting = target
		return outcome(t, p, g, day, reps, 0, f)
	}
	wasted := func(m *DayMetrics) float64 {
		if m.ImpressionsSent == 0 {
			return 0
		}
		return float64(m.ImpressionsWasted) / float64(m.ImpressionsSent)
	}
	irritation := func(m *DayMetrics) float64 { return m.MeanIrritation }
	assertGreater(t, "wasted share, everyone vs opt-in", run(TargetEveryone, wasted), run(TargetOptIn, wasted))
	assertGreater(t, "mean irritation, everyone vs opt-in", run(TargetEveryone, irritation), run(TargetOptIn, irritation))
}

func TestHiddenIncidentCostsMoreTrustOnceFound(t *testing.T) {
	const n, reps, day = 5000, 10, 120
	g := smallWorld(t, n)
	run := func(resp Response) (trust, exposed []float64) {
		p := marketParams(n)
		b := &p.Brands[2]
		b.SeedCustomers, b.SeedAware = 0.3, 1
		b.Trust = Trust{IncidentRate: 0.05, IncidentReach: 0.3, Response: resp}
		p.Incidents.Discovery = 0.01
		trust, exposed = make([]float64, reps), make([]float64, reps)
		err := RunReplicates(context.Background(), &p, g, RunOptions{Days: day, Replicates: reps, Seed: 99, Workers: 2,
			OnDay: func(rep int, m *Market) {
				exposed[rep] += float64(m.Metrics()[2].IncidentsExposed)
				trust[rep] = m.Metrics()[2].MeanTrustAware
			}})
		if err != nil {
			t.Fatal(err)
		}
		return trust, exposed
	}
	admitted, _ := run(ResponseAdmit)
	hidden, exposed := run(ResponseHide)
	for rep, e := range exposed {
		if e == 0 {
			t.Fatalf("replicate %d: no hidden incident was found out in %d days; the test needs one", rep, day)
		}
	}
	assertGreater(t, "mean trust among the aware, admitted vs hidden", admitted, hidden)
}

func TestOverclaimRaisesDetractors(t *testing.T) {
	const n, reps, day = 5000, 8, 90
	g := smallWorld(t, n)
	detractors := func(overclaim float64) []float64 {
		p := marketParams(n)
		p.Brands[0].Push.Overclaim = overclaim
		return outcome(t, p, g, day, reps, 0, func(m *DayMetrics) float64 { return float64(m.Detractors) })
	}
	assertGreater(t, "detractors on day 90, overclaim 0.3 vs 0", detractors(0.3), detractors(0))
}

// TestPeerMessageOutweighsBrandMessage processes exactly one message of
// each source in an otherwise identical customer and compares the trust
// it leaves.
func TestPeerMessageOutweighsBrandMessage(t *testing.T) {
	p := marketParams(1)
	g := graph.Complete(1)
	trustAfter := func(kind int) float64 {
		m, err := NewMarket(&p, g, 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		w := newWorker()
		m.flags[0] |= flagAware
		w.arrived[0][0][kind] = 1
		w.total[0] = 1
		m.attend(w, 0, 1)
		m.learn(w, 0, 0, 1)
		return m.View(0, 0).Trust
	}
	peer := trustAfter(kindPositive)
	for _, k := range []struct {
		name string
		kind int
	}{{"unsolicited push", kindPush}, {"opted-in push", kindOptInPush}, {"content", kindContent}, {"partner", kindPartner}} {
		if got := trustAfter(k.kind); got >= peer {
			t.Errorf("trust after one %s message %.4f, not below %.4f after one peer message", k.name, got, peer)
		}
	}
	if peer <= 0.5 {
		t.Errorf("trust after one positive peer message %.4f, want above neutral 0.5", peer)
	}
}

// TestWorkersDoNotChangeResults compares markets stepped by different
// numbers of workers, one of them changing its number halfway, which
// hands the word in transit from workers no longer used to the others.
func TestWorkersDoNotChangeResults(t *testing.T) {
	const n, days = 16_000, 40 // 8 chunks, so that 7 workers all have work
	g := smallWorld(t, n)
	p := marketParams(n)
	p.Brands[0].Trust.IncidentRate = 0.05
	record := func(workers, later int) [][]DayMetrics {
		m, err := NewMarket(&p, g, 5, 3)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		m.SetWorkers(workers)
		var out [][]DayMetrics
		for d := range days {
			if d == days/2 {
				m.SetWorkers(later)
			}
			m.Step()
			out = append(out, append([]DayMetrics(nil), m.Metrics()...))
		}
		return out
	}
	want := record(1, 1)
	for _, tc := range []struct{ workers, later int }{{2, 2}, {7, 7}, {7, 2}, {1, 3}} {
		got := record(tc.workers, tc.later)
		for d := range want {
			for b := range want[d] {
				if got[d][b] != want[d][b] {
					t.Fatalf("workers %d then %d, day %d, brand %d: %+v\nwant (1 worker) %+v", tc.workers, tc.later, d+1, b, got[d][b], want[d][b])
				}
			}
		}
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	const n = 20_000
	for _, tc := range []struct {
		name string
		g    *graph.Graph
	}{{"graph", smallWorld(t, n)}, {"mixed", graph.Complete(n)}} {
		t.Run(tc.name, func(t *testing.T) {
			p := marketParams(n)
			m, err := NewMarket(&p, tc.g, 1, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			m.SetWorkers(2)
			m.Step()
			if allocs := testing.AllocsPerRun(20, m.Step); allocs != 0 {
				t.Errorf("a day allocates %v times, want 0", allocs)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	p := marketParams(100)
	p.Attention.Capacity = -4
	p.Recall.Push = math.NaN()
	p.Brands[1].Push.Targeting = "friends"
	p.Brands[2].Name = "push"
	err := p.Validate()
	errs, ok := err.(Errors)
	if !ok {
		t.Fatalf("Validate returned %T %v, want Errors", err, err)
	}
	want := []string{
		"sim: attention.capacity = -4: want a number from 1 to 10000",
		"sim: recall.push = NaN: want a number from 0 to 1",
		`sim: brand.pull.push.targeting = "friends": want one of "everyone", "opt_in"`,
		"sim: brand[2].name = push: want a name no other brand has",
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	for i := range want {
		if errs[i].Error() != want[i] {
			t.Errorf("error %d: %q, want %q", i, errs[i].Error(), want[i])
		}
	}
}

func TestEveryParameterIsDocumented(t *testing.T) {
	p := marketParams(10)
	seen := map[string]bool{}
	walkParams(&p, func(path, key string, v any) {
		seen[key] = true
		if _, ok := LookupParam(key); !ok {
			t.Errorf("parameter %s (%s) has no ParamDoc", key, path)
		}
	})
	for _, d := range ParamDocs {
		if !seen[d.Key] {
			t.Errorf("ParamDoc %s names no parameter", d.Key)
		}
		if d.Doc == "" || d.Source == "" {
			t.Errorf("ParamDoc %s lacks a description or a source", d.Key)
		}
	}
}

// benchMarket is the market of the speed targets: three brands (push,
// pull and trust presets, a partner, mistakes about every 50 days) on an
// Erdős-Rényi graph of n customers with the given mean degree.
func benchMarket(b *testing.B, n, deg int) (Params, *graph.Graph) {
	g, err := graph.ErdosRenyi(n, float64(deg), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	p := marketParams(n)
	for i := range p.Brands {
		p.Brands[i].Trust.IncidentRate = 0.02
	}
	return p, g
}

func BenchmarkDay(b *testing.B) {
	for _, bc := range []struct {
		n   int
		deg int
	}{{1_000_000, 10}, {100_000, 10}} {
		b.Run(fmt.Sprintf("n%s-b3-deg%d", sci(bc.n), bc.deg), func(b *testing.B) {
			p, g := benchMarket(b, bc.n, bc.deg)
			m, err := NewMarket(&p, g, 1, 0)
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			m.SetWorkers(runtime.GOMAXPROCS(0))
			for range 5 {
				m.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				m.Step()
			}
			b.ReportMetric(float64(bc.n)*float64(b.N)/b.Elapsed().Seconds(), "customer-days/s")
		})
	}
}

// BenchmarkYear runs the market of BenchmarkDay/n1e6-b3-deg10 for a whole
// year, as the speed target states it (go test ./sim -run X -bench Year
// -benchtime 1x); a year costs more than 365 early days, since a mature
// market has more to say and to process.
func BenchmarkYear(b *testing.B) {
	b.Run("n1e6-b3-deg10-d365", func(b *testing.B) {
		p, g := benchMarket(b, 1_000_000, 10)
		benchmarkRuns(b, &p, g, 365)
	})
}

func BenchmarkRun(b *testing.B) {
	const n = 10_000
	b.Run("n1e4-b3-d365", func(b *testing.B) {
		g, err := graph.WattsStrogatz(n, 10, 0.1, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			b.Fatal(err)
		}
		p := marketParams(n)
		benchmarkRuns(b, &p, g, 365)
	})
}

// benchmarkRuns times whole runs of one replicate of p on g, on every
// core, and reports customer-days per second.
func benchmarkRuns(b *testing.B, p *Params, g *graph.Graph, days int) {
	b.ReportAllocs()
	for b.Loop() {
		err := RunReplicates(context.Background(), p, g, RunOptions{Days: days, Replicates: 1, Seed: 1, Workers: runtime.GOMAXPROCS(0)})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.Customers*days)*float64(b.N)/b.Elapsed().Seconds(), "customer-days/s")
}

// sci writes 1000000 as 1e6.
func sci(n int) string {
	e := 0
	for n >= 10 && n%10 == 0 {
		n /= 10
		e++
	}
	return fmt.Sprintf("%de%d", n, e)
}

// TestChurnThinningKeepsTheHazard checks that churn decided by thinning
// happens at the customer's hazard, below the irritation bound of the
// countdown and above it, where the hazard is drawn directly: the share
// of n customers who leave is within four binomial standard deviations
// of the hazard.
func TestChurnThinningKeepsTheHazard(t *testing.T) {
	const n = 200_000
	p := marketParams(n)
	for _, irritation := range []float32{0.5, 1.5} {
		m, err := NewMarket(&p, graph.Complete(n), 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		for c := range n {
			i := m.at(c, 0)
			m.current[c] = 0
			m.status[i] = StatusDetractor
			m.irritation[i] = irritation
			m.trustPos[i], m.trustNeg[i] = 0, 2
		}
		h := m.churnHazard(0)
		w := newWorker()
		m.stream(&w.src, 1, 0)
		w.startChunk(m)
		var a chunkTotals
		for c := range n {
			m.churn(w, c, 0, &a)
		}
		want, sd := h*n, math.Sqrt(n*h*(1-h))
		if got := float64(a.churnEvents); math.Abs(got-want) > 4*sd {
			t.Errorf("irritation %.1f: %v of %d customers churned, want %.0f ± %.0f (hazard %.4f)", irritation, got, n, want, 4*sd, h)
		}
		m.Close()
	}
}
