package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/pushpull/pushpull/sim/output"
)

// smallScenario runs in well under a second: what the end-to-end tests
// exercise is the path from file to outputs, not the model.
const smallScenario = `name = "small"
description = "Two brands on a small network"
days = 40
replicates = 4
seed = 7
customers = 2000

[graph]
kind = "watts_strogatz"
k = 6
beta = 0.1

[output]
orbit_sample = 50
orbit_every = 10

[[brand]]
name = "Loud"
strategy = "push"

[[brand]]
name = "Warm"
strategy = "pull"
`

// readCSV reads a whole CSV file: its header and rows.
func readCSV(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s is empty", path)
	}
	return recs[0], recs[1:]
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := invoke(t, args...)
	if code != exitOK {
		t.Fatalf("pushpull %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func TestRunEndToEnd(t *testing.T) {
	file := writeScenario(t, "small.toml", smallScenario)
	dir := filepath.Join(t.TempDir(), "run")
	out := mustRun(t, "run", "--out", dir, "--set", "brand.Loud.push.rate=2", file)
	for _, want := range []string{"small: 2000 customers, 4 replicates of 40 days", "Loud", "Warm", "adoption", "churn/month", "ever left", "blocked", "wasted", "spend", "wrote " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}

	// daily.csv: one row per replicate, day 0..days and brand.
	head, rows := readCSV(t, filepath.Join(dir, output.DailyFile))
	if want := append([]string{"replicate", "day", "brand"}, output.MetricNames()...); !slices.Equal(head, want) {
		t.Errorf("daily.csv columns %v, want %v", head, want)
	}
	if len(rows) != 4*41*2 {
		t.Errorf("daily.csv has %d rows, want %d", len(rows), 4*41*2)
	}
	if rows[0][1] != "0" || rows[len(rows)-1][1] != "40" || rows[len(rows)-1][0] != "3" {
		t.Errorf("daily.csv runs from %v to %v", rows[0][:3], rows[len(rows)-1][:3])
	}

	// replicates.csv: one row per replicate and brand.
	head, reps := readCSV(t, filepath.Join(dir, output.ReplicatesFile))
	if want := append([]string{"replicate", "brand"}, output.OutcomeNames...); !slices.Equal(head, want) {
		t.Errorf("replicates.csv columns %v, want %v", head, want)
	}
	if len(reps) != 4*2 {
		t.Errorf("replicates.csv has %d rows, want 8", len(reps))
	}

	// summary.csv agrees with replicates.csv: mean, sd and the Student-t
	// interval recomputed here, independently of package output.
	head, sums := readCSV(t, filepath.Join(dir, output.SummaryFile))
	if want := []string{"brand", "outcome", "mean", "sd", "ci95_low", "ci95_high", "n"}; !slices.Equal(head, want) {
		t.Errorf("summary.csv columns %v", head)
	}
	if len(sums) != 2*len(output.OutcomeNames) {
		t.Errorf("summary.csv has %d rows, want %d", len(sums), 2*len(output.OutcomeNames))
	}
	for _, s := range sums {
		k := 2 + slices.Index(output.OutcomeNames, s[1])
		var vals []float64
		for _, r := range reps {
			if r[1] == s[0] && r[k] != "" {
				v, err := strconv.ParseFloat(r[k], 64)
				if err != nil {
					t.Fatal(err)
				}
				vals = append(vals, v)
			}
		}
		checkSummary(t, s, vals)
	}

	// orbit.csv: replicate 0's frames every 10 days, the last included.
	head, orbit := readCSV(t, filepath.Join(dir, output.OrbitFile))
	if !slices.Equal(head, []string{"day", "customer", "brand", "status", "engagement"}) {
		t.Errorf("orbit.csv columns %v", head)
	}
	if len(orbit) != 5*50 {
		t.Errorf("orbit.csv has %d rows, want 250 (days 0, 10, 20, 30, 40 of 50 customers)", len(orbit))
	}

	// scenario.toml: the file as run, after the --set it ran with.
	got, _ := os.ReadFile(filepath.Join(dir, output.ScenarioFile))
	if !bytes.HasSuffix(got, []byte(smallScenario)) || !bytes.Contains(got, []byte("#   --set brand.Loud.push.rate=2\n")) {
		t.Errorf("scenario.toml:\n%s", got)
	}

	// manifest.json: what was run, and every file it lists exists;
	// provenance.json: how and when.
	data, err := os.ReadFile(filepath.Join(dir, output.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m output.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(smallScenario))
	if m.Scenario != "small" || m.ScenarioSHA256 != hex.EncodeToString(sum[:]) || m.Seed != 7 || m.Replicates != 4 ||
		m.ReplicatesCompleted != 4 || m.Interrupted || m.Graph.N != 2000 || len(m.Sets) != 1 {
		t.Errorf("manifest: %s", data)
	}
	prov, err := os.ReadFile(filepath.Join(dir, output.ProvenanceFile))
	if err != nil {
		t.Fatal(err)
	}
	var p output.Provenance
	if err := json.Unmarshal(prov, &p); err != nil {
		t.Fatal(err)
	}
	if p.Workers < 1 || p.Build.GoVersion == "" || p.Build.OS == "" || p.Finished.Before(p.Started) || !slices.Contains(p.Command, "run") {
		t.Errorf("provenance: %s", prov)
	}
	if rate := m.Resolved["brand"].([]any)[0].(map[string]any)["push"].(map[string]any)["rate"]; rate != 2.0 {
		t.Errorf("the manifest's resolved scenario has push.rate %v, want the --set value 2", rate)
	}
	for _, f := range []string{output.DailyFile, output.ReplicatesFile, output.SummaryFile, output.ScenarioFile, output.OrbitFile, output.ProvenanceFile} {
		if !slices.Contains(m.Files, f) {
			t.Errorf("the manifest does not list %s", f)
		}
	}
	for _, f := range m.Files {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the manifest lists %s: %v", f, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("a temporary file was left: %s", e.Name())
		}
	}

	// The same run on one worker writes byte-identical data.
	one := filepath.Join(t.TempDir(), "one")
	mustRun(t, "run", "--quiet", "--plots=false", "--workers", "1", "--out", one, "--set", "brand.Loud.push.rate=2", file)
	for _, f := range []string{output.DailyFile, output.ReplicatesFile, output.SummaryFile, output.OrbitFile} {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, _ := os.ReadFile(filepath.Join(one, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between --workers 1 and the default", f)
		}
	}

	// The same run again, on other workers and later, writes the same
	// manifest: nothing in it varies between executions, so rerunning a
	// committed reference run leaves it as committed.
	manifest, _ := os.ReadFile(filepath.Join(one, output.ManifestFile))
	mustRun(t, "run", "--quiet", "--plots=false", "--workers", "2", "--out", one, "--set", "brand.Loud.push.rate=2", file)
	if again, _ := os.ReadFile(filepath.Join(one, output.ManifestFile)); !bytes.Equal(manifest, again) {
		t.Errorf("the same run again on 2 workers wrote another manifest:\n%s\nthen\n%s", manifest, again)
	}

	// An earlier run is only overwritten with --force, unless it is the
	// same run again, which writes the same files.
	before, _ := os.ReadFile(filepath.Join(dir, output.DailyFile))
	mustRun(t, "run", "--quiet", "--plots=false", "--out", dir, "--set", "brand.Loud.push.rate=2", file)
	if after, _ := os.ReadFile(filepath.Join(dir, output.DailyFile)); !bytes.Equal(before, after) {
		t.Errorf("the same run again wrote another daily.csv")
	}
	_, errOut, code := invoke(t, "run", "--quiet", "--seed", "8", "--out", dir, file)
	if code != exitInvalid || !strings.Contains(errOut, "--force") {
		t.Errorf("another run without --force: exit %d, %s", code, errOut)
	}
	mustRun(t, "run", "--quiet", "--plots=false", "--force", "--seed", "8", "--out", dir, file)

	// A run folder that cannot be made is a usage error, found first.
	under := filepath.Join(dir, output.DailyFile, "run")
	if _, errOut, code := invoke(t, "run", "--quiet", "--out", under, file); code != exitInvalid || !strings.Contains(errOut, under+" as a run folder") {
		t.Errorf("--out under a file: exit %d, %s", code, errOut)
	}
	if isDir("/proc/self") {
		// procfs refuses new folders though it says nothing is there.
		if _, errOut, code := invoke(t, "run", "--quiet", "--out", "/proc/pushpull", file); code != exitInvalid || !strings.Contains(errOut, "cannot create the run folder /proc/pushpull (see --out)") {
			t.Errorf("--out in /proc: exit %d, %s", code, errOut)
		}
	}
}

// checkSummary compares one summary.csv row with mean, sd and Student-t
// 95% interval of vals.
func checkSummary(t *testing.T, row []string, vals []float64) {
	t.Helper()
	num := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("summary.csv: %q", s)
		}
		return v
	}
	n := len(vals)
	if strconv.Itoa(n) != row[6] {
		t.Errorf("%s %s: n = %s, want %d", row[0], row[1], row[6], n)
		return
	}
	if n < 2 {
		return
	}
	var mean, ss float64
	for _, v := range vals {
		mean += v / float64(n)
	}
	for _, v := range vals {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(n-1))
	half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975) * sd / math.Sqrt(float64(n))
	for i, want := range []float64{mean, sd, mean - half, mean + half} {
		got := num(row[2+i])
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s %s column %d: %v, recomputed %v", row[0], row[1], 2+i, got, want)
		}
	}
}

