package draw_test

import (
	"fmt"

	"github.com/pushpull/pushpull/sim/internal/draw"
)

// A countdown decides a million trials of chance 0.001 with about a
// thousand draws, one per success; thinning at that bound decides trials
// of chance 0.0005 among them.
func ExampleThinned() {
	var s draw.Source
	s.Init()
	s.Seed(1, 2)
	var k draw.Thinned
	k.Start(&s, 0.001)
	candidates, successes := 0, 0
	for range 1_000_000 {
		if k.Candidate(&s) {
			candidates++
			if k.Accept(&s, 0.0005) {
				successes++
			}
		}
	}
	fmt.Println(candidates, successes)
	// Output: 1022 503
}
