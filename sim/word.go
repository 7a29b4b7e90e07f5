package sim

import (
	"math"
	"math/bits"

	"github.com/pushpull/pushpull/sim/internal/draw"
)

// A letter is one message of word of mouth on its way to a customer: the
// brand it is about, its kind (kindPositive, kindNegative or kindShare)
// and the customer's place in its chunk, in 16 bits. Letters are sorted
// by the chunk they go to as they are sent, so that the worker running a
// chunk the next day reads its letters in a row and counts them into the
// chunk's scratch space, which is in cache, instead of reading an inbox
// entry for every customer and brand.
type letter uint16

const (
	letterPlaceBits  = 11 // a customer's place in its chunk
	letterKindBits   = 2
	letterKindShift  = letterPlaceBits
	letterBrandShift = letterPlaceBits + letterKindBits
	letterPlaceMask  = 1<<letterPlaceBits - 1
	letterKindMask   = 1<<letterKindBits - 1
)

// A letter must hold a chunk's places, the kinds of word and the brands.
const (
	_ = uint(ChunkSize - 1<<letterPlaceBits)
	_ = uint(1<<letterPlaceBits - ChunkSize)
	_ = uint(letterKindMask - kindShare)
	_ = uint(1<<(16-letterBrandShift) - MaxBrands)
)

// letterHead is the part of a letter about brand b of kind k; a
// customer's place in its chunk completes it.
func letterHead(b, k int) letter { return letter(b<<letterBrandShift | k<<letterKindShift) }

// mailroom holds the word of mouth in transit. next[w][ch] are the letters
// that worker w sends today to the customers of chunk ch; now[w][ch]
// those sent yesterday, which the worker running chunk ch today reads and
// empties. Each worker writes only its own letters, so that sending needs
// no lock; a customer hears the sum over the workers' letters, the same
// whichever worker sent them.
type mailroom struct {
	now, next [][][]letter
	chunks    int
}

// mailPerCustomer is the room for letters made at the start, in letters
// a day per customer, shared among the workers; a chunk's letters grow
// past it on a day with more to say, and keep the room for later days.
const mailPerCustomer = 1

func newMailroom(chunks, workers int) *mailroom {
	r := &mailroom{chunks: chunks}
	r.resize(workers)
	return r
}

// emptySet makes one worker's letters to every chunk, with room for its
// share of the letters a day.
func (r *mailroom) emptySet(workers int) [][]letter {
	room := max(64, mailPerCustomer*ChunkSize/workers)
	backing := make([]letter, r.chunks*room)
	set := make([][]letter, r.chunks)
	for ch := range set {
		set[ch] = backing[ch*room : ch*room : (ch+1)*room]
	}
	return set
}

// resize gives each of n workers its own letters. Between days, the
// letters of today (now) are not yet read, so those of workers no longer
// used move to the first; tomorrow's (next) are empty.
func (r *mailroom) resize(n int) {
	for _, extra := range r.now[min(n, len(r.now)):] {
		for ch, letters := range extra {
			r.now[0][ch] = append(r.now[0][ch], letters...)
		}
	}
	r.now = r.now[:min(n, len(r.now))]
	for len(r.now) < n {
		r.now = append(r.now, r.emptySet(n))
	}
	r.next = make([][][]letter, n)
	for w := range r.next {
		r.next[w] = r.emptySet(n)
	}
}

// swap makes the letters sent today those read tomorrow, and today's,
// all read and emptied, tomorrow's.
func (r *mailroom) swap() { r.now, r.next = r.next, r.now }

// deliver counts chunk ch's letters into the messages its customers
// receive, arrived[b][j][kind], and their sums into total, and empties
// them; counted[b<<letterKindBits|kind] is how many there were of each
// brand and kind.
func (r *mailroom) deliver(ch int, arrived *[MaxBrands][ChunkSize][kinds]int32, total *[ChunkSize]int32, counted *[MaxBrands << letterKindBits]int64) {
	for _, set := range r.now {
		letters := set[ch]
		for _, l := range letters {
			j := l & letterPlaceMask
			arrived[l>>letterBrandShift][j][l>>letterKindShift&letterKindMask]++
			total[j]++
			counted[l>>letterKindShift]++
		}
		set[ch] = letters[:0]
	}
}

// send posts the letter with the given head to customer c, from
// worker's letters to c's chunk.
func (r *mailroom) send(worker int, c int32, head letter) { post(r.next[worker], c, head) }

