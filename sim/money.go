package sim

import (
	"math"
	"math/rand/v2"

	"github.com/pushpull/pushpull/sim/internal/draw"
)

// Spend is money a day by marketing lever.
type Spend struct {
	Push, Content, Platform, Partners float64
}

// Total is the money of every lever together.
func (s Spend) Total() float64 { return s.Push + s.Content + s.Platform + s.Partners }

// ImpressionCost is what one of the brand's push impressions costs: a
// permission list's price when it pushes only to those who opted in, the
// broadcast price otherwise.
func (b *Brand) ImpressionCost() float64 {
	if b.Push.Targeting == TargetOptIn {
		return b.Push.OptInCost
	}
	return b.Push.Cost
}

// ContentPieceCost is what one piece of the brand's content costs: more
// useful content costs more than in proportion.
func (b *Brand) ContentPieceCost() float64 {
	return b.Pull.PieceCost * math.Pow(b.Pull.Usefulness, b.Pull.CostExponent)
}

// PlatformDailyCost is what the brand's platform costs a day to run; no
// platform costs nothing.
func (b *Brand) PlatformDailyCost() float64 {
	if b.Pull.Platform == PlatformNone || b.Pull.Platform == "" {
		return 0
	}
	return b.Pull.PlatformCost
}

// PartnerFees are the fees of all the brand's partners a day.
func (b *Brand) PartnerFees() float64 {
	var fees float64
	for _, pt := range b.Partners {
		fees += pt.Fee
	}
	return fees
}

// RateSpend is what the brand's per-lever rates cost a day in a market of
// the given number of customers, with push running at its full rate.
func (b *Brand) RateSpend(customers int) Spend {
	return Spend{
		Push:     b.Push.Rate * float64(customers) * b.ImpressionCost(),
		Content:  b.Pull.Content * b.ContentPieceCost(),
		Platform: b.PlatformDailyCost(),
		Partners: b.PartnerFees(),
	}
}

// MadeCost is what one unit of the brand's product costs to make: a
// better and steadier product than the reference costs more.
func (b *Brand) MadeCost(m *Money) float64 {
	return b.UnitCost * math.Exp(m.QualityCost*(b.Quality-ReferenceQuality)+m.ConsistencyCost*(b.Consistency-ReferenceConsistency))
}

// Levers are what a brand's money buys in a day: the rates the engine
// runs it at, the shares of its platform's effects and of its partners'
// reach that are paid for, and the money given to each lever.
type Levers struct {
	PushRate float64 // impressions a day per customer of the market
	Content  float64 // pieces of content a day
	// PlatformShare and PartnerShare are the shares of the platform's
	// running cost and of the partners' fees that the money covers, 0 to
	// 1: a platform with half its moderators has half its effects.
	PlatformShare, PartnerShare float64
	// Budget is the money a day the brand was given, 0 when it runs at
	// its per-lever rates.
	Budget float64
	// Allotted is the money a day given to each lever: its share of the
	// budget, or what its rate costs without a budget. Push may spend
	// less (the frequency cap), and so may a platform or partners whose
	// share is more than they cost.
	Allotted Spend
}

// Fund converts the brand's money into what it buys a day in a market of
// the given number of customers. equalBudget, when above 0, replaces the
// brand's own daily budget (Money.EqualBudget). A brand with neither
// daily money nor shares runs at its per-lever rates; one with shares
// and no money buys nothing. A budget without shares is split in the
// proportions the rates cost. A lever that costs nothing keeps its rate.
func (b *Brand) Fund(customers int, equalBudget float64) Levers {
	rates := b.RateSpend(customers)
	daily := b.Budget.Daily
	if equalBudget > 0 {
		daily = equalBudget
	}
	lv := Levers{PushRate: b.Push.Rate, Content: b.Pull.Content, PlatformShare: 1, PartnerShare: 1}
	shares := Spend{Push: b.Budget.Push, Content: b.Budget.Content, Platform: b.Budget.Platform, Partners: b.Budget.Partners}
	if daily <= 0 && shares.Total() == 0 {
		lv.Allotted = rates
		return lv
	}
	lv.Budget = daily
	if shares.Total() == 0 {
		if total := rates.Total(); total > 0 {
			shares = Spend{Push: rates.Push / total, Content: rates.Content / total,
				Platform: rates.Platform / total, Partners: rates.Partners / total}
		}
	}
	lv.Allotted = Spend{Push: daily * shares.Push, Content: daily * shares.Content,
		Platform: daily * shares.Platform, Partners: daily * shares.Partners}
	if c := b.ImpressionCost() * float64(customers); c > 0 {
		lv.PushRate = lv.Allotted.Push / c
	} else if shares.Push == 0 {
		lv.PushRate = 0
	}
	if c := b.ContentPieceCost(); c > 0 {
		lv.Content = lv.Allotted.Content / c
	} else if shares.Content == 0 {
		lv.Content = 0
	}
	if c := b.PlatformDailyCost(); c > 0 {
		lv.PlatformShare = min(1, lv.Allotted.Platform/c)
	}
	if c := b.PartnerFees(); c > 0 {
		lv.PartnerShare = min(1, lv.Allotted.Partners/c)
	}
	return lv
}

// Funded returns the brand as the engine runs it on the levers lv: push
// and content at the rates the money buys, the platform's effects and the
// partners' rates in the shares paid for.
func (b Brand) Funded(lv Levers) Brand {
	b.Push.Rate = lv.PushRate
	b.Pull.Content = lv.Content
	if lv.PlatformShare < 1 {
		s := lv.PlatformShare
		b.Pull.Gain *= s
		b.Pull.ReturnRate *= s
		b.Pull.CoCreation *= s
		b.Pull.Soothing *= s
	}
	if lv.PartnerShare < 1 && len(b.Partners) > 0 {
		b.Partners = append([]Partner(nil), b.Partners...)
		for k := range b.Partners {
			b.Partners[k].Rate *= lv.PartnerShare
		}
	}
	return b
}

