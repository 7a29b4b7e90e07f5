package sim

import (
	"math"
	"math/bits"

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

// attentionTiers groups message kinds by priority; within a tier, a
// customer short of attention processes a share of every kind and brand.
var attentionTiers = [...][2]int{
	{kindContent, kindPositive},
	{kindPositive, kindOptInPush},
	{kindOptInPush, kindPush},
	{kindPush, kinds},
}

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
	// busy lists the customers of the chunk who processed messages about
	// the brand in hand.
	busy [ChunkSize]uint16
	// acc counts the chunk in progress, by brand.
	acc    [MaxBrands]chunkTotals
	weight [MaxBrands]float64
	// Trials of a chance that is the same for every customer of a chunk
	// and day are decided by countdowns (see countdown): whether brand
	// b's push reaches a customer at all when that is rare, whether a
	// customer with a need finds its content, whether partner k's
	// audience member meets it, whether an engaged customer posts it, and
	// whether an advocate or detractor falls silent.
	pushReach  [MaxBrands]draw.Countdown
	pushSparse [MaxBrands]bool // push reach is rare enough for a draw.Countdown
	find       [MaxBrands]draw.Countdown
	partner    [MaxBrands][MaxPartners]draw.Countdown
	post       [MaxBrands]draw.Countdown
	fade       draw.Countdown
	// Trials whose chance varies by customer are thinned: a draw.Countdown
	// decides trials of a bound on the chance, and a hit is kept with the
	// ratio of the customer's chance to it, which is exact and draws only
	// on hits. need runs at the market's needBound (customers whose need
	// rate is above it draw directly); optIn at opt_in.rate (engagement
	// is at most 1); churn at churnMax, the hazard of a detractor at zero
	// trust with irritation churnIrritation, above which the hazard is
	// drawn directly.
	optIn           draw.Countdown
	churn           draw.Countdown
	need            draw.Countdown
	churnMax        float64
	churnIrritation float32
	// The day's fading factors and sharing threshold, in the precision of
	// the state they apply to.
	forget, retain, stay, shareAt float32
}

// pushSparseReach is the chance of at least one impression below which a
// brand's push is drawn by countdown: a countdown costs an exponential
// draw per customer reached, a direct draw one uniform per customer.
const pushSparseReach = 0.25

// pushTable is the length of a push impression table. For means up to
// pushTableMean it leaves out less than 1e-11 of the distribution; larger
// means use the general draw.
const (
	pushTable     = 24
	pushTableMean = 4
	pushGuideSize = 256
)

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

// Step simulates one day.
func (m *Market) Step() {
	m.day++
	m.applyPlans()
	m.planBrands()
	m.pool.runDay()
	m.swapMail()
	m.reduce()
}

