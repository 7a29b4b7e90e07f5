package sensitivity

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/sim/design"
	"gonum.org/v1/gonum/stat"
)

func expand(t *testing.T, d design.Design) []design.Point {
	t.Helper()
	points, err := d.Expand()
	if err != nil {
		t.Fatal(err)
	}
	return points
}

// runs evaluates model on every point: the factor matrix and outcomes.
func runs(points []design.Point, model func([]float64) float64) (x [][]float64, y []float64) {
	for _, p := range points {
		x = append(x, p.Numeric)
		y = append(y, model(p.Numeric))
	}
	return x, y
}

func near(t *testing.T, what string, got, want, tolerance float64) {
	t.Helper()
	if math.Abs(got-want) > tolerance || math.IsNaN(got) {
		t.Errorf("%s = %.4f, want %.4f ± %.4f", what, got, want, tolerance)
	}
}

func hasWarning(r Result, fragment string) bool {
	return slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, fragment) })
}

var names = []string{"x1", "x2", "x3"}

// y = b.x + noise over a Latin hypercube: each SRC must be close to its
// analytic value b_i*sd(x_i)/sd(y), with sd(x) = (max-min)/sqrt(12) for a
// uniform factor and Var(y) = sum b_i^2 Var(x_i) + noise^2. With 1000
// stratified rows the sample standard deviations are within about 0.1% of
// the analytic ones, and the 0.05 noise adds well under 0.005 of error.
func TestSRCRecoversLinearCoefficients(t *testing.T) {
	const n, noise = 1000, 0.05
	cases := []struct {
		name     string
		max      [3]float64 // ranges [0, max]
		b        [3]float64
		wantRank [3]int
	}{
		{"equal ranges rank by coefficient", [3]float64{1, 1, 1}, [3]float64{5, 2, 0}, [3]int{1, 2, 3}},
		{"a wide range outranks a larger coefficient", [3]float64{1, 4, 10}, [3]float64{5, 2, 0}, [3]int{2, 1, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			factors := make([]design.Factor, 3)
			for i := range factors {
				factors[i] = design.Factor{Path: names[i], Min: 0, Max: c.max[i]}
			}
			points := expand(t, design.Design{Method: design.MethodLatinHypercube, Points: n, Seed: 11, Factors: factors})
			rng := rand.New(rand.NewPCG(3, 4))
			x, y := runs(points, func(v []float64) float64 {
				return c.b[0]*v[0] + c.b[1]*v[1] + c.b[2]*v[2] + noise*rng.NormFloat64()
			})
			res, err := SRC("y", names, x, y)
			if err != nil {
				t.Fatal(err)
			}
			variance := noise * noise
			for i := range 3 {
				variance += c.b[i] * c.b[i] * c.max[i] * c.max[i] / 12
			}
			for i, f := range res.Factors {
				want := c.b[i] * c.max[i] / math.Sqrt(12) / math.Sqrt(variance)
				near(t, f.Factor+" SRC", f.Index, want, 0.01)
				if !(f.IndexLow <= f.Index && f.Index <= f.IndexHigh) || f.IndexHigh-f.IndexLow > 0.02 {
					t.Errorf("%s interval [%.4f, %.4f] around %.4f", f.Factor, f.IndexLow, f.IndexHigh, f.Index)
				}
				if f.Rank != c.wantRank[i] {
					t.Errorf("%s rank %d, want %d", f.Factor, f.Rank, c.wantRank[i])
				}
				if !math.IsNaN(f.Total) {
					t.Errorf("%s has a total index %v under SRC", f.Factor, f.Total)
				}
			}
			if x3 := res.Factors[2]; x3.IndexLow > 0 || x3.IndexHigh < 0 {
				t.Errorf("x3 interval [%.4f, %.4f] excludes its true 0", x3.IndexLow, x3.IndexHigh)
			}
			if res.R2 < 0.99 || len(res.Warnings) != 0 || res.Used != n || res.Dropped != 0 {
				t.Errorf("R2 %.4f, used %d, dropped %d, warnings %q", res.R2, res.Used, res.Dropped, res.Warnings)
			}
		})
	}
}

func TestSRCWarnsWhenTheModelIsNotLinear(t *testing.T) {
	points := expand(t, design.Design{Method: design.MethodLatinHypercube, Points: 500, Seed: 5, Factors: []design.Factor{
		{Path: "x1", Min: -1, Max: 1}, {Path: "x2", Min: -1, Max: 1},
	}})
	x, y := runs(points, func(v []float64) float64 { return v[0]*v[0] + v[0]*v[1] })
	res, err := SRC("y", names[:2], x, y)
	if err != nil {
		t.Fatal(err)
	}
	if res.R2 > 0.1 || !hasWarning(res, "below 0.7") {
		t.Errorf("R2 %.3f, warnings %q; want a low R2 and a warning", res.R2, res.Warnings)
	}
}

