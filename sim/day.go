package sim

import (
	"math"
	"math/bits"
	"math/rand/v2"
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
	id  int // the worker's number in its pool, which picks its inbox copy
	src rand.PCG
	r   *rand.Rand
	// Messages arrived and processed, by brand and kind.
	arrived [MaxBrands][kinds]int32
	kept    [MaxBrands][kinds]int32
	// Totals over kinds, by brand, of what arrived and was processed.
	arrivedAll, keptAll [MaxBrands]int32
	// acc counts the chunk in progress, by brand.
	acc [MaxBrands]chunkTotals
	// processed points at kept, or at arrived when attention sufficed
	// for everything, which spares a copy.
	processed *[MaxBrands][kinds]int32
	weight    [MaxBrands]float64
	// pushCDF[b] is the cumulative Poisson distribution of today's push
	// impressions of brand b, for draws by table lookup.
	pushCDF [MaxBrands][pushTable]float64
	// pushGuide[b][j] is the smallest count whose distribution function
	// exceeds j/pushGuideSize.
	pushGuide [MaxBrands][pushGuideSize]uint8
	// Trials of a chance that is the same for every customer of a chunk
	// and day are decided by countdowns (see countdown): whether brand
	// b's push reaches a customer at all when that is rare, whether a
	// customer with a need finds its content, whether partner k's
	// audience member meets it, whether an engaged customer posts it, and
	// whether an advocate or detractor falls silent.
	pushReach  [MaxBrands]countdown
	pushSparse [MaxBrands]bool // push reach is rare enough for a countdown
	find       [MaxBrands]countdown
	partner    [MaxBrands][MaxPartners]countdown
	post       [MaxBrands]countdown
	fade       countdown
	// Trials whose chance varies by customer are thinned: a countdown
	// decides trials of the highest chance, and a hit is kept with the
	// ratio of the customer's chance to it, which is exact and draws only
	// on hits. need runs at the market's highest need rate; optIn at
	// opt_in.rate (engagement is at most 1); churn at churnMax, the hazard
	// of a detractor at zero trust with irritation churnIrritation, above
	// which the hazard is drawn directly.
	optIn           countdown
	churn           countdown
	need            countdown
	churnMax        float64
	churnIrritation float32
	// The day's fading factors and sharing threshold, in the precision of
	// the state they apply to.
	forget, retain, stay, shareAt float32
}

// pushSparseReach is the chance of at least one impression below which a
// brand's push is drawn by countdown: a countdown costs a logarithm per
// customer reached, a direct draw one uniform per customer.
const pushSparseReach = 0.25

// pushTable is the length of a push impression table. For means up to
// pushTableMean it leaves out less than 1e-11 of the distribution; larger
// means use the general draw.
const (
	pushTable     = 24
	pushTableMean = 4
	pushGuideSize = 32
)

func newWorker() *worker {
	w := &worker{}
	w.r = rand.New(&w.src)
	return w
}

// uniform draws from [0, 1) straight from the PCG source: the hot loop's
// draw, without the interface call of rand.Rand.
func (w *worker) uniform() float64 { return float64(w.src.Uint64()>>11) * 0x1p-53 }

// dayPlan is what every customer's day depends on at market level,
// computed once before the customers' steps.
type dayPlan struct {
	voiceMask  uint32
	mixedPos   [MaxBrands]float64 // fully mixed: mean messages a customer hears
	mixedNeg   [MaxBrands]float64
	mixedShare [MaxBrands]float64
	findProb   [MaxBrands]float64 // chance a customer with a need finds the brand's content
}

// Step simulates one day.
func (m *Market) Step() {
	m.day++
	m.planBrands()
	m.pool.runDay()
	m.inbox, m.inboxNext = m.inboxNext, m.inbox
	m.reduce()
}

