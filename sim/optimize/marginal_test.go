package optimize

import (
	"context"
	"math"
	"testing"
)

// On a linear objective the marginals are its slopes: for a range, the
// coefficient; for a share, the coefficient less the share-weighted mean
// coefficient (what moving budget into the lever from the others gains).
func TestMarginalsAreTheSlopes(t *testing.T) {
	coef := []float64{1, 4, 2}
	space := Space{
		Ranges: []Range{{Name: "rate", Min: 0, Max: 10, Start: math.NaN()}},
		Shares: []Shares{{Names: []string{"ads", "content", "partners"}}},
	}
	obj := func(_ context.Context, c Candidate, rep int) (float64, error) {
		v := 0.5 * c.Values[0]
		for i, s := range c.Shares[0] {
			v += coef[i] * s
		}
		return v + noise(c, rep, 3, 0.01), nil
	}
	at := Candidate{Values: []float64{10}, Shares: [][]float64{{0.5, 0.3, 0.2}}}
	got, err := Marginals(context.Background(), &space, obj, at, MarginalOptions{Replicates: 20, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	mean := 0.5*1 + 0.3*4 + 0.2*2
	want := []float64{0.5, 1 - mean, 4 - mean, 2 - mean}
	for i, m := range got {
		if !m.Rate.Contains(want[i]) || m.Rate.High-m.Rate.Low > 0.3 {
			t.Errorf("%s: rate %+v, want an interval of width below 0.3 holding %.3f", m.Name, m.Rate, want[i])
		}
	}
	if got[0].High != 10 || got[0].Low != 9.5 {
		t.Errorf("rate at its upper bound: difference over [%g, %g], want the one-sided [9.5, 10]", got[0].Low, got[0].High)
	}
	if best := got[2]; best.Name != "content" || best.Effect <= got[1].Effect || best.Effect <= got[3].Effect {
		t.Errorf("content should earn most per share moved: %+v", got)
	}
}
