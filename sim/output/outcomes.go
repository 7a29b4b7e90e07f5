package output

import (
	"math"

	"github.com/pushpull/pushpull/sim"
)

// Outcome names, in the column order of replicates.csv. Shares are of the
// whole population; "days to" outcomes are the first day a threshold was
// reached and are missing (NaN, an empty cell) for a replicate that never
// reached it.
var OutcomeNames = []string{
	"adoption",                // current customers at the end, share of customers
	"customers",               // current customers at the end
	"adopters",                // customers who ever bought, at the end
	"aware",                   // customers aware of the brand at the end
	"advocates",               // advocates at the end
	"detractors",              // detractors at the end
	"net_advocacy",            // (advocates - detractors) / customers, at the end
	"churned",                 // customers lost over the run
	"blocked",                 // customers who blocked the brand, at the end
	"opted_in",                // customers opted in to the brand's push, at the end
	"purchases",               // purchases over the run
	"purchase_share",          // the brand's share of all purchases over the run
	"impressions_sent",        // push impressions sent over the run
	"impressions_processed",   // push impressions customers paid attention to
	"impressions_wasted",      // push impressions ignored or blocked
	"wasted_share",            // impressions_wasted / impressions_sent
	"push_spend",              // money spent on push over the run
	"cost_per_adopter",        // push_spend / adopters gained during the run
	"wom_positive",            // positive word-of-mouth messages over the run
	"wom_negative",            // negative word-of-mouth messages over the run
	"mean_trust_aware",        // mean trust among the aware, at the end
	"mean_engagement",         // mean engagement over all customers, at the end
	"days_to_10pct_awareness", // first day 10% of customers were aware
	"days_to_50pct_awareness", // first day 50% of customers were aware
	"days_to_10pct_adoption",  // first day 10% of customers had ever bought
	"days_to_50pct_adoption",  // first day 50% of customers had ever bought
	"peak_adoption_day",       // day with the most new adoptions
	"revenue",                 // purchases times price over the run
	"margin",                  // gross margin over the run: revenue less the cost of the units sold
	"content_spend",           // money spent on content over the run
	"platform_spend",          // money spent running the platform over the run
	"partner_spend",           // partners' fees over the run
	"incentive_spend",         // incentives for co-created posts over the run
	"compensation_spend",      // compensation for admitted mistakes over the run
	"spend",                   // all spend over the run, push included
	"unspent",                 // budget the levers could not use over the run
	"profit",                  // margin less spend over the run
	"roi",                     // profit / spend: return on marketing spend
	"cac",                     // spend / adopters gained during the run: customer acquisition cost
	"clv",                     // margin discounted to day 0 at money.discount_rate, per adopter (seeds included): lifetime value over the run
	"revenue_share",           // the brand's share of all brands' revenue over the run
}

// Tracker turns one replicate's daily metrics into its end-of-run outcomes
// without keeping the daily series, so sweeps of any length use bounded
// memory. Feed it every day in order with Observe, then read Outcomes.
type Tracker struct {
	customers      float64
	totalPurchases float64 // all brands together, for purchase_share
	totalRevenue   float64 // all brands together, for revenue_share
	brands         []brandTrack
	idx            trackIndex
	row            []float64 // scratch for one brand's metrics of a day
}

type brandTrack struct {
	seen                                                 bool
	initialAdopters                                      float64
	last, sums                                           []float64
	aware10, aware50, adopt10, adopt50, peakDay, peakNew float64
}

type trackIndex struct {
	aware, customers, adopters, advocates, detractors, churned, blocked, optedIn      int
	purchases, sent, processed, wasted, spend, womPos, womNeg, trust, engagement, new int
	revenue, margin, content, platform, partner, incentive, compensation, allSpend    int
	unspent, profit, discounted                                                       int
}

