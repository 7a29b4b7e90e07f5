package sensitivity

import (
	"cmp"
	"math"
	"slices"
)

// Method is how a Result was computed.
type Method string

// The methods of this package.
const (
	MethodSRC   Method = "src"
	MethodSobol Method = "sobol"
)

// MinReliableR2 is the R^2 below which an SRC ranking should not be trusted
// (Saltelli et al. 2008, sec. 1.2.3): the linear model then misses a third
// or more of the outcome's variance.
const MinReliableR2 = 0.7

// Assumptions states what a ranking by the method takes for granted, to be
// shown beside its results.
func (m Method) Assumptions() string {
	switch m {
	case MethodSRC:
		return "standardized regression coefficients: assumes linear, additive effects of independently varied factors; trust the ranking only when R^2 >= 0.7"
	case MethodSobol:
		return "Sobol indices (Saltelli 2010 first order, Jansen total): variance-based, no linearity assumption; needs a sobol design of N*(k+2) runs and independent factors"
	}
	return "unknown method"
}

// FactorResult is one factor's importance for one outcome.
type FactorResult struct {
	Factor string
	// Index is the standardized regression coefficient (SRC), or the
	// first-order Sobol index S_i.
	Index float64
	// IndexLow and IndexHigh bound Index's confidence interval; NaN when
	// there is none.
	IndexLow, IndexHigh float64
	// Total is the total Sobol index S_Ti and TotalLow, TotalHigh its
	// interval; NaN for SRC.
	Total, TotalLow, TotalHigh float64
	// Rank is 1 for the most important factor: largest |SRC|, or largest
	// S_Ti. Ties keep the factors' order.
	Rank int
}

// Result is the sensitivity of one outcome to every factor.
type Result struct {
	Outcome string
	Method  Method
	// Factors are in the order the factors were given; see Ranked.
	Factors []FactorResult
	// R2 is the SRC regression's coefficient of determination; NaN for
	// Sobol or when the outcome is constant.
	R2 float64
	// Variance is the outcome's variance over the rows used.
	Variance float64
	// Used and Dropped count rows (SRC) or base rows (Sobol) used, and
	// dropped for a NaN or infinite value.
	Used, Dropped int
	// Confidence is the coverage of the intervals, such as 0.95.
	Confidence float64
	// Warnings say why the result may mislead: low R^2, dropped rows,
	// constant factors or outcome, wide intervals.
	Warnings []string
}

// Ranked returns the factors from most to least important.
func (r Result) Ranked() []FactorResult {
	ranked := slices.Clone(r.Factors)
	slices.SortStableFunc(ranked, func(a, b FactorResult) int { return cmp.Compare(a.Rank, b.Rank) })
	return ranked
}

// assignRanks ranks factors by importance, largest first; NaN counts as
// least important and ties keep the given order.
func assignRanks(factors []FactorResult, importance func(FactorResult) float64) {
	order := make([]int, len(factors))
	for i := range order {
		order[i] = i
	}
	key := func(i int) float64 {
		v := importance(factors[i])
		if math.IsNaN(v) {
			return math.Inf(-1)
		}
		return v
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(key(b), key(a)) })
	for rank, i := range order {
		factors[i].Rank = rank + 1
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
