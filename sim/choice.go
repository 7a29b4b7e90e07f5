package sim

import "math"

// shop lets each of the chunk's customers with a need choose and buy, and
// each that used a brand and did not buy it again today face the churn
// hazard, customer by customer.
func (m *Market) shop(w *worker, lo, hi int) {
	acc := w.acc[:m.nb]
	for j, need := range w.needs[:hi-lo] {
		c := lo + j
		bought := -1
		if need {
			bought = m.choose(w, c)
			if bought >= 0 {
				m.buy(w, c, bought, acc)
			}
		}
		if cur := int(m.current[c]); cur >= 0 && cur != bought {
			m.churn(w, c, cur, &acc[cur])
		}
		w.bought[j] = int8(bought)
	}
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

// buy records customer c buying brand b, a first purchase or a switch
// from a rival, which churns the rival, and then the experience of it.
func (m *Market) buy(w *worker, c, b int, acc []chunkTotals) {
	i := m.at(c, b)
	a := &acc[b]
	a.purchases++
	if m.flags[i]&flagBought == 0 {
		a.newAdoptions++
		m.flags[i] |= flagBought
	}
	if cur := int(m.current[c]); cur >= 0 && cur != b {
		m.status[m.at(c, cur)] = StatusChurned
		acc[cur].churnEvents++
	}
	m.current[c] = int8(b)
	if !m.status[i].Current() {
		m.status[i] = StatusCustomer
	}
	m.experience(w, i, &m.brands[b])
}

// experience is what using brand br does to the customer's state at
// index i: the product delivers its quality with a spread set by its
// consistency; no worse than expected (within the tolerance) satisfies,
// gives positive evidence and engagement and may make an advocate, who
// may also ask for the brand's push; worse disappoints, gives negative
// evidence and may make a detractor. Expectation learns from it.
func (m *Market) experience(w *worker, i int, br *brandRuntime) {
	p := &m.params
	f, st := m.flags[i], m.status[i]
	experienced := br.Quality
	if br.spread > 0 {
		experienced += br.spread * w.src.Rand().NormFloat64()
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

// churn lets customer c leave brand b with the day's hazard, thinned at
// the worker's bound below the irritation at which it may be exceeded.
func (m *Market) churn(w *worker, c, b int, a *chunkTotals) {
	i := m.at(c, b)
	if irr := m.irritation[i]; irr <= w.churnIrritation {
		if !w.churn.Candidate(&w.src) || !w.churn.Accept(&w.src, m.churnHazard(i)) {
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
