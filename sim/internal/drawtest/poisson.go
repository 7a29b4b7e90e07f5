package drawtest

import (
	"math"
	"testing"
)

// CheckPoisson draws 200,000 counts and checks their mean, variance and
// share of zeros against Poisson(lambda), each within 5 standard errors,
// which a correct draw fails about once in 10^6 checks.
func CheckPoisson(t testing.TB, lambda float64, draw func() int32) {
	t.Helper()
	const n = 200_000
	var sum, sq, zeros float64
	for range n {
		k := float64(draw())
		sum += k
		sq += k * k
		if k == 0 {
			zeros++
		}
	}
	mean := sum / n
	variance := sq/n - mean*mean
	if tol := 5 * math.Sqrt(lambda/n); math.Abs(mean-lambda) > tol {
		t.Errorf("lambda %v: mean %v, want within %.3g", lambda, mean, tol)
	}
	// The sample variance of a Poisson varies by about (lambda + 2 lambda^2)/n.
	if tol := 5 * math.Sqrt((lambda+2*lambda*lambda)/n); math.Abs(variance-lambda) > tol {
		t.Errorf("lambda %v: variance %v, want within %.3g", lambda, variance, tol)
	}
	p0 := math.Exp(-lambda)
	if tol := 5 * math.Sqrt(p0*(1-p0)/n); math.Abs(zeros/n-p0) > tol {
		t.Errorf("lambda %v: share of zeros %v, want %v within %.3g", lambda, zeros/n, p0, tol)
	}
}
