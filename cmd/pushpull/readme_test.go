package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/scenarios"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
	"github.com/pushpull/pushpull/sim/sweep"
)

const (
	readmePath  = "../../README.md"
	paramsBegin = "<!-- params:begin -->\n"
	paramsEnd   = "<!-- params:end -->"
)

// TestREADMEParams checks that README.md holds the parameter reference
// generated from the code; with -update it rewrites that part of README.md
// (between the params markers) and nothing else.
func TestREADMEParams(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	begin, end := strings.Index(text, paramsBegin), strings.Index(text, paramsEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the %q and %q markers around the parameter reference", strings.TrimSpace(paramsBegin), paramsEnd)
	}
	var ref bytes.Buffer
	if err := scenario.WriteReference(&ref, "markdown"); err != nil {
		t.Fatal(err)
	}
	got := text[begin+len(paramsBegin) : end]
	if got == ref.String() {
		return
	}
	if *update {
		updated := text[:begin+len(paramsBegin)] + ref.String() + text[end:]
		if err := output.WriteFile(readmePath, func(w io.Writer) error { _, err := io.WriteString(w, updated); return err }); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's parameter reference is out of date with the code; regenerate it with\n\tgo test ./cmd/pushpull -run TestREADMEParams -update")
}

// TestREADMEColumns checks that README.md documents every column of every
// file a run or a comparison writes.
func TestREADMEColumns(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]string{
		output.DailyFile:      append([]string{"replicate", "day", "brand"}, output.MetricNames()...),
		output.ReplicatesFile: append([]string{"replicate", "brand"}, output.OutcomeNames...),
		output.SummaryFile:    {"brand", "outcome", "mean", "sd", "ci95_low", "ci95_high", "n"},
		output.OrbitFile:      {"day", "customer", "brand", "status", "engagement"},
		output.CompareFile:    {"brand", "outcome", "scenario", "mean", "ci95_low", "ci95_high", "n", "diff", "diff_ci95_low", "diff_ci95_high", "paired"},
		sweep.PointsFile:      {"point"},
		sweep.SummaryFile:     {"point", "brand", "outcome", "mean", "ci95_low", "ci95_high", "n"},
		sweep.SensitivityFile: {"brand", "outcome", "method", "factor", "rank", "index", "index_low", "index_high", "total", "total_low", "total_high", "r2", "points_used", "warnings"},
	}
	for file, cols := range files {
		if !bytes.Contains(data, []byte("`"+file+"`")) {
			t.Errorf("README.md does not describe %s", file)
		}
		for _, c := range cols {
			if !bytes.Contains(data, []byte("`"+c+"`")) {
				t.Errorf("README.md does not document the column `%s` of %s", c, file)
			}
		}
	}
	for _, f := range []string{output.ManifestFile, output.ScenarioFile} {
		if !bytes.Contains(data, []byte("`"+f+"`")) {
			t.Errorf("README.md does not describe %s", f)
		}
	}
}

// TestShippedResults reruns every shipped scenario (the validation ones
// aside) and checks its data files are byte-identical to the committed
// reference run in results/NAME/. Regenerate the references with
//
//	go run ./cmd/pushpull run --force --quiet --out results scenarios/*.toml
func TestShippedResults(t *testing.T) {
	ci := os.Getenv("CI") == "true"
	for _, name := range scenarios.Names() {
		if strings.HasPrefix(name, "validation/") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			ref := filepath.Join("..", "..", "results", name)
			if _, err := os.Stat(filepath.Join(ref, output.ManifestFile)); err != nil {
				if ci {
					t.Fatalf("no reference run in results/%s (CI=true); regenerate with go run ./cmd/pushpull run --force --quiet --out results scenarios/*.toml", name)
				}
				t.Skipf("no reference run in results/%s to compare with", name)
			}
			dir := filepath.Join(t.TempDir(), name)
			files := []string{output.DailyFile, output.ReplicatesFile, output.SummaryFile, output.OrbitFile}
			sc, _ := loadScenario(name)
			if sc != nil && sc.Output.OrbitSample == 0 {
				files = files[:3] // a scenario that records no orbit writes no orbit.csv
			}
			if sc != nil && sc.Sweep != nil {
				// A sweep scenario's folder holds its sweep; regenerate it
				// with go run ./cmd/pushpull sweep --force --quiet NAME.
				mustRun(t, "sweep", "--quiet", "--plots=false", "--out", dir, name)
				files = []string{sweep.PointsFile, sweep.ReplicatesFile, sweep.SummaryFile, sweep.SensitivityFile}
			} else {
				mustRun(t, "run", "--quiet", "--plots=false", "--out", dir, name)
				checkSameManifest(t, filepath.Join(ref, output.ManifestFile), filepath.Join(dir, output.ManifestFile))
			}
			for _, f := range files {
				want, err := os.ReadFile(filepath.Join(ref, f))
				if err != nil {
					t.Errorf("reference %s: %v", f, err)
					continue
				}
				got, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil {
					t.Errorf("rerun %s: %v", f, err)
					continue
				}
				if !bytes.Equal(got, want) {
					t.Errorf("results/%s/%s differs from a rerun: the engine or the scenario changed; regenerate results/ if that is intended", name, f)
				}
			}
		})
	}
}

// checkSameManifest fails unless the rerun's manifest says what the
// reference one says, but for the files listed (the rerun draws no plots):
// a manifest holding anything that varies between executions would make
// every rerun of a reference run change a committed file.
func checkSameManifest(t *testing.T, refPath, rerunPath string) {
	t.Helper()
	read := func(path string) *output.Manifest {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		m, err := output.ReadManifest(f)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		m.Files = nil
		return m
	}
	want, got := read(refPath), read(rerunPath)
	var a, b bytes.Buffer
	if err := output.WriteManifest(&a, want); err != nil {
		t.Fatal(err)
	}
	if err := output.WriteManifest(&b, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("%s differs from a rerun's manifest beyond its list of files:\n%s\nrerun:\n%s", refPath, a.Bytes(), b.Bytes())
	}
}

// BenchmarkDefaultScenario runs `pushpull run` on the default scenario,
// as an educator's first command does, writing every data file but no
// plots (their cost belongs to package plot's benchmarks).
func BenchmarkDefaultScenario(b *testing.B) {
	dir := b.TempDir()
	var out, errb bytes.Buffer
	for b.Loop() {
		if err := run([]string{"run", "--quiet", "--force", "--plots=false", "--out", dir}, &out, &errb); err != nil {
			b.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Contains(names, output.ManifestFile) {
		b.Fatalf("no manifest written: %v", names)
	}
}
