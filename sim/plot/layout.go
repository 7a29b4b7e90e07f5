package plot

import (
	"math"

	"github.com/pushpull/pushpull/sim/output"
)

// OrbitLayout places the brands and customers of the social-gravity
// picture in a square of side 2 centred on the origin, y up. Brands are
// planets set evenly on a circle, each with a gravity well of radius
// Well; a customer sits around the brand it orbits at an angle fixed by
// its id, so it never jumps between frames, and at a distance that
// shrinks as its engagement grows. Customers who orbit no brand drift in
// the outer ring, deep space, between DeepSpace and 1. The live classroom
// page uses the same layout, so both pictures agree.
type OrbitLayout struct {
	Planets   []Planet
	Well      float64 // radius of every brand's gravity well
	Core      float64 // radius of the planet disc itself
	DeepSpace float64 // inner radius of the ring of customers orbiting no brand
}

// Planet is a brand's position in an OrbitLayout.
type Planet struct{ X, Y float64 }

// Layout proportions: the deep-space ring takes the outer tenth, wells
// stay clear of it and of each other by a small gap, and the planet disc
// is a fifth of its well, large enough to carry the brand's name.
const (
	deepSpaceInner = 0.88
	layoutGap      = 0.04
	wellFill       = 0.92 // share of the half-distance between planets a well may take
	coreShare      = 0.22
)

// NewOrbitLayout lays out n brands. Two brands sit side by side; three or
// more start at the top and go clockwise, in brand order.
func NewOrbitLayout(n int) OrbitLayout {
	l := OrbitLayout{DeepSpace: deepSpaceInner}
	room := deepSpaceInner - layoutGap
	switch {
	case n <= 0:
		return l
	case n == 1:
		l.Planets = []Planet{{0, 0}}
		l.Well = room
	default:
		s := wellFill * math.Sin(math.Pi/float64(n))
		ring := room / (1 + s)
		l.Well = s * ring
		start := math.Pi / 2
		if n == 2 {
			start = math.Pi
		}
		for b := range n {
			a := start - 2*math.Pi*float64(b)/float64(n)
			l.Planets = append(l.Planets, Planet{ring * math.Cos(a), ring * math.Sin(a)})
		}
	}
	l.Core = coreShare * l.Well
	return l
}

// Place returns where a sampled customer is drawn. Engagement 1 puts it
// just outside the planet, engagement 0 at the edge of the well; a small
// radial jitter, also fixed by the id, keeps customers with equal
// engagement from hiding behind each other.
func (l OrbitLayout) Place(p output.OrbitPoint) (x, y float64) {
	u, v := hash2(uint64(uint32(p.Customer)))
	angle := 2 * math.Pi * u
	b := int(p.Brand)
	if b < 0 || b >= len(l.Planets) {
		r := l.DeepSpace + (1-l.DeepSpace)*(0.15+0.7*v)
		return r * math.Cos(angle), r * math.Sin(angle)
	}
	e := float64(p.Engagement)
	if !(e >= 0) { // NaN too
		e = 0
	}
	e = min(e, 1)
	inner := l.Core * 1.25
	span := l.Well - inner
	r := inner + span*(1-e) + span*0.08*(v-0.5)
	r = max(inner, min(l.Well, r))
	pl := l.Planets[b]
	return pl.X + r*math.Cos(angle), pl.Y + r*math.Sin(angle)
}

// hash2 turns a customer id into two fixed numbers in [0, 1) (splitmix64),
// so a customer keeps its place from frame to frame and run to run.
func hash2(id uint64) (float64, float64) {
	next := func() uint64 {
		id += 0x9e3779b97f4a7c15
		z := id
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	a, b := next(), next()
	return float64(a>>11) / (1 << 53), float64(b>>11) / (1 << 53)
}
