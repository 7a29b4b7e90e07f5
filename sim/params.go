package sim

import (
	"fmt"
	"math"
)

// MaxBrands is the largest number of brands a market may hold: a customer's
// public state (advocate, detractor, sharer, new advocate) for every brand is
// packed into one 32-bit word that neighbours read every day.
const MaxBrands = 8

// MaxPartners is the largest number of partners a brand may have: a
// customer's memberships of a brand's partner audiences fit in one byte.
const MaxPartners = 8

// Params are the parameters of one market: how its customers behave, which
// is the same whatever brand they meet, and the brands that compete for them.
// The scenario key of each field is its toml tag path; ParamDocs documents
// every key with its unit, range, default and source.
type Params struct {
	Customers    int          `toml:"customers"`
	Attention    Attention    `toml:"attention"`
	Need         Need         `toml:"need"`
	Evidence     Evidence     `toml:"evidence"`
	Recall       Recall       `toml:"recall"`
	WordOfMouth  WordOfMouth  `toml:"word_of_mouth"`
	Irritation   Irritation   `toml:"irritation"`
	Engagement   Engagement   `toml:"engagement"`
	Choice       Choice       `toml:"choice"`
	Satisfaction Satisfaction `toml:"satisfaction"`
	Churn        Churn        `toml:"churn"`
	OptIn        OptIn        `toml:"opt_in"`
	Incidents    Incidents    `toml:"incidents"`
	Money        Money        `toml:"money"`
	Brands       []Brand      `toml:"brand"`
	// Changes are the brands' plans that change on given days, in day
	// order; a scenario's [[schedule]] fills them.
	Changes []BrandChange `toml:"-"`
}

// BrandChange replaces brand Brand's parameters with Params from day Day
// on, as a strategist's plan does ("from day 90, move 40% of the ad money
// to content").
type BrandChange struct {
	Day    int
	Brand  int
	Params Brand
}

// Attention is how many brand messages a customer can process in a day.
// Capacities differ between customers: each is drawn once from a gamma
// distribution with the given mean and shape and rounded to the nearest
// whole message, at least one.
type Attention struct {
	Unlimited bool    `toml:"unlimited"`
	Capacity  float64 `toml:"capacity"`
	Shape     float64 `toml:"shape"`
}

// Need is how often a customer has a purchase occasion. Each customer's
// daily rate is drawn once from a gamma distribution with mean Rate and the
// given shape; Shape 0 gives every customer the mean.
type Need struct {
	Rate  float64 `toml:"rate"`
	Shape float64 `toml:"shape"`
}

// Evidence weighs what a customer learns about a brand, in the
// beta-reputation model of Josang & Ismail (2002): trust is (r+1)/(r+s+2)
// from positive evidence r and negative evidence s, both discounted daily
// by Forgetting.
type Evidence struct {
	Peer       float64 `toml:"peer"`
	Partner    float64 `toml:"partner"`
	Content    float64 `toml:"content"`
	OptInPush  float64 `toml:"opt_in_push"`
	Push       float64 `toml:"push"`
	Experience float64 `toml:"experience"`
	Negativity float64 `toml:"negativity"`
	Forgetting float64 `toml:"forgetting"`
}

// Recall is the chance that one processed message makes a customer who had
// not heard of a brand aware of it, by the message's source. The chances of
// the day's messages add up (capped at 1), which is the discrete form of the
// Bass hazard p + qF.
type Recall struct {
	Peer    float64 `toml:"peer"`
	Partner float64 `toml:"partner"`
	Content float64 `toml:"content"`
	Push    float64 `toml:"push"`
}

// WOMMode says how advocates talk.
type WOMMode string

const (
	// WOMOngoing: every day an advocate sends Rate messages on average,
	// spread over its ties.
	WOMOngoing WOMMode = "ongoing"
	// WOMOnce: an advocate tells each friend once, on the day after it
	// became an advocate, with probability Transmissibility; word of mouth
	// is then an independent cascade.
	WOMOnce WOMMode = "once"
)

