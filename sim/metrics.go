package sim

// DayMetrics is one brand's record of one simulated day. Counts marked
// "today" are events of that day; the others are the state at its end.
// The csv tag is the column name in daily.csv; the order of fields is the
// order of columns.
type DayMetrics struct {
	Day                  int     `csv:"day"`
	Aware                int64   `csv:"aware"`                 // customers aware of the brand
	Customers            int64   `csv:"customers"`             // current customers (customers, advocates and detractors)
	Adopters             int64   `csv:"adopters"`              // customers who ever bought the brand, seeds included
	NewAdoptions         int64   `csv:"new_adoptions"`         // first purchases today
	Advocates            int64   `csv:"advocates"`             // customers speaking for the brand
	Detractors           int64   `csv:"detractors"`            // customers speaking against the brand
	Churned              int64   `csv:"churned"`               // customers lost so far, switches to a rival included
	ChurnEvents          int64   `csv:"churn_events"`          // customers lost today
	Purchases            int64   `csv:"purchases"`             // purchases today
	PurchaseShare        float64 `csv:"purchase_share"`        // the brand's share of today's purchases (0 when nobody bought)
	ImpressionsSent      int64   `csv:"impressions_sent"`      // push impressions paid for today
	ImpressionsProcessed int64   `csv:"impressions_processed"` // push impressions customers paid attention to today
	ImpressionsWasted    int64   `csv:"impressions_wasted"`    // push impressions ignored for lack of attention, or sent to customers who blocked the brand
	PushSpend            float64 `csv:"push_spend"`            // money spent on push today
	ContentPulled        int64   `csv:"content_pulled"`        // pieces of content customers pulled and processed today
	PartnerMessages      int64   `csv:"partner_messages"`      // messages met through partners and processed today
	WOMPositive          int64   `csv:"wom_positive"`          // positive word-of-mouth messages processed today
	WOMNegative          int64   `csv:"wom_negative"`          // negative word-of-mouth messages processed today
	Shares               int64   `csv:"shares"`                // pieces of co-created content shared by peers and processed today
	MessagesIgnored      int64   `csv:"messages_ignored"`      // messages about the brand of any source left unprocessed today
	OptedIn              int64   `csv:"opted_in"`              // customers who asked for the brand's push
	Blocked              int64   `csv:"blocked"`               // customers who blocked the brand
	Incidents            int64   `csv:"incidents"`             // mistakes the brand made today
	IncidentsExposed     int64   `csv:"incidents_exposed"`     // hidden mistakes found out today
	MeanTrustAware       float64 `csv:"mean_trust_aware"`      // mean trust among customers aware of the brand (1/2 when none)
	MeanEngagement       float64 `csv:"mean_engagement"`       // mean engagement over all customers
	MeanIrritation       float64 `csv:"mean_irritation"`       // mean irritation over all customers
	// Money of the day, in the market's currency. Spend is every lever's
	// spend together, push_spend included; profit is margin less spend.
	Revenue           float64 `csv:"revenue"`            // purchases times price
	Margin            float64 `csv:"margin"`             // gross margin: purchases times price less unit cost
	ContentSpend      float64 `csv:"content_spend"`      // money spent on content pieces
	PlatformSpend     float64 `csv:"platform_spend"`     // money spent running the engagement platform
	PartnerSpend      float64 `csv:"partner_spend"`      // partners' fees paid
	IncentiveSpend    float64 `csv:"incentive_spend"`    // incentives paid for co-created posts
	CompensationSpend float64 `csv:"compensation_spend"` // compensation paid for admitted mistakes
	Spend             float64 `csv:"spend"`              // all spend of the day
	Profit            float64 `csv:"profit"`             // margin less spend
	Unspent           float64 `csv:"unspent"`            // budget the levers could not use (push above its frequency cap, a platform or partners given more than they cost)
	DiscountedMargin  float64 `csv:"discounted_margin"`  // margin discounted to day 0 at money.discount_rate
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

// add adds the totals of a to t.
func (t *chunkTotals) add(a *chunkTotals) {
	for st := range t.byStatus {
		t.byStatus[st] += a.byStatus[st]
	}
	for k := range t.kept {
		t.kept[k] += a.kept[k]
	}
	t.aware += a.aware
	t.adopters += a.adopters
	t.newAdoptions += a.newAdoptions
	t.posts += a.posts
	t.churnEvents += a.churnEvents
	t.purchases += a.purchases
	t.sent += a.sent
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

// ifAware[f&flagAware] is 1 for a customer aware of the brand, else 0:
// mean trust among the aware is summed without a branch.
var ifAware = [flagAware + 1]float32{flagAware: 1}

// tally counts the end-of-day state of the chunk's customers from lo to
// hi for brand b into the worker's totals, in a loop without branches.
func (m *Market) tally(w *worker, b, lo, hi int) {
	first, last := m.at(lo, b), m.at(hi, b)
	flags := m.flags[first:last]
	// Slices of one length let the compiler drop the bounds checks.
	status := m.status[first:last][:len(flags)]
	trustPos := m.trustPos[first:last][:len(flags)]
	trustNeg := m.trustNeg[first:last][:len(flags)]
	irritation := m.irritation[first:last][:len(flags)]
	engagement := m.engagement[first:last][:len(flags)]
	// byState counts customers by status and the flags counted, in one
	// index: a single increment, without branching on either.
	var byState [8 << 4]int32
	var trustAware, engaged, irritated float64
	for j, f := range flags {
		byState[uint8(status[j]&7)<<4|f&(flagAware|flagOptedIn|flagBlocked|flagBought)]++
		r, s := trustPos[j], trustNeg[j]
		trustAware += float64((r + 1) / (r + s + 2) * ifAware[f&flagAware])
		engaged += float64(engagement[j])
		irritated += float64(irritation[j])
	}
	a := &w.acc[b]
	for state, n := range byState {
		count, f := int64(n), uint8(state)
		a.byStatus[state>>4] += count
		a.aware += count * int64(f>>bitAware&1)
		a.adopters += count * int64(f>>bitBought&1)
		a.optedIn += count * int64(f>>bitOptedIn&1)
		a.blocked += count * int64(f>>bitBlocked&1)
	}
	a.trustAware += trustAware
	a.engagement += engaged
	a.irritation += irritated
}

// tallyDay sums the chunks' totals in chunk order, so that sums of floats
// are the same whatever worker ran which chunk, and writes the day's
// metrics and the totals tomorrow depends on.
func (m *Market) tallyDay() {
	var totalPurchases int64
	for b := range m.brands {
		var t chunkTotals
		for ch := range m.chunks {
			t.add(&m.chunkAcc[ch*m.nb+b])
		}
		m.churned[b] += t.churnEvents
		m.metrics[b] = m.dayMetrics(b, &t)
		if m.day > 0 {
			m.brands[b].account(&m.metrics[b], m.day, &m.params.Money, dayMoney{purchases: t.purchases, sent: t.sent, posts: t.posts, compensated: t.compensated})
		}
		m.recordWitnesses(b, t.witnesses)
		m.prev[b] = brandTotals{advocates: t.byStatus[StatusAdvocate], detractors: t.byStatus[StatusDetractor], posts: t.posts, optedIn: t.optedIn}
		totalPurchases += t.purchases
	}
	for b := range m.metrics {
		if totalPurchases > 0 {
			m.metrics[b].PurchaseShare = float64(m.metrics[b].Purchases) / float64(totalPurchases)
		}
	}
}

// dayMetrics is brand b's record of the day from its totals t.
func (m *Market) dayMetrics(b int, t *chunkTotals) DayMetrics {
	meanTrust := 0.5
	if t.aware > 0 {
		meanTrust = t.trustAware / float64(t.aware)
	}
	return DayMetrics{
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
}
