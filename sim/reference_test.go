package sim_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/internal/reference"
	"github.com/pushpull/pushpull/sim/scenario"
)

// The docking of the engine with the plain reference model runs every
// shipped scenario that is a single run at this size. The two are the
// same stochastic model drawn from different streams, so each brand's
// final outcomes must agree in distribution over replicates.
const (
	dockCustomers = 2000
	dockDays      = 120
	// dockFamilyAlarm is the chance that the whole docking fails when
	// the two models agree: Bonferroni shares it among all comparisons.
	dockFamilyAlarm = 0.001
	// dockSeedEnv names the environment variable that changes the seed
	// of every replicate of both models, to measure the false-alarm rate.
	dockSeedEnv = "PUSHPULL_DOCKING_SEED"
)

// dockOutcomes are the final outcomes compared, by name. Mean trust sees
// changes to evidence that move the counts too little to be seen.
var dockOutcomes = []struct {
	name string
	of   func(t reference.Tally) float64
}{
	{"adopters", func(t reference.Tally) float64 { return float64(t.Adopters) }},
	{"advocates", func(t reference.Tally) float64 { return float64(t.Advocates) }},
	{"detractors", func(t reference.Tally) float64 { return float64(t.Detractors) }},
	{"churned", func(t reference.Tally) float64 { return float64(t.Churned) }},
	{"blocked", func(t reference.Tally) float64 { return float64(t.Blocked) }},
	{"aware", func(t reference.Tally) float64 { return float64(t.Aware) }},
	{"trust of the aware", func(t reference.Tally) float64 { return t.MeanTrustAware }},
}

// dockCase is one shipped scenario resized for docking, with its graph.
type dockCase struct {
	name   string
	params sim.Params
	graph  *graph.Graph
	// days is dockDays, or the scenario's own days when it is shorter
	// (Medical Innovation's 17 steps are its study's 17 months).
	days int
}

// dockCases loads the shipped scenarios that are single runs (a sweep is
// many scenarios, each of them made of the same mechanisms) at the
// docking size.
func dockCases(t *testing.T) []dockCase {
	t.Helper()
	var files []string
	for _, pattern := range []string{"../scenarios/*.toml", "../scenarios/validation/*.toml"} {
		found, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, found...)
	}
	var cases []dockCase
	for _, file := range files {
		sc, err := scenario.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Sweep != nil {
			continue
		}
		// A network read from files has the size it has; every other
		// scenario is docked at dockCustomers.
		if sc.GraphSpec().Path == "" {
			if err := sc.Set("customers=" + strconv.Itoa(dockCustomers)); err != nil {
				t.Fatal(err)
			}
		}
		g, err := sc.BuildGraph()
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, dockCase{name: sc.Name, params: sc.Params, graph: g, days: min(dockDays, sc.Days)})
	}
	if len(cases) < 11 {
		t.Fatalf("found %d single-run scenarios, want the 11 that ship", len(cases))
	}
	return cases
}

// dockRun is one replicate of one model on one case: its final tallies.
type dockRun struct {
	kase, model, rep int
	tallies          []reference.Tally
}

// runEngine runs the engine's replicate rep. Each replicate gets its own
// seed, so that partner audiences, fixed by the seed, are drawn afresh
// as the reference draws them.
func runEngine(c *dockCase, seed uint64, rep int) ([]reference.Tally, error) {
	m, err := sim.NewMarket(&c.params, c.graph, seed*7919+uint64(rep), rep)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	for range c.days {
		m.Step()
	}
	out := make([]reference.Tally, len(c.params.Brands))
	for b, d := range m.Metrics() {
		out[b] = reference.Tally{Adopters: int(d.Adopters), Advocates: int(d.Advocates),
			Detractors: int(d.Detractors), Churned: int(d.Churned), Blocked: int(d.Blocked),
			Aware: int(d.Aware), MeanTrustAware: d.MeanTrustAware}
	}
	return out, nil
}

func runReference(c *dockCase, seed uint64, rep int) ([]reference.Tally, error) {
	m, err := reference.New(&c.params, c.graph, seed*7919+uint64(rep))
	if err != nil {
		return nil, err
	}
	for range c.days {
		m.Step()
	}
	return m.Tallies(), nil
}