func TestSRCDropsNaNRowsAndSkipsConstantFactors(t *testing.T) {
	points := expand(t, design.Design{Method: design.MethodLatinHypercube, Points: 200, Seed: 2, Factors: []design.Factor{
		{Path: "x1", Min: 0, Max: 1}, {Path: "x2", Min: 0, Max: 1},
	}})
	var x [][]float64
	var y []float64
	for i, p := range points {
		x = append(x, []float64{p.Numeric[0], 7, p.Numeric[1]}) // middle factor fixed at 7
		y = append(y, 2*p.Numeric[0]+p.Numeric[1])
		switch i {
		case 3, 50:
			y[i] = math.NaN()
		case 99:
			x[i][0] = math.Inf(1)
		}
	}
	res, err := SRC("y", []string{"x1", "fixed", "x2"}, x, y)
	if err != nil {
		t.Fatal(err)
	}
	if res.Used != 197 || res.Dropped != 3 || !hasWarning(res, "3 of 200 runs dropped") {
		t.Errorf("used %d dropped %d warnings %q", res.Used, res.Dropped, res.Warnings)
	}
	if f := res.Factors[1]; f.Index != 0 || f.Rank != 3 || !hasWarning(res, "factor fixed does not vary") {
		t.Errorf("constant factor: %+v, warnings %q", f, res.Warnings)
	}
	near(t, "R2", res.R2, 1, 1e-9)
	// y is exactly linear, so the SRC is b*sd(x1)/sd(y) over the rows kept.
	var x1, kept []float64
	for i := range y {
		if i != 3 && i != 50 && i != 99 {
			x1, kept = append(x1, x[i][0]), append(kept, y[i])
		}
	}
	near(t, "x1 SRC", res.Factors[0].Index, 2*stat.StdDev(x1, nil)/stat.StdDev(kept, nil), 1e-9)
}

func TestSRCConstantOutcome(t *testing.T) {
	x := [][]float64{{1, 2}, {2, 1}, {3, 5}, {4, 4}}
	res, err := SRC("flat", names[:2], x, []float64{3, 3, 3, 3})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(res, "outcome flat is constant") || !math.IsNaN(res.R2) || res.Factors[0].Index != 0 || res.Factors[0].Rank != 1 {
		t.Errorf("%+v", res)
	}
}

