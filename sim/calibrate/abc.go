package calibrate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// A Model simulates what the data observe at parameter values theta (one
// value per prior, in order) with every random draw derived from seed, and
// writes it into out, whose layout is the observed vector's. It must give
// the same out for the same theta and seed, and be safe to call from
// several goroutines at once.
type Model func(ctx context.Context, theta []float64, seed uint64, out []float64) error

// Defaults of Options.
const (
	DefaultParticles     = 500
	DefaultQuantile      = 0.5
	DefaultMinAcceptance = 0.02
	DefaultGenerations   = 20
	// attemptFactor bounds one particle's proposals at this many over
	// MinAcceptance: a particle that needs more means the generation's
	// acceptance is far below the minimum (the chance of so many rejections
	// at the minimum rate is about e^-20), and the generation is dropped.
	attemptFactor = 20
)

// Options say how Run fits.
type Options struct {
	// Particles is the population size N (default DefaultParticles).
	Particles int
	// Quantile sets each generation's tolerance: this quantile of the
	// previous population's weighted distances (Del Moral et al. 2012;
	// default DefaultQuantile).
	Quantile float64
	// Tolerance stops the fit once a generation's tolerance is at or
	// below it (0: never).
	Tolerance float64
	// MinAcceptance stops the fit after a generation whose acceptance
	// rate (particles over simulations) is below it (default
	// DefaultMinAcceptance).
	MinAcceptance float64
	// Budget is the most simulations the fit may spend (0: no limit). A
	// generation starts only if the simulations spent plus those it is
	// expected to need (N over the last acceptance rate) fit the budget.
	Budget int
	// Generations bounds the generations, the prior's included (default
	// DefaultGenerations).
	Generations int
	// Seed fixes every draw: the proposals and the simulations' seeds of
	// particle i's attempt a in generation g derive from (Seed, g, i, a).
	Seed uint64
	// Workers is the number of simulations under way at once (default:
	// all cores). It changes nothing in the results.
	Workers int
	// Resume holds finished generations of an earlier fit with the same
	// model, priors, data and options, as OnGeneration was given them; the
	// fit continues after the last, with the same result as if it had
	// never stopped.
	Resume []*Generation
	// OnGeneration, when set, is called with every generation finished
	// (not those of Resume); an error stops the fit.
	OnGeneration func(*Generation) error
	// Progress, when set, is called after every accepted particle with the
	// generation under way; calls are serialized.
	Progress func(Progress)
}

// Progress is the state of the generation under way.
type Progress struct {
	Generation  int
	Tolerance   float64 // +Inf for the prior's generation
	Accepted    int     // particles accepted so far in this generation
	Particles   int
	Simulations int // simulations of this generation so far
}

// A Generation is one population of weighted particles.
type Generation struct {
	Index int
	// Tolerance is the largest distance accepted: +Inf for generation 0,
	// drawn from the prior.
	Tolerance float64
	// Particles[i] holds particle i's value of every key, in prior order.
	Particles [][]float64
	// Weights are normalised to sum to 1.
	Weights   []float64
	Distances []float64
	// Simulations counts the model runs of this generation, Proposals the
	// values proposed (those outside the prior are not simulated).
	Simulations int
	Proposals   int
}

// Acceptance is the generation's acceptance rate: particles accepted over
// simulations run.
func (g *Generation) Acceptance() float64 {
	return float64(len(g.Particles)) / float64(g.Simulations)
}

// ESS is the effective sample size of the weights, 1 / sum w_i^2 (Kish).
func (g *Generation) ESS() float64 {
	var s float64
	for _, w := range g.Weights {
		s += w * w
	}
	return 1 / s
}

// Result is a finished fit.
type Result struct {
	// Generations are every population in order; the last is the
	// posterior.
	Generations []*Generation
	// Simulations counts every model run, those of dropped generations
	// included.
	Simulations int
	// Stop says why the fit ended.
	Stop string
}

// Posterior is the last generation.
func (r *Result) Posterior() *Generation { return r.Generations[len(r.Generations)-1] }

