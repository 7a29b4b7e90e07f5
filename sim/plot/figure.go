package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"slices"

	xfont "golang.org/x/image/font"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/pushpull/pushpull/sim/output"
)

// DPI is the resolution of every PNG: an 8 by 5 inch figure becomes
// 1600 by 1000 pixels, sharp on a projector and in a slide deck.
const DPI = 200

// Figure sizes. They are fixed, not taken from the data, so the same
// kind of picture has the same size and font scale in every run.
var (
	SingleSize = vg.Point{X: 8 * vg.Inch, Y: 5 * vg.Inch}    // one panel
	DoubleSize = vg.Point{X: 11 * vg.Inch, Y: 5 * vg.Inch}   // two panels side by side
	GridSize   = vg.Point{X: 14 * vg.Inch, Y: 8.5 * vg.Inch} // overview and small multiples
)

// Fonts: Liberation Sans, embedded in gonum/plot, so no system font is
// needed and every machine draws the same glyphs. Sans-serif reads better
// than the default serif at slide distance.
var (
	sans       = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold   = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
	titleStyle = textStyle(sansBold, 15)
	panelStyle = textStyle(sansBold, 12)
	labelStyle = textStyle(sans, 11)
	tickStyle  = textStyle(sans, 10)
	legendText = textStyle(sans, 11)
	noteStyle  = textStyle(sans, 9)
)

func textStyle(f font.Font, size vg.Length) text.Style {
	return text.Style{Font: font.From(f, size), Handler: gplot.DefaultTextHandler, Color: color.Black}
}

// gridColor is light enough that grid lines never compete with a band.
var gridColor = color.Gray{Y: 225}

// NewPanel returns an empty plot in the house style: sans-serif text at
// slide sizes, a light grid under the data and no legend of its own (the
// Figure draws one beside the data). title may be empty.
func NewPanel(title, xLabel, yLabel string) *gplot.Plot {
	p := gplot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = panelStyle.Font
	p.Title.Padding = 4
	// Only fonts change: the axes' own alignments place labels and ticks.
	for _, ax := range []*gplot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = labelStyle.Font
		ax.Tick.Label.Font = tickStyle.Font
		ax.Padding = 2
		ax.Tick.Marker = niceTicks{}
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	g := plotter.NewGrid()
	g.Vertical.Color = gridColor
	g.Horizontal.Color = gridColor
	g.Vertical.Width = 0.5
	g.Horizontal.Width = 0.5
	p.Add(g)
	return p
}

// Curve is one line of a panel, with a confidence band where Low and High
// are given. NaN values break the line and the band.
type Curve struct {
	X, Mean   []float64
	Low, High []float64 // nil, or NaN on days without a band
	Color     color.RGBA
	Dashed    bool
}

// BandAlpha is the opacity of confidence bands: light enough that two
// overlapping bands and both mean lines stay readable.
const BandAlpha = 0.22

// LineWidth is the width of mean lines.
const LineWidth = 1.8

var dashes = []vg.Length{6, 3}

func (c Curve) lineStyle() draw.LineStyle {
	s := draw.LineStyle{Color: c.Color, Width: LineWidth}
	if c.Dashed {
		s.Dashes = dashes
	}
	return s
}

// AddCurves draws curves onto p: every band first, then every line, so no
// band ever veils another brand's line.
func AddCurves(p *gplot.Plot, curves ...Curve) error {
	for _, c := range curves {
		if c.Low == nil || c.High == nil {
			continue
		}
		for _, run := range finiteRuns(len(c.X), c.X, c.Mean, c.Low, c.High) {
			if run[1]-run[0] < 2 {
				continue
			}
			ring := make(plotter.XYs, 0, 2*(run[1]-run[0]))
			for i := run[0]; i < run[1]; i++ {
				ring = append(ring, plotter.XY{X: c.X[i], Y: c.High[i]})
			}
			for i := run[1] - 1; i >= run[0]; i-- {
				ring = append(ring, plotter.XY{X: c.X[i], Y: c.Low[i]})
			}
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				return fmt.Errorf("plot: band: %w", err)
			}
			poly.Color = translucent(c.Color, BandAlpha)
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
	}
	for _, c := range curves {
		for _, run := range finiteRuns(len(c.X), c.X, c.Mean) {
			pts := make(plotter.XYs, 0, run[1]-run[0])
			for i := run[0]; i < run[1]; i++ {
				pts = append(pts, plotter.XY{X: c.X[i], Y: c.Mean[i]})
			}
			if len(pts) == 1 {
				// A lone day between gaps would vanish as a line.
				sc, err := plotter.NewScatter(pts)
				if err != nil {
					return fmt.Errorf("plot: point: %w", err)
				}
				sc.GlyphStyle = draw.GlyphStyle{Color: c.Color, Radius: 2, Shape: draw.CircleGlyph{}}
				p.Add(noGlyphBoxes{sc})
				continue
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return fmt.Errorf("plot: line: %w", err)
			}
			l.LineStyle = c.lineStyle()
			p.Add(noGlyphBoxes{l})
		}
	}
	return nil
}

