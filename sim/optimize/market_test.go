package optimize

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/sim/scenario"
)

const smallMarket = `name = "small-market"
days = 30
replicates = 2
seed = 5
customers = 300

[graph]
kind = "watts_strogatz"
k = 6
beta = 0.1

[[brand]]
name = "Loud"
strategy = "push"

[[brand]]
name = "Warm"
strategy = "pull"
`

func parseMarket(t testing.TB) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Parse("small-market.toml", []byte(smallMarket))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func levers(t testing.TB, texts ...string) []Lever {
	t.Helper()
	var out []Lever
	for _, s := range texts {
		l, err := ParseLever("--lever", s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

// A candidate's replicate is a run of the scenario with the levers set:
// the same value every time, and the baseline is the scenario itself.
func TestMarketObjectiveRunsTheScenario(t *testing.T) {
	sc := parseMarket(t)
	m, err := NewMarket(sc, MarketSpec{Brand: "Loud", Levers: levers(t, "push.rate=0:3", "push.targeting=everyone,opt_in"), Objective: "adoption"})
	if err != nil {
		t.Fatal(err)
	}
	base, ok := m.Baseline()
	if !ok || base.Values[0] != 1 || m.Space().Choices[0].Values[base.Choices[0]] != "everyone" {
		t.Fatalf("baseline %+v (ok %v), want push.rate 1 and targeting everyone, the push preset's", base, ok)
	}
	a, err := m.Objective(context.Background(), base, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := m.Objective(context.Background(), base, 0)
	c, _ := m.Objective(context.Background(), base, 1)
	if a != b || a == c {
		t.Errorf("replicate 0 twice: %g, %g; replicate 1: %g; want the same, then another", a, b, c)
	}
	silent := clone(base)
	silent.Values[0] = 0
	s, _ := m.Objective(context.Background(), silent, 0)
	if s >= a {
		t.Errorf("a push brand that sends nothing has adoption %g, not below its %g", s, a)
	}
}

func TestMarketRejectsBadLevers(t *testing.T) {
	sc := parseMarket(t)
	for _, tc := range []struct {
		name, brand, lever, objective, want string
	}{
		{"unknown brand", "Nobody", "push.rate=0:1", "adoption", `optimize: no brand "Nobody" in small-market.toml (its brands: Loud, Warm)`},
		{"unknown key", "Loud", "push.speed=0:1", "adoption", "push.speed"},
		{"out of bounds", "Loud", "push.rate=-1:2", "adoption", "brand.Loud.push.rate"},
		{"words as numbers", "Loud", "push.targeting=0:1", "adoption", "push.targeting"},
		{"unknown objective", "Loud", "push.rate=0:1", "fame", `optimize: unknown objective "fame"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewMarket(sc, MarketSpec{Brand: tc.brand, Levers: levers(t, tc.lever), Objective: tc.objective})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %q", err, tc.want)
			}
		})
	}
	for _, bad := range []string{"push.rate", "push.rate=2:1", "push.rate=a:b", "push.targeting=everyone", "push.targeting=a,,b"} {
		if _, err := ParseLever("--lever", bad); err == nil || !strings.HasPrefix(err.Error(), "optimize: --lever: ") {
			t.Errorf("ParseLever(%q): error %v", bad, err)
		}
	}
}

// withBudget gives Warm money a day and a split of it.
const withBudget = `
[brand.budget]
daily = 60
push = 0.2
content = 0.5
platform = 0.3
`

// Budget shares split what the brand's other shares leave: a candidate's
// shares, set on the scenario, sum to that total, and the baseline is the
// scenario's own split.
func TestMarketSplitsTheBudget(t *testing.T) {
	sc, err := scenario.Parse("budget.toml", []byte(smallMarket+withBudget))
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMarket(sc, MarketSpec{Brand: "Warm", Shares: []string{"push", "content"}, SharesSource: "--shares", Objective: "profit"})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m.ShareTotal-0.7) > 1e-12 {
		t.Errorf("share total %g, want 0.7 (platform keeps its 0.3)", m.ShareTotal)
	}
	base, ok := m.Baseline()
	if !ok || m.Describe(base) != "budget.push=0.2 budget.content=0.5" {
		t.Errorf("baseline %s (ok %v), want the scenario's own split", m.Describe(base), ok)
	}
	c := Candidate{Shares: [][]float64{{0.25, 0.75}}}
	at, err := m.Apply(c)
	if err != nil {
		t.Fatal(err)
	}
	b := at.Brands[1].Budget
	if math.Abs(b.Push-0.175) > 1e-9 || math.Abs(b.Content-0.525) > 1e-9 || b.Platform != 0.3 {
		t.Errorf("applied shares push %g content %g platform %g, want 0.175, 0.525, 0.3", b.Push, b.Content, b.Platform)
	}
	mm, err := m.MoneyMarginals(context.Background(), base, MarginalOptions{Replicates: 3, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(mm) != 2 || mm[0].Name != "budget.push" || math.Abs(mm[0].At-12) > 1e-6 || math.Abs(mm[1].At-30) > 1e-6 || mm[0].Rate.N != 3 {
		t.Errorf("money marginals %+v, want push at 12 and content at 30 a day, 3 replicates each", mm)
	}
	for _, tc := range []struct{ name, text, want string }{
		{"no money", smallMarket, "optimize: --shares: brand Warm has no budget to split"},
		{"nothing left", smallMarket + "\n[brand.budget]\ndaily = 10\nplatform = 1\n", "optimize: --shares: the shares push, content cannot take any of Warm's budget: its other shares already sum to 1"},
	} {
		sc, err := scenario.Parse("budget.toml", []byte(tc.text))
		if err != nil {
			t.Fatal(err)
		}
		_, err = NewMarket(sc, MarketSpec{Brand: "Warm", Shares: []string{"push", "content"}, SharesSource: "--shares", Objective: "profit"})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}