// Leftover is the money a day of the levers lv that the brand cannot
// spend: push above the frequency cap when it broadcasts to everyone
// (impressions above the cap are never bought), a platform or partners
// given more than they cost, and money given to a lever that costs
// nothing. Push to a permission list is capped by how many opted in,
// which only a run shows (DayMetrics.Unspent).
func (b *Brand) Leftover(customers int, lv Levers) Spend {
	if lv.Budget <= 0 {
		return Spend{}
	}
	var left Spend
	cost := b.ImpressionCost() * float64(customers)
	switch {
	case cost == 0:
		left.Push = lv.Allotted.Push
	case b.Push.Targeting != TargetOptIn && b.Push.FrequencyCap > 0 && lv.PushRate > b.Push.FrequencyCap:
		left.Push = (lv.PushRate - b.Push.FrequencyCap) * cost
	}
	if b.ContentPieceCost() == 0 {
		left.Content = lv.Allotted.Content
	}
	left.Platform = max(0, lv.Allotted.Platform-b.PlatformDailyCost())
	left.Partners = max(0, lv.Allotted.Partners-b.PartnerFees())
	return left
}

// dayMoney is what a brand's day earned and cost, from the day's counts.
type dayMoney struct {
	purchases, sent, posts, compensated int64
}

// account writes the money of brand br's day into d: revenue and gross
// margin from purchases, spend by lever (push by impressions sent, the
// rest by what the day's levers cost), profit, money left unspent and
// the margin discounted to day 0 at the market's yearly rate.
func (br *brandRuntime) account(d *DayMetrics, day int, money *Money, n dayMoney) {
	purchases := float64(n.purchases)
	d.Revenue = purchases * br.Price
	d.Margin = purchases * (br.Price - br.madeCost)
	d.PushSpend = float64(n.sent) * br.impressionCost
	al := &br.funds.Allotted
	d.ContentSpend = al.Content
	d.PlatformSpend = min(al.Platform, br.platformCost)
	d.PartnerSpend = min(al.Partners, br.partnerFees)
	d.IncentiveSpend = float64(n.posts) * br.Pull.IncentiveCost
	d.CompensationSpend = float64(n.compensated) * br.Trust.Compensation
	d.Spend = d.PushSpend + d.ContentSpend + d.PlatformSpend + d.PartnerSpend + d.IncentiveSpend + d.CompensationSpend
	d.Profit = d.Margin - d.Spend
	if br.funds.Budget > 0 {
		d.Unspent = max(0, br.funds.Budget-(d.PushSpend+d.ContentSpend+d.PlatformSpend+d.PartnerSpend))
	}
	d.DiscountedMargin = d.Margin * math.Pow(1+money.DiscountRate, -float64(day)/365)
}

// brandMoney is what the engine derives from a brand's prices and costs
// when the brand is set.
type brandMoney struct {
	funds          Levers
	madeCost       float64 // what a unit costs to make
	impressionCost float64
	platformCost   float64
	partnerFees    float64
	// priceTerm is the utility a customer of price sensitivity 1 loses
	// by the brand's price: 0 at the reference price.
	priceTerm float64
}

func (br *brandRuntime) setMoney(funds Levers, p *Params) {
	br.brandMoney = brandMoney{
		funds:          funds,
		madeCost:       br.MadeCost(&p.Money),
		impressionCost: br.ImpressionCost(),
		platformCost:   br.PlatformDailyCost(),
		partnerFees:    br.PartnerFees(),
		priceTerm:      p.Choice.Price * (br.Price/p.Money.ReferencePrice - 1),
	}
}

// priceStreamDay numbers the random stream of customers' price
// sensitivities, apart from every day's stream, so that drawing them
// changes no other draw.
const priceStreamDay = -2

// pricesDiffer reports whether any brand, now or in a planned change, has
// a price term in the choice: only then do customers need sensitivities.
func pricesDiffer(p *Params) bool {
	if p.Choice.Price == 0 {
		return false
	}
	for _, b := range p.Brands {
		if b.Price != p.Money.ReferencePrice {
			return true
		}
	}
	for _, c := range p.Changes {
		if c.Params.Price != p.Money.ReferencePrice {
			return true
		}
	}
	return false
}

// drawPriceSense draws every customer's price sensitivity, from a gamma
// distribution of mean 1, the first time a brand's price has a term in
// the choice.
func (m *Market) drawPriceSense() {
	if m.priceSense != nil || !pricesDiffer(&m.params) {
		return
	}
	m.priceSense = make([]float32, m.n)
	shape := m.params.Choice.PriceShape
	var src draw.Source
	r := rand.New(&src)
	for ch := range m.chunks {
		m.stream(&src, priceStreamDay, ch)
		for c := ch * ChunkSize; c < min((ch+1)*ChunkSize, m.n); c++ {
			m.priceSense[c] = 1
			if shape > 0 {
				m.priceSense[c] = float32(draw.Gamma(r, shape, 1/shape))
			}
		}
	}
}

// applyPlans makes the brands' planned changes that fall due today.
func (m *Market) applyPlans() {
	changes := m.params.Changes
	for m.nextChange < len(changes) && changes[m.nextChange].Day <= m.day {
		c := changes[m.nextChange]
		m.nextChange++
		br := c.Params
		br.Partners = append([]Partner(nil), br.Partners...)
		m.params.Brands[c.Brand] = br
		m.setBrand(c.Brand, br)
		m.placePartnerAudiences()
	}
}
