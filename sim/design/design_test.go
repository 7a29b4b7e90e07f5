package design

import (
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func texts(points []Point, factor int) []string {
	out := make([]string, len(points))
	for i, p := range points {
		out[i] = p.Values[factor]
	}
	return out
}

func mustExpand(t *testing.T, d Design) []Point {
	t.Helper()
	points, err := d.Expand()
	if err != nil {
		t.Fatal(err)
	}
	return points
}

func TestGridCountAndOrderLastFactorFastest(t *testing.T) {
	d := Design{Method: MethodGrid, Factors: []Factor{
		{Path: "brand.acme.push.rate", Values: []string{"1", "2.5"}},
		{Path: "opt_in.policy", Values: []string{"everyone", "opt_in", "none"}},
		{Path: "attention.capacity", Min: 0, Max: 1, Steps: 3},
	}}
	points := mustExpand(t, d)
	if len(points) != 18 || d.Count() != 18 {
		t.Fatalf("%d points, Count %d, want 18", len(points), d.Count())
	}
	want := []struct {
		values  []string
		numeric []float64
	}{
		{[]string{"1", "everyone", "0"}, []float64{1, 0, 0}},
		{[]string{"1", "everyone", "0.5"}, []float64{1, 0, 0.5}},
		{[]string{"1", "everyone", "1"}, []float64{1, 0, 1}},
		{[]string{"1", "opt_in", "0"}, []float64{1, 1, 0}},
	}
	for i, w := range want {
		if !reflect.DeepEqual(points[i].Values, w.values) || !reflect.DeepEqual(points[i].Numeric, w.numeric) {
			t.Errorf("point %d = %v %v, want %v %v", i, points[i].Values, points[i].Numeric, w.values, w.numeric)
		}
	}
	last := points[17]
	if !reflect.DeepEqual(last.Values, []string{"2.5", "none", "1"}) || last.Index != 17 {
		t.Errorf("last point = %+v", last)
	}
	for i, p := range points {
		if p.Index != i {
			t.Errorf("point %d has Index %d", i, p.Index)
		}
	}
}

func TestGridRangeValues(t *testing.T) {
	cases := []struct {
		name   string
		factor Factor
		want   []string
	}{
		{"linear", Factor{Min: 0, Max: 1, Steps: 11}, strings.Fields("0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1")},
		{"linear negative", Factor{Min: -1, Max: 1, Steps: 5}, strings.Fields("-1 -0.5 0 0.5 1")},
		{"log decades", Factor{Min: 1, Max: 1000, Steps: 4, Log: true}, strings.Fields("1 10 100 1000")},
		{"log small", Factor{Min: 0.01, Max: 1, Steps: 3, Log: true}, strings.Fields("0.01 0.1 1")},
		{"log half decades", Factor{Min: 1, Max: 100, Steps: 5, Log: true}, strings.Fields("1 3.16227766016838 10 31.6227766016838 100")},
		{"integer", Factor{Min: 1, Max: 10, Steps: 4, Integer: true}, strings.Fields("1 4 7 10")},
		{"integer deduplicated", Factor{Min: 1, Max: 3, Steps: 5, Integer: true}, strings.Fields("1 2 3")},
		{"integer inside fractional bounds", Factor{Min: 0.4, Max: 3.6, Steps: 2, Integer: true}, strings.Fields("1 3")},
		{"integer log", Factor{Min: 1, Max: 100, Steps: 5, Log: true, Integer: true}, strings.Fields("1 3 10 32 100")},
		{"integer around zero", Factor{Min: -1, Max: 1, Steps: 5, Integer: true}, strings.Fields("-1 0 1")},
		{"integer never negative zero", Factor{Min: -0.4, Max: 0.4, Steps: 3, Integer: true}, strings.Fields("0")},
		{"integer large has no exponent", Factor{Min: 1e6, Max: 3e6, Steps: 3, Integer: true}, strings.Fields("1000000 2000000 3000000")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.factor.Path = "x"
			points := mustExpand(t, Design{Method: MethodGrid, Factors: []Factor{c.factor}})
			if got := texts(points, 0); !reflect.DeepEqual(got, c.want) {
				t.Errorf("values %v, want %v", got, c.want)
			}
			for _, p := range points {
				if v, err := strconv.ParseFloat(p.Values[0], 64); err != nil || v != p.Numeric[0] {
					t.Errorf("text %q does not parse back to %v", p.Values[0], p.Numeric[0])
				}
			}
		})
	}
}

