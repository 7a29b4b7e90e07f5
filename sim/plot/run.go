package plot

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"
	"sync"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/pushpull/pushpull/sim/output"
)

// Base names of the plots of a run; each is written as .png and .svg.
const (
	AdoptionPlot  = "adoption"
	AdoptersPlot  = "adopters"
	AdvocacyPlot  = "advocacy"
	ChurnPlot     = "churn"
	AttentionPlot = "attention"
	TrustPlot     = "trust"
	OverviewPlot  = "overview"
)

// RunPlots draws every plot of a run into dir and returns the file names
// written: adoption, advocacy, churn, attention, trust and money as PNG and SVG,
// the overview tiling them, and, when orbit holds frames, the orbit GIF
// and its snapshots (see OrbitPlots).
func RunPlots(dir, scenarioName string, s *output.Series, orbit *output.Orbit) ([]string, error) {
	return RunPlotsWith(dir, scenarioName, s, orbit, Options{})
}

// Options change how RunPlotsWith draws a run's figures; the zero value
// draws them as RunPlots does.
type Options struct {
	// Title, when set, names the figures in place of the scenario.
	Title string
	// Size, when set, is every figure's size.
	Size vg.Point
	// Formats lists the files written of each figure: "png", "svg" or
	// both (nil: both).
	Formats []string
	// Only lists the figures drawn by base name (adoption, adopters,
	// advocacy, churn, attention, trust, overview, orbit); nil: all.
	Only []string
	// Observed are measured curves drawn as points over the adoption and
	// adopters figures (and their panels of the overview).
	Observed []Observed
}

// Check reports a format or a figure that Options names and RunPlotsWith
// does not know.
func (opt Options) Check() error {
	for _, f := range opt.Formats {
		if f != "png" && f != "svg" {
			return fmt.Errorf("plot: unknown format (want png or svg): %q", f)
		}
	}
	for _, o := range opt.Observed {
		if !slices.Contains(ObservedMetrics, o.Metric) || len(o.Days) != len(o.Values) {
			return fmt.Errorf("plot: observed data must be customers or adopters, a value per day: %q", o.Metric)
		}
	}
	for _, name := range opt.Only {
		if !slices.Contains([]string{AdoptionPlot, AdoptersPlot, AdvocacyPlot, ChurnPlot, AttentionPlot, TrustPlot, OverviewPlot, "orbit"}, name) {
			return fmt.Errorf("plot: unknown figure (want adoption, adopters, advocacy, churn, attention, trust, overview or orbit): %q", name)
		}
	}
	return nil
}

// RunPlotsWith is RunPlots with the figures' title, size, file formats
// and selection chosen by opt.
func RunPlotsWith(dir, scenarioName string, s *output.Series, orbit *output.Orbit, opt Options) ([]string, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	if opt.Title != "" {
		scenarioName = opt.Title
	}
	all, err := runFigures(scenarioName, s, opt.Observed)
	if err != nil {
		return nil, err
	}
	var figs []NamedFigure
	for _, f := range all {
		if opt.Only == nil || slices.Contains(opt.Only, f.Name) {
			if opt.Size.X > 0 && opt.Size.Y > 0 {
				f.Figure.Size = opt.Size
			}
			figs = append(figs, f)
		}
	}
	if opt.Only != nil && !slices.Contains(opt.Only, "orbit") {
		orbit = nil
	}
	// Each figure and the orbit draw on their own goroutine: drawing is
	// most of a short run's time, and the machine has cores to spare once
	// the simulation is done. Names keep the figures' order.
	jobs := len(figs) + 1
	names := make([][]string, jobs)
	errs := make([]error, jobs)
	var wg sync.WaitGroup
	for i, f := range figs {
		wg.Go(func() { names[i], errs[i] = SaveFormats(dir, f.Name, f.Figure, opt.Formats) })
	}
	if orbit != nil && len(orbit.Frames) > 0 {
		wg.Go(func() { names[jobs-1], errs[jobs-1] = OrbitPlots(dir, scenarioName, orbit) })
	}
	wg.Wait()
	return slices.Concat(names...), errors.Join(errs...)
}

