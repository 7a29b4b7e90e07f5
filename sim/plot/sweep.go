package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Base names of the sweep plots; each is written as .png and .svg.
const (
	SweepLinesPlot   = "sweep_lines"
	SweepHeatmapPlot = "sweep_heatmap"
	SweepTornadoPlot = "sweep_tornado"
)

// SweepInput is what the sweep plots draw: one outcome's mean and 95%
// interval at every point of a sweep, and the factors' sensitivity.
type SweepInput struct {
	Scenario string
	Brands   []string
	// Factors are the scenario keys the sweep varies, in design order;
	// Categorical marks lists of words, whose Numeric values are list
	// positions.
	Factors []string
	// FactorLabels name the factors on axes in words, with their units
	// (nil: the keys themselves).
	FactorLabels []string
	Categorical  []bool
	// Log marks factors spaced or sampled in log10 (nil: none), drawn
	// on a log axis.
	Log []bool
	// Grid is true for a full factorial design.
	Grid bool
	// Method is the sensitivity method: "src" or "sobol".
	Method string
	// Outcome names the outcome drawn (an outcome of replicates.csv);
	// "adoption" and other shares are drawn in percent.
	Outcome    string
	Replicates int
	Points     []SweepPoint
	// Sensitivity holds, per brand, the factors ranked for Outcome.
	Sensitivity []SweepSensitivity
}

// SweepPoint is one point: the factors' values and, per brand, the mean
// and 95% interval of the outcome over replicates.
type SweepPoint struct {
	Values          []string
	Numeric         []float64
	Mean, Low, High []float64
}

// SweepSensitivity is the ranking of the factors for one brand, most
// important first: the SRC (signed) or total Sobol index with its interval.
type SweepSensitivity struct {
	Brand            string
	Factors          []string
	Index, Low, High []float64
	R2               float64
}

// SweepPlots draws the sweep plots into dir and returns the file names
// written: lines with bands over a single factor, a heatmap per brand for
// a grid of two factors, and a tornado chart of the sensitivity ranking.
func SweepPlots(dir string, in SweepInput) ([]string, error) {
	figs, err := SweepFigures(in)
	if err != nil {
		return nil, err
	}
	return SaveAll(dir, figs)
}

// SaveAll writes each figure as PNG and SVG (see Save), in order, and
// returns the file names written.
func SaveAll(dir string, figs []NamedFigure) ([]string, error) {
	var files []string
	for _, f := range figs {
		n, err := Save(dir, f.Name, f.Figure)
		if err != nil {
			return files, err
		}
		files = append(files, n...)
	}
	return files, nil
}

// SweepFigures builds the sweep figures without writing them.
func SweepFigures(in SweepInput) ([]NamedFigure, error) {
	if len(in.Factors) == 0 || len(in.Brands) == 0 {
		return nil, errors.New("plot: a sweep needs factors and brands")
	}
	if len(in.Categorical) != len(in.Factors) {
		return nil, fmt.Errorf("plot: %d categorical flags for %d factors", len(in.Categorical), len(in.Factors))
	}
	for i, p := range in.Points {
		if len(p.Values) != len(in.Factors) || len(p.Numeric) != len(in.Factors) ||
			len(p.Mean) != len(in.Brands) || len(p.Low) != len(in.Brands) || len(p.High) != len(in.Brands) {
			return nil, fmt.Errorf("plot: sweep point %d does not match %d factors and %d brands", i, len(in.Factors), len(in.Brands))
		}
	}
	var figs []NamedFigure
	if len(in.Factors) == 1 && len(in.Points) > 0 {
		f, err := sweepLines(in)
		if err != nil {
			return nil, err
		}
		figs = append(figs, NamedFigure{SweepLinesPlot, f})
	}
	if len(in.Factors) == 2 && in.Grid && len(in.Points) > 0 {
		f, err := sweepHeatmap(in)
		if err != nil {
			return nil, err
		}
		figs = append(figs, NamedFigure{SweepHeatmapPlot, f})
	}
	if len(in.Sensitivity) > 0 {
		f, err := sweepTornado(in)
		if err != nil {
			return nil, err
		}
		figs = append(figs, NamedFigure{SweepTornadoPlot, f})
	}
	return figs, nil
}

// share reports whether the outcome is a share of customers, drawn in
// percent.
func (in SweepInput) share() bool { return shareOutcome(in.Outcome) }

// shareOutcome reports whether an outcome is a share of customers.
func shareOutcome(name string) bool {
	switch name {
	case "adoption", "net_advocacy", "purchase_share", "wasted_share", "churn_rate":
		return true
	}
	return false
}

func (in SweepInput) outcomeLabel() string {
	if in.share() {
		return in.Outcome + " (% of customers)"
	}
	return in.Outcome
}