// planBrands draws the day's brand-level events (mistakes made, hidden
// mistakes found out) and sets the day's push intensity.
func (m *Market) planBrands() {
	p := &m.params
	m.brandStream(&m.brandSrc, m.day)
	r := m.brandRand
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
			d.voiceMask |= 1 << (voiceNew + b)
		} else if w.Rate > 0 {
			d.voiceMask |= 1 << (voiceAdvocate + b)
		}
		if w.NegativeRate > 0 {
			d.voiceMask |= 1 << (voiceDetractor + b)
		}
		if br.Pull.CoCreation > 0 {
			d.voiceMask |= 1 << (voiceSharer + b)
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
	return d
}

// stepChunk runs one chunk of customers through the day with the chunk's
// own random stream.
func (m *Market) stepChunk(w *worker, ch int) {
	m.stream(&w.src, m.day, ch)
	// The worker counts into its own totals and hands them over at the
	// end: totals of neighbouring chunks share cache lines, and two
	// workers writing them customer by customer would slow each other.
	acc := w.acc[:m.nb]
	clear(acc)
	lo, hi := ch*ChunkSize, min((ch+1)*ChunkSize, m.n)
	w.startChunk(m)
	for c := lo; c < hi; c++ {
		m.stepCustomer(w, c, acc)
	}
	copy(m.chunkAcc[ch*m.nb:(ch+1)*m.nb], acc)
}

// stepCustomer is one customer's day: messages arrive, attention filters
// them, what is processed changes awareness, trust, expectation,
// engagement and irritation; a need leads to a choice, a purchase to an
// experience; then churn. publish ends the day.
func (m *Market) stepCustomer(w *worker, c int, acc []chunkTotals) {
	nb := m.nb
	base := c * nb
	need := w.need.hit(w) && w.uniform()*m.needMax < float64(m.needRate[c])
	flags := m.flags[base : base+nb]
	engagement := m.engagement[base : base+nb]
	for b, f := range flags {
		br := &m.brands[b]
		arr := &w.arrived[b]
		*arr = [kinds]int32{}
		m.hearPeers(w, base+b, b, arr)
		if br.pushLambda > 0 && (br.Push.Targeting == TargetEveryone || f&flagOptedIn != 0) {
			k := w.pushImpressions(m, b)
			acc[b].sent += int64(k)
			switch {
			case f&flagBlocked != 0:
				acc[b].wasted += int64(k)
			case f&flagOptedIn != 0:
				arr[kindOptInPush] = k
			default:
				arr[kindPush] = k
			}
		}
		if f&flagBlocked != 0 {
			continue
		}
		if br.Pull.Content > 0 {
			if f&flagAware != 0 {
				if lam := br.contentRate * float64(engagement[b]); lam > 0 {
					arr[kindContent] += poisson(w, lam)
				}
			}
			if need && w.find[b].hit(w) {
				arr[kindContent]++
			}
		}
		if m.partnerOf != nil {
			for bitsLeft := m.partnerOf[base+b]; bitsLeft != 0; bitsLeft &= bitsLeft - 1 {
				if w.partner[b][bits.TrailingZeros8(bitsLeft)].hit(w) {
					arr[kindPartner]++
				}
			}
		}
	}

	m.attend(w, c)

	for b := range nb {
		i := base + b
		if w.arrivedAll[b] > 0 {
			m.process(w, i, b, &acc[b])
		}
		// An aware customer may ask for the brand's push, the more likely
		// the closer it orbits the brand.
		if f := m.flags[i]; f&(flagAware|flagOptedIn|flagBlocked) == flagAware {
			if e := m.engagement[i]; e > 0 && w.optIn.hit(w) && w.uniform() < float64(e) {
				m.flags[i] = f | flagOptedIn
			}
		}
	}

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
	m.publish(w, c, bought, acc)
}

