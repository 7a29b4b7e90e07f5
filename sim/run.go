package sim

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/pushpull/pushpull/sim/graph"
)

// RunOptions say how to run the replicates of a market.
type RunOptions struct {
	Days       int
	Replicates int
	Seed       uint64
	// Workers is the number of goroutines in all (at least 1). Replicates
	// run in parallel; workers left over go to each replicate's days.
	Workers int
	// OnDay, when set, is called after day 0 (the seeded state) and after
	// every simulated day of every replicate, from the goroutine running
	// that replicate; calls for different replicates may be concurrent.
	// It may read m (Metrics, View) but must not keep it or step it.
	OnDay func(replicate int, m *Market)
	// OnStart, when set, is called with each replicate's market before
	// its first day, for example to apply changes.
	OnStart func(replicate int, m *Market)
}

// RunReplicates runs replicates 0..Replicates-1 of the market p on graph g
// for Days days. Replicate r draws from streams derived from (Seed, r), so
// each replicate's results are the same whatever Workers is. When ctx is
// cancelled it stops at the end of the current day of every running
// replicate and returns ctx's error; replicates that had finished did so
// completely.
func RunReplicates(ctx context.Context, p *Params, g *graph.Graph, opt RunOptions) error {
	if err := p.Validate(); err != nil {
		return err
	}
	workers := max(1, opt.Workers)
	concurrent := max(1, min(workers, opt.Replicates))
	perMarket := max(1, workers/concurrent)

	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	for range concurrent {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				rep := int(next.Add(1)) - 1
				if rep >= opt.Replicates || ctx.Err() != nil {
					return
				}
				if err := runOne(ctx, p, g, opt, rep, perMarket); err != nil {
					fail(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func runOne(ctx context.Context, p *Params, g *graph.Graph, opt RunOptions, rep, workers int) error {
	m, err := newMarket(p, g, opt.Seed, rep)
	if err != nil {
		return err
	}
	defer m.Close()
	m.SetWorkers(workers)
	if opt.OnStart != nil {
		opt.OnStart(rep, m)
	}
	if opt.OnDay != nil {
		opt.OnDay(rep, m)
	}
	for range opt.Days {
		if err := ctx.Err(); err != nil {
			return err
		}
		m.Step()
		if opt.OnDay != nil {
			opt.OnDay(rep, m)
		}
	}
	return nil
}
