package sim

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
)

// A ParamDoc documents one parameter: its key (the path of toml tags from
// Params; brand keys start with "brand." and partner keys with
// "brand.partner."), what it means, its unit, its allowed range or values,
// and where its default comes from. It is the one place a parameter is
// documented: `pushpull help scenario`, the README's parameter reference,
// validation messages and the scenario template are all rendered from it.
type ParamDoc struct {
	Key    string
	Doc    string
	Unit   string
	Min    float64 // inclusive; NaN when unbounded
	Max    float64 // inclusive; NaN when unbounded
	Values []string
	// Source cites the published figure behind the default, or says
	// "assumption" and why.
	Source string
}

var nan = math.NaN()

const assumption = "assumption"

// ParamDocs lists every parameter in the order of a scenario file.
var ParamDocs = []ParamDoc{
	{Key: "customers", Doc: "Customers in the market. With a graph read from an edge list, its node count.", Unit: "customers", Min: 1, Max: 50_000_000,
		Source: "assumption: large enough that replicate noise is small, small enough to run in seconds"},

	{Key: "attention.unlimited", Doc: "Process every message, however many arrive (for docking with diffusion models).", Source: assumption},
	{Key: "attention.capacity", Doc: "Mean brand messages of this category a customer can process in a day; the rest are ignored and counted as wasted.", Unit: "messages/day", Min: 1, Max: 10000,
		Source: "assumption; limited attention alone shapes what spreads (Weng et al. 2012)"},
	{Key: "attention.shape", Doc: "Gamma shape of capacity across customers: higher means customers are more alike.", Min: 0.1, Max: 1000, Source: assumption},

	{Key: "need.rate", Doc: "Mean purchase occasions a day; each occasion the customer chooses a brand or buys nothing.", Unit: "occasions/day", Min: 0, Max: 1, Source: "assumption: a monthly purchase"},
	{Key: "need.shape", Doc: "Gamma shape of need rates across customers; 0 gives every customer the mean.", Min: 0, Max: 1000, Source: assumption},

	{Key: "evidence.peer", Doc: "Trust evidence from one message of a peer (advocate, detractor or shared content).", Unit: "evidence", Min: 0, Max: 100,
		Source: "ordering from Nielsen (2015): 83% trust people they know; Trusov et al. (2009): word of mouth 20-30x as effective as marketing"},
	{Key: "evidence.partner", Doc: "Trust evidence from one message met through a partner.", Unit: "evidence", Min: 0, Max: 100, Source: "assumption between peers and owned content"},
	{Key: "evidence.content", Doc: "Trust evidence from one piece of the brand's own content, times its usefulness.", Unit: "evidence", Min: 0, Max: 100, Source: "ordering from Nielsen (2015): 70% trust branded websites"},
	{Key: "evidence.opt_in_push", Doc: "Trust evidence from one push impression the customer asked for.", Unit: "evidence", Min: 0, Max: 100, Source: "ordering from Nielsen (2015): 56% trust emails they signed up for; DESIGN order puts it above broadcast"},
	{Key: "evidence.push", Doc: "Trust evidence from one unsolicited push impression.", Unit: "evidence", Min: 0, Max: 100, Source: "ordering from Nielsen (2015): broadcast ads trusted least"},
	{Key: "evidence.experience", Doc: "Trust evidence from one's own purchase, positive when satisfied, negative when disappointed.", Unit: "evidence", Min: 0, Max: 100, Source: "assumption: experience outweighs any message"},
	{Key: "evidence.negativity", Doc: "Negative evidence counts this many times positive evidence (trust asymmetry).", Min: 1, Max: 20,
		Source: "Slovic (1993) trust asymmetry; the ratio is an assumption, report sensitivity to it"},
	{Key: "evidence.forgetting", Doc: "Share of trust evidence kept from one day to the next (the forgetting factor lambda).", Min: 0, Max: 1, Source: "Josang & Ismail (2002) forgetting factor; 0.99 a day (half-life 69 days) is an assumption"},

	{Key: "recall.peer", Doc: "Chance one processed peer message makes an unaware customer aware; the day's chances add up, capped at 1.", Unit: "probability", Min: 0, Max: 1, Source: assumption},
	{Key: "recall.partner", Doc: "Chance one processed partner message makes an unaware customer aware.", Unit: "probability", Min: 0, Max: 1, Source: assumption},
	{Key: "recall.content", Doc: "Chance one processed piece of content makes an unaware customer aware.", Unit: "probability", Min: 0, Max: 1, Source: assumption},
	{Key: "recall.push", Doc: "Chance one processed push impression makes an unaware customer aware. Bass's p is push.rate times this.", Unit: "probability", Min: 0, Max: 1,
		Source: "Bass p = 0.03 per period (Sultan, Farley & Lehmann 1990) at one impression per customer a day"},

	{Key: "word_of_mouth.mode", Doc: "How advocates talk: \"ongoing\" (every day) or \"once\" (each friend once, the day after becoming an advocate: an independent cascade).", Values: []string{string(WOMOngoing), string(WOMOnce)}, Source: "Goldenberg, Libai & Muller (2001); Newman (2002) for the cascade"},
	{Key: "word_of_mouth.rate", Doc: "Messages an advocate sends a day, spread over its ties (to random customers when fully mixed). Bass's q is this times recall.peer.", Unit: "messages/day", Min: 0, Max: 1000, Source: "assumption"},
	{Key: "word_of_mouth.negative_rate", Doc: "Messages a detractor sends a day.", Unit: "messages/day", Min: 0, Max: 1000, Source: "assumption; East, Hammond & Wright (2007): positive word of mouth about 3x as common as negative overall"},
	{Key: "word_of_mouth.transmissibility", Doc: "In \"once\" mode, the chance an advocate tells a given friend.", Unit: "probability", Min: 0, Max: 1, Source: "Newman (2002) transmissibility T"},

	{Key: "irritation.per_push", Doc: "Irritation from one processed unsolicited push impression.", Min: 0, Max: 100, Source: "assumption: the pushy salesperson (text 004)"},
	{Key: "irritation.opt_in_factor", Doc: "Irritation from push the customer asked for, as a share of per_push.", Min: 0, Max: 1, Source: assumption},
	{Key: "irritation.threshold", Doc: "Irritation past which a customer blocks a brand for good (the lock is on the customer's side).", Min: 0, Max: 1000, Source: assumption},
	{Key: "irritation.retention", Doc: "Share of irritation kept from one day to the next.", Min: 0, Max: 1, Source: assumption},

	{Key: "engagement.on_purchase", Doc: "Share of the distance to full engagement that a satisfying purchase closes: customers who like a product orbit it, whatever its marketing.", Min: 0, Max: 1, Source: assumption},
	{Key: "engagement.decay", Doc: "Share of engagement lost a day: orbits widen without pull.", Min: 0, Max: 1, Source: assumption},
	{Key: "engagement.share_at", Doc: "Engagement at which a customer starts posting a co-creation platform's content to its friends, even before buying.", Min: 0, Max: 1, Source: "assumption: shared purpose brings friends (text 002)"},

	{Key: "choice.trust", Doc: "Logit weight of trust (minus 1/2) in choosing a brand.", Min: -100, Max: 100, Source: assumption},
	{Key: "choice.quality", Doc: "Logit weight of expected quality.", Min: -100, Max: 100, Source: assumption},
	{Key: "choice.engagement", Doc: "Logit weight of engagement.", Min: -100, Max: 100, Source: assumption},
	{Key: "choice.irritation", Doc: "Logit weight of irritation, subtracted.", Min: -100, Max: 100, Source: assumption},
	{Key: "choice.loyalty", Doc: "Logit bonus of the brand the customer uses now (switching costs).", Min: -100, Max: 100, Source: assumption},
	{Key: "choice.outside", Doc: "Utility of buying nothing; very low makes every need a purchase.", Min: -1000, Max: 1000, Source: assumption},
	{Key: "choice.price", Doc: "Logit weight of price, as the share by which a brand's price is above money.reference_price, times the customer's price sensitivity: a cheaper brand wins share, and a trusted one can charge more for the same share. Brands at the reference price meet no price term.", Min: -100, Max: 100,
		Source: "Bijmolt, van Heerde & Pieters (2005) meta-analysis: mean price elasticity -2.62; a logit weight of 3 gives an elasticity of -3(1-s), about -2.1 at a share of 0.3 (the calibration is an assumption)"},
	{Key: "choice.price_shape", Doc: "Gamma shape of price sensitivity across customers (mean 1); 0 gives every customer 1.", Min: 0, Max: 1000, Source: "assumption: customers differ in price sensitivity"},

	{Key: "satisfaction.tolerance", Doc: "How far experience may fall below expectation and still satisfy.", Unit: "quality", Min: 0, Max: 1, Source: assumption},
	{Key: "satisfaction.advocacy", Doc: "Chance a satisfying purchase makes the customer an advocate.", Unit: "probability", Min: 0, Max: 1, Source: assumption},
	{Key: "satisfaction.detraction", Doc: "Chance a disappointing purchase makes the customer a detractor.", Unit: "probability", Min: 0, Max: 1, Source: assumption},
	{Key: "satisfaction.voice_fade", Doc: "Daily chance an advocate or detractor falls silent.", Unit: "probability/day", Min: 0, Max: 1, Source: assumption},
	{Key: "satisfaction.learning", Doc: "How far expected quality moves toward each experience (exponential smoothing weight); a message moves it toward its claim (brands) or the true quality (peers) by this times its source's evidence weight over evidence.experience.", Min: 0, Max: 1, Source: assumption},

	{Key: "churn.base", Doc: "Daily hazard a satisfied customer leaves its brand.", Unit: "probability/day", Min: 0, Max: 1, Source: assumption},
	{Key: "churn.detractor", Doc: "Added daily hazard for a detractor.", Unit: "probability/day", Min: 0, Max: 1, Source: assumption},
	{Key: "churn.irritation", Doc: "Added daily hazard per unit of irritation.", Unit: "probability/day", Min: 0, Max: 1, Source: assumption},
	{Key: "churn.distrust", Doc: "Added daily hazard at zero trust (scaled by how far trust fell below 1/2).", Unit: "probability/day", Min: 0, Max: 1, Source: assumption},

	{Key: "opt_in.rate", Doc: "Daily chance an aware customer asks for a brand's push, times its engagement.", Unit: "probability/day", Min: 0, Max: 1, Source: "assumption: push to those who requested it (text 001)"},
	{Key: "opt_in.on_purchase", Doc: "Chance a satisfying purchase opts the customer in.", Unit: "probability", Min: 0, Max: 1, Source: assumption},

	{Key: "incidents.harm", Doc: "Negative evidence a customer gains from meeting an incident.", Unit: "evidence", Min: 0, Max: 100, Source: assumption},
	{Key: "incidents.admit_factor", Doc: "Share of the harm felt when the brand admits the mistake at once.", Min: 0, Max: 1,
		Source: "de Matos, Henrique & Rossi (2007): good recovery restores satisfaction to about where it was; 0.5 is an assumption"},
	{Key: "incidents.discovery", Doc: "Daily chance each customer who met a hidden incident exposes it (the transparent window).", Unit: "probability/day", Min: 0, Max: 1, Source: "assumption: lies are found out (text 003)"},
	{Key: "incidents.exposure", Doc: "When a hidden incident is found out, negative evidence for all who hear, in units of harm.", Min: 0, Max: 100, Source: assumption},
	{Key: "incidents.news_reach", Doc: "Share of aware customers who hear that a hidden incident was found out.", Unit: "probability", Min: 0, Max: 1, Source: assumption},

	{Key: "money.currency", Doc: "The currency unit money is printed in.", Source: "-"},
	{Key: "money.discount_rate", Doc: "Yearly rate at which lifetime value discounts future margin.", Unit: "1/year", Min: 0, Max: 10, Source: "Gupta, Lehmann & Stuart (2004): 12% a year"},
	{Key: "money.reference_price", Doc: "The price customers compare a brand's price with (choice.price): a brand at this price meets no price term. Brands cost 5 unless a file says otherwise.", Unit: "money/purchase", Min: 0.000001, Max: 1e9, Source: "assumption: 5 units of money a purchase"},
	{Key: "money.quality_cost", Doc: "How a better product raises its unit cost: a unit costs brand.unit_cost times exp(quality_cost*(quality-0.6) + consistency_cost*(consistency-0.7)).", Min: 0, Max: 100, Source: "assumption: quality costs money to make"},
	{Key: "money.consistency_cost", Doc: "How a steadier product raises its unit cost (see money.quality_cost).", Min: 0, Max: 100, Source: "assumption: consistency costs money to make"},
	{Key: "money.equal_budget", Doc: "When above 0, every brand spends this much a day on its levers, in its budget's shares or, without shares, in the proportions its per-lever rates cost: the same money, different strategies; 0 leaves each brand's own budget or rates.", Unit: "money/day", Min: 0, Max: 1e12, Source: "-"},

	{Key: "brand.name", Doc: "The brand's name, used in tables, files and plots.", Source: "-"},
	{Key: "brand.strategy", Doc: "Preset the brand starts from: \"push\", \"pull\", \"trust\", or \"\" for none; explicit keys override it.", Values: []string{"push", "pull", "trust", ""}, Source: "-"},
	{Key: "brand.quality", Doc: "What the product delivers on average.", Unit: "quality", Min: 0, Max: 1, Source: assumption},
	{Key: "brand.consistency", Doc: "How alike experiences are: spread of experienced quality is 0.3*(1-consistency).", Min: 0, Max: 1, Source: "assumption: consistency builds trust (text 000)"},
	{Key: "brand.seed_customers", Doc: "Share of customers who use the brand on day 0.", Unit: "share", Min: 0, Max: 1, Source: "-"},
	{Key: "brand.seed_advocates", Doc: "Share of customers who are the brand's advocates on day 0 (part of seed_customers).", Unit: "share", Min: 0, Max: 1, Source: "-"},
	{Key: "brand.seed_aware", Doc: "Share of customers aware of the brand on day 0 (its customers always are).", Unit: "share", Min: 0, Max: 1, Source: "-"},
	{Key: "brand.price", Doc: "What a customer pays for one purchase, repeat purchases included.", Unit: "money/purchase", Min: 0, Max: 1e9, Source: "assumption: money.reference_price"},
	{Key: "brand.unit_cost", Doc: "What one unit costs the brand to make at quality 0.6 and consistency 0.7 (money.quality_cost says how a better product costs more).", Unit: "money/purchase", Min: 0, Max: 1e9, Source: "assumption: a 40% gross margin at the default price"},

	{Key: "brand.push.rate", Doc: "Push impressions a day per customer of the market.", Unit: "impressions/customer/day", Min: 0, Max: 100, Source: "assumption"},
	{Key: "brand.push.cost", Doc: "Cost of one broadcast impression (targeting \"everyone\").", Unit: "money", Min: 0, Max: 1e6, Source: "industry CPMs 2024-2025: display $1-10, social $5-15 a thousand; a $5 CPM"},
	{Key: "brand.push.opt_in_cost", Doc: "Cost of one impression to the brand's permission list (targeting \"opt_in\").", Unit: "money", Min: 0, Max: 1e6, Source: "assumption: the same $5 CPM as broadcast; permission lists are cheaper to send to but cost to build"},
	{Key: "brand.push.targeting", Doc: "Who push goes to: \"everyone\" or \"opt_in\" (only those who asked for it).", Values: []string{string(TargetEveryone), string(TargetOptIn)}, Source: "text 001"},
	{Key: "brand.push.overclaim", Doc: "How far the brand's claims exceed its real quality; raises expectations and so disappointment.", Unit: "quality", Min: 0, Max: 1, Source: "assumption: lies are seen through the window (text 003)"},
	{Key: "brand.push.frequency_cap", Doc: "Most impressions a customer gets from the brand on average a day.", Unit: "impressions/day", Min: 0, Max: 1000, Source: assumption},

	{Key: "brand.pull.content", Doc: "Pieces of content the brand publishes a day; engaged customers come back for it.", Unit: "pieces/day", Min: 0, Max: 1000, Source: assumption},
	{Key: "brand.pull.usefulness", Doc: "How useful the content is (the brand's expertise): scales the engagement and trust it earns.", Min: 0, Max: 1, Source: "assumption: expertise builds trust (text 000)"},
	{Key: "brand.pull.platform", Doc: "Engagement platform: none, content, conversation, collaboration, contribution, commerce or curation; sets gain, return_rate, co_creation and soothing unless given.",
		Values: platformNames(), Source: "Bonchek (2012), text 002"},
	{Key: "brand.pull.discoverability", Doc: "Chance per piece of daily content that a customer with a need finds it by searching.", Min: 0, Max: 10, Source: assumption},
	{Key: "brand.pull.piece_cost", Doc: "Cost of one piece of content of usefulness 1; a piece costs this times usefulness to the power cost_exponent.", Unit: "money/piece", Min: 0, Max: 1e9, Source: "assumption: priced so that the presets cost about the same a day"},
	{Key: "brand.pull.cost_exponent", Doc: "How steeply content costs rise with usefulness: 2 makes content twice as useful cost four times as much.", Min: 0, Max: 10, Source: "assumption: expert content costs more than in proportion"},
	{Key: "brand.pull.incentive_cost", Doc: "Incentive paid for each post of a co-creating member (co_creation).", Unit: "money/post", Min: 0, Max: 1e9, Source: "assumption"},
	{Key: "brand.pull.gain", Doc: "Engagement gained per piece of content processed, times usefulness (platform preset).", Min: 0, Max: 1, Source: assumption},
	{Key: "brand.pull.return_rate", Doc: "Visits a day per unit of engagement and of content (platform preset).", Min: 0, Max: 10, Source: assumption},
	{Key: "brand.pull.co_creation", Doc: "Daily chance that a customer engaged at least engagement.share_at posts the brand's content to all its friends (one random customer when fully mixed) (platform preset).", Unit: "probability/day", Min: 0, Max: 1, Source: "assumption: members bring their friends (text 002)"},
	{Key: "brand.pull.soothing", Doc: "Irritation removed per visit: the brand listens (platform preset).", Min: 0, Max: 10, Source: "assumption: listen first (text 004)"},
	{Key: "brand.pull.platform_cost", Doc: "Money a day the platform takes to run (platform preset: content 10, conversation 25, collaboration 25, contribution 27, commerce 15, curation 5): communities need moderators, curation is cheap.", Unit: "money/day", Min: 0, Max: 1e9, Source: "assumption: priced so that the presets cost about the same a day"},

	{Key: "brand.trust.incident_rate", Doc: "Daily chance the brand makes a mistake customers meet.", Unit: "probability/day", Min: 0, Max: 1, Source: assumption},
	{Key: "brand.trust.incident_reach", Doc: "Share of the brand's customers who meet an incident.", Unit: "share", Min: 0, Max: 1, Source: assumption},
	{Key: "brand.trust.response", Doc: "What the brand does about a mistake: \"admit\" openly at once, or \"hide\" it until found out.", Values: []string{string(ResponseAdmit), string(ResponseHide)}, Source: "text 000 (admit it openly), text 003 (the window)"},
	{Key: "brand.trust.compensation", Doc: "Compensation paid to each customer who meets a mistake the brand admits; hiding pays nothing.", Unit: "money/customer", Min: 0, Max: 1e9, Source: "assumption: one purchase refunded; Gelbrich & Roschk (2011): compensation raises satisfaction after a complaint"},

	{Key: "brand.budget.daily", Doc: "Marketing money a day; above 0, or with any share given, it replaces the per-lever rates (push.rate, pull.content, the platform and partners), buying each lever's share at its cost (shares with no money buy nothing). 0 without shares spends what the rates cost.", Unit: "money/day", Min: 0, Max: 1e12, Source: "-"},
	{Key: "brand.budget.push", Doc: "Share of the budget spent on push impressions; impressions are a random count, so push spends its share on average; above the frequency cap the money is left unspent.", Unit: "share", Min: 0, Max: 1, Source: "-"},
	{Key: "brand.budget.content", Doc: "Share of the budget spent on content pieces.", Unit: "share", Min: 0, Max: 1, Source: "-"},
	{Key: "brand.budget.platform", Doc: "Share of the budget spent on running the platform; below platform_cost the platform runs in proportion (fewer moderators: less gain, fewer visits), above it the rest is unspent.", Unit: "share", Min: 0, Max: 1, Source: "-"},
	{Key: "brand.budget.partners", Doc: "Share of the budget spent on partners' fees; below their fees partners carry the brand in proportion.", Unit: "share", Min: 0, Max: 1, Source: "-"},

	{Key: "brand.partner.name", Doc: "The partner's name.", Source: "-"},
	{Key: "brand.partner.audience", Doc: "Share of customers in the partner's audience.", Unit: "share", Min: 0, Max: 1, Source: "text 002: partners amplify reach"},
	{Key: "brand.partner.rate", Doc: "Daily chance a member of the audience meets the brand's content through the partner.", Unit: "probability/day", Min: 0, Max: 1, Source: assumption},
	{Key: "brand.partner.credibility", Doc: "Trust evidence of one partner message, in place of the brand's own.", Unit: "evidence", Min: 0, Max: 100, Source: "text 002: partners add credibility"},
	{Key: "brand.partner.fee", Doc: "What the partner charges a day.", Unit: "money/day", Min: 0, Max: 1e9, Source: "assumption: a partner who shares the brand's purpose lends its audience for nothing unless a fee is agreed"},
}

