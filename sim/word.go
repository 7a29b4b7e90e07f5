package sim

import (
	"math"
	"math/bits"
)

// An inbox entry packs three counts of one day's messages about one brand
// into 21 bits each. A count never exceeds the receiver's ties (each
// neighbour sends at most one message of a kind a day), and NewMarket
// refuses graphs with more ties than a field holds.
const (
	inboxPositive = 0
	inboxNegative = 21
	inboxShare    = 42
	inboxMask     = 1<<21 - 1
)

// Kinds of word whose chance of crossing a tie depends on the sender.
const (
	oddsPositive = iota // an advocate's daily word: word_of_mouth.rate over its ties
	oddsNegative        // a detractor's: word_of_mouth.negative_rate over its ties
	oddsOnce            // a new advocate telling each friend once: the transmissibility
	oddsKinds
)

// oddsTable bounds the degrees whose odds are tabulated; senders with more
// ties compute theirs.
const oddsTable = 1024

// tieOdds describes independent chances p of crossing each of a sender's
// d ties.
type tieOdds struct {
	logMiss float64 // log(1-p); -Inf when every tie is crossed
	none    float64 // (1-p)^d, the chance that no tie is crossed
}

func makeTieOdds(p float64, d int) tieOdds {
	if p >= 1 {
		return tieOdds{logMiss: math.Inf(-1)}
	}
	l := math.Log1p(-p)
	return tieOdds{logMiss: l, none: math.Exp(float64(d) * l)}
}

// tieChance is the chance that word of kind k crosses one of d ties.
func (m *Market) tieChance(k, d int) float64 {
	w := &m.params.WordOfMouth
	switch k {
	case oddsPositive:
		return min(1, w.Rate/float64(d))
	case oddsNegative:
		return min(1, w.NegativeRate/float64(d))
	}
	return w.Transmissibility
}

// tabulateOdds computes the odds of every kind of word for senders with
// up to maxDegree ties (at most oddsTable).
func (m *Market) tabulateOdds(maxDegree int) {
	n := min(maxDegree, oddsTable) + 1
	for k := range m.odds {
		m.odds[k] = make([]tieOdds, n)
		for d := 1; d < n; d++ {
			m.odds[k][d] = makeTieOdds(m.tieChance(k, d), d)
		}
	}
}

// speak sends customer c's word about brand b for tomorrow along its
// ties; v has the voice bits of what it says, as for brand 0.
func (m *Market) speak(w *worker, c, b int, v uint32) {
	ties := m.adjacency[m.offsets[c]:m.offsets[c+1]]
	if len(ties) == 0 {
		return
	}
	for v != 0 {
		bit := bits.TrailingZeros32(v)
		v &= v - 1
		switch bit {
		case voiceAdvocate:
			m.sendSome(w, ties, b, oddsPositive, inboxPositive)
		case voiceDetractor:
			m.sendSome(w, ties, b, oddsNegative, inboxNegative)
		case voiceSharer:
			// A post reaches every friend.
			m.sendAll(w, ties, b, 1<<inboxShare)
		case voiceNew:
			m.sendSome(w, ties, b, oddsOnce, inboxPositive)
		}
	}
}

// sendSome sends a message about brand b across each of the ties
// independently with the chance of word of kind k. It skips from one
// crossed tie to the next by geometric gaps, so that it draws once when
// no tie is crossed and once more per message.
func (m *Market) sendSome(w *worker, ties []int32, b, k int, field uint) {
	d := len(ties)
	var o tieOdds
	if d < len(m.odds[k]) {
		o = m.odds[k][d]
	} else {
		o = makeTieOdds(m.tieChance(k, d), d)
	}
	one := uint64(1) << field
	if math.IsInf(o.logMiss, -1) {
		m.sendAll(w, ties, b, one)
		return
	}
	// The gap before the next crossed tie is floor(log(x)/log(1-p)) for x
	// uniform on (0, 1]; it reaches past the last tie exactly when x is at
	// most (1-p)^(ties left), which the first draw checks without a log.
	x := 1 - w.uniform()
	if x <= o.none {
		return
	}
	for t := 0; ; {
		gap := geometricGap(x, o.logMiss)
		if gap >= float64(d-t) {
			return
		}
		t += int(gap)
		m.inboxNext[w.id][m.at(int(ties[t]), b)] += one
		t++
		if t >= d {
			return
		}
		x = 1 - w.uniform()
	}
}

// sendAll sends a message about brand b across every one of the ties.
func (m *Market) sendAll(w *worker, ties []int32, b int, one uint64) {
	inbox := m.inboxNext[w.id][m.at(0, b):m.at(m.n, b)]
	for _, j := range ties {
		inbox[j] += one
	}
}

// resizeInboxes gives each of n workers its own inbox copies, merging the
// messages of copies no longer used into the first.
func (m *Market) resizeInboxes(n int) {
	if m.complete {
		return
	}
	resize := func(copies [][]uint64) [][]uint64 {
		for _, extra := range copies[min(n, len(copies)):] {
			for i, x := range extra {
				copies[0][i] += x
			}
		}
		copies = copies[:min(n, len(copies))]
		for len(copies) < n {
			copies = append(copies, make([]uint64, m.n*m.nb))
		}
		return copies
	}
	m.inbox, m.inboxNext = resize(m.inbox), resize(m.inboxNext)
}
