package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/pushpull/pushpull/sim/graph"
)

// TestPCGMatchesMathRand checks that the engine's own generator gives
// math/rand/v2's PCG stream for the same seeds, so that results do not
// depend on which of the two draws them.
func TestPCGMatchesMathRand(t *testing.T) {
	for _, seed := range [][2]uint64{{0, 0}, {1, 2}, {0x9e3779b97f4a7c15, 0x5851f42d4c957f2d}, {^uint64(0), ^uint64(0)}} {
		var got pcg
		got.Seed(seed[0], seed[1])
		want := rand.NewPCG(seed[0], seed[1])
		for i := range 1000 {
			if g, w := got.Uint64(), want.Uint64(); g != w {
				t.Fatalf("seed %v, draw %d: got %#x, math/rand/v2 gives %#x", seed, i, g, w)
			}
		}
	}
}

func TestExpNegMatchesExp(t *testing.T) {
	for x := 0.0; x < 10; x += 0.0037 {
		got, want := expNeg(x), math.Exp(-x)
		if rel := math.Abs(got-want) / want; rel > 1e-15 {
			t.Fatalf("expNeg(%v) = %v, math.Exp gives %v (relative error %.2g)", x, got, want, rel)
		}
	}
}

// TestCountdownChance checks that countdowns succeed with their chance:
// over n trials the share of successes is within 4 standard errors of p.
func TestCountdownChance(t *testing.T) {
	w := newWorker()
	w.src.Seed(3, 4)
	const n = 200_000
	for _, p := range []float64{0, 0.001, 0.02, 0.3, 0.9, 1} {
		var k countdown
		k.start(w, p)
		hits := 0
		for range n {
			if k.hit(w) {
				hits++
			}
		}
		share := float64(hits) / n
		if tol := 4 * math.Sqrt(p*(1-p)/n); math.Abs(share-p) > tol {
			t.Errorf("p = %v: share of successes %v, want within %.2g", p, share, tol)
		}
	}
}

