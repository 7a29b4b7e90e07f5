package sim

import (
	"math"
	"math/bits"
)

// An inbox entry packs three counts of one day's messages about one
// brand to one customer: positive word, negative word and posts, each in
// a field of inboxes.bits bits. A count never exceeds the receiver's ties
// (each neighbour sends at most one message of a kind a day). When no
// customer has more than narrowMax ties, entries are uint32 with 10-bit
// fields, which halves the memory a day reads, clears and scatters
// messages into; otherwise uint64 with 21-bit fields, and NewMarket
// refuses graphs with more ties than wideMax.
const (
	fieldPositive = 0
	fieldNegative = 1
	fieldShare    = 2
	narrowBits    = 10
	narrowMax     = 1<<narrowBits - 1
	wideBits      = 21
	wideMax       = 1<<wideBits - 1
)

// inboxWord is the type of an inbox entry.
type inboxWord interface{ ~uint32 | ~uint64 }

// inboxes hold, per worker, a copy of the inboxes of today (now) and of
// tomorrow (next), at index b*n + c like the customers' state.
type inboxes[W inboxWord] struct {
	now, next [][]W
	bits      uint
}

func newInboxes[W inboxWord](size int, bits uint) *inboxes[W] {
	return &inboxes[W]{now: [][]W{make([]W, size)}, next: [][]W{make([]W, size)}, bits: bits}
}

// one is a single message in the given field.
func (ib *inboxes[W]) one(field int) W { return W(1) << (uint(field) * ib.bits) }

// hear moves today's messages to the entries from first on, summed over
// the copies, into arr (and their sums into total), emptying the copies
// for tomorrow, and returns how many of each field there were.
func (ib *inboxes[W]) hear(first int, arr [][kinds]int32, total []int32) (pos, neg, shares int64) {
	// Shifts of a uint64 by amounts masked to 63 compile to one
	// instruction each, without the checks for wider shifts.
	low, high := ib.bits&63, 2*ib.bits&63
	mask := uint64(1)<<low - 1
	total = total[:len(arr)]
	in := ib.now[0][first : first+len(arr)][:len(arr)]
	for j := range arr {
		x := uint64(in[j])
		in[j] = 0
		p, n, s := int32(x&mask), int32(x>>low&mask), int32(x>>high&mask)
		arr[j] = [kinds]int32{kindPositive: p, kindNegative: n, kindShare: s}
		total[j] += p + n + s
		pos += int64(p)
		neg += int64(n)
		shares += int64(s)
	}
	for _, copies := range ib.now[1:] {
		in := copies[first : first+len(arr)][:len(arr)]
		for j := range arr {
			x := uint64(in[j])
			in[j] = 0
			p, n, s := int32(x&mask), int32(x>>low&mask), int32(x>>high&mask)
			arr[j][kindPositive] += p
			arr[j][kindNegative] += n
			arr[j][kindShare] += s
			total[j] += p + n + s
			pos += int64(p)
			neg += int64(n)
			shares += int64(s)
		}
	}
	return pos, neg, shares
}

// swap makes tomorrow's inboxes today's, and today's, emptied, tomorrow's.
func (ib *inboxes[W]) swap() { ib.now, ib.next = ib.next, ib.now }

// resize gives each of n workers its own copies, merging the messages of
// copies no longer used into the first.
func (ib *inboxes[W]) resize(n int) {
	resize := func(copies [][]W) [][]W {
		for _, extra := range copies[min(n, len(copies)):] {
			for i, x := range extra {
				copies[0][i] += x
			}
		}
		copies = copies[:min(n, len(copies))]
		for len(copies) < n {
			copies = append(copies, make([]W, len(copies[0])))
		}
		return copies
	}
	ib.now, ib.next = resize(ib.now), resize(ib.next)
}

// addAll adds one message to the inbox entry of every one of the ties.
func addAll[W inboxWord](inbox []W, ties []int32, one W) {
	for _, j := range ties {
		inbox[j] += one
	}
}

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
// ties; v has the voice bits of what it says.
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
			m.sendSome(w, ties, b, oddsPositive, fieldPositive)
		case voiceDetractor:
			m.sendSome(w, ties, b, oddsNegative, fieldNegative)
		case voiceSharer:
			// A post reaches every friend.
			m.sendAll(w, ties, b, fieldShare)
		case voiceNew:
			m.sendSome(w, ties, b, oddsOnce, fieldPositive)
		}
	}
}

// sendSome sends a message about brand b, in the given inbox field,
// across each of the ties independently with the chance of word of kind
// k. It skips from one crossed tie to the next by geometric gaps, so that
// it draws once when no tie is crossed and once more per message.
func (m *Market) sendSome(w *worker, ties []int32, b, k, field int) {
	d := len(ties)
	var o tieOdds
	if d < len(m.odds[k]) {
		o = m.odds[k][d]
	} else {
		o = makeTieOdds(m.tieChance(k, d), d)
	}
	if math.IsInf(o.logMiss, -1) {
		m.sendAll(w, ties, b, field)
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
		i := m.at(int(ties[t]), b)
		if m.narrow != nil {
			m.narrow.next[w.id][i] += m.narrow.one(field)
		} else {
			m.wide.next[w.id][i] += m.wide.one(field)
		}
		t++
		if t >= d {
			return
		}
		x = 1 - w.uniform()
	}
}

// sendAll sends a message about brand b, in the given inbox field,
// across every one of the ties.
func (m *Market) sendAll(w *worker, ties []int32, b, field int) {
	first, last := m.at(0, b), m.at(m.n, b)
	if m.narrow != nil {
		addAll(m.narrow.next[w.id][first:last], ties, m.narrow.one(field))
	} else {
		addAll(m.wide.next[w.id][first:last], ties, m.wide.one(field))
	}
}

// resizeInboxes gives each of n workers its own inbox copies.
func (m *Market) resizeInboxes(n int) {
	switch {
	case m.narrow != nil:
		m.narrow.resize(n)
	case m.wide != nil:
		m.wide.resize(n)
	}
}

// swapInboxes makes the word sent today the word heard tomorrow.
func (m *Market) swapInboxes() {
	switch {
	case m.narrow != nil:
		m.narrow.swap()
	case m.wide != nil:
		m.wide.swap()
	}
}
