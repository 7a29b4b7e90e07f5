package plot

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// synthSweep is a sweep with a known shape: brand 0's outcome rises with
// factor 0 and falls with factor 1, brand 1's the other way round.
func synthSweep(xs, ys []float64) SweepInput {
	in := SweepInput{Scenario: "synthetic", Brands: []string{"Loud", "Warm"}, Factors: []string{"brand.Loud.push.rate"},
		Categorical: []bool{false}, Grid: true, Method: "src", Outcome: "adoption", Replicates: 5}
	if ys != nil {
		in.Factors = append(in.Factors, "attention.capacity")
		in.Categorical = append(in.Categorical, false)
	} else {
		ys = []float64{0}
	}
	for _, x := range xs {
		for _, y := range ys {
			a := 0.1 + 0.05*x - 0.01*y
			b := 0.5 - 0.04*x + 0.01*y
			p := SweepPoint{Values: []string{strconv.FormatFloat(x, 'g', -1, 64)}, Numeric: []float64{x},
				Mean: []float64{a, b}, Low: []float64{a - 0.01, b - 0.02}, High: []float64{a + 0.01, b + 0.02}}
			if len(in.Factors) == 2 {
				p.Values = append(p.Values, strconv.FormatFloat(y, 'g', -1, 64))
				p.Numeric = append(p.Numeric, y)
			}
			in.Points = append(in.Points, p)
		}
	}
	for b, brand := range in.Brands {
		s := SweepSensitivity{Brand: brand, R2: 0.93}
		sign := 1.0 - 2*float64(b)
		for i, f := range in.Factors {
			v := sign * (0.8 - 0.5*float64(i))
			s.Factors = append(s.Factors, f)
			s.Index = append(s.Index, v)
			s.Low = append(s.Low, v-0.1)
			s.High = append(s.High, v+0.1)
		}
		in.Sensitivity = append(in.Sensitivity, s)
	}
	return in
}

func TestSweepGoldenSVG(t *testing.T) {
	t.Parallel()
	lines, err := SweepFigures(synthSweep([]float64{0.25, 0.5, 1, 2, 4}, nil))
	if err != nil {
		t.Fatal(err)
	}
	grid, err := SweepFigures(synthSweep([]float64{0.5, 1, 2}, []float64{3, 6, 12}))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range append(lines, grid...) {
		names = append(names, f.Name)
	}
	want := []string{SweepLinesPlot, SweepTornadoPlot, SweepHeatmapPlot, SweepTornadoPlot}
	if !slices.Equal(names, want) {
		t.Fatalf("figures %v, want %v", names, want)
	}
	for _, f := range append(lines[:1], grid...) {
		t.Run(f.Name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := f.Figure.WriteSVG(&buf); err != nil {
				t.Fatal(err)
			}
			checkSVG(t, buf.Bytes())
			golden(t, f.Name+".svg", buf.Bytes())
		})
	}
}

func TestSweepPlotsWriteFilesAndRejectBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := synthSweep([]float64{1, 2}, []float64{3, 6})
	in.Points[1].Mean[0] = math.NaN() // a point without a value leaves a blank cell
	files, err := SweepPlots(dir, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 {
		t.Errorf("files %v", files)
	}
	for _, f := range files {
		if info, err := os.Stat(filepath.Join(dir, f)); err != nil || info.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	bad := synthSweep([]float64{1, 2}, nil)
	bad.Points[0].Mean = bad.Points[0].Mean[:1]
	if _, err := SweepFigures(bad); err == nil || !strings.Contains(err.Error(), "point 0") {
		t.Errorf("a point with a brand missing: %v", err)
	}
	if _, err := SweepFigures(SweepInput{}); err == nil {
		t.Errorf("an empty sweep drew")
	}
}

func TestRoundLabels(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"0.1", "0.31748021039364", "1.0079368399158985"}, []string{"0.1", "0.317", "1.01"}},
		{[]string{"1", "1.0001", "2"}, []string{"1", "1.0001", "2"}},
		{[]string{"opt_in", "everyone"}, []string{"opt_in", "everyone"}},
		{[]string{"12345", "20000"}, []string{"12345", "20000"}},
	} {
		if got := roundLabels(c.in); !slices.Equal(got, c.want) {
			t.Errorf("roundLabels(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
