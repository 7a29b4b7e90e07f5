package optimize

import (
	"context"
	"fmt"
	"math"
)

// DefaultMarginalStep is the half-width of a finite difference, as a share
// of a range (or of the budget, for a share): wide enough that a
// simulation's noise, paired away by common random numbers, does not
// swamp the difference, narrow enough to stay local.
const DefaultMarginalStep = 0.05

// Marginal is the objective's rate of change along one lever at a point:
// per unit of a range's value, or, for a share, per unit of budget share
// moved into the lever from the others in proportion to theirs.
type Marginal struct {
	Name string
	// Rate is the paired central difference, with its interval over
	// replicates.
	Rate Interval
	// At is the lever's value at the point; Low and High are the values
	// the difference spans.
	At, Low, High float64
	// Effect is Rate times the lever's whole span (a range's width, or 1
	// for a share): the change over the lever's range, comparable across
	// levers of different units.
	Effect float64
}

// MarginalOptions say how Marginals measures.
type MarginalOptions struct {
	Replicates int     // replicates per difference (default FinalReplicates' default)
	Step       float64 // half-width as a share of the span (default DefaultMarginalStep)
	Workers    int
	Confidence float64
}

// Marginals measures, at candidate at, the rate of change of the objective
// along every range and every share: for each replicate, the difference of
// the objective a step above and a step below (one-sided at a bound),
// divided by the distance, so that both sides share the replicate's luck;
// the interval is Student's t over replicates. It runs 2 simulations per
// lever and replicate (shares included) in one batch.
func Marginals(ctx context.Context, space *Space, objective Objective, at Candidate, opt MarginalOptions) ([]Marginal, error) {
	if opt.Replicates <= 0 {
		opt.Replicates = DefaultFinalReplicates
	}
	if opt.Step <= 0 {
		opt.Step = DefaultMarginalStep
	}
	if opt.Confidence <= 0 {
		opt.Confidence = DefaultConfidence
	}
	if opt.Replicates < 2 || opt.Step >= 0.5 || opt.Confidence >= 1 {
		return nil, fmt.Errorf("optimize: marginals need at least 2 replicates, a step below 0.5 and a confidence below 1: %d, %g, %g", opt.Replicates, opt.Step, opt.Confidence)
	}
	type probe struct {
		name          string
		below, above  Candidate
		at, low, high float64
		distance, its float64
	}
	var probes []probe
	for i, r := range space.Ranges {
		h := opt.Step * (r.Max - r.Min)
		lo, hi := math.Max(r.Min, at.Values[i]-h), math.Min(r.Max, at.Values[i]+h)
		below, above := clone(at), clone(at)
		below.Values[i], above.Values[i] = lo, hi
		probes = append(probes, probe{name: r.Name, below: below, above: above, at: at.Values[i], low: lo, high: hi, distance: hi - lo, its: r.Max - r.Min})
	}
	for g, sh := range space.Shares {
		s := at.Shares[g]
		for j, name := range sh.Names {
			// s(t) = s + t (e_j - s) stays on the simplex for
			// -s_j/(1-s_j) <= t <= 1.
			tLow := -opt.Step
			if s[j] < 1 {
				tLow = math.Max(tLow, -s[j]/(1-s[j]))
			}
			tHigh := opt.Step
			move := func(t float64) Candidate {
				c := clone(at)
				for k := range c.Shares[g] {
					c.Shares[g][k] = s[k] * (1 - t)
				}
				c.Shares[g][j] += t
				return c
			}
			below, above := move(tLow), move(tHigh)
			probes = append(probes, probe{name: name, below: below, above: above, at: s[j], low: below.Shares[g][j], high: above.Shares[g][j], distance: tHigh - tLow, its: 1})
		}
	}
	var cands []Candidate
	for _, p := range probes {
		cands = append(cands, p.below, p.above)
	}
	ev := newEvaluator(objective, opt.Workers, nil)
	vals, err := ev.run(ctx, cands, opt.Replicates)
	if err != nil {
		return nil, err
	}
	out := make([]Marginal, len(probes))
	for i, p := range probes {
		d := make([]float64, opt.Replicates)
		for r := range d {
			d[r] = (vals[2*i+1][r] - vals[2*i][r]) / p.distance
		}
		iv := meanInterval(d, opt.Confidence)
		out[i] = Marginal{Name: p.name, Rate: iv, At: p.at, Low: p.low, High: p.high, Effect: iv.Estimate * p.its}
	}
	return out, nil
}

func clone(c Candidate) Candidate {
	out := Candidate{Values: append([]float64(nil), c.Values...), Choices: append([]int(nil), c.Choices...)}
	for _, s := range c.Shares {
		out.Shares = append(out.Shares, append([]float64(nil), s...))
	}
	return out
}
