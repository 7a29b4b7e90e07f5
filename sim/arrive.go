package sim

import "math/bits"

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

// arrive sets the messages about brand b that reach the chunk's
// customers besides what neighbours said (hearNeighbours): word of mouth
// in a fully mixed population, push, content they pull and what partners
// bring.
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

// hearNeighbours clears the messages of chunk ch's first size customers
// and delivers to them the word of mouth and shared content their
// neighbours sent yesterday: the first of the day's arrivals.
func (m *Market) hearNeighbours(w *worker, ch, size int) {
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
