package optimize

import (
	"context"
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
	m, err := NewMarket(sc, "Loud", levers(t, "push.rate=0:3", "push.targeting=everyone,opt_in"), "adoption")
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
		{"unknown objective", "Loud", "push.rate=0:1", "profit", `optimize: unknown objective "profit"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewMarket(sc, tc.brand, levers(t, tc.lever), tc.objective)
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