// NamedFigure is a figure and the base name of its files.
type NamedFigure struct {
	Name   string
	Figure *Figure
}

// RunFigures builds the figures of a run without writing them.
func RunFigures(scenarioName string, s *output.Series) ([]NamedFigure, error) {
	return runFigures(scenarioName, s, nil)
}

func runFigures(scenarioName string, s *output.Series, observed []Observed) ([]NamedFigure, error) {
	if s == nil {
		return nil, errors.New("plot: no series to draw: nil")
	}
	m, err := lookupMetrics()
	if err != nil {
		return nil, err
	}
	r := runDrawer{s: s, m: m, name: scenarioName, observed: observed}
	var figs []NamedFigure
	for _, build := range []struct {
		name string
		fn   func() (*Figure, error)
	}{
		{AdoptionPlot, r.adoption},
		{AdoptersPlot, r.adopters},
		{AdvocacyPlot, r.advocacy},
		{ChurnPlot, r.churn},
		{AttentionPlot, r.attention},
		{TrustPlot, r.trust},
		{MoneyPlot, r.money},
		{OverviewPlot, r.overview},
	} {
		f, err := build.fn()
		if err != nil {
			return nil, fmt.Errorf("plot: %s: %w", build.name, err)
		}
		figs = append(figs, NamedFigure{build.name, f})
	}
	return figs, nil
}

type runDrawer struct {
	s        *output.Series
	m        metrics
	name     string
	compact  bool // panels of a grid: axis labels on two lines
	observed []Observed
}

// styled is how one quantity is drawn in a panel: solid or dashed, so two
// quantities of the same brand can share a panel.
type styled struct {
	q      quantity
	dashed bool
}

// panel draws the quantities of every brand into a new panel.
func (r runDrawer) panel(title, yLabel string, qs ...styled) (*gplot.Plot, error) {
	if r.compact {
		yLabel = twoLines(yLabel)
	}
	p := NewPanel(title, "day", yLabel)
	xs := days(r.s.Days)
	var curves []Curve
	for b := range r.s.Brands {
		for _, q := range qs {
			mean, low, high := band(r.s, b, q.q)
			curves = append(curves, Curve{X: xs, Mean: mean, Low: low, High: high, Color: BrandColor(b), Dashed: q.dashed})
		}
	}
	if err := AddCurves(p, curves...); err != nil {
		return nil, err
	}
	// Every panel of a run spans the same days, flows (from day 1) too.
	p.X.Min, p.X.Max = 0, max(p.X.Max, float64(r.s.Days))
	return p, nil
}

// fromZero makes a count's axis start at zero, so the height of a curve
// reads as its size.
func fromZero(p *gplot.Plot) *gplot.Plot {
	p.Y.Min = min(p.Y.Min, 0)
	if math.IsInf(p.Y.Max, 0) || p.Y.Max <= 0 {
		p.Y.Max = max(p.Y.Max, 1)
	}
	return p
}

// withZeroLine marks zero on an axis whose values change sign.
func withZeroLine(p *gplot.Plot) *gplot.Plot {
	p.Add(hline{y: 0, color: color.Gray{Y: 110}})
	if p.Y.Min > 0 {
		p.Y.Min = 0
	}
	if p.Y.Max < 0 {
		p.Y.Max = 0
	}
	return p
}

// legend lists the brands, noting those without data and whether bands
// are drawn, followed by the line-style key, if any.
func (r runDrawer) legend(styles ...LegendEntry) []LegendEntry {
	bands := len(r.s.Done()) >= 2
	entries := []LegendEntry{{Label: "brand", Heading: true}}
	for b, name := range r.s.Brands {
		label := name
		if !r.hasData(b) {
			label += " (no data)"
		}
		entries = append(entries, LegendEntry{Label: label, Color: BrandColor(b), Band: bands})
	}
	if len(styles) > 0 {
		entries = append(entries, LegendEntry{Label: "line", Heading: true})
		entries = append(entries, styles...)
	}
	return entries
}

func (r runDrawer) hasData(b int) bool {
	for _, rep := range r.s.Done() {
		for d := 0; d <= r.s.Days; d++ {
			if finite(r.s.Value(rep, d, b, r.m.customers)) || finite(r.s.Value(rep, d, b, r.m.trust)) {
				return true
			}
		}
	}
	return false
}