func (in SweepInput) scale(v float64) float64 {
	if in.share() {
		return 100 * v
	}
	return v
}

func (in SweepInput) note() string {
	if in.Replicates < 2 {
		return fmt.Sprintf("each point: one replicate, mean only; %d points", len(in.Points))
	}
	return fmt.Sprintf("each point: mean of %d replicates, band: 95%% confidence interval of the mean (Student t); %d points", in.Replicates, len(in.Points))
}

// levels returns factor f's distinct values in ascending numeric order,
// with their labels.
func (in SweepInput) levels(f int) (values []float64, labels []string) {
	seen := map[float64]bool{}
	for _, p := range in.Points {
		v := p.Numeric[f]
		if !seen[v] {
			seen[v] = true
			values = append(values, v)
			labels = append(labels, p.Values[f])
		}
	}
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case values[a] < values[b]:
			return -1
		case values[a] > values[b]:
			return 1
		}
		return 0
	})
	sv, sl := make([]float64, len(order)), make([]string, len(order))
	for i, o := range order {
		sv[i], sl[i] = values[o], labels[o]
	}
	return sv, roundLabels(sl)
}

// roundLabels writes numeric labels with as few significant digits as
// keep them apart (at least 3): a log-spaced level reads 0.317, not
// 0.31748021039364. Labels that are not numbers stay as they are.
func roundLabels(labels []string) []string {
	vals := make([]float64, len(labels))
	for i, l := range labels {
		v, err := strconv.ParseFloat(l, 64)
		if err != nil {
			return labels
		}
		vals[i] = v
	}
	for digits := 3; digits < 17; digits++ {
		out := make([]string, len(vals))
		seen := map[string]bool{}
		distinct := true
		for i, v := range vals {
			out[i] = strconv.FormatFloat(v, 'g', digits, 64)
			if v == math.Trunc(v) && math.Abs(v) < 1e15 {
				out[i] = strconv.FormatFloat(v, 'f', -1, 64) // whole numbers in full
			}
			distinct = distinct && !seen[out[i]]
			seen[out[i]] = true
		}
		if distinct {
			return out
		}
	}
	return labels
}

// factorLabel names factor f on an axis.
func (in SweepInput) factorLabel(f int) string {
	if f < len(in.FactorLabels) && in.FactorLabels[f] != "" {
		return in.FactorLabels[f]
	}
	return in.Factors[f]
}

func (in SweepInput) brandLegend(bands bool) []LegendEntry {
	entries := []LegendEntry{{Label: "brand", Heading: true}}
	for b, name := range in.Brands {
		entries = append(entries, LegendEntry{Label: name, Color: BrandColor(b), Band: bands})
	}
	return entries
}

// sweepLines draws the outcome against the one factor, a line per brand.
func sweepLines(in SweepInput) (*Figure, error) {
	order := make([]int, len(in.Points))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := in.Points[a].Numeric[0], in.Points[b].Numeric[0]
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	p := NewPanel("", in.factorLabel(0), in.outcomeLabel())
	var curves []Curve
	bands := in.Replicates >= 2
	for b := range in.Brands {
		c := Curve{Color: BrandColor(b)}
		for _, i := range order {
			pt := in.Points[i]
			c.X = append(c.X, pt.Numeric[0])
			c.Mean = append(c.Mean, in.scale(pt.Mean[b]))
			if bands {
				c.Low = append(c.Low, in.scale(pt.Low[b]))
				c.High = append(c.High, in.scale(pt.High[b]))
			}
		}
		curves = append(curves, c)
	}
	if err := AddCurves(p, curves...); err != nil {
		return nil, err
	}
	for b := range curves {
		pts := make(plotter.XYs, 0, len(curves[b].X))
		for i, x := range curves[b].X {
			if finite(curves[b].Mean[i]) {
				pts = append(pts, plotter.XY{X: x, Y: curves[b].Mean[i]})
			}
		}
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: BrandColor(b), Radius: 2.5, Shape: draw.CircleGlyph{}}
		p.Add(noGlyphBoxes{sc})
	}
	if len(in.Log) > 0 && in.Log[0] {
		p.X.Scale = gplot.LogScale{}
		p.X.Tick.Marker = gplot.LogTicks{Prec: 3}
		if values, labels := in.levels(0); len(values) <= 12 {
			ticks := make([]gplot.Tick, len(values))
			for i := range values {
				ticks[i] = gplot.Tick{Value: values[i], Label: labels[i]}
			}
			p.X.Tick.Marker = gplot.ConstantTicks(ticks)
		}
		p.X.Label.Text += " (log scale)"
	}
	if in.Categorical[0] {
		values, labels := in.levels(0)
		ticks := make([]gplot.Tick, len(values))
		for i := range values {
			ticks[i] = gplot.Tick{Value: values[i], Label: labels[i]}
		}
		p.X.Tick.Marker = gplot.ConstantTicks(ticks)
	}
	fromZero(p)
	return &Figure{
		Title:  fmt.Sprintf("%s: %s by %s", in.Scenario, in.Outcome, in.Factors[0]),
		Note:   in.note(),
		Panels: [][]*gplot.Plot{{p}},
		Legend: in.brandLegend(bands),
		Size:   SingleSize,
	}, nil
}

