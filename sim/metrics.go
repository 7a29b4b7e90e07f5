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
