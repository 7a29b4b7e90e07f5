package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// Base names of the optimization plots; each is written as .png and .svg.
const (
	OptimizeSurfacePlot  = "optimize_surface"
	OptimizeProgressPlot = "optimize_progress"
)

// OptimizeInput is what the optimization plots draw.
type OptimizeInput struct {
	Scenario, Brand string
	// Objective names the outcome maximized; shares of customers are
	// drawn in percent.
	Objective string
	// Levers are the one or two range levers the surface is drawn over
	// (none: no surface), the most important first; BestAt is the
	// winner's value of each.
	Levers []string
	BestAt []float64
	// Bounds are each lever's range, the axes' extent.
	Bounds [][2]float64
	// Best is the winner's estimate.
	Best float64
	// Points are the candidates the search tried (with the winner's
	// choices), each at its lever values.
	Points []OptimizePoint
	// Progress is the best so far after each generation; Final is the
	// winner after the final selection.
	Progress []OptimizeStep
	Final    *OptimizeStep
}

// OptimizePoint is one candidate tried: its lever values, its estimate
// and the replicates behind it.
type OptimizePoint struct {
	At    []float64
	Value float64
	N     int
}

// OptimizeStep is an estimate with its 95% interval after a number of
// simulations.
type OptimizeStep struct {
	Simulations, Mean, Low, High float64
}

// OptimizePlots draws the optimization plots into dir and returns the file
// names written.
func OptimizePlots(dir string, in OptimizeInput) ([]string, error) {
	figs, err := OptimizeFigures(in)
	if err != nil {
		return nil, err
	}
	return SaveAll(dir, figs)
}

// OptimizeFigures builds the optimization figures without writing them:
// the objective over the two most important levers (or against the one
// lever) with the optimum marked, and the best so far against the
// simulations spent.
func OptimizeFigures(in OptimizeInput) ([]NamedFigure, error) {
	if len(in.Levers) != len(in.BestAt) || len(in.Levers) != len(in.Bounds) || len(in.Levers) > 2 {
		return nil, fmt.Errorf("plot: %d levers with %d optimum values and %d ranges (want at most 2, one of each per lever)", len(in.Levers), len(in.BestAt), len(in.Bounds))
	}
	for i, p := range in.Points {
		if len(p.At) != len(in.Levers) {
			return nil, fmt.Errorf("plot: candidate %d has %d values for %d levers", i, len(p.At), len(in.Levers))
		}
	}
	var figs []NamedFigure
	if len(in.Levers) > 0 && len(in.Points) > 0 {
		f, err := optimizeSurface(in)
		if err != nil {
			return nil, err
		}
		figs = append(figs, NamedFigure{OptimizeSurfacePlot, f})
	}
	if len(in.Progress) > 0 {
		f, err := optimizeProgress(in)
		if err != nil {
			return nil, err
		}
		figs = append(figs, NamedFigure{OptimizeProgressPlot, f})
	}
	if len(figs) == 0 {
		return nil, errors.New("plot: an optimization needs candidates or progress to draw")
	}
	return figs, nil
}

func (in OptimizeInput) scale(v float64) float64 {
	if shareOutcome(in.Objective) {
		return 100 * v
	}
	return v
}

func (in OptimizeInput) label() string {
	if shareOutcome(in.Objective) {
		return in.Objective + " (% of customers)"
	}
	return in.Objective
}

// optimumGlyphs marks the winner: a black ring around a cross, visible on
// any cell colour.
func optimumGlyphs(p *gplot.Plot, x, y float64) error {
	pts := plotter.XYs{{X: x, Y: y}}
	for _, g := range []draw.GlyphStyle{
		{Color: color.White, Radius: 9, Shape: draw.CircleGlyph{}},
		{Color: color.Black, Radius: 8, Shape: draw.RingGlyph{}},
		{Color: color.Black, Radius: 5, Shape: draw.CrossGlyph{}},
	} {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.GlyphStyle = g
		p.Add(noGlyphBoxes{sc})
	}
	return nil
}