// heatGrid is one brand's outcome over a two-factor grid, by level index.
type heatGrid struct {
	z          [][]float64 // [column: factor 0 level][row: factor 1 level]
	cols, rows int
}

func (g heatGrid) Dims() (c, r int)   { return g.cols, g.rows }
func (g heatGrid) Z(c, r int) float64 { return g.z[c][r] }
func (g heatGrid) X(c int) float64    { return float64(c) }
func (g heatGrid) Y(r int) float64    { return float64(r) }

func minMax(z [][]float64, lower bool) (float64, bool) {
	v, ok := math.Inf(1), false
	if !lower {
		v = math.Inf(-1)
	}
	for _, col := range z {
		for _, x := range col {
			if !finite(x) {
				continue
			}
			ok = true
			if lower {
				v = min(v, x)
			} else {
				v = max(v, x)
			}
		}
	}
	return v, ok
}

// ramp is a palette from near white to a brand's colour.
type ramp []color.Color

func (r ramp) Colors() []color.Color { return r }

func brandRamp(b int) ramp {
	const n = 64
	r := make(ramp, n)
	for i := range r {
		r[i] = tint(BrandColor(b), 0.92*(1-float64(i)/float64(n-1)))
	}
	return r
}

// sweepHeatmap draws the outcome over a two-factor grid: a panel per
// brand, darker for more, each cell labelled with its mean.
func sweepHeatmap(in SweepInput) (*Figure, error) {
	xv, xl := in.levels(0)
	yv, yl := in.levels(1)
	grids := make([]heatGrid, len(in.Brands))
	los, his := make([]float64, len(in.Brands)), make([]float64, len(in.Brands))
	for b := range in.Brands {
		g := heatGrid{cols: len(xv), rows: len(yv), z: make([][]float64, len(xv))}
		for c := range g.z {
			g.z[c] = make([]float64, len(yv))
			for r := range g.z[c] {
				g.z[c][r] = math.NaN()
			}
		}
		for _, pt := range in.Points {
			c, r := slices.Index(xv, pt.Numeric[0]), slices.Index(yv, pt.Numeric[1])
			g.z[c][r] = in.scale(pt.Mean[b])
		}
		// Each brand on its own scale: brands often differ by an order of
		// magnitude, and one scale would leave the smaller one blank.
		lo, okLo := minMax(g.z, true)
		hi, okHi := minMax(g.z, false)
		if !okLo || !okHi || !(hi > lo) {
			lo, hi = lo-1, lo+1
			if !okLo {
				lo, hi = 0, 1
			}
		}
		grids[b], los[b], his[b] = g, lo, hi
	}
	xTicks, yTicks := make([]gplot.Tick, len(xl)), make([]gplot.Tick, len(yl))
	for i, l := range xl {
		xTicks[i] = gplot.Tick{Value: float64(i), Label: l}
	}
	for i, l := range yl {
		yTicks[i] = gplot.Tick{Value: float64(i), Label: l}
	}
	var row []*gplot.Plot
	for b, name := range in.Brands {
		ylabel := ""
		if b == 0 {
			ylabel = in.factorLabel(1)
		}
		p := NewPanel(name, in.factorLabel(0), ylabel)
		pal := brandRamp(b)
		lo, hi := los[b], his[b]
		h := plotter.NewHeatMap(grids[b], pal)
		h.Min, h.Max = lo, hi
		h.NaN = color.White
		p.Add(h)
		var labels plotter.XYLabels
		for c := range grids[b].z {
			for r, v := range grids[b].z[c] {
				if !finite(v) {
					continue
				}
				labels.XYs = append(labels.XYs, plotter.XY{X: float64(c), Y: float64(r)})
				labels.Labels = append(labels.Labels, cellText(v))
			}
		}
		if len(labels.XYs) > 0 && len(labels.XYs) <= 144 {
			l, err := plotter.NewLabels(labels)
			if err != nil {
				return nil, err
			}
			for i := range l.TextStyle {
				sty := textStyle(sans, 9)
				sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
				v := grids[b].z[int(labels.XYs[i].X)][int(labels.XYs[i].Y)]
				ci := min(len(pal)-1, max(0, int((v-lo)/(hi-lo)*float64(len(pal)))))
				sty.Color = textOn(pal[ci].(color.RGBA))
				l.TextStyle[i] = sty
			}
			p.Add(l)
		}
		p.X.Tick.Marker = gplot.ConstantTicks(xTicks)
		p.Y.Tick.Marker = gplot.ConstantTicks(yTicks)
		p.X.Min, p.X.Max = -0.5, float64(len(xv))-0.5
		p.Y.Min, p.Y.Max = -0.5, float64(len(yv))-0.5
		row = append(row, p)
	}
	unit := ""
	if in.share() {
		unit = " (%)"
	}
	return &Figure{
		Title:  fmt.Sprintf("%s: mean %s%s over %s and %s", in.Scenario, in.Outcome, unit, in.Factors[0], in.Factors[1]),
		Note:   fmt.Sprintf("each cell: mean of %d replicates; darker is more, each brand on its own scale (its lowest cell palest)", in.Replicates),
		Panels: [][]*gplot.Plot{row},
		Size:   vg.Point{X: vg.Length(min(24, 4.2*float64(len(row))+1.5)) * vg.Inch, Y: 5 * vg.Inch},
	}, nil
}