// NewTracker starts tracking a replicate of a market of customers with the
// given number of brands.
func NewTracker(customers, brands int) *Tracker {
	t := &Tracker{customers: float64(customers), brands: make([]brandTrack, brands)}
	t.idx = trackIndex{
		aware: MetricIndex("aware"), customers: MetricIndex("customers"), adopters: MetricIndex("adopters"),
		advocates: MetricIndex("advocates"), detractors: MetricIndex("detractors"), churned: MetricIndex("churned"),
		blocked: MetricIndex("blocked"), optedIn: MetricIndex("opted_in"), purchases: MetricIndex("purchases"),
		sent: MetricIndex("impressions_sent"), processed: MetricIndex("impressions_processed"),
		wasted: MetricIndex("impressions_wasted"), spend: MetricIndex("push_spend"),
		womPos: MetricIndex("wom_positive"), womNeg: MetricIndex("wom_negative"),
		trust: MetricIndex("mean_trust_aware"), engagement: MetricIndex("mean_engagement"),
		new:     MetricIndex("new_adoptions"),
		revenue: MetricIndex("revenue"), margin: MetricIndex("margin"), content: MetricIndex("content_spend"),
		platform: MetricIndex("platform_spend"), partner: MetricIndex("partner_spend"),
		incentive: MetricIndex("incentive_spend"), compensation: MetricIndex("compensation_spend"),
		allSpend: MetricIndex("spend"), unspent: MetricIndex("unspent"), profit: MetricIndex("profit"),
		discounted: MetricIndex("discounted_margin"),
	}
	nan := math.NaN()
	for b := range t.brands {
		t.brands[b] = brandTrack{
			sums:    make([]float64, len(MetricNames())),
			aware10: nan, aware50: nan, adopt10: nan, adopt50: nan, peakDay: nan,
		}
	}
	return t
}

// Observe feeds the metrics of one day for every brand, from day 0 on.
func (t *Tracker) Observe(day int, ms []sim.DayMetrics) {
	for b := range t.brands {
		bt := &t.brands[b]
		t.row = appendMetrics(t.row[:0], &ms[b])
		row := t.row
		if !bt.seen {
			// The first day observed is day 0, the seeded state.
			bt.seen = true
			bt.initialAdopters = row[t.idx.adopters] - row[t.idx.new]
		}
		bt.last = append(bt.last[:0], row...)
		for k, v := range row {
			bt.sums[k] += v
		}
		t.totalPurchases += row[t.idx.purchases]
		t.totalRevenue += row[t.idx.revenue]
		d := float64(day)
		aware, adopters := row[t.idx.aware]/t.customers, row[t.idx.adopters]/t.customers
		if math.IsNaN(bt.aware10) && aware >= 0.1 {
			bt.aware10 = d
		}
		if math.IsNaN(bt.aware50) && aware >= 0.5 {
			bt.aware50 = d
		}
		if math.IsNaN(bt.adopt10) && adopters >= 0.1 {
			bt.adopt10 = d
		}
		if math.IsNaN(bt.adopt50) && adopters >= 0.5 {
			bt.adopt50 = d
		}
		if n := row[t.idx.new]; n > bt.peakNew {
			bt.peakNew, bt.peakDay = n, d
		}
	}
}

// Outcomes returns brand b's outcomes in the order of OutcomeNames.
func (t *Tracker) Outcomes(b int) []float64 {
	bt := &t.brands[b]
	i := t.idx
	if !bt.seen {
		out := make([]float64, len(OutcomeNames))
		for k := range out {
			out[k] = math.NaN()
		}
		return out
	}
	last := bt.last
	ratio := func(a, b float64) float64 {
		if b == 0 {
			return math.NaN()
		}
		return a / b
	}
	gained := last[i.adopters] - bt.initialAdopters
	return []float64{
		last[i.customers] / t.customers,
		last[i.customers],
		last[i.adopters],
		last[i.aware],
		last[i.advocates],
		last[i.detractors],
		(last[i.advocates] - last[i.detractors]) / t.customers,
		last[i.churned],
		last[i.blocked],
		last[i.optedIn],
		bt.sums[i.purchases],
		ratio(bt.sums[i.purchases], t.totalPurchases),
		bt.sums[i.sent],
		bt.sums[i.processed],
		bt.sums[i.wasted],
		ratio(bt.sums[i.wasted], bt.sums[i.sent]),
		bt.sums[i.spend],
		ratio(bt.sums[i.spend], gained),
		bt.sums[i.womPos],
		bt.sums[i.womNeg],
		last[i.trust],
		last[i.engagement],
		bt.aware10, bt.aware50, bt.adopt10, bt.adopt50, bt.peakDay,
		bt.sums[i.revenue],
		bt.sums[i.margin],
		bt.sums[i.content],
		bt.sums[i.platform],
		bt.sums[i.partner],
		bt.sums[i.incentive],
		bt.sums[i.compensation],
		bt.sums[i.allSpend],
		bt.sums[i.unspent],
		bt.sums[i.profit],
		ratio(bt.sums[i.profit], bt.sums[i.allSpend]),
		ratio(bt.sums[i.allSpend], gained),
		ratio(bt.sums[i.discounted], last[i.adopters]),
		ratio(bt.sums[i.revenue], t.totalRevenue),
	}
}
