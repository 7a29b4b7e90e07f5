package calibrate

import (
	"context"
	"math"
	"math/rand/v2"

	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// stochasticBass is the fully mixed Bass model as a chain of binomial
// draws, the model the engine docks with at a fraction of its cost: on
// each day every one of the m customers who has not adopted adopts with
// probability p + q A/m, A the adopters of the day before. theta is (p,
// q); out is the adopters on each of days.
func stochasticBass(m int, days []int) Model {
	return func(_ context.Context, theta []float64, seed uint64, out []float64) error {
		src := rand.NewPCG(seed, 0x5eed)
		p, q := theta[0], theta[1]
		adopters := 0.0
		next := 0
		for day := 0; next < len(days); day++ {
			if day > 0 {
				h := math.Min(1, p+q*adopters/float64(m))
				adopters += distuv.Binomial{N: float64(m) - adopters, P: h, Src: src}.Rand()
			}
			if day == days[next] {
				out[next] = adopters
				next++
			}
		}
		return nil
	}
}

// everyDay returns the days step, 2 step, ..., up to last.
func everyDay(step, last int) []int {
	var days []int
	for d := step; d <= last; d += step {
		days = append(days, d)
	}
	return days
}

// bassCDF is the share of adopters at time t of the continuous Bass
// model (Bass 1969).
func bassCDF(p, q, t float64) float64 {
	e := math.Exp(-(p + q) * t)
	return (1 - e) / (1 + q/p*e)
}

// dailyBass is the share of adopters after t days of the daily Bass
// recursion F(t+1) = F(t) + (p + q F(t)) (1 - F(t)), which the engine
// follows exactly when fully mixed (TestBassDocking in package sim). The
// continuous curve bassCDF fitted to a daily curve finds p 5 to 10% low at
// daily rates near p = 0.003, q = 0.08, the error of a day's step.
func dailyBass(p, q, t float64) float64 {
	f := 0.0
	for range int(t) {
		f += (p + q*f) * (1 - f)
	}
	return f
}

// fitBassNLS fits m, p and q of the Bass model with adopter share cdf to
// cumulative counts at times by nonlinear least squares on each period's
// adoptions, n_i = m (F(t_i) - F(t_{i-1})) (Srinivasan and Mason 1986),
// with the Nelder-Mead method over log m, log p and log q so that all
// three stay positive. start is a first guess of (m, p, q). (gonum's
// optimize would bring in a module the project does not otherwise need.)
func fitBassNLS(cdf func(p, q, t float64) float64, times, cumulative []float64, start [3]float64) (m, p, q float64) {
	sse := func(x []float64) float64 {
		m, p, q := math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2])
		var s, prevT, prevY float64
		for i, t := range times {
			n := cumulative[i] - prevY
			e := n - m*(cdf(p, q, t)-cdf(p, q, prevT))
			s += e * e
			prevT, prevY = t, cumulative[i]
		}
		return s
	}
	x := nelderMead(sse, []float64{math.Log(start[0]), math.Log(start[1]), math.Log(start[2])}, 0.3, 4000)
	return math.Exp(x[0]), math.Exp(x[1]), math.Exp(x[2])
}

// nelderMead minimises f from x0 by the simplex method of Nelder and Mead
// (1965) with the standard coefficients (reflection 1, expansion 2,
// contraction and shrinkage 1/2), from a simplex of side step.
func nelderMead(f func([]float64) float64, x0 []float64, step float64, iterations int) []float64 {
	n := len(x0)
	type vertex struct {
		x []float64
		f float64
	}
	at := func(x []float64) vertex { return vertex{x, f(x)} }
	simplex := []vertex{at(x0)}
	for i := range n {
		x := append([]float64(nil), x0...)
		x[i] += step
		simplex = append(simplex, at(x))
	}
	towards := func(from, to []float64, t float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = from[i] + t*(to[i]-from[i])
		}
		return x
	}
	for range iterations {
		sort.Slice(simplex, func(a, b int) bool { return simplex[a].f < simplex[b].f })
		if simplex[n].f-simplex[0].f <= 1e-12*(math.Abs(simplex[0].f)+1e-300) {
			break
		}
		centroid := make([]float64, n)
		for _, v := range simplex[:n] {
			for i := range centroid {
				centroid[i] += v.x[i] / float64(n)
			}
		}
		worst := simplex[n]
		r := at(towards(centroid, worst.x, -1))
		switch {
		case r.f < simplex[0].f:
			if e := at(towards(centroid, worst.x, -2)); e.f < r.f {
				r = e
			}
			simplex[n] = r
		case r.f < simplex[n-1].f:
			simplex[n] = r
		default:
			if c := at(towards(centroid, worst.x, 0.5)); c.f < worst.f {
				simplex[n] = c
				continue
			}
			for i := 1; i <= n; i++ {
				simplex[i] = at(towards(simplex[0].x, simplex[i].x, 0.5))
			}
		}
	}
	sort.Slice(simplex, func(a, b int) bool { return simplex[a].f < simplex[b].f })
	return simplex[0].x
}