func TestSRCRejectsBadInput(t *testing.T) {
	cases := []struct {
		name    string
		factors []string
		x       [][]float64
		y       []float64
		want    string
	}{
		{"no factors", nil, [][]float64{{}}, []float64{1}, "no factors given"},
		{"length mismatch", names[:1], [][]float64{{1}, {2}}, []float64{1}, "differ in number: 2 rows, 1 outcomes"},
		{"short row", names[:2], [][]float64{{1, 2}, {2}}, []float64{1, 2}, "factor row 1 has 1 values for 2 factors"},
		{"all NaN", names[:1], [][]float64{{1}, {2}}, []float64{math.NaN(), math.NaN()}, "fewer than 2 usable rows: 0"},
		{"too few rows", names[:3], [][]float64{{1, 2, 4}, {2, 1, 3}, {3, 3, 1}}, []float64{1, 2, 3}, "regression on 3 varying factors needs more rows: 3"},
		{"collinear", names[:2], [][]float64{{1, 2}, {2, 4}, {3, 6}, {4, 8}}, []float64{1, 2, 4, 3}, "factors are collinear"},
	}
	for _, c := range cases {
		_, err := SRC("y", c.factors, c.x, c.y)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "sensitivity: ") {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

func ishigamiDesign(n int) design.Design {
	factors := make([]design.Factor, 3)
	for i := range factors {
		factors[i] = design.Factor{Path: names[i], Min: -math.Pi, Max: math.Pi}
	}
	return design.Design{Method: design.MethodSobol, Points: n, Factors: factors}
}

func ishigami(x []float64) float64 {
	const a, b = 7, 0.1
	return math.Sin(x[0]) + a*math.Pow(math.Sin(x[1]), 2) + b*math.Pow(x[2], 4)*math.Sin(x[0])
}

// The Ishigami function (a = 7, b = 0.1) over [-pi, pi]^3 has known indices
// (Ishigami & Homma 1990; Saltelli et al. 2010, sec. 4):
// V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = 8 b^2 pi^8 / 225, giving
// S = (0.314, 0.442, 0) and ST = (0.558, 0.442, 0.244). Two tolerances: the
// truth must lie inside the 95% bootstrap interval, and, since the design is
// deterministic and the estimates do not depend on the bootstrap seed, each
// estimate must be within 0.02 of the truth, which for 4096 quasi-random
// base rows (error roughly O(log(N)^2/N) against O(1/sqrt(N)) = 0.016 per
// unit of standard deviation for random ones) is several times the actual
// error.
func TestSobolIshigamiMatchesAnalyticIndices(t *testing.T) {
	const a, b = 7.0, 0.1
	pi4 := math.Pow(math.Pi, 4)
	v1 := 0.5 * (1 + b*pi4/5) * (1 + b*pi4/5)
	v2 := a * a / 8
	v13 := 8 * b * b * pi4 * pi4 / 225
	v := v1 + v2 + v13
	wantFirst := []float64{v1 / v, v2 / v, 0}
	wantTotal := []float64{(v1 + v13) / v, v2 / v, v13 / v}
	near(t, "analytic S1", wantFirst[0], 0.314, 0.001)
	near(t, "analytic ST3", wantTotal[2], 0.244, 0.001)

	points := expand(t, ishigamiDesign(4096))
	_, y := runs(points, ishigami)
	res, err := Sobol("y", names, y, SobolOptions{Seed: 1, Resamples: 200})
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range res.Factors {
		near(t, f.Factor+" S", f.Index, wantFirst[i], 0.02)
		near(t, f.Factor+" ST", f.Total, wantTotal[i], 0.02)
		if wantFirst[i] < f.IndexLow || wantFirst[i] > f.IndexHigh {
			t.Errorf("%s: S interval [%.4f, %.4f] misses %.4f", f.Factor, f.IndexLow, f.IndexHigh, wantFirst[i])
		}
		if wantTotal[i] < f.TotalLow || wantTotal[i] > f.TotalHigh {
			t.Errorf("%s: ST interval [%.4f, %.4f] misses %.4f", f.Factor, f.TotalLow, f.TotalHigh, wantTotal[i])
		}
		if f.Rank != i+1 {
			t.Errorf("%s rank %d, want %d (by total index)", f.Factor, f.Rank, i+1)
		}
	}
	near(t, "variance", res.Variance, v, 0.05*v)
	if res.Used != 4096 || res.Dropped != 0 || len(res.Warnings) != 0 || res.Confidence != 0.95 || !math.IsNaN(res.R2) {
		t.Errorf("used %d dropped %d confidence %v R2 %v warnings %q", res.Used, res.Dropped, res.Confidence, res.R2, res.Warnings)
	}
}

// For a linear model of independent factors, the share of variance of
// factor i is b_i^2 Var(x_i)/Var(y) = SRC_i^2, and with no interactions the
// total index equals the first-order one.
func TestSobolOfLinearModelEqualsSquaredSRC(t *testing.T) {
	d := design.Design{Method: design.MethodSobol, Points: 2048, Factors: []design.Factor{
		{Path: "x1", Min: 0, Max: 1}, {Path: "x2", Min: 0, Max: 2}, {Path: "x3", Min: -1, Max: 1},
	}}
	x, y := runs(expand(t, d), func(v []float64) float64 { return 3*v[0] + v[1] - 2*v[2] })
	sobol, err := Sobol("y", names, y, SobolOptions{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	src, err := SRC("y", names, x, y)
	if err != nil {
		t.Fatal(err)
	}
	variance := 9.0/12 + 4.0/12 + 4*4.0/12
	analytic := []float64{9.0 / 12 / variance, 4.0 / 12 / variance, 16.0 / 12 / variance}
	for i := range names {
		s, r := sobol.Factors[i], src.Factors[i]
		near(t, names[i]+" S vs SRC^2", s.Index, r.Index*r.Index, 0.01)
		near(t, names[i]+" ST vs S", s.Total, s.Index, 0.01)
		near(t, names[i]+" S vs analytic", s.Index, analytic[i], 0.01)
		if s.Rank != r.Rank {
			t.Errorf("%s: Sobol rank %d, SRC rank %d", names[i], s.Rank, r.Rank)
		}
	}
}

func TestSobolDropsBaseRowsWithNaN(t *testing.T) {
	points := expand(t, ishigamiDesign(256))
	_, y := runs(points, ishigami)
	y[5*7+2] = math.NaN()  // base row 7, AB_1
	y[5*30] = math.Inf(-1) // base row 30, A
	y[5*30+4] = math.NaN() // base row 30 again, B
	res, err := Sobol("y", names, y, SobolOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Used != 254 || res.Dropped != 2 || !hasWarning(res, "2 of 256 base rows dropped") {
		t.Errorf("used %d dropped %d warnings %q", res.Used, res.Dropped, res.Warnings)
	}
	for _, f := range res.Factors {
		if math.IsNaN(f.Index) || math.IsNaN(f.Total) || math.IsNaN(f.IndexLow) || math.IsNaN(f.TotalHigh) {
			t.Errorf("NaN in %+v", f)
		}
	}
}

func TestSobolConstantOutcomeAndInertFactor(t *testing.T) {
	points := expand(t, ishigamiDesign(256))
	flat := make([]float64, len(points))
	res, err := Sobol("flat", names, flat, SobolOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(res, "outcome flat is constant") || res.Factors[0].Index != 0 || res.Factors[2].Rank != 3 {
		t.Errorf("%+v", res)
	}

	_, y := runs(points, func(v []float64) float64 { return v[0] })
	res, err = Sobol("y", names, y, SobolOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Factors[1:] {
		if f.Index != 0 || f.Total != 0 {
			t.Errorf("inert factor %s: S %v ST %v, want exactly 0", f.Factor, f.Index, f.Total)
		}
	}
	near(t, "x1 ST", res.Factors[0].Total, 1, 0.05)
}

func TestSobolBootstrapIsReproducible(t *testing.T) {
	_, y := runs(expand(t, ishigamiDesign(128)), ishigami)
	one, _ := Sobol("y", names, y, SobolOptions{Seed: 4})
	again, _ := Sobol("y", names, y, SobolOptions{Seed: 4})
	other, _ := Sobol("y", names, y, SobolOptions{Seed: 5})
	if one.Factors[0].IndexLow != again.Factors[0].IndexLow || one.Factors[2].TotalHigh != again.Factors[2].TotalHigh {
		t.Error("same seed gave different intervals")
	}
	if one.Factors[0].IndexLow == other.Factors[0].IndexLow {
		t.Error("different seeds gave the same interval")
	}
	if one.Factors[0].Index != other.Factors[0].Index {
		t.Error("the estimate depends on the bootstrap seed")
	}
	if !hasWarning(one, "add base rows") {
		t.Errorf("128 base rows gave no wide-interval warning: %q", one.Warnings)
	}
}

func TestSobolRejectsBadInput(t *testing.T) {
	cases := []struct {
		name    string
		factors []string
		y       []float64
		opts    SobolOptions
		want    string
	}{
		{"no factors", nil, make([]float64, 4), SobolOptions{}, "no factors given"},
		{"not a sobol layout", names, make([]float64, 11), SobolOptions{}, "a multiple of 5 runs: 11"},
		{"one base row", names, make([]float64, 5), SobolOptions{}, "at least 2 usable base rows: 1"},
		{"negative resamples", names, make([]float64, 10), SobolOptions{Resamples: -1}, "must not be negative: -1"},
		{"confidence above 1", names, make([]float64, 10), SobolOptions{Confidence: 1.5}, "between 0 and 1: 1.5"},
		{"confidence NaN", names, make([]float64, 10), SobolOptions{Confidence: math.NaN()}, "between 0 and 1: NaN"},
	}
	for _, c := range cases {
		_, err := Sobol("y", c.factors, c.y, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "sensitivity: ") {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

func TestRankedAndAssumptions(t *testing.T) {
	r := Result{Factors: []FactorResult{{Factor: "a", Rank: 3}, {Factor: "b", Rank: 1}, {Factor: "c", Rank: 2}}}
	var order []string
	for _, f := range r.Ranked() {
		order = append(order, f.Factor)
	}
	if strings.Join(order, "") != "bca" || r.Factors[0].Factor != "a" {
		t.Errorf("Ranked order %v; Factors must keep their order", order)
	}
	if s := MethodSRC.Assumptions(); !strings.Contains(s, "linear") || !strings.Contains(s, "independent") {
		t.Errorf("SRC assumptions %q", s)
	}
	if s := MethodSobol.Assumptions(); !strings.Contains(s, "variance-based") || !strings.Contains(s, "N*(k+2)") {
		t.Errorf("Sobol assumptions %q", s)
	}
}