// noGlyphBoxes hides a plotter's glyph boxes from gonum's layout. Lines
// report a box at every point, and plot.Align then pads each panel by
// where its data happen to lie, so panels of one grid no longer line up;
// a line's half width of overhang is not worth that.
type noGlyphBoxes struct {
	p interface {
		gplot.Plotter
		gplot.DataRanger
	}
}

func (n noGlyphBoxes) Plot(c draw.Canvas, p *gplot.Plot)           { n.p.Plot(c, p) }
func (n noGlyphBoxes) DataRange() (xmin, xmax, ymin, ymax float64) { return n.p.DataRange() }

// finiteRuns returns the [start, end) index ranges over which every one of
// the slices holds a finite value.
func finiteRuns(n int, xs ...[]float64) [][2]int {
	var runs [][2]int
	start := -1
	for i := 0; i <= n; i++ {
		ok := i < n
		for _, x := range xs {
			if !ok {
				break
			}
			ok = i < len(x) && finite(x[i])
		}
		switch {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			runs = append(runs, [2]int{start, i})
			start = -1
		}
	}
	return runs
}

// LegendEntry is one line of a Figure's legend. An entry with Band set
// shows a band swatch behind its line; one with Heading set is a bold
// caption above the entries that follow.
type LegendEntry struct {
	Label   string
	Color   color.Color
	Dashed  bool
	Band    bool
	Heading bool
	Point   bool // a dot in place of the line: observed data
}

// Figure is a picture made of panels (gonum plots) in a grid, with a
// title above and a legend beside the data, so the legend never covers a
// curve. The legend goes into the first empty (nil) cell of the grid, or
// into a column on the right when every cell holds a panel.
type Figure struct {
	Title  string
	Note   string // a line under the picture: the source, the band's meaning
	Panels [][]*gplot.Plot
	Legend []LegendEntry
	Size   vg.Point
}

// Draw draws the figure onto c.
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	pad := vg.Length(10)
	c = draw.Crop(c, pad, -pad, pad, -pad)
	if f.Title != "" {
		top := vg.Point{X: c.Center().X, Y: c.Max.Y}
		sty := titleStyle
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		c.FillText(sty, top, f.Title)
		c.Max.Y -= sty.Height(f.Title) + 8
	}
	if f.Note != "" {
		// Left-aligned: an SVG viewer without Liberation Sans or a
		// metric twin (Arimo, Arial) draws wider text, which then runs
		// into the empty right, not off the edge.
		sty := noteStyle
		sty.YAlign = draw.YBottom
		sty.Color = color.Gray{Y: 90}
		c.FillText(sty, vg.Point{X: c.Min.X, Y: c.Min.Y}, f.Note)
		c.Min.Y += sty.Height(f.Note) + 6
	}
	rows := len(f.Panels)
	cols := 0
	for _, r := range f.Panels {
		cols = max(cols, len(r))
	}
	if rows == 0 || cols == 0 {
		f.drawLegend(c, c.Max.Y)
		return
	}
	grid := make([][]*gplot.Plot, rows)
	legendRow, legendCol := -1, -1
	for j := range grid {
		grid[j] = make([]*gplot.Plot, cols)
		copy(grid[j], f.Panels[j])
		for i, p := range grid[j] {
			if p == nil && legendRow < 0 {
				legendRow, legendCol = j, i
			}
		}
	}
	area := c
	if legendRow < 0 && len(f.Legend) > 0 {
		w := f.legendWidth() + 16
		area = draw.Crop(c, 0, -w, 0, 0)
	}
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: 18, PadY: 14}
	cells := gplot.Align(grid, tiles, area)
	for j, row := range grid {
		for i, p := range row {
			if p != nil {
				p.Draw(cells[j][i])
			}
		}
	}
	if len(f.Legend) == 0 {
		return
	}
	if legendRow >= 0 {
		cell := cells[legendRow][legendCol]
		cell.Min.X += 16
		f.drawLegend(cell, cell.Max.Y-8)
		return
	}
	first := grid[0][0]
	top := c.Max.Y
	if first != nil {
		top = first.DataCanvas(cells[0][0]).Max.Y
	}
	c.Min.X = c.Max.X - f.legendWidth()
	f.drawLegend(c, top)
}

const (
	thumbWidth = vg.Length(28)
	thumbGap   = vg.Length(6)
)

