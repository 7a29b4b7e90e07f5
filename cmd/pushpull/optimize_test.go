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