// planBrands draws the day's brand-level events (mistakes made, hidden
// mistakes found out) and sets the day's push intensity.
func (m *Market) planBrands() {
	p := &m.params
	m.brandStream(&m.brandSrc, m.day)
	r := m.brandSrc.Rand()
	for b := range m.brands {
		br := &m.brands[b]
		br.exposed = false
		if br.pendingWitnesses > 0 {
			// The window: every customer who met the hidden mistake may
			// expose it, so discovery grows with how many met it.
			found := 1 - math.Pow(1-p.Incidents.Discovery, float64(br.pendingWitnesses))
			if r.Float64() < found {
				br.exposed = true
				br.pendingWitnesses = 0
			}
		}
		br.incident = r.Float64() < br.Trust.IncidentRate
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
	m.plan = m.makePlan()
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
// own random stream. The day goes in phases, each over the whole chunk
// and, where brands are independent, one brand at a time, so that a
// phase's loop keeps its brand's constants at hand: needs are drawn;
// messages arrive; attention filters them; what is processed changes
// awareness, trust, expectation, engagement and irritation; a need leads
// to a choice, a purchase to an experience, then churn; publish ends the
// day.
func (m *Market) stepChunk(w *worker, ch int) {
	m.stream(&w.src, m.day, ch)
	lo, hi := ch*ChunkSize, min((ch+1)*ChunkSize, m.n)
	w.startChunk(m)
	m.drawNeeds(w, lo, hi)
	m.hear(w, ch, hi-lo)
	for b := range m.nb {
		m.arrive(w, b, lo, hi)
	}
	m.attend(w, lo, hi)
	for b := range m.nb {
		m.process(w, b, lo, hi)
	}
	m.chooseAndChurn(w, lo, hi)
	w.sink += m.fetchTies(lo, hi)
	for b := range m.nb {
		m.publish(w, b, lo, hi)
	}
	m.handOver(w, ch)
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

// drawNeeds decides which of the chunk's customers have a purchase
// occasion today.
func (m *Market) drawNeeds(w *worker, lo, hi int) {
	bound := m.needBound
	for j, r := range m.needRate[lo:hi] {
		rate := float64(r)
		if rate > bound {
			w.needs[j] = w.src.Uniform() < rate
		} else {
			w.needs[j] = w.need.Hit(&w.src) && w.src.Uniform()*bound < rate
		}
	}
}

// arrive sets the messages about brand b that reach the chunk's
// customers besides what neighbours said: word of mouth in a fully mixed
// population, push, content they pull and what partners bring.
func (m *Market) arrive(w *worker, b, lo, hi int) {
	arr := w.arrived[b][:hi-lo]
	if m.complete {
		var pos, neg, shares int64
		for j := range arr {
			m.hearPopulation(w, b, &arr[j])
			pos += int64(arr[j][kindPositive])
			neg += int64(arr[j][kindNegative])
			shares += int64(arr[j][kindShare])
			w.total[j] += arr[j][kindPositive] + arr[j][kindNegative] + arr[j][kindShare]
		}
		w.acc[b].kept[kindPositive] += pos
		w.acc[b].kept[kindNegative] += neg
		w.acc[b].kept[kindShare] += shares
	}
	br := &m.brands[b]
	if br.pushLambda > 0 {
		m.arrivePush(w, b, lo, arr)
	}
	if br.Pull.Content > 0 {
		m.arriveContent(w, b, lo, arr)
	}
	if m.partnerOf != nil && len(br.Partners) > 0 {
		m.arrivePartners(w, b, lo, arr)
	}
}

// hear clears the messages of chunk ch's first size customers and
// delivers to them the word of mouth and shared content their neighbours
// sent yesterday.
func (m *Market) hear(w *worker, ch, size int) {
	for b := range m.nb {
		clear(w.arrived[b][:size])
	}
	clear(w.total[:size])
	if m.mail == nil {
		return
	}
	var counted [MaxBrands << letterKindBits]int64
	m.mail.deliver(ch, &w.arrived, &w.total, &counted)
	for b := range m.nb {
		for _, k := range [...]int{kindPositive, kindNegative, kindShare} {
			w.acc[b].kept[k] += counted[b<<letterKindBits|k]
		}
	}
}

// hearPopulation draws the word of mouth and shared content about brand
// b that reach a customer of a fully mixed population.
func (m *Market) hearPopulation(w *worker, b int, arr *[kinds]int32) {
	if lam := m.plan.mixedPos[b]; lam > 0 {
		arr[kindPositive] = w.src.Poisson(lam)
	}
	if lam := m.plan.mixedNeg[b]; lam > 0 {
		arr[kindNegative] = w.src.Poisson(lam)
	}
	if lam := m.plan.mixedShare[b]; lam > 0 {
		arr[kindShare] = w.src.Poisson(lam)
	}
}

// arrivePush draws brand b's push impressions to the chunk's customers
// from lo on. Impressions to a customer who blocked the brand are sent,
// paid for and wasted.
func (m *Market) arrivePush(w *worker, b, lo int, arr [][kinds]int32) {
	flags := m.flags[m.at(lo, b):m.at(lo+len(arr), b)][:len(arr)]
	br := &m.brands[b]
	optInOnly := br.Push.Targeting != TargetEveryone
	general, sparse := br.pushLambda > pushTableMean, w.pushSparse[b]
	cdf, guide, reach := &br.pushCDF, &br.pushGuide, &w.pushReach[b]
	var sent, wasted, optPush, push int64
	for j := range arr {
		f := flags[j]
		if optInOnly && f&flagOptedIn == 0 {
			continue
		}
		var k int32
		switch {
		case general:
			k = w.src.PoissonExp(br.pushLambda, br.pushExp)
		case sparse:
			if !reach.Hit(&w.src) {
				continue
			}
			// At least one: the distribution above zero, by inversion.
			k = pushLookup(cdf, guide, cdf[0]+w.src.Uniform()*(1-cdf[0]))
		default:
			k = pushLookup(cdf, guide, w.src.Uniform())
		}
		sent += int64(k)
		switch {
		case f&flagBlocked != 0:
			wasted += int64(k)
		case f&flagOptedIn != 0:
			arr[j][kindOptInPush] = k
			optPush += int64(k)
			w.total[j] += k
		default:
			arr[j][kindPush] = k
			push += int64(k)
			w.total[j] += k
		}
	}
	a := &w.acc[b]
	a.sent += sent
	a.wasted += wasted
	a.kept[kindOptInPush] += optPush
	a.kept[kindPush] += push
}

// tabulatePush fills the tables of today's push impression distribution.
func (br *brandRuntime) tabulatePush() {
	t := &br.pushCDF
	p := br.pushExp
	cdf := p
	for k := range pushTable {
		t[k] = cdf
		p *= br.pushLambda / float64(k+1)
		cdf += p
	}
	k := 0
	for j := range pushGuideSize {
		for k < pushTable && t[k] <= float64(j)/pushGuideSize {
			k++
		}
		br.pushGuide[j] = uint8(k)
	}
}

// pushLookup is the push impression count whose distribution function,
// tabulated in cdf, first exceeds u. The guide starts the search at the
// first count whose distribution function passes the bottom of u's
// bucket, mostly the answer itself. u may round up to 1 in the truncated
// draw above zero: the last bucket then.
func pushLookup(cdf *[pushTable]float64, guide *[pushGuideSize]uint8, u float64) int32 {
	k := int(guide[min(int(u*pushGuideSize), pushGuideSize-1)])
	for k < pushTable && u >= cdf[k] {
		k++
	}
	return int32(k)
}

// arriveContent draws the visits to brand b's content of the chunk's
// customers from lo on: an aware customer returns the more often the
// closer it orbits the brand, and one with a need may find it.
//
// An aware customer's returns are a Poisson number with mean rate times
// engagement. They are drawn as the events of one Poisson process of
// rate 1 laid along the chunk, each customer owning a stretch as long as
// its mean: the counts in disjoint stretches are independent and exactly
// Poisson, and the draws cost an exponential draw per visit rather than
// a Poisson draw per customer.
func (m *Market) arriveContent(w *worker, b, lo int, arr [][kinds]int32) {
	first, last := m.at(lo, b), m.at(lo+len(arr), b)
	flags := m.flags[first:last][:len(arr)]
	engagement := m.engagement[first:last][:len(arr)]
	rate := m.brands[b].contentRate
	find := &w.find[b]
	needs := w.needs[:len(arr)]
	var all int64
	next := w.src.Exponential() // the distance to the next visit along the chunk
	for j := range arr {
		f := flags[j]
		if f&flagBlocked != 0 {
			continue
		}
		var visits int32
		if f&flagAware != 0 {
			stretch := rate * float64(engagement[j])
			for next < stretch {
				visits++
				stretch -= next
				next = w.src.Exponential()
			}
			next -= stretch
		}
		if needs[j] && find.Hit(&w.src) {
			visits++
		}
		arr[j][kindContent] = visits
		w.total[j] += visits
		all += int64(visits)
	}
	w.acc[b].kept[kindContent] += all
}

// arrivePartners draws the messages of brand b's partners to the chunk's
// customers from lo on who are in their audiences.
func (m *Market) arrivePartners(w *worker, b, lo int, arr [][kinds]int32) {
	first, last := m.at(lo, b), m.at(lo+len(arr), b)
	flags := m.flags[first:last][:len(arr)]
	member := m.partnerOf[first:last][:len(arr)]
	partner := &w.partner[b]
	var all int64
	for j := range arr {
		if flags[j]&flagBlocked != 0 {
			continue
		}
		for bitsLeft := member[j]; bitsLeft != 0; bitsLeft &= bitsLeft - 1 {
			if partner[bits.TrailingZeros8(bitsLeft)].Hit(&w.src) {
				arr[j][kindPartner]++
				w.total[j]++
				all++
			}
		}
	}
	w.acc[b].kept[kindPartner] += all
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
	w.fade.Start(&w.src, m.params.Satisfaction.VoiceFade)
	w.optIn.Start(&w.src, m.params.OptIn.Rate)
	w.need.Start(&w.src, m.needBound)
	ch := &m.params.Churn
	w.churnIrritation = float32(m.params.Irritation.Threshold)
	w.churnMax = min(1, ch.Base+ch.Detractor+ch.Distrust+ch.Irritation*float64(w.churnIrritation))
	w.churn.Start(&w.src, w.churnMax)
	p := &m.params
	w.forget = float32(p.Evidence.Forgetting)
	w.retain = float32(p.Irritation.Retention)
	w.stay = float32(1 - p.Engagement.Decay)
	w.shareAt = float32(p.Engagement.ShareAt)
}

// attend applies limited attention to the chunk's customers from lo to
// hi: a customer processes at most its capacity, tier by tier.
func (m *Market) attend(w *worker, lo, hi int) {
	total := w.total[:hi-lo]
	for j, capacity := range m.capacity[lo:hi][:len(total)] {
		if capacity != 0 && total[j] > capacity {
			w.keep(j, m.nb, capacity)
		}
	}
}

// keep lowers the messages that reach the chunk's j-th customer to the
// room it has: the tier that overflows is shared among its kinds and
// brands by systematic sampling (one uniform draw, each count kept in
// proportion), and later tiers are ignored. What is left out is counted
// as ignored, push left out also as wasted.
func (w *worker) keep(j, nb int, room int32) {
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

// process applies the messages about brand b that the chunk's customers
// from lo to hi processed, and lets an aware customer ask for the
// brand's push, the more likely the closer it orbits the brand.
func (m *Market) process(w *worker, b, lo, hi int) {
	br := &m.brands[b]
	arr := w.arrived[b][:hi-lo]
	first, last := m.at(lo, b), m.at(hi, b)
	flags := m.flags[first:last][:len(arr)]
	trustPos := m.trustPos[first:last][:len(arr)]
	trustNeg := m.trustNeg[first:last][:len(arr)]
	expectation := m.expectation[first:last][:len(arr)]
	engagement := m.engagement[first:last][:len(arr)]
	irritation := m.irritation[first:last][:len(arr)]
	threshold := m.params.Irritation.Threshold
	blocks := m.params.Irritation.PerPush > 0
	recall, evidence, irr := &br.recall, &br.evidence, &br.irritation
	kp := &br.keep

	// Whether a customer processed anything is as good as random, so the
	// customers who did are listed without a branch on it.
	busy := 0
	for j := range arr {
		x := &arr[j]
		w.busy[busy] = uint16(j)
		busy += bit(x[0]|x[1]|x[2]|x[3]|x[4]|x[5]|x[6] != 0)
	}
	for _, j := range w.busy[:busy] {
		x := &arr[j]
		nContent, nPos, nNeg, nShare := x[kindContent], x[kindPositive], x[kindNegative], x[kindShare]
		nPartner, nOptPush, nPush := x[kindPartner], x[kindOptInPush], x[kindPush]
		fContent, fPos, fNeg, fShare := float64(nContent), float64(nPos), float64(nNeg), float64(nShare)
		fPartner, fOptPush, fPush := float64(nPartner), float64(nOptPush), float64(nPush)
		f := flags[j]
		if f&flagAware == 0 {
			// Influences add up, as in the Bass hazard p + qF.
			s := fContent*recall[kindContent] + fPos*recall[kindPositive] + fNeg*recall[kindNegative] +
				fShare*recall[kindShare] + fPartner*recall[kindPartner] + fOptPush*recall[kindOptInPush] + fPush*recall[kindPush]
			if s <= 0 || w.src.Uniform() >= s {
				continue
			}
			f |= flagAware
			flags[j] = f
			expectation[j] = float32(br.claim)
		}
		trustPos[j] += float32(fContent*evidence[kindContent] + fPos*evidence[kindPositive] +
			fShare*evidence[kindShare] + fPartner*evidence[kindPartner] + fOptPush*evidence[kindOptInPush] + fPush*evidence[kindPush])
		trustNeg[j] += float32(br.negativeEvidence * fNeg)

		// Claims pull expectation toward what the brand says, peers
		// toward what the product is, each as far as its source is
		// believed.
		e := float64(expectation[j])
		e = br.claim + (e-br.claim)*kp[kindPush].pow(nPush)*kp[kindOptInPush].pow(nOptPush)*
			kp[kindContent].pow(nContent)*kp[kindPartner].pow(nPartner)
		e = br.Quality + (e-br.Quality)*kp[kindPositive].pow(nPos+nShare)
		expectation[j] = float32(e)

		g := float64(engagement[j])
		engagement[j] = float32(1 - (1-g)*br.distant.pow(nContent+nShare+nPartner))

		// Soothing content may lower irritation, never below zero.
		r := max(float64(irritation[j])+fContent*irr[kindContent]+fOptPush*irr[kindOptInPush]+fPush*irr[kindPush], 0)
		irritation[j] = float32(r)
		if r >= threshold && blocks {
			flags[j] = f&^flagOptedIn | flagBlocked
		}
	}

	// Every aware customer who has not opted in nor blocked the brand,
	// and orbits it at all, is a trial of opting in. The countdown counts
	// down by whether a customer qualifies, not by a branch on it.
	optIn := &w.optIn
	left := optIn.Left
	for j, f := range flags {
		e := engagement[j]
		left -= int64(bit(f&(flagAware|flagOptedIn|flagBlocked) == flagAware) & bit(e > 0))
		if left < 0 {
			optIn.Next(&w.src)
			left = optIn.Left
			if w.src.Uniform() < float64(e) {
				flags[j] = f | flagOptedIn
			}
		}
	}
	optIn.Left = left
}

// bit is 1 for true and 0 for false, which the compiler computes without
// a branch.
func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// chooseAndChurn lets each of the chunk's customers with a need choose
// and buy, and each that used a brand and did not buy it again today
// face the churn hazard.
func (m *Market) chooseAndChurn(w *worker, lo, hi int) {
	acc := w.acc[:m.nb]
	for j, need := range w.needs[:hi-lo] {
		c := lo + j
		bought := -1
		if need {
			bought = m.choose(w, c)
			if bought >= 0 {
				m.purchase(w, c, bought, acc)
			}
		}
		if cur := int(m.current[c]); cur >= 0 && cur != bought {
			m.maybeChurn(w, c, cur, &acc[cur])
		}
		w.bought[j] = int8(bought)
	}
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

// choose returns the brand customer c buys on a need, or -1 for nothing:
// a multinomial logit over the aware, unblocked brands and the outside
// option.
func (m *Market) choose(w *worker, c int) int {
	ch := &m.params.Choice
	cur := int(m.current[c])
	denom := math.Exp(ch.Outside)
	any := false
	for b := range m.nb {
		i := m.at(c, b)
		if m.flags[i]&(flagAware|flagBlocked) != flagAware {
			w.weight[b] = 0
			continue
		}
		u := ch.Trust*(trust(m.trustPos[i], m.trustNeg[i])-0.5) + ch.Quality*float64(m.expectation[i]) +
			ch.Engagement*float64(m.engagement[i]) - ch.Irritation*float64(m.irritation[i])
		if b == cur {
			u += ch.Loyalty
		}
		if m.priceSense != nil {
			u -= m.brands[b].priceTerm * float64(m.priceSense[c])
		}
		w.weight[b] = math.Exp(u)
		denom += w.weight[b]
		any = true
	}
	if !any {
		return -1
	}
	x := w.src.Uniform() * denom
	for b := range m.nb {
		x -= w.weight[b]
		if x < 0 {
			return b
		}
	}
	return -1
}

// purchase records customer c buying brand b and what the experience
// does to it.
func (m *Market) purchase(w *worker, c, b int, acc []chunkTotals) {
	p := &m.params
	r := w.src.Rand()
	br := &m.brands[b]
	i := m.at(c, b)
	a := &acc[b]
	a.purchases++
	f := m.flags[i]
	if f&flagBought == 0 {
		a.newAdoptions++
		f |= flagBought
	}
	if cur := int(m.current[c]); cur >= 0 && cur != b {
		m.status[m.at(c, cur)] = StatusChurned
		acc[cur].churnEvents++
	}
	m.current[c] = int8(b)
	st := m.status[i]
	if !st.Current() {
		st = StatusCustomer
	}
	experienced := br.Quality
	if br.spread > 0 {
		experienced += br.spread * r.NormFloat64()
	}
	expected := float64(m.expectation[i])
	ev := &p.Evidence
	sat := &p.Satisfaction
	if experienced >= expected-sat.Tolerance {
		m.trustPos[i] += float32(ev.Experience)
		m.engagement[i] += float32(p.Engagement.OnPurchase) * (1 - m.engagement[i])
		if st == StatusDetractor {
			st = StatusCustomer
		}
		if st != StatusAdvocate && w.src.Uniform() < sat.Advocacy {
			st = StatusAdvocate
			f |= flagNewVoice
		}
		if f&(flagOptedIn|flagBlocked) == 0 && w.src.Uniform() < p.OptIn.OnPurchase {
			f |= flagOptedIn
		}
	} else {
		m.trustNeg[i] += float32(ev.Experience * ev.Negativity)
		if st != StatusDetractor && w.src.Uniform() < sat.Detraction {
			st = StatusDetractor
		}
	}
	m.status[i] = st
	m.flags[i] = f
	m.expectation[i] = float32(expected + sat.Learning*(experienced-expected))
}

// maybeChurn lets customer c leave brand b with the day's hazard.
func (m *Market) maybeChurn(w *worker, c, b int, a *chunkTotals) {
	i := m.at(c, b)
	if irr := m.irritation[i]; irr <= w.churnIrritation {
		if !w.churn.Hit(&w.src) || w.src.Uniform()*w.churnMax >= m.churnHazard(i) {
			return
		}
	} else if w.src.Uniform() >= m.churnHazard(i) {
		return
	}
	m.status[i] = StatusChurned
	m.current[c] = -1
	a.churnEvents++
}

// churnHazard is the daily chance that a customer leaves its brand, at
// index i: it grows with dissatisfaction, irritation and lost trust.
func (m *Market) churnHazard(i int) float64 {
	ch := &m.params.Churn
	h := ch.Base + ch.Irritation*float64(m.irritation[i])
	if m.status[i] == StatusDetractor {
		h += ch.Detractor
	}
	if t := trust(m.trustPos[i], m.trustNeg[i]); t < 0.5 {
		h += ch.Distrust * 2 * (0.5 - t)
	}
	return h
}

// incidents applies brand b's mistake of the day to customer c, and the
// news of a hidden mistake found out.
func (m *Market) incidents(w *worker, c, b int, a *chunkTotals) {
	br := &m.brands[b]
	inc := &m.params.Incidents
	ev := &m.params.Evidence
	i := m.at(c, b)
	f := m.flags[i]
	if br.exposed {
		if f&flagAware != 0 && w.src.Uniform() < inc.NewsReach {
			m.trustNeg[i] += float32(inc.Exposure * inc.Harm * ev.Negativity)
			if f&flagWitness != 0 && m.status[i].Current() && w.src.Uniform() < m.params.Satisfaction.Detraction {
				m.status[i] = StatusDetractor
			}
		}
		f &^= flagWitness
	}
	if br.incident && m.status[i].Current() && w.src.Uniform() < br.Trust.IncidentReach {
		harm := inc.Harm * ev.Negativity
		if br.Trust.Response == ResponseAdmit {
			harm *= inc.AdmitFactor
			a.compensated++
		} else {
			f |= flagWitness
			a.witnesses++
		}
		m.trustNeg[i] += float32(harm)
	}
	m.flags[i] = f
}

// partnerMember reports whether customer c belongs to the audience of
// brand b's partner k: a fixed pseudo-random share audience of customers,
// the same in every replicate of a seed and whatever the other partners.
func partnerMember(seed uint64, b, k, c int, audience float64) bool {
	if audience >= 1 {
		return true
	}
	h := draw.Mix(seed, uint64(b)<<32|uint64(k), uint64(c))
	return float64(h>>11)*0x1p-53 < audience
}