// WordOfMouth is how advocates and detractors talk to their peers.
type WordOfMouth struct {
	Mode             WOMMode `toml:"mode"`
	Rate             float64 `toml:"rate"`
	NegativeRate     float64 `toml:"negative_rate"`
	Transmissibility float64 `toml:"transmissibility"`
}

// Irritation is what unsolicited push does to a customer: each processed
// impression adds PerPush (OptInFactor times that when the customer asked
// for it); irritation keeps the share Retention from one day to the next;
// past Threshold the customer blocks the brand for good.
type Irritation struct {
	PerPush     float64 `toml:"per_push"`
	OptInFactor float64 `toml:"opt_in_factor"`
	Threshold   float64 `toml:"threshold"`
	Retention   float64 `toml:"retention"`
}

// Engagement is how close a customer orbits a brand, from 0 (far) to 1
// (in close orbit). Content raises it, and so does a satisfying purchase
// (OnPurchase of the distance left); it fades by Decay a day; customers at
// or above ShareAt post the brand's content to their friends when its
// platform invites co-creation.
type Engagement struct {
	OnPurchase float64 `toml:"on_purchase"`
	Decay      float64 `toml:"decay"`
	ShareAt    float64 `toml:"share_at"`
}

// Choice is the multinomial logit a customer with a need uses to choose
// among the brands it knows and has not blocked, or buy nothing. A brand's
// utility is Trust*(trust-1/2) + Quality*expected quality +
// Engagement*engagement - Irritation*irritation - Price*sensitivity*(price
// / money.reference_price - 1), plus Loyalty for the brand the customer
// uses now; buying nothing has utility Outside. Each customer's price
// sensitivity is drawn once from a gamma distribution with mean 1 and
// shape PriceShape (0: every customer 1). A brand at the reference price
// meets no price term, so what a brand can charge for the same share
// rises with its trust and quality.
type Choice struct {
	Trust      float64 `toml:"trust"`
	Quality    float64 `toml:"quality"`
	Engagement float64 `toml:"engagement"`
	Irritation float64 `toml:"irritation"`
	Loyalty    float64 `toml:"loyalty"`
	Outside    float64 `toml:"outside"`
	Price      float64 `toml:"price"`
	PriceShape float64 `toml:"price_shape"`
}

// Satisfaction turns experience against expectation into advocacy: a
// purchase whose experienced quality is no more than Tolerance below what
// the customer expected satisfies, and makes an advocate with probability
// Advocacy; one further below disappoints, and makes a detractor with
// probability Detraction. Advocates and detractors fall silent with
// probability VoiceFade a day.
type Satisfaction struct {
	Tolerance  float64 `toml:"tolerance"`
	Advocacy   float64 `toml:"advocacy"`
	Detraction float64 `toml:"detraction"`
	VoiceFade  float64 `toml:"voice_fade"`
	Learning   float64 `toml:"learning"`
}

// Churn is the daily hazard that a current customer leaves its brand:
// Base, plus Detractor for a detractor, plus Irritation times its
// irritation, plus Distrust times how far its trust fell below neutral
// (2*(1/2 - trust) when positive).
type Churn struct {
	Base       float64 `toml:"base"`
	Detractor  float64 `toml:"detractor"`
	Irritation float64 `toml:"irritation"`
	Distrust   float64 `toml:"distrust"`
}

// OptIn is how customers ask for a brand's push: each day an aware customer
// who has not blocked the brand opts in with probability Rate times its
// engagement, and a satisfied purchase opts in with probability OnPurchase.
type OptIn struct {
	Rate       float64 `toml:"rate"`
	OnPurchase float64 `toml:"on_purchase"`
}

