package reference

import (
	"math"

	"github.com/pushpull/pushpull/sim"
)

// trust is the beta-reputation expectation (r+1)/(r+s+2).
func trust(s *standing) float64 { return (s.pos + 1) / (s.pos + s.neg + 2) }

// utility is what brand b is worth to the customer in the logit choice.
func (m *Market) utility(cu *customer, b int) float64 {
	ch, s := &m.p.Choice, &cu.brands[b]
	u := ch.Trust*(trust(s)-0.5) + ch.Quality*s.expectation + ch.Engagement*s.engagement - ch.Irritation*s.irritation
	if b == cu.current {
		u += ch.Loyalty
	}
	return u
}

// choose draws the brand a customer with a need buys, or -1 for nothing:
// a multinomial logit over the aware, unblocked brands and the outside
// option. A customer who knows no brand it has not blocked buys nothing.
func (m *Market) choose(cu *customer) int {
	var weights [sim.MaxBrands]float64
	total, known := math.Exp(m.p.Choice.Outside), false
	for b := range m.brands {
		if s := &cu.brands[b]; s.aware && !s.blocked {
			weights[b] = math.Exp(m.utility(cu, b))
			total += weights[b]
			known = true
		}
	}
	if !known {
		return -1
	}
	x := m.rng.Float64() * total
	for b, w := range weights[:len(m.brands)] {
		if x -= w; x < 0 {
			return b
		}
	}
	return -1
}

// buy records the purchase of brand b, a switch away from the brand the
// customer used, and the experience.
func (m *Market) buy(cu *customer, b int) {
	s := &cu.brands[b]
	s.everBought = true
	if cu.current >= 0 && cu.current != b {
		cu.brands[cu.current].status = sim.StatusChurned
		m.brands[cu.current].churned++
	}
	cu.current = b
	if !s.status.Current() {
		s.status = sim.StatusCustomer
	}
	m.experience(s, &m.brands[b])
}

// experience compares the quality experienced with the quality expected:
// a satisfied customer gains trust and engagement and may become an
// advocate and opt in; a disappointed one loses trust and may become a
// detractor. Expectation then learns from experience.
func (m *Market) experience(s *standing, br *brand) {
	sat, ev := &m.p.Satisfaction, &m.p.Evidence
	experienced := br.Quality + sim.QualitySpreadMax*(1-br.Consistency)*m.rng.NormFloat64()
	if experienced >= s.expectation-sat.Tolerance {
		s.pos += ev.Experience
		s.engagement += m.p.Engagement.OnPurchase * (1 - s.engagement)
		if s.status == sim.StatusDetractor {
			s.status = sim.StatusCustomer
		}
		if s.status != sim.StatusAdvocate && m.chance(sat.Advocacy) {
			s.status, s.newVoice = sim.StatusAdvocate, true
		}
		if !s.optedIn && !s.blocked && m.chance(m.p.OptIn.OnPurchase) {
			s.optedIn = true
		}
	} else {
		s.neg += ev.Experience * ev.Negativity
		if s.status != sim.StatusDetractor && m.chance(sat.Detraction) {
			s.status = sim.StatusDetractor
		}
	}
	s.expectation += sat.Learning * (experienced - s.expectation)
}

// hazard is the daily chance that a customer leaves its brand: it grows
// with dissatisfaction, irritation and lost trust.
func (m *Market) hazard(s *standing) float64 {
	ch := &m.p.Churn
	h := ch.Base + ch.Irritation*s.irritation
	if s.status == sim.StatusDetractor {
		h += ch.Detractor
	}
	if t := trust(s); t < 0.5 {
		h += ch.Distrust * 2 * (0.5 - t)
	}
	return h
}

// churn lets a customer who did not buy its brand today leave it.
func (m *Market) churn(cu *customer) {
	if s := &cu.brands[cu.current]; m.chance(m.hazard(s)) {
		s.status = sim.StatusChurned
		m.brands[cu.current].churned++
		cu.current = -1
	}
}
