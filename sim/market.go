package sim

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/internal/draw"
)

// Status is where a customer stands with a brand.
type Status uint8

const (
	StatusNone      Status = iota // never bought it
	StatusCustomer                // uses it now
	StatusAdvocate                // uses it and speaks for it
	StatusDetractor               // uses it, disappointed, and speaks against it
	StatusChurned                 // used it and left
)

var statusNames = [...]string{"none", "customer", "advocate", "detractor", "churned"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", s)
}

// Current reports whether a customer in this status uses the brand now.
func (s Status) Current() bool { return s >= StatusCustomer && s <= StatusDetractor }

// Flags of a customer about a brand, and their bit positions, by which
// they are counted without branching.
const (
	bitAware    = iota // has heard of the brand
	bitOptedIn         // asked for its push
	bitBlocked         // blocked it for good
	bitBought          // bought it at least once
	bitWitness         // met a hidden incident not yet found out
	bitNewVoice        // became an advocate today (tells friends once tomorrow)

	flagAware    uint8 = 1 << bitAware
	flagOptedIn  uint8 = 1 << bitOptedIn
	flagBlocked  uint8 = 1 << bitBlocked
	flagBought   uint8 = 1 << bitBought
	flagWitness  uint8 = 1 << bitWitness
	flagNewVoice uint8 = 1 << bitNewVoice
)

// Bits of what a customer says about a brand at the end of a day, which
// speak sends to its neighbours for the next.
const (
	voiceAdvocate  = iota // an advocate's daily word
	voiceDetractor        // a detractor's daily word
	voiceSharer           // a post of the brand's content to all its friends
	voiceNew              // a new advocate telling each friend once
)

// ChunkSize is the number of customers that share one random stream a day.
// It is part of the model's definition of randomness: changing it changes
// results, changing the number of workers does not.
const ChunkSize = 2048

// Market is one replicate of a market: every customer's state for every
// brand, on a social graph. It advances one day at a time with Step. A
// Market is not safe for concurrent use, but Step itself runs on as many
// workers as SetWorkers allows, with identical results for any number.
type Market struct {
	params    Params
	brands    []brandRuntime
	nb        int // brands
	n         int // customers
	seed      uint64
	replicate int
	day       int

	complete  bool
	offsets   []int32
	adjacency []int32

	// Per customer.
	capacity []int32   // messages a day; 0 when unlimited
	needRate []float32 // purchase occasions a day
	// needBound is the need rate at which needs are thinned: the highest
	// one, or needBoundFactor times the mean if that is lower, above which
	// the few customers who need more often draw directly.
	needBound float64
	current   []int8 // brand used now, or -1
	// priceSense is each customer's sensitivity to price, drawn when a
	// brand's price first differs from the reference price; nil before.
	priceSense []float32
	// nextChange is the first of the brands' planned changes not yet made.
	nextChange int

	// mail holds the word of mouth and posts in transit, unless the
	// population is fully mixed. Senders decide which ties their word
	// crosses as they end their day and post it for the next, so a day's
	// word costs in proportion to the messages sent, not to the ties of
	// every listener.
	mail *mailroom
	// odds[k][d] is the chance that word of kind k crosses one tie of a
	// sender with d ties, for d below len(odds[k]).
	odds [oddsKinds][]tieOdds

	// Per customer and brand, at index b*n + c (see at): each brand's
	// customers in a row, which is how a brand's phase of a day reads them.
	trustPos    []float32
	trustNeg    []float32
	irritation  []float32
	engagement  []float32
	expectation []float32
	status      []Status
	flags       []uint8
	// partnerOf has bit k set when the customer is in the audience of the
	// brand's partner k; nil when no brand has partners.
	partnerOf []uint8

	// Yesterday's totals that today's messages depend on.
	prev []brandTotals

	metrics []DayMetrics
	churned []int64 // cumulative, per brand

	plan     dayPlan
	brandSrc draw.Source
	chunks   int
	chunkAcc []chunkTotals // chunks*nb, reduced in chunk order
	pool     *workerPool
}

