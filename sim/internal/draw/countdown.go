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