// Incidents are a brand's mistakes, and the transparent window of social
// media. A customer who meets an incident gains Harm negative evidence
// (times AdmitFactor when the brand admits it at once). A hidden incident
// is found out each day with probability 1-(1-Discovery)^w after w
// customers met it; then every aware customer who hears the news
// (probability NewsReach) gains Exposure times Harm negative evidence, and
// those who met it become detractors with probability Detraction.
type Incidents struct {
	Harm        float64 `toml:"harm"`
	AdmitFactor float64 `toml:"admit_factor"`
	Discovery   float64 `toml:"discovery"`
	Exposure    float64 `toml:"exposure"`
	NewsReach   float64 `toml:"news_reach"`
}

// Money is how a market counts money: the currency it names, the yearly
// discount rate of lifetime value, the reference price customers compare
// prices with, how much a better and steadier product costs to make, and
// the budget every brand may be held to.
type Money struct {
	Currency       string  `toml:"currency"`
	DiscountRate   float64 `toml:"discount_rate"`
	ReferencePrice float64 `toml:"reference_price"`
	// A unit costs brand.unit_cost times exp(QualityCost*(quality -
	// ReferenceQuality) + ConsistencyCost*(consistency -
	// ReferenceConsistency)).
	QualityCost     float64 `toml:"quality_cost"`
	ConsistencyCost float64 `toml:"consistency_cost"`
	// EqualBudget, when above 0, is the money a day every brand spends on
	// its levers, in the shares of its budget or, without shares, in the
	// proportions its per-lever rates cost: the same money, different
	// strategies.
	EqualBudget float64 `toml:"equal_budget"`
}

// The product at which brand.unit_cost is what a unit costs: the quality
// and consistency of the strategy presets.
const (
	ReferenceQuality     = 0.6
	ReferenceConsistency = 0.7
)

// Targeting says who a brand's push goes to.
type Targeting string

const (
	TargetEveryone Targeting = "everyone" // broadcast, unsolicited for most
	TargetOptIn    Targeting = "opt_in"   // only customers who asked for it
)

// Platform is the kind of engagement platform a brand's pull runs on
// (Bonchek's orbit strategies: content, conversation, collaboration,
// contribution, commerce, curation).
type Platform string

const (
	PlatformNone          Platform = "none"
	PlatformContent       Platform = "content"
	PlatformConversation  Platform = "conversation"
	PlatformCollaboration Platform = "collaboration"
	PlatformContribution  Platform = "contribution"
	PlatformCommerce      Platform = "commerce"
	PlatformCuration      Platform = "curation"
)

// Platforms lists the platforms in documentation order.
var Platforms = []Platform{PlatformNone, PlatformContent, PlatformConversation, PlatformCollaboration,
	PlatformContribution, PlatformCommerce, PlatformCuration}

// Response is what a brand does when it makes a mistake.
type Response string

const (
	ResponseAdmit Response = "admit" // say so openly, at once
	ResponseHide  Response = "hide"  // say nothing, until found out
)

// Brand is one competitor: its product and its strategy mix.
type Brand struct {
	Name     string `toml:"name"`
	Strategy string `toml:"strategy"`
	// Quality is what the product delivers on average, 0 to 1.
	Quality float64 `toml:"quality"`
	// Consistency narrows the spread of what customers experience: the
	// experienced quality is normal around Quality with standard deviation
	// QualitySpreadMax*(1-Consistency).
	Consistency float64 `toml:"consistency"`
	// Price is what a customer pays for one purchase, UnitCost what one
	// unit of the reference product costs the brand to make.
	Price         float64 `toml:"price"`
	UnitCost      float64 `toml:"unit_cost"`
	SeedCustomers float64 `toml:"seed_customers"`
	SeedAdvocates float64 `toml:"seed_advocates"`
	SeedAware     float64 `toml:"seed_aware"`
	Push          Push    `toml:"push"`
	Pull          Pull    `toml:"pull"`
	Trust         Trust   `toml:"trust"`
	// Budget, when its daily money is above 0, replaces the per-lever
	// rates: the money buys impressions, content, platform days and
	// partner days at their costs.
	Budget Budget `toml:"budget"`
	// Partners lend the brand reach and credibility.
	Partners []Partner `toml:"partner"`
}

