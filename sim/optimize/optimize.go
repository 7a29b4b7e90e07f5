package optimize

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Defaults of Options.
const (
	DefaultReplicates      = 3
	DefaultMaxReplicates   = 10
	DefaultFinalists       = 5
	DefaultFinalShare      = 0.2
	DefaultFinalReplicates = 10
	DefaultConfidence      = 0.95
)

// Options say how Run searches.
type Options struct {
	// Budget is the most simulations (candidate-replicate pairs) the
	// search and the final selection may run together.
	Budget int
	// Replicates is how many replicates each candidate of the search
	// starts with; MaxReplicates caps their growth.
	Replicates, MaxReplicates int
	// Population is CMA-ES's lambda, the candidates of a generation
	// (0: 4 + 3 ln(dimensions)).
	Population int
	// Finalists is how many candidates the final selection compares, at
	// least one per combination of choices.
	Finalists int
	// FinalShare is the share of the budget kept for the final selection;
	// FinalReplicates is how many paired replicates each finalist starts it
	// with.
	FinalShare      float64
	FinalReplicates int
	// Confidence of every interval (default 0.95).
	Confidence float64
	// TieMargin: a finalist whose paired difference to the winner lies
	// wholly within plus or minus TieMargin is tied with it (0: only an
	// exact tie, a difference of zero in every replicate).
	TieMargin float64
	// Quantile, when in (0, 1), maximizes the lower quantile of the
	// replicates (0.1: the value 10% of replicates fall below) instead of
	// their mean.
	Quantile float64
	// Baseline, when set, joins the final selection (the scenario's own
	// strategy, say), so that the winner is compared with it, paired.
	Baseline *Candidate
	// Seed seeds the search's own draws; with the same seed, space,
	// options and objective, Run gives the same answer.
	Seed uint64
	// Workers is the number of simulations under way at once (default:
	// all cores). It changes nothing in the answer.
	Workers int
	// Journal, when set, is the file that records every simulation, from
	// which a killed optimization resumes; Identity names what is being
	// optimized (a scenario's hash, say), so that a journal of another
	// optimization is refused unless Force discards it.
	Journal  string
	Identity string
	Force    bool
	// Progress, when set, is called after every generation of the search
	// and every round of the final selection.
	Progress func(Progress)
}

// Progress is the state of an optimization in progress.
type Progress struct {
	Stage             string // "search" or "final"
	Simulations       int
	Budget            int
	Best              Candidate
	BestEstimate      Interval
	Generation, Combo int
}

// Verdict compares a finalist with the winner.
type Verdict string

const (
	// Winner is the finalist with the best estimate.
	Winner Verdict = "winner"
	// Worse: the paired interval of the difference lies below zero.
	Worse Verdict = "worse"
	// Tie: the paired interval lies within plus or minus the tie margin.
	Tie Verdict = "tie"
	// Unresolved: the interval holds zero but is wider than the margin;
	// more replicates would be needed to tell.
	Unresolved Verdict = "unresolved"
)

// Finalist is one candidate of the final selection.
type Finalist struct {
	Candidate Candidate
	// Estimate is the statistic over the finalist's replicates.
	Estimate Interval
	// Difference is the finalist's statistic minus the winner's, over the
	// replicates they share, with its paired interval.
	Difference Interval
	// ProbabilityBest is the bootstrap probability that the finalist is
	// the best, among the finalists still in the race at the end (those
	// dropped as surely worse get 0).
	ProbabilityBest float64
	Verdict         Verdict
	Baseline        bool
}

// Step is the search's state after one generation, for a plot of progress.
type Step struct {
	Simulations  int
	Combo        int
	Generation   int
	Replicates   int
	BestEstimate Interval
}

// Evaluated is a candidate the search tried, with its statistic.
type Evaluated struct {
	Candidate Candidate
	Estimate  float64
	N         int
}

// Result is what Run found.
type Result struct {
	Best Candidate
	// Finalists, the winner first, then by estimate.
	Finalists []Finalist
	// Tied is true when some finalist could not be told apart from the
	// winner (its verdict is Tie or Unresolved).
	Tied bool
	// Simulations counts the simulations used, Resumed those of them read
	// back from the journal.
	Simulations, Resumed int
	History              []Step
	Evaluated            []Evaluated
}

