package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// calibrateFixture writes a small Bass scenario and observed data into a
// fresh folder and returns their paths.
func calibrateFixture(t *testing.T, data string) (dir, scenarioPath, dataPath string) {
	t.Helper()
	dir = t.TempDir()
	src, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "validation", "bass.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "customers = 100000", "customers = 200", 1)
	scenarioPath = filepath.Join(dir, "bass.toml")
	dataPath = filepath.Join(dir, "observed.csv")
	if err := os.WriteFile(scenarioPath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dataPath, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, scenarioPath, dataPath
}

const observedBass = "day,adopters\n5,12\n10,35\n15,80\n20,130\n25,170\n30,190\n"

// Bad input gets one message naming the file, line and key, exit 2, and
// nothing written.
func TestCalibrateBadInput(t *testing.T) {
	tests := []struct {
		name string
		data string
		fits []string
		flag []string
		want string // the start of stderr, after the fixture's folder
	}{
		{"missing value", "day,adopters\n5,12\n10,\n", []string{"recall.push=0.001:0.1"}, nil,
			"observed.csv:3: adopters: missing value (want a number, got an empty cell)"},
		{"not a number", "day,adopters\n5,12\n10,many\n", []string{"recall.push=0.001:0.1"}, nil,
			`observed.csv:3: adopters: not a number (want a finite number, got "many")`},
		{"times out of order", "day,adopters\n5,12\n3,20\n", []string{"recall.push=0.001:0.1"}, nil,
			"observed.csv:3: day: times out of order (want a time after 5, the line before's, got 3)"},
		{"column not produced", "day,adopterz\n5,12\n", []string{"recall.push=0.001:0.1"}, nil,
			"observed.csv:1: adopterz: not a column the scenario produces"},
		{"unknown brand", "day,adopters:Acme\n5,12\n", []string{"recall.push=0.001:0.1"}, nil,
			`observed.csv:1: adopters:Acme: names no brand of the scenario (want one of Product, got "Acme")`},
		{"key not in the scenario", observedBass, []string{"recall.pussh=0.001:0.1"}, nil,
			"--fit: recall.pussh: unknown key"},
		{"not a number in the prior", observedBass, []string{"recall.push=0.001:lots"}, nil,
			`--fit: recall.push: not a number: "lots"`},
		{"low not below high", observedBass, []string{"recall.push=0.1:0.01"}, nil,
			"--fit: recall.push: LOW must be below HIGH: 0.1:0.01"},
		{"prior outside the key's range", observedBass, []string{"recall.push=0.5:2"}, nil,
			"--fit: recall.push: the prior 0.5:2 reaches outside the key's range (want a number from 0 to 1, got 2)"},
		{"key that takes no number", observedBass, []string{"word_of_mouth.mode=0:1"}, nil,
			"--fit: word_of_mouth.mode:"},
		{"key fitted twice", observedBass, []string{"recall.push=0.001:0.1", "recall.push=0.01:0.2"}, nil,
			"--fit: recall.push: the key is fitted twice"},
		{"log prior from 0", observedBass, []string{"recall.push=log:0:0.1"}, nil,
			"--fit: recall.push: a log-uniform prior needs LOW above 0"},
		{"unknown unit", observedBass, []string{"recall.push=0.001:0.1"}, []string{"--unit", "fortnight"},
			`pushpull: calibrate: --unit: unknown unit "fortnight" (want day, week, month)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, sc, data := calibrateFixture(t, tt.data)
			out := filepath.Join(dir, "fit")
			args := []string{"calibrate", sc, "--data", data, "--out", out, "--quiet"}
			for _, f := range tt.fits {
				args = append(args, "--fit", f)
			}
			args = append(args, tt.flag...)
			_, stderr, code := invoke(t, args...)
			if code != exitInvalid {
				t.Errorf("exit %d, want %d (stderr %q)", code, exitInvalid, stderr)
			}
			got := strings.ReplaceAll(stderr, dir+string(filepath.Separator), "")
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("stderr\n%s\nwant it to start with\n%s", got, tt.want)
			}
			if strings.Count(strings.TrimSpace(got), "\n") > 0 {
				t.Errorf("want one message, got\n%s", got)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written despite the bad input", out)
			}
		})
	}
}

// A fit writes its files, prints the posterior of every key, and the same
// command again refuses to overwrite it.
func TestCalibrateWritesFit(t *testing.T) {
	dir, sc, data := calibrateFixture(t, observedBass)
	out := filepath.Join(dir, "fit")
	args := []string{"calibrate", sc, "--data", data, "--out", out, "--fit", "recall.push=log:0.001:0.1", "--fit", "recall.peer=0.001:0.05",
		"--particles", "40", "--generations", "3", "--predictive", "20", "--plots=false", "--workers", "2"}
	stdout, stderr, code := invoke(t, args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"calibrate: bass to", "40 particles, 3 generations", "recall.push   log:0.001:0.1", "recall.peer   0.001:0.05", "90% credible interval"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the table lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"posterior.csv", "calibration_summary.csv", "correlations.csv", "generations.csv", "predictive.csv", "scenario.toml", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "calibrate.journal")); err == nil {
		t.Errorf("the journal is left behind after the fit finished")
	}
	posterior, _ := os.ReadFile(filepath.Join(out, "posterior.csv"))
	if lines := strings.Count(string(posterior), "\n"); lines != 41 {
		t.Errorf("posterior.csv has %d lines, want a header and 40 particles", lines)
	}
	if _, _, code := invoke(t, args...); code != exitInvalid {
		t.Errorf("a second fit into the same folder: exit %d, want %d", code, exitInvalid)
	}
}

// A fit stopped after some generations (as by Ctrl-C or a kill) and run
// again goes on from its journal to the very posterior of a fit that never
// stopped.
func TestCalibrateResumesAfterInterruption(t *testing.T) {
	dir, sc, data := calibrateFixture(t, observedBass)
	args := func(out string) []string {
		return []string{"calibrate", sc, "--data", data, "--out", out, "--fit", "recall.push=log:0.001:0.1", "--fit", "recall.peer=0.001:0.05",
			"--particles", "40", "--generations", "6", "--predictive", "20", "--plots=false", "--quiet"}
	}
	whole := filepath.Join(dir, "whole")
	if _, stderr, code := invoke(t, args(whole)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	cut := filepath.Join(dir, "cut")
	ctx, cancel := context.WithCancel(context.Background())
	journal := filepath.Join(cut, "calibrate.journal")
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for ctx.Err() == nil {
			// The header and two finished generations.
			if b, err := os.ReadFile(journal); err == nil && strings.Count(string(b), "\n") >= 3 {
				cancel()
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	var out, errb bytes.Buffer
	err := newEnv(ctx, args(cut), &out, &errb).run(args(cut))
	cancel()
	<-stopped
	if err == nil {
		t.Skip("the fit finished before it could be stopped")
	}
	if !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("stopped fit: %v, want an interruption", err)
	}
	if _, err := os.Stat(journal); err != nil {
		t.Fatalf("the stopped fit left no journal: %v", err)
	}
	if _, stderr, code := invoke(t, args(cut)...); code != exitOK {
		t.Fatalf("resumed fit: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"posterior.csv", "generations.csv", "calibration_summary.csv", "predictive.csv"} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(cut, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s of the resumed fit differs from the uninterrupted one's", f)
		}
	}
}

// withCalibrateTable appends a [calibrate] table to the fixture's scenario.
func withCalibrateTable(t *testing.T, scenarioPath, table string) {
	t.Helper()
	src, err := os.ReadFile(scenarioPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(scenarioPath, append(src, []byte("\n[calibrate]\n"+table)...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The [calibrate] table gives the fit the flags would: the same posterior
// from the table alone as from the flags alone, and a flag overrides its
// key.
func TestCalibrateTableMatchesFlags(t *testing.T) {
	dir, sc, data := calibrateFixture(t, observedBass)
	common := []string{"--predictive", "20", "--plots=false", "--quiet"}
	byFlags := filepath.Join(dir, "flags")
	args := append([]string{"calibrate", sc, "--data", data, "--out", byFlags, "--fit", "recall.push=log:0.001:0.1", "--fit", "recall.peer=0.001:0.05",
		"--particles", "40", "--generations", "3"}, common...)
	if _, stderr, code := invoke(t, args...); code != exitOK {
		t.Fatalf("flags: exit %d: %s", code, stderr)
	}
	withCalibrateTable(t, sc, `data = "observed.csv"
fit = ["recall.push=log:0.001:0.1", "recall.peer=0.001:0.05"]
particles = 40
generations = 3
`)
	byTable := filepath.Join(dir, "table")
	if _, stderr, code := invoke(t, append([]string{"calibrate", sc, "--out", byTable}, common...)...); code != exitOK {
		t.Fatalf("table: exit %d: %s", code, stderr)
	}
	for _, f := range []string{"posterior.csv", "generations.csv", "calibration_summary.csv"} {
		a, _ := os.ReadFile(filepath.Join(byFlags, f))
		b, _ := os.ReadFile(filepath.Join(byTable, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s of the fit by the table differs from the fit by flags", f)
		}
	}
	overridden := filepath.Join(dir, "overridden")
	if _, stderr, code := invoke(t, append([]string{"calibrate", sc, "--out", overridden, "--particles", "20"}, common...)...); code != exitOK {
		t.Fatalf("override: exit %d: %s", code, stderr)
	}
	posterior, _ := os.ReadFile(filepath.Join(overridden, "posterior.csv"))
	if lines := strings.Count(string(posterior), "\n"); lines != 21 {
		t.Errorf("--particles 20 over particles = 40: posterior.csv has %d lines, want a header and 20 particles", lines)
	}
}

// A bad [calibrate] table gets one message naming the file, line and key,
// exit 2, and nothing written.
func TestCalibrateTableBadInput(t *testing.T) {
	tests := []struct {
		name, table, want string
	}{
		{"too few particles", "particles = 5\n", "calibrate.particles: too few (want 0 (the default) or at least 10, got 5)"},
		{"unknown unit", "unit = \"fortnight\"\n", `calibrate.unit: unknown value`},
		{"quantile out of range", "quantile = 1.5\n", "calibrate.quantile: out of range"},
		{"missing data file", "data = \"nowhere.csv\"\n", "calibrate.data:"},
		{"unknown key", "particle = 40\n", "calibrate.particle: unknown key"},
		{"wrong type", "particles = \"many\"\n", "calibrate.particles: wrong type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, sc, data := calibrateFixture(t, observedBass)
			withCalibrateTable(t, sc, tt.table)
			src, _ := os.ReadFile(sc)
			line := strings.Count(string(src), "\n")
			out := filepath.Join(dir, "fit")
			_, stderr, code := invoke(t, "calibrate", sc, "--data", data, "--fit", "recall.push=0.001:0.1", "--out", out, "--quiet")
			if code != exitInvalid {
				t.Errorf("exit %d, want %d (stderr %q)", code, exitInvalid, stderr)
			}
			got := strings.ReplaceAll(stderr, dir+string(filepath.Separator), "")
			if want := "bass.toml:" + strconv.Itoa(line) + ": " + tt.want; !strings.Contains(got, want) {
				t.Errorf("stderr\n%s\nwant it to contain\n%s", got, want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written despite the bad table", out)
			}
		})
	}
}
