package sim

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/pushpull/pushpull/sim/graph"
)

// moneyParams is a market where every lever costs money: the three
// presets, the pull brand with a paid partner, the trust brand on a
// budget, and mistakes that the admitting brands compensate.
func moneyParams(n int) Params {
	p := marketParams(n)
	for i := range p.Brands {
		p.Brands[i].Trust.IncidentRate = 0.05
		p.Brands[i].Trust.IncidentReach = 0.5
	}
	p.Brands[1].Partners[0].Fee = 7
	p.Brands[2].Budget = Budget{Daily: 40, Push: 0.2, Content: 0.3, Platform: 0.5}
	return p
}

// everyDay runs reps replicates for days days and calls f with every
// brand's metrics of every simulated day.
func everyDay(t *testing.T, p Params, g *graph.Graph, days, reps int, f func(rep int, b int, d *DayMetrics)) {
	t.Helper()
	var mu sync.Mutex
	err := RunReplicates(context.Background(), &p, g, RunOptions{
		Days: days, Replicates: reps, Seed: 5, Workers: 2,
		OnDay: func(rep int, m *Market) {
			if m.Day() == 0 {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for b := range m.Metrics() {
				f(rep, b, &m.Metrics()[b])
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestProfitIsMarginLessEveryLeversSpend(t *testing.T) {
	const n = 4000
	p := moneyParams(n)
	var days, compensated, incentives, partners int
	everyDay(t, p, smallWorld(t, n), 120, 3, func(rep, b int, d *DayMetrics) {
		days++
		levers := d.PushSpend + d.ContentSpend + d.PlatformSpend + d.PartnerSpend + d.IncentiveSpend + d.CompensationSpend
		if math.Abs(d.Spend-levers) > 1e-9*math.Max(1, levers) {
			t.Fatalf("replicate %d day %d brand %d: spend %v, levers' spends sum to %v", rep, d.Day, b, d.Spend, levers)
		}
		if math.Abs(d.Profit-(d.Margin-levers)) > 1e-9*math.Max(1, math.Abs(d.Margin)+levers) {
			t.Fatalf("replicate %d day %d brand %d: profit %v, margin %v less spends %v is %v", rep, d.Day, b, d.Profit, d.Margin, levers, d.Margin-levers)
		}
		if d.CompensationSpend > 0 {
			compensated++
		}
		if d.IncentiveSpend > 0 {
			incentives++
		}
		if d.PartnerSpend > 0 {
			partners++
		}
	})
	// Every kind of spend occurred, so the identity was tested with each.
	if compensated == 0 || incentives == 0 || partners == 0 {
		t.Errorf("over %d brand-days: compensation on %d, incentives on %d, partner fees on %d; want each on some", days, compensated, incentives, partners)
	}
}

func TestZeroBudgetSpendsNothing(t *testing.T) {
	const n = 3000
	p := moneyParams(n)
	for i := range p.Brands {
		p.Brands[i].Trust.IncidentRate = 0
	}
	p.Brands[1].Budget = Budget{Daily: 0, Push: 0.5, Content: 0.5}
	everyDay(t, p, smallWorld(t, n), 60, 2, func(rep, b int, d *DayMetrics) {
		if b != 1 {
			return
		}
		if d.Spend != 0 || d.ImpressionsSent != 0 || d.Unspent != 0 {
			t.Fatalf("replicate %d day %d: a brand with no money spent %v on %d impressions, %v unspent", rep, d.Day, d.Spend, d.ImpressionsSent, d.Unspent)
		}
	})
}

func TestDoubledCostsBuyHalf(t *testing.T) {
	b, _ := StrategyPreset("pull")
	b.Partners = []Partner{{Name: "guild", Audience: 0.2, Rate: 0.1, Credibility: 0.7, Fee: 30}}
	b.Budget = Budget{Daily: 60, Push: 0.2, Content: 0.3, Platform: 0.2, Partners: 0.1}
	dear := b
	dear.Push.OptInCost *= 2
	dear.Pull.PieceCost *= 2
	dear.Pull.PlatformCost *= 2
	dear.Partners = []Partner{b.Partners[0]}
	dear.Partners[0].Fee *= 2
	cheap, costly := b.Fund(10000, 0), dear.Fund(10000, 0)
	for _, tc := range []struct {
		lever        string
		cheap, dear  float64
		wantHalfOfIt bool
	}{
		{"push rate", cheap.PushRate, costly.PushRate, true},
		{"content", cheap.Content, costly.Content, true},
		{"platform share", cheap.PlatformShare, costly.PlatformShare, true},
		{"partner share", cheap.PartnerShare, costly.PartnerShare, true},
	} {
		if tc.cheap <= 0 || math.Abs(tc.dear-tc.cheap/2) > 1e-12*tc.cheap {
			t.Errorf("%s: %v at the costs, %v at twice the costs; want half", tc.lever, tc.cheap, tc.dear)
		}
	}
	if cheap.Allotted != costly.Allotted {
		t.Errorf("money given to the levers changed with their costs: %+v and %+v", cheap.Allotted, costly.Allotted)
	}

	// In the engine, the impressions bought halve: broadcast at rates
	// below the cap, whose daily counts are Poisson.
	const n = 5000
	p := DefaultParams()
	p.Customers = n
	push, _ := StrategyPreset("push")
	push.Budget = Budget{Daily: 20, Push: 1}
	twice := push
	twice.Push.Cost *= 2
	push.Name, twice.Name = "cheap", "dear"
	p.Brands = []Brand{push, twice}
	sent := [2]float64{}
	everyDay(t, p, smallWorld(t, n), 30, 2, func(rep, b int, d *DayMetrics) {
		sent[b] += float64(d.ImpressionsSent)
	})
	// Each total is Poisson: the ratio's sd is about sqrt(1/a + 1/b).
	ratio := sent[1] / sent[0]
	tol := 5 * math.Sqrt(1/sent[0]+1/sent[1]) * ratio
	if math.Abs(ratio-0.5) > tol {
		t.Errorf("impressions at twice the cost: %v of %v (ratio %.4f), want half within %.4f", sent[1], sent[0], ratio, tol)
	}
}

func TestPriceZeroEarnsNothing(t *testing.T) {
	const n = 3000
	p := moneyParams(n)
	p.Brands[0].Price = 0
	var purchases int64
	everyDay(t, p, smallWorld(t, n), 60, 2, func(rep, b int, d *DayMetrics) {
		if b != 0 {
			return
		}
		purchases += d.Purchases
		if d.Revenue != 0 {
			t.Fatalf("replicate %d day %d: revenue %v at price 0", rep, d.Day, d.Revenue)
		}
	})
	if purchases == 0 {
		t.Fatal("nobody bought the free brand: the test tested nothing")
	}
}

// twins is a market of two brands alike in everything but what change
// does to the second.
func twins(n int, change func(b *Brand)) Params {
	p := DefaultParams()
	p.Customers = n
	var bs []Brand
	for _, name := range []string{"same", "changed"} {
		b, _ := StrategyPreset("push")
		b.Name = name
		b.SeedAware = 0.5
		b.SeedCustomers = 0.05
		bs = append(bs, b)
	}
	change(&bs[1])
	p.Brands = bs
	return p
}

func TestCheaperBrandWinsShare(t *testing.T) {
	const n, days, reps = 4000, 90, 8
	p := twins(n, func(b *Brand) { b.Price = 4 })
	g := smallWorld(t, n)
	share := func(b int) []float64 {
		return outcome(t, p, g, days, reps, b, func(m *DayMetrics) float64 { return float64(m.Customers) })
	}
	assertGreater(t, "customers of the cheaper twin", share(1), share(0))
}

func TestCostlierBrandReachesFewer(t *testing.T) {
	const n, days, reps = 4000, 30, 8
	p := twins(n, func(b *Brand) { b.Push.Cost *= 2 })
	for i := range p.Brands {
		p.Brands[i].SeedAware = 0
		p.Brands[i].SeedCustomers = 0
		p.Brands[i].Budget = Budget{Daily: 10, Push: 1}
	}
	g := smallWorld(t, n)
	aware := func(b int) []float64 {
		return outcome(t, p, g, days, reps, b, func(m *DayMetrics) float64 { return float64(m.Aware) })
	}
	assertGreater(t, "customers aware of the brand paying less per impression", aware(0), aware(1))
}

func TestPlannedChangeTakesEffectOnItsDay(t *testing.T) {
	const n, switchDay = 3000, 20
	p := twins(n, func(*Brand) {})
	plan := p.Brands[1]
	plan.Budget = Budget{Daily: 15, Content: 1}
	plan.Pull.Platform = PlatformContent
	p.Changes = []BrandChange{{Day: switchDay, Brand: 1, Params: plan}}
	everyDay(t, p, smallWorld(t, n), 40, 1, func(rep, b int, d *DayMetrics) {
		if b != 1 {
			return
		}
		switch {
		case d.Day < switchDay && (d.ImpressionsSent == 0 || d.ContentSpend != 0):
			t.Errorf("day %d, before the change: %d impressions, %v on content; want push only", d.Day, d.ImpressionsSent, d.ContentSpend)
		case d.Day >= switchDay && (d.ImpressionsSent != 0 || math.Abs(d.ContentSpend-15) > 1e-9):
			t.Errorf("day %d, after the change: %d impressions, %v on content; want content only, 15 a day", d.Day, d.ImpressionsSent, d.ContentSpend)
		}
	})
}

func TestFrequencyCapLeavesPushMoneyUnspent(t *testing.T) {
	const n = 2000
	b, _ := StrategyPreset("push")
	b.Name = "capped"
	b.Budget = Budget{Daily: 100, Push: 1} // 10 impressions a customer, cap 3
	lv := b.Fund(n, 0)
	want := (lv.PushRate - b.Push.FrequencyCap) * n * b.Push.Cost
	if got := b.Leftover(n, lv); math.Abs(got.Push-want) > 1e-9 || want <= 0 || got.Total() != got.Push {
		t.Fatalf("unused push money %v, want %v", got, want)
	}
	p := DefaultParams()
	p.Customers = n
	p.Brands = []Brand{b}
	var unspent, days float64
	everyDay(t, p, smallWorld(t, n), 20, 1, func(rep, _ int, d *DayMetrics) {
		unspent += d.Unspent
		days++
	})
	// Push sends a Poisson number of impressions of mean 3 a customer:
	// about 30 a day of money is left, give or take sqrt(3n) impressions.
	mean, tol := unspent/days, 5*math.Sqrt(3*n)*b.Push.Cost
	if math.Abs(mean-want) > tol {
		t.Errorf("mean unspent %v a day, want %v within %v", mean, want, tol)
	}
}

func TestPricedDayAllocatesNothing(t *testing.T) {
	const n = 10_000
	p := moneyParams(n)
	p.Brands[0].Price = 4
	m, err := NewMarket(&p, smallWorld(t, n), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.SetWorkers(2)
	m.Step()
	if allocs := testing.AllocsPerRun(10, m.Step); allocs != 0 {
		t.Errorf("a day with prices and budgets allocates %v times, want 0", allocs)
	}
}

func ExampleBrand_Fund() {
	b, _ := StrategyPreset("pull")
	b.Budget = Budget{Daily: 50, Push: 0.2, Content: 0.3, Platform: 0.5}
	lv := b.Fund(10_000, 0)
	fmt.Printf("push %.2f impressions a customer, %.2f pieces of content, platform %.0f%% staffed\n",
		lv.PushRate, lv.Content, 100*lv.PlatformShare)
	// Output: push 0.20 impressions a customer, 1.53 pieces of content, platform 100% staffed
}

func TestEqualBudgetHoldsEveryBrandToTheSameMoney(t *testing.T) {
	const n, days, budget = 3000, 30, 30.0
	p := marketParams(n)
	p.Money.EqualBudget = budget
	pull := p.Brands[1].RateSpend(n)
	var pushSpend, sent float64
	everyDay(t, p, smallWorld(t, n), days, 1, func(rep, b int, d *DayMetrics) {
		switch b {
		case 0: // all its money on push, whose impressions are a random count
			pushSpend += d.PushSpend
			sent += float64(d.ImpressionsSent)
		case 1: // content and platform in the proportions its rates cost
			content, platform := budget*pull.Content/pull.Total(), budget*pull.Platform/pull.Total()
			if math.Abs(d.ContentSpend-content) > 1e-9 || math.Abs(d.PlatformSpend-platform) > 1e-9 {
				t.Fatalf("day %d: content %v and platform %v, want %v and %v", d.Day, d.ContentSpend, d.PlatformSpend, content, platform)
			}
		}
	})
	cost := p.Brands[0].Push.Cost
	if tol := 5 * math.Sqrt(sent) * cost; math.Abs(pushSpend-budget*days) > tol {
		t.Errorf("push spent %v over %d days, want %v within %v", pushSpend, days, budget*days, tol)
	}
}