// brandRuntime holds a brand's parameters and what the engine derives
// from them once, or once a day.
type brandRuntime struct {
	Brand
	spread        float64 // standard deviation of experienced quality
	claim         float64 // quality as its claims state it
	partnerWeight float64 // trust evidence of one partner message
	brandMoney
	pushLambda float64 // mean impressions per target customer today
	pushExp    float64 // exp(-pushLambda)
	// pushCDF is the cumulative Poisson distribution of today's push
	// impressions to a target customer, for draws by table lookup, and
	// pushGuide[j] the smallest count whose distribution function exceeds
	// j/pushGuideSize, where the lookup starts.
	pushCDF          [pushTable]float64
	pushGuide        [pushGuideSize]uint8
	contentRate      float64 // content visits a day of a fully engaged customer
	incident         bool    // made a mistake today
	exposed          bool    // a hidden mistake was found out today
	pendingWitnesses int64   // customers who met hidden mistakes not yet found out
	// By kind of message, what one processed message weighs: for
	// awareness, as positive trust evidence, as irritation.
	recall, evidence, irritation [kinds]float64
	negativeEvidence             float64 // trust evidence against, of one negative message
	// keep[k] are the powers of the share of the gap between expectation
	// and what a message of kind k says that is left after one message.
	keep [kinds]powers
	// distant are the powers of the share of the distance to the brand's
	// close orbit left after one piece of content.
	distant powers
}

// brandTotals are the market-wide counts of one brand at the end of a day.
type brandTotals struct {
	advocates, detractors, posts, optedIn int64
}

// chunkTotals accumulate one chunk's share of a day's metrics for a brand.
type chunkTotals struct {
	// byStatus counts customers by Status, in an array so that counting
	// needs no branch on a status that is as good as random.
	byStatus [8]int64
	// kept counts the messages processed, by kind: what arrived, less
	// what attention left out.
	kept                                          [kinds]int64
	aware, adopters, newAdoptions, posts          int64
	churnEvents, purchases, sent, wasted, ignored int64
	optedIn, blocked, witnesses, compensated      int64
	trustAware, engagement, irritation            float64
}

func (a *chunkTotals) customers() int64 {
	return a.byStatus[StatusCustomer] + a.byStatus[StatusAdvocate] + a.byStatus[StatusDetractor]
}

// NewMarket builds replicate number replicate of the market p on graph g,
// with every random draw derived from seed and replicate. The graph must
// have p.Customers nodes. Day 0 is the seeded state; Step runs day 1.
func NewMarket(p *Params, g *graph.Graph, seed uint64, replicate int) (*Market, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if g == nil {
		return nil, fmt.Errorf("sim: no graph")
	}
	if g.N() != p.Customers {
		return nil, fmt.Errorf("sim: graph has %d nodes but the market has %d customers", g.N(), p.Customers)
	}
	if g.IsComplete() && p.WordOfMouth.Mode == WOMOnce {
		return nil, &FieldError{Path: "word_of_mouth.mode", Value: `"once"`,
			Want: `"ongoing" on a fully mixed population: telling each friend once needs a graph with ties`}
	}
	n, nb := p.Customers, len(p.Brands)
	m := &Market{
		params:    clone(p),
		nb:        nb,
		n:         n,
		seed:      seed,
		replicate: replicate,
		complete:  g.IsComplete(),
		capacity:  make([]int32, n),
		needRate:  make([]float32, n),
		current:   make([]int8, n),

		trustPos:    make([]float32, n*nb),
		trustNeg:    make([]float32, n*nb),
		irritation:  make([]float32, n*nb),
		engagement:  make([]float32, n*nb),
		expectation: make([]float32, n*nb),
		status:      make([]Status, n*nb),
		flags:       make([]uint8, n*nb),

		prev:    make([]brandTotals, nb),
		metrics: make([]DayMetrics, nb),
		churned: make([]int64, nb),
	}
	m.chunks = (n + ChunkSize - 1) / ChunkSize
	m.chunkAcc = make([]chunkTotals, m.chunks*nb)
	if !m.complete {
		m.offsets, m.adjacency = g.Offsets(), g.Adjacency()
		m.mail = newMailroom(m.chunks, 1)
		m.tabulateOdds(g.MaxDegree())
	}
	m.brands = make([]brandRuntime, nb)
	for b := range m.brands {
		m.setBrand(b, m.params.Brands[b])
	}
	m.brandSrc.Init()
	m.placePartnerAudiences()
	m.drawPriceSense()
	m.seedCustomers()
	m.pool = newWorkerPool(m, 1)
	return m, nil
}

// clone copies p deeply enough that later changes to the caller's brands
// do not reach the market.
func clone(p *Params) Params {
	c := *p
	c.Brands = make([]Brand, len(p.Brands))
	for i, b := range p.Brands {
		b.Partners = append([]Partner(nil), b.Partners...)
		c.Brands[i] = b
	}
	return c
}