func (o Options) withDefaults() Options {
	if o.Particles <= 0 {
		o.Particles = DefaultParticles
	}
	if o.Quantile <= 0 || o.Quantile >= 1 {
		o.Quantile = DefaultQuantile
	}
	if o.MinAcceptance <= 0 {
		o.MinAcceptance = DefaultMinAcceptance
	}
	if o.Generations <= 0 {
		o.Generations = DefaultGenerations
	}
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	return o
}

// errTooManyAttempts marks a generation whose acceptance fell so far below
// the minimum that a particle ran out of attempts.
var errTooManyAttempts = errors.New("calibrate: acceptance far below the minimum")

// Run fits priors to the data by ABC-SMC (Toni et al. 2009) with the
// weights and adaptive Gaussian kernel of Beaumont et al. (2009) and the
// adaptive tolerance of Del Moral et al. (2012). Generation 0 draws N
// particles from the prior and simulates each once. Generation g sets its
// tolerance to the Quantile of generation g-1's weighted distances; each
// of its N particles proposes a value by drawing a particle of g-1 by
// weight and moving it by a Gaussian with twice the weighted covariance of
// g-1 (in the priors' working coordinates), simulates it, and keeps it
// once its distance is within the tolerance, weighted prior(theta) / sum_j
// W_j K(theta | theta_j). The fit stops at the target Tolerance, below
// MinAcceptance, at the Budget, after Generations, or when the tolerance
// no longer falls.
func Run(ctx context.Context, model Model, priors []Prior, dist *Distance, opt Options) (*Result, error) {
	if len(priors) == 0 {
		return nil, errors.New("calibrate: nothing to fit: no prior given")
	}
	for _, p := range priors {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("calibrate: %s: %w", p.Key, err)
		}
	}
	opt = opt.withDefaults()
	res := &Result{}
	for _, g := range opt.Resume {
		if len(g.Particles) != opt.Particles || len(g.Weights) != opt.Particles || g.Index != len(res.Generations) {
			return nil, fmt.Errorf("calibrate: the generations to resume do not belong to this fit: generation %d", g.Index)
		}
		res.Generations = append(res.Generations, g)
		res.Simulations += g.Simulations
	}
	if len(res.Generations) > 0 {
		if stop := stopReason(res, opt); stop != "" {
			res.Stop = stop
			return res, nil
		}
	}
	for {
		index := len(res.Generations)
		var prev *Generation
		tol := math.Inf(1)
		if index > 0 {
			prev = res.Generations[index-1]
			tol = math.Max(opt.Tolerance, weightedQuantile(prev.Distances, prev.Weights, opt.Quantile))
		}
		g, spent, err := generation(ctx, model, priors, dist, opt, index, tol, prev)
		res.Simulations += spent
		if errors.Is(err, errTooManyAttempts) {
			res.Stop = fmt.Sprintf("acceptance below %g: generation %d dropped", opt.MinAcceptance, index)
			return res, nil
		}
		if err != nil {
			return nil, err
		}
		res.Generations = append(res.Generations, g)
		if opt.OnGeneration != nil {
			if err := opt.OnGeneration(g); err != nil {
				return nil, err
			}
		}
		if stop := stopReason(res, opt); stop != "" {
			res.Stop = stop
			return res, nil
		}
	}
}

// stopReason says why the fit should not run another generation, or "".
func stopReason(res *Result, opt Options) string {
	g := res.Posterior()
	next := weightedQuantile(g.Distances, g.Weights, opt.Quantile)
	switch {
	case opt.Tolerance > 0 && g.Tolerance <= opt.Tolerance:
		return fmt.Sprintf("target tolerance %g reached", opt.Tolerance)
	case g.Index > 0 && g.Acceptance() < opt.MinAcceptance:
		return fmt.Sprintf("acceptance %.4f below the minimum %g", g.Acceptance(), opt.MinAcceptance)
	case len(res.Generations) >= opt.Generations:
		return fmt.Sprintf("%d generations", opt.Generations)
	case !(next < g.Tolerance) || next == 0:
		return "tolerance no longer falls"
	case opt.Budget > 0 && res.Simulations+int(math.Ceil(float64(opt.Particles)/g.Acceptance())) > opt.Budget:
		return fmt.Sprintf("simulation budget %d: the next generation would pass it", opt.Budget)
	}
	return ""
}