// post adds the letter with the given head for customer c to set, a
// worker's letters by chunk.
func post(set [][]letter, c int32, head letter) {
	ch := int(c) >> letterPlaceBits
	set[ch] = append(set[ch], head|letter(c&letterPlaceMask))
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

// statusVoice is the voice bit that a status speaks with.
var statusVoice = [8]uint32{StatusAdvocate: 1 << voiceAdvocate, StatusDetractor: 1 << voiceDetractor}

// speak ends the day of the chunk's customers from lo to hi for brand b
// by what they say, customer by customer, as the stream draws it: a
// voice not renewed may fall silent (satisfaction.voice_fade), the day's mistakes reach
// the customer (meetMistakes), an engaged member of a co-creation
// platform posts the brand's content to its friends, even before it
// buys, and the customer's word for tomorrow is sent along its ties.
func (m *Market) speak(w *worker, b, lo, hi int) {
	br := &m.brands[b]
	first, last := m.at(lo, b), m.at(hi, b)
	bought := w.bought[:hi-lo]
	// Slices of one length let the compiler drop the bounds checks.
	flags := m.flags[first:last][:len(bought)]
	status := m.status[first:last][:len(bought)]
	engagement := m.engagement[first:last][:len(bought)]
	a := &w.acc[b]
	mistakes := br.incident || br.exposed
	posting, post := br.Pull.CoCreation > 0, &w.post[b]
	stay, shareAt := w.stay, w.shareAt
	voices := m.plan.voices[b]
	if m.complete {
		voices = 0
	}
	var posts int64
	for j := range bought {
		st := status[j]
		// A voice not renewed today, by becoming one or by buying the
		// brand again, may fall silent.
		if (st == StatusAdvocate || st == StatusDetractor) && flags[j]&flagNewVoice == 0 && int(bought[j]) != b && w.fade.Hit(&w.src) {
			st = StatusCustomer
			status[j] = st
		}
		if mistakes {
			m.meetMistakes(w, lo+j, b, a)
			st = status[j]
		}
		f := flags[j]
		v := statusVoice[st&7] | uint32(f>>bitNewVoice&1)<<voiceNew
		flags[j] = f &^ flagNewVoice
		if e := engagement[j] * stay; posting && e >= shareAt && e > 0 && f&flagBlocked == 0 && post.Hit(&w.src) {
			v |= 1 << voiceSharer
			posts++
		}
		if v &= voices; v != 0 {
			m.sendWord(w, lo+j, b, v)
		}
	}
	a.posts += posts
}

// sendWord sends customer c's word about brand b for tomorrow along its
// ties; v has the voice bits of what it says.
func (m *Market) sendWord(w *worker, c, b int, v uint32) {
	ties := m.adjacency[m.offsets[c]:m.offsets[c+1]]
	if len(ties) == 0 {
		return
	}
	for v != 0 {
		bit := bits.TrailingZeros32(v)
		v &= v - 1
		switch bit {
		case voiceAdvocate:
			m.sendSome(w, ties, oddsPositive, letterHead(b, kindPositive))
		case voiceDetractor:
			m.sendSome(w, ties, oddsNegative, letterHead(b, kindNegative))
		case voiceSharer:
			// A post reaches every friend.
			m.sendAll(w, ties, letterHead(b, kindShare))
		case voiceNew:
			m.sendSome(w, ties, oddsOnce, letterHead(b, kindPositive))
		}
	}
}

// sendSome sends a letter with the given head across each of the ties
// independently with the chance of word of kind k. It skips from one
// crossed tie to the next by geometric gaps, so that it draws once when
// no tie is crossed and once more per message.
func (m *Market) sendSome(w *worker, ties []int32, k int, head letter) {
	d := len(ties)
	var o tieOdds
	if d < len(m.odds[k]) {
		o = m.odds[k][d]
	} else {
		o = makeTieOdds(m.tieChance(k, d), d)
	}
	if math.IsInf(o.logMiss, -1) {
		m.sendAll(w, ties, head)
		return
	}
	// The gap before the next crossed tie is floor(log(x)/log(1-p)) for x
	// uniform on (0, 1]; it reaches past the last tie exactly when x is at
	// most (1-p)^(ties left), which the first draw checks without a log.
	x := 1 - w.src.Uniform()
	if x <= o.none {
		return
	}
	for t := 0; ; {
		gap := draw.GeometricGap(x, o.logMiss)
		if gap >= float64(d-t) {
			return
		}
		t += int(gap)
		m.mail.send(w.id, ties[t], head)
		t++
		if t >= d {
			return
		}
		x = 1 - w.src.Uniform()
	}
}

// sendAll sends a letter with the given head across every one of the
// ties.
func (m *Market) sendAll(w *worker, ties []int32, head letter) {
	set := m.mail.next[w.id]
	for _, c := range ties {
		post(set, c, head)
	}
}

// swapMail makes the word sent today the word heard tomorrow.
func (m *Market) swapMail() {
	if m.mail != nil {
		m.mail.swap()
	}
}