// note says what the lines and bands are, so a picture pasted into a
// deck carries its own caption.
func (r runDrawer) note() string {
	n := len(r.s.Done())
	switch n {
	case 0:
		return "no finished replicates: nothing to draw"
	case 1:
		return "one replicate: lines without confidence bands"
	}
	return fmt.Sprintf("lines: mean of %d replicates; bands: 95%% confidence interval of the mean (Student t); %s customers",
		n, count(r.s.Customers))
}

func (r runDrawer) title(what string) string {
	if r.name == "" {
		return what
	}
	return r.name + ": " + what
}

var (
	solidKey  = func(label string) LegendEntry { return LegendEntry{Label: label, Color: color.Black} }
	dashedKey = func(label string) LegendEntry { return LegendEntry{Label: label, Color: color.Black, Dashed: true} }
)

func (r runDrawer) adoptionPanel(title string) (*gplot.Plot, error) {
	p, err := r.panel(title, r.m.qAdoption().label, styled{q: r.m.qAdoption()})
	if err != nil {
		return nil, err
	}
	if err := r.addObserved(p, "customers"); err != nil {
		return nil, err
	}
	return fromZero(p), nil
}

func (r runDrawer) adoption() (*Figure, error) {
	p, err := r.adoptionPanel("")
	if err != nil {
		return nil, err
	}
	return &Figure{
		Title:  r.title("current customers per brand"),
		Note:   r.note(),
		Panels: [][]*gplot.Plot{{p}},
		Legend: append(r.legend(), r.observedLegend("customers")...),
		Size:   SingleSize,
	}, nil
}

// adoptersPanel draws the cumulative count of customers who ever bought
// (solid) over the current customers (dashed): the gap is the customers
// lost and not won back.
func (r runDrawer) adoptersPanel(title string) (*gplot.Plot, error) {
	p, err := r.panel(title, "customers (% of market)", styled{q: r.m.qAdopters()}, styled{q: r.m.qAdoption(), dashed: true})
	if err != nil {
		return nil, err
	}
	for _, metric := range ObservedMetrics {
		if err := r.addObserved(p, metric); err != nil {
			return nil, err
		}
	}
	return fromZero(p), nil
}

func (r runDrawer) adopters() (*Figure, error) {
	p, err := r.adoptersPanel("")
	if err != nil {
		return nil, err
	}
	return &Figure{
		Title:  r.title("cumulative adopters per brand"),
		Note:   r.note(),
		Panels: [][]*gplot.Plot{{p}},
		Legend: append(r.legend(solidKey("ever bought (cumulative)"), dashedKey("current customers")), r.observedLegend(ObservedMetrics...)...),
		Size:   SingleSize,
	}, nil
}

func (r runDrawer) voicesPanel(title string) (*gplot.Plot, error) {
	p, err := r.panel(title, "customers (% of market)", styled{q: r.m.qAdvocates()}, styled{q: r.m.qDetractors(), dashed: true})
	if err != nil {
		return nil, err
	}
	return fromZero(p), nil
}

func (r runDrawer) advocacy() (*Figure, error) {
	voices, err := r.voicesPanel("advocates and detractors")
	if err != nil {
		return nil, err
	}
	net, err := r.panel("net advocacy", r.m.qNetAdvocacy().label, styled{q: r.m.qNetAdvocacy()})
	if err != nil {
		return nil, err
	}
	return &Figure{
		Title:  r.title("advocacy"),
		Note:   r.note(),
		Panels: [][]*gplot.Plot{{voices, withZeroLine(net)}},
		Legend: r.legend(solidKey("advocates"), dashedKey("detractors")),
		Size:   DoubleSize,
	}, nil
}

func (r runDrawer) churnedPanel(title string) (*gplot.Plot, error) {
	p, err := r.panel(title, r.m.qChurned().label, styled{q: r.m.qChurned()})
	if err != nil {
		return nil, err
	}
	return fromZero(p), nil
}

