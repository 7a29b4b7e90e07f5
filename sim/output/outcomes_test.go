package output

import (
	"bytes"
	"math"
	"testing"

	"github.com/pushpull/pushpull/sim"
)

func TestTrackerOutcomes(t *testing.T) {
	const customers = 100
	tr := NewTracker(customers, 1)
	// Day 0 seeds 5 adopters; awareness and adoption then grow.
	days := []sim.DayMetrics{
		{Day: 0, Aware: 5, Customers: 5, Adopters: 5},
		{Day: 1, Aware: 12, Customers: 7, Adopters: 7, NewAdoptions: 2, Purchases: 4, ImpressionsSent: 100, ImpressionsWasted: 40, PushSpend: 1},
		{Day: 2, Aware: 55, Customers: 11, Adopters: 13, NewAdoptions: 6, Purchases: 6, ImpressionsSent: 100, ImpressionsWasted: 10, PushSpend: 1, Advocates: 3, Detractors: 1},
		{Day: 3, Aware: 60, Customers: 10, Adopters: 15, NewAdoptions: 2, Purchases: 2, Churned: 5, ChurnEvents: 5, Leavers: 4, Advocates: 4, Detractors: 2},
	}
	for _, d := range days {
		tr.Observe(d.Day, []sim.DayMetrics{d})
	}
	out := tr.Outcomes(0)
	want := map[string]float64{
		"adoption": 0.1, "customers": 10, "adopters": 15, "aware": 60, "advocates": 4, "detractors": 2,
		"net_advocacy": 0.02, "churned": 5, "leavers": 4, "purchases": 12, "purchase_share": 1,
		"impressions_sent": 200, "impressions_wasted": 50, "wasted_share": 0.25, "push_spend": 2,
		"cost_per_adopter":        0.2,           // 2 spent for 10 adopters gained; the 5 seeds cost nothing
		"churn_rate":              30 * 5.0 / 23, // 5 losses over 5+7+11 customer-days, the days' starting customers
		"days_to_10pct_awareness": 1, "days_to_50pct_awareness": 2, "days_to_10pct_adoption": 2,
		"days_to_50pct_adoption": math.NaN(), "peak_adoption_day": 2,
	}
	for name, w := range want {
		got := out[OutcomeIndex(name)]
		if !(got == w || math.IsNaN(w) && math.IsNaN(got) || math.Abs(got-w) < 1e-12) {
			t.Errorf("%s = %v, want %v", name, got, w)
		}
	}
}

func TestWriteScenario(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteScenario(&buf, []byte("days = 3\n"), []string{"--set brand.A.push.rate=2", "--days 3"}); err != nil {
		t.Fatal(err)
	}
	want := "# Run with these changes to the file below:\n#   --set brand.A.push.rate=2\n#   --days 3\n\ndays = 3\n"
	if buf.String() != want {
		t.Errorf("scenario.toml:\n%s\nwant:\n%s", buf.String(), want)
	}
	buf.Reset()
	WriteScenario(&buf, []byte("days = 3\n"), nil)
	if buf.String() != "days = 3\n" {
		t.Errorf("without changes the file is not as read: %q", buf.String())
	}
}