// startChunk prepares the worker for a chunk: it fills the tables of
// today's push impression distribution, one per brand, and starts the
// countdowns from the chunk's stream.
func (w *worker) startChunk(m *Market) {
	for b := range m.brands {
		br := &m.brands[b]
		reach := 1 - br.pushExp
		w.pushSparse[b] = reach < pushSparseReach && br.pushLambda <= pushTableMean
		if w.pushSparse[b] {
			w.pushReach[b].start(w, reach)
		}
		w.find[b].start(w, m.plan.findProb[b])
		for k, pt := range br.Partners {
			w.partner[b][k].start(w, pt.Rate)
		}
		w.post[b].start(w, br.Pull.CoCreation)
	}
	w.fade.start(w, m.params.Satisfaction.VoiceFade)
	w.optIn.start(w, m.params.OptIn.Rate)
	w.need.start(w, m.needMax)
	ch := &m.params.Churn
	w.churnIrritation = float32(m.params.Irritation.Threshold)
	w.churnMax = min(1, ch.Base+ch.Detractor+ch.Distrust+ch.Irritation*float64(w.churnIrritation))
	w.churn.start(w, w.churnMax)
	p := &m.params
	w.forget = float32(p.Evidence.Forgetting)
	w.retain = float32(p.Irritation.Retention)
	w.stay = float32(1 - p.Engagement.Decay)
	w.shareAt = float32(p.Engagement.ShareAt)
	for b := range m.brands {
		br := &m.brands[b]
		t := &w.pushCDF[b]
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
			w.pushGuide[b][j] = uint8(k)
		}
	}
}

// pushImpressions draws brand b's push impressions to one customer
// today: Poisson with the day's mean, by lookup in the worker's table.
func (w *worker) pushImpressions(m *Market, b int) int32 {
	lam := m.brands[b].pushLambda
	if lam > pushTableMean {
		return poissonExp(w, lam, m.brands[b].pushExp)
	}
	t := &w.pushCDF[b]
	var u float64
	if w.pushSparse[b] {
		if !w.pushReach[b].hit(w) {
			return 0
		}
		// At least one: the distribution above zero, by inversion.
		u = t[0] + w.uniform()*(1-t[0])
	} else {
		u = w.uniform()
	}
	// The guide starts the search at the first count whose distribution
	// function passes the bottom of u's bucket, mostly the answer itself.
	// u may round up to 1 in the truncated draw: the last bucket then.
	k := int(w.pushGuide[b][min(int(u*pushGuideSize), pushGuideSize-1)])
	for k < pushTable && u >= t[k] {
		k++
	}
	return int32(k)
}

// hearPeers sets the word of mouth and shared content about brand b that
// reach a customer today, at index i: what its neighbours sent yesterday,
// or, fully mixed, draws from the whole population's word.
func (m *Market) hearPeers(w *worker, i, b int, arr *[kinds]int32) {
	if m.complete {
		m.hearPopulation(w, b, arr)
		return
	}
	x := m.inbox[0][i]
	m.inbox[0][i] = 0
	for _, in := range m.inbox[1:] {
		x += in[i]
		in[i] = 0
	}
	arr[kindPositive] = int32(x >> inboxPositive & inboxMask)
	arr[kindNegative] = int32(x >> inboxNegative & inboxMask)
	arr[kindShare] = int32(x >> inboxShare & inboxMask)
}

// hearPopulation draws the word of mouth and shared content about brand
// b that reach a customer of a fully mixed population.
func (m *Market) hearPopulation(w *worker, b int, arr *[kinds]int32) {
	if lam := m.plan.mixedPos[b]; lam > 0 {
		arr[kindPositive] = poisson(w, lam)
	}
	if lam := m.plan.mixedNeg[b]; lam > 0 {
		arr[kindNegative] = poisson(w, lam)
	}
	if lam := m.plan.mixedShare[b]; lam > 0 {
		arr[kindShare] = poisson(w, lam)
	}
}