// QualitySpreadMax is the standard deviation of experienced quality of a
// brand with consistency 0.
const QualitySpreadMax = 0.3

// Push is a brand's broadcast advertising.
type Push struct {
	// Rate is impressions a day per customer of the market: 1 means as
	// many impressions a day as there are customers.
	Rate float64 `toml:"rate"`
	// Cost is the price of one broadcast impression, OptInCost of one to
	// a permission list (targeting opt_in).
	Cost         float64   `toml:"cost"`
	OptInCost    float64   `toml:"opt_in_cost"`
	Targeting    Targeting `toml:"targeting"`
	Overclaim    float64   `toml:"overclaim"`
	FrequencyCap float64   `toml:"frequency_cap"`
}

// Pull is a brand's content and engagement platform.
type Pull struct {
	Content         float64  `toml:"content"`
	Usefulness      float64  `toml:"usefulness"`
	Platform        Platform `toml:"platform"`
	Discoverability float64  `toml:"discoverability"`
	// A piece of content costs PieceCost times usefulness to the power
	// CostExponent: expert content costs more, and more than in
	// proportion. IncentiveCost is paid for every post of a co-creating
	// member.
	PieceCost     float64 `toml:"piece_cost"`
	CostExponent  float64 `toml:"cost_exponent"`
	IncentiveCost float64 `toml:"incentive_cost"`
	// The platform's effects and daily running cost. The scenario fills them from the platform's
	// preset (PlatformPreset) unless set explicitly.
	Gain       float64 `toml:"gain"`
	ReturnRate float64 `toml:"return_rate"`
	CoCreation float64 `toml:"co_creation"`
	Soothing   float64 `toml:"soothing"`
	// PlatformCost is the money a day the platform takes to run.
	PlatformCost float64 `toml:"platform_cost"`
}

// Trust is how a brand deals with its mistakes. An admitted mistake costs
// Compensation for every customer who met it; a hidden one costs nothing.
type Trust struct {
	IncidentRate  float64  `toml:"incident_rate"`
	IncidentReach float64  `toml:"incident_reach"`
	Response      Response `toml:"response"`
	Compensation  float64  `toml:"compensation"`
}

// Budget is a brand's marketing money a day and the shares of it that go
// to each lever; shares that sum to less than 1 leave the rest unspent.
// With every share 0 the money is split in the proportions the brand's
// per-lever rates cost. An optimiser sets the shares as numbers.
type Budget struct {
	Daily    float64 `toml:"daily"`
	Push     float64 `toml:"push"`
	Content  float64 `toml:"content"`
	Platform float64 `toml:"platform"`
	Partners float64 `toml:"partners"`
}

// Partner is a brand or community that lends a brand its audience: each day
// every member of the audience (the share Audience of all customers, the
// same members throughout a run) meets the brand's content with probability
// Rate, and that evidence weighs Credibility instead of the brand's own.
type Partner struct {
	Name        string  `toml:"name"`
	Audience    float64 `toml:"audience"`
	Rate        float64 `toml:"rate"`
	Credibility float64 `toml:"credibility"`
	// Fee is what the partner charges a day.
	Fee float64 `toml:"fee"`
}

// PlatformEffects are what an engagement platform does to the customers
// who use it.
type PlatformEffects struct {
	Gain       float64 // engagement gained per piece of content processed, times usefulness
	ReturnRate float64 // visits a day per unit of engagement and of content volume
	CoCreation float64 // daily chance an engaged customer posts the brand's content to all its friends
	Soothing   float64 // irritation removed per visit: the brand listens
	DailyCost  float64 // money a day to run it: moderators, hosting, curation
}