// A run stopped halfway keeps its finished replicates, writes them whole,
// and says so.
func TestInterruptKeepsFinishedReplicates(t *testing.T) {
	file := writeScenario(t, "small.toml", smallScenario)
	dir := filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	e := newEnv(ctx, nil, &out, &errb)
	e.afterDay = func(rep, day int) {
		if rep == 2 && day == 5 {
			cancel() // Ctrl-C during replicate 2, replicates 0 and 1 done
		}
	}
	err := e.run([]string{"run", "--workers", "1", "--plots=false", "--out", dir, file})
	if err == nil || exitCode(err) != exitFailure || !strings.Contains(err.Error(), "kept the 2 finished replicates of 4") {
		t.Fatalf("interrupted run: %v", err)
	}
	_, reps := readCSV(t, filepath.Join(dir, output.ReplicatesFile))
	if len(reps) != 2*2 || reps[len(reps)-1][0] != "1" {
		t.Errorf("replicates.csv holds %d rows, want replicates 0 and 1", len(reps))
	}
	var m output.Manifest
	data, _ := os.ReadFile(filepath.Join(dir, output.ManifestFile))
	if err := json.Unmarshal(data, &m); err != nil || !m.Interrupted || m.ReplicatesCompleted != 2 {
		t.Errorf("manifest of the interrupted run: %s", data)
	}
	if !strings.Contains(out.String(), "2 replicates of 40 days") {
		t.Errorf("the table should report the finished replicates:\n%s", out.String())
	}

	// Stopped before any replicate finished, nothing is written at all.
	parent := t.TempDir()
	empty := filepath.Join(parent, "new", "empty")
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	err = newEnv(ctx, nil, &out, &errb).run([]string{"run", "--quiet", "--out", empty, file})
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("run cancelled at once: %v", err)
	}
	if _, err := os.Stat(filepath.Join(parent, "new")); err == nil {
		t.Errorf("a run that finished nothing left the folders it made")
	}
}