func (f *Figure) legendWidth() vg.Length {
	var w vg.Length
	for _, e := range f.Legend {
		sty := legendText
		if e.Heading {
			sty = textStyle(sansBold, 11)
			w = max(w, sty.Width(e.Label))
			continue
		}
		w = max(w, thumbWidth+thumbGap+sty.Width(e.Label))
	}
	// Room for fallback fonts up to an eighth wider than Liberation Sans.
	return w * 1.12
}

// drawLegend draws the entries downwards from top, at the left of c.
func (f *Figure) drawLegend(c draw.Canvas, top vg.Length) {
	lh := legendText.Height("Mg") * 1.45
	y := top
	for k, e := range f.Legend {
		if e.Heading {
			if k > 0 {
				y -= lh * 0.4
			}
			sty := textStyle(sansBold, 11)
			sty.YAlign = draw.YTop
			c.FillText(sty, vg.Point{X: c.Min.X, Y: y}, e.Label)
			y -= lh
			continue
		}
		mid := y - lh/2
		x0 := c.Min.X
		if e.Band {
			clr := color.NRGBA{A: 255}
			if rgba, ok := e.Color.(color.RGBA); ok {
				clr = translucent(rgba, BandAlpha)
			}
			h := lh * 0.32
			c.FillPolygon(clr, []vg.Point{{X: x0, Y: mid - h}, {X: x0 + thumbWidth, Y: mid - h}, {X: x0 + thumbWidth, Y: mid + h}, {X: x0, Y: mid + h}})
		}
		if e.Point {
			c.DrawGlyph(draw.GlyphStyle{Color: e.Color, Shape: draw.CircleGlyph{}, Radius: 4}, vg.Point{X: x0 + thumbWidth/2, Y: mid})
		} else if e.Color != nil {
			ls := draw.LineStyle{Color: e.Color, Width: LineWidth}
			if e.Dashed {
				ls.Dashes = dashes
			}
			c.StrokeLine2(ls, x0, mid, x0+thumbWidth, mid)
		}
		sty := legendText
		sty.YAlign = draw.YCenter
		c.FillText(sty, vg.Point{X: x0 + thumbWidth + thumbGap, Y: mid}, e.Label)
		y -= lh
	}
}

// WriteSVG writes the figure as SVG. Text names Liberation Sans and its
// metric twins (Arimo, Arial, Helvetica) instead of embedding the font,
// which would add a megabyte to every file; slides on any common system
// then lay text out as the PNG does. The output is byte-identical for the
// same figure.
func (f *Figure) WriteSVG(w io.Writer) error { return f.writeSVG(w, f.Draw) }

func (f *Figure) writeSVG(w io.Writer, drawFn func(draw.Canvas)) error {
	c := vgsvg.New(f.Size.X, f.Size.Y)
	drawFn(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return fmt.Errorf("plot: writing SVG: %w", err)
	}
	out := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;"))
	_, err := w.Write(out)
	return err
}

// WritePNG writes the figure as PNG at DPI dots per inch.
func (f *Figure) WritePNG(w io.Writer) error {
	c := vgimg.NewWith(vgimg.UseWH(f.Size.X, f.Size.Y), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))
	f.Draw(draw.New(c))
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("plot: writing PNG: %w", err)
	}
	return nil
}

// Save writes the figure as dir/base.png and dir/base.svg, each through a
// temporary file, and returns the two file names.
func Save(dir, base string, f *Figure) ([]string, error) {
	return SaveFormats(dir, base, f, nil)
}

// SaveFormats is Save writing only the formats listed ("png", "svg"; nil:
// both).
func SaveFormats(dir, base string, f *Figure, formats []string) ([]string, error) {
	if f.Size.X <= 0 || f.Size.Y <= 0 {
		return nil, fmt.Errorf("plot: figure %s has no size: %v", base, f.Size)
	}
	var names []string
	for _, format := range []string{"png", "svg"} {
		if formats != nil && !slices.Contains(formats, format) {
			continue
		}
		write := f.WritePNG
		if format == "svg" {
			write = f.WriteSVG
		}
		name := base + "." + format
		if err := output.WriteFile(filepath.Join(dir, name), write); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

// ShareAxes gives every panel the union of their ranges, so small
// multiples compare at a glance. Call it after the data are added.
func ShareAxes(panels ...*gplot.Plot) {
	first := true
	var xmin, xmax, ymin, ymax float64
	for _, p := range panels {
		if p == nil {
			continue
		}
		if first {
			xmin, xmax, ymin, ymax = p.X.Min, p.X.Max, p.Y.Min, p.Y.Max
			first = false
			continue
		}
		xmin, xmax = min(xmin, p.X.Min), max(xmax, p.X.Max)
		ymin, ymax = min(ymin, p.Y.Min), max(ymax, p.Y.Max)
	}
	for _, p := range panels {
		if p != nil {
			p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
		}
	}
}
