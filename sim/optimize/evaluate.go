package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Objective is the noisy function to maximize: its value at candidate c in
// replicate r. Replicate r of every candidate must draw the same luck (the
// same seed r): common random numbers, which make differences between
// candidates far less noisy than the values themselves. It is called from
// several goroutines at once and must give the same value for the same
// candidate and replicate every time.
type Objective func(ctx context.Context, c Candidate, replicate int) (float64, error)

// job is one simulation: a replicate of a candidate.
type job struct {
	key string
	c   Candidate
	rep int
}

// evaluator runs batches of simulations on a pool of goroutines and keeps
// every value, so that no candidate and replicate is simulated twice. The
// values of a batch land by position, never by finishing order, which is
// why the worker count changes nothing.
type evaluator struct {
	objective Objective
	workers   int
	values    map[string][]float64 // by candidate key, then replicate; NaN: not run
	journal   *journal
	spent     int // simulations this optimization has used, resumed ones included
	resumed   int // of those, the ones read back from the journal
	budget    int
}

func newEvaluator(obj Objective, workers int, j *journal) *evaluator {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	return &evaluator{objective: obj, workers: workers, values: map[string][]float64{}, journal: j}
}

func (ev *evaluator) have(key string, rep int) bool {
	v := ev.values[key]
	return rep < len(v) && !math.IsNaN(v[rep])
}

// cost is how many new simulations replicates 0..reps-1 of cands need.
func (ev *evaluator) cost(cands []Candidate, reps int) int {
	n := 0
	seen := map[string]bool{}
	for _, c := range cands {
		k := c.Key()
		if seen[k] {
			continue
		}
		seen[k] = true
		for r := range reps {
			if !ev.have(k, r) {
				n++
			}
		}
	}
	return n
}

// run makes sure replicates 0..reps-1 of every candidate have been
// simulated and returns their values, candidate by candidate.
func (ev *evaluator) run(ctx context.Context, cands []Candidate, reps int) ([][]float64, error) {
	var jobs []job
	queued := map[string]bool{}
	for _, c := range cands {
		k := c.Key()
		for r := range reps {
			id := fmt.Sprintf("%s#%d", k, r)
			if ev.have(k, r) || queued[id] {
				continue
			}
			queued[id] = true
			if v, ok := ev.journal.lookup(k, r); ok {
				ev.store(k, r, v)
				ev.spent++
				ev.resumed++
				continue
			}
			jobs = append(jobs, job{key: k, c: c, rep: r})
		}
	}
	if err := ev.pool(ctx, jobs); err != nil {
		return nil, err
	}
	out := make([][]float64, len(cands))
	for i, c := range cands {
		out[i] = append([]float64(nil), ev.values[c.Key()][:reps]...)
	}
	return out, nil
}

func (ev *evaluator) store(key string, rep int, v float64) {
	vals := ev.values[key]
	for len(vals) <= rep {
		vals = append(vals, math.NaN())
	}
	vals[rep] = v
	ev.values[key] = vals
}

// pool runs jobs on the workers; each finished one goes to the journal.
func (ev *evaluator) pool(ctx context.Context, jobs []job) error {
	if len(jobs) == 0 {
		return nil
	}
	results := make([]float64, len(jobs))
	errs := make([]error, len(jobs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var journalErr error
	for range min(ev.workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					continue
				}
				v, err := ev.objective(ctx, jobs[i].c, jobs[i].rep)
				if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
					err = fmt.Errorf("optimize: the objective is not a finite number at %s, replicate %d: %g", jobs[i].key, jobs[i].rep, v)
				}
				if err != nil {
					errs[i] = err
					cancel()
					continue
				}
				results[i] = v
				if jerr := ev.journal.append(jobs[i].key, jobs[i].rep, v); jerr != nil {
					mu.Lock()
					journalErr = jerr
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
feed:
	for i := range jobs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if journalErr != nil {
		return journalErr
	}
	// The first error in job order, a real failure ahead of the
	// cancellations it caused.
	var cancelled error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		if err != nil && cancelled == nil {
			cancelled = err
		}
	}
	if cancelled != nil || ctx.Err() != nil {
		if err := ev.journal.sync(); err != nil {
			return err
		}
		return context.Canceled
	}
	for i, jb := range jobs {
		ev.store(jb.key, jb.rep, results[i])
	}
	ev.spent += len(jobs)
	return ev.journal.sync()
}