// runDocking runs reps replicates of both models on every case, the
// replicates spread over the processors (each model itself runs on one).
func runDocking(t *testing.T, cases []dockCase, reps int, seed uint64) (engine, ref [][][]reference.Tally) {
	t.Helper()
	engine, ref = make([][][]reference.Tally, len(cases)), make([][][]reference.Tally, len(cases))
	jobs := make(chan dockRun)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				run := runEngine
				if j.model == 1 {
					run = runReference
				}
				tallies, err := run(&cases[j.kase], seed, j.rep)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s: %w", cases[j.kase].name, err)
				}
				if j.model == 0 {
					engine[j.kase][j.rep] = tallies
				} else {
					ref[j.kase][j.rep] = tallies
				}
				mu.Unlock()
			}
		}()
	}
	for k := range cases {
		engine[k], ref[k] = make([][]reference.Tally, reps), make([][]reference.Tally, reps)
		for rep := range reps {
			for model := range 2 {
				jobs <- dockRun{kase: k, model: model, rep: rep}
			}
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	return engine, ref
}

// dockComparison is one outcome of one brand in one scenario, in both
// models, with the p-values of the two tests.
type dockComparison struct {
	what         string
	engine, ref  []float64
	welch, ks    float64
	degenerate   bool // both samples constant and equal: nothing to test
	meanE, meanR float64
}

func compare(what string, engine, ref []float64) dockComparison {
	c := dockComparison{what: what, engine: engine, ref: ref, meanE: stat.Mean(engine, nil), meanR: stat.Mean(ref, nil)}
	c.degenerate = slices.Min(engine) == slices.Max(engine) && slices.Min(ref) == slices.Max(ref) && c.meanE == c.meanR
	c.welch = welchP(engine, ref)
	c.ks = ksP(engine, ref)
	return c
}

func (c dockComparison) String() string {
	return fmt.Sprintf("%s: engine %.5g ± %.3g, reference %.5g ± %.3g (mean ± sd); Welch p = %.2g, KS p = %.2g",
		c.what, c.meanE, stat.StdDev(c.engine, nil), c.meanR, stat.StdDev(c.ref, nil), c.welch, c.ks)
}

func TestReferenceDocking(t *testing.T) {
	reps := 30
	if testing.Short() {
		reps = 16
	}
	seed := uint64(1)
	if s := os.Getenv(dockSeedEnv); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s = %q: want a whole number", dockSeedEnv, s)
		}
	}
	cases := dockCases(t)
	engine, ref := runDocking(t, cases, reps, seed)
	var all []dockComparison
	for k, c := range cases {
		for b, br := range c.params.Brands {
			for _, o := range dockOutcomes {
				e, r := make([]float64, reps), make([]float64, reps)
				for rep := range reps {
					e[rep], r[rep] = o.of(engine[k][rep][b]), o.of(ref[k][rep][b])
				}
				all = append(all, compare(fmt.Sprintf("%s %s %s", c.name, br.Name, o.name), e, r))
			}
		}
	}
	// Two tests per comparison, every one counted, degenerate or not.
	perTest := dockFamilyAlarm / float64(2*len(all))
	var tested, below05, below01 int
	smallest := all[0]
	for _, c := range all {
		if c.degenerate {
			continue
		}
		tested++
		p := min(c.welch, c.ks)
		below05 += bit(c.welch < 0.05) + bit(c.ks < 0.05)
		below01 += bit(c.welch < 0.01) + bit(c.ks < 0.01)
		if p < min(smallest.welch, smallest.ks) || smallest.degenerate {
			smallest = c
		}
		if p < perTest {
			t.Errorf("%s: the models disagree (each test's level %.2g)", c, perTest)
		}
	}
	t.Logf("seed %d, %d replicates, %d comparisons (%d not constant), each test at level %.2g",
		seed, reps, len(all), tested, perTest)
	t.Logf("p-values below 0.05: %d of %d, below 0.01: %d", below05, 2*tested, below01)
	// The whole check would fail at a family-wise level this high.
	t.Logf("closest to failing (fails at a family-wise level of %.2g): %s",
		min(1, min(smallest.welch, smallest.ks)*float64(2*len(all))), smallest)
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// welchP is the two-sided p-value of Welch's t test that x and y have the
// same mean.
func welchP(x, y []float64) float64 {
	mx, vx := stat.MeanVariance(x, nil)
	my, vy := stat.MeanVariance(y, nil)
	nx, ny := float64(len(x)), float64(len(y))
	se2 := vx/nx + vy/ny
	if se2 == 0 {
		if mx == my {
			return 1
		}
		return 0
	}
	df := se2 * se2 / ((vx/nx)*(vx/nx)/(nx-1) + (vy/ny)*(vy/ny)/(ny-1))
	tt := math.Abs(mx-my) / math.Sqrt(se2)
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(tt)
}

// ksP is the two-sided p-value of the two-sample Kolmogorov-Smirnov test
// for samples of equal size n, exact (Gnedenko & Korolyuk 1951):
// P(D >= k/n) = 2 sum_j (-1)^(j+1) C(2n, n-jk) / C(2n, n). With ties, as
// counts have, it is conservative.
func ksP(x, y []float64) float64 {
	n := len(x)
	if len(y) != n {
		panic("ksP: samples of different sizes")
	}
	xs, ys := slices.Sorted(slices.Values(x)), slices.Sorted(slices.Values(y))
	d := stat.KolmogorovSmirnov(xs, nil, ys, nil)
	k := int(math.Round(d * float64(n)))
	if k == 0 {
		return 1
	}
	lc := func(a, b int) float64 { // log C(a, b)
		la, _ := math.Lgamma(float64(a + 1))
		lb, _ := math.Lgamma(float64(b + 1))
		lab, _ := math.Lgamma(float64(a - b + 1))
		return la - lb - lab
	}
	p := 0.0
	for j := 1; n-j*k >= 0; j++ {
		term := 2 * math.Exp(lc(2*n, n-j*k)-lc(2*n, n))
		if j%2 == 0 {
			term = -term
		}
		p += term
	}
	return min(1, max(0, p))
}

// BenchmarkDockingReplicate times one docking replicate of the
// social-gravity scenario in each model.
func BenchmarkDockingReplicate(b *testing.B) {
	var kase *dockCase
	for _, c := range dockCases(&testing.T{}) {
		if c.name == "social-gravity" {
			kase = &c
		}
	}
	for _, model := range []struct {
		name string
		run  func(*dockCase, uint64, int) ([]reference.Tally, error)
	}{{"engine", runEngine}, {"reference", runReference}} {
		b.Run(model.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := model.run(kase, 1, i); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
