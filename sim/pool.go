package sim

import (
	"sync"
	"sync/atomic"
)

// workerPool runs the chunks of a day on a fixed set of goroutines. Which
// goroutine runs which chunk varies from day to day; results do not,
// because each chunk draws from its own stream and writes only its own
// customers and its own totals.
type workerPool struct {
	m       *Market
	workers []*worker
	start   []chan struct{}
	done    sync.WaitGroup
	next    atomic.Int64
}

func newWorkerPool(m *Market, n int) *workerPool {
	p := &workerPool{m: m, workers: make([]*worker, n)}
	for i := range p.workers {
		p.workers[i] = newWorker()
		p.workers[i].id = i
	}
	if n > 1 {
		p.start = make([]chan struct{}, n)
		for i := range p.start {
			p.start[i] = make(chan struct{})
			go p.loop(p.workers[i], p.start[i])
		}
	}
	return p
}

func (p *workerPool) loop(w *worker, start chan struct{}) {
	for range start {
		p.drain(w)
		p.done.Done()
	}
}

// drain runs chunks until none is left.
func (p *workerPool) drain(w *worker) {
	for {
		ch := int(p.next.Add(1)) - 1
		if ch >= p.m.chunks {
			return
		}
		p.m.stepChunk(w, ch)
	}
}

func (p *workerPool) runDay() {
	p.next.Store(0)
	if len(p.start) == 0 {
		p.drain(p.workers[0])
		return
	}
	p.done.Add(len(p.start))
	for _, s := range p.start {
		s <- struct{}{}
	}
	p.done.Wait()
}

func (p *workerPool) close() {
	for _, s := range p.start {
		close(s)
	}
	p.start = nil
}

// SetWorkers sets how many goroutines run each day's customers (at least
// one). Results do not depend on it.
func (m *Market) SetWorkers(n int) {
	n = max(1, min(n, m.chunks))
	if len(m.pool.workers) == n {
		return
	}
	m.pool.close()
	m.pool = newWorkerPool(m, n)
	if m.mail != nil {
		m.mail.resize(n)
	}
}

// Close stops the market's worker goroutines. A closed Market must not
// Step again.
func (m *Market) Close() { m.pool.close() }
