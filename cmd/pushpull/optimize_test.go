package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tinyMarket optimizes in about a second: 400 customers for 40 days.
const tinyMarket = `name = "tiny-market"
days = 40
replicates = 2
seed = 9
customers = 400

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

func TestOptimizeWritesTheFolder(t *testing.T) {
	path := writeScenario(t, "tiny.toml", tinyMarket)
	runs := map[string]string{}
	for _, workers := range []string{"1", "3"} {
		out := filepath.Join(t.TempDir(), "opt")
		stdout, stderr, code := invoke(t, "optimize", path, "--brand", "Warm", "--lever", "pull.content=0:5",
			"--lever", "pull.platform=conversation,contribution", "--budget", "160", "--workers", workers, "--out", out)
		if code != exitOK {
			t.Fatalf("exit %d; stderr:\n%s", code, stderr)
		}
		for _, want := range []string{"best:", "scenario's own:", "finalists", "P(best)", "marginal return at the best", "run it with: pushpull run"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("report lacks %q:\n%s", want, stdout)
			}
		}
		data, err := os.ReadFile(filepath.Join(out, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var man struct {
			Simulations int      `json:"simulations"`
			Budget      int      `json:"budget"`
			Files       []string `json:"files"`
		}
		if err := json.Unmarshal(data, &man); err != nil {
			t.Fatal(err)
		}
		if man.Simulations > man.Budget || man.Budget != 160 {
			t.Errorf("%d simulations of a budget of %d", man.Simulations, man.Budget)
		}
		for _, f := range []string{"optimize_finalists.csv", "optimize_evaluated.csv", "optimize_progress.csv", "optimize_marginals.csv",
			"scenario.toml", "optimize_progress.png", "optimize_surface.png", "manifest.json"} {
			if !slices.Contains(man.Files, f) {
				t.Errorf("manifest does not list %s: %v", f, man.Files)
			}
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Error(err)
			}
		}
		if _, err := os.Stat(filepath.Join(out, "optimize.journal")); err == nil {
			t.Error("the journal is left after a finished optimization")
		}
		finalists, err := os.ReadFile(filepath.Join(out, "optimize_finalists.csv"))
		if err != nil {
			t.Fatal(err)
		}
		runs[workers] = string(finalists)
	}
	if runs["1"] != runs["3"] {
		t.Errorf("finalists differ between 1 and 3 workers:\n%s\n---\n%s", runs["1"], runs["3"])
	}
}

// Bad input writes nothing: not even the folder.
func TestOptimizeBadInputWritesNothing(t *testing.T) {
	path := writeScenario(t, "tiny.toml", tinyMarket)
	for _, args := range [][]string{
		{"--brand", "Nobody", "--lever", "push.rate=0:2"},
		{"--brand", "Warm", "--lever", "push.speed=0:2"},
		{"--brand", "Warm", "--lever", "push.rate=-1:2"},
		{"--brand", "Warm", "--lever", "push.rate=0:2", "--budget", "0"},
		{"--brand", "Warm", "--lever", "push.rate=0:2", "--objective", "fame"},
		{"--brand", "Warm", "--shares", "push,content"}, // no budget to split
		{"--brand", "Warm", "--shares", "push,ads"},
		{"--brand", "Warm", "--shares", "push,content", "--set", "brand.Warm.budget.daily=10", "--set", "brand.Warm.budget.platform=1"},
	} {
		out := filepath.Join(t.TempDir(), "opt")
		_, stderr, code := invoke(t, append([]string{"optimize", path, "--out", out}, args...)...)
		if code != exitInvalid || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, want %d with one line; stderr:\n%s", args, code, exitInvalid, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: the folder %s was written", args, out)
		}
	}
}

// The scenario's [optimize] table gives what the flags leave out.
func TestOptimizeReadsTheTable(t *testing.T) {
	path := writeScenario(t, "tiny.toml", tinyMarket+`
[brand.budget]
daily = 40
content = 0.6
platform = 0.4

[optimize]
brand = "Warm"
shares = ["content", "platform"]
objective = "adoption"
budget = 90
`)
	out := filepath.Join(t.TempDir(), "opt")
	stdout, stderr, code := invoke(t, "optimize", path, "--out", out, "--workers", "2")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "Warm's adoption") || !strings.Contains(stdout, "budget.content=") || !strings.Contains(stdout, "the next $ a day") {
		t.Errorf("report does not follow the table:\n%s", stdout)
	}
	data, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Budget int      `json:"budget"`
		Levers []string `json:"levers"`
	}
	if err := json.Unmarshal(data, &man); err != nil {
		t.Fatal(err)
	}
	if man.Budget != 90 || !slices.Equal(man.Levers, []string{"shares=content,platform"}) {
		t.Errorf("manifest budget %d, levers %v; want the table's 90 and its shares", man.Budget, man.Levers)
	}
	// A bad lever in the table is reported at its line.
	bad := writeScenario(t, "bad.toml", tinyMarket+"\n[optimize]\nbrand = \"Warm\"\nlevers = [\"push.rate=2\"]\n")
	_, stderr, code = invoke(t, "optimize", bad, "--out", filepath.Join(t.TempDir(), "x"))
	if code != exitInvalid || !strings.Contains(stderr, "bad.toml:22: optimize.levers: a choice needs at least two values") {
		t.Errorf("exit %d, stderr %q; want exit 2 naming bad.toml:22", code, stderr)
	}
}

func TestOptimizeRespond(t *testing.T) {
	path := writeScenario(t, "tiny.toml", tinyMarket)
	out := filepath.Join(t.TempDir(), "respond")
	stdout, stderr, code := invoke(t, "optimize", path, "--respond", "--rounds", "2", "--lever", "push.rate=0:2",
		"--objective", "adoption", "--budget", "40", "--out", out, "--workers", "2")
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "iterated best response") || !(strings.Contains(stdout, "settled:") || strings.Contains(stdout, "cycles:") || strings.Contains(stdout, "still moving")) {
		t.Errorf("report lacks the verdict:\n%s", stdout)
	}
	for _, f := range []string{"respond.csv", "manifest.json", "round-1/Loud/optimize_finalists.csv", "round-1/Warm/optimize_finalists.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}
