package plot

import (
	"fmt"
	"image/color"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// Observed is a curve measured outside the model, drawn as points over a
// run's curves so a reader sees at a glance how far the model is from it.
type Observed struct {
	// Brand is the brand the points belong to: they take its colour.
	Brand int
	// Metric is the daily metric observed: "customers" (drawn over the
	// adoption curves) or "adopters" (over the cumulative adopters).
	Metric string
	// Days are the simulated days observed; Values the counts of
	// customers on those days.
	Days, Values []float64
}

// ObservedMetrics lists the daily metrics an Observed may hold.
var ObservedMetrics = []string{"customers", "adopters"}

// addObserved draws the observed points of metric over p, as shares of
// the market like the curves beneath them: a disc of the brand's colour
// ringed in black, so it stands out on the line of its own brand.
func (r runDrawer) addObserved(p *gplot.Plot, metric string) error {
	for _, o := range r.observed {
		if o.Metric != metric || r.s.Customers <= 0 {
			continue
		}
		pts := make(plotter.XYs, len(o.Days))
		for i := range o.Days {
			pts[i] = plotter.XY{X: o.Days[i], Y: 100 * o.Values[i] / float64(r.s.Customers)}
		}
		for _, g := range []draw.GlyphStyle{
			{Color: color.Black, Shape: draw.CircleGlyph{}, Radius: 4},
			{Color: BrandColor(o.Brand), Shape: draw.CircleGlyph{}, Radius: 2.8},
		} {
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return fmt.Errorf("plot: observed %s: %w", o.Metric, err)
			}
			sc.GlyphStyle = g
			p.Add(sc)
		}
	}
	return nil
}

// observedLegend is the legend's line for the observed points, when a
// figure draws any of metrics.
func (r runDrawer) observedLegend(metrics ...string) []LegendEntry {
	for _, o := range r.observed {
		for _, m := range metrics {
			if o.Metric == m {
				return []LegendEntry{{Label: "observed", Color: color.Black, Point: true}}
			}
		}
	}
	return nil
}
