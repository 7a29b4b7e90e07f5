package optimize

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// Objectives are the outcomes a brand's levers can be optimized for: end-of-
// run outcomes of package output for which more is better.
var Objectives = []string{"adoption", "customers", "adopters", "advocates", "net_advocacy", "purchases", "purchase_share"}

// Lever is a key of one brand that the search may change: a range of
// numbers, or a list of values to choose from. Key is written relative to
// the brand, as in a [[brand]] table (push.rate, pull.platform).
type Lever struct {
	Key      string
	Min, Max float64
	Values   []string // a choice when not empty
	// Source names where the lever was given, for messages ("--lever").
	Source string
}

// ParseLever reads a lever as the command line writes it: KEY=MIN:MAX
// for a range of numbers, or KEY=A,B,C for a choice.
func ParseLever(source, text string) (Lever, error) {
	key, raw, ok := strings.Cut(text, "=")
	key, raw = strings.TrimSpace(key), strings.TrimSpace(raw)
	if !ok || key == "" || raw == "" {
		return Lever{}, fmt.Errorf("optimize: %s: a lever is KEY=MIN:MAX or KEY=A,B,...: %q", source, text)
	}
	if lo, hi, isRange := strings.Cut(raw, ":"); isRange {
		min, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		max, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
		if err1 != nil || err2 != nil || !(min < max) || math.IsInf(min, 0) || math.IsInf(max, 0) {
			return Lever{}, fmt.Errorf("optimize: %s: a lever's range is MIN:MAX with finite numbers MIN < MAX: %q", source, text)
		}
		return Lever{Key: key, Min: min, Max: max, Source: source}, nil
	}
	var values []string
	for v := range strings.SplitSeq(raw, ",") {
		if v = strings.TrimSpace(v); v == "" || slices.Contains(values, v) {
			return Lever{}, fmt.Errorf("optimize: %s: a lever's choices are distinct values separated by commas: %q", source, text)
		}
		values = append(values, v)
	}
	if len(values) < 2 {
		return Lever{}, fmt.Errorf("optimize: %s: a choice needs at least two values (or give a range MIN:MAX): %q", source, text)
	}
	return Lever{Key: key, Values: values, Source: source}, nil
}

// String writes the lever as ParseLever reads it.
func (l Lever) String() string {
	if len(l.Values) > 0 {
		return l.Key + "=" + strings.Join(l.Values, ",")
	}
	return l.Key + "=" + strconv.FormatFloat(l.Min, 'g', -1, 64) + ":" + strconv.FormatFloat(l.Max, 'g', -1, 64)
}

// Market is an optimization of one brand's levers in a scenario: the
// other brands keep their strategies, and every candidate is the scenario
// with the brand's levers set as --set sets them. Replicate r of every
// candidate draws from the scenario's seed and r, on the scenario's one
// social graph: common random numbers.
type Market struct {
	Scenario *scenario.Scenario
	Brand    int
	Levers   []Lever
	// Outcome is the objective, one of Objectives.
	Outcome string

	outcome int
	space   Space
	start   Candidate
	// startOK is false when the scenario's own value of a choice lever
	// is not among its values, so that no candidate is the scenario's own.
	startOK bool
	graph   *graph.Graph
	mu      sync.Mutex // SetAll reads the scenario's document
}

