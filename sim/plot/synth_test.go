package plot

import (
	"math"
	"math/rand/v2"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/output"
)

// synthBrands are the brands of the synthetic runs: a pusher, a puller
// and a trust builder, the three strategies the plots must tell apart.
var synthBrands = []string{"Blaster", "Gardener", "Steward"}

// synthSeries builds a small run by hand, independent of the engine:
// S-shaped adoption with replicate noise, advocacy that follows it,
// churn that grows for the pusher, impressions mostly wasted by the
// pusher. Replicates listed in skip are left unfinished.
func synthSeries(reps, days int, skip ...int) *output.Series {
	const customers = 2000
	s := output.NewSeries(synthBrands, customers, days, reps)
	for r := range reps {
		rng := rand.New(rand.NewPCG(uint64(r)+1, 42))
		noise := make([]float64, len(synthBrands))
		for b := range noise {
			noise[b] = 1 + 0.12*rng.NormFloat64()
		}
		var churned [3]float64
		for d := 0; d <= days; d++ {
			ms := make([]sim.DayMetrics, len(synthBrands))
			t := float64(d) / float64(max(1, days))
			for b := range ms {
				mid := []float64{0.25, 0.55, 0.45}[b] / noise[b]
				peak := []float64{0.22, 0.38, 0.30}[b] * noise[b]
				share := peak / (1 + math.Exp(-12*(t-mid)))
				cust := share * customers
				adv := cust * []float64{0.08, 0.35, 0.28}[b] * t
				det := cust * []float64{0.20, 0.03, 0.05}[b] * t
				events := 0.0
				if d > 0 {
					events = math.Round(cust * []float64{0.010, 0.002, 0.003}[b] * noise[b])
				}
				churned[b] += events
				sent := []float64{5000, 0, 800}[b]
				if d == 0 {
					sent = 0
				}
				wasted := sent * []float64{0.85, 0, 0.4}[b] * (0.5 + t/2)
				ms[b] = sim.DayMetrics{
					Day:                  d,
					Aware:                int64(math.Min(customers, cust*3+50)),
					Customers:            int64(math.Round(cust)),
					Advocates:            int64(math.Round(adv)),
					Detractors:           int64(math.Round(det)),
					Churned:              int64(churned[b]),
					ChurnEvents:          int64(events),
					ImpressionsSent:      int64(sent),
					ImpressionsProcessed: int64(sent - wasted),
					ImpressionsWasted:    int64(wasted),
					MeanTrustAware:       0.5 + []float64{-0.08, 0.25, 0.18}[b]*t*noise[b],
				}
			}
			if err := s.Record(r, d, ms); err != nil {
				panic(err)
			}
		}
		if !contains(skip, r) {
			s.MarkDone(r)
		}
	}
	return s
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// synthOrbit builds an orbit by hand: customers drift from deep space
// into the wells as days pass, and the engaged ones become advocates.
func synthOrbit(sample, frames, every int) *output.Orbit {
	o := &output.Orbit{Brands: synthBrands, Every: every, Days: (frames - 1) * every}
	rng := rand.New(rand.NewPCG(7, 7))
	pull := make([]float64, sample) // when each customer is drawn in, in [0, 1)
	brand := make([]int8, sample)
	for c := range sample {
		o.Sample = append(o.Sample, int32(c*13))
		pull[c] = rng.Float64()
		brand[c] = int8(rng.IntN(len(synthBrands)))
	}
	for f := range frames {
		t := float64(f) / float64(max(1, frames-1))
		fr := output.OrbitFrame{Day: f * every}
		for c := range sample {
			p := output.OrbitPoint{Customer: o.Sample[c], Brand: -1}
			if pull[c] < t {
				e := math.Min(1, (t-pull[c])*1.6)
				p.Brand, p.Engagement = brand[c], float32(e)
				switch {
				case e > 0.75 && c%5 == 0:
					p.Status = sim.StatusChurned
					p.Engagement = float32(0.1)
				case e > 0.6:
					p.Status = sim.StatusAdvocate
				case e > 0.3 && c%7 == 0:
					p.Status = sim.StatusDetractor
				case e > 0.25:
					p.Status = sim.StatusCustomer
				default:
					p.Status = sim.StatusNone
				}
			}
			fr.Points = append(fr.Points, p)
		}
		o.Frames = append(o.Frames, fr)
	}
	return o
}