// cellText writes a cell's value with three significant digits at most.
func cellText(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// sweepTornado draws each brand's factors as bars, the most influential on
// top: signed standardized regression coefficients, or total Sobol
// indices, with their 95% intervals as whiskers.
func sweepTornado(in SweepInput) (*Figure, error) {
	var row []*gplot.Plot
	xlabel := "standardized regression coefficient (SRC)"
	if in.Method == "sobol" {
		xlabel = "total Sobol index"
	}
	lo, hi := 0.0, 0.0
	for b, s := range in.Sensitivity {
		title := s.Brand
		if finite(s.R2) {
			title += fmt.Sprintf(" (R² %.2f)", s.R2)
		}
		p := NewPanel(title, xlabel, "")
		n := len(s.Factors)
		names := make([]string, n)
		for i := range n {
			// The most important factor on top: the last row drawn.
			j := n - 1 - i
			names[i] = s.Factors[j]
			v := s.Index[j]
			if !finite(v) {
				continue
			}
			lo, hi = min(lo, v), max(hi, v)
			y := float64(i)
			bar, err := plotter.NewPolygon(plotter.XYs{{X: 0, Y: y - 0.32}, {X: v, Y: y - 0.32}, {X: v, Y: y + 0.32}, {X: 0, Y: y + 0.32}})
			if err != nil {
				return nil, err
			}
			bar.Color = translucent(BrandColor(b), 0.75)
			bar.LineStyle = draw.LineStyle{Color: BrandColor(b), Width: 0.8}
			p.Add(bar)
			if l, h := s.Low[j], s.High[j]; finite(l) && finite(h) {
				lo, hi = min(lo, l), max(hi, h)
				w, err := plotter.NewLine(plotter.XYs{{X: l, Y: y}, {X: h, Y: y}})
				if err != nil {
					return nil, err
				}
				w.LineStyle = draw.LineStyle{Color: color.Black, Width: 1.2}
				p.Add(noGlyphBoxes{w})
			}
		}
		if n == 0 {
			names = []string{"(no analysis)"}
		}
		ticks := make([]gplot.Tick, len(names))
		for i, name := range names {
			ticks[i] = gplot.Tick{Value: float64(i), Label: name}
		}
		p.Y.Tick.Marker = gplot.ConstantTicks(ticks)
		p.Y.Min, p.Y.Max = -0.6, float64(len(names))-0.4
		row = append(row, withZeroVertical(p))
	}
	pad := 0.05 * max(hi-lo, 0.1)
	for _, p := range row {
		p.X.Min, p.X.Max = lo-pad, hi+pad
	}
	note := "bars: each factor's influence on " + in.Outcome + ", most influential on top; whiskers: 95% interval"
	if in.Method == "sobol" {
		note += " (bootstrap); share of the variance explained by the factor with its interactions"
	} else {
		note += "; sign: direction of the effect; trust the ranking when R² >= 0.7 (linear, additive effects)"
	}
	return &Figure{
		Title:  fmt.Sprintf("%s: what moves %s", in.Scenario, in.Outcome),
		Note:   note,
		Panels: [][]*gplot.Plot{row},
		Size:   vg.Point{X: vg.Length(min(24, 4.6*float64(len(row))+2.5)) * vg.Inch, Y: vg.Length(max(3.2, 1.6+0.45*float64(len(in.Factors)))) * vg.Inch},
	}, nil
}

// withZeroVertical draws a thin vertical line at x = 0.
func withZeroVertical(p *gplot.Plot) *gplot.Plot {
	p.Add(vline{})
	return p
}

type vline struct{}

func (vline) Plot(c draw.Canvas, p *gplot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(0)
	c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 90}, Width: 0.8}, x, c.Min.Y, x, c.Max.Y)
}
