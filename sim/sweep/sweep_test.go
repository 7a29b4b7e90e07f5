package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/scenario"
)

// smallSweep runs in a fraction of a second: 6 points of 3 replicates on
// a market of 300 customers.
const smallSweep = `name = "small-sweep"
days = 20
replicates = 3
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

[sweep]
method = "grid"

[[sweep.factor]]
path = "brand.Loud.push.rate"
values = [0.5, 1, 2]

[[sweep.factor]]
path = "attention.capacity"
values = [3, 6]
`

func parse(t testing.TB, text string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Parse("small-sweep.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// finalFiles are the files compared byte for byte: everything but the
// manifest, which records times and hosts.
var finalFiles = []string{ScenarioFile, PointsFile, ReplicatesFile, SummaryFile, SensitivityFile,
	"sweep_heatmap.svg", "sweep_tornado.svg", "sweep_heatmap.png"}

func sameFiles(t *testing.T, want, got string) {
	t.Helper()
	for _, f := range finalFiles {
		a, err := os.ReadFile(filepath.Join(want, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(got, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs from the uninterrupted sweep's", f)
		}
	}
}

// reference runs the whole small sweep once per test binary.
var referenceDir string

func reference(t *testing.T) string {
	t.Helper()
	if referenceDir != "" {
		return referenceDir
	}
	dir, err := os.MkdirTemp("", "sweep-reference-")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), parse(t, smallSweep), Options{Dir: dir, Workers: 2, Plots: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Interrupted || res.Ran != 18 || res.Runs != 18 {
		t.Fatalf("reference sweep: %+v", res)
	}
	if _, err := os.Stat(filepath.Join(dir, JournalFile)); err == nil {
		t.Errorf("the journal is left behind after a finished sweep")
	}
	referenceDir = dir
	return dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if referenceDir != "" {
		os.RemoveAll(referenceDir)
	}
	os.Exit(code)
}

func TestOutputs(t *testing.T) {
	dir := reference(t)
	data, err := os.ReadFile(filepath.Join(dir, ReplicatesFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 1+6*3*2 || !strings.HasPrefix(lines[0], "point,replicate,brand,adoption,") {
		t.Errorf("replicates.csv: %d lines, header %q", len(lines), lines[0])
	}
	summary, _ := os.ReadFile(filepath.Join(dir, SummaryFile))
	if !strings.HasPrefix(string(summary), "point,brand.Loud.push.rate,attention.capacity,brand,outcome,mean,ci95_low,ci95_high,n\n0,0.5,3,Loud,adoption,") {
		t.Errorf("sweep_summary.csv starts %q", string(summary)[:120])
	}
	points, _ := os.ReadFile(filepath.Join(dir, PointsFile))
	if string(points) != "point,brand.Loud.push.rate,attention.capacity\n0,0.5,3\n1,0.5,6\n2,1,3\n3,1,6\n4,2,3\n5,2,6\n" {
		t.Errorf("points.csv:\n%s", points)
	}
	// Points share the luck of replicate r: the same seed and graph.
	// The same sweep again finds nothing to do; another is refused.
	again, err := Run(context.Background(), parse(t, smallSweep), Options{Dir: dir})
	if err != nil || again.Ran != 0 || again.Resumed != again.Runs {
		t.Errorf("the same sweep again: %+v, %v; want nothing run", again, err)
	}
	other := strings.Replace(smallSweep, "replicates = 3", "replicates = 2", 1)
	if other == smallSweep {
		t.Fatal("smallSweep has no replicates = 3 line to change")
	}
	if _, err := Run(context.Background(), parse(t, other), Options{Dir: dir}); !errors.Is(err, ErrExists) {
		t.Errorf("another sweep into a finished sweep's folder: %v, want ErrExists", err)
	}
}

// A sweep stopped in the middle, with a torn last journal line as a kill
// leaves it, resumes to files byte-identical to an uninterrupted sweep.
func TestResumeAfterInterruption(t *testing.T) {
	want := reference(t)
	dir := t.TempDir()
	sc := parse(t, smallSweep)
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	res, err := Run(ctx, sc, Options{Dir: dir, Workers: 2, Plots: true, SyncRuns: 1, Progress: func(done, total int) {
		if calls.Add(1) == 8 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || res.Ran < 7 || res.Ran >= 18 {
		t.Fatalf("interrupted sweep: %+v", res)
	}
	if _, err := os.Stat(filepath.Join(dir, SummaryFile)); err == nil {
		t.Fatalf("an interrupted sweep wrote its final files")
	}
	journal := filepath.Join(dir, JournalFile)
	f, err := os.OpenFile(journal, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("5,2,0badc0de,0.1,2") // a line cut short by a kill
	f.Close()

	res, err = Run(context.Background(), sc, Options{Dir: dir, Workers: 2, Plots: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Resumed < 7 || res.Resumed+res.Ran != 18 {
		t.Errorf("resumed sweep: %+v", res)
	}
	sameFiles(t, want, dir)
}

func TestJournalOfAnotherSweepIsRefused(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, parse(t, smallSweep), Options{Dir: dir, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	other := parse(t, strings.Replace(smallSweep, "seed = 5", "seed = 6", 1))
	_, err := Run(context.Background(), other, Options{Dir: dir, Workers: 1})
	if err == nil || !strings.Contains(err.Error(), "belongs to another sweep") {
		t.Fatalf("journal of another sweep: %v", err)
	}
	if _, err := Run(context.Background(), other, Options{Dir: dir, Workers: 2, Force: true}); err != nil {
		t.Errorf("--force should discard the other sweep's journal: %v", err)
	}
}

func TestShardsMergeToTheSameBytes(t *testing.T) {
	want := reference(t)
	sc := parse(t, smallSweep)
	for _, n := range []int{1, 2, 4, 8} {
		dir := t.TempDir()
		for i := 1; i <= n; i++ {
			res, err := Run(context.Background(), sc, Options{Dir: dir, Workers: 2, Shard: design.ShardSpec{Number: i, Of: n}})
			if err != nil {
				t.Fatalf("%d shards: shard %d: %v", n, i, err)
			}
			if res.Dir != PartDir(dir, design.ShardSpec{Number: i, Of: n}) {
				t.Errorf("shard wrote to %s", res.Dir)
			}
		}
		// A finished shard run again does nothing.
		res, err := Run(context.Background(), sc, Options{Dir: dir, Shard: design.ShardSpec{Number: 1, Of: n}})
		if err != nil || res.Ran != 0 {
			t.Errorf("%d shards: shard 1 again: ran %d, %v", n, res.Ran, err)
		}
		if _, err := Merge([]string{dir}, MergeOptions{Plots: true}); err != nil {
			t.Fatalf("%d shards: merge: %v", n, err)
		}
		sameFiles(t, want, dir)
	}
}

func TestMergeRefusesIncompleteParts(t *testing.T) {
	sc := parse(t, smallSweep)
	shard := func(dir string, i, n int) {
		t.Helper()
		if _, err := Run(context.Background(), sc, Options{Dir: dir, Workers: 2, Shard: design.ShardSpec{Number: i, Of: n}}); err != nil {
			t.Fatal(err)
		}
	}
	missing := t.TempDir()
	shard(missing, 1, 3)
	shard(missing, 3, 3)

	twice := t.TempDir()
	shard(twice, 1, 2)
	shard(twice, 2, 2)
	shard(twice, 1, 3)

	unfinished := t.TempDir()
	shard(unfinished, 1, 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, sc, Options{Dir: unfinished, Shard: design.ShardSpec{Number: 2, Of: 2}}); err != nil {
		t.Fatal(err)
	}

	other := t.TempDir()
	shard(other, 1, 2)
	sc = parse(t, strings.Replace(smallSweep, "days = 20", "days = 21", 1))
	shard(other, 2, 2)

	for _, tt := range []struct {
		name, dir string
		want      []string
	}{
		{"missing", missing, []string{"points missing: 2-3", "run shard 2/3"}},
		{"twice", twice, []string{"points found twice: 0-1", "shard-0001-of-0002", "shard-0001-of-0003"}},
		{"unfinished", unfinished, []string{"shard-0002-of-0002 is unfinished"}},
		{"other sweep", other, []string{"belongs to another sweep"}},
		{"nothing", t.TempDir(), []string{"holds no part.json and no parts/ folder"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge([]string{tt.dir}, MergeOptions{})
			if err == nil {
				t.Fatal("merge did not refuse")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
			if _, err := os.Stat(filepath.Join(tt.dir, SummaryFile)); err == nil {
				t.Errorf("a refused merge wrote %s", SummaryFile)
			}
		})
	}
}

func TestJournalLines(t *testing.T) {
	vals := []float64{0.25, math.NaN(), 1e-300, -3, 12345678, 0.1 + 0.2}
	line := appendRun(nil, 12, 3, vals)
	got := make([]float64, len(vals))
	p, r, ok := parseRun(line, got)
	if !ok || p != 12 || r != 3 {
		t.Fatalf("parse %q: %d %d %v", line, p, r, ok)
	}
	for i := range vals {
		if got[i] != vals[i] && !(math.IsNaN(got[i]) && math.IsNaN(vals[i])) {
			t.Errorf("value %d: %v, want %v", i, got[i], vals[i])
		}
	}
	for _, bad := range []string{
		string(line[:len(line)-3]),                       // cut short
		strings.Replace(string(line), "0.25", "0.26", 1), // changed
		strings.Replace(string(line), ",-3,", ",-3,4,", 1),
		"", "12", "12,3", "x,3,00000000",
	} {
		if _, _, ok := parseRun([]byte(bad), got); ok {
			t.Errorf("parseRun accepted %q", bad)
		}
	}
}

func TestCheckFindsBadFactorValues(t *testing.T) {
	text := strings.Replace(smallSweep, "values = [3, 6]", "values = [0, 3, -6]", 1)
	err := Check(parse(t, text))
	// Both bad values, each at the line of the factor's values.
	line := 1 + strings.Count(text[:strings.Index(text, "values = [0, 3, -6]")], "\n")
	for _, got := range []string{"0", "-6"} {
		want := fmt.Sprintf("small-sweep.toml:%d: sweep.factor[1].values: attention.capacity: out of range (want a number from 1 to 10000, got %s)", line, got)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check: %v\nwant a line %s", err, want)
		}
	}
	if err := Check(parse(t, smallSweep)); err != nil {
		t.Errorf("Check of a good sweep: %v", err)
	}
	bad := parse(t, strings.Replace(smallSweep, `path = "attention.capacity"`, `path = "replicates"`, 1))
	if err := Check(bad); err == nil || !strings.Contains(err.Error(), "cannot vary the scenario's replicates") {
		t.Errorf("a sweep over replicates: %v", err)
	}
}

// syntheticMeta is a sweep of three factors over [0, 1] whose outcome the
// test sets directly, to check the analysis on a known truth.
func syntheticMeta(t *testing.T, method design.Method, points int) (*Meta, []design.Point) {
	t.Helper()
	d := design.Design{Method: method, Points: points, Factors: []design.Factor{
		{Path: "a", Min: 0, Max: 1}, {Path: "b", Min: 0, Max: 1}, {Path: "c", Min: 0, Max: 1}}}
	if method == design.MethodLatinHypercube {
		d.Seed = 9
	}
	pts, err := d.Expand()
	if err != nil {
		t.Fatal(err)
	}
	return &Meta{Design: d, Points: len(pts), Brands: []string{"B"}, Outcomes: []string{"y"}}, pts
}

// On a synthetic design where y = 6a - 3b + 0.5c + noise, both methods
// rank a, b, c in that order, and SRC gets the signs.
func TestSensitivityRecoversKnownRanking(t *testing.T) {
	noise := rand.New(rand.NewPCG(1, 2))
	for _, method := range []design.Method{design.MethodLatinHypercube, design.MethodSobol} {
		meta, pts := syntheticMeta(t, method, 256)
		numeric := make([]float64, 0, 3*len(pts))
		means := make([]float64, len(pts))
		for i, p := range pts {
			numeric = append(numeric, p.Numeric...)
			means[i] = 6*p.Numeric[0] - 3*p.Numeric[1] + 0.5*p.Numeric[2] + 0.05*noise.NormFloat64()
		}
		a := analyse(meta, numeric, means)[0]
		if a.err != nil {
			t.Fatalf("%s: %v", method, a.err)
		}
		ranked := a.res.Ranked()
		for i, want := range []string{"a", "b", "c"} {
			if ranked[i].Factor != want {
				t.Errorf("%s: rank %d is %s, want %s", method, i+1, ranked[i].Factor, want)
			}
		}
		if method == design.MethodLatinHypercube {
			if ranked[0].Index <= 0 || ranked[1].Index >= 0 || a.res.R2 < 0.99 {
				t.Errorf("SRC signs or R^2: %+v, R^2 %v", ranked, a.res.R2)
			}
		} else if a.res.Method != "sobol" {
			t.Errorf("a sobol design got %s", a.res.Method)
		}
	}
}

// Points that change graph keys get graphs of their own, and the sweep
// still runs every point.
func TestGraphFactors(t *testing.T) {
	text := strings.Replace(smallSweep, `path = "attention.capacity"
values = [3, 6]`, `path = "graph.k"
values = [4, 8]`, 1)
	text = strings.Replace(text, "values = [0.5, 1, 2]", "values = [200, 400]", 1)
	text = strings.Replace(text, `path = "brand.Loud.push.rate"`, `path = "customers"`, 1)
	dir := t.TempDir()
	res, err := Run(context.Background(), parse(t, text), Options{Dir: dir, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Ran != 4*3 {
		t.Errorf("ran %d runs, want 12", res.Ran)
	}
	data, _ := os.ReadFile(filepath.Join(dir, SummaryFile))
	if !strings.Contains(string(data), "\n3,400,8,Loud,adoption,") {
		t.Errorf("sweep_summary.csv lacks point 3:\n%.300s", data)
	}
}
