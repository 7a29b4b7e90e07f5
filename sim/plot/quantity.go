package plot

import (
	"fmt"
	"math"

	"github.com/pushpull/pushpull/sim/output"
)

// A quantity is what a curve shows: one number per replicate, day and
// brand, computed from the daily metrics. Bands are taken over replicates
// of the quantity itself, so a ratio's band is the band of the ratio, not
// a ratio of bands.
type quantity struct {
	label string // y-axis label, with its unit
	value func(s *output.Series, rep, day, brand int) float64
	// clip, when set, bounds a band to the values the quantity can take: a
	// t interval of a count near zero reaches below it and reads as a
	// negative count, one of trust near 1 reads as trust above 1.
	clip *[2]float64
}

var (
	nonNegative = &[2]float64{0, math.Inf(1)}
	unitRange   = &[2]float64{0, 1}
)

// metrics holds the column of every daily metric the plots read.
type metrics struct {
	customers, adopters, advocates, detractors, churned, churnEvents, processed, wasted, trust int
}

func lookupMetrics() (metrics, error) {
	var m metrics
	for _, f := range []struct {
		name string
		dst  *int
	}{
		{"customers", &m.customers}, {"adopters", &m.adopters}, {"advocates", &m.advocates}, {"detractors", &m.detractors},
		{"churned", &m.churned}, {"churn_events", &m.churnEvents},
		{"impressions_processed", &m.processed}, {"impressions_wasted", &m.wasted},
		{"mean_trust_aware", &m.trust},
	} {
		*f.dst = output.MetricIndex(f.name)
		if *f.dst < 0 {
			return m, fmt.Errorf("plot: the daily metrics lack a column the plots need: %s", f.name)
		}
	}
	return m, nil
}

// shareOfMarket shows a count as a percentage of all customers, so runs of
// different sizes read on the same scale.
func shareOfMarket(label string, metric int) quantity {
	return quantity{label: label, clip: nonNegative, value: func(s *output.Series, rep, day, b int) float64 {
		if s.Customers <= 0 {
			return math.NaN()
		}
		return 100 * s.Value(rep, day, b, metric) / float64(s.Customers)
	}}
}

func (m metrics) qAdoption() quantity {
	return shareOfMarket("current customers (% of market)", m.customers)
}
func (m metrics) qAdopters() quantity {
	return shareOfMarket("customers who ever bought (% of market)", m.adopters)
}
func (m metrics) qAdvocates() quantity {
	return shareOfMarket("advocates (% of market)", m.advocates)
}
func (m metrics) qDetractors() quantity {
	return shareOfMarket("detractors (% of market)", m.detractors)
}
func (m metrics) qChurned() quantity {
	return shareOfMarket("churned so far (% of market)", m.churned)
}

// netAdvocacy is (advocates - detractors) / current customers, as in
// replicates.csv; undefined (a gap) while a brand has no customers.
func (m metrics) qNetAdvocacy() quantity {
	return quantity{label: "net advocacy (% of the brand's customers)", value: func(s *output.Series, rep, day, b int) float64 {
		n := s.Value(rep, day, b, m.customers)
		if !(n > 0) {
			return math.NaN()
		}
		return 100 * (s.Value(rep, day, b, m.advocates) - s.Value(rep, day, b, m.detractors)) / n
	}}
}

// churnWindow is the days over which the churn rate is averaged: daily
// losses of a few customers jump by whole percents from day to day, and a
// week's average shows the trend a reader looks for.
const churnWindow = 7

// churnRate is the losses of the last churnWindow days over the customers
// at the start of each of those days; day 0 has no losses yet and a brand
// without customers has no rate.
func (m metrics) qChurnRate() quantity {
	return quantity{label: fmt.Sprintf("churn rate (%% of customers per day, %d-day mean)", churnWindow), clip: nonNegative, value: func(s *output.Series, rep, day, b int) float64 {
		if day == 0 {
			return math.NaN()
		}
		var lost, at float64
		for d := max(1, day-churnWindow+1); d <= day; d++ {
			lost += s.Value(rep, d, b, m.churnEvents)
			at += s.Value(rep, d-1, b, m.customers)
		}
		if !(at > 0) {
			return math.NaN()
		}
		return 100 * lost / at
	}}
}

// flow shows a per-day count from day 1 on: day 0 is the seeded state, in
// which nothing has flowed yet, and a zero there would read as a dip.
func flow(label string, metric int) quantity {
	return quantity{label: label, clip: nonNegative, value: func(s *output.Series, rep, day, b int) float64 {
		if day == 0 {
			return math.NaN()
		}
		return s.Value(rep, day, b, metric)
	}}
}

func (m metrics) qTrustAware() quantity {
	return quantity{label: "mean trust among the aware (0 to 1)", clip: unitRange, value: func(s *output.Series, rep, day, b int) float64 {
		return s.Value(rep, day, b, m.trust)
	}}
}

// days returns 0..s.Days as the x values of a curve.
func days(n int) []float64 {
	xs := make([]float64, n+1)
	for d := range xs {
		xs[d] = float64(d)
	}
	return xs
}

// band summarises q over the finished replicates of s: the mean on each
// day and its Student-t 95% interval, NaN where it is undefined (fewer
// than two replicates with a value).
func band(s *output.Series, brand int, q quantity) (mean, low, high []float64) {
	reps := s.Done()
	mean = make([]float64, s.Days+1)
	low = make([]float64, s.Days+1)
	high = make([]float64, s.Days+1)
	vals := make([]float64, len(reps))
	for d := range mean {
		for i, r := range reps {
			vals[i] = q.value(s, r, d, brand)
		}
		sum := output.Summarize(vals)
		mean[d], low[d], high[d] = sum.Mean, sum.Low, sum.High
		if q.clip != nil {
			low[d] = max(low[d], q.clip[0])
			high[d] = min(high[d], q.clip[1])
		}
	}
	return mean, low, high
}

// pairedBand summarises, day by day, the difference q(b) - q(base, bb)
// over the replicates finished in both runs, paired by replicate number:
// both runs share seeds and replicate numbers, so the pairing removes the
// luck the two have in common.
func pairedBand(base *output.Series, bb int, s *output.Series, b int, q quantity) (mean, low, high []float64) {
	inBase := make(map[int]bool)
	for _, r := range base.Done() {
		inBase[r] = true
	}
	var reps []int
	for _, r := range s.Done() {
		if inBase[r] {
			reps = append(reps, r)
		}
	}
	n := min(base.Days, s.Days) + 1
	mean = make([]float64, n)
	low = make([]float64, n)
	high = make([]float64, n)
	vals := make([]float64, len(reps))
	for d := range mean {
		for i, r := range reps {
			vals[i] = q.value(s, r, d, b) - q.value(base, r, d, bb)
		}
		sum := output.Summarize(vals)
		mean[d], low[d], high[d] = sum.Mean, sum.Low, sum.High
	}
	return mean, low, high
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
