package plot

import (
	"math"
	"strconv"

	gplot "gonum.org/v1/plot"
)

// niceTicks labels at least five round values on an axis (steps of 1, 2
// or 5 times a power of ten, the largest that gives five), more than
// gonum's default, so a value
// can be read off a slide without counting minor ticks. Large counts are
// labelled 20k or 1.5M: 1.5e+06 is hard to read from the back of a room.
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []gplot.Tick {
	if !(hi > lo) || !finite(lo) || !finite(hi) {
		return gplot.DefaultTicks{}.Ticks(lo, hi)
	}
	step := niceStep(hi - lo)
	if !(step > 0) || (hi-lo)/step > 100 {
		return gplot.DefaultTicks{}.Ticks(lo, hi)
	}
	var ticks []gplot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+step*1e-9; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, gplot.Tick{Value: v, Label: shortCount(v)})
	}
	return ticks
}

// niceStep returns the largest step of 1, 2 or 5 times a power of ten
// that puts at least five ticks on a range of the given width.
func niceStep(width float64) float64 {
	p := math.Pow(10, math.Ceil(math.Log10(width)))
	for {
		for _, m := range []float64{5, 2, 1} {
			if width/(m*p) >= 4-1e-9 {
				return m * p
			}
		}
		if p /= 10; p == 0 {
			return 0
		}
	}
}

func shortCount(v float64) string {
	abs := math.Abs(v)
	switch {
	case abs >= 1e9:
		return strconv.FormatFloat(v/1e9, 'g', 4, 64) + "G"
	case abs >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 4, 64) + "M"
	case abs >= 1e4:
		return strconv.FormatFloat(v/1e3, 'g', 4, 64) + "k"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}
