package draw

import "math"

// A Countdown decides a run of independent trials that share one chance
// p, in order, by drawing how many trials fail before the next success:
// a geometric number, floor(E/-log(1-p)) for E exponential of mean 1. A
// trial then costs a decrement, and only a success costs a draw, so rare
// events cost in proportion to how often they happen.
//
// Left may be read and counted down by a caller's own loop, which then
// calls Next on the success, when Left falls below zero.
type Countdown struct {
	Left  int64   // trials that fail before the next success
	scale float64 // 1/-log(1-p): 0 when every trial succeeds, +Inf when none does
}

// Start sets the chance and draws the first gap.
func (k *Countdown) Start(s *Source, p float64) {
	k.scale = 1 / -math.Log1p(-min(max(p, 0), 1))
	k.Next(s)
}

// Next draws the gap to the success after the one just met.
func (k *Countdown) Next(s *Source) {
	gap := s.Exponential() * k.scale
	// A chance of 0 gives +Inf, or NaN for a draw of 0: no success, ever.
	if !(gap < 1<<62) {
		k.Left = 1 << 62
		return
	}
	k.Left = int64(gap)
}

// Hit reports whether the next trial succeeds.
func (k *Countdown) Hit(s *Source) bool {
	if k.Left > 0 {
		k.Left--
		return false
	}
	k.Next(s)
	return true
}

// Thinned decides trials whose chances differ from trial to trial but
// never exceed a bound: a countdown at the bound picks the candidates,
// and a candidate succeeds with the ratio of its own chance to the bound.
// This is exact, and draws only for candidates, so a chance that costs
// something to compute is computed only for them:
//
//	success := t.Candidate(s) && t.Accept(s, chance())
type Thinned struct {
	Countdown
	bound float64
}

// Start sets the bound and draws the first gap.
func (t *Thinned) Start(s *Source, bound float64) {
	t.bound = bound
	t.Countdown.Start(s, bound)
}

// Bound is the chance the countdown runs at.
func (t *Thinned) Bound() float64 { return t.bound }

// Candidate reports whether the next trial succeeds at the bound.
func (t *Thinned) Candidate(s *Source) bool { return t.Hit(s) }

// Accept decides whether a candidate of chance p succeeds.
func (t *Thinned) Accept(s *Source, p float64) bool { return s.Uniform()*t.bound < p }

// AcceptRatio decides whether a candidate succeeds whose chance is ratio
// times the bound.
func (t *Thinned) AcceptRatio(s *Source, ratio float64) bool { return s.Uniform() < ratio }
