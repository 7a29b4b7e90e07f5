package sim

import (
	"context"
	"testing"
)

// TestLeaversCountEachCustomerOnce checks the two measures of churn against
// each other and against the state: losses count every departure, leavers
// every customer who ever left once, so leavers never exceed losses nor
// the customers who ever bought, never fall, and are at least the customers
// whose status today is "left"; in a market where customers are won back
// and lost again, losses exceed leavers.
func TestLeaversCountEachCustomerOnce(t *testing.T) {
	p := marketParams(2000)
	g := smallWorld(t, 2000)
	const days = 200
	last := make([][]int64, 2)
	var losses, leavers int64
	err := RunReplicates(context.Background(), &p, g, RunOptions{
		Days: days, Replicates: 2, Seed: 5, Workers: 2,
		OnDay: func(rep int, m *Market) {
			if last[rep] == nil {
				last[rep] = make([]int64, len(m.brands))
			}
			for b, dm := range m.Metrics() {
				left := int64(0)
				for c := range g.N() {
					if m.status[m.at(c, b)] == StatusChurned {
						left++
					}
				}
				if dm.Leavers > dm.Churned || dm.Leavers > dm.Adopters || dm.Leavers < last[rep][b] || dm.Leavers < left {
					t.Fatalf("replicate %d day %d brand %d: %d leavers, %d losses, %d adopters, %d leavers the day before, %d customers now left",
						rep, m.Day(), b, dm.Leavers, dm.Churned, dm.Adopters, last[rep][b], left)
				}
				last[rep][b] = dm.Leavers
				if m.Day() == days {
					losses += dm.Churned
					leavers += dm.Leavers
				}
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if leavers == 0 || losses <= leavers {
		t.Errorf("over all brands and replicates %d losses and %d leavers; want customers lost more than once", losses, leavers)
	}
}