// kernel is the perturbation of one generation: a Gaussian with
// covariance twice the weighted covariance of the previous population, in
// working coordinates.
type kernel struct {
	chol   mat.Cholesky
	lower  *mat.TriDense
	from   [][]float64 // previous particles, working coordinates
	logW   []float64
	priors []Prior
}

func newKernel(priors []Prior, prev *Generation) (*kernel, error) {
	k := &kernel{priors: priors}
	d := len(priors)
	n := len(prev.Particles)
	k.from = make([][]float64, n)
	mean := make([]float64, d)
	for i, x := range prev.Particles {
		z := make([]float64, d)
		for j, p := range priors {
			z[j] = p.toWork(x[j])
			mean[j] += prev.Weights[i] * z[j]
		}
		k.from[i] = z
	}
	cov := mat.NewSymDense(d, nil)
	for a := range d {
		for b := a; b < d; b++ {
			var s float64
			for i, z := range k.from {
				s += prev.Weights[i] * (z[a] - mean[a]) * (z[b] - mean[b])
			}
			cov.SetSym(a, b, 2*s)
		}
	}
	// A key on which every particle agrees would make the covariance
	// singular; a jitter far below the prior's width keeps it positive.
	for a, p := range priors {
		w := p.toWork(p.High) - p.toWork(p.Low)
		if math.IsInf(w, 0) || math.IsNaN(w) {
			w = p.SD
		}
		cov.SetSym(a, a, cov.At(a, a)+1e-12*w*w)
	}
	if ok := k.chol.Factorize(cov); !ok {
		return nil, errors.New("calibrate: the population's covariance is not positive definite")
	}
	k.lower = mat.NewTriDense(d, mat.Lower, nil)
	k.chol.LTo(k.lower)
	k.logW = make([]float64, n)
	for i, w := range prev.Weights {
		k.logW[i] = math.Log(w)
	}
	return k, nil
}

// propose draws a previous particle by weight and perturbs it.
func (k *kernel) propose(r *rand.Rand, cum []float64, z []float64) {
	j, _ := slices.BinarySearch(cum, r.Float64()*cum[len(cum)-1])
	j = min(j, len(cum)-1)
	d := len(z)
	noise := make([]float64, d)
	for a := range noise {
		noise[a] = r.NormFloat64()
	}
	for a := range d {
		z[a] = k.from[j][a]
		for b := 0; b <= a; b++ {
			z[a] += k.lower.At(a, b) * noise[b]
		}
	}
}

// logWeight is log prior(z) - log sum_j W_j K(z | z_j), the normalising
// constants of the kernel and prior left out (they cancel).
func (k *kernel) logWeight(z []float64) float64 {
	var lp float64
	for a, p := range k.priors {
		lp += p.logDensity(z[a])
	}
	d := len(z)
	diff := mat.NewVecDense(d, nil)
	sol := mat.NewVecDense(d, nil)
	terms := make([]float64, len(k.from))
	for i, zj := range k.from {
		for a := range d {
			diff.SetVec(a, z[a]-zj[a])
		}
		if err := sol.SolveVec(k.lower, diff); err != nil {
			terms[i] = math.Inf(-1)
			continue
		}
		terms[i] = k.logW[i] - 0.5*mat.Dot(sol, sol)
	}
	return lp - logSumExp(terms)
}