func (o *Options) defaults() {
	if o.Replicates <= 0 {
		o.Replicates = DefaultReplicates
	}
	if o.MaxReplicates <= 0 {
		o.MaxReplicates = DefaultMaxReplicates
	}
	o.MaxReplicates = max(o.MaxReplicates, o.Replicates)
	if o.Finalists <= 0 {
		o.Finalists = DefaultFinalists
	}
	if o.FinalShare <= 0 {
		o.FinalShare = DefaultFinalShare
	}
	if o.FinalReplicates <= 0 {
		o.FinalReplicates = DefaultFinalReplicates
	}
	if o.Confidence <= 0 {
		o.Confidence = DefaultConfidence
	}
}

func (o *Options) validate() error {
	switch {
	case o.Budget <= 0:
		return fmt.Errorf("optimize: the simulation budget must be at least 1: %d", o.Budget)
	case o.FinalShare >= 1:
		return fmt.Errorf("optimize: the final selection's share of the budget must be below 1: %g", o.FinalShare)
	case o.Confidence >= 1:
		return fmt.Errorf("optimize: the confidence must be below 1: %g", o.Confidence)
	case o.Quantile < 0 || o.Quantile >= 1:
		return fmt.Errorf("optimize: the quantile must be in [0, 1) (0: the mean): %g", o.Quantile)
	case o.TieMargin < 0:
		return fmt.Errorf("optimize: the tie margin must not be negative: %g", o.TieMargin)
	}
	return nil
}

// identity hashes everything that fixes the answer, for the journal.
func identity(s *Space, o *Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%+v\n", o.Identity, *s)
	fmt.Fprintf(h, "budget=%d reps=%d max=%d pop=%d fin=%d share=%g freps=%d conf=%g margin=%g q=%g seed=%d\n",
		o.Budget, o.Replicates, o.MaxReplicates, o.Population, o.Finalists, o.FinalShare, o.FinalReplicates,
		o.Confidence, o.TieMargin, o.Quantile, o.Seed)
	if o.Baseline != nil {
		fmt.Fprintf(h, "baseline=%s\n", o.Baseline.Key())
	}
	return hex.EncodeToString(h.Sum(nil))
}

// run is one optimization under way.
type run struct {
	space *Space
	opt   Options
	stat  statistic
	ev    *evaluator
	// archive holds every candidate the search evaluated, in the order
	// first seen, and the combination of choices it belongs to.
	archive []Candidate
	inArch  map[string]bool
	// recommended holds, per combination, the search's last mean and the
	// average of its means over the second half of its generations.
	recommended []Candidate
	history     []Step
}

// Run maximizes objective over space within opt.Budget simulations: a
// CMA-ES search per combination of choices, then a final selection of the
// best candidates with paired replicates. Cancelling ctx stops it after
// the simulations under way; with a journal, the same call resumes and
// gives the same answer.
func Run(ctx context.Context, space *Space, objective Objective, opt Options) (*Result, error) {
	opt.defaults()
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if err := space.Validate(); err != nil {
		return nil, err
	}
	var j *journal
	if opt.Journal != "" {
		var err error
		if j, err = openJournal(opt.Journal, identity(space, &opt), opt.Force); err != nil {
			return nil, err
		}
		defer j.close()
	}
	r := &run{space: space, opt: opt, inArch: map[string]bool{},
		stat: statistic{quantile: opt.Quantile, confidence: opt.Confidence, seed: opt.Seed},
		ev:   newEvaluator(objective, opt.Workers, j)}
	if err := r.search(ctx); err != nil {
		return nil, err
	}
	res, err := r.final(ctx)
	if err != nil {
		return nil, err
	}
	res.History = r.history
	for _, c := range r.archive {
		v := r.ev.values[c.Key()]
		n := 0
		for n < len(v) && !math.IsNaN(v[n]) {
			n++
		}
		res.Evaluated = append(res.Evaluated, Evaluated{Candidate: c, Estimate: r.stat.of(v[:n]), N: n})
	}
	res.Simulations, res.Resumed = r.ev.spent, r.ev.resumed
	return res, j.close()
}

func (r *run) remember(cs ...Candidate) {
	for _, c := range cs {
		if k := c.Key(); !r.inArch[k] {
			r.inArch[k] = true
			r.archive = append(r.archive, c)
		}
	}
}

// replicatesOf is how many leading replicates of c have been simulated.
func (r *run) replicatesOf(c Candidate) int {
	v := r.ev.values[c.Key()]
	n := 0
	for n < len(v) && !math.IsNaN(v[n]) {
		n++
	}
	return n
}