// attend applies limited attention: the customer processes at most its
// capacity, tier by tier; the tier that overflows is shared among its
// kinds and brands by systematic sampling (one uniform draw, each count
// kept in proportion), and later tiers are ignored.
func (m *Market) attend(w *worker, c int) {
	nb := m.nb
	var total int32
	for b := range nb {
		t := sumKinds(&w.arrived[b])
		w.arrivedAll[b] = t
		w.keptAll[b] = t
		total += t
	}
	capacity := m.capacity[c]
	w.processed = &w.arrived
	if capacity == 0 || total <= capacity {
		return
	}
	w.processed = &w.kept
	w.keep(nb, capacity)
	for b := range nb {
		w.keptAll[b] = sumKinds(&w.kept[b])
	}
}

// keep fills kept with the room messages out of arrived that a customer
// short of attention processes.
func (w *worker) keep(nb int, room int32) {
	for _, tier := range attentionTiers {
		var inTier int32
		for b := range nb {
			for k := tier[0]; k < tier[1]; k++ {
				inTier += w.arrived[b][k]
			}
		}
		if inTier <= room {
			for b := range nb {
				copy(w.kept[b][tier[0]:tier[1]], w.arrived[b][tier[0]:tier[1]])
			}
			room -= inTier
			continue
		}
		// Systematic sampling of room messages out of inTier.
		frac := float64(room) / float64(inTier)
		u := w.uniform()
		var cum int32
		prevCut := int32(0)
		for b := range nb {
			for k := tier[0]; k < tier[1]; k++ {
				cum += w.arrived[b][k]
				cut := int32(math.Floor(float64(cum)*frac + u))
				w.kept[b][k] = cut - prevCut
				prevCut = cut
			}
		}
		for k := tier[1]; k < kinds; k++ {
			for b := range nb {
				w.kept[b][k] = 0
			}
		}
		return
	}
}

// process applies the messages a customer processed about brand b, at
// index i.
func (m *Market) process(w *worker, i, b int, a *chunkTotals) {
	br := &m.brands[b]
	arr, kept := &w.arrived[b], &w.processed[b]
	arrivedAll, keptAll := w.arrivedAll[b], w.keptAll[b]
	content, pos, neg := kept[kindContent], kept[kindPositive], kept[kindNegative]
	share, partner := kept[kindShare], kept[kindPartner]
	optPush, push := kept[kindOptInPush], kept[kindPush]
	a.processed += int64(optPush + push)
	a.wasted += int64(arr[kindOptInPush] - optPush + arr[kindPush] - push)
	a.content += int64(content)
	a.partner += int64(partner)
	a.womPos += int64(pos)
	a.womNeg += int64(neg)
	a.shares += int64(share)
	a.ignored += int64(arrivedAll - keptAll)
	if keptAll == 0 {
		return
	}
	n := [kinds]float64{float64(content), float64(pos), float64(neg), float64(share), float64(partner), float64(optPush), float64(push)}

	f := m.flags[i]
	if f&flagAware == 0 {
		// Influences add up, as in the Bass hazard p + qF.
		if s := weigh(&n, &br.recall); s <= 0 || w.uniform() >= s {
			return
		}
		f |= flagAware
		m.flags[i] = f
		m.expectation[i] = float32(br.claim)
	}

	m.trustPos[i] += float32(weigh(&n, &br.evidence))
	m.trustNeg[i] += float32(br.negativeEvidence * n[kindNegative])

	// Claims pull expectation toward what the brand says, peers toward
	// what the product is, each as far as its source is believed.
	kp := &br.keep
	e := float64(m.expectation[i])
	e = br.claim + (e-br.claim)*kp[kindPush].pow(push)*kp[kindOptInPush].pow(optPush)*
		kp[kindContent].pow(content)*kp[kindPartner].pow(partner)
	e = br.Quality + (e-br.Quality)*kp[kindPositive].pow(pos+share)
	m.expectation[i] = float32(e)

	g := float64(m.engagement[i])
	m.engagement[i] = float32(1 - (1-g)*br.distant.pow(content+share+partner))

	irr := max(float64(m.irritation[i])+weigh(&n, &br.irritation), 0)
	m.irritation[i] = float32(irr)
	if irr >= m.params.Irritation.Threshold && m.params.Irritation.PerPush > 0 {
		m.flags[i] = f&^flagOptedIn | flagBlocked
	}
}