// PlatformPreset returns the documented effects of a platform type. They
// are assumptions (no published estimates exist); their ordering follows
// Bonchek (2012): content informs, conversation listens, collaboration and
// contribution make members co-creators who bring their friends, commerce
// converts, curation brings people back. Running costs are assumptions
// too: communities where members talk or build need moderators, curation
// is cheap.
func PlatformPreset(p Platform) (PlatformEffects, error) {
	switch p {
	case PlatformNone:
		return PlatformEffects{}, nil
	case PlatformContent:
		return PlatformEffects{Gain: 0.10, ReturnRate: 0.30, CoCreation: 0.005, Soothing: 0, DailyCost: 10}, nil
	case PlatformConversation:
		return PlatformEffects{Gain: 0.15, ReturnRate: 0.40, CoCreation: 0.015, Soothing: 0.10, DailyCost: 25}, nil
	case PlatformCollaboration:
		return PlatformEffects{Gain: 0.20, ReturnRate: 0.30, CoCreation: 0.03, Soothing: 0.05, DailyCost: 25}, nil
	case PlatformContribution:
		return PlatformEffects{Gain: 0.25, ReturnRate: 0.25, CoCreation: 0.05, Soothing: 0.05, DailyCost: 27}, nil
	case PlatformCommerce:
		return PlatformEffects{Gain: 0.05, ReturnRate: 0.35, CoCreation: 0.00, Soothing: 0, DailyCost: 15}, nil
	case PlatformCuration:
		return PlatformEffects{Gain: 0.10, ReturnRate: 0.50, CoCreation: 0.02, Soothing: 0, DailyCost: 5}, nil
	}
	return PlatformEffects{}, fmt.Errorf("sim: unknown platform %q (want one of %v)", p, Platforms)
}

// Apply sets the pull's platform effects from the preset of its platform.
func (p *Pull) Apply(e PlatformEffects) {
	p.Gain, p.ReturnRate, p.CoCreation, p.Soothing = e.Gain, e.ReturnRate, e.CoCreation, e.Soothing
	p.PlatformCost = e.DailyCost
}

// Strategies lists the strategy presets a brand can start from.
var Strategies = []string{"push", "pull", "trust"}

// StrategyPreset returns a brand filled with the documented preset of a
// strategy: "push" (broadcast to everyone, claims a little above the
// product, hides mistakes), "pull" (content on a conversation platform,
// push only to those who ask) or "trust" (honest claims, consistent
// product, a contribution platform, mistakes admitted). Every brand starts
// with the same quality, so that outcomes differ by strategy alone.
func StrategyPreset(strategy string) (Brand, error) {
	b := Brand{
		Strategy:    strategy,
		Quality:     ReferenceQuality,
		Consistency: ReferenceConsistency,
		Price:       DefaultPrice,
		UnitCost:    3,
		Push:        Push{Cost: 0.005, OptInCost: 0.005, Targeting: TargetEveryone, FrequencyCap: 3},
		Pull: Pull{Platform: PlatformNone, Usefulness: 0.5, Discoverability: 0.3,
			PieceCost: 20, CostExponent: 2, IncentiveCost: 0.1},
		Trust: Trust{IncidentRate: 0.004, IncidentReach: 0.2, Response: ResponseHide, Compensation: DefaultPrice},
	}
	switch strategy {
	case "push":
		b.Push.Rate = 1.0
		b.Push.Overclaim = 0.1
	case "pull":
		b.Push.Rate = 0.1
		b.Push.Targeting = TargetOptIn
		b.Push.Overclaim = 0.05
		b.Pull.Content = 2
		b.Pull.Usefulness = 0.7
		b.Pull.Platform = PlatformConversation
		b.Trust.Response = ResponseAdmit
	case "trust":
		b.Consistency = 0.9
		b.Push.Rate = 0.2
		b.Push.Targeting = TargetOptIn
		b.Pull.Content = 1
		b.Pull.Usefulness = 0.8
		b.Pull.Platform = PlatformContribution
		b.Trust.Response = ResponseAdmit
	case "":
		b.Strategy = ""
	default:
		return Brand{}, fmt.Errorf("sim: unknown strategy %q (want push, pull or trust)", strategy)
	}
	e, _ := PlatformPreset(b.Pull.Platform)
	b.Pull.Apply(e)
	return b, nil
}

