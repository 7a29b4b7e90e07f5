package calibrate

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/pushpull/pushpull/sim/plot"
)

// savePlots draws the pairs plot and the posterior predictive band.
func (r *Report) savePlots(dir string) ([]string, error) {
	var files []string
	for _, f := range []struct {
		name string
		make func() (*plot.Figure, error)
	}{{PairsPlot, r.pairsFigure}, {PredictivePlot, r.predictiveFigure}} {
		fig, err := f.make()
		if err != nil {
			return nil, err
		}
		names, err := plot.Save(dir, f.name, fig)
		if err != nil {
			return nil, err
		}
		files = append(files, names...)
	}
	return files, nil
}

// pairsFigure draws each key's weighted posterior histogram on the
// diagonal and every pair's particles below it, their size following
// their weight.
func (r *Report) pairsFigure() (*plot.Figure, error) {
	post := r.Result.Posterior()
	k := len(r.Priors)
	panels := make([][]*gplot.Plot, k)
	col := func(j int) []float64 {
		xs := make([]float64, len(post.Particles))
		for i, x := range post.Particles {
			xs[i] = x[j]
		}
		return xs
	}
	maxW := 0.0
	for _, w := range post.Weights {
		maxW = math.Max(maxW, w)
	}
	for a := range k {
		panels[a] = make([]*gplot.Plot, k)
		for b := 0; b <= a; b++ {
			xl, yl := "", ""
			if a == k-1 {
				xl = r.Priors[b].Key
			}
			if b == 0 && a > 0 {
				yl = r.Priors[a].Key
			}
			p := plot.NewPanel("", xl, yl)
			if a == b {
				xy := make(plotter.XYs, len(post.Particles))
				for i, x := range col(a) {
					xy[i] = plotter.XY{X: x, Y: post.Weights[i]}
				}
				h, err := plotter.NewHistogram(xy, 20)
				if err != nil {
					return nil, fmt.Errorf("calibrate: pairs plot: %w", err)
				}
				h.FillColor = plot.BrandColor(0)
				h.LineStyle.Width = 0
				p.Add(h)
				p.Y.Label.Text = "posterior weight"
				if b == 0 && a == 0 {
					p.Y.Label.Text = r.Priors[a].Key + " (weight)"
				}
			} else {
				xs, ys := col(b), col(a)
				pts := make(plotter.XYs, len(xs))
				for i := range xs {
					pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
				}
				sc, err := plotter.NewScatter(pts)
				if err != nil {
					return nil, fmt.Errorf("calibrate: pairs plot: %w", err)
				}
				weights := post.Weights
				sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
					return draw.GlyphStyle{Color: plot.BrandColor(0), Shape: draw.CircleGlyph{}, Radius: vg.Length(0.8 + 2.2*math.Sqrt(weights[i]/maxW))}
				}
				p.Add(sc)
				p.Title.Text = fmt.Sprintf("r = %.2f", r.Correlations[a][b])
			}
			panels[a][b] = p
		}
	}
	side := vg.Length(3.2*float64(k)+1) * vg.Inch
	return &plot.Figure{Title: r.Scenario.Name + ": posterior of the fitted keys", Panels: panels,
		Note: fmt.Sprintf("%d weighted particles (effective sample size %.0f); diagonal: each key's posterior; below: each pair, dots sized by weight", len(post.Particles), post.ESS()),
		Size: vg.Point{X: side, Y: side}}, nil
}

// predictiveFigure draws, for each observed column, the observed points
// over the posterior predictive median and 90% band.
func (r *Report) predictiveFigure() (*plot.Figure, error) {
	n := len(r.Data.Times)
	var row []*gplot.Plot
	for c, name := range r.Data.Columns {
		p := plot.NewPanel(name, r.Data.TimeColumn, name)
		sl := func(v []float64) []float64 { return v[c*n : (c+1)*n] }
		if err := plot.AddCurves(p, plot.Curve{X: r.Data.Times, Mean: sl(r.Median), Low: sl(r.Low), High: sl(r.High), Color: plot.BrandColor(0)}); err != nil {
			return nil, err
		}
		pts := make(plotter.XYs, n)
		for t, x := range r.Data.Times {
			pts[t] = plotter.XY{X: x, Y: r.Data.Values[c][t]}
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("calibrate: predictive plot: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: plot.BrandColor(1), Shape: draw.CircleGlyph{}, Radius: 3}
		p.Add(sc)
		row = append(row, p)
	}
	size := plot.SingleSize
	if len(row) > 1 {
		size = vg.Point{X: vg.Length(4.5*float64(len(row))+2) * vg.Inch, Y: 5 * vg.Inch}
	}
	return &plot.Figure{Title: r.Scenario.Name + ": posterior predictive against the data", Panels: [][]*gplot.Plot{row},
		Legend: []plot.LegendEntry{{Label: "simulated: median and 90% band", Color: plot.BrandColor(0), Band: true}, {Label: "observed", Color: plot.BrandColor(1)}},
		Note:   fmt.Sprintf("%d simulations at values drawn from the posterior", len(r.Predictive)), Size: size}, nil
}