// weigh is the sum of the message counts n weighted by kind.
func weigh(n, weight *[kinds]float64) float64 {
	return n[0]*weight[0] + n[1]*weight[1] + n[2]*weight[2] + n[3]*weight[3] + n[4]*weight[4] + n[5]*weight[5] + n[6]*weight[6]
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
	base := c * m.nb
	cur := int(m.current[c])
	denom := math.Exp(ch.Outside)
	any := false
	for b := range m.nb {
		i := base + b
		if m.flags[i]&(flagAware|flagBlocked) != flagAware {
			w.weight[b] = 0
			continue
		}
		u := ch.Trust*(trust(m.trustPos[i], m.trustNeg[i])-0.5) + ch.Quality*float64(m.expectation[i]) +
			ch.Engagement*float64(m.engagement[i]) - ch.Irritation*float64(m.irritation[i])
		if b == cur {
			u += ch.Loyalty
		}
		w.weight[b] = math.Exp(u)
		denom += w.weight[b]
		any = true
	}
	if !any {
		return -1
	}
	x := w.uniform() * denom
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
	r := w.r
	br := &m.brands[b]
	i := c*m.nb + b
	a := &acc[b]
	a.purchases++
	f := m.flags[i]
	if f&flagBought == 0 {
		a.newAdoptions++
		f |= flagBought
	}
	if cur := int(m.current[c]); cur >= 0 && cur != b {
		m.status[c*m.nb+cur] = StatusChurned
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
		if st != StatusAdvocate && w.uniform() < sat.Advocacy {
			st = StatusAdvocate
			f |= flagNewVoice
		}
		if f&(flagOptedIn|flagBlocked) == 0 && w.uniform() < p.OptIn.OnPurchase {
			f |= flagOptedIn
		}
	} else {
		m.trustNeg[i] += float32(ev.Experience * ev.Negativity)
		if st != StatusDetractor && w.uniform() < sat.Detraction {
			st = StatusDetractor
		}
	}
	m.status[i] = st
	m.flags[i] = f
	m.expectation[i] = float32(expected + sat.Learning*(experienced-expected))
}

// maybeChurn lets customer c leave brand b with the day's hazard.
func (m *Market) maybeChurn(w *worker, c, b int, a *chunkTotals) {
	i := c*m.nb + b
	if irr := m.irritation[i]; irr <= w.churnIrritation {
		if !w.churn.hit(w) || w.uniform()*w.churnMax >= m.churnHazard(i) {
			return
		}
	} else if w.uniform() >= m.churnHazard(i) {
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
	i := c*m.nb + b
	f := m.flags[i]
	if br.exposed {
		if f&flagAware != 0 && w.uniform() < inc.NewsReach {
			m.trustNeg[i] += float32(inc.Exposure * inc.Harm * ev.Negativity)
			if f&flagWitness != 0 && m.status[i].Current() && w.uniform() < m.params.Satisfaction.Detraction {
				m.status[i] = StatusDetractor
			}
		}
		f &^= flagWitness
	}
	if br.incident && m.status[i].Current() && w.uniform() < br.Trust.IncidentReach {
		harm := inc.Harm * ev.Negativity
		if br.Trust.Response == ResponseAdmit {
			harm *= inc.AdmitFactor
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
	h := mix(seed, uint64(b)<<32|uint64(k), uint64(c))
	return float64(h>>11)*0x1p-53 < audience
}

// sumKinds adds up the messages of every kind.
func sumKinds(n *[kinds]int32) int32 {
	return n[0] + n[1] + n[2] + n[3] + n[4] + n[5] + n[6]
}