// best is the archive's candidate with the highest statistic, comparing
// candidates over the replicates both have, so that a lucky first few
// replicates do not beat a longer record; ties go to the earlier one.
func (r *run) best() (Candidate, Interval) {
	var best Candidate
	var bestIv Interval
	found := false
	for _, c := range r.archive {
		n := r.replicatesOf(c)
		if n == 0 {
			continue
		}
		if !found {
			best, bestIv, found = c, r.stat.interval(r.ev.values[c.Key()][:n]), true
			continue
		}
		m := min(n, bestIv.N)
		if r.stat.of(r.ev.values[c.Key()][:m]) > r.stat.of(r.ev.values[best.Key()][:m]) {
			best, bestIv = c, r.stat.interval(r.ev.values[c.Key()][:n])
		}
	}
	return best, bestIv
}

func (r *run) report(stage string, generation, combo int) {
	if r.opt.Progress == nil || len(r.archive) == 0 {
		return
	}
	b, iv := r.best()
	r.opt.Progress(Progress{Stage: stage, Simulations: r.ev.spent, Budget: r.opt.Budget, Best: b, BestEstimate: iv,
		Generation: generation, Combo: combo})
}

// search runs one CMA-ES per combination of choices, each on an equal
// share of the search budget. Each generation's candidates, and the
// distribution's mean, run the same replicates 0..n-1 (common random
// numbers), so that their ranking reflects them, not luck; when most
// neighbours in the ranking cannot be told apart at the confidence level,
// the candidates have come close relative to the noise, and n grows by
// half for the next generation.
func (r *run) search(ctx context.Context) error {
	combos := r.space.combos()
	searchBudget := int(float64(r.opt.Budget) * (1 - r.opt.FinalShare))
	dims := r.space.dims()
	for k := range combos {
		choices := r.space.combo(k)
		limit := searchBudget * (k + 1) / combos // this combination's budget ends here
		if dims == 0 {
			// Nothing to search: the combination is one candidate,
			// which the final selection compares with the others.
			c := r.space.decode(nil, choices)
			if _, err := r.ev.run(ctx, []Candidate{c}, r.opt.Replicates); err != nil {
				return err
			}
			r.remember(c)
			r.recommended = append(r.recommended, c)
			continue
		}
		start, step := r.space.start()
		es := newCMAES(start, step, r.opt.Population, rand.New(rand.NewPCG(r.opt.Seed, uint64(k))))
		n := r.opt.Replicates
		var means [][]float64
		for gen := 0; ; gen++ {
			xs := es.sample()
			cands := make([]Candidate, len(xs)+1)
			for i, x := range xs {
				cands[i] = r.space.decode(x, choices)
			}
			cands[len(xs)] = r.space.decode(es.mean, choices)
			if gen > 0 && r.ev.spent+r.ev.cost(cands, n) > limit {
				break
			}
			vals, err := r.ev.run(ctx, cands, n)
			if err != nil {
				return err
			}
			fitness := make([]float64, len(xs))
			for i := range xs {
				fitness[i] = r.stat.of(vals[i])
			}
			es.tell(fitness)
			r.remember(cands...)
			means = append(means, append([]float64(nil), es.mean...))
			if n >= 2 && r.crowded(vals[:len(xs)], fitness) {
				n = min(r.opt.MaxReplicates, n+max(1, n/2))
			}
			_, iv := r.best()
			r.history = append(r.history, Step{Simulations: r.ev.spent, Combo: k, Generation: gen, Replicates: n, BestEstimate: iv})
			r.report("search", gen, k)
			if es.spread() < 1e-9 {
				break
			}
		}
		r.recommended = append(r.recommended, r.space.decode(means[len(means)-1], choices),
			r.space.decode(averageTail(means), choices))
	}
	return nil
}

// averageTail is the average of the second half of the means: under
// noise the mean wanders about the optimum, and its average over the last
// generations (Polyak-Ruppert averaging) wanders less.
func averageTail(means [][]float64) []float64 {
	tail := means[len(means)/2:]
	avg := make([]float64, len(tail[0]))
	for _, m := range tail {
		for i, v := range m {
			avg[i] += v / float64(len(tail))
		}
	}
	return avg
}

// crowded reports whether more than half of the neighbours in the
// generation's ranking are within noise of each other: their paired
// difference's interval holds zero.
func (r *run) crowded(vals [][]float64, fitness []float64) bool {
	order := make([]int, len(fitness))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return fitness[order[a]] > fitness[order[b]] })
	close := 0
	for i := 0; i+1 < len(order); i++ {
		if r.stat.difference(vals[order[i]], vals[order[i+1]]).Contains(0) {
			close++
		}
	}
	return 2*close > len(order)-1
}
