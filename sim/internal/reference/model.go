package reference

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
)

// kind is the source of a message, in the order attention serves them.
type kind int

const (
	pulled      kind = iota // content the customer pulled: orbit visits and searches
	praise                  // an advocate's word
	complaint               // a detractor's word
	shared                  // content posted by an engaged peer
	viaPartner              // the brand's content met through a partner
	askedPush               // push the customer asked for
	unaskedPush             // unsolicited push
	kinds
)

// tiers are the kinds attention serves together, first tier first.
var tiers = [][]kind{{pulled}, {praise, complaint, shared, viaPartner}, {askedPush}, {unaskedPush}}

// inbox holds the messages about one brand that reach a customer today;
// attention lowers them to those it processes.
type inbox struct {
	n [kinds]int
	// byPartner splits n[viaPartner] by the partner that brought them.
	byPartner [sim.MaxPartners]int
}

// voice is what a customer says about a brand at the end of a day, which
// its neighbours hear the next.
type voice struct {
	praise   bool // an advocate's daily word (word_of_mouth.mode "ongoing")
	complain bool // a detractor's daily word
	post     bool // a post of the brand's content to every friend
	tell     bool // a new advocate telling each friend once (mode "once")
}

// standing is a customer's state about one brand.
type standing struct {
	aware, optedIn, blocked bool
	everBought              bool
	witness                 bool // met a hidden mistake not yet found out
	newVoice                bool // became an advocate today
	status                  sim.Status
	pos, neg                float64 // trust evidence r and s
	expectation             float64 // the quality it expects
	engagement              float64 // 0 (far) to 1 (close orbit)
	irritation              float64
	inPartnerAudience       [sim.MaxPartners]bool
	inbox                   inbox
	said, says              voice // yesterday's word, heard today; today's, heard tomorrow
}

// customer is one node of the social graph.
type customer struct {
	capacity int // messages a day it can process; 0 when unlimited
	needRate float64
	current  int // the brand it uses now, or -1
	brands   []standing
}

// brand is a brand's parameters, its day's events and yesterday's totals
// that today's messages depend on.
type brand struct {
	sim.Brand
	incident, exposed bool    // made a mistake today; a hidden mistake found out today
	pending           int     // customers who met hidden mistakes not yet found out
	witnessed         int     // customers who met a hidden mistake today
	pushMean          float64 // mean impressions to a target customer today
	advocates         int     // yesterday's advocates, detractors, posts and opted-in customers
	detractors        int
	posts             int
	optedIn           int
	churned           int // customers lost so far
}

// claim is the quality the brand's claims state.
func (b *brand) claim() float64 { return b.Quality + b.Push.Overclaim }

// Tally is one brand's state at the end of a day.
type Tally struct {
	Aware, Customers, Adopters       int
	Advocates, Detractors, Churned   int
	OptedIn, Blocked, ContentPosters int
	MeanTrustAware                   float64 // 1/2 when nobody is aware
}

// Market is one replicate of the model.
type Market struct {
	p      sim.Params
	g      *graph.Graph
	src    *rand.PCG
	rng    *rand.Rand
	day    int
	people []customer
	brands []brand
	tally  []Tally
	// tellers lists, for each customer, the customers whose word reaches
	// it: a customer's row of the graph is whom it tells, so on a graph
	// whose ties run one way a listener hears its row's reverse.
	tellers [][]int32
}

// New seeds a market of p on graph g (day 0), drawing from seed.
func New(p *sim.Params, g *graph.Graph, seed uint64) (*Market, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if g.N() != p.Customers {
		return nil, fmt.Errorf("reference: graph has %d nodes but the market has %d customers", g.N(), p.Customers)
	}
	m := &Market{p: *p, g: g, src: rand.NewPCG(seed, 0x7265666572656e63)}
	m.tellers = make([][]int32, g.N())
	for j := range g.N() {
		for _, c := range g.Neighbors(j) {
			m.tellers[c] = append(m.tellers[c], int32(j))
		}
	}
	m.rng = rand.New(m.src)
	m.brands = make([]brand, len(p.Brands))
	for b := range m.brands {
		m.brands[b].Brand = p.Brands[b]
	}
	m.people = make([]customer, p.Customers)
	for c := range m.people {
		m.seed(&m.people[c])
	}
	for c := range m.people {
		for b := range m.brands {
			m.endDay(&m.people[c], b, -1)
		}
	}
	m.tallyDay()
	return m, nil
}