func (m *Market) setBrand(b int, br Brand) {
	rt := &m.brands[b]
	pending := rt.pendingWitnesses
	funds := br.Fund(m.n, m.params.Money.EqualBudget)
	br = br.Funded(funds)
	*rt = brandRuntime{Brand: br, pendingWitnesses: pending}
	rt.setMoney(funds, &m.params)
	rt.spread = QualitySpreadMax * (1 - br.Consistency)
	rt.claim = br.Quality + br.Push.Overclaim
	rt.contentRate = br.Pull.ReturnRate * br.Pull.Content
	var reach, weighted float64
	for _, pt := range br.Partners {
		r := pt.Audience * pt.Rate
		reach += r
		weighted += r * pt.Credibility
	}
	if reach > 0 {
		rt.partnerWeight = weighted / reach
	}
	ev, learn := &m.params.Evidence, m.params.Satisfaction.Learning
	keep := func(weight float64) float64 {
		credence := 1.0
		if ev.Experience > 0 {
			credence = min(1, weight/ev.Experience)
		}
		return 1 - learn*credence
	}
	rc, irr := &m.params.Recall, &m.params.Irritation
	rt.recall = [kinds]float64{
		kindContent: rc.Content, kindPositive: rc.Peer, kindNegative: rc.Peer, kindShare: rc.Peer,
		kindPartner: rc.Partner, kindOptInPush: rc.Push, kindPush: rc.Push,
	}
	rt.evidence = [kinds]float64{
		kindContent: ev.Content * br.Pull.Usefulness, kindPositive: ev.Peer, kindShare: ev.Peer,
		kindPartner: rt.partnerWeight, kindOptInPush: ev.OptInPush, kindPush: ev.Push,
	}
	rt.negativeEvidence = ev.Negativity * ev.Peer
	rt.irritation = [kinds]float64{
		kindContent: -br.Pull.Soothing, kindOptInPush: irr.PerPush * irr.OptInFactor, kindPush: irr.PerPush,
	}
	// A message moves expectation as far as it is believed, which is its
	// weight as evidence; negative word moves trust only.
	for k, weight := range rt.evidence {
		if k != kindNegative {
			rt.keep[k] = makePowers(keep(weight))
		}
	}
	rt.distant = makePowers(1 - br.Pull.Gain*br.Pull.Usefulness)
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

// SetBrand replaces brand b's parameters from the next day on, as a
// teacher does when asking "what if the brand stops pushing?". The name
// may not change. The whole market is validated again.
func (m *Market) SetBrand(b int, br Brand) error {
	if b < 0 || b >= m.nb {
		return fmt.Errorf("sim: no brand %d", b)
	}
	if br.Name != m.params.Brands[b].Name {
		return &FieldError{Path: brandPath(b, m.params.Brands[b]) + ".name", Value: br.Name, Want: "the brand's name, which cannot change during a run"}
	}
	p := clone(&m.params)
	p.Brands[b] = br
	if err := p.Validate(); err != nil {
		return err
	}
	m.params = p
	m.setBrand(b, p.Brands[b])
	m.placePartnerAudiences()
	m.drawPriceSense()
	return nil
}

// Params returns the market's parameters as they stand; the caller must
// not change them (use SetBrand).
func (m *Market) Params() *Params { return &m.params }

// Day is the last simulated day: 0 before the first Step.
func (m *Market) Day() int { return m.day }

// Customers is the number of customers.
func (m *Market) Customers() int { return m.n }

// Metrics returns each brand's record of the last simulated day. The slice
// is reused by the next Step; copy it to keep it.
func (m *Market) Metrics() []DayMetrics { return m.metrics }

// CustomerView is one customer's standing with one brand, for pictures.
type CustomerView struct {
	Status     Status
	Aware      bool
	OptedIn    bool
	Blocked    bool
	Trust      float64
	Engagement float64
	Irritation float64
}

// View returns customer c's standing with brand b.
func (m *Market) View(c, b int) CustomerView {
	i := m.at(c, b)
	f := m.flags[i]
	return CustomerView{
		Status:     m.status[i],
		Aware:      f&flagAware != 0,
		OptedIn:    f&flagOptedIn != 0,
		Blocked:    f&flagBlocked != 0,
		Trust:      trust(m.trustPos[i], m.trustNeg[i]),
		Engagement: float64(m.engagement[i]),
		Irritation: float64(m.irritation[i]),
	}
}

// Current returns the brand customer c uses now, or -1.
func (m *Market) Current(c int) int { return int(m.current[c]) }

// at is the index of customer c's state about brand b.
func (m *Market) at(c, b int) int { return b*m.n + c }

// trust is the beta-reputation expectation (r+1)/(r+s+2).
func trust(r, s float32) float64 { return (float64(r) + 1) / (float64(r) + float64(s) + 2) }

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
	}
	m.needBound = min(m.needBound, needBoundFactor*float64(float32(p.Need.Rate)))
	m.publishSeeds()
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
		for b := range m.nb {
			m.publish(w, b, lo, hi)
		}
		m.handOver(w, ch)
	}
	m.swapMail()
	m.reduce()
}

