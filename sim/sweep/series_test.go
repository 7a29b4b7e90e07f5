package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/output"
)

// seriesSweep is smallSweep keeping two daily metrics every 7 days.
var seriesSweep = strings.Replace(smallSweep, "method = \"grid\"\n", "method = \"grid\"\nseries = [\"adopters\", \"customers\"]\nseries_every = 7\n", 1)

// TestSweepKeepsSeries checks series.csv: a row per point, replicate,
// brand and metric, with the values a run of that point gives on days 0,
// 7, 14 and the last, 20; the same bytes after an interruption and resume,
// and from shards merged.
func TestSweepKeepsSeries(t *testing.T) {
	sc := parse(t, seriesSweep)
	whole := t.TempDir()
	if _, err := Run(context.Background(), sc, Options{Dir: whole, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(whole, SeriesFile))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(recs[0], ","), "point,replicate,brand,metric,day_0,day_7,day_14,day_20"; got != want {
		t.Fatalf("series.csv header %s, want %s", got, want)
	}
	if len(recs)-1 != 6*3*2*2 {
		t.Fatalf("series.csv has %d rows, want 6 points x 3 replicates x 2 brands x 2 metrics", len(recs)-1)
	}

	// Point 4, replicate 1, run on its own: its metrics on the kept days
	// are the row's.
	point := 4
	pts, err := sc.Sweep.Design().ExpandRange(point, point+1)
	if err != nil {
		t.Fatal(err)
	}
	at, err := pointScenario(sc.WithoutSweep(), sc.Sweep.Design().Paths(), pts[0])
	if err != nil {
		t.Fatal(err)
	}
	g, err := at.BuildGraph()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	err = sim.RunReplicates(context.Background(), &at.Params, g, sim.RunOptions{Days: at.Days, Replicates: 2, Seed: at.Seed, Workers: 1,
		OnDay: func(rep int, m *sim.Market) {
			if rep != 1 || (m.Day()%7 != 0 && m.Day() != at.Days) {
				return
			}
			for b, dm := range m.Metrics() {
				row := output.AppendMetrics(nil, &dm)
				for _, metric := range []string{"adopters", "customers"} {
					key := at.Brands[b].Name + "/" + metric
					want[key] = append(want[key], strconv.FormatFloat(row[output.MetricIndex(metric)], 'g', -1, 64))
				}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, r := range recs[1:] {
		if r[0] != strconv.Itoa(point) || r[1] != "1" {
			continue
		}
		found++
		if got, w := strings.Join(r[4:], ","), strings.Join(want[r[2]+"/"+r[3]], ","); got != w {
			t.Errorf("point %d, replicate 1, %s %s: series %s, a run of the point gives %s", point, r[2], r[3], got, w)
		}
	}
	if found != 4 {
		t.Errorf("%d rows for point %d, replicate 1; want 4", found, point)
	}

	// Interrupted and resumed, and in shards merged: the same bytes.
	resumed := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	if _, err := Run(ctx, sc, Options{Dir: resumed, Workers: 2, SyncRuns: 1, Progress: func(done, total int) {
		if calls.Add(1) == 8 {
			cancel()
		}
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), sc, Options{Dir: resumed, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	sharded := t.TempDir()
	for i := 1; i <= 3; i++ {
		if _, err := Run(context.Background(), sc, Options{Dir: sharded, Workers: 2, Shard: design.ShardSpec{Number: i, Of: 3}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Merge([]string{sharded}, MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(whole, SeriesFile))
	for _, dir := range []string{resumed, sharded} {
		b, err := os.ReadFile(filepath.Join(dir, SeriesFile))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("series.csv in %s differs from the whole sweep's (%v)", dir, err)
		}
	}
}

func TestSeriesMetricsChecked(t *testing.T) {
	for _, c := range []struct{ series, want string }{
		{`["adoptors"]`, `small-sweep.toml:22: sweep.series: not a column of daily.csv: "adoptors" (want some of aware, customers, adopters`},
		{`["customers", "customers"]`, `sweep.series: "customers" is named twice`},
	} {
		sc := parse(t, strings.Replace(smallSweep, "method = \"grid\"\n", "method = \"grid\"\nseries = "+c.series+"\n", 1))
		if _, err := NewMeta(sc); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("series = %s: %v, want %q", c.series, err, c.want)
		}
	}
}

// TestPlotOutcomeChosen checks that the sweep's plots and the warnings of
// its sensitivity analysis follow the outcome asked for, and that an
// unknown one is refused.
func TestPlotOutcomeChosen(t *testing.T) {
	sc := parse(t, smallSweep)
	dir := t.TempDir()
	if _, err := Run(context.Background(), sc, Options{Dir: dir, Workers: 2, Plots: true, PlotOutcome: "churn_rate"}); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "sweep_tornado.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("churn_rate")) || bytes.Contains(svg, []byte("adoption")) {
		t.Errorf("the tornado chart of churn_rate does not name it, or names adoption")
	}
	if _, err := Run(context.Background(), sc, Options{Dir: t.TempDir(), PlotOutcome: "profits"}); err == nil || !strings.Contains(err.Error(), `not an outcome of replicates.csv: "profits"`) {
		t.Errorf("an unknown plot outcome: %v", err)
	}
}