func TestMemoryRefusal(t *testing.T) {
	var out, errb bytes.Buffer
	e := newEnv(context.Background(), nil, &out, &errb)
	e.memory = func() (int64, bool) { return 1 << 20, true }
	err := e.run([]string{"run", "--quiet", "--out", t.TempDir()})
	if exitCode(err) != exitInvalid || !strings.Contains(err.Error(), "needs about") || !strings.Contains(err.Error(), "1.0 MiB available") {
		t.Errorf("run on a machine with 1 MiB: %v", err)
	}
	// Where memory cannot be read, an absurd run is still refused before
	// anything is allocated.
	e.memory = func() (int64, bool) { return 0, false }
	err = e.run([]string{"run", "--quiet", "--out", t.TempDir(), "--days", "36500", "--replicates", "10000", "--set", "customers=5e7"})
	if exitCode(err) != exitInvalid || !strings.Contains(err.Error(), "cannot be read") {
		t.Errorf("absurd run where memory is unknown: %v", err)
	}
}

func TestCompare(t *testing.T) {
	base := writeScenario(t, "small.toml", smallScenario)
	// louder's own seed (99) gives way to the first scenario's (7), for
	// common random numbers.
	louder := writeScenario(t, "louder.toml", strings.NewReplacer(`name = "small"`, `name = "louder"`, "seed = 7", "seed = 99").Replace(smallScenario)+
		"[brand.push]\nrate = 3\n")
	same := writeScenario(t, "same.toml", strings.Replace(smallScenario, `name = "small"`, `name = "same"`, 1))
	out := filepath.Join(t.TempDir(), "cmp")
	table := mustRun(t, "compare", "--plots=false", "--out", out, base, louder, same)
	for _, want := range []string{"compare: 3 scenarios, seed 7, 4 replicates each", "difference to small", "Loud", "adoption", "louder", "pts"} {
		if !strings.Contains(table, want) {
			t.Errorf("compare table lacks %q:\n%s", want, table)
		}
	}
	head, rows := readCSV(t, filepath.Join(out, output.CompareFile))
	if want := []string{"brand", "outcome", "scenario", "mean", "ci95_low", "ci95_high", "n", "diff", "diff_ci95_low", "diff_ci95_high", "paired"}; !slices.Equal(head, want) {
		t.Errorf("compare.csv columns %v", head)
	}
	if len(rows) != 2*len(output.OutcomeNames)*3 {
		t.Errorf("compare.csv has %d rows", len(rows))
	}
	for _, r := range rows {
		switch r[2] {
		case "small":
			if r[7] != "" {
				t.Errorf("the baseline has a difference: %v", r)
			}
		case "same":
			// Same scenario, same random numbers: exactly no difference.
			if r[10] != "true" || (r[7] != "" && r[7] != "0") {
				t.Errorf("identical scenarios differ: %v", r)
			}
		case "louder":
			if r[10] != "true" {
				t.Errorf("not paired: %v", r)
			}
		}
	}
	for _, name := range []string{"small", "louder", "same"} {
		if _, err := os.Stat(filepath.Join(out, name, output.ManifestFile)); err != nil {
			t.Errorf("compare did not keep the run of %s: %v", name, err)
		}
	}
	data, _ := os.ReadFile(filepath.Join(out, "louder", output.ManifestFile))
	var m output.Manifest
	if json.Unmarshal(data, &m); m.Seed != 7 {
		t.Errorf("louder ran with seed %d, want the first scenario's 7", m.Seed)
	}

	// The same comparison again needs no --force; another one does.
	mustRun(t, "compare", "--quiet", "--plots=false", "--out", out, base, louder, same)
	if _, errOut, code := invoke(t, "compare", "--quiet", "--plots=false", "--seed", "9", "--out", out, base, louder, same); code != exitInvalid || !strings.Contains(errOut, "compare.csv exists; use --force") {
		t.Errorf("another comparison into the same folder: exit %d, %s", code, errOut)
	}

	// Earlier runs compare without running again, and pair as before.
	again := filepath.Join(t.TempDir(), "again")
	mustRun(t, "compare", "--quiet", "--plots=false", "--out", again, filepath.Join(out, "small"), filepath.Join(out, "louder"))
	a, _ := os.ReadFile(filepath.Join(out, output.CompareFile))
	b, _ := os.ReadFile(filepath.Join(again, output.CompareFile))
	if !bytes.HasPrefix(a, b[:bytes.IndexByte(b, '\n')]) || len(b) == 0 {
		t.Errorf("compare.csv from run folders has another header")
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.Contains(line, ",louder,") && !strings.Contains(string(a), line) {
			t.Errorf("the run folders compare differently: %s", line)
		}
	}

	// A run made with another seed met other luck: the table says its
	// differences are unpaired instead of claiming common random numbers.
	other := filepath.Join(t.TempDir(), "other")
	mustRun(t, "run", "--quiet", "--plots=false", "--seed", "8", "--out", other, louder)
	table = mustRun(t, "compare", "--plots=false", "--out", filepath.Join(t.TempDir(), "unpaired"), filepath.Join(out, "small"), other)
	if strings.Contains(table, "common random numbers") || strings.Contains(table, "paired by replicate") ||
		!strings.Contains(table, "unpaired: the runs do not share seed and replicates") || !strings.Contains(table, "(unpaired)") {
		t.Errorf("compare of runs with different seeds:\n%s", table)
	}
	// Two runs of one scenario are told apart by their folders.
	table = mustRun(t, "compare", "--plots=false", "--out", filepath.Join(t.TempDir(), "same-name"), filepath.Join(out, "louder"), other)
	if !strings.Contains(table, "difference to "+filepath.Join(out, "louder")) || !strings.Contains(table, other) {
		t.Errorf("compare of two runs of one scenario:\n%s", table)
	}
}

