package sim

import (
	"math"

	"github.com/pushpull/pushpull/sim/internal/draw"
)

// Message kinds, in the order attention serves them: what the customer
// pulled, then what peers and partners said, then push it asked for, then
// unsolicited push.
const (
	kindContent   = iota // content the customer pulled: orbit visits and searches
	kindPositive         // an advocate's word
	kindNegative         // a detractor's word
	kindShare            // content shared by an engaged peer
	kindPartner          // the brand's content met through a partner
	kindOptInPush        // push the customer asked for
	kindPush             // unsolicited push
	kinds
)

// worker is the scratch space of one goroutine running chunks of a day.
type worker struct {
	id   int   // the worker's number in its pool, which picks its letters
	sink int32 // what fetchTies read, kept so that its reads are not dropped
	src  draw.Source
	// arrived[b][j] counts the messages about brand b, by kind, that
	// reach the chunk's j-th customer today; attention then lowers them
	// to what the customer processes.
	arrived [MaxBrands][ChunkSize][kinds]int32
	// total[j] is the sum of arrived over brands and kinds, which
	// attention compares with the customer's capacity.
	total [ChunkSize]int32
	// needs[j] is whether the chunk's j-th customer has a purchase
	// occasion today, and bought[j] the brand it bought, or -1.
	needs  [ChunkSize]bool
	bought [ChunkSize]int8
	// listeners[:aware] are the customers of the chunk who processed
	// messages about the brand in hand and are aware of it, as learn
	// leaves them for engage and irritate.
	listeners [ChunkSize]uint16
	aware     int
	// acc counts the chunk in progress, by brand.
	acc    [MaxBrands]chunkTotals
	weight [MaxBrands]float64
	// Trials of a chance that is the same for every customer of a chunk
	// and day are decided by countdowns: whether brand b's push reaches a
	// customer at all when that is rare, whether a customer with a need
	// finds its content, whether partner k's audience member meets it,
	// whether an engaged customer posts it, and whether an advocate or
	// detractor falls silent.
	pushReach  [MaxBrands]draw.Countdown
	pushSparse [MaxBrands]bool // push reach is rare enough for a countdown
	find       [MaxBrands]draw.Countdown
	partner    [MaxBrands][MaxPartners]draw.Countdown
	post       [MaxBrands]draw.Countdown
	fade       draw.Countdown
	// Trials whose chance varies by customer are thinned. need runs at
	// the market's needBound (customers whose need rate is above it draw
	// directly); optIn at opt_in.rate (engagement is at most 1); churn at
	// the hazard of a detractor at zero trust with irritation
	// churnIrritation, above which the hazard is drawn directly.
	need            draw.Thinned
	optIn           draw.Thinned
	churn           draw.Thinned
	churnIrritation float32
	// The day's fading factors and sharing threshold, in the precision of
	// the state they apply to.
	forget, retain, stay, shareAt float32
}

func newWorker() *worker {
	w := &worker{}
	w.src.Init()
	return w
}

// dayPlan is what every customer's day depends on at market level,
// computed once before the customers' steps.
type dayPlan struct {
	voices     [MaxBrands]uint32  // the voice bits in use, by brand
	silent     bool               // no brand's voice is in use
	mixedPos   [MaxBrands]float64 // fully mixed: mean messages a customer hears
	mixedNeg   [MaxBrands]float64
	mixedShare [MaxBrands]float64
	findProb   [MaxBrands]float64 // chance a customer with a need finds the brand's content
}

// planBrands plans the brands' day: each brand's mistakes (made today,
// hidden ones found out) and its push intensity, then what every
// customer's day depends on.
func (m *Market) planBrands() {
	m.brandStream(&m.brandSrc, m.day)
	for b := range m.brands {
		m.planMistakes(b)
		m.planPush(b)
	}
	m.plan = m.makePlan()
}

// planPush sets brand b's push impressions per target customer today:
// push.rate per customer, spread over the opted-in when only they are
// targeted, at most the frequency cap.
func (m *Market) planPush(b int) {
	br := &m.brands[b]
	lambda := br.Push.Rate
	if br.Push.Targeting == TargetOptIn {
		lambda = 0
		if opted := m.prev[b].optedIn; opted > 0 {
			lambda = br.Push.Rate * float64(m.n) / float64(opted)
		}
	}
	if br.Push.FrequencyCap > 0 {
		lambda = min(lambda, br.Push.FrequencyCap)
	}
	br.pushLambda = lambda
	br.pushExp = math.Exp(-lambda)
	br.tabulatePush()
}