// DefaultPrice is every brand's price unless a file says otherwise, and
// the reference price customers compare prices with.
const DefaultPrice = 5

// DefaultParams returns the market defaults, with no brands. Sources and
// assumptions are in ParamDocs.
func DefaultParams() Params {
	return Params{
		Customers: 10000,
		Attention: Attention{Capacity: 6, Shape: 4},
		Need:      Need{Rate: 1.0 / 30, Shape: 2},
		Evidence: Evidence{
			Peer: 1.0, Partner: 0.7, Content: 0.5, OptInPush: 0.3, Push: 0.15,
			Experience: 2.0, Negativity: 2.0, Forgetting: 0.99,
		},
		Recall:       Recall{Peer: 0.3, Partner: 0.2, Content: 0.2, Push: 0.03},
		WordOfMouth:  WordOfMouth{Mode: WOMOngoing, Rate: 0.2, NegativeRate: 0.3, Transmissibility: 0.5},
		Irritation:   Irritation{PerPush: 0.04, OptInFactor: 0.2, Threshold: 1.0, Retention: 0.9},
		Engagement:   Engagement{OnPurchase: 0.2, Decay: 0.02, ShareAt: 0.5},
		Choice:       Choice{Trust: 3, Quality: 3, Engagement: 1, Irritation: 1.5, Loyalty: 2.5, Outside: 1, Price: 3, PriceShape: 4},
		Satisfaction: Satisfaction{Tolerance: 0.1, Advocacy: 0.2, Detraction: 0.4, VoiceFade: 0.02, Learning: 0.3},
		Churn:        Churn{Base: 0.0005, Detractor: 0.01, Irritation: 0.005, Distrust: 0.01},
		OptIn:        OptIn{Rate: 0.02, OnPurchase: 0.2},
		Incidents:    Incidents{Harm: 2, AdmitFactor: 0.5, Discovery: 0.002, Exposure: 3, NewsReach: 0.5},
		Money: Money{Currency: "$", DiscountRate: 0.12, ReferencePrice: DefaultPrice,
			QualityCost: 1, ConsistencyCost: 0.5},
	}
}

// A FieldError is an invalid parameter: its key path (as in a scenario
// file, brands as brand.NAME.key), the value found and what was expected.
type FieldError struct {
	Path  string
	Value any
	Want  string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("sim: %s = %v: want %s", e.Path, e.Value, e.Want)
}

// Errors is every problem found in a Params, in key order.
type Errors []*FieldError

func (es Errors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	s := fmt.Sprintf("sim: %d invalid parameters:", len(es))
	for _, e := range es {
		s += "\n\t" + e.Error()
	}
	return s
}