// TestCompareExplainsAndDecides checks what compare prints to decide
// between plans: the keys that differ, the outcomes --show picks in its
// order, a verdict on the first of them, and a plan changed on the command
// line (FILE:key=value) compared with its file without copying it.
func TestCompareExplainsAndDecides(t *testing.T) {
	base := writeScenario(t, "small.toml", smallScenario)
	out := filepath.Join(t.TempDir(), "cmp")
	table := mustRun(t, "compare", "--plots=false", "--out", out, "--show", "push_spend,adoption",
		base, base+":brand.Loud.push.rate=0.2", base+":brand.Loud.push.rate=0.2:brand.Warm.strategy=push")
	for _, want := range []string{
		"(paired, common random numbers)",
		"differs: brand.Loud.push.rate: 1 | 0.2 | 0.2\n",
		"small:brand.Loud.push.rate=0.2:brand.Warm.strategy=push",
		// Warm's strategy changes its preset's keys too.
		"differs: brand.Warm.push.targeting: opt_in | opt_in | everyone\n",
		// Loud pushes alike in the two changed plans: no winner.
		"verdict on spend for Loud: no winner; small:brand.Loud.push.rate=0.2",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("compare lacks %q:\n%s", want, table)
		}
	}
	if i, j := strings.Index(table, "   spend   "), strings.Index(table, "   adoption   "); i < 0 || j < i {
		t.Errorf("--show push_spend,adoption prints spend, then adoption:\n%s", table)
	}
	if strings.Contains(table, "advocates") {
		t.Errorf("--show printed an outcome it did not name:\n%s", table)
	}
	if _, err := os.Stat(filepath.Join(out, "small_brand.Loud.push.rate=0.2", output.ManifestFile)); err != nil {
		t.Errorf("the changed plan's run folder: %v", err)
	}
	// Spend falls with a fifth of the push, beyond noise.
	table = mustRun(t, "compare", "--plots=false", "--out", filepath.Join(t.TempDir(), "two"), "--show", "push_spend", base, base+":brand.Loud.push.rate=0.2")
	if !strings.Contains(table, "verdict on spend for Loud: small:brand.Loud.push.rate=0.2 is best, by -") {
		t.Errorf("compare of a fifth of the push:\n%s", table)
	}
	// Two runs of the very same plan: no winner.
	table = mustRun(t, "compare", "--plots=false", "--out", filepath.Join(t.TempDir(), "same"), base, base+":days=40")
	if !strings.Contains(table, "verdict on adoption for Loud: no winner;") || strings.Contains(table, "differs:") {
		t.Errorf("compare of a plan with itself:\n%s", table)
	}
	// One replicate: no interval is claimed, paired or not.
	table = mustRun(t, "compare", "--plots=false", "--replicates", "1", "--out", filepath.Join(t.TempDir(), "one"), base, base+":brand.Loud.push.rate=0.2")
	if strings.Contains(table, "paired") || !strings.Contains(table, "no intervals") || !strings.Contains(table, "without an interval") {
		t.Errorf("compare of one replicate each:\n%s", table)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--show", "profits"}, `compare: --show: unknown outcome "profits"`},
		{[]string{base + ":brand.Nobody.push.rate=2"}, `brand.Nobody.push.rate: no brand named "Nobody"`},
		{[]string{base + ":brand.Loud.push.rate=-1"}, "brand.Loud.push.rate: out of range"},
	} {
		args := append([]string{"compare", "--plots=false", "--out", filepath.Join(t.TempDir(), "bad")}, c.args...)
		args = append(args, base, base+":days=5")
		if _, errOut, code := invoke(t, args...); code != exitInvalid || !strings.Contains(errOut, c.want) {
			t.Errorf("compare %v: exit %d, %s; want exit 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestRunTable checks the table that ends a run: --show picks the outcomes,
// and one replicate promises no confidence intervals.
func TestRunTable(t *testing.T) {
	file := writeScenario(t, "small.toml", smallScenario)
	out := mustRun(t, "run", "--plots=false", "--replicates", "1", "--show", "leavers,churned", "--out", filepath.Join(t.TempDir(), "one"), file)
	if strings.Contains(out, "confidence interval]") || !strings.Contains(out, "one replicate, so no confidence intervals") ||
		!strings.Contains(out, "ever left   losses") || strings.Contains(out, "adoption") {
		t.Errorf("run --replicates 1 --show leavers,churned:\n%s", out)
	}
	if _, errOut, code := invoke(t, "run", "--show", "adoption,nope", file); code != exitInvalid || !strings.Contains(errOut, `run: --show: unknown outcome "nope"`) {
		t.Errorf("run --show nope: exit %d, %s", code, errOut)
	}
}

// TestWarningsPrinted checks that check, run and compare say when a key
// is capped by another and what a switch of strategy changed besides.
func TestWarningsPrinted(t *testing.T) {
	file := writeScenario(t, "small.toml", smallScenario)
	capped := "warning: --set: brand.Loud.push.rate: 4 is above the brand's push.frequency_cap 3"
	preset := `warning: --set: brand.Warm.strategy: the "push" preset also changed keys not given: `
	for _, args := range [][]string{
		{"check", "--set", "brand.Loud.push.rate=4", "--set", "brand.Warm.strategy=push", file},
		{"run", "--quiet", "--plots=false", "--days", "2", "--out", filepath.Join(t.TempDir(), "run"), "--set", "brand.Loud.push.rate=4", "--set", "brand.Warm.strategy=push", file},
	} {
		out, errOut, code := invoke(t, args...)
		if code != exitOK || !strings.Contains(errOut, capped) || !strings.Contains(errOut, preset) || strings.Contains(out, "warning") {
			t.Errorf("pushpull %s: exit %d\nstderr: %s", args[0], code, errOut)
		}
	}
	_, errOut, code := invoke(t, "compare", "--quiet", "--plots=false", "--days", "2", "--out", filepath.Join(t.TempDir(), "cmp"), file, file+":brand.Loud.push.rate=4")
	if code != exitOK || !strings.Contains(errOut, "warning: "+file+": brand.Loud.push.rate: 4 is above") {
		t.Errorf("compare with a capped change: exit %d\nstderr: %s", code, errOut)
	}
	if _, errOut, _ := invoke(t, "check", file); strings.Contains(errOut, "warning") {
		t.Errorf("check of a plain file warns: %s", errOut)
	}
}

func TestCheckAndNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "market")
	out := mustRun(t, "new", path)
	if !strings.Contains(out, "wrote "+path+".toml") {
		t.Errorf("new: %s", out)
	}
	out = mustRun(t, "check", path+".toml")
	for _, want := range []string{"# " + path + ".toml: valid", `name = "market"`, `# preset "push"`} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q", want)
		}
	}
	if _, errOut, code := invoke(t, "new", path); code != exitInvalid || !strings.Contains(errOut, "--force") {
		t.Errorf("new over an existing file: exit %d %s", code, errOut)
	}
	copyPath := filepath.Join(dir, "mine.toml")
	mustRun(t, "new", "--from", "push-vs-pull", copyPath)
	out = mustRun(t, "check", "--set", "days=5", copyPath)
	if !strings.Contains(out, `name = "mine"`) || !strings.Contains(out, "days = 5  # --set") {
		t.Errorf("check of a copied scenario:\n%s", out)
	}
	sweep := writeScenario(t, "sweep.toml", smallScenario+"[sweep]\nmethod = \"sobol\"\npoints = 8\n[[sweep.factor]]\npath = \"brand.Loud.push.rate\"\nmin = 0\nmax = 2\n")
	if out = mustRun(t, "check", sweep); !strings.Contains(out, "# sweep: sobol design, 24 points x 4 replicates = 96 runs") {
		t.Errorf("check of a sweep:\n%s", out)
	}
	if out = mustRun(t, "new", "--list"); !strings.Contains(out, "social-gravity\n") {
		t.Errorf("new --list:\n%s", out)
	}
}

