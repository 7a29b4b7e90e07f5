package sensitivity

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// srcConfidence is the coverage of the SRC intervals.
const srcConfidence = 0.95

// collinearCondition is the condition number of the factors' correlation
// matrix past which coefficients are mostly rounding error.
const collinearCondition = 1e10

// SRC computes standardized regression coefficients of outcome y on the
// factors named factors, with x[r] the factors' numeric values in run r
// (design.Point.Numeric) and y[r] the outcome of that run. Rows with a NaN
// or infinite value are dropped and counted. It returns an error when the
// shapes disagree, fewer rows than varying factors remain, or the factors
// are collinear.
func SRC(outcome string, factors []string, x [][]float64, y []float64) (Result, error) {
	k := len(factors)
	if k == 0 {
		return Result{}, errors.New("sensitivity: no factors given")
	}
	if len(x) != len(y) {
		return Result{}, fmt.Errorf("sensitivity: factor rows and outcomes differ in number: %d rows, %d outcomes", len(x), len(y))
	}
	for r, row := range x {
		if len(row) != k {
			return Result{}, fmt.Errorf("sensitivity: factor row %d has %d values for %d factors: %d", r, len(row), k, len(row))
		}
	}

	res := Result{Outcome: outcome, Method: MethodSRC, R2: math.NaN(), Confidence: srcConfidence, Factors: make([]FactorResult, k)}
	for i, name := range factors {
		res.Factors[i] = FactorResult{Factor: name, IndexLow: math.NaN(), IndexHigh: math.NaN(), Total: math.NaN(), TotalLow: math.NaN(), TotalHigh: math.NaN()}
	}

	var rows []int
	for r := range y {
		ok := finite(y[r])
		for _, v := range x[r] {
			ok = ok && finite(v)
		}
		if ok {
			rows = append(rows, r)
		}
	}
	n := len(rows)
	res.Used, res.Dropped = n, len(y)-n
	if res.Dropped > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d of %d runs dropped for NaN or infinite values", res.Dropped, len(y)))
	}
	if n < 2 {
		return Result{}, fmt.Errorf("sensitivity: outcome %s: fewer than 2 usable rows: %d", outcome, n)
	}

	yMean, ySD := meanSD(n, func(j int) float64 { return y[rows[j]] })
	res.Variance = ySD * ySD
	var active []int
	colMean, colSD := make([]float64, k), make([]float64, k)
	for f := range k {
		colMean[f], colSD[f] = meanSD(n, func(j int) float64 { return x[rows[j]][f] })
		if colSD[f] > 0 {
			active = append(active, f)
		} else {
			res.Warnings = append(res.Warnings, fmt.Sprintf("factor %s does not vary: coefficient 0", factors[f]))
		}
	}
	rankByMagnitude := func(fr FactorResult) float64 { return math.Abs(fr.Index) }
	if ySD == 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("outcome %s is constant: no variance to explain", outcome))
		assignRanks(res.Factors, rankByMagnitude)
		return res, nil
	}
	p := len(active)
	if p == 0 {
		res.R2 = 0
		assignRanks(res.Factors, rankByMagnitude)
		return res, nil
	}
	if n <= p {
		return Result{}, fmt.Errorf("sensitivity: outcome %s: regression on %d varying factors needs more rows: %d", outcome, p, n)
	}

	z := mat.NewDense(n, p, nil)
	zy := mat.NewVecDense(n, nil)
	for j, r := range rows {
		for c, f := range active {
			z.Set(j, c, (x[r][f]-colMean[f])/colSD[f])
		}
		zy.SetVec(j, (y[r]-yMean)/ySD)
	}
	var gram mat.SymDense
	gram.SymOuterK(1, z.T())
	var chol mat.Cholesky
	if !chol.Factorize(&gram) {
		return Result{}, fmt.Errorf("sensitivity: outcome %s: factors are collinear, so their effects cannot be separated: %d varying factors", outcome, p)
	}
	if cond := chol.Cond(); cond > collinearCondition {
		return Result{}, fmt.Errorf("sensitivity: outcome %s: factors are collinear, so their effects cannot be separated: condition number %.3g", outcome, cond)
	}
	var zty, beta, fitted, residual mat.VecDense
	zty.MulVec(z.T(), zy)
	if err := chol.SolveVecTo(&beta, &zty); err != nil {
		return Result{}, fmt.Errorf("sensitivity: outcome %s: least squares failed: %w", outcome, err)
	}
	fitted.MulVec(z, &beta)
	residual.SubVec(zy, &fitted)
	rss := mat.Dot(&residual, &residual)
	tss := mat.Dot(zy, zy) // n-1, as zy is standardized
	res.R2 = 1 - rss/tss

	// Student-t intervals need residual degrees of freedom beyond the
	// intercept that the centring removed.
	if df := n - p - 1; df > 0 {
		var inverse mat.SymDense
		if err := chol.InverseTo(&inverse); err == nil {
			sigma2 := rss / float64(df)
			t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(1 - (1-srcConfidence)/2)
			for c, f := range active {
				half := t * math.Sqrt(sigma2*inverse.At(c, c))
				res.Factors[f].IndexLow = beta.AtVec(c) - half
				res.Factors[f].IndexHigh = beta.AtVec(c) + half
			}
		}
	}
	for c, f := range active {
		res.Factors[f].Index = beta.AtVec(c)
	}
	if res.R2 < MinReliableR2 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("R^2 = %.3f is below %.1f: effects are far from linear or additive; prefer Sobol indices", res.R2, MinReliableR2))
	}
	assignRanks(res.Factors, rankByMagnitude)
	return res, nil
}

// meanSD is the mean and sample standard deviation of n values, two-pass
// so that a constant column has a standard deviation of exactly 0.
func meanSD(n int, at func(int) float64) (mean, sd float64) {
	for j := range n {
		mean += at(j)
	}
	mean /= float64(n)
	var ss float64
	for j := range n {
		d := at(j) - mean
		ss += d * d
	}
	if n < 2 {
		return mean, 0
	}
	return mean, math.Sqrt(ss / float64(n-1))
}
