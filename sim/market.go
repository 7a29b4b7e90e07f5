package sim

import (
	"fmt"
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
	// gapLeft[k] are the powers of the share of the gap between
	// expectation and what a message of kind k says that is left after
	// one message.
	gapLeft [kinds]powers
	// distant are the powers of the share of the distance to the brand's
	// close orbit left after one piece of content.
	distant powers
}

// NewMarket builds replicate number replicate of the market p on graph g,
// with every random draw derived from seed and replicate. The graph must
// have p.Customers nodes. Day 0 is the seeded state; Step runs day 1.
func NewMarket(p *Params, g *graph.Graph, seed uint64, replicate int) (*Market, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return newMarket(p, g, seed, replicate)
}

// newMarket is NewMarket for parameters already validated, which
// RunReplicates checks once for all its replicates.
func newMarket(p *Params, g *graph.Graph, seed uint64, replicate int) (*Market, error) {
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
	gapLeft := func(weight float64) float64 {
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
			rt.gapLeft[k] = makePowers(gapLeft(weight))
		}
	}
	rt.distant = makePowers(1 - br.Pull.Gain*br.Pull.Usefulness)
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

// Step simulates one day: the brands' day is planned, every chunk of
// customers goes through the day's submodels (stepChunk), the word sent
// today becomes tomorrow's, and the day is tallied.
func (m *Market) Step() {
	m.day++
	m.applyPlans()
	m.planBrands()
	m.pool.runDay()
	m.swapMail()
	m.tallyDay()
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