// TestSendSomeCrossesEachTie checks the geometric skipping of sendSome: on
// a star, each tie of the hub is crossed with the chance rate/degree, so
// every leaf's count over many days is binomial.
func TestSendSomeCrossesEachTie(t *testing.T) {
	const leaves, days = 40, 20_000
	g := star(t, leaves)
	p := marketParams(leaves + 1)
	p.Brands = p.Brands[:1]
	p.WordOfMouth.Rate = 3
	m, err := NewMarket(&p, g, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	w := newWorker()
	w.src.Seed(5, 6)
	ties := m.adjacency[m.offsets[0]:m.offsets[1]]
	heard := make([]int, leaves+1)
	head := letterHead(0, kindPositive)
	for range days {
		m.mail.next[0][0] = m.mail.next[0][0][:0]
		m.sendSome(w, ties, oddsPositive, head)
		for _, l := range m.mail.next[0][0] {
			if l&^letterPlaceMask != head {
				t.Fatalf("letter %#x, want brand 0 and positive word (head %#x)", l, head)
			}
			heard[l&letterPlaceMask]++
		}
	}
	chance := p.WordOfMouth.Rate / leaves
	tol := 4 * math.Sqrt(chance*(1-chance)/days)
	var total float64
	for leaf := 1; leaf <= leaves; leaf++ {
		share := float64(heard[leaf]) / days
		total += share
		if math.Abs(share-chance) > tol {
			t.Errorf("leaf %d heard on %.4f of days, want %.4f within %.4f", leaf, share, chance, tol)
		}
	}
	// A day's messages are binomial(leaves, chance).
	if tol := 4 * math.Sqrt(leaves*chance*(1-chance)/days); math.Abs(total-p.WordOfMouth.Rate) > tol {
		t.Errorf("the hub sent %.3f messages a day, want %v within %.3f", total, p.WordOfMouth.Rate, tol)
	}
}

// TestPoissonMoments checks the content-visit draw against Poisson(lambda).
func TestPoissonMoments(t *testing.T) {
	w := newWorker()
	w.src.Seed(7, 8)
	for _, lambda := range []float64{0.05, 0.3, 0.9, 2.5, 7, 30} {
		checkPoisson(t, lambda, func() int32 { return poisson(w, lambda) })
	}
}

// checkPoisson draws 200,000 counts and checks their mean, variance and
// share of zeros against Poisson(lambda), each within 5 standard errors.
func checkPoisson(t *testing.T, lambda float64, draw func() int32) {
	t.Helper()
	const n = 200_000
	var sum, sq, zeros float64
	for range n {
		k := float64(draw())
		sum += k
		sq += k * k
		if k == 0 {
			zeros++
		}
	}
	mean := sum / n
	variance := sq/n - mean*mean
	if tol := 5 * math.Sqrt(lambda/n); math.Abs(mean-lambda) > tol {
		t.Errorf("lambda %v: mean %v, want within %.3g", lambda, mean, tol)
	}
	// The sample variance of a Poisson varies by about (lambda + 2 lambda^2)/n.
	if tol := 5 * math.Sqrt((lambda+2*lambda*lambda)/n); math.Abs(variance-lambda) > tol {
		t.Errorf("lambda %v: variance %v, want within %.3g", lambda, variance, tol)
	}
	p0 := math.Exp(-lambda)
	if tol := 5 * math.Sqrt(p0*(1-p0)/n); math.Abs(zeros/n-p0) > tol {
		t.Errorf("lambda %v: share of zeros %v, want %v within %.3g", lambda, zeros/n, p0, tol)
	}
}

// star is a graph of one hub (node 0) tied to every leaf.
func star(t *testing.T, leaves int) *graph.Graph {
	t.Helper()
	edges := make([][2]int, leaves)
	for i := range edges {
		edges[i] = [2]int{0, i + 1}
	}
	g, _, err := graph.FromEdges(leaves+1, edges)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestPushImpressionsArePoisson checks the push draw, by countdown for
// sparse push, by guided table lookup for denser push and by the general
// draw for large means.
func TestPushImpressionsArePoisson(t *testing.T) {
	p := marketParams(10)
	p.Brands = p.Brands[:1]
	m, err := NewMarket(&p, graph.Complete(10), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	w := newWorker()
	w.src.Seed(9, 10)
	for _, lambda := range []float64{0.05, 0.2, 1, 3.5, 6} {
		m.brands[0].pushLambda, m.brands[0].pushExp = lambda, math.Exp(-lambda)
		m.brands[0].tabulatePush()
		w.startChunk(m)
		checkPoisson(t, lambda, func() int32 {
			arr := w.arrived[0][:1]
			arr[0] = [kinds]int32{}
			m.arrivePush(w, 0, 0, arr)
			return arr[0][kindPush]
		})
	}
}

// TestContentVisitsArePoisson checks the returns of aware customers to a
// brand's content, drawn along one Poisson process through the chunk:
// each customer's count is Poisson with mean content rate times
// engagement, whether the stretches are short or long.
func TestContentVisitsArePoisson(t *testing.T) {
	p := marketParams(ChunkSize)
	p.Brands = p.Brands[1:2] // the pull preset
	m, err := NewMarket(&p, graph.Complete(ChunkSize), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	w := newWorker()
	w.src.Seed(11, 12)
	rate := m.brands[0].contentRate
	for _, engagement := range []float32{0.02, 0.5, 1} {
		for c := range ChunkSize {
			m.flags[m.at(c, 0)] = flagAware
			m.engagement[m.at(c, 0)] = engagement
		}
		arr := w.arrived[0][:ChunkSize]
		next := len(arr)
		checkPoisson(t, rate*float64(engagement), func() int32 {
			if next == len(arr) {
				clear(arr)
				m.arriveContent(w, 0, 0, arr)
				next = 0
			}
			next++
			return arr[next-1][kindContent]
		})
	}
}

// TestLogUnitMatchesLog checks the engine's logarithm on (0, 1] against
// math.Log, to four units in the last place: near 1, where the logarithm
// is small, on every interval of its table, and down to the smallest
// uniform draws.
func TestLogUnitMatchesLog(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	check := func(x float64) {
		got, want := logUnit(x), math.Log(x)
		if d := math.Abs(got - want); d > 4*0x1p-52*math.Abs(want) {
			t.Fatalf("logUnit(%v) = %v, math.Log gives %v (relative error %.2g)", x, got, want, d/math.Abs(want))
		}
	}
	for _, x := range []float64{1, math.Nextafter(1, 0), 1 - 0x1p-40, 0.5, 0.6875, 0.75, 0x1p-53, 1e-300} {
		check(x)
	}
	for range 1_000_000 {
		check(1 - r.Float64())
		check(1 - 1e-6*r.Float64())
		check(math.Ldexp(1-r.Float64(), -r.IntN(60)))
	}
}

// TestExponentialTail checks the ziggurat's exponential draw against the
// exponential survival function exp(-t), within five binomial standard
// errors, at points inside the layers, near the top of the base layer
// and in the tail past zigR, which the draw reaches by its slow paths.
func TestExponentialTail(t *testing.T) {
	const draws = 4_000_000
	w := newWorker()
	w.src.Seed(11, 12)
	points := []float64{0.001, 0.01, 0.1, 0.5, 1, 2, 3, 5, zigR - 0.05, zigR, 9, 11}
	above := make([]int, len(points))
	var sum float64
	for range draws {
		x := w.exponential()
		sum += x
		for k, p := range points {
			if x > p {
				above[k]++
			}
		}
	}
	for k, p := range points {
		want := math.Exp(-p)
		got := float64(above[k]) / draws
		if tol := 5 * math.Sqrt(want*(1-want)/draws); math.Abs(got-want) > tol {
			t.Errorf("share above %v: %.6g, want %.6g within %.2g", p, got, want, tol)
		}
	}
	if mean, tol := sum/draws, 5/math.Sqrt(draws); math.Abs(mean-1) > tol {
		t.Errorf("mean %.5f, want 1 within %.5f", mean, tol)
	}
}

// TestHubHearsEveryLetter sends one letter from each leaf of a star with
// more leaves than a chunk has customers to the hub, by two workers, and
// checks that the hub hears every one the next day, counted into the
// brand's positive word, and that the letters are then gone.
func TestHubHearsEveryLetter(t *testing.T) {
	const leaves = 5000
	g := star(t, leaves)
	p := marketParams(leaves + 1)
	m, err := NewMarket(&p, g, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	m.mail.resize(2)
	for _, set := range m.mail.now {
		for ch := range set {
			set[ch] = set[ch][:0]
		}
	}
	senders := [2]*worker{newWorker(), newWorker()}
	senders[1].id = 1
	for leaf := 1; leaf <= leaves; leaf++ {
		ties := m.adjacency[m.offsets[leaf]:m.offsets[leaf+1]]
		m.sendAll(senders[leaf%2], ties, letterHead(2, kindPositive))
	}
	m.swapMail()
	w := newWorker()
	for pass := range 2 {
		clear(w.acc[:])
		m.hear(w, 0, ChunkSize)
		want := int32(leaves)
		if pass == 1 {
			want = 0
		}
		if got := w.arrived[2][0][kindPositive]; got != want {
			t.Errorf("pass %d: the hub heard %d positive messages about brand 2, want %d", pass, got, want)
		}
		if got := w.total[0]; got != want {
			t.Errorf("pass %d: the hub's message total %d, want %d", pass, got, want)
		}
		if got := w.acc[2].kept[kindPositive]; got != int64(want) {
			t.Errorf("pass %d: brand 2's positive word counted %d, want %d", pass, got, want)
		}
	}
}