func (r runDrawer) churn() (*Figure, error) {
	cum, err := r.churnedPanel("customers lost so far")
	if err != nil {
		return nil, err
	}
	rate, err := r.panel("churn rate, weekly mean", r.m.qChurnRate().label, styled{q: r.m.qChurnRate()})
	if err != nil {
		return nil, err
	}
	return &Figure{
		Title:  r.title("churn"),
		Note:   r.note(),
		Panels: [][]*gplot.Plot{{cum, fromZero(rate)}},
		Legend: r.legend(),
		Size:   DoubleSize,
	}, nil
}

func (r runDrawer) attentionPanel(title string) (*gplot.Plot, error) {
	p, err := r.panel(title, "push impressions per day",
		styled{q: flow("processed", r.m.processed)}, styled{q: flow("wasted", r.m.wasted), dashed: true})
	if err != nil {
		return nil, err
	}
	return fromZero(p), nil
}

func (r runDrawer) attention() (*Figure, error) {
	p, err := r.attentionPanel("")
	if err != nil {
		return nil, err
	}
	return &Figure{
		Title:  r.title("push impressions processed and wasted"),
		Note:   r.note(),
		Panels: [][]*gplot.Plot{{p}},
		Legend: r.legend(solidKey("processed"), dashedKey("wasted (ignored or blocked)")),
		Size:   SingleSize,
	}, nil
}

func (r runDrawer) trustPanel(title string) (*gplot.Plot, error) {
	p, err := r.panel(title, r.m.qTrustAware().label, styled{q: r.m.qTrustAware()})
	if err != nil {
		return nil, err
	}
	// Neutral trust (1/2, no evidence either way) stays in view, so a
	// reader sees whether a brand is trusted or distrusted.
	p.Add(hline{y: 0.5, color: color.Gray{Y: 150}, dashes: []vg.Length{2, 2}})
	p.Y.Min = min(p.Y.Min, 0.45)
	p.Y.Max = max(p.Y.Max, 0.55)
	return p, nil
}

func (r runDrawer) trust() (*Figure, error) {
	p, err := r.trustPanel("")
	if err != nil {
		return nil, err
	}
	return &Figure{
		Title:  r.title("trust among customers aware of the brand"),
		Note:   r.note() + "; dotted: neutral trust 0.5",
		Panels: [][]*gplot.Plot{{p}},
		Legend: r.legend(),
		Size:   SingleSize,
	}, nil
}

func (r runDrawer) overview() (*Figure, error) {
	r.compact = true
	a, err := r.adoptionPanel("current customers")
	if err != nil {
		return nil, err
	}
	v, err := r.voicesPanel("advocates and detractors (dashed)")
	if err != nil {
		return nil, err
	}
	c, err := r.churnedPanel("churned")
	if err != nil {
		return nil, err
	}
	at, err := r.attentionPanel("push impressions (wasted: dashed)")
	if err != nil {
		return nil, err
	}
	t, err := r.trustPanel("trust among the aware")
	if err != nil {
		return nil, err
	}
	ad, err := r.adoptersPanel("ever bought (current: dashed)")
	if err != nil {
		return nil, err
	}
	return &Figure{
		Title:  r.title("overview"),
		Note:   r.note(),
		Panels: [][]*gplot.Plot{{a, v, c}, {at, t, ad}},
		Legend: append(r.legend(solidKey("advocates, processed, ever bought"), dashedKey("detractors, wasted, current")), r.observedLegend(ObservedMetrics...)...),
		Size:   GridSize,
	}, nil
}

// twoLines breaks an axis label before its unit. A label longer than its
// panel is high makes gonum pad that panel alone, and the panels of a
// grid no longer line up.
func twoLines(label string) string {
	if i := strings.LastIndex(label, " ("); i > 0 {
		return label[:i] + "\n" + label[i+1:]
	}
	return label
}

// hline is a horizontal reference line across a panel.
type hline struct {
	y      float64
	color  color.Color
	dashes []vg.Length
}

func (h hline) Plot(c draw.Canvas, p *gplot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	if y < c.Min.Y || y > c.Max.Y {
		return
	}
	c.StrokeLine2(draw.LineStyle{Color: h.color, Width: 0.8, Dashes: h.dashes}, c.Min.X, y, c.Max.X, y)
}

// count formats a number of customers with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
