package optimize

import (
	"context"
	"sort"
)

// finalists are the candidates of the final selection: each
// combination's recommendations (CMA-ES's last mean and its average over
// the last generations, the least flattered by luck), then the archive's
// best by estimate, then the baseline.
func (r *run) finalists() []Candidate {
	want := max(r.opt.Finalists, len(r.recommended))
	var out []Candidate
	taken := map[string]bool{}
	add := func(c Candidate) {
		if k := c.Key(); !taken[k] {
			taken[k] = true
			out = append(out, c)
		}
	}
	for _, c := range r.recommended {
		add(c)
	}
	ranked := append([]Candidate(nil), r.archive...)
	score := make(map[string]float64, len(ranked))
	for _, c := range ranked {
		score[c.Key()] = r.stat.of(r.ev.values[c.Key()][:r.replicatesOf(c)])
	}
	sort.SliceStable(ranked, func(a, b int) bool { return score[ranked[a].Key()] > score[ranked[b].Key()] })
	for _, c := range ranked {
		if len(out) >= want {
			break
		}
		add(c)
	}
	if r.opt.Baseline != nil {
		add(*r.opt.Baseline)
	}
	return out
}

// final races the finalists on paired replicates: all start with the same
// replicates; a finalist whose paired difference to the leader lies below
// zero is dropped; the rest get half as many replicates again, until one
// is left, the rest are ties, or the budget is spent.
func (r *run) final(ctx context.Context) (*Result, error) {
	cands := r.finalists()
	baselineKey := ""
	if r.opt.Baseline != nil {
		baselineKey = r.opt.Baseline.Key()
	}
	left := func() int { return r.opt.Budget - r.ev.spent }
	have := r.opt.FinalReplicates
	for _, c := range cands {
		have = min(have, max(1, r.replicatesOf(c)))
	}
	n := r.opt.FinalReplicates
	for n > have && r.ev.cost(cands, n) > left() {
		n--
	}
	alive := make([]bool, len(cands))
	for i := range alive {
		alive[i] = true
	}
	vals, err := r.ev.run(ctx, cands, n)
	if err != nil {
		return nil, err
	}
	reps := make([]int, len(cands)) // replicates each finalist ran
	for i := range reps {
		reps[i] = n
	}
	leader := 0
	for round := 0; ; round++ {
		leader = r.leader(vals, alive)
		settled := true
		for i := range cands {
			if !alive[i] || i == leader {
				continue
			}
			d := r.stat.difference(vals[i], vals[leader])
			switch r.verdict(d) {
			case Worse:
				alive[i] = false
			case Unresolved:
				settled = false
			}
		}
		r.report("final", round, 0)
		if settled {
			break
		}
		var racing []Candidate
		var idx []int
		for i, a := range alive {
			if a {
				racing = append(racing, cands[i])
				idx = append(idx, i)
			}
		}
		more := n + max(2, n/2)
		for more > n && r.ev.cost(racing, more) > left() {
			more--
		}
		if more == n {
			break
		}
		got, err := r.ev.run(ctx, racing, more)
		if err != nil {
			return nil, err
		}
		for j, i := range idx {
			vals[i], reps[i] = got[j], more
		}
		n = more
	}
	return r.summarize(cands, vals, alive, leader, baselineKey), nil
}

// leader is the finalist still racing with the best statistic; ties go to
// the earlier one.
func (r *run) leader(vals [][]float64, alive []bool) int {
	best := -1
	bestV := 0.0
	for i, a := range alive {
		if !a {
			continue
		}
		if v := r.stat.of(vals[i]); best < 0 || v > bestV {
			best, bestV = i, v
		}
	}
	return best
}

func (r *run) verdict(d Interval) Verdict {
	switch {
	case d.Low >= -r.opt.TieMargin && d.High <= r.opt.TieMargin:
		return Tie
	case d.High < 0:
		return Worse
	default:
		return Unresolved
	}
}

func (r *run) summarize(cands []Candidate, vals [][]float64, alive []bool, leader int, baselineKey string) *Result {
	res := &Result{Best: cands[leader]}
	var racing [][]float64
	var racingIdx []int
	for i, a := range alive {
		if a {
			racing = append(racing, vals[i])
			racingIdx = append(racingIdx, i)
		}
	}
	pBest := make([]float64, len(cands))
	for j, p := range r.stat.probabilityBest(racing) {
		pBest[racingIdx[j]] = p
	}
	for i, c := range cands {
		m := min(len(vals[i]), len(vals[leader]))
		f := Finalist{Candidate: c, Estimate: r.stat.interval(vals[i]), ProbabilityBest: pBest[i],
			Difference: r.stat.difference(vals[i][:m], vals[leader][:m]), Baseline: c.Key() == baselineKey}
		if i == leader {
			f.Verdict = Winner
		} else {
			f.Verdict = r.verdict(f.Difference)
			if f.Verdict != Worse {
				res.Tied = true
			}
		}
		res.Finalists = append(res.Finalists, f)
	}
	sort.SliceStable(res.Finalists, func(a, b int) bool {
		fa, fb := res.Finalists[a], res.Finalists[b]
		if (fa.Verdict == Winner) != (fb.Verdict == Winner) {
			return fa.Verdict == Winner
		}
		return fa.Estimate.Estimate > fb.Estimate.Estimate
	})
	return res
}
