package graph

import (
	"fmt"
	"math"
	"testing"
)

// The model tests check each generator against what its model predicts,
// at n = 10^5 with a fixed seed; tolerances come from the sampling
// distribution of the quantity checked (3 standard errors) unless stated.

const modelN = 100_000

func degreeMoments(g *Graph) (mean, variance float64) {
	n := float64(g.N())
	var s, s2 float64
	for i := range g.N() {
		d := float64(g.Degree(i))
		s += d
		s2 += d * d
	}
	mean = s / n
	return mean, (s2 - n*mean*mean) / (n - 1)
}

type meanDegreeCase struct {
	name     string
	make     func() (*Graph, Erased, error)
	want, se float64 // se 0: deterministic, must match exactly
}

func noErased(g *Graph, err error) (*Graph, Erased, error) { return g, Erased{}, err }

// TestMeanDegree: each generator's realized mean degree against the one
// asked for, within 3 standard errors derived for each model in place.
func TestMeanDegree(t *testing.T) {
	n := modelN
	fn := float64(n)
	pairs := fn * (fn - 1) / 2

	// Erdos-Renyi: M ~ Binomial(pairs, p), so the mean degree 2M/n has
	// standard error 2 sqrt(pairs p (1-p)) / n.
	p := 10 / (fn - 1)
	cases := []meanDegreeCase{{"erdos_renyi", func() (*Graph, Erased, error) {
		return noErased(ErdosRenyi(n, 10, newRand(7)))
	}, 10, 2 * math.Sqrt(pairs*p*(1-p)) / fn}}

	// Communities: inside and outside pairs are independent Bernoulli
	// trials at pIn and pOut, so Var M is the sum of two binomial variances.
	pIn, pOut, in, out := blockProbabilities(n, 10, 10, 0.8)
	cases = append(cases, meanDegreeCase{"communities", func() (*Graph, Erased, error) {
		return noErased(Communities(n, 10, 10, 0.8, newRand(7)))
	}, 10, 2 * math.Sqrt(in*pIn*(1-pIn)+out*pOut*(1-pOut)) / fn})

	// Watts-Strogatz and the ring: rewiring moves ties without adding or
	// removing any, and duplicates are redrawn: exactly k.
	cases = append(cases,
		meanDegreeCase{"watts_strogatz exactly k", func() (*Graph, Erased, error) {
			return noErased(WattsStrogatz(n, 10, 0.3, newRand(7)))
		}, 10, 0},
		meanDegreeCase{"ring exactly k", func() (*Graph, Erased, error) { return noErased(Ring(n, 10)) }, 10, 0})

	// Barabasi-Albert: m(m+1)/2 clique edges plus m per later node, so the
	// mean degree is exactly 2m - m(m+1)/n, about 2m.
	cases = append(cases, meanDegreeCase{"barabasi_albert exactly 2m - m(m+1)/n", func() (*Graph, Erased, error) {
		return noErased(BarabasiAlbert(n, 5, newRand(7)))
	}, 10 - 30/fn, 0})

	// Power law: degrees are drawn independently from the truncated
	// discrete power law, so the mean before erasure (the 2 ends of each
	// dropped self-loop or multi-edge added back) has standard error
	// sd/sqrt(n), sd from the exact moments. Below exponent 3 the variance
	// is dominated by the rare hubs near the cutoff n-1 and the sample mean
	// is too skewed for a normal tolerance, so the check is made at 3 and
	// 3.5.
	for _, exponent := range []float64{3, 3.5} {
		mean, square := powerLawMoments(exponent, 4, n-1)
		cases = append(cases, meanDegreeCase{fmt.Sprintf("power_law %g before erasure", exponent), func() (*Graph, Erased, error) {
			return PowerLaw(n, exponent, 4, newRand(7))
		}, mean, math.Sqrt((square - mean*mean) / fn)})
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, er, err := c.make()
			if err != nil {
				t.Fatal(err)
			}
			got := (2*float64(g.M()) + 2*float64(er.SelfLoops+er.MultiEdges)) / fn
			if c.se == 0 {
				if math.Abs(got-c.want) > 1e-9 {
					t.Errorf("mean degree %.6f, want exactly %.6f", got, c.want)
				}
				return
			}
			if z := (got - c.want) / c.se; math.Abs(z) > 3 {
				t.Errorf("mean degree %.4f, want %.4f ± 3 × %.4f (z = %.2f)", got, c.want, c.se, z)
			}
			if dropped := float64(er.SelfLoops + er.MultiEdges); dropped > 0.01*float64(g.M()) {
				t.Errorf("erasure dropped %g edges of %d", dropped, g.M())
			}
		})
	}
}

