package reference

import (
	"math"

	"github.com/pushpull/pushpull/sim"
)

// Step simulates one day: the brands' events, then every customer's day,
// each reading only yesterday's state of the others, then the tallies.
func (m *Market) Step() {
	m.day++
	for b := range m.brands {
		m.planBrand(&m.brands[b])
	}
	for c := range m.people {
		m.live(c)
	}
	m.tallyDay()
}

// live is customer c's day, submodel by submodel.
func (m *Market) live(c int) {
	cu := &m.people[c]
	need := m.need(cu)
	for b := range m.brands {
		m.arrive(c, b, need)
	}
	m.ration(cu)
	for b := range m.brands {
		m.learn(&cu.brands[b], b)
		m.optIn(&cu.brands[b])
	}
	bought := -1
	if need {
		bought = m.choose(cu)
	}
	if bought >= 0 {
		m.buy(cu, bought)
	} else if cu.current >= 0 {
		m.churn(cu)
	}
	for b := range m.brands {
		m.endDay(cu, b, bought)
	}
}

// need draws whether the customer has a purchase occasion today.
func (m *Market) need(cu *customer) bool { return m.chance(cu.needRate) }

// planBrand draws the brand's events of the day, a mistake and the
// finding out of hidden ones, and sets its push intensity.
func (m *Market) planBrand(br *brand) {
	// The transparent window: each customer who met a hidden mistake may
	// expose it.
	br.exposed = br.pending > 0 && m.chance(1-math.Pow(1-m.p.Incidents.Discovery, float64(br.pending)))
	if br.exposed {
		br.pending = 0
	}
	br.incident = m.chance(br.Trust.IncidentRate)
	br.pushMean = br.Push.Rate
	if br.Push.Targeting == sim.TargetOptIn {
		// The same budget spread over those who asked for it.
		br.pushMean = 0
		if br.optedIn > 0 {
			br.pushMean = br.Push.Rate * float64(len(m.people)) / float64(br.optedIn)
		}
	}
	if br.Push.FrequencyCap > 0 {
		br.pushMean = min(br.pushMean, br.Push.FrequencyCap)
	}
}

// arrive fills customer c's inbox for brand b: peers' word, push, and,
// unless it blocked the brand, content and partners.
func (m *Market) arrive(c, b int, need bool) {
	s := &m.people[c].brands[b]
	s.inbox = inbox{}
	m.hearPeers(c, b)
	m.receivePush(s, b)
	if !s.blocked {
		m.pullContent(s, b, need)
		m.meetPartners(s, b)
	}
}

// hearPeers delivers what customer c's neighbours said about brand b at
// the end of yesterday; in a fully mixed population, Poisson numbers of
// messages in proportion to yesterday's speakers.
func (m *Market) hearPeers(c, b int) {
	x, w := &m.people[c].brands[b].inbox, &m.p.WordOfMouth
	if m.g.IsComplete() {
		br, n := &m.brands[b], float64(len(m.people))
		x.n[praise] += m.poisson(w.Rate * float64(br.advocates) / n)
		x.n[complaint] += m.poisson(w.NegativeRate * float64(br.detractors) / n)
		x.n[shared] += m.poisson(float64(br.posts) / n) // a post reaches one random customer
		return
	}
	for _, j := range m.tellers[c] {
		said, degree := m.people[j].brands[b].said, float64(m.g.Degree(int(j)))
		if said.praise && m.chance(w.Rate/degree) {
			x.n[praise]++
		}
		if said.complain && m.chance(w.NegativeRate/degree) {
			x.n[complaint]++
		}
		if said.post {
			x.n[shared]++
		}
		if said.tell && m.chance(w.Transmissibility) {
			x.n[praise]++
		}
	}
}

// receivePush draws brand b's impressions to a customer it targets.
// Impressions to one who blocked the brand are paid for and wasted.
func (m *Market) receivePush(s *standing, b int) {
	br := &m.brands[b]
	if br.pushMean == 0 || br.Push.Targeting == sim.TargetOptIn && !s.optedIn {
		return
	}
	k := m.poisson(br.pushMean)
	switch {
	case s.blocked:
	case s.optedIn:
		s.inbox.n[askedPush] += k
	default:
		s.inbox.n[unaskedPush] += k
	}
}

// pullContent draws the customer's visits to brand b's content: an aware
// customer returns the more often the closer it orbits the brand, and one
// with a need may find it by searching.
func (m *Market) pullContent(s *standing, b int, need bool) {
	pull := &m.brands[b].Pull
	if s.aware {
		s.inbox.n[pulled] += m.poisson(pull.ReturnRate * pull.Content * s.engagement)
	}
	if need && m.chance(1-math.Exp(-pull.Discoverability*pull.Content)) {
		s.inbox.n[pulled]++
	}
}

// meetPartners draws the brand's content met through each partner whose
// audience the customer is in.
func (m *Market) meetPartners(s *standing, b int) {
	for k, pt := range m.brands[b].Partners {
		if s.inPartnerAudience[k] && m.chance(pt.Rate) {
			s.inbox.byPartner[k]++
			s.inbox.n[viaPartner]++
		}
	}
}

// ration lowers the customer's messages to its capacity: tiers that fit
// are processed whole, the tier that overflows is sampled, later tiers
// are ignored.
func (m *Market) ration(cu *customer) {
	room := cu.capacity
	if room == 0 {
		return
	}
	for t, tier := range tiers {
		inTier := 0
		for b := range cu.brands {
			for _, k := range tier {
				inTier += cu.brands[b].inbox.n[k]
			}
		}
		if inTier <= room {
			room -= inTier
			continue
		}
		m.sampleTier(cu, tier, room, inTier)
		for _, later := range tiers[t+1:] {
			for b := range cu.brands {
				for _, k := range later {
					cu.brands[b].inbox.n[k] = 0
				}
			}
		}
		return
	}
}

// sampleTier keeps room of the tier's of messages by systematic sampling:
// one uniform start, then every of/room-th message in the order of
// brands, kinds and partners, so that each count keeps its share, rounded
// up or down at random.
func (m *Market) sampleTier(cu *customer, tier []kind, room, of int) {
	var counts []*int
	for b := range cu.brands {
		x := &cu.brands[b].inbox
		for _, k := range tier {
			if k != viaPartner {
				counts = append(counts, &x.n[k])
				continue
			}
			for p := range x.byPartner {
				counts = append(counts, &x.byPartner[p])
			}
		}
	}
	share, start := float64(room)/float64(of), m.rng.Float64()
	cum, cut := 0, 0
	for _, n := range counts {
		cum += *n
		next := int(math.Floor(float64(cum)*share + start))
		*n, cut = next-cut, next
	}
	for b := range cu.brands {
		x := &cu.brands[b].inbox
		x.n[viaPartner] = 0
		for _, n := range x.byPartner {
			x.n[viaPartner] += n
		}
	}
}