func platformNames() []string {
	s := make([]string, len(Platforms))
	for i, p := range Platforms {
		s[i] = string(p)
	}
	return s
}

var (
	docIndexOnce sync.Once
	docIndex     map[string]*ParamDoc
)

func paramDocIndex() map[string]*ParamDoc {
	docIndexOnce.Do(func() {
		docIndex = make(map[string]*ParamDoc, len(ParamDocs))
		for i := range ParamDocs {
			d := &ParamDocs[i]
			if d.Values == nil && d.Unit == "" && d.Min == 0 && d.Max == 0 {
				d.Min, d.Max = nan, nan
			}
			docIndex[d.Key] = d
		}
	})
	return docIndex
}

// LookupParam returns the documentation of a key, brand keys written
// generically ("brand.push.rate", not "brand.acme.push.rate").
func LookupParam(key string) (*ParamDoc, bool) {
	d, ok := paramDocIndex()[key]
	return d, ok
}

// Range describes the allowed values for messages: "a number from 0 to 1",
// "one of ...", "true or false".
func (d *ParamDoc) Range() string {
	switch {
	case len(d.Values) > 0:
		q := make([]string, len(d.Values))
		for i, v := range d.Values {
			q[i] = fmt.Sprintf("%q", v)
		}
		return "one of " + strings.Join(q, ", ")
	case math.IsNaN(d.Min) && math.IsNaN(d.Max):
		return ""
	case math.IsNaN(d.Max):
		return fmt.Sprintf("a number of at least %v", d.Min)
	case math.IsNaN(d.Min):
		return fmt.Sprintf("a number of at most %v", d.Max)
	}
	return fmt.Sprintf("a number from %v to %v", d.Min, d.Max)
}