// TestErdosRenyiPoisson: degrees are Binomial(n-1, p), nearly Poisson, so
// the sample variance is close to the sample mean. For Poisson(λ) the
// sample variance has standard error sqrt((μ4 - σ^4)/n) with
// μ4 = λ + 3λ², that is sqrt((λ + 2λ²)/n).
func TestErdosRenyiPoisson(t *testing.T) {
	g, err := ErdosRenyi(modelN, 10, newRand(3))
	if err != nil {
		t.Fatal(err)
	}
	mean, variance := degreeMoments(g)
	se := math.Sqrt((mean + 2*mean*mean) / modelN)
	if z := (variance - mean) / se; math.Abs(z) > 3 {
		t.Errorf("degree variance %.4f, mean %.4f: not Poisson (z = %.2f, se %.4f)", variance, mean, z, se)
	}
}

// discreteMLE is the approximate maximum-likelihood power-law exponent of
// the degrees >= kmin (Clauset, Shalizi & Newman 2009, eq. 3.7):
// alpha = 1 + n_tail / sum ln(k_i/(kmin - 1/2)), with standard error
// (alpha-1)/sqrt(n_tail).
func discreteMLE(g *Graph, kmin int) (alpha, se float64, tail int) {
	var sum float64
	for i := range g.N() {
		if d := g.Degree(i); d >= kmin {
			tail++
			sum += math.Log(float64(d) / (float64(kmin) - 0.5))
		}
	}
	alpha = 1 + float64(tail)/sum
	return alpha, (alpha - 1) / math.Sqrt(float64(tail)), tail
}

// TestBarabasiAlbertDegrees: every node has degree at least m, and the
// tail exponent (theory: 3) fitted above kmin = 20 = 4m, where the exact
// finite-m distribution 2m(m+1)/(k(k+1)(k+2)) is close to k^-3, lies in
// [2.5, 3.5].
func TestBarabasiAlbertDegrees(t *testing.T) {
	const m = 5
	g, err := BarabasiAlbert(modelN, m, newRand(11))
	if err != nil {
		t.Fatal(err)
	}
	s := Compute(g, 1000, newRand(1))
	if s.MinDegree != m {
		t.Errorf("minimum degree %d, want m = %d", s.MinDegree, m)
	}
	alpha, se, tail := discreteMLE(g, 4*m)
	if alpha < 2.5 || alpha > 3.5 {
		t.Errorf("tail exponent %.3f ± %.3f over %d nodes, want 2.5 to 3.5", alpha, se, tail)
	}
	if s.Components != 1 {
		t.Errorf("%d components, want 1 (every new node joins the graph)", s.Components)
	}
}

// TestWattsStrogatzClustering: mean clustering against Barrat & Weigt's
// (2000) C(beta) = C(0)(1-beta)^3 with C(0) = 3(k-2)/(4(k-1)). At beta = 0
// it is exact; otherwise the formula is a ratio of expectations (and
// ignores triangles closed by rewired ties), off by a few thousandths at
// these sizes, while sampling error at n = 10^5 is below 10^-3: the
// tolerance is 0.01.
func TestWattsStrogatzClustering(t *testing.T) {
	const k = 10
	c0 := 3.0 * (k - 2) / (4 * (k - 1))
	for _, beta := range []float64{0, 0.05, 0.1, 0.3} {
		g, err := WattsStrogatz(modelN, k, beta, newRand(5))
		if err != nil {
			t.Fatal(err)
		}
		got := Compute(g, 0, nil).Clustering
		want := c0 * math.Pow(1-beta, 3)
		tol := 0.01
		if beta == 0 {
			tol = 1e-12
		}
		if math.Abs(got-want) > tol {
			t.Errorf("beta %g: clustering %.4f, want %.4f ± %g", beta, got, want, tol)
		}
	}
}

