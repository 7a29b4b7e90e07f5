package plot_test

import (
	"fmt"
	"math"
	"os"

	gplot "gonum.org/v1/plot"

	"github.com/pushpull/pushpull/sim/plot"
)

// The live classroom page colours brand i with BrandHex(i), as every plot does.
func ExampleBrandHex() {
	for i, name := range []string{"Blast", "Orbit", "Candor"} {
		fmt.Println(name, plot.BrandHex(i))
	}
	// Output:
	// Blast #0072B2
	// Orbit #E69F00
	// Candor #009E73
}

// A new kind of plot (a sweep's, say) reuses the house style: a panel,
// curves with bands, a legend beside the data, PNG and SVG written safely.
func ExampleFigure() {
	xs := []float64{0, 1, 2, 3, 4}
	mean := []float64{1, 2, math.NaN(), 4, 5} // the gap breaks the line
	low := []float64{0.5, 1.5, math.NaN(), 3.4, 4.2}
	high := []float64{1.5, 2.5, math.NaN(), 4.6, 5.8}
	p := plot.NewPanel("", "push budget (impressions per day)", "adoption (% of market)")
	if err := plot.AddCurves(p, plot.Curve{X: xs, Mean: mean, Low: low, High: high, Color: plot.BrandColor(0)}); err != nil {
		fmt.Println(err)
		return
	}
	fig := &plot.Figure{
		Title:  "adoption against push budget",
		Panels: [][]*gplot.Plot{{p}},
		Legend: []plot.LegendEntry{{Label: "Blast", Color: plot.BrandColor(0), Band: true}},
		Size:   plot.SingleSize,
	}
	dir, err := os.MkdirTemp("", "plot-example-*")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	names, err := plot.Save(dir, "budget", fig)
	fmt.Println(names, err)
	// Output: [budget.png budget.svg] <nil>
}