// statusVoice is the voice bit that a status speaks with.
var statusVoice = [8]uint32{StatusAdvocate: 1 << voiceAdvocate, StatusDetractor: 1 << voiceDetractor}

// ifAware[f&flagAware] is 1 for a customer aware of the brand, else 0:
// mean trust among the aware is summed without a branch.
var ifAware = [flagAware + 1]float32{flagAware: 1}

// publish ends the day of the chunk's customers from lo to hi for brand
// b: voices not renewed by a purchase may fall silent, the day's
// mistakes reach them, their evidence, irritation and engagement fade,
// their word for tomorrow is sent, one-day flags are cleared and their
// end-of-day state is counted into the worker's totals.
func (m *Market) publish(w *worker, b, lo, hi int) {
	forget, retain, stay, shareAt := w.forget, w.retain, w.stay, w.shareAt
	br := &m.brands[b]
	first, last := m.at(lo, b), m.at(hi, b)
	bought := w.bought[:hi-lo]
	// Slices of one length let the compiler drop the bounds checks.
	flags := m.flags[first:last][:len(bought)]
	status := m.status[first:last][:len(bought)]
	trustPos := m.trustPos[first:last][:len(bought)]
	trustNeg := m.trustNeg[first:last][:len(bought)]
	irritation := m.irritation[first:last][:len(bought)]
	engagement := m.engagement[first:last][:len(bought)]
	a := &w.acc[b]
	mistakes := br.incident || br.exposed
	// An engaged member of a co-creation platform posts the brand's
	// content to its friends, even before it buys.
	posting := br.Pull.CoCreation > 0
	post := &w.post[b]
	voices := m.plan.voices[b]
	if m.complete {
		voices = 0
	}
	// The day's events, in customer order as the stream draws them.
	var posts int64
	for j := range bought {
		st := status[j]
		if (st == StatusAdvocate || st == StatusDetractor) && flags[j]&flagNewVoice == 0 && int(bought[j]) != b && w.fade.Hit(&w.src) {
			st = StatusCustomer
			status[j] = st
		}
		if mistakes {
			m.incidents(w, lo+j, b, a)
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
			m.speak(w, lo+j, b, v)
		}
	}
	// Fading and counting, in a loop of its own without branches.
	// byState counts customers by status and the flags counted, in one
	// index: a single increment, without branching on either.
	var byState [8 << 4]int32
	var trustAware, engaged, irritated float64
	for j := range bought {
		f := flags[j]
		byState[uint8(status[j]&7)<<4|f&(flagAware|flagOptedIn|flagBlocked|flagBought)]++
		r, s := trustPos[j]*forget, trustNeg[j]*forget
		trustPos[j], trustNeg[j] = r, s
		irr := irritation[j] * retain
		irritation[j] = irr
		e := engagement[j] * stay
		engagement[j] = e
		trustAware += float64((r + 1) / (r + s + 2) * ifAware[f&flagAware])
		engaged += float64(e)
		irritated += float64(irr)
	}
	for state, n := range byState {
		count, f := int64(n), uint8(state)
		a.byStatus[state>>4] += count
		a.aware += count * int64(f>>bitAware&1)
		a.adopters += count * int64(f>>bitBought&1)
		a.optedIn += count * int64(f>>bitOptedIn&1)
		a.blocked += count * int64(f>>bitBlocked&1)
	}
	a.posts += posts
	a.trustAware += trustAware
	a.engagement += engaged
	a.irritation += irritated
}