func (m *Market) makePlan() dayPlan {
	p := &m.params
	var d dayPlan
	w := p.WordOfMouth
	for b := range m.brands {
		br := &m.brands[b]
		if w.Mode == WOMOnce {
			d.voices[b] |= 1 << voiceNew
		} else if w.Rate > 0 {
			d.voices[b] |= 1 << voiceAdvocate
		}
		if w.NegativeRate > 0 {
			d.voices[b] |= 1 << voiceDetractor
		}
		if br.Pull.CoCreation > 0 {
			d.voices[b] |= 1 << voiceSharer
		}
		if m.complete {
			n := float64(m.n)
			d.mixedPos[b] = w.Rate * float64(m.prev[b].advocates) / n
			d.mixedNeg[b] = w.NegativeRate * float64(m.prev[b].detractors) / n
			// Fully mixed, a post reaches one random customer.
			d.mixedShare[b] = float64(m.prev[b].posts) / n
		}
		d.findProb[b] = 1 - math.Exp(-br.Pull.Discoverability*br.Pull.Content)
	}
	d.silent = true
	for _, v := range d.voices {
		d.silent = d.silent && v == 0
	}
	return d
}

// stepChunk runs one chunk of customers through the day with the chunk's
// own random stream, submodel by submodel in the order of the model's
// description. Each submodel runs over the whole chunk and, where brands
// are independent, one brand at a time, so that its loop keeps the
// brand's constants at hand and reads its customers in order.
func (m *Market) stepChunk(w *worker, ch int) {
	m.stream(&w.src, m.day, ch)
	lo, hi := ch*ChunkSize, min((ch+1)*ChunkSize, m.n)
	w.startChunk(m)
	m.drawNeeds(w, lo, hi)
	m.hearNeighbours(w, ch, hi-lo)
	for b := range m.nb {
		m.arrive(w, b, lo, hi)
	}
	m.attend(w, lo, hi)
	for b := range m.nb {
		m.learn(w, b, lo, hi)
		m.engage(w, b, lo, hi)
		m.irritate(w, b, lo, hi)
		m.optIn(w, b, lo, hi)
	}
	m.shop(w, lo, hi)
	w.sink += m.fetchTies(lo, hi)
	m.endDay(w, lo, hi)
	m.handOver(w, ch)
}

// endDay ends the chunk's day brand by brand: its customers speak (and
// meet the day's mistakes), their evidence, irritation and engagement
// fade, and their state is tallied.
func (m *Market) endDay(w *worker, lo, hi int) {
	for b := range m.nb {
		m.speak(w, b, lo, hi)
		m.fade(w, b, lo, hi)
		m.tally(w, b, lo, hi)
	}
}

// startChunk prepares the worker for a chunk: it starts the countdowns
// from the chunk's stream and clears the chunk's totals.
func (w *worker) startChunk(m *Market) {
	clear(w.acc[:m.nb])
	for b := range m.brands {
		br := &m.brands[b]
		reach := 1 - br.pushExp
		w.pushSparse[b] = reach < pushSparseReach && br.pushLambda <= pushTableMean
		if w.pushSparse[b] {
			w.pushReach[b].Start(&w.src, reach)
		}
		w.find[b].Start(&w.src, m.plan.findProb[b])
		for k, pt := range br.Partners {
			w.partner[b][k].Start(&w.src, pt.Rate)
		}
		w.post[b].Start(&w.src, br.Pull.CoCreation)
	}
	p := &m.params
	w.fade.Start(&w.src, p.Satisfaction.VoiceFade)
	w.optIn.Start(&w.src, p.OptIn.Rate)
	w.need.Start(&w.src, m.needBound)
	ch := &p.Churn
	w.churnIrritation = float32(p.Irritation.Threshold)
	w.churn.Start(&w.src, min(1, ch.Base+ch.Detractor+ch.Distrust+ch.Irritation*float64(w.churnIrritation)))
	w.forget = float32(p.Evidence.Forgetting)
	w.retain = float32(p.Irritation.Retention)
	w.stay = float32(1 - p.Engagement.Decay)
	w.shareAt = float32(p.Engagement.ShareAt)
}

// drawNeeds decides which of the chunk's customers have a purchase
// occasion today.
func (m *Market) drawNeeds(w *worker, lo, hi int) {
	bound := m.needBound
	for j, r := range m.needRate[lo:hi] {
		rate := float64(r)
		if rate > bound {
			w.needs[j] = w.src.Uniform() < rate
		} else {
			w.needs[j] = w.need.Candidate(&w.src) && w.need.Accept(&w.src, rate)
		}
	}
}

// fetchTies reads the ties of the customers from lo to hi, one value
// per cache line, so that they are in cache when the speakers among them
// send their word: a pass in order streams from memory, where each
// speaker reading its own ties would wait for memory in turn.
func (m *Market) fetchTies(lo, hi int) int32 {
	if m.mail == nil || m.plan.silent {
		return 0
	}
	ties := m.adjacency[m.offsets[lo]:m.offsets[hi]]
	var sum int32
	for i := 0; i < len(ties); i += 16 {
		sum += ties[i]
	}
	return sum
}

// handOver copies the worker's totals of chunk ch to the market. The
// worker counts into its own totals and hands them over at the end:
// totals of neighbouring chunks share cache lines, and two workers
// writing them customer by customer would slow each other.
func (m *Market) handOver(w *worker, ch int) {
	copy(m.chunkAcc[ch*m.nb:(ch+1)*m.nb], w.acc[:m.nb])
}

// bit is 1 for true and 0 for false, which the compiler computes without
// a branch.
func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}
