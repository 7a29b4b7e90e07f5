package output

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name                string
		values              []float64
		mean, sd, low, high float64
		n                   int
	}{
		// t(0.975, 4) = 2.7764451; sd = sqrt(2.5); half = 2.7764451*sqrt(2.5)/sqrt(5).
		{"five", []float64{1, 2, 3, 4, 5}, 3, math.Sqrt(2.5), 3 - 1.9632432, 3 + 1.9632432, 5},
		// t(0.975, 1) = 12.7062047: two replicates give a wide interval.
		{"two", []float64{0, 1}, 0.5, math.Sqrt(0.5), 0.5 - 6.3531024, 0.5 + 6.3531024, 2},
		{"missing left out", []float64{1, nan, 2, 3, 4, 5}, 3, math.Sqrt(2.5), 3 - 1.9632432, 3 + 1.9632432, 5},
		{"one", []float64{7}, 7, nan, nan, nan, 1},
		{"none", []float64{nan}, nan, nan, nan, nan, 0},
		{"constant", []float64{2, 2, 2}, 2, 0, 2, 2, 3},
	}
	same := func(a, b float64) bool {
		return math.IsNaN(a) && math.IsNaN(b) || math.Abs(a-b) < 1e-6
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Summarize(tt.values)
			if !same(s.Mean, tt.mean) || !same(s.SD, tt.sd) || !same(s.Low, tt.low) || !same(s.High, tt.high) || s.N != tt.n {
				t.Errorf("Summarize(%v) = %+v, want mean %g sd %g [%g, %g] n %d", tt.values, s, tt.mean, tt.sd, tt.low, tt.high, tt.n)
			}
		})
	}
}

// The Student-t interval must cover the true mean in about 95% of samples,
// even for samples as small as a run's replicates often are.
func TestSummarizeCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const trials, n = 20000, 4
	covered := 0
	vals := make([]float64, n)
	for range trials {
		for i := range vals {
			vals[i] = 10 + 3*rng.NormFloat64()
		}
		if s := Summarize(vals); s.Low <= 10 && 10 <= s.High {
			covered++
		}
	}
	// Binomial standard error of the coverage at 0.95 over 20000 trials is
	// 0.0015; allow four of them.
	got := float64(covered) / trials
	if math.Abs(got-0.95) > 4*math.Sqrt(0.95*0.05/trials) {
		t.Errorf("coverage %.4f, want 0.95", got)
	}
}

func TestAppendFloat(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {12, "12"}, {-3, "-3"}, {0.25, "0.25"}, {1.0 / 3, "0.3333333333333333"},
		{math.NaN(), ""}, {1e20, "1e+20"}, {2.5e-7, "2.5e-07"},
	}
	for _, tt := range tests {
		if got := string(appendFloat(nil, tt.v)); got != tt.want {
			t.Errorf("appendFloat(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestAppendFieldReadsBack(t *testing.T) {
	for _, name := range []string{"Plain", "Say \"hi\"", "A, B", "two\nlines", `"`} {
		line := string(appendField(nil, name)) + "," + string(appendField(nil, name)) + "\n"
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			t.Fatalf("%q: written as %q, which encoding/csv cannot read: %v", name, line, err)
		}
		if len(rec) != 2 || rec[0] != name || rec[1] != name {
			t.Errorf("%q: written as %q, read back as %q", name, line, rec)
		}
	}
}