func TestGraphCommand(t *testing.T) {
	out := mustRun(t, "graph", "--kind", "erdos_renyi", "--mean-degree", "4", "--customers", "500", "--seed", "3")
	for _, want := range []string{"erdos_renyi(mean_degree=4)", "nodes", "500", "components"} {
		if !strings.Contains(out, want) {
			t.Errorf("graph output lacks %q:\n%s", want, out)
		}
	}
	file := filepath.Join(t.TempDir(), "edges.txt")
	mustRun(t, "graph", "--customers", "300", "--k", "4", "--write", file)
	back := mustRun(t, "graph", "--path", file)
	if !regexp.MustCompile(`(?m)^nodes +300$`).MatchString(back) || !regexp.MustCompile(`(?m)^edges +600$`).MatchString(back) {
		t.Errorf("the written graph reads back as:\n%s", back)
	}
	if _, errOut, code := invoke(t, "graph", "--write", file); code != exitInvalid || !strings.Contains(errOut, "--force") {
		t.Errorf("graph --write over a file: exit %d %s", code, errOut)
	}
	folder := t.TempDir()
	for _, tt := range []struct{ path, want string }{
		{folder, "is a folder; name the edge-list file to write"},
		{filepath.Join(folder, "no", "edges.txt"), "no folder " + filepath.Join(folder, "no") + " to write it in"},
	} {
		if _, errOut, code := invoke(t, "graph", "--force", "--write", tt.path); code != exitInvalid || !strings.Contains(errOut, tt.want) {
			t.Errorf("graph --write %s: exit %d %s", tt.path, code, errOut)
		}
	}
	if entries, _ := os.ReadDir(folder); len(entries) != 0 {
		t.Errorf("a refused --write left files: %v", entries)
	}
	// A scenario on that edge list takes its customers from it.
	sc := writeScenario(t, "net.toml", "days = 5\nreplicates = 2\n[graph]\nkind = \"edge_list\"\npath = "+strconv.Quote(file)+"\n[[brand]]\nname = \"A\"\nstrategy = \"pull\"\n")
	run := mustRun(t, "run", "--plots=false", "--out", filepath.Join(t.TempDir(), "net"), sc)
	if !strings.Contains(run, "net: 300 customers") {
		t.Errorf("run on an edge list:\n%s", run)
	}
	// check reads the edge list: its size, or its first bad line.
	if out := mustRun(t, "check", sc); !strings.Contains(out, "300 nodes, 600 edges") {
		t.Errorf("check of a scenario on an edge list:\n%s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("0 1\n1 2\n2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badScenario := writeScenario(t, "badnet.toml", strings.Replace(readFile(t, sc), strconv.Quote(file), strconv.Quote(bad), 1))
	if _, errOut, code := invoke(t, "check", badScenario); code != exitInvalid || !strings.Contains(errOut, "bad.txt:3") {
		t.Errorf("check of a malformed edge list: exit %d\n%s", code, errOut)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
