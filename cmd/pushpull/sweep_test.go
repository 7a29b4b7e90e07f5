package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pushpull/pushpull/sim/sweep"
)

// TestMain lets a test run this test binary as the pushpull command, to
// kill it for real.
func TestMain(m *testing.M) {
	if os.Getenv("PUSHPULL_TEST_MAIN") == "1" {
		os.Args = append([]string{"pushpull"}, os.Args[1:]...)
		main()
	}
	os.Exit(m.Run())
}

// sweepScenario is a sweep of 8 points of 3 replicates, a few seconds in
// all: long enough to be killed halfway.
const sweepScenario = `name = "cli-sweep"
days = 365
replicates = 3
seed = 3
customers = 2000

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

[sweep]
method = "grid"

[[sweep.factor]]
path = "brand.Loud.push.rate"
values = [0.5, 1, 2, 4]

[[sweep.factor]]
path = "attention.capacity"
values = [3, 6]
`

var sweepFiles = []string{"points.csv", "replicates.csv", "sweep_summary.csv", "sensitivity.csv", "scenario.toml", "sweep_heatmap.svg", "sweep_tornado.png"}

func sameSweep(t *testing.T, want, got string) {
	t.Helper()
	for _, f := range sweepFiles {
		a, err := os.ReadFile(filepath.Join(want, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(got, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
		} else if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the uninterrupted sweep's", f)
		}
	}
}

// A sweep killed with SIGKILL in the middle, then run again with the same
// command, ends byte-identical to an uninterrupted sweep; so do its shards
// merged.
func TestSweepKilledResumesAndShardsMerge(t *testing.T) {
	file := writeScenario(t, "cli-sweep.toml", sweepScenario)
	want := filepath.Join(t.TempDir(), "whole")
	out := mustRun(t, "sweep", "--workers", "2", "--out", want, file)
	if !strings.Contains(out, "grid design, 8 points x 3 replicates = 24 runs (0 resumed)") {
		t.Errorf("sweep output:\n%s", out)
	}

	dir := filepath.Join(t.TempDir(), "killed")
	cmd := exec.Command(os.Args[0], "sweep", "--workers", "2", "--quiet", "--out", dir, file)
	cmd.Env = append(os.Environ(), "PUSHPULL_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	journal := filepath.Join(dir, sweep.JournalFile)
	deadline := time.Now().Add(60 * time.Second)
	for {
		data, _ := os.ReadFile(journal)
		// The journal's header and one run: the kill comes while most runs
		// are still to do.
		if n := bytes.Count(data, []byte("\n")); n >= 1+1 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the sweep wrote no runs to its journal")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if _, err := os.Stat(filepath.Join(dir, "sweep_summary.csv")); err == nil {
		t.Fatal("the sweep finished before it was killed; make it longer")
	}
	out = mustRun(t, "sweep", "--workers", "2", "--out", dir, file)
	if strings.Contains(out, "(0 resumed)") {
		t.Errorf("nothing was resumed after the kill:\n%s", out)
	}
	sameSweep(t, want, dir)

	sharded := filepath.Join(t.TempDir(), "sharded")
	for _, s := range []string{"1/3", "2/3", "3/3"} {
		mustRun(t, "sweep", "--quiet", "--shard", s, "--out", sharded, file)
	}
	mustRun(t, "merge", "--quiet", sharded)
	sameSweep(t, want, sharded)
}

func TestSweepCommandErrors(t *testing.T) {
	file := writeScenario(t, "cli-sweep.toml", sweepScenario)
	parts := t.TempDir()
	for _, s := range []string{"1/3", "3/3"} {
		mustRun(t, "sweep", "--quiet", "--shard", s, "--out", parts, file)
	}
	twice := t.TempDir()
	for _, s := range []string{"1/2", "2/2", "2/4"} {
		mustRun(t, "sweep", "--quiet", "--shard", s, "--out", twice, file)
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"sweep-bad-shard", []string{"sweep", "--shard", "4/3", file}},
		{"sweep-bad-shard-zero", []string{"sweep", "--shard", "0/3", file}},
		{"sweep-bad-emit", []string{"sweep", "--emit", "pbs", file}},
		{"sweep-no-sweep", []string{"sweep", "push-vs-pull"}},
		{"merge-missing", []string{"merge", parts}},
		{"merge-duplicate", []string{"merge", twice}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := invoke(t, tt.args...)
			if code != exitInvalid {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitInvalid, errOut)
			}
			errOut = strings.ReplaceAll(errOut, parts, "PARTS")
			errOut = strings.ReplaceAll(errOut, twice, "PARTS")
			errOut = strings.ReplaceAll(errOut, file, "cli-sweep.toml")
			golden(t, "error-"+tt.name+".txt", errOut)
		})
	}
}

func TestSweepEmit(t *testing.T) {
	file := writeScenario(t, "cli-sweep.toml", sweepScenario)
	dir := t.TempDir()
	out := mustRun(t, "sweep", "--emit", "slurm", "--shards", "3", "--binary", "/usr/local/bin/pushpull", "--set", "days=30", "--out", dir, file)
	if !strings.Contains(out, "24 runs in 3 shards") || !strings.Contains(out, sweep.SlurmSubmitFile) {
		t.Errorf("emit slurm output:\n%s", out)
	}
	array, err := os.ReadFile(filepath.Join(dir, sweep.SlurmArrayFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"--array=0-2", "--set days=30", file, "/usr/local/bin/pushpull sweep"} {
		if !strings.Contains(string(array), w) {
			t.Errorf("%s lacks %q:\n%s", sweep.SlurmArrayFile, w, array)
		}
	}
	if info, err := os.Stat(filepath.Join(dir, sweep.SlurmSubmitFile)); err != nil || info.Mode()&0o100 == 0 {
		t.Errorf("%s is not executable: %v", sweep.SlurmSubmitFile, err)
	}
	out = mustRun(t, "sweep", "--emit", "k8s", "--shards", "4", "--out", dir, file)
	if !strings.Contains(out, "kubectl apply -f") {
		t.Errorf("emit k8s output:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, sweep.K8sSweepFile)); err != nil {
		t.Error(err)
	}
}

// A scenario with a [sweep] still checks, and runs its base scenario into
// results/NAME/base/, leaving results/NAME/ to the sweep.
func TestSweepScenarioCheckAndRun(t *testing.T) {
	out := mustRun(t, "check", "sweep-push-budget")
	if !strings.Contains(out, "# sweep: grid design, ") || !strings.Contains(out, " runs\n") {
		t.Errorf("check of a sweep scenario:\n%s", out[:min(len(out), 400)])
	}
	t.Chdir(t.TempDir())
	out = mustRun(t, "run", "--days", "3", "--replicates", "2", "--plots=false", "sweep-push-budget")
	if !strings.Contains(out, filepath.Join("results", "sweep-push-budget", "base")) {
		t.Errorf("run of a sweep scenario:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join("results", "sweep-push-budget", "base", "summary.csv")); err != nil {
		t.Error(err)
	}
}
