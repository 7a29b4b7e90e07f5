package plot

import (
	"fmt"
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/pushpull/pushpull/sim/output"
)

// MoneyPlot is the base name of a run's money figure.
const MoneyPlot = "money"

// spendLevers are the spend columns of daily.csv stacked in the money
// figure, bottom to top, with their shades of grey.
var spendLevers = []struct {
	column, label string
	shade         uint8
}{
	{"push_spend", "push", 40}, {"content_spend", "content", 90}, {"platform_spend", "platform", 130},
	{"partner_spend", "partners", 165}, {"incentive_spend", "incentives", 195}, {"compensation_spend", "compensation", 225},
}

// cumulative is a daily metric summed from day 1 to the day, in
// thousands of the currency, per replicate.
func cumulative(label string, metric int) quantity {
	return quantity{label: label, value: func(s *output.Series, rep, day, b int) float64 {
		var sum float64
		for d := 1; d <= day; d++ {
			sum += s.Value(rep, d, b, metric)
		}
		return sum / 1000
	}}
}

// money draws cumulative profit per brand with its band, and each
// brand's spend over the run stacked by lever.
func (r runDrawer) money() (*Figure, error) {
	profit := output.MetricIndex("profit")
	if profit < 0 {
		return nil, fmt.Errorf("the daily metrics lack a column the plots need: profit")
	}
	p, err := r.panel("cumulative profit", "profit so far (thousands)", styled{q: cumulative("profit so far (thousands)", profit)})
	if err != nil {
		return nil, err
	}
	stack, err := r.spendPanel()
	if err != nil {
		return nil, err
	}
	legend := r.legend()
	legend = append(legend, LegendEntry{Label: "spend, bottom to top", Heading: true})
	for _, l := range spendLevers {
		legend = append(legend, LegendEntry{Label: l.label, Color: grey(l.shade), Band: true})
	}
	return &Figure{
		Title:  r.title("profit and spend"),
		Note:   r.note() + "; bars: mean spend over the run by lever",
		Panels: [][]*gplot.Plot{{withZeroLine(p), stack}},
		Legend: legend,
		Size:   DoubleSize,
	}, nil
}

// spendPanel stacks each brand's mean spend over the run by lever, one
// bar per brand.
func (r runDrawer) spendPanel() (*gplot.Plot, error) {
	p := NewPanel("spend over the run by lever", "", "spend (thousands)")
	done := r.s.Done()
	if len(r.s.Brands) == 0 {
		return p, nil
	}
	var below *plotter.BarChart
	totals := make([]float64, len(r.s.Brands))
	for _, l := range spendLevers {
		k := output.MetricIndex(l.column)
		if k < 0 {
			return nil, fmt.Errorf("the daily metrics lack a column the plots need: %s", l.column)
		}
		values := make(plotter.Values, len(r.s.Brands))
		for b := range r.s.Brands {
			var sum float64
			for _, rep := range done {
				for d := 1; d <= r.s.Days; d++ {
					sum += r.s.Value(rep, d, b, k)
				}
			}
			if len(done) > 0 && !math.IsNaN(sum) {
				values[b] = sum / float64(len(done)) / 1000
				totals[b] += values[b]
			}
		}
		bars, err := plotter.NewBarChart(values, vg.Points(28))
		if err != nil {
			return nil, err
		}
		bars.Color = grey(l.shade)
		bars.LineStyle.Width = 0
		if below != nil {
			bars.StackOn(below)
		}
		p.Add(bars)
		below = bars
	}
	p.NominalX(r.s.Brands...)
	p.Y.Min = 0
	for _, t := range totals {
		p.Y.Max = max(p.Y.Max, 1.05*t)
	}
	return p, nil
}

func grey(shade uint8) color.RGBA { return color.RGBA{R: shade, G: shade, B: shade, A: 255} }
