package plot

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/pushpull/pushpull/sim/output"
)

// Base names of the comparison plots; each is written as .png and .svg.
const (
	CompareScenariosPlot  = "compare_scenarios"
	CompareDifferencePlot = "compare_difference"
)

// ComparePlots draws the comparison plots of several runs (brands matched
// by name) into dir and returns the file names written: small multiples
// with one column per scenario on shared axes, and, with two or more
// runs, each brand's difference to the first run with its paired 95%
// confidence band.
func ComparePlots(dir string, names []string, series []*output.Series) ([]string, error) {
	figs, err := CompareFigures(names, series)
	if err != nil {
		return nil, err
	}
	return SaveAll(dir, figs)
}

// compareRow is one row of the comparison grids.
type compareRow struct {
	q         quantity
	diffLabel string
}

// CompareFigures builds the comparison figures without writing them.
func CompareFigures(names []string, series []*output.Series) ([]NamedFigure, error) {
	if len(series) == 0 {
		return nil, errors.New("plot: nothing to compare: no runs")
	}
	if len(names) != len(series) {
		return nil, fmt.Errorf("plot: %d names for %d runs", len(names), len(series))
	}
	for i, s := range series {
		if s == nil {
			return nil, fmt.Errorf("plot: run %q has no series", names[i])
		}
	}
	m, err := lookupMetrics()
	if err != nil {
		return nil, err
	}
	rows := []compareRow{
		{m.qAdoption(), "current customers: difference\n(points of market)"},
		{m.qAdvocates(), "advocates: difference\n(points of market)"},
		{m.qChurned(), "churned so far: difference\n(points of market)"},
	}
	// A brand keeps one colour across all panels: its position in the
	// first run that has it, after the brands of earlier runs.
	var brands []string
	for _, s := range series {
		for _, b := range s.Brands {
			if !slices.Contains(brands, b) {
				brands = append(brands, b)
			}
		}
	}
	c := comparer{names: names, series: series, brands: brands, rows: rows}
	figs := []NamedFigure{{CompareScenariosPlot, c.scenarios()}}
	if len(series) > 1 {
		figs = append(figs, NamedFigure{CompareDifferencePlot, c.difference()})
	}
	for _, f := range figs {
		if f.Figure == nil {
			return nil, c.err
		}
	}
	return figs, c.err
}

type comparer struct {
	names  []string
	series []*output.Series
	brands []string
	rows   []compareRow
	err    error
}

// gridSize widens the figure with the number of columns, so panels keep a
// readable width.
func gridSize(cols int) vg.Point {
	w := min(24, max(9, 3.8*float64(cols)+2.8))
	return vg.Point{X: vg.Length(w) * vg.Inch, Y: 8.5 * vg.Inch}
}

func (c *comparer) legend(bands bool, extra ...LegendEntry) []LegendEntry {
	entries := []LegendEntry{{Label: "brand", Heading: true}}
	for b, name := range c.brands {
		entries = append(entries, LegendEntry{Label: name, Color: BrandColor(b), Band: bands})
	}
	return append(entries, extra...)
}

func (c *comparer) minReplicates() int {
	n := -1
	for _, s := range c.series {
		if d := len(s.Done()); n < 0 || d < n {
			n = d
		}
	}
	return n
}

func (c *comparer) scenarios() *Figure {
	panels := make([][]*gplot.Plot, len(c.rows))
	for j, row := range c.rows {
		for i, s := range c.series {
			title := ""
			if j == 0 {
				title = c.names[i]
			}
			ylabel := ""
			if i == 0 {
				ylabel = twoLines(row.q.label)
			}
			p := NewPanel(title, xLabel(j, len(c.rows)), ylabel)
			xs := days(s.Days)
			var curves []Curve
			for b, name := range s.Brands {
				mean, low, high := band(s, b, row.q)
				curves = append(curves, Curve{X: xs, Mean: mean, Low: low, High: high, Color: BrandColor(slices.Index(c.brands, name))})
			}
			if err := AddCurves(p, curves...); err != nil {
				c.err = err
				return nil
			}
			panels[j] = append(panels[j], fromZero(p))
		}
		ShareAxes(panels[j]...)
	}
	n := c.minReplicates()
	note := "lines: mean over replicates; bands: 95% confidence interval of the mean (Student t)"
	if n < 2 {
		note = "fewer than two replicates: lines without confidence bands"
	}
	return &Figure{
		Title:  "scenarios compared: " + strings.Join(c.names, ", "),
		Note:   note,
		Panels: panels,
		Legend: c.legend(n >= 2),
		Size:   gridSize(len(c.series)),
	}
}

func (c *comparer) difference() *Figure {
	base := c.series[0]
	others := c.series[1:]
	panels := make([][]*gplot.Plot, len(c.rows))
	paired := -1
	for j, row := range c.rows {
		for i, s := range others {
			title := ""
			if j == 0 {
				title = c.names[i+1] + " minus " + c.names[0]
			}
			ylabel := ""
			if i == 0 {
				ylabel = row.diffLabel
			}
			p := NewPanel(title, xLabel(j, len(c.rows)), ylabel)
			var curves []Curve
			for b, name := range s.Brands {
				bb := slices.Index(base.Brands, name)
				if bb < 0 {
					continue
				}
				mean, low, high := pairedBand(base, bb, s, b, row.q)
				curves = append(curves, Curve{X: days(len(mean) - 1), Mean: mean, Low: low, High: high, Color: BrandColor(slices.Index(c.brands, name))})
			}
			if err := AddCurves(p, curves...); err != nil {
				c.err = err
				return nil
			}
			panels[j] = append(panels[j], withZeroLine(p))
			if k := pairedReplicates(base, s); paired < 0 || k < paired {
				paired = k
			}
		}
		ShareAxes(panels[j]...)
	}
	note := fmt.Sprintf("differences paired by replicate (same seeds and replicate numbers; %d pairs); bands: 95%% confidence interval (Student t); brands matched by name", paired)
	if paired < 2 {
		note = "fewer than two paired replicates: differences without confidence bands"
	}
	return &Figure{
		Title:  "difference to " + c.names[0] + ", by brand",
		Note:   note,
		Panels: panels,
		Legend: c.legend(paired >= 2),
		Size:   gridSize(len(others)),
	}
}

// xLabel labels only the bottom row's x axes: the rows share them.
func xLabel(row, rows int) string {
	if row == rows-1 {
		return "day"
	}
	return ""
}

func pairedReplicates(a, b *output.Series) int {
	in := map[int]bool{}
	for _, r := range a.Done() {
		in[r] = true
	}
	n := 0
	for _, r := range b.Done() {
		if in[r] {
			n++
		}
	}
	return n
}
