package plot

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"image/gif"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/output"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./sim/plot -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (%d bytes, want %d); look at the picture, then run go test ./sim/plot -update", name, len(got), len(want))
	}
}

func TestGoldenSVG(t *testing.T) {
	t.Parallel()
	s := synthSeries(3, 40)
	runFigs, err := RunFigures("synthetic", s)
	if err != nil {
		t.Fatal(err)
	}
	other := synthSeries(3, 40)
	cmpFigs, err := CompareFigures([]string{"synthetic", "shifted"}, []*output.Series{s, shifted(other)})
	if err != nil {
		t.Fatal(err)
	}
	figs := append(runFigs, cmpFigs...)
	want := []string{AdoptionPlot, AdvocacyPlot, ChurnPlot, AttentionPlot, TrustPlot, MoneyPlot, OverviewPlot, CompareScenariosPlot, CompareDifferencePlot}
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, want) {
		t.Fatalf("figures %v, want %v", names, want)
	}
	for _, f := range figs {
		t.Run(f.Name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := f.Figure.WriteSVG(&buf); err != nil {
				t.Fatal(err)
			}
			checkSVG(t, buf.Bytes())
			golden(t, f.Name+".svg", buf.Bytes())
		})
	}
	t.Run("orbit", func(t *testing.T) {
		var buf bytes.Buffer
		if err := WriteOrbitSVG(&buf, "synthetic", synthOrbit(120, 5, 10), 40); err != nil {
			t.Fatal(err)
		}
		checkSVG(t, buf.Bytes())
		golden(t, "orbit.svg", buf.Bytes())
	})
}

// shifted moves a series' adoption up by 2% of the market in every
// replicate, so the difference plot has a known answer.
func shifted(s *output.Series) *output.Series {
	out := output.NewSeries(s.Brands, s.Customers, s.Days, s.Replicates)
	ci := output.MetricIndex("customers")
	for _, r := range s.Done() {
		for d := 0; d <= s.Days; d++ {
			ms := make([]sim.DayMetrics, len(s.Brands))
			for b := range ms {
				ms[b] = sim.DayMetrics{Customers: int64(s.Value(r, d, b, ci)) + int64(s.Customers/50)}
			}
			out.Record(r, d, ms)
		}
		out.MarkDone(r)
	}
	return out
}

func checkSVG(t *testing.T, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not valid XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
}

// checkFile decodes a written file by its extension.
func checkFile(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch filepath.Ext(path) {
	case ".png":
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 700 {
			t.Errorf("%s: %dx%d pixels, too small for a slide", path, b.Dx(), b.Dy())
		}
	case ".gif":
		g, err := gif.DecodeAll(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if g.Config.Width != OrbitWidth || g.Config.Height != OrbitHeight || len(g.Image) == 0 {
			t.Errorf("%s: %dx%d, %d frames", path, g.Config.Width, g.Config.Height, len(g.Image))
		}
	case ".svg":
		checkSVG(t, data)
	default:
		t.Errorf("unexpected file %s", path)
	}
}

func TestRunPlotsWritesValidImages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	names, err := RunPlots(dir, "synthetic", synthSeries(3, 30), synthOrbit(150, 3, 15))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range []string{AdoptionPlot, AdvocacyPlot, ChurnPlot, AttentionPlot, TrustPlot, MoneyPlot, OverviewPlot} {
		want = append(want, n+".png", n+".svg")
	}
	want = append(want, OrbitGIF)
	for _, d := range []int{0, 15, 30} {
		want = append(want, OrbitSnapshotName(d)+".png", OrbitSnapshotName(d)+".svg")
	}
	if !slices.Equal(names, want) {
		t.Fatalf("wrote %v\nwant %v", names, want)
	}
	for _, n := range names {
		checkFile(t, filepath.Join(dir, n))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(names) {
		t.Errorf("%d files in the folder, %d reported: temporary files left behind?", len(entries), len(names))
	}
}

func TestComparePlotsWritesValidImages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		runs  []string
		files int
	}{
		{"one run", []string{"a"}, 2},
		{"three runs", []string{"a", "b", "c"}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var series []*output.Series
			for range tt.runs {
				series = append(series, synthSeries(2, 12))
			}
			names, err := ComparePlots(dir, tt.runs, series)
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != tt.files {
				t.Fatalf("wrote %v, want %d files", names, tt.files)
			}
			for _, n := range names {
				checkFile(t, filepath.Join(dir, n))
			}
		})
	}
}