// reduce sums the chunks' totals in chunk order, so that sums of floats
// are the same whatever worker ran which chunk, and writes the day's
// metrics and the totals tomorrow depends on.
func (m *Market) reduce() {
	var totalPurchases int64
	for b := range m.brands {
		var t chunkTotals
		for ch := range m.chunks {
			a := &m.chunkAcc[ch*m.nb+b]
			t.aware += a.aware
			for st := range t.byStatus {
				t.byStatus[st] += a.byStatus[st]
			}
			t.adopters += a.adopters
			t.newAdoptions += a.newAdoptions
			t.posts += a.posts
			t.churnEvents += a.churnEvents
			t.purchases += a.purchases
			t.sent += a.sent
			for k := range t.kept {
				t.kept[k] += a.kept[k]
			}
			t.wasted += a.wasted
			t.ignored += a.ignored
			t.optedIn += a.optedIn
			t.blocked += a.blocked
			t.witnesses += a.witnesses
			t.compensated += a.compensated
			t.trustAware += a.trustAware
			t.engagement += a.engagement
			t.irritation += a.irritation
		}
		br := &m.brands[b]
		m.churned[b] += t.churnEvents
		meanTrust := 0.5
		if t.aware > 0 {
			meanTrust = t.trustAware / float64(t.aware)
		}
		m.metrics[b] = DayMetrics{
			Day:                  m.day,
			Aware:                t.aware,
			Customers:            t.customers(),
			Adopters:             t.adopters,
			NewAdoptions:         t.newAdoptions,
			Advocates:            t.byStatus[StatusAdvocate],
			Detractors:           t.byStatus[StatusDetractor],
			Churned:              m.churned[b],
			ChurnEvents:          t.churnEvents,
			Purchases:            t.purchases,
			ImpressionsSent:      t.sent,
			ImpressionsProcessed: t.kept[kindOptInPush] + t.kept[kindPush],
			ImpressionsWasted:    t.wasted,
			ContentPulled:        t.kept[kindContent],
			PartnerMessages:      t.kept[kindPartner],
			WOMPositive:          t.kept[kindPositive],
			WOMNegative:          t.kept[kindNegative],
			Shares:               t.kept[kindShare],
			MessagesIgnored:      t.ignored,
			OptedIn:              t.optedIn,
			Blocked:              t.blocked,
			MeanTrustAware:       meanTrust,
			MeanEngagement:       t.engagement / float64(m.n),
			MeanIrritation:       t.irritation / float64(m.n),
		}
		if br.incident {
			m.metrics[b].Incidents = 1
		}
		if br.exposed {
			m.metrics[b].IncidentsExposed = 1
		}
		br.pendingWitnesses += t.witnesses
		m.prev[b] = brandTotals{advocates: t.byStatus[StatusAdvocate], detractors: t.byStatus[StatusDetractor], posts: t.posts, optedIn: t.optedIn}
		if m.day > 0 {
			br.account(&m.metrics[b], m.day, &m.params.Money, dayMoney{purchases: t.purchases, sent: t.sent, posts: t.posts, compensated: t.compensated})
		}
		totalPurchases += t.purchases
	}
	for b := range m.metrics {
		if totalPurchases > 0 {
			m.metrics[b].PurchaseShare = float64(m.metrics[b].Purchases) / float64(totalPurchases)
		}
	}
}

// MemoryBytes estimates the memory of one Market for p, stepped by the
// given number of workers, without its graph: each worker has scratch
// space for the messages of one chunk, and the word of mouth in transit
// takes 2 bytes a message. A worker's piles of letters grow to what it
// sends in a day and keep their room, and which worker runs which chunk
// changes from day to day, so each worker may come to hold a whole day's
// word: it is counted as up to one message a day per customer and brand
// for each worker, today's and tomorrow's, which covers markets whose
// customers send fewer than that on average.
func MemoryBytes(p *Params, workers int) int64 {
	n, nb := int64(p.Customers), int64(len(p.Brands))
	perCustomer := int64(4 + 4 + 1)
	if pricesDiffer(p) {
		perCustomer += 4
	}
	perBrand := int64(5*4+1+1) + 2*2*int64(max(workers, 1))
	for _, b := range p.Brands {
		if len(b.Partners) > 0 {
			perBrand++
			break
		}
	}
	chunks := (n + ChunkSize - 1) / ChunkSize
	return n*perCustomer + n*nb*perBrand + chunks*nb*int64(unsafe.Sizeof(chunkTotals{})) +
		int64(max(workers, 1))*int64(unsafe.Sizeof(worker{}))
}