// NewMarket checks the brand, the objective and every lever (each end of
// each range and each value of each choice is set on the scenario alone,
// so a key the brand does not have or a value out of the key's bounds is
// refused with the scenario's own message) and builds the social graph.
func NewMarket(sc *scenario.Scenario, brand string, levers []Lever, objective string) (*Market, error) {
	m := &Market{Scenario: sc, Brand: -1, Levers: levers, Outcome: objective, startOK: true}
	var names []string
	for i, b := range sc.Brands {
		names = append(names, b.Name)
		if b.Name == brand {
			m.Brand = i
		}
	}
	if m.Brand < 0 {
		return nil, fmt.Errorf("optimize: no brand %q in %s (its brands: %s)", brand, sc.File, strings.Join(names, ", "))
	}
	if !slices.Contains(Objectives, objective) {
		return nil, fmt.Errorf("optimize: unknown objective %q (want one of %s)", objective, strings.Join(Objectives, ", "))
	}
	m.outcome = slices.Index(output.OutcomeNames, objective)
	if len(levers) == 0 {
		return nil, fmt.Errorf("optimize: no levers to search for brand %s (give --lever KEY=MIN:MAX or KEY=A,B)", brand)
	}
	resolved := sc.ResolvedMap()["brand"].([]any)[m.Brand].(map[string]any)
	seen := map[string]bool{}
	for _, l := range levers {
		if seen[l.Key] {
			return nil, fmt.Errorf("optimize: %s: lever %s is given twice", l.Source, l.Key)
		}
		seen[l.Key] = true
		values := l.Values
		if len(values) == 0 {
			values = []string{strconv.FormatFloat(l.Min, 'g', -1, 64), strconv.FormatFloat(l.Max, 'g', -1, 64)}
		}
		for _, v := range values {
			trial := *sc
			if err := trial.SetAll([]scenario.Assignment{{Source: l.Source, Text: m.path(l.Key) + "=" + v}}); err != nil {
				return nil, err
			}
		}
		current, _ := lookupPath(resolved, l.Key)
		if len(l.Values) > 0 {
			m.space.Choices = append(m.space.Choices, Choice{Name: l.Key, Values: l.Values})
			own := slices.Index(l.Values, fmt.Sprint(current))
			if own < 0 {
				m.startOK = false
			}
			m.start.Choices = append(m.start.Choices, max(0, own))
			continue
		}
		x, ok := current.(float64)
		if i, isInt := current.(int); isInt {
			x, ok = float64(i), true
		}
		if !ok {
			return nil, fmt.Errorf("optimize: %s: lever %s takes words, not numbers: give its choices as %s=A,B", l.Source, l.Key, l.Key)
		}
		m.space.Ranges = append(m.space.Ranges, Range{Name: l.Key, Min: l.Min, Max: l.Max, Start: math.Max(l.Min, math.Min(l.Max, x))})
		m.start.Values = append(m.start.Values, x)
	}
	g, err := sc.BuildGraph()
	if err != nil {
		return nil, err
	}
	m.graph = g
	return m, nil
}

func (m *Market) path(key string) string {
	return "brand." + m.Scenario.Brands[m.Brand].Name + "." + key
}

// lookupPath finds a dotted key in nested maps.
func lookupPath(tree map[string]any, key string) (any, bool) {
	parts := strings.Split(key, ".")
	var cur any = tree
	for _, p := range parts {
		t, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = t[p]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Space is what the search may change: a range per numeric lever, a choice
// per listed one, in the order given (ranges first).
func (m *Market) Space() *Space { return &m.space }

// Baseline is the scenario's own setting of the levers; ok is false when
// a choice lever's values leave out the scenario's own. A value outside a
// lever's range stays as it is, so that the comparison is with what the
// scenario really does.
func (m *Market) Baseline() (c Candidate, ok bool) { return clone(m.start), m.startOK }

// Apply is the scenario with candidate c's levers set.
func (m *Market) Apply(c Candidate) (*scenario.Scenario, error) {
	var as []scenario.Assignment
	ri, ci := 0, 0
	for _, l := range m.Levers {
		var v string
		if len(l.Values) > 0 {
			v = l.Values[c.Choices[ci]]
			ci++
		} else {
			v = strconv.FormatFloat(c.Values[ri], 'g', -1, 64)
			ri++
		}
		if _, err := strconv.ParseFloat(v, 64); err != nil && v != "true" && v != "false" {
			v = strconv.Quote(v)
		}
		as = append(as, scenario.Assignment{Source: "optimize candidate", Text: m.path(l.Key) + "=" + v})
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	at := *m.Scenario
	if err := at.SetAll(as); err != nil {
		return nil, err
	}
	return &at, nil
}

// Objective runs replicate rep of candidate c to the end and returns the
// brand's outcome. Each call runs one market on one goroutine; the pool
// of package optimize runs many at once.
func (m *Market) Objective(ctx context.Context, c Candidate, rep int) (float64, error) {
	sc, err := m.Apply(c)
	if err != nil {
		return 0, err
	}
	mk, err := sim.NewMarket(&sc.Params, m.graph, sc.Seed, rep)
	if err != nil {
		return 0, err
	}
	defer mk.Close()
	mk.SetWorkers(1)
	tr := output.NewTracker(sc.Customers, len(sc.Brands))
	tr.Observe(0, mk.Metrics())
	for d := 1; d <= sc.Days; d++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		mk.Step()
		tr.Observe(d, mk.Metrics())
	}
	return tr.Outcomes(m.Brand)[m.outcome], nil
}
