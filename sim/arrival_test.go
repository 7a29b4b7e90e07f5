package sim

import (
	"math"
	"testing"

	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/internal/drawtest"
)

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
		drawtest.CheckPoisson(t, lambda, func() int32 {
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
		drawtest.CheckPoisson(t, rate*float64(engagement), func() int32 {
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
		m.hearNeighbours(w, 0, ChunkSize)
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
