package sim

import "math"

// attentionTiers groups message kinds by priority; within a tier, a
// customer short of attention processes a share of every kind and brand.
var attentionTiers = [...][2]int{
	{kindContent, kindPositive},
	{kindPositive, kindOptInPush},
	{kindOptInPush, kindPush},
	{kindPush, kinds},
}

// attend applies limited attention to the chunk's customers from lo to
// hi: a customer processes at most its capacity, tier by tier.
func (m *Market) attend(w *worker, lo, hi int) {
	total := w.total[:hi-lo]
	for j, capacity := range m.capacity[lo:hi][:len(total)] {
		if capacity != 0 && total[j] > capacity {
			w.ration(j, m.nb, capacity)
		}
	}
}

// ration lowers the messages that reach the chunk's j-th customer to the
// room it has: the tier that overflows is shared among its kinds and
// brands by systematic sampling (one uniform draw, each count kept in
// proportion), and later tiers are ignored. What is left out is counted
// as ignored, push left out also as wasted.
func (w *worker) ration(j, nb int, room int32) {
	// The tiers' totals come from one pass of fixed length over the
	// kinds, which the processor predicts; loops over the kinds of one
	// tier would end at a different place each time.
	var inTier [len(attentionTiers)]int32
	for b := range nb {
		for k, n := range &w.arrived[b][j] {
			inTier[tierOf[k]] += n
		}
	}
	t := 0
	for t < len(inTier) && inTier[t] <= room {
		room -= inTier[t]
		t++
	}
	if t == len(inTier) {
		return
	}
	// Systematic sampling of room messages out of those of tier t.
	tier := attentionTiers[t]
	frac := float64(room) / float64(inTier[t])
	u := w.src.Uniform()
	var cum, prevCut int32
	for b := range nb {
		x, a := &w.arrived[b][j], &w.acc[b]
		for k := tier[0]; k < tier[1]; k++ {
			cum += x[k]
			cut := int32(math.Floor(float64(cum)*frac + u))
			a.leaveOut(x, k, x[k]-(cut-prevCut))
			prevCut = cut
		}
		for k := tier[1]; k < kinds; k++ {
			a.leaveOut(x, k, x[k])
		}
	}
}

// tierOf[k] is the attention tier of message kind k.
var tierOf = func() (t [kinds]int) {
	for i, tier := range attentionTiers {
		for k := tier[0]; k < tier[1]; k++ {
			t[k] = i
		}
	}
	return t
}()

// leaveOut takes n messages of kind k out of the counts x that a
// customer processes, and counts them as ignored (push also as wasted)
// rather than processed.
func (a *chunkTotals) leaveOut(x *[kinds]int32, k int, n int32) {
	x[k] -= n
	a.kept[k] -= int64(n)
	a.ignored += int64(n)
	if k >= kindOptInPush {
		a.wasted += int64(n)
	}
}
