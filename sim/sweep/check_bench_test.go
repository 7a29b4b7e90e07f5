package sweep

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/sim/scenario"
)

// largeSweep is a grid of points points: one factor of points/2 listed
// values by one of two, as a cluster sweep lists them.
func largeSweep(tb testing.TB, points int) *scenario.Scenario {
	tb.Helper()
	var values strings.Builder
	for i := range points / 2 {
		if i > 0 {
			values.WriteString(", ")
		}
		fmt.Fprintf(&values, "%g", 0.01+float64(i)/float64(points))
	}
	text := `name = "large"
days = 10
replicates = 2
customers = 1000

[[brand]]
name = "Push"
strategy = "push"

[sweep]
method = "grid"

[[sweep.factor]]
path = "brand.Push.push.rate"
values = [` + values.String() + `]

[[sweep.factor]]
path = "attention.capacity"
values = [3, 6]
`
	sc, err := scenario.Parse("large.toml", []byte(text))
	if err != nil {
		tb.Fatal(err)
	}
	return sc
}

// BenchmarkCheckLargeSweep checks sweeps of 10^3 to 10^5 points; the time
// per point should stay flat as the points grow (go test ./sim/sweep -run X
// -bench CheckLargeSweep).
func BenchmarkCheckLargeSweep(b *testing.B) {
	for _, points := range []int{1_000, 10_000, 100_000} {
		sc := largeSweep(b, points)
		b.Run(fmt.Sprintf("points=%d", points), func(b *testing.B) {
			for b.Loop() {
				if err := Check(sc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(points), "ns/point")
		})
	}
}