// TestBadInput: odd runs draw something sensible and never panic.
func TestBadInput(t *testing.T) {
	t.Parallel()
	nanSeries := synthSeries(3, 10)
	nanSeries = withNaN(nanSeries)
	noBrandData := synthSeries(2, 10)
	noBrandData = blankBrand(noBrandData, 1)
	tests := []struct {
		name string
		s    *output.Series
		o    *output.Orbit
	}{
		{"one replicate", synthSeries(1, 10), synthOrbit(20, 1, 1)},
		{"no finished replicate", synthSeries(2, 10, 0, 1), nil},
		{"some replicates unfinished", synthSeries(3, 10, 1), nil},
		{"NaN values", nanSeries, nil},
		{"a brand without data", noBrandData, nil},
		{"day 0 only", synthSeries(2, 0), &output.Orbit{Brands: synthBrands, Frames: []output.OrbitFrame{{Day: 0}}}},
		{"no brands", output.NewSeries(nil, 10, 5, 2), &output.Orbit{Frames: []output.OrbitFrame{{Day: 0, Points: []output.OrbitPoint{{Brand: 3, Status: 9, Engagement: float32(math.NaN())}}}}}},
		{"no customers", output.NewSeries(synthBrands, 0, 5, 1), nil},
		{"many brands", output.NewSeries([]string{"a", "b", "c", "d", "e", "f", "g", "h", "a brand with a very long name indeed"}, 10, 5, 2),
			&output.Orbit{Brands: []string{"a", "b", "c", "d", "e", "f", "g", "h", "a brand with a very long name indeed"}, Frames: []output.OrbitFrame{{Day: 3, Points: []output.OrbitPoint{{Brand: 8, Status: sim.StatusAdvocate, Engagement: 2}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// SVG runs the same drawing code as PNG, in a fraction of the time.
			figs, err := RunFigures(tt.name, tt.s)
			if err != nil {
				t.Fatal(err)
			}
			cmp, err := CompareFigures([]string{"x", "y"}, []*output.Series{tt.s, synthSeries(2, 7)})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range append(figs, cmp...) {
				var buf bytes.Buffer
				if err := f.Figure.WriteSVG(&buf); err != nil {
					t.Fatal(err)
				}
				checkSVG(t, buf.Bytes())
			}
			if tt.o == nil || len(tt.o.Frames) == 0 {
				return
			}
			var svg, g bytes.Buffer
			if err := WriteOrbitSVG(&svg, tt.name, tt.o, tt.o.Frames[0].Day); err != nil {
				t.Fatal(err)
			}
			checkSVG(t, svg.Bytes())
			if err := WriteOrbitGIF(&g, tt.name, tt.o); err != nil {
				t.Fatal(err)
			}
			if _, err := gif.DecodeAll(&g); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestRejectsMissingInput(t *testing.T) {
	tests := []struct {
		name string
		err  func() error
		want string
	}{
		{"nil series", func() error { _, err := RunPlots(t.TempDir(), "x", nil, nil); return err }, "plot: no series"},
		{"no runs", func() error { _, err := ComparePlots(t.TempDir(), nil, nil); return err }, "plot: nothing to compare"},
		{"names and runs differ", func() error {
			_, err := ComparePlots(t.TempDir(), []string{"a"}, []*output.Series{synthSeries(1, 2), synthSeries(1, 2)})
			return err
		}, "plot: 1 names for 2 runs"},
		{"nil run", func() error {
			_, err := ComparePlots(t.TempDir(), []string{"a", "b"}, []*output.Series{synthSeries(1, 2), nil})
			return err
		}, `plot: run "b" has no series`},
		{"empty orbit", func() error { _, err := OrbitPlots(t.TempDir(), "x", &output.Orbit{}); return err }, "plot: the orbit has no frames"},
		{"missing folder", func() error {
			_, err := RunPlots(filepath.Join(t.TempDir(), "absent"), "x", synthSeries(1, 2), nil)
			return err
		}, "output: cannot create"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// withNaN blanks days 4 to 6 of every replicate, as a reader of a damaged
// daily.csv would see them.
func withNaN(s *output.Series) *output.Series {
	return rebuild(s, func(rep, day, b, m int, v float64) float64 {
		if day >= 4 && day <= 6 {
			return math.NaN()
		}
		return v
	})
}

func blankBrand(s *output.Series, brand int) *output.Series {
	return rebuild(s, func(rep, day, b, m int, v float64) float64 {
		if b == brand {
			return math.NaN()
		}
		return v
	})
}

// rebuild copies s through daily.csv, changing values on the way, since
// a Series can be filled with arbitrary floats only by reading a file.
func rebuild(s *output.Series, f func(rep, day, b, m int, v float64) float64) *output.Series {
	dir, err := os.MkdirTemp("", "plot-series-*")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	var buf bytes.Buffer
	names := output.MetricNames()
	fmt.Fprintf(&buf, "replicate,day,brand,%s\n", strings.Join(names, ","))
	for _, r := range s.Done() {
		for d := 0; d <= s.Days; d++ {
			for b, brand := range s.Brands {
				fmt.Fprintf(&buf, "%d,%d,%s", r, d, brand)
				for m := range names {
					v := f(r, d, b, m, s.Value(r, d, b, m))
					if math.IsNaN(v) {
						buf.WriteString(",")
					} else {
						fmt.Fprintf(&buf, ",%g", v)
					}
				}
				buf.WriteString("\n")
			}
		}
	}
	must(os.WriteFile(filepath.Join(dir, output.DailyFile), buf.Bytes(), 0o644))
	mf, err := os.Create(filepath.Join(dir, output.ManifestFile))
	must(err)
	must(output.WriteManifest(mf, &output.Manifest{Scenario: "x", Days: s.Days, Customers: s.Customers, Brands: s.Brands, Replicates: s.Replicates}))
	mf.Close()
	header := "replicate,brand," + strings.Join(output.OutcomeNames, ",") + "\n"
	must(os.WriteFile(filepath.Join(dir, output.ReplicatesFile), []byte(header), 0o644))
	_, out, _, err := output.ReadRunDir(dir)
	must(err)
	return out
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	render := func() [][]byte {
		var outs [][]byte
		figs, err := RunFigures("synthetic", synthSeries(3, 20))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range figs[:1] {
			var svg, pngBuf bytes.Buffer
			must(f.Figure.WriteSVG(&svg))
			must(f.Figure.WritePNG(&pngBuf))
			outs = append(outs, svg.Bytes(), pngBuf.Bytes())
		}
		var g bytes.Buffer
		must(WriteOrbitGIF(&g, "synthetic", synthOrbit(100, 3, 5)))
		return append(outs, g.Bytes())
	}
	a, b := render(), render()
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("output %d differs between two renderings of the same input", i)
		}
	}
}

func TestFiniteRuns(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		xs   [][]float64
		want [][2]int
	}{
		{"all finite", [][]float64{{1, 2, 3}}, [][2]int{{0, 3}}},
		{"gap in the middle", [][]float64{{1, nan, 3, 4}}, [][2]int{{0, 1}, {2, 4}}},
		{"gap in a second slice", [][]float64{{1, 2, 3}, {1, math.Inf(1), 3}}, [][2]int{{0, 1}, {2, 3}}},
		{"all missing", [][]float64{{nan, nan}}, nil},
		{"short slice", [][]float64{{1, 2, 3}, {1}}, [][2]int{{0, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := finiteRuns(len(tt.xs[0]), tt.xs...)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPairedBand(t *testing.T) {
	base := synthSeries(4, 10)
	m, err := lookupMetrics()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		other     *output.Series
		mean      float64 // on every day
		bandWidth float64 // zero: the interval collapses on the mean
	}{
		{"same run", base, 0, 0},
		{"shifted by 2% of the market", shifted(base), 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mean, low, high := pairedBand(base, 0, tt.other, 0, m.qAdoption())
			for d := range mean {
				if math.Abs(mean[d]-tt.mean) > 1e-9 || math.Abs(high[d]-low[d]-tt.bandWidth) > 1e-9 {
					t.Fatalf("day %d: %g [%g, %g], want %g with width %g", d, mean[d], low[d], high[d], tt.mean, tt.bandWidth)
				}
			}
		})
	}
}

func TestOrbitLayout(t *testing.T) {
	for n := range 9 {
		t.Run(fmt.Sprintf("%d brands", n), func(t *testing.T) {
			l := NewOrbitLayout(n)
			if len(l.Planets) != n {
				t.Fatalf("%d planets", len(l.Planets))
			}
			for i, p := range l.Planets {
				if r := math.Hypot(p.X, p.Y) + l.Well; r > l.DeepSpace+1e-9 {
					t.Errorf("well %d reaches %g, into deep space at %g", i, r, l.DeepSpace)
				}
				for j := range i {
					q := l.Planets[j]
					if d := math.Hypot(p.X-q.X, p.Y-q.Y); d < 2*l.Well {
						t.Errorf("wells %d and %d overlap: centres %g apart, wells %g", j, i, d, l.Well)
					}
				}
			}
			for c := range int32(200) {
				for _, e := range []float32{0, 0.5, 1} {
					for b := -1; b < n; b++ {
						x, y := l.Place(output.OrbitPoint{Customer: c, Brand: int8(b), Engagement: e})
						if b < 0 {
							if r := math.Hypot(x, y); r < l.DeepSpace || r > 1 {
								t.Fatalf("customer %d in deep space at radius %g", c, r)
							}
							continue
						}
						p := l.Planets[b]
						if r := math.Hypot(x-p.X, y-p.Y); r < l.Core || r > l.Well+1e-9 {
							t.Fatalf("customer %d of brand %d at distance %g, outside the well (%g, %g]", c, b, r, l.Core, l.Well)
						}
					}
				}
			}
		})
	}
}

// TestOrbitPullsCustomersIn: more engagement, closer orbit, at the same
// angle, so a customer moves straight towards its brand between frames.
func TestOrbitPullsCustomersIn(t *testing.T) {
	l := NewOrbitLayout(3)
	for c := range int32(50) {
		prev := math.Inf(1)
		var angle float64
		for k, e := range []float32{0, 0.25, 0.5, 0.75, 1} {
			x, y := l.Place(output.OrbitPoint{Customer: c, Brand: 1, Engagement: e})
			dx, dy := x-l.Planets[1].X, y-l.Planets[1].Y
			r := math.Hypot(dx, dy)
			if r > prev {
				t.Fatalf("customer %d: engagement %g puts it farther (%g) than less engagement (%g)", c, e, r, prev)
			}
			a := math.Atan2(dy, dx)
			if k > 0 && math.Abs(a-angle) > 1e-9 {
				t.Fatalf("customer %d changes angle with engagement", c)
			}
			prev, angle = r, a
		}
	}
}

func TestOrbitGIFSize(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	o := synthOrbit(400, 12, 3)
	if err := WriteOrbitGIF(&buf, "synthetic", o); err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 12 {
		t.Errorf("%d frames, want 12", len(g.Image))
	}
	// A few megabytes for a whole run means well under 100 kB a frame.
	if per := buf.Len() / len(g.Image); per > 100_000 {
		t.Errorf("%d bytes a frame", per)
	}
}

func TestGIFFrames(t *testing.T) {
	tests := []struct {
		n         int
		wantLen   int
		wantFirst int
		wantLast  int
	}{
		{1, 1, 0, 0},
		{maxGIFFrames, maxGIFFrames, 0, maxGIFFrames - 1},
		{1000, maxGIFFrames, 0, 999},
	}
	for _, tt := range tests {
		got := gifFrames(tt.n)
		if len(got) != tt.wantLen || got[0] != tt.wantFirst || got[len(got)-1] != tt.wantLast || !slices.IsSorted(got) {
			t.Errorf("gifFrames(%d) = %d frames from %d to %d", tt.n, len(got), got[0], got[len(got)-1])
		}
	}
}

func TestPalette(t *testing.T) {
	seen := map[string]bool{}
	for i, h := range PaletteHex {
		if BrandHex(i) != h || BrandColor(i) != Palette[i] || seen[h] {
			t.Errorf("brand %d: %s", i, h)
		}
		seen[h] = true
	}
	if BrandHex(len(PaletteHex)) != PaletteHex[0] || BrandHex(-1) != PaletteHex[len(PaletteHex)-1] {
		t.Error("brand colours do not wrap around")
	}
	for s, h := range StatusHex {
		if seen[h] {
			t.Errorf("status %v shares colour %s with a brand", sim.Status(s), h)
		}
	}
}

func TestShortCount(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{{0, "0"}, {2500, "2500"}, {20000, "20k"}, {1.5e6, "1.5M"}, {-30000, "-30k"}, {2e9, "2G"}}
	for _, tt := range tests {
		if got := shortCount(tt.v); got != tt.want {
			t.Errorf("shortCount(%g) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   []string
	}{
		{0, 40, []string{"0", "10", "20", "30", "40"}},
		{0, 120, []string{"0", "20", "40", "60", "80", "100", "120"}},
		{-3, 7, []string{"-2", "0", "2", "4", "6"}},
		{0.45, 0.8, []string{"0.45", "0.5", "0.55", "0.6", "0.65", "0.7", "0.75", "0.8"}},
		{0, 50000, []string{"0", "10k", "20k", "30k", "40k", "50k"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range (niceTicks{}).Ticks(tt.lo, tt.hi) {
			got = append(got, tk.Label)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ticks of [%g, %g] = %v, want %v", tt.lo, tt.hi, got, tt.want)
		}
	}
	// A range too narrow for decimal steps must still end.
	if len((niceTicks{}).Ticks(0, 5e-324)) == 0 {
		t.Error("no ticks on a denormal range")
	}
}
