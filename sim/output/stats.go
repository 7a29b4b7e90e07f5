package output

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Summary describes one outcome across replicates.
type Summary struct {
	Mean float64
	SD   float64 // sample standard deviation (n-1 in the denominator)
	Low  float64 // lower end of the 95% confidence interval of the mean
	High float64 // upper end of the 95% confidence interval of the mean
	N    int     // replicates that reported a value
}

// Summarize returns the mean, standard deviation and Student-t 95% confidence
// interval of values. NaN values stand for "not reached" (a threshold a
// replicate never crossed) and are left out, so N can be less than
// len(values). With N = 0 everything is NaN; with N = 1 the mean is the value
// and the spread and interval are NaN, since one replicate says nothing about
// variation.
func Summarize(values []float64) Summary {
	var n int
	var sum float64
	for _, v := range values {
		if !math.IsNaN(v) {
			n++
			sum += v
		}
	}
	s := Summary{Mean: math.NaN(), SD: math.NaN(), Low: math.NaN(), High: math.NaN(), N: n}
	if n == 0 {
		return s
	}
	s.Mean = sum / float64(n)
	if n == 1 {
		return s
	}
	var ss float64
	for _, v := range values {
		if !math.IsNaN(v) {
			d := v - s.Mean
			ss += d * d
		}
	}
	s.SD = math.Sqrt(ss / float64(n-1))
	half := TQuantile975(n-1) * s.SD / math.Sqrt(float64(n))
	s.Low, s.High = s.Mean-half, s.Mean+half
	return s
}

// TQuantile975 is the 0.975 quantile of Student's t distribution with df
// degrees of freedom: the multiplier of the standard error in a two-sided
// 95% confidence interval.
func TQuantile975(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}
