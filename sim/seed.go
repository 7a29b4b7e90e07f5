package sim

import (
	"math"
	"math/rand/v2"

	"github.com/pushpull/pushpull/sim/internal/draw"
)

// seedingDay numbers the stream of day 0's word, drawn after the
// population is placed (stream day 0).
const seedingDay = -1

// stream seeds src for one chunk of one day. Day 0 is the seeding of the
// population.
func (m *Market) stream(src *draw.Source, day, chunk int) {
	src.Seed(draw.Mix(m.seed, uint64(m.replicate), uint64(day), uint64(chunk)), 0x5851f42d4c957f2d)
}

// brandStream seeds src for the brand-level events of a day.
func (m *Market) brandStream(src *draw.Source, day int) {
	src.Seed(draw.Mix(m.seed, uint64(m.replicate), uint64(day), 1<<40), 0x14057b7ef767814f)
}

// seedCustomers draws every customer's capacity and need rate and places
// the brands' seed customers and aware customers: day 0.
func (m *Market) seedCustomers() {
	p := &m.params
	var src draw.Source
	src.Init()
	r := src.Rand()
	for ch := range m.chunks {
		m.stream(&src, 0, ch)
		lo, hi := ch*ChunkSize, min((ch+1)*ChunkSize, m.n)
		for c := lo; c < hi; c++ {
			m.drawTraits(r, c)
			m.placeSeeds(r, c)
		}
	}
	m.needBound = min(m.needBound, needBoundFactor*float64(float32(p.Need.Rate)))
	m.publishSeeds()
}

// drawTraits draws customer c's attention capacity and need rate, once
// for the whole run.
func (m *Market) drawTraits(r *rand.Rand, c int) {
	p := &m.params
	if p.Attention.Unlimited {
		m.capacity[c] = 0
	} else {
		x := draw.Gamma(r, p.Attention.Shape, p.Attention.Capacity/p.Attention.Shape)
		m.capacity[c] = int32(max(1, math.Round(x)))
	}
	if p.Need.Shape > 0 {
		m.needRate[c] = float32(min(1, draw.Gamma(r, p.Need.Shape, p.Need.Rate/p.Need.Shape)))
	} else {
		m.needRate[c] = float32(p.Need.Rate)
	}
	m.needBound = max(m.needBound, float64(m.needRate[c]))
}

// placeSeeds makes customer c a seed customer of at most one brand, in
// the shares brand.seed_customers ask for, an advocate among them in the
// share brand.seed_advocates, and aware of each other brand in the share
// brand.seed_aware.
func (m *Market) placeSeeds(r *rand.Rand, c int) {
	m.current[c] = -1
	u := r.Float64()
	acc := 0.0
	for b := range m.brands {
		br := &m.brands[b]
		i := m.at(c, b)
		acc += br.SeedCustomers
		if m.current[c] < 0 && u < acc {
			m.current[c] = int8(b)
			m.flags[i] |= flagAware | flagBought
			m.status[i] = StatusCustomer
			m.expectation[i] = float32(br.Quality)
			// Among seed customers, advocates in the share asked for.
			if br.SeedCustomers > 0 && r.Float64()*br.SeedCustomers < br.SeedAdvocates {
				m.status[i] = StatusAdvocate
				m.flags[i] |= flagNewVoice
			}
		} else if r.Float64() < br.SeedAware {
			m.flags[i] |= flagAware
			m.expectation[i] = float32(br.claim)
		}
	}
}

// needBoundFactor bounds the rate at which needs are thinned, in means:
// a countdown at the highest rate of a long-tailed distribution would
// draw for many customers whose need is far below it.
const needBoundFactor = 4

// publishSeeds sends day 0's word and writes its metrics.
func (m *Market) publishSeeds() {
	m.plan = m.makePlan()
	w := newWorker()
	for j := range w.bought {
		w.bought[j] = -1
	}
	for ch := range m.chunks {
		m.stream(&w.src, seedingDay, ch)
		w.startChunk(m)
		lo, hi := ch*ChunkSize, min((ch+1)*ChunkSize, m.n)
		m.endDay(w, lo, hi)
		m.handOver(w, ch)
	}
	m.swapMail()
	m.tallyDay()
}

// placePartnerAudiences decides once who is in each partner's audience.
func (m *Market) placePartnerAudiences() {
	m.partnerOf = nil
	for b := range m.brands {
		if len(m.brands[b].Partners) == 0 {
			continue
		}
		if m.partnerOf == nil {
			m.partnerOf = make([]uint8, m.n*m.nb)
		}
		for k, pt := range m.brands[b].Partners {
			for c := range m.n {
				if partnerMember(m.seed, b, k, c, pt.Audience) {
					m.partnerOf[m.at(c, b)] |= 1 << k
				}
			}
		}
	}
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