// seed draws a customer's capacity and need rate and places it as a seed
// customer or seed-aware customer of the brands.
func (m *Market) seed(cu *customer) {
	at := &m.p.Attention
	if !at.Unlimited {
		x := distuv.Gamma{Alpha: at.Shape, Beta: at.Shape / at.Capacity, Src: m.src}.Rand()
		cu.capacity = max(1, int(math.Round(x)))
	}
	cu.needRate = m.p.Need.Rate
	if need := &m.p.Need; need.Shape > 0 {
		cu.needRate = min(1, distuv.Gamma{Alpha: need.Shape, Beta: need.Shape / need.Rate, Src: m.src}.Rand())
	}
	cu.current = -1
	cu.brands = make([]standing, len(m.brands))
	u, seeded := m.rng.Float64(), 0.0
	for b := range m.brands {
		br, s := &m.brands[b], &cu.brands[b]
		seeded += br.SeedCustomers
		if cu.current < 0 && u < seeded {
			cu.current = b
			s.aware, s.everBought, s.status, s.expectation = true, true, sim.StatusCustomer, br.Quality
			if m.chance(br.SeedAdvocates / br.SeedCustomers) {
				s.status, s.newVoice = sim.StatusAdvocate, true
			}
		} else if m.chance(br.SeedAware) {
			s.aware, s.expectation = true, br.claim()
		}
		for k, pt := range br.Partners {
			s.inPartnerAudience[k] = m.chance(pt.Audience)
		}
	}
}

// chance draws a Bernoulli trial of probability p.
func (m *Market) chance(p float64) bool { return m.rng.Float64() < p }

// poisson draws a Poisson count of the given mean: the arrivals of a
// process of rate 1 within an interval of that length.
func (m *Market) poisson(mean float64) int {
	k := 0
	for t := m.rng.ExpFloat64(); t < mean; t += m.rng.ExpFloat64() {
		k++
	}
	return k
}

// Day is the last simulated day: 0 before the first Step.
func (m *Market) Day() int { return m.day }

// Tallies returns each brand's state at the end of the last day.
func (m *Market) Tallies() []Tally { return m.tally }

// tallyDay counts the day's end, remembers the totals tomorrow's messages
// depend on and makes today's word tomorrow's.
func (m *Market) tallyDay() {
	m.tally = make([]Tally, len(m.brands))
	for c := range m.people {
		cu := &m.people[c]
		for b := range m.brands {
			s, t := &cu.brands[b], &m.tally[b]
			t.Aware += one(s.aware)
			if s.aware {
				t.MeanTrustAware += trust(s)
			}
			t.Customers += one(s.status.Current())
			t.Adopters += one(s.everBought)
			t.Advocates += one(s.status == sim.StatusAdvocate)
			t.Detractors += one(s.status == sim.StatusDetractor)
			t.OptedIn += one(s.optedIn)
			t.Blocked += one(s.blocked)
			t.ContentPosters += one(s.says.post)
			s.said, s.says = s.says, voice{}
		}
	}
	for b := range m.brands {
		br, t := &m.brands[b], &m.tally[b]
		sumTrust := t.MeanTrustAware
		t.Churned = br.churned
		t.MeanTrustAware = 0.5
		if t.Aware > 0 {
			t.MeanTrustAware = sumTrust / float64(t.Aware)
		}
		br.advocates, br.detractors, br.posts, br.optedIn = t.Advocates, t.Detractors, t.ContentPosters, t.OptedIn
		br.pending += br.witnessed
		br.witnessed = 0
	}
}

func one(b bool) int {
	if b {
		return 1
	}
	return 0
}
