package sim

import "math"

// learn applies what the chunk's customers from lo to hi processed about
// brand b to what they know of it. An unaware customer becomes aware with
// the sum of the recall chances of its messages, as in the Bass hazard
// p + qF; an aware one weighs them as trust evidence and moves its
// expectation toward what the brand claims and toward what peers report,
// each as far as its source is believed. The aware listeners are left in
// w.listeners[:w.aware] for engage and irritate.
func (m *Market) learn(w *worker, b, lo, hi int) {
	br := &m.brands[b]
	arr := w.arrived[b][:hi-lo]
	first, last := m.at(lo, b), m.at(hi, b)
	flags := m.flags[first:last][:len(arr)]
	trustPos := m.trustPos[first:last][:len(arr)]
	trustNeg := m.trustNeg[first:last][:len(arr)]
	expectation := m.expectation[first:last][:len(arr)]
	recall, evidence, gap := &br.recall, &br.evidence, &br.gapLeft

	// Whether a customer processed anything is as good as random, so the
	// customers who did are listed without a branch on it.
	heard := 0
	for j := range arr {
		x := &arr[j]
		w.listeners[heard] = uint16(j)
		heard += bit(x[0]|x[1]|x[2]|x[3]|x[4]|x[5]|x[6] != 0)
	}
	aware := 0
	for _, j := range w.listeners[:heard] {
		x := &arr[j]
		nContent, nPos, nNeg, nShare := x[kindContent], x[kindPositive], x[kindNegative], x[kindShare]
		nPartner, nOptPush, nPush := x[kindPartner], x[kindOptInPush], x[kindPush]
		fContent, fPos, fNeg, fShare := float64(nContent), float64(nPos), float64(nNeg), float64(nShare)
		fPartner, fOptPush, fPush := float64(nPartner), float64(nOptPush), float64(nPush)
		if flags[j]&flagAware == 0 {
			// Influences add up, as in the Bass hazard p + qF.
			s := fContent*recall[kindContent] + fPos*recall[kindPositive] + fNeg*recall[kindNegative] +
				fShare*recall[kindShare] + fPartner*recall[kindPartner] + fOptPush*recall[kindOptInPush] + fPush*recall[kindPush]
			if s <= 0 || w.src.Uniform() >= s {
				continue
			}
			flags[j] |= flagAware
			expectation[j] = float32(br.claim)
		}
		w.listeners[aware] = j
		aware++
		trustPos[j] += float32(fContent*evidence[kindContent] + fPos*evidence[kindPositive] +
			fShare*evidence[kindShare] + fPartner*evidence[kindPartner] + fOptPush*evidence[kindOptInPush] + fPush*evidence[kindPush])
		trustNeg[j] += float32(br.negativeEvidence * fNeg)

		// Claims pull expectation toward what the brand says, peers
		// toward what the product is.
		e := float64(expectation[j])
		e = br.claim + (e-br.claim)*gap[kindPush].pow(nPush)*gap[kindOptInPush].pow(nOptPush)*
			gap[kindContent].pow(nContent)*gap[kindPartner].pow(nPartner)
		e = br.Quality + (e-br.Quality)*gap[kindPositive].pow(nPos+nShare)
		expectation[j] = float32(e)
	}
	w.aware = aware
}

// engage draws the aware listeners of brand b closer to its orbit: each
// piece of content, shared post or partner message closes a share of the
// distance left.
func (m *Market) engage(w *worker, b, lo, hi int) {
	br := &m.brands[b]
	arr := w.arrived[b][:hi-lo]
	engagement := m.engagement[m.at(lo, b):m.at(hi, b)][:len(arr)]
	for _, j := range w.listeners[:w.aware] {
		x := &arr[j]
		g := float64(engagement[j])
		engagement[j] = float32(1 - (1-g)*br.distant.pow(x[kindContent]+x[kindShare]+x[kindPartner]))
	}
}

// irritate adds the irritation of brand b's push to its aware listeners
// and lets its soothing content lower it, never below zero; past the
// threshold a customer blocks the brand for good.
func (m *Market) irritate(w *worker, b, lo, hi int) {
	br := &m.brands[b]
	arr := w.arrived[b][:hi-lo]
	first, last := m.at(lo, b), m.at(hi, b)
	flags := m.flags[first:last][:len(arr)]
	irritation := m.irritation[first:last][:len(arr)]
	threshold := m.params.Irritation.Threshold
	blocks := m.params.Irritation.PerPush > 0
	irr := &br.irritation
	for _, j := range w.listeners[:w.aware] {
		x := &arr[j]
		r := max(float64(irritation[j])+float64(x[kindContent])*irr[kindContent]+
			float64(x[kindOptInPush])*irr[kindOptInPush]+float64(x[kindPush])*irr[kindPush], 0)
		irritation[j] = float32(r)
		if r >= threshold && blocks {
			flags[j] = flags[j]&^flagOptedIn | flagBlocked
		}
	}
}

// optIn lets the chunk's customers from lo to hi ask for brand b's push,
// the more likely the closer they orbit it: every aware customer who has
// not opted in nor blocked the brand, and orbits it at all, is a trial
// of chance opt_in.rate times its engagement, thinned at opt_in.rate.
// The countdown counts down by whether a customer qualifies, not by a
// branch on it.
func (m *Market) optIn(w *worker, b, lo, hi int) {
	first, last := m.at(lo, b), m.at(hi, b)
	flags := m.flags[first:last]
	engagement := m.engagement[first:last][:len(flags)]
	thinned := &w.optIn
	left := thinned.Left
	for j, f := range flags {
		e := engagement[j]
		left -= int64(bit(f&(flagAware|flagOptedIn|flagBlocked) == flagAware) & bit(e > 0))
		if left < 0 {
			thinned.Next(&w.src)
			left = thinned.Left
			if thinned.AcceptRatio(&w.src, float64(e)) {
				flags[j] = f | flagOptedIn
			}
		}
	}
	thinned.Left = left
}

// powers tabulates x to the powers 0 to len-1: the share of a gap left
// after so many messages, looked up rather than multiplied out in the hot
// loop.
type powers [16]float64

func makePowers(x float64) powers {
	var t powers
	y := 1.0
	for k := range t {
		t[k] = y
		y *= x
	}
	return t
}

// pow is x to the power n.
func (t *powers) pow(n int32) float64 {
	if n < int32(len(t)) {
		return t[n]
	}
	return math.Pow(t[1], float64(n))
}