// check returns the problem with value v at path, or nil.
func (d *ParamDoc) check(path string, v any) *FieldError {
	switch x := v.(type) {
	case float64:
		if !finite(x) {
			return &FieldError{Path: path, Value: x, Want: d.Range()}
		}
		if (!math.IsNaN(d.Min) && x < d.Min) || (!math.IsNaN(d.Max) && x > d.Max) {
			return &FieldError{Path: path, Value: x, Want: d.Range()}
		}
	case int:
		f := float64(x)
		if (!math.IsNaN(d.Min) && f < d.Min) || (!math.IsNaN(d.Max) && f > d.Max) {
			return &FieldError{Path: path, Value: x, Want: d.Range()}
		}
	case string:
		if len(d.Values) == 0 {
			return nil
		}
		for _, ok := range d.Values {
			if x == ok {
				return nil
			}
		}
		return &FieldError{Path: path, Value: fmt.Sprintf("%q", x), Want: d.Range()}
	}
	return nil
}

// walkParams calls fn for every leaf parameter of p with its concrete path
// (brand.NAME.push.rate), its generic key (brand.push.rate) and its value
// (float64, int, bool or string).
func walkParams(p *Params, fn func(path, key string, v any)) {
	walkStruct(reflect.ValueOf(p).Elem(), "", "", fn)
}

func walkStruct(v reflect.Value, path, key string, fn func(path, key string, v any)) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("toml")
		if tag == "" || tag == "-" {
			continue
		}
		p, k := join(path, tag), join(key, tag)
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.Struct:
			walkStruct(fv, p, k, fn)
		case reflect.Slice:
			for j := range fv.Len() {
				el := fv.Index(j)
				name := el.FieldByName("Name").String()
				if name == "" {
					name = fmt.Sprintf("[%d]", j)
					walkStruct(el, p+name, k, fn)
				} else {
					walkStruct(el, p+"."+name, k, fn)
				}
			}
		case reflect.Float64:
			fn(p, k, fv.Float())
		case reflect.Int:
			fn(p, k, int(fv.Int()))
		case reflect.Bool:
			fn(p, k, fv.Bool())
		case reflect.String:
			fn(p, k, fv.String())
		}
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}