// A log grid's neighbours keep a constant ratio.
func TestGridLogSpacingHasConstantRatio(t *testing.T) {
	points := mustExpand(t, Design{Method: MethodGrid, Factors: []Factor{{Path: "x", Min: 0.002, Max: 7, Steps: 9, Log: true}}})
	ratio := math.Pow(7/0.002, 1.0/8)
	for i := 1; i < len(points); i++ {
		if r := points[i].Numeric[0] / points[i-1].Numeric[0]; math.Abs(r/ratio-1) > 1e-12 {
			t.Errorf("ratio %d = %v, want %v", i, r, ratio)
		}
	}
}

func TestCategoricalLists(t *testing.T) {
	cases := []struct {
		values []string
		want   bool
	}{
		{[]string{"1", "2.5", "-3e2"}, false},
		{[]string{"everyone", "opt_in"}, true},
		{[]string{"1", "two"}, true},
		{[]string{"1", "nan"}, true},
		{nil, false},
	}
	for _, c := range cases {
		if got := (Factor{Values: c.values}).Categorical(); got != c.want {
			t.Errorf("Categorical(%v) = %v, want %v", c.values, got, c.want)
		}
	}
}

func latinDesign(seed uint64, points int, factors ...Factor) Design {
	return Design{Method: MethodLatinHypercube, Points: points, Seed: seed, Factors: factors}
}

func TestLatinHypercubeHitsEveryStratumOnce(t *testing.T) {
	const n = 97
	factors := []Factor{
		{Path: "unit", Min: 0, Max: 1},
		{Path: "shifted", Min: -5, Max: 3},
		{Path: "log", Min: 0.001, Max: 10, Log: true},
		{Path: "wide", Min: 1e3, Max: 1e9},
	}
	for _, seed := range []uint64{1, 2, 12345} {
		points := mustExpand(t, latinDesign(seed, n, factors...))
		for f, factor := range factors {
			hits := make([]int, n)
			for _, p := range points {
				lo, hi, v := factor.Min, factor.Max, p.Numeric[f]
				if factor.Log {
					lo, hi, v = math.Log10(lo), math.Log10(hi), math.Log10(v)
				}
				if v < lo || v > hi {
					t.Fatalf("seed %d factor %s: %v outside range", seed, factor.Path, p.Numeric[f])
				}
				hits[min(int((v-lo)/(hi-lo)*n), n-1)]++
			}
			for stratum, h := range hits {
				if h != 1 {
					t.Errorf("seed %d factor %s: stratum %d hit %d times", seed, factor.Path, stratum, h)
				}
			}
		}
	}
}

func TestLatinHypercubeIntegerTakesEveryWholeNumberOnce(t *testing.T) {
	points := mustExpand(t, latinDesign(7, 5, Factor{Path: "n", Min: 1, Max: 5, Integer: true}, Factor{Path: "x", Min: 0, Max: 1}))
	seen := map[string]int{}
	for _, p := range points {
		seen[p.Values[0]]++
	}
	if !reflect.DeepEqual(seen, map[string]int{"1": 1, "2": 1, "3": 1, "4": 1, "5": 1}) {
		t.Errorf("integer factor values %v, want 1..5 once each", seen)
	}
}

func TestLatinHypercubeSeed(t *testing.T) {
	factors := []Factor{{Path: "a", Min: 0, Max: 1}, {Path: "b", Min: 10, Max: 20}}
	first := mustExpand(t, latinDesign(42, 20, factors...))
	again := mustExpand(t, latinDesign(42, 20, factors...))
	other := mustExpand(t, latinDesign(43, 20, factors...))
	if !reflect.DeepEqual(first, again) {
		t.Error("same seed gave different designs")
	}
	if reflect.DeepEqual(first, other) {
		t.Error("different seeds gave the same design")
	}
}