// TestCommunitiesHomophily: the share of ties inside communities is
// I/(I+O) with I ~ Binomial(pairsIn, pIn) and O ~ Binomial(pairsOut,
// pOut) independent; by the delta method its variance is
// ((1-h)² Var I + h² Var O) / E[M]². Homophily 0.05 is below the share of
// pairs that are inside (about 1/c), exercising the thinning branch.
func TestCommunitiesHomophily(t *testing.T) {
	const n, c, d = modelN, 10, 10.0
	for _, h := range []float64{0.8, 0.5, 0.05, 1} {
		g, err := Communities(n, c, d, h, newRand(9))
		if err != nil {
			t.Fatal(err)
		}
		var inside int64
		for u := range n {
			for _, v := range g.Neighbors(u) {
				if int(v) > u && CommunityOf(u, n, c) == CommunityOf(int(v), n, c) {
					inside++
				}
			}
		}
		share := float64(inside) / float64(g.M())
		pIn, pOut, in, out := blockProbabilities(n, c, d, h)
		expected := float64(n) * d / 2
		se := math.Sqrt((1-h)*(1-h)*in*pIn*(1-pIn)+h*h*out*pOut*(1-pOut)) / expected
		if math.Abs(share-h) > 3*se+1e-12 {
			t.Errorf("homophily %g: inside share %.4f, want %.4f ± 3 × %.4f", h, share, h, se)
		}
	}
}

func TestCommunityOf(t *testing.T) {
	for _, c := range []struct{ n, k int }{{10, 3}, {100, 7}, {7, 7}, {1_000_003, 10}} {
		sizes := make([]int, c.k)
		for i := range c.n {
			k := CommunityOf(i, c.n, c.k)
			if i < communityStart(k, c.n, c.k) || i >= communityStart(k+1, c.n, c.k) {
				t.Fatalf("n %d, c %d: node %d in community %d outside its block", c.n, c.k, i, k)
			}
			sizes[k]++
		}
		lo, hi := sizes[0], sizes[0]
		for _, s := range sizes {
			lo, hi = min(lo, s), max(hi, s)
		}
		if hi-lo > 1 {
			t.Errorf("n %d, c %d: sizes from %d to %d", c.n, c.k, lo, hi)
		}
	}
}

// TestPowerLawExponent: the realized degrees' exponent, fitted by discrete
// MLE above kmin = 2 × min degree (the approximate MLE is accurate from
// about kmin 6, Clauset et al. 2009), is within 3 standard errors plus
// 0.03 of the one asked for; the 0.03 allows for the MLE approximation and
// for erasure, which trims the largest hubs.
func TestPowerLawExponent(t *testing.T) {
	for _, exponent := range []float64{2.5, 3} {
		g, er, err := PowerLaw(modelN, exponent, 4, newRand(13))
		if err != nil {
			t.Fatal(err)
		}
		alpha, se, tail := discreteMLE(g, 8)
		if math.Abs(alpha-exponent) > 3*se+0.03 {
			t.Errorf("exponent %g: fitted %.3f ± %.3f over %d nodes (erased %+v)", exponent, alpha, se, tail, er)
		}
		if s := Compute(g, 100, newRand(1)); s.MinDegree < 1 {
			t.Errorf("exponent %g: isolated nodes", exponent)
		}
	}
}

// TestConfigurationDegrees: the erased model keeps every degree at most as
// asked, and the ends lost are exactly those of the erased edges.
func TestConfigurationDegrees(t *testing.T) {
	degrees := make([]int, 10_000)
	var sum int64
	for i := range degrees {
		degrees[i] = 3 + i%5
		sum += int64(degrees[i])
	}
	g, er, err := Configuration(degrees, newRand(17))
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range degrees {
		if g.Degree(i) > d {
			t.Fatalf("node %d: degree %d, asked for %d", i, g.Degree(i), d)
		}
	}
	if 2*g.M()+2*(er.SelfLoops+er.MultiEdges) != sum {
		t.Errorf("2M %d + erased ends %d != asked %d", 2*g.M(), 2*(er.SelfLoops+er.MultiEdges), sum)
	}
	// Expected self-loops in a random pairing: sum_i d_i(d_i-1)/(2 (2M-1)).
	var want float64
	for _, d := range degrees {
		want += float64(d*(d-1)) / (2 * float64(sum-1))
	}
	if math.Abs(float64(er.SelfLoops)-want) > 3*math.Sqrt(want)+1 {
		t.Errorf("%d self-loops, expected about %.1f (Poisson)", er.SelfLoops, want)
	}
}