// Validate checks every parameter against its documented range
// (ParamDocs) and the relations between them, and returns all problems as
// Errors, or nil.
func (p *Params) Validate() error {
	var errs Errors
	walkParams(p, func(path, key string, v any) {
		doc, ok := paramDocIndex()[key]
		if !ok {
			return
		}
		if e := doc.check(path, v); e != nil {
			errs = append(errs, e)
		}
	})
	if p.Money.Currency == "" || len(p.Money.Currency) > 8 {
		errs = append(errs, &FieldError{Path: "money.currency", Value: fmt.Sprintf("%q", p.Money.Currency), Want: "a currency unit of 1 to 8 bytes, such as \"$\" or \"EUR\""})
	}
	for i, c := range p.Changes {
		if c.Brand < 0 || c.Brand >= len(p.Brands) {
			errs = append(errs, &FieldError{Path: "schedule", Value: c.Brand, Want: fmt.Sprintf("a brand from 0 to %d", len(p.Brands)-1)})
		} else if c.Params.Name != p.Brands[c.Brand].Name {
			errs = append(errs, &FieldError{Path: "schedule", Value: c.Params.Name, Want: "the brand's own name, which a plan cannot change"})
		}
		if c.Day < 1 || (i > 0 && c.Day < p.Changes[i-1].Day) {
			errs = append(errs, &FieldError{Path: "schedule", Value: c.Day, Want: "days from 1 on, in order"})
		}
		if c.Brand >= 0 && c.Brand < len(p.Brands) && c.Params.Name == p.Brands[c.Brand].Name {
			planned := clone(p)
			planned.Changes = nil
			planned.Brands[c.Brand] = c.Params
			if err := planned.Validate(); err != nil {
				for _, e := range err.(Errors) {
					errs = append(errs, &FieldError{Path: fmt.Sprintf("schedule(day %d).%s", c.Day, e.Path), Value: e.Value, Want: e.Want})
				}
			}
		}
	}
	if len(p.Brands) == 0 {
		errs = append(errs, &FieldError{Path: "brand", Value: "none", Want: "at least one [[brand]]"})
	}
	if len(p.Brands) > MaxBrands {
		errs = append(errs, &FieldError{Path: "brand", Value: len(p.Brands), Want: fmt.Sprintf("at most %d brands", MaxBrands)})
	}
	seen := map[string]bool{}
	for i, b := range p.Brands {
		path := brandPath(i, b)
		if b.Name == "" {
			errs = append(errs, &FieldError{Path: path + ".name", Value: `""`, Want: "a name"})
		} else if seen[b.Name] {
			// By index: the name would point at the first brand of that name.
			errs = append(errs, &FieldError{Path: fmt.Sprintf("brand[%d].name", i), Value: b.Name, Want: "a name no other brand has"})
		}
		seen[b.Name] = true
		if len(b.Partners) > MaxPartners {
			errs = append(errs, &FieldError{Path: path + ".partner", Value: len(b.Partners), Want: fmt.Sprintf("at most %d partners", MaxPartners)})
		}
		pseen := map[string]bool{}
		for k, pt := range b.Partners {
			switch {
			case pt.Name == "":
				errs = append(errs, &FieldError{Path: fmt.Sprintf("%s.partner[%d].name", path, k), Value: `""`, Want: "a name"})
			case pseen[pt.Name]:
				errs = append(errs, &FieldError{Path: path + ".partner." + pt.Name + ".name", Value: pt.Name, Want: "a name no other partner of the brand has"})
			}
			pseen[pt.Name] = true
		}
		if e := b.Budget.check(path); e != nil {
			errs = append(errs, e)
		}
		if b.SeedAdvocates > b.SeedCustomers {
			errs = append(errs, &FieldError{Path: path + ".seed_advocates", Value: b.SeedAdvocates,
				Want: fmt.Sprintf("at most seed_customers (%v): advocates are customers", b.SeedCustomers)})
		}
	}
	var seeded float64
	for _, b := range p.Brands {
		seeded += b.SeedCustomers
	}
	if seeded > 1+1e-9 {
		errs = append(errs, &FieldError{Path: "brand.*.seed_customers", Value: seeded,
			Want: "a total of at most 1: a customer uses one brand at a time"})
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// check reports budget shares that sum to more than 1, at the share that
// takes the sum past it; shares out of their own range are reported as
// such, not again here.
func (bu *Budget) check(path string) *FieldError {
	shares := []struct {
		key   string
		share float64
	}{{"push", bu.Push}, {"content", bu.Content}, {"platform", bu.Platform}, {"partners", bu.Partners}}
	var sum float64
	over := ""
	for _, s := range shares {
		if s.share < 0 || s.share > 1 {
			return nil
		}
		sum += s.share
		if sum > 1+1e-9 && over == "" {
			over = s.key
		}
	}
	if over == "" {
		return nil
	}
	return &FieldError{Path: path + ".budget." + over, Value: math.Round(sum*1e9) / 1e9,
		Want: "budget shares (push, content, platform, partners) that sum to at most 1"}
}

func brandPath(i int, b Brand) string {
	if b.Name != "" {
		return "brand." + b.Name
	}
	return fmt.Sprintf("brand[%d]", i)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