// Pinned output: shards run by different binaries must agree, so the stream
// a seed gives may not change between Go releases or refactorings.
func TestLatinHypercubeIsStableAcrossReleases(t *testing.T) {
	points := mustExpand(t, latinDesign(1, 4, Factor{Path: "a", Min: 0, Max: 1}, Factor{Path: "b", Min: 0, Max: 1}))
	got := [][]string{points[0].Values, points[1].Values, points[2].Values, points[3].Values}
	want := [][]string{
		{"0.8557850754072571", "0.6303766050047798"},
		{"0.29888753013930347", "0.7904753059381624"},
		{"0.5420103102172794", "0.4803443476743234"},
		{"0.0946005345424526", "0.01761314831199176"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("seed 1 design changed:\n got %q\nwant %q", got, want)
	}
}

func TestValuesParseBackToNumeric(t *testing.T) {
	factors := []Factor{
		{Path: "a", Min: 0.1, Max: 0.9},
		{Path: "b", Min: 1, Max: 1e6, Log: true},
		{Path: "c", Min: 0, Max: 100, Integer: true},
		{Path: "d", Min: 1, Max: 1000, Log: true, Integer: true},
	}
	for _, d := range []Design{
		latinDesign(9, 200, factors...),
		{Method: MethodSobol, Points: 64, Factors: factors},
	} {
		for _, p := range mustExpand(t, d) {
			for f, text := range p.Values {
				v, err := strconv.ParseFloat(text, 64)
				if err != nil || v != p.Numeric[f] {
					t.Fatalf("%s point %d factor %d: %q does not parse back to %v", d.Method, p.Index, f, text, p.Numeric[f])
				}
				if v < factors[f].Min || v > factors[f].Max {
					t.Fatalf("%s point %d factor %d: %v outside range", d.Method, p.Index, f, v)
				}
				if factors[f].Integer && (v != math.Trunc(v) || strings.ContainsAny(text, ".e")) {
					t.Fatalf("%s point %d factor %d: %q is not a plain whole number", d.Method, p.Index, f, text)
				}
			}
		}
	}
}

func TestExpandRangeMatchesExpand(t *testing.T) {
	designs := []Design{
		{Method: MethodGrid, Factors: []Factor{{Path: "a", Values: []string{"x", "y", "z"}}, {Path: "b", Min: 1, Max: 4, Steps: 4}}},
		latinDesign(3, 13, Factor{Path: "a", Min: 0, Max: 1}, Factor{Path: "b", Min: 2, Max: 3}),
		{Method: MethodSobol, Points: 8, Factors: []Factor{{Path: "a", Min: 0, Max: 1}, {Path: "b", Min: 2, Max: 3}}},
	}
	for _, d := range designs {
		all := mustExpand(t, d)
		var joined []Point
		for i := range 5 {
			lo, hi, err := Shard(len(all), i, 5)
			if err != nil {
				t.Fatal(err)
			}
			part, err := d.ExpandRange(lo, hi)
			if err != nil {
				t.Fatal(err)
			}
			joined = append(joined, part...)
		}
		if !reflect.DeepEqual(joined, all) {
			t.Errorf("%s: shards joined differ from Expand", d.Method)
		}
		for _, r := range [][2]int{{-1, 2}, {3, 2}, {0, len(all) + 1}} {
			if _, err := d.ExpandRange(r[0], r[1]); err == nil {
				t.Errorf("%s: ExpandRange(%d, %d) gave no error", d.Method, r[0], r[1])
			}
		}
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	okRange := Factor{Path: "x", Min: 0, Max: 1}
	cases := []struct {
		name   string
		design Design
		want   []string // one message fragment per expected problem
	}{
		{"missing method", Design{Factors: []Factor{okRange}},
			[]string{"design: sweep.method: missing"}},
		{"unknown method", Design{Method: "random", Factors: []Factor{okRange}},
			[]string{`design: sweep.method: unknown method (want grid, latin_hypercube or sobol): "random"`}},
		{"no factors", Design{Method: MethodSobol, Points: 8},
			[]string{"design: sweep.factor: no factors given: 0"}},
		{"min above max", Design{Method: MethodGrid, Factors: []Factor{{Path: "attention.capacity", Min: 3, Max: 1, Steps: 2}}},
			[]string{"design: sweep.factor[0].max (attention.capacity): below min 3: 1"}},
		{"min equals max", Design{Method: MethodGrid, Factors: []Factor{{Path: "x", Steps: 2}}},
			[]string{"sweep.factor[0].max (x): equals min"}},
		{"not finite", Design{Method: MethodSobol, Points: 4, Factors: []Factor{{Path: "x", Min: math.NaN(), Max: math.Inf(1)}}},
			[]string{"sweep.factor[0].min (x): not a finite number: NaN", "sweep.factor[0].max (x): not a finite number: +Inf"}},
		{"log with min zero", Design{Method: MethodSobol, Points: 4, Factors: []Factor{{Path: "x", Min: 0, Max: 1, Log: true}}},
			[]string{"sweep.factor[0].min (x): must be above 0 for a log range: 0"}},
		{"log with min negative", Design{Method: MethodGrid, Factors: []Factor{{Path: "x", Min: -1, Max: 1, Steps: 3, Log: true}}},
			[]string{"sweep.factor[0].min (x): must be above 0 for a log range: -1"}},
		{"integer without whole number", Design{Method: MethodGrid, Factors: []Factor{{Path: "x", Min: 0.2, Max: 0.8, Steps: 2, Integer: true}}},
			[]string{"sweep.factor[0].max (x): no whole number between min 0.2 and max: 0.8"}},
		{"grid without steps", Design{Method: MethodGrid, Factors: []Factor{okRange}},
			[]string{"sweep.factor[0].steps (x): a grid over a range needs at least 2 steps: 0"}},
		{"steps outside grid", Design{Method: MethodLatinHypercube, Points: 4, Seed: 1, Factors: []Factor{{Path: "x", Min: 0, Max: 1, Steps: 5}}},
			[]string{"sweep.factor[0].steps (x): only used by method grid: 5"}},
		{"points zero", Design{Method: MethodLatinHypercube, Seed: 1, Factors: []Factor{okRange}},
			[]string{"design: sweep.points: must be at least 1: 0"}},
		{"points negative", Design{Method: MethodSobol, Points: -4, Factors: []Factor{okRange}},
			[]string{"design: sweep.points: must be at least 2 base rows: -4"}},
		{"points on grid", Design{Method: MethodGrid, Points: 10, Factors: []Factor{{Path: "x", Values: []string{"1"}}}},
			[]string{"design: sweep.points: only used by latin_hypercube and sobol"}},
		{"seed missing", Design{Method: MethodLatinHypercube, Points: 4, Factors: []Factor{okRange}},
			[]string{"design: sweep.seed: latin_hypercube needs an explicit non-zero seed: 0"}},
		{"seed on sobol", Design{Method: MethodSobol, Points: 4, Seed: 3, Factors: []Factor{okRange}},
			[]string{"design: sweep.seed: only used by latin_hypercube: 3"}},
		{"path missing and repeated", Design{Method: MethodSobol, Points: 4, Factors: []Factor{okRange, {Min: 0, Max: 1}, okRange}},
			[]string{`sweep.factor[1].path: missing: ""`, `sweep.factor[2].path (x): same path as sweep.factor[0]: "x"`}},
		{"list outside grid", Design{Method: MethodSobol, Points: 4, Factors: []Factor{{Path: "p", Values: []string{"a", "b"}}}},
			[]string{"sweep.factor[0].values (p): value lists are only for method grid; give min and max: [a b]"}},
		{"list with range fields", Design{Method: MethodGrid, Factors: []Factor{{Path: "p", Values: []string{"a", "b"}, Min: 1, Max: 2, Steps: 2, Log: true, Integer: true}}},
			[]string{"sweep.factor[0].min (p): min and max do not go with values: 1..2", "sweep.factor[0].steps (p)", "sweep.factor[0].log (p)", "sweep.factor[0].integer (p)"}},
		{"list with empty and repeated entries", Design{Method: MethodGrid, Factors: []Factor{{Path: "p", Values: []string{"a", "", "a"}}}},
			[]string{`sweep.factor[0].values[1] (p): empty value: ""`, `sweep.factor[0].values[2] (p): repeats values[0]: "a"`}},
		{"too many factors for sobol", Design{Method: MethodSobol, Points: 4, Factors: manyFactors(MaxSobolDimensions/2 + 1)},
			[]string{"design: sweep.factor: sobol takes at most 50 factors (the embedded direction numbers cover 101 dimensions, two per factor): 51"}},
		{"grid too large", Design{Method: MethodGrid, Factors: []Factor{{Path: "a", Min: 0, Max: 1, Steps: 5000}, {Path: "b", Min: 0, Max: 1, Steps: 5000}}},
			[]string{"design: sweep: expands to more than 4194304 points: 25000000"}},
		{"sobol too large", Design{Method: MethodSobol, Points: MaxPoints, Factors: []Factor{okRange}},
			[]string{"design: sweep: expands to more than 4194304 points: 12582912"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.design.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			problems := err.(interface{ Unwrap() []error }).Unwrap()
			if len(problems) != len(c.want) {
				t.Errorf("%d problems, want %d:\n%v", len(problems), len(c.want), err)
			}
			for i, want := range c.want {
				if i < len(problems) && !strings.Contains(problems[i].Error(), want) {
					t.Errorf("problem %d = %q, want it to contain %q", i, problems[i], want)
				}
			}
			var field *FieldError
			if !errors.As(err, &field) {
				t.Error("problems are not *FieldError")
			}
			if c.design.Count() != 0 {
				t.Errorf("Count of an invalid design = %d, want 0", c.design.Count())
			}
			if _, err := c.design.Expand(); err == nil {
				t.Error("Expand of an invalid design gave no error")
			}
		})
	}
}

func manyFactors(n int) []Factor {
	factors := make([]Factor, n)
	for i := range factors {
		factors[i] = Factor{Path: "f" + strconv.Itoa(i), Min: 0, Max: 1}
	}
	return factors
}

func TestValidateAcceptsGoodDesigns(t *testing.T) {
	for _, d := range []Design{
		{Method: MethodGrid, Factors: []Factor{{Path: "a", Values: []string{"everyone", "opt_in"}}, {Path: "b", Min: 1, Max: 2, Steps: 2}}},
		latinDesign(1, 1, Factor{Path: "a", Min: 0.5, Max: 2, Log: true, Integer: true}),
		{Method: MethodSobol, Points: 2, Factors: manyFactors(MaxSobolDimensions / 2)},
	} {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.Method, err)
		}
	}
}