// optimizeSurface draws every candidate tried: over two levers as dots
// coloured by their estimate (darker is more), or against one lever.
func optimizeSurface(in OptimizeInput) (*Figure, error) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, pt := range in.Points {
		if finite(pt.Value) {
			lo, hi = min(lo, in.scale(pt.Value)), max(hi, in.scale(pt.Value))
		}
	}
	if !(hi > lo) {
		lo, hi = lo-1, lo+1
	}
	title := fmt.Sprintf("%s: %s's %s over %s", in.Scenario, in.Brand, in.Objective, in.Levers[0])
	note := fmt.Sprintf("dot: a candidate tried, at its mean over its replicates; ring: the optimum, %s", cellText(in.scale(in.Best)))
	var p *gplot.Plot
	if len(in.Levers) == 2 {
		title += " and " + in.Levers[1]
		p = NewPanel("", in.Levers[0], in.Levers[1])
		pal := brandRamp(0)
		// Palest first, so that the best candidates are drawn on top.
		order := make([]int, len(in.Points))
		for i := range order {
			order[i] = i
		}
		sortByValue(order, in.Points)
		for _, i := range order {
			pt := in.Points[i]
			if !finite(pt.Value) {
				continue
			}
			ci := min(len(pal)-1, max(0, int((in.scale(pt.Value)-lo)/(hi-lo)*float64(len(pal)))))
			sc, err := plotter.NewScatter(plotter.XYs{{X: pt.At[0], Y: pt.At[1]}})
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: pal[ci], Radius: 3.5, Shape: draw.CircleGlyph{}}
			p.Add(noGlyphBoxes{sc})
		}
		if err := optimumGlyphs(p, in.BestAt[0], in.BestAt[1]); err != nil {
			return nil, err
		}
		note += fmt.Sprintf("; colour: %s (palest) to %s", cellText(lo), cellText(hi))
		pad := 0.03 * (in.Bounds[1][1] - in.Bounds[1][0])
		p.Y.Min, p.Y.Max = in.Bounds[1][0]-pad, in.Bounds[1][1]+pad
	} else {
		p = NewPanel("", in.Levers[0], in.label())
		pts := make(plotter.XYs, 0, len(in.Points))
		for _, pt := range in.Points {
			if finite(pt.Value) {
				pts = append(pts, plotter.XY{X: pt.At[0], Y: in.scale(pt.Value)})
			}
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: BrandColor(0), Radius: 2.5, Shape: draw.CircleGlyph{}}
		p.Add(noGlyphBoxes{sc})
		if err := optimumGlyphs(p, in.BestAt[0], in.scale(in.Best)); err != nil {
			return nil, err
		}
	}
	pad := 0.03 * (in.Bounds[0][1] - in.Bounds[0][0])
	p.X.Min, p.X.Max = in.Bounds[0][0]-pad, in.Bounds[0][1]+pad
	return &Figure{Title: title, Note: note, Panels: [][]*gplot.Plot{{p}}, Size: SingleSize}, nil
}

func sortByValue(order []int, pts []OptimizePoint) {
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && pts[order[j]].Value < pts[order[j-1]].Value; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
}

// optimizeProgress draws the best so far, with its interval, against the
// simulations spent, and the winner of the final selection.
func optimizeProgress(in OptimizeInput) (*Figure, error) {
	p := NewPanel("", "simulations", in.label())
	c := Curve{Color: BrandColor(0)}
	for _, s := range in.Progress {
		c.X = append(c.X, s.Simulations)
		c.Mean = append(c.Mean, in.scale(s.Mean))
		c.Low = append(c.Low, in.scale(s.Low))
		c.High = append(c.High, in.scale(s.High))
	}
	if err := AddCurves(p, c); err != nil {
		return nil, err
	}
	legend := []LegendEntry{{Label: "best so far", Color: BrandColor(0), Band: true}}
	if f := in.Final; f != nil {
		whisker, err := plotter.NewLine(plotter.XYs{{X: f.Simulations, Y: in.scale(f.Low)}, {X: f.Simulations, Y: in.scale(f.High)}})
		if err != nil {
			return nil, err
		}
		whisker.LineStyle = draw.LineStyle{Color: color.Black, Width: LineWidth}
		p.Add(noGlyphBoxes{whisker})
		sc, err := plotter.NewScatter(plotter.XYs{{X: f.Simulations, Y: in.scale(f.Mean)}})
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: 4, Shape: draw.CircleGlyph{}}
		p.Add(noGlyphBoxes{sc})
		legend = append(legend, LegendEntry{Label: "winner, final selection", Color: color.Black})
	}
	return &Figure{
		Title:  fmt.Sprintf("%s: search for %s's best %s", in.Scenario, in.Brand, in.Objective),
		Note:   "line: the best mean after each generation, band: its 95% interval (Student t); black: the final selection's winner",
		Panels: [][]*gplot.Plot{{p}},
		Legend: legend,
		Size:   SingleSize,
	}, nil
}
