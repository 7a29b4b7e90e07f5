package main

import (
	"bytes"
	"encoding/xml"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/sim/output"
)

// tinyRun is a scenario small enough to run in a test: two brands, two
// replicates, a short orbit.
const tinyRun = `name = "tiny"
customers = 300
days = 12
replicates = 2
seed = 3

[graph]
kind = "watts_strogatz"
k = 6
beta = 0.1

[output]
orbit_sample = 60
orbit_every = 4

[[brand]]
name = "Loud"
strategy = "push"

[[brand]]
name = "Warm"
strategy = "pull"
`

func plotFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		switch filepath.Ext(e.Name()) {
		case ".png", ".svg", ".gif":
			names = append(names, e.Name())
		}
	}
	return names
}

func TestPlotRedrawsARun(t *testing.T) {
	scenario := writeScenario(t, "tiny.toml", tinyRun)
	dir := filepath.Join(t.TempDir(), "run")
	if _, errOut, code := invoke(t, "run", scenario, "--out", dir, "--plots=false", "-q"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	if got := plotFiles(t, dir); len(got) != 0 {
		t.Fatalf("--plots=false drew %v", got)
	}
	out, errOut, code := invoke(t, "plot", dir)
	if code != exitOK {
		t.Fatalf("plot: exit %d: %s", code, errOut)
	}
	got := plotFiles(t, dir)
	for _, want := range []string{"adoption.png", "adoption.svg", "adopters.png", "adopters.svg", "advocacy.svg", "churn.png", "attention.svg", "trust.png", "money.png", "money.svg", "overview.png", "orbit.gif", "orbit_day000.png", "orbit_day012.svg"} {
		if !slices.Contains(got, want) {
			t.Errorf("plot did not write %s; wrote %v", want, got)
		}
	}
	if !strings.Contains(out, "wrote 23 plot files in "+dir) {
		t.Errorf("output %q", out)
	}
	for _, name := range got {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(name) {
		case ".png":
			_, err = png.Decode(bytes.NewReader(data))
		case ".gif":
			_, err = gif.DecodeAll(bytes.NewReader(data))
		case ".svg":
			err = xml.Unmarshal(data, new(struct{}))
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The manifest lists the pictures with the run's data files.
	m, _, _, err := output.ReadRunDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append([]string{output.DailyFile}, got...) {
		if !slices.Contains(m.Files, name) {
			t.Errorf("the manifest does not list %s: %v", name, m.Files)
		}
	}
}

func TestPlotRejects(t *testing.T) {
	notRun := t.TempDir()
	sweepDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(sweepDir, "points.csv"), []byte("point\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no folder", []string{"plot"}, "plot: name at least one run folder"},
		{"not a run folder", []string{"plot", notRun}, "is not a run folder"},
		{"a sweep folder", []string{"plot", sweepDir}, "is a sweep's folder, not a run's: `pushpull sweep` draws its plots"},
		{"unknown flag", []string{"plot", "--width", "3", notRun}, "unknown flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := invoke(t, tt.args...)
			if code != exitInvalid || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, exitInvalid, tt.want)
			}
		})
	}
}

// TestPlotOptions checks the options for a paper's figures: only the
// figures and formats asked for, at the size asked for, under the title
// asked for; bad options exit 2 naming the flag.
func TestPlotOptions(t *testing.T) {
	scenario := writeScenario(t, "tiny.toml", tinyRun)
	dir := filepath.Join(t.TempDir(), "run")
	if _, errOut, code := invoke(t, "run", scenario, "--out", dir, "--plots=false", "-q"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	if _, errOut, code := invoke(t, "plot", "-q", "--only", "adopters,churn", "--format", "svg", "--size", "6x4", "--title", "Figure 2", dir); code != exitOK {
		t.Fatalf("plot: exit %d: %s", code, errOut)
	}
	if got := plotFiles(t, dir); !slices.Equal(got, []string{"adopters.svg", "churn.svg"}) {
		t.Errorf("--only adopters,churn --format svg wrote %v", got)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "adopters.svg"))
	if err != nil {
		t.Fatal(err)
	}
	// 6 by 4 inches are 432 by 288 points.
	if !strings.Contains(string(svg), `width="432pt" height="288pt"`) || !strings.Contains(string(svg), "Figure 2: cumulative adopters") {
		t.Errorf("adopters.svg lacks the size or the title asked for: %.300s", svg)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--size", "big"}, "plot: --size: want width x height in inches"},
		{[]string{"--format", "jpg"}, `plot: unknown format (want png or svg): "jpg"`},
		{[]string{"--only", "pie"}, `plot: unknown figure`},
	} {
		if _, errOut, code := invoke(t, append(append([]string{"plot"}, c.args...), dir)...); code != exitInvalid || !strings.Contains(errOut, c.want) {
			t.Errorf("plot %v: exit %d, %s", c.args, code, errOut)
		}
	}
}

// TestPlotObserved checks that --observed draws one ringed dot per
// observation over the adopters figure and names it in the legend, and
// that a column plot cannot draw, a missing brand or a bad unit exit 2
// naming the file and column.
func TestPlotObserved(t *testing.T) {
	scenario := writeScenario(t, "tiny.toml", tinyRun)
	dir := filepath.Join(t.TempDir(), "run")
	if _, errOut, code := invoke(t, "run", scenario, "--out", dir, "--plots=false", "-q"); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	paths := func(args ...string) int {
		t.Helper()
		if _, errOut, code := invoke(t, append(append([]string{"plot", "-q", "--only", "adopters", "--format", "svg"}, args...), dir)...); code != exitOK {
			t.Fatalf("plot %v: exit %d: %s", args, code, errOut)
		}
		svg, err := os.ReadFile(filepath.Join(dir, "adopters.svg"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(svg), ">observed<"); got != (len(args) > 0) {
			t.Errorf("plot %v: the legend names the observed dots: %v", args, got)
		}
		return strings.Count(string(svg), "<path")
	}
	data := filepath.Join(t.TempDir(), "observed.csv")
	if err := os.WriteFile(data, []byte("week,adopters:Warm,customers:Loud\n0,10,5\n1,40,20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	without := paths()
	with := paths("--observed", data, "--observed-unit", "week")
	// Four observations, each a black ring under a brand-coloured disc,
	// and the legend's dot.
	if with-without != 4*2+1 {
		t.Errorf("--observed added %d paths to adopters.svg, want %d: two per observation and one in the legend", with-without, 4*2+1)
	}
	bad := func(content string) string {
		p := filepath.Join(t.TempDir(), "bad.csv")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--observed", bad("day,trust:Warm\n1,0.5\n")}, `bad.csv:1: trust:Warm: not a curve plot can draw`},
		{[]string{"--observed", bad("day,adopters:Nobody\n1,5\n")}, `names no brand of the run`},
		{[]string{"--observed", bad("day,adopters\n1,5\n")}, `the run has several brands`},
		{[]string{"--observed", data, "--observed-unit", "year"}, `plot: --observed-unit: want day, week, month, got "year"`},
	} {
		if _, errOut, code := invoke(t, append(append([]string{"plot"}, c.args...), dir)...); code != exitInvalid || !strings.Contains(errOut, c.want) {
			t.Errorf("plot %v: exit %d, %s; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
