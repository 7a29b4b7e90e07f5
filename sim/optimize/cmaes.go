package optimize

import (
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// cmaes is the state of a (mu/mu_w, lambda) CMA-ES that maximizes, with
// the default parameters of Hansen, "The CMA Evolution Strategy: A
// Tutorial" (arXiv:1604.00772, 2016), table 1. Each coordinate has its own
// initial step (the covariance starts diagonal), so that ranges and
// log-ratios can start on their own scales.
type cmaes struct {
	n, lambda, mu          int
	weights                []float64
	mueff                  float64
	cc, cs, c1, cmu, damps float64
	chiN                   float64
	mean, ps, pc           []float64
	sigma                  float64
	cov                    *mat.SymDense
	eigvec                 *mat.Dense
	eigval                 []float64
	generation             int
	lastY                  [][]float64 // the steps of the last sample, in sample order
	lastZ                  [][]float64
	rng                    *rand.Rand
}

func newCMAES(mean, step []float64, lambda int, rng *rand.Rand) *cmaes {
	n := len(mean)
	if lambda < 2 {
		lambda = 4 + int(3*math.Log(float64(n)))
	}
	mu := lambda / 2
	e := &cmaes{n: n, lambda: lambda, mu: mu, rng: rng, sigma: 1}
	e.weights = make([]float64, mu)
	sum, sum2 := 0.0, 0.0
	for i := range e.weights {
		e.weights[i] = math.Log(float64(mu)+0.5) - math.Log(float64(i+1))
		sum += e.weights[i]
	}
	for i := range e.weights {
		e.weights[i] /= sum
		sum2 += e.weights[i] * e.weights[i]
	}
	e.mueff = 1 / sum2
	fn := float64(n)
	e.cc = (4 + e.mueff/fn) / (fn + 4 + 2*e.mueff/fn)
	e.cs = (e.mueff + 2) / (fn + e.mueff + 5)
	e.c1 = 2 / ((fn+1.3)*(fn+1.3) + e.mueff)
	e.cmu = math.Min(1-e.c1, 2*(e.mueff-2+1/e.mueff)/((fn+2)*(fn+2)+e.mueff))
	e.damps = 1 + 2*math.Max(0, math.Sqrt((e.mueff-1)/(fn+1))-1) + e.cs
	e.chiN = math.Sqrt(fn) * (1 - 1/(4*fn) + 1/(21*fn*fn))
	e.mean = append([]float64(nil), mean...)
	e.ps = make([]float64, n)
	e.pc = make([]float64, n)
	e.cov = mat.NewSymDense(n, nil)
	for i := range n {
		e.cov.SetSym(i, i, step[i]*step[i])
	}
	e.decompose()
	return e
}

// decompose finds B and D of C = B D^2 B^T.
func (e *cmaes) decompose() {
	var eig mat.EigenSym
	if !eig.Factorize(e.cov, true) {
		// A covariance that lost its symmetry to rounding: start again
		// from its diagonal.
		d := mat.NewSymDense(e.n, nil)
		for i := range e.n {
			d.SetSym(i, i, math.Max(e.cov.At(i, i), 1e-20))
		}
		e.cov = d
		eig.Factorize(e.cov, true)
	}
	e.eigval = eig.Values(nil)
	for i, v := range e.eigval {
		e.eigval[i] = math.Sqrt(math.Max(v, 1e-20))
	}
	e.eigvec = mat.NewDense(e.n, e.n, nil)
	eig.VectorsTo(e.eigvec)
}

// sample draws lambda points x = m + sigma B D z.
func (e *cmaes) sample() [][]float64 {
	xs := make([][]float64, e.lambda)
	e.lastY = make([][]float64, e.lambda)
	e.lastZ = make([][]float64, e.lambda)
	for k := range xs {
		z := make([]float64, e.n)
		for i := range z {
			z[i] = e.rng.NormFloat64()
		}
		y := make([]float64, e.n)
		for i := range e.n {
			s := 0.0
			for j := range e.n {
				s += e.eigvec.At(i, j) * e.eigval[j] * z[j]
			}
			y[i] = s
		}
		x := make([]float64, e.n)
		for i := range x {
			x[i] = e.mean[i] + e.sigma*y[i]
		}
		xs[k], e.lastY[k], e.lastZ[k] = x, y, z
	}
	return xs
}

// tell updates the distribution from the fitness (higher is better) of
// the last sample, in sample order.
func (e *cmaes) tell(fitness []float64) {
	order := make([]int, e.lambda)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return fitness[order[a]] > fitness[order[b]] })
	yw := make([]float64, e.n)
	zw := make([]float64, e.n)
	for r := range e.mu {
		k := order[r]
		for i := range e.n {
			yw[i] += e.weights[r] * e.lastY[k][i]
			zw[i] += e.weights[r] * e.lastZ[k][i]
		}
	}
	for i := range e.n {
		e.mean[i] += e.sigma * yw[i]
	}
	// C^(-1/2) y_w = B z_w, since y = B D z.
	cs := math.Sqrt(e.cs * (2 - e.cs) * e.mueff)
	for i := range e.n {
		s := 0.0
		for j := range e.n {
			s += e.eigvec.At(i, j) * zw[j]
		}
		e.ps[i] = (1-e.cs)*e.ps[i] + cs*s
	}
	e.generation++
	psNorm := norm(e.ps)
	hsig := 0.0
	if psNorm/math.Sqrt(1-math.Pow(1-e.cs, 2*float64(e.generation)))/e.chiN < 1.4+2/(float64(e.n)+1) {
		hsig = 1
	}
	cc := math.Sqrt(e.cc * (2 - e.cc) * e.mueff)
	for i := range e.n {
		e.pc[i] = (1-e.cc)*e.pc[i] + hsig*cc*yw[i]
	}
	keep := 1 - e.c1 - e.cmu + (1-hsig)*e.c1*e.cc*(2-e.cc)
	for i := range e.n {
		for j := i; j < e.n; j++ {
			v := keep*e.cov.At(i, j) + e.c1*e.pc[i]*e.pc[j]
			for r := range e.mu {
				k := order[r]
				v += e.cmu * e.weights[r] * e.lastY[k][i] * e.lastY[k][j]
			}
			e.cov.SetSym(i, j, v)
		}
	}
	e.sigma *= math.Exp(e.cs / e.damps * (psNorm/e.chiN - 1))
	e.decompose()
}

// spread is the largest standard deviation of the search distribution
// along a coordinate axis.
func (e *cmaes) spread() float64 {
	m := 0.0
	for i := range e.n {
		m = math.Max(m, e.sigma*math.Sqrt(e.cov.At(i, i)))
	}
	return m
}

func norm(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}
