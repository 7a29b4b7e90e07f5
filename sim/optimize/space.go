package optimize

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Range is one continuous coordinate: a value between Min and Max.
type Range struct {
	Name     string
	Min, Max float64
	// Start is where the search begins (NaN: the middle of the range).
	Start float64
}

// Shares is a group of coordinates that are non-negative and sum to one:
// the shares of a budget over levers.
type Shares struct {
	Names []string
	// Start is where the search begins (nil: equal shares); it must sum
	// to one.
	Start []float64
}

// Choice is one categorical coordinate: one of Values. Choices are
// enumerated, never interpolated.
type Choice struct {
	Name   string
	Values []string
}

// Space is what the search may change.
type Space struct {
	Ranges  []Range
	Shares  []Shares
	Choices []Choice
}

// Candidate is one point of a Space: a value per range, a share vector per
// group of shares, and the index of the value taken per choice.
type Candidate struct {
	Values  []float64
	Shares  [][]float64
	Choices []int
}

// Key identifies a candidate exactly: two candidates with the same key are
// the same point, and the key reads back to the same float64 values.
func (c Candidate) Key() string {
	var b strings.Builder
	for i, v := range c.Values {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	}
	b.WriteByte('|')
	for i, s := range c.Shares {
		if i > 0 {
			b.WriteByte('/')
		}
		for j, v := range s {
			if j > 0 {
				b.WriteByte(';')
			}
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	b.WriteByte('|')
	for i, v := range c.Choices {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(strconv.Itoa(v))
	}
	return b.String()
}

// Describe writes the candidate for a person: name=value for every
// coordinate, in the order of the space.
func (s *Space) Describe(c Candidate) string {
	var parts []string
	for i, r := range s.Ranges {
		parts = append(parts, fmt.Sprintf("%s=%.4g", r.Name, c.Values[i]))
	}
	for g, sh := range s.Shares {
		for j, name := range sh.Names {
			parts = append(parts, fmt.Sprintf("%s=%.3f", name, c.Shares[g][j]))
		}
	}
	for i, ch := range s.Choices {
		parts = append(parts, fmt.Sprintf("%s=%s", ch.Name, ch.Values[c.Choices[i]]))
	}
	return strings.Join(parts, " ")
}

// Validate reports the first thing wrong with the space.
func (s *Space) Validate() error {
	if len(s.Ranges)+len(s.Shares)+len(s.Choices) == 0 {
		return fmt.Errorf("optimize: the space has nothing to search")
	}
	for _, r := range s.Ranges {
		if !(r.Min < r.Max) || math.IsInf(r.Min, 0) || math.IsInf(r.Max, 0) {
			return fmt.Errorf("optimize: range %s: min must be below max and both finite: [%g, %g]", r.Name, r.Min, r.Max)
		}
		if !math.IsNaN(r.Start) && (r.Start < r.Min || r.Start > r.Max) {
			return fmt.Errorf("optimize: range %s: start must lie in [%g, %g]: %g", r.Name, r.Min, r.Max, r.Start)
		}
	}
	for _, sh := range s.Shares {
		if len(sh.Names) < 2 {
			return fmt.Errorf("optimize: shares need at least two levers: %v", sh.Names)
		}
		if sh.Start != nil {
			if len(sh.Start) != len(sh.Names) {
				return fmt.Errorf("optimize: shares %v: %d start shares for %d levers", sh.Names, len(sh.Start), len(sh.Names))
			}
			sum := 0.0
			for _, v := range sh.Start {
				if v < 0 {
					return fmt.Errorf("optimize: shares %v: a share must not be negative: %g", sh.Names, v)
				}
				sum += v
			}
			if math.Abs(sum-1) > 1e-9 {
				return fmt.Errorf("optimize: shares %v: start shares must sum to 1: %g", sh.Names, sum)
			}
		}
	}
	for _, ch := range s.Choices {
		if len(ch.Values) < 1 {
			return fmt.Errorf("optimize: choice %s has no values", ch.Name)
		}
	}
	return nil
}

// dims is the number of internal continuous coordinates: one per range,
// and one fewer than the levers per group of shares.
func (s *Space) dims() int {
	d := len(s.Ranges)
	for _, sh := range s.Shares {
		d += len(sh.Names) - 1
	}
	return d
}

// combos is the number of combinations of choices.
func (s *Space) combos() int {
	n := 1
	for _, ch := range s.Choices {
		n *= len(ch.Values)
	}
	return n
}

// combo is combination k of the choices, the last choice varying fastest.
func (s *Space) combo(k int) []int {
	out := make([]int, len(s.Choices))
	for i := len(s.Choices) - 1; i >= 0; i-- {
		n := len(s.Choices[i].Values)
		out[i] = k % n
		k /= n
	}
	return out
}

// Internal coordinates. A range coordinate u maps to [Min, Max] by
// reflection at the ends of [0, 1] (a triangle wave), so that every u is
// feasible and points near a bound stay near it. A group of k shares has
// k-1 coordinates y, mapped by the additive log-ratio transform
// (Aitchison 1982): share_i = exp(y_i)/(1 + sum exp(y_j)) for i < k, and
// 1/(1 + sum exp(y_j)) for the last: every y is a point of the open
// simplex, and the search needs no constraint.

// maxLogRatio bounds the log-ratios: a share below about e^-12 of the
// largest is zero for every practical purpose, and an unbounded ratio
// would let a share drift to exactly 0 and stop moving.
const maxLogRatio = 12

func reflect01(u float64) float64 {
	u = math.Mod(math.Abs(u), 2)
	if u > 1 {
		u = 2 - u
	}
	return u
}

// decode maps internal coordinates x to a candidate with the given choices.
func (s *Space) decode(x []float64, choices []int) Candidate {
	c := Candidate{Values: make([]float64, len(s.Ranges)), Shares: make([][]float64, len(s.Shares)), Choices: append([]int(nil), choices...)}
	i := 0
	for k, r := range s.Ranges {
		c.Values[k] = r.Min + reflect01(x[i])*(r.Max-r.Min)
		i++
	}
	for g, sh := range s.Shares {
		n := len(sh.Names)
		shares := make([]float64, n)
		top := 0.0 // the log-ratio of the last share
		for j := 0; j < n-1; j++ {
			top = math.Max(top, clampRatio(x[i+j]))
		}
		sum := 0.0
		for j := 0; j < n-1; j++ {
			shares[j] = math.Exp(clampRatio(x[i+j]) - top)
			sum += shares[j]
		}
		shares[n-1] = math.Exp(-top)
		sum += shares[n-1]
		for j := range shares {
			shares[j] /= sum
		}
		c.Shares[g] = shares
		i += n - 1
	}
	return c
}

func clampRatio(y float64) float64 { return math.Max(-maxLogRatio, math.Min(maxLogRatio, y)) }

// start is the internal point of the search's start, and the initial step
// size of each coordinate.
func (s *Space) start() (x, step []float64) {
	for _, r := range s.Ranges {
		u := 0.5
		if !math.IsNaN(r.Start) {
			u = (r.Start - r.Min) / (r.Max - r.Min)
		}
		x = append(x, u)
		step = append(step, 0.3) // a third of the range: the search sees the whole of it early
	}
	for _, sh := range s.Shares {
		n := len(sh.Names)
		last := 1.0 / float64(n)
		if sh.Start != nil {
			last = math.Max(sh.Start[n-1], math.Exp(-maxLogRatio))
		}
		for j := 0; j < n-1; j++ {
			v := 1.0 / float64(n)
			if sh.Start != nil {
				v = math.Max(sh.Start[j], math.Exp(-maxLogRatio))
			}
			x = append(x, clampRatio(math.Log(v/last)))
			step = append(step, 1) // a factor e in a share's ratio to another
		}
	}
	return x, step
}

// StartCandidate is the candidate the search starts from with the given
// choices: the ranges' and shares' start values.
func (s *Space) StartCandidate(choices []int) Candidate {
	x, _ := s.start()
	return s.decode(x, choices)
}