func logSumExp(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	if math.IsInf(m, -1) {
		return m
	}
	var s float64
	for _, x := range xs {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}

// slot is one particle of a generation, found by its own sequence of
// attempts.
type slot struct {
	theta    []float64
	z        []float64
	distance float64
	logW     float64
	sims     int
	attempts int
}

// generation finds the N particles of generation index; it returns the
// simulations spent even when it fails.
func generation(ctx context.Context, model Model, priors []Prior, dist *Distance, opt Options, index int, tol float64, prev *Generation) (*Generation, int, error) {
	var k *kernel
	var cum []float64
	if prev != nil {
		var err error
		if k, err = newKernel(priors, prev); err != nil {
			return nil, 0, err
		}
		cum = make([]float64, len(prev.Weights))
		var s float64
		for i, w := range prev.Weights {
			s += w
			cum[i] = s
		}
	}
	maxAttempts := int(math.Ceil(attemptFactor / opt.MinAcceptance))
	slots := make([]slot, opt.Particles)
	var (
		mu       sync.Mutex
		accepted int
		sims     int
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	err := forEach(ctx, opt.Workers, opt.Particles, func(ctx context.Context, i int) error {
		s := &slots[i]
		s.z = make([]float64, len(priors))
		s.theta = make([]float64, len(priors))
		out := make([]float64, dist.Len())
		for a := 0; ; a++ {
			if a >= maxAttempts {
				return errTooManyAttempts
			}
			s.attempts++
			r := rand.New(rand.NewPCG(streamSeed(opt.Seed, streamProposal, uint64(index), uint64(i), uint64(a)), streamProposal))
			if k == nil {
				for j, p := range priors {
					s.z[j] = p.sample(r)
				}
			} else {
				k.propose(r, cum, s.z)
				if !insideAll(priors, s.z) {
					continue
				}
			}
			for j, p := range priors {
				s.theta[j] = p.fromWork(s.z[j])
			}
			if err := model(ctx, s.theta, streamSeed(opt.Seed, streamSimulation, uint64(index), uint64(i), uint64(a)), out); err != nil {
				return err
			}
			s.sims++
			s.distance = dist.Of(out)
			mu.Lock()
			sims++
			mu.Unlock()
			if s.distance <= tol {
				break
			}
		}
		if k != nil {
			s.logW = k.logWeight(s.z)
		}
		mu.Lock()
		accepted++
		if opt.Progress != nil {
			opt.Progress(Progress{Generation: index, Tolerance: tol, Accepted: accepted, Particles: opt.Particles, Simulations: sims})
		}
		mu.Unlock()
		return nil
	})
	spent := 0
	for _, s := range slots {
		spent += s.sims
	}
	if err != nil {
		return nil, spent, err
	}
	g := &Generation{Index: index, Tolerance: tol, Particles: make([][]float64, len(slots)),
		Weights: make([]float64, len(slots)), Distances: make([]float64, len(slots))}
	logW := make([]float64, len(slots))
	for i, s := range slots {
		g.Particles[i] = s.theta
		g.Distances[i] = s.distance
		g.Simulations += s.sims
		g.Proposals += s.attempts
		logW[i] = s.logW
	}
	norm := logSumExp(logW)
	for i := range logW {
		g.Weights[i] = math.Exp(logW[i] - norm)
	}
	return g, spent, nil
}

func insideAll(priors []Prior, z []float64) bool {
	for j, p := range priors {
		if !p.inside(z[j]) {
			return false
		}
	}
	return true
}

// forEach calls fn(i) for i in 0..n-1 on workers goroutines that take the
// indices in order, and returns the first error, cancelling the rest. Which
// goroutine runs which index changes nothing: fn(i) must depend on i alone.
func forEach(ctx context.Context, workers, n int, fn func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		next     int
		firstErr error
	)
	for range max(1, min(workers, n)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := firstErr != nil
				mu.Unlock()
				if i >= n || stop {
					return
				}
				if err := ctx.Err(); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				if err := fn(ctx, i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// Streams of streamSeed, so that proposals and simulations never share
// draws.
const (
	streamProposal uint64 = iota + 1
	streamSimulation
	streamPredictive
	streamRejection
)

// streamSeed mixes its parts into one seed with the SplitMix64 finaliser,
// part by part, so that nearby parts give unrelated seeds.
func streamSeed(parts ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, p := range parts {
		h ^= p
		h += 0x9e3779b97f4a7c15
		h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9
		h = (h ^ (h >> 27)) * 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}
