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
// run outcomes of package output for which more is better. Profit is the
// default: margin less every lever's spend over the run.
var Objectives = scenario.OptimizeObjectives

// DefaultObjective is what a brand's levers are optimized for unless told.
const DefaultObjective = "profit"

// ShareKeys are the shares of a brand's budget (brand.budget.KEY) a search
// can split.
var ShareKeys = scenario.OptimizeShareKeys

// ParseShares reads the budget shares to split, as the command line writes
// them: KEY,KEY,... of ShareKeys.
func ParseShares(source, text string) ([]string, error) {
	var keys []string
	for k := range strings.SplitSeq(text, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(ShareKeys, k) || slices.Contains(keys, k) {
			return nil, fmt.Errorf("optimize: %s: shares are distinct budget levers among %s, separated by commas: %q", source, strings.Join(ShareKeys, ", "), text)
		}
		keys = append(keys, k)
	}
	if len(keys) < 2 {
		return nil, fmt.Errorf("optimize: %s: a split needs at least two budget levers: %q", source, text)
	}
	return keys, nil
}

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

// MarketSpec says what to optimize in a scenario: a brand, its levers, the
// budget shares to split, and the objective.
type MarketSpec struct {
	Brand  string
	Levers []Lever
	// Shares are budget levers (of ShareKeys) whose shares of the brand's
	// budget the search splits: together they take what the brand's other
	// shares leave (all of the budget when they are 0).
	Shares       []string
	SharesSource string // where Shares were given, for messages ("--shares")
	Objective    string
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
	// Shares are the budget levers split, ShareTotal the share of the
	// budget they split between them.
	Shares     []string
	ShareTotal float64
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
func NewMarket(sc *scenario.Scenario, spec MarketSpec) (*Market, error) {
	brand, levers, objective := spec.Brand, spec.Levers, spec.Objective
	m := &Market{Scenario: sc, Brand: -1, Levers: levers, Shares: spec.Shares, Outcome: objective, startOK: true}
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
	if len(levers) == 0 && len(spec.Shares) == 0 {
		return nil, fmt.Errorf("optimize: no levers to search for brand %s (give --lever KEY=MIN:MAX or KEY=A,B, or --shares)", brand)
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
	if len(spec.Shares) > 0 {
		if err := m.addShares(spec.SharesSource, resolved); err != nil {
			return nil, err
		}
	}
	g, err := sc.BuildGraph()
	if err != nil {
		return nil, err
	}
	m.graph = g
	return m, nil
}

// addShares checks that the brand has money to split and that the shares
// split have something left to take, and adds the group to the space.
func (m *Market) addShares(source string, resolved map[string]any) error {
	b := m.Scenario.Brands[m.Brand]
	budget := []float64{b.Budget.Push, b.Budget.Content, b.Budget.Platform, b.Budget.Partners}
	taken := 0.0
	var own []float64
	for i, k := range ShareKeys {
		if slices.Contains(m.Shares, k) {
			continue
		}
		taken += budget[i]
	}
	for _, k := range m.Shares {
		own = append(own, budget[slices.Index(ShareKeys, k)])
	}
	dailyLever := slices.ContainsFunc(m.Levers, func(l Lever) bool { return l.Key == "budget.daily" && len(l.Values) == 0 && l.Min > 0 })
	if b.Budget.Daily <= 0 && m.Scenario.Money.EqualBudget <= 0 && !dailyLever {
		return fmt.Errorf("optimize: %s: brand %s has no budget to split: set brand.%s.budget.daily (money a day), or search it with --lever budget.daily=MIN:MAX", source, b.Name, b.Name)
	}
	m.ShareTotal = 1 - taken
	if m.ShareTotal <= 1e-9 {
		return fmt.Errorf("optimize: %s: the shares %s cannot take any of %s's budget: its other shares already sum to %g", source, strings.Join(m.Shares, ", "), b.Name, taken)
	}
	names := make([]string, len(m.Shares))
	for i, k := range m.Shares {
		names[i] = "budget." + k
	}
	group := Shares{Names: names}
	sum := 0.0
	for _, v := range own {
		sum += v
	}
	start := make([]float64, len(own))
	for i, v := range own {
		start[i] = v / m.ShareTotal
		if sum > 0 {
			own[i] = v / sum
		}
	}
	if sum > 0 {
		group.Start = own
	}
	m.space.Shares = append(m.space.Shares, group)
	m.start.Shares = append(m.start.Shares, start)
	return nil
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
	if len(m.Shares) > 0 {
		for i, k := range m.Shares {
			// A hair below the total, so that rounding never takes
			// the sum of shares past 1.
			v := c.Shares[0][i] * m.ShareTotal * (1 - 1e-12)
			as = append(as, scenario.Assignment{Source: "optimize candidate", Text: m.path("budget."+k) + "=" + strconv.FormatFloat(v, 'g', -1, 64)})
		}
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
	return m.simulate(ctx, sc, rep)
}

func (m *Market) simulate(ctx context.Context, sc *scenario.Scenario, rep int) (float64, error) {
	all, err := m.simulateAll(ctx, sc, rep)
	if err != nil {
		return 0, err
	}
	return all[m.Brand], nil
}

// simulateAll runs replicate rep of sc and returns every brand's outcome.
func (m *Market) simulateAll(ctx context.Context, sc *scenario.Scenario, rep int) ([]float64, error) {
	mk, err := sim.NewMarket(&sc.Params, m.graph, sc.Seed, rep)
	if err != nil {
		return nil, err
	}
	defer mk.Close()
	mk.SetWorkers(1)
	tr := output.NewTracker(sc.Customers, len(sc.Brands))
	tr.Observe(0, mk.Metrics())
	for d := 1; d <= sc.Days; d++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		mk.Step()
		tr.Observe(d, mk.Metrics())
	}
	out := make([]float64, len(sc.Brands))
	for b := range out {
		out[b] = tr.Outcomes(b)[m.outcome]
	}
	return out, nil
}

// Describe writes candidate c's levers as the scenario's keys take them.
func (m *Market) Describe(c Candidate) string {
	var parts []string
	names := m.leverNames()
	for i, v := range m.cells(c) {
		parts = append(parts, names[i]+"="+v)
	}
	return strings.Join(parts, " ")
}

// MoneyMarginals measures, at candidate c, what one more unit of money a
// day on each budget lever split does to the objective: the brand's daily
// budget grows by that unit and the lever's share takes it, every other
// lever keeping its money (paired central differences, as Marginals).
// For profit, a rate above 0 means the next unit there earns more than
// it costs over the run. It gives nothing when the brand splits no shares
// or its budget is the market's money.equal_budget, which every brand
// shares.
func (m *Market) MoneyMarginals(ctx context.Context, c Candidate, opt MarginalOptions) ([]Marginal, error) {
	if len(m.Shares) == 0 || m.Scenario.Money.EqualBudget > 0 {
		return nil, nil
	}
	at, err := m.Apply(c)
	if err != nil {
		return nil, err
	}
	b := at.Brands[m.Brand].Budget
	daily := b.Daily
	shares := []float64{b.Push, b.Content, b.Platform, b.Partners}
	money := make([]float64, len(shares))
	unspent := daily
	for i, s := range shares {
		money[i] = s * daily
		unspent -= money[i]
	}
	var space Space
	var point Candidate
	for _, k := range m.Shares {
		i := slices.Index(ShareKeys, k)
		space.Ranges = append(space.Ranges, Range{Name: "budget." + k, Min: 0, Max: 2 * daily, Start: money[i]})
		point.Values = append(point.Values, money[i])
	}
	objective := func(ctx context.Context, mc Candidate, rep int) (float64, error) {
		spend := append([]float64(nil), money...)
		for j, k := range m.Shares {
			spend[slices.Index(ShareKeys, k)] = mc.Values[j]
		}
		total := unspent
		for _, v := range spend {
			total += v
		}
		as := []scenario.Assignment{{Source: "optimize marginal", Text: m.path("budget.daily") + "=" + strconv.FormatFloat(total, 'g', -1, 64)}}
		for i, k := range ShareKeys {
			v := spend[i] / total * (1 - 1e-12)
			as = append(as, scenario.Assignment{Source: "optimize marginal", Text: m.path("budget."+k) + "=" + strconv.FormatFloat(v, 'g', -1, 64)})
		}
		m.mu.Lock()
		sc := *at
		err := sc.SetAll(as)
		m.mu.Unlock()
		if err != nil {
			return 0, err
		}
		return m.simulate(ctx, &sc, rep)
	}
	return Marginals(ctx, &space, objective, point, opt)
}
