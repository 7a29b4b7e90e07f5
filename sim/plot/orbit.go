package plot

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	"image/gif"
	"image/png"
	"io"
	"math"
	"path/filepath"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/output"
)

// The orbit picture is laid out on a 1280 by 720 grid (16:9, a projector's
// shape): the gravity diagram in the left square, day, counts and legend
// in the panel on the right. The GIF is drawn at that size; snapshots are
// drawn at SnapshotScale times it, for slides.
const (
	OrbitWidth    = 1280
	OrbitHeight   = 720
	SnapshotScale = 1.5
)

// Orbit file names.
const OrbitGIF = "orbit.gif"

// OrbitSnapshotName is the base name of the snapshot of a day, written
// as .png and .svg.
func OrbitSnapshotName(day int) string { return fmt.Sprintf("orbit_day%03d", day) }

// maxGIFFrames bounds the animation, and so its size: longer runs show
// every k-th recorded frame (always the last).
const maxGIFFrames = 90

// OrbitPlots writes the animated orbit and snapshots (PNG and SVG) of its
// first, middle and last frames into dir, and returns the file names.
func OrbitPlots(dir, scenarioName string, o *output.Orbit) ([]string, error) {
	if o == nil || len(o.Frames) == 0 {
		return nil, errors.New("plot: the orbit has no frames")
	}
	names := []string{OrbitGIF}
	if err := output.WriteFile(filepath.Join(dir, OrbitGIF), func(w io.Writer) error {
		return WriteOrbitGIF(w, scenarioName, o)
	}); err != nil {
		return nil, err
	}
	seen := map[int]bool{}
	for _, i := range []int{0, len(o.Frames) / 2, len(o.Frames) - 1} {
		day := o.Frames[i].Day
		if seen[day] {
			continue
		}
		seen[day] = true
		base := OrbitSnapshotName(day)
		for _, f := range []struct {
			ext   string
			write func(io.Writer, string, *output.Orbit, int) error
		}{{".png", WriteOrbitPNG}, {".svg", WriteOrbitSVG}} {
			if err := output.WriteFile(filepath.Join(dir, base+f.ext), func(w io.Writer) error {
				return f.write(w, scenarioName, o, day)
			}); err != nil {
				return names, err
			}
			names = append(names, base+f.ext)
		}
	}
	return names, nil
}

// nearestFrame returns the index of the recorded frame nearest to day.
func nearestFrame(o *output.Orbit, day int) (int, error) {
	if o == nil || len(o.Frames) == 0 {
		return 0, errors.New("plot: the orbit has no frames")
	}
	best := 0
	for i, f := range o.Frames {
		if abs(f.Day-day) < abs(o.Frames[best].Day-day) {
			best = i
		}
	}
	return best, nil
}

// WriteOrbitSVG writes the orbit on the recorded day nearest to day as an
// SVG of 1280 by 720 points, for decks that scale pictures.
func WriteOrbitSVG(w io.Writer, scenarioName string, o *output.Orbit, day int) error {
	fi, err := nearestFrame(o, day)
	if err != nil {
		return err
	}
	f := &Figure{Size: vg.Point{X: OrbitWidth, Y: OrbitHeight}}
	return f.writeSVG(w, func(c draw.Canvas) { drawOrbit(c, scenarioName, o, fi) })
}

// WriteOrbitPNG writes the orbit on the recorded day nearest to day as a
// PNG of SnapshotScale times 1280 by 720 pixels.
func WriteOrbitPNG(w io.Writer, scenarioName string, o *output.Orbit, day int) error {
	fi, err := nearestFrame(o, day)
	if err != nil {
		return err
	}
	img := renderOrbit(scenarioName, o, fi, SnapshotScale)
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("plot: writing the orbit PNG: %w", err)
	}
	return nil
}

// WriteOrbitGIF writes the orbit's frames as a looping GIF of 1280 by 720
// pixels. Colours are mapped to a fixed palette, and each frame stores
// only the rectangle that changed, with unchanged pixels transparent, so
// the file is deterministic and a few megabytes at most.
func WriteOrbitGIF(w io.Writer, scenarioName string, o *output.Orbit) error {
	if o == nil || len(o.Frames) == 0 {
		return errors.New("plot: the orbit has no frames")
	}
	frames := gifFrames(len(o.Frames))
	pal := orbitPalette(len(o.Brands))
	q := newQuantizer(pal)
	g := &gif.GIF{Config: image.Config{ColorModel: pal, Width: OrbitWidth, Height: OrbitHeight}}
	// About 12 seconds for the whole run, between 8 and 50 hundredths of a
	// second a frame, and a pause on the last frame to read the outcome.
	delay := max(8, min(50, 1200/len(frames)))
	var prev *image.Paletted
	for k, i := range frames {
		full := q.convert(renderOrbit(scenarioName, o, i, 1))
		frame := full
		if prev != nil {
			frame = changed(prev, full, q.transparent)
		}
		prev = full
		d := delay
		if k == len(frames)-1 {
			d = 300
		}
		g.Image = append(g.Image, frame)
		g.Delay = append(g.Delay, d)
		g.Disposal = append(g.Disposal, gif.DisposalNone)
	}
	if err := gif.EncodeAll(w, g); err != nil {
		return fmt.Errorf("plot: writing the orbit GIF: %w", err)
	}
	return nil
}

// gifFrames picks at most maxGIFFrames frames evenly, first and last
// included.
func gifFrames(n int) []int {
	if n <= maxGIFFrames {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	idx := make([]int, maxGIFFrames)
	for k := range idx {
		idx[k] = int(math.Round(float64(k) * float64(n-1) / float64(maxGIFFrames-1)))
	}
	return idx
}

// changed returns the part of cur that differs from prev, with the pixels
// that did not change set to transparent.
func changed(prev, cur *image.Paletted, transparent uint8) *image.Paletted {
	b := cur.Bounds()
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X-1, b.Min.Y-1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := y * cur.Stride
		for x := b.Min.X; x < b.Max.X; x++ {
			if cur.Pix[row+x] != prev.Pix[row+x] {
				minX, maxX = min(minX, x), max(maxX, x)
				minY, maxY = min(minY, y), max(maxY, y)
			}
		}
	}
	if maxX < minX {
		// Nothing moved: one transparent pixel keeps the frame's delay.
		minX, minY, maxX, maxY = 0, 0, 0, 0
	}
	r := image.Rect(minX, minY, maxX+1, maxY+1)
	out := image.NewPaletted(r, cur.Palette)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := y*cur.Stride + x
			c := cur.Pix[i]
			if c == prev.Pix[i] {
				c = transparent
			}
			out.Pix[out.PixOffset(x, y)] = c
		}
	}
	return out
}

// orbitPalette is the fixed GIF palette: greys, each brand's colour and
// tints, the status colours, a coarse colour cube for anti-aliased edges
// and, last, the transparent colour of unchanged pixels.
func orbitPalette(brands int) color.Palette {
	var p color.Palette
	seen := map[color.RGBA]bool{}
	add := func(c color.RGBA) {
		if !seen[c] && len(p) < 255 {
			seen[c] = true
			p = append(p, c)
		}
	}
	// Greys every 8 levels: text edges and the faint deep-space ring are
	// grey, and a grey mapped to a tinted entry turns visibly green or blue.
	for i := range 33 {
		v := uint8(min(255, i*8))
		add(color.RGBA{v, v, v, 255})
	}
	add(color.RGBA{255, 255, 255, 255})
	add(deepSpaceRing)
	for b := range min(brands, len(Palette)) {
		c := BrandColor(b)
		for _, f := range []float64{0, 0.2, 0.4, 0.6, 0.8, WellTint, 0.93} {
			add(tint(c, f))
		}
	}
	for s := range StatusHex {
		add(StatusColor(sim.Status(s)))
		add(tint(StatusColor(sim.Status(s)), 0.5))
	}
	add(mustHex(DeepSpaceHex))
	for r := range 5 {
		for g := range 5 {
			for b := range 5 {
				add(color.RGBA{uint8(r * 255 / 4), uint8(g * 255 / 4), uint8(b * 255 / 4), 255})
			}
		}
	}
	return append(p, color.RGBA{})
}

// quantizer maps colours to the nearest palette entry, remembering each
// answer: a frame has few distinct colours and many pixels.
type quantizer struct {
	pal         color.Palette
	cache       map[uint32]uint8
	transparent uint8
}

func newQuantizer(pal color.Palette) *quantizer {
	return &quantizer{pal: pal, cache: make(map[uint32]uint8), transparent: uint8(len(pal) - 1)}
}

func (q *quantizer) convert(img *image.RGBA) *image.Paletted {
	b := img.Bounds()
	out := image.NewPaletted(b, q.pal)
	opaque := q.pal[:len(q.pal)-1]
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			i := img.PixOffset(x, y)
			px := img.Pix[i : i+4 : i+4]
			key := uint32(px[0])<<16 | uint32(px[1])<<8 | uint32(px[2])
			idx, ok := q.cache[key]
			if !ok {
				idx = uint8(opaque.Index(color.RGBA{px[0], px[1], px[2], 255}))
				q.cache[key] = idx
			}
			out.Pix[out.PixOffset(x, y)] = idx
		}
	}
	return out
}

var deepSpaceRing = mustHex(DeepSpaceRingHex)

// renderOrbit draws frame fi of o at scale times 1280 by 720 pixels.
func renderOrbit(scenarioName string, o *output.Orbit, fi int, scale float64) *image.RGBA {
	// At 72 DPI one vg point is one pixel of the 1280 by 720 grid;
	// scaling the DPI scales everything, text included.
	c := vgimg.NewWith(vgimg.UseWH(OrbitWidth, OrbitHeight), vgimg.UseDPI(int(72*scale+0.5)), vgimg.UseBackgroundColor(color.White))
	drawOrbit(draw.New(c), scenarioName, o, fi)
	if img, ok := c.Image().(*image.RGBA); ok {
		return img
	}
	img := image.NewRGBA(c.Image().Bounds())
	stddraw.Draw(img, img.Bounds(), c.Image(), image.Point{}, stddraw.Src)
	return img
}

// drawOrbit draws frame fi of o onto a canvas of 1280 by 720 points.
func drawOrbit(c draw.Canvas, scenarioName string, o *output.Orbit, fi int) {
	od := orbitDrawer{c: c, o: o, frame: &o.Frames[fi], layout: NewOrbitLayout(len(o.Brands)), name: scenarioName}
	od.draw()
}

type orbitDrawer struct {
	c      draw.Canvas
	o      *output.Orbit
	frame  *output.OrbitFrame
	layout OrbitLayout
	name   string
}

// The diagram's square and the panel's left edge, in grid units (y up).
const (
	diagramCentre = OrbitHeight / 2
	diagramRadius = OrbitHeight/2 - 12
	panelLeft     = OrbitHeight + 24
)

func (od *orbitDrawer) at(x, y float64) vg.Point {
	return vg.Point{X: vg.Length(diagramCentre + diagramRadius*x), Y: vg.Length(diagramCentre + diagramRadius*y)}
}

func (od *orbitDrawer) draw() {
	od.c.SetColor(color.White)
	od.c.Fill(od.c.Rectangle.Path())
	od.drawSpace()
	od.drawCustomers()
	od.drawPlanets()
	od.drawPanel()
}

func (od *orbitDrawer) drawSpace() {
	l := od.layout
	// The deep-space ring, faint, so the eye reads it as a place.
	od.fillCircle(od.at(0, 0), diagramRadius, deepSpaceRing)
	od.fillCircle(od.at(0, 0), vg.Length(diagramRadius*l.DeepSpace), color.White)
	for b, p := range l.Planets {
		od.fillCircle(od.at(p.X, p.Y), vg.Length(diagramRadius*l.Well), tint(BrandColor(b), WellTint))
	}
}

// drawOrder stacks statuses so the rarer, telling ones stay visible:
// advocates and detractors on top.
var drawOrder = []int{-1, int(sim.StatusNone), int(sim.StatusChurned), int(sim.StatusCustomer), int(sim.StatusDetractor), int(sim.StatusAdvocate)}

func (od *orbitDrawer) drawCustomers() {
	for _, want := range drawOrder {
		for _, p := range od.frame.Points {
			if kind(p, len(od.o.Brands)) != want {
				continue
			}
			x, y := od.layout.Place(p)
			od.marker(want, od.at(x, y), 1)
		}
	}
}

// kind is a point's marker: -1 for deep space, else its status.
func kind(p output.OrbitPoint, brands int) int {
	if p.Brand < 0 || int(p.Brand) >= brands || int(p.Status) >= len(StatusHex) {
		return -1
	}
	return int(p.Status)
}

// marker draws the glyph of a status (or -1, deep space) at pt; k scales it.
func (od *orbitDrawer) marker(k int, pt vg.Point, size vg.Length) {
	c := &od.c
	switch k {
	case -1:
		od.fillCircle(pt, 2*size, mustHex(DeepSpaceHex))
	case int(sim.StatusNone):
		od.fillCircle(pt, 2.2*size, StatusColor(sim.StatusNone))
	case int(sim.StatusCustomer):
		od.fillCircle(pt, 3.2*size, StatusColor(sim.StatusCustomer))
	case int(sim.StatusAdvocate):
		r := 5 * size
		var path vg.Path
		path.Move(vg.Point{X: pt.X, Y: pt.Y + r})
		path.Line(vg.Point{X: pt.X - r*0.87, Y: pt.Y - r*0.5})
		path.Line(vg.Point{X: pt.X + r*0.87, Y: pt.Y - r*0.5})
		path.Close()
		c.SetColor(StatusColor(sim.StatusAdvocate))
		c.Fill(path)
	case int(sim.StatusDetractor):
		r := 3.6 * size
		ls := draw.LineStyle{Color: StatusColor(sim.StatusDetractor), Width: 1.8 * size}
		c.StrokeLine2(ls, pt.X-r, pt.Y-r, pt.X+r, pt.Y+r)
		c.StrokeLine2(ls, pt.X-r, pt.Y+r, pt.X+r, pt.Y-r)
	case int(sim.StatusChurned):
		var path vg.Path
		path.Move(vg.Point{X: pt.X + 3.2*size, Y: pt.Y})
		path.Arc(pt, 3.2*size, 0, 2*math.Pi)
		path.Close()
		c.SetLineStyle(draw.LineStyle{Color: StatusColor(sim.StatusChurned), Width: 1.3 * size})
		c.Stroke(path)
	}
}

func (od *orbitDrawer) fillCircle(pt vg.Point, r vg.Length, clr color.Color) {
	var path vg.Path
	path.Move(vg.Point{X: pt.X + r, Y: pt.Y})
	path.Arc(pt, r, 0, 2*math.Pi)
	path.Close()
	od.c.SetColor(clr)
	od.c.Fill(path)
}

// minPlanetText is the smallest label size, in pixels of the 1280 by 720
// grid, that still reads on a projector; a name that would need less goes
// under its planet instead.
const minPlanetText = 12

func (od *orbitDrawer) drawPlanets() {
	l := od.layout
	core := vg.Length(diagramRadius * l.Core)
	// Names go inside the planets when all fit there, else all under
	// them: one place for every name reads as a rule, not as an accident.
	// Three quarters of the disc leaves room for wider fallback fonts.
	inside := true
	for b := range l.Planets {
		name := fitText(od.o.Brands[b], float64(core)*1.5, 15)
		inside = inside && name.size >= minPlanetText && name.text == od.o.Brands[b]
	}
	for b, p := range l.Planets {
		pt := od.at(p.X, p.Y)
		od.fillCircle(pt, core+2, color.White)
		od.fillCircle(pt, core, BrandColor(b))
		if inside {
			name := fitText(od.o.Brands[b], float64(core)*1.5, 15)
			sty := orbitText(sansBold, vg.Length(name.size), textOn(BrandColor(b)))
			sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
			od.c.FillText(sty, pt, name.text)
			continue
		}
		// Under the planet, on a white card so orbiting points do not
		// hide it.
		name := fitText(od.o.Brands[b], float64(diagramRadius*l.Well)*1.6, 15)
		sty := orbitText(sansBold, vg.Length(name.size), color.Black)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		top := pt.Y - core - 4
		w, h := sty.Width(name.text)*1.12, sty.Height(name.text)
		od.c.FillPolygon(color.White, rect(pt.X-w/2-4, top-h-3, pt.X+w/2+4, top+1))
		od.c.FillText(sty, vg.Point{X: pt.X, Y: top}, name.text)
	}
}

// fitted is a label shortened and shrunk to fit a width.
type fitted struct {
	text string
	size float64
}

// fitText shrinks a label down to 9 pixels, then cuts it with an ellipsis,
// so a long brand name stays inside its planet.
func fitText(s string, width, size float64) fitted {
	for sz := size; sz >= 9; sz-- {
		if float64(orbitText(sansBold, vg.Length(sz), color.Black).Width(s)) <= width {
			return fitted{s, sz}
		}
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		t := string(r[:n]) + "…"
		if float64(orbitText(sansBold, 9, color.Black).Width(t)) <= width {
			return fitted{t, 9}
		}
	}
	return fitted{"", 9}
}

// textOn picks black or white text, whichever reads better on c.
func textOn(c color.RGBA) color.Color {
	lum := 0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)
	if lum > 140 {
		return color.Black
	}
	return color.White
}

func orbitText(f font.Font, size vg.Length, clr color.Color) text.Style {
	s := textStyle(f, size)
	s.Color = clr
	return s
}

func (od *orbitDrawer) drawPanel() {
	c := &od.c
	x := vg.Length(panelLeft)
	right := vg.Length(OrbitWidth - 40)
	y := vg.Length(OrbitHeight - 30)
	put := func(sty text.Style, s string, at vg.Length) {
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: at, Y: y}, s)
	}
	title := fitText(od.name, float64(right-x), 28)
	put(orbitText(sansBold, vg.Length(title.size), color.Black), title.text, x)
	y -= 38
	put(orbitText(sans, 18, color.Gray{Y: 90}), "social gravity: customers in orbit of brands", x)
	y -= 44
	put(orbitText(sansBold, 40, color.Black), fmt.Sprintf("day %d", od.frame.Day), x)
	days := od.o.Days
	if n := len(od.o.Frames); n > 0 {
		days = max(days, od.o.Frames[n-1].Day)
	}
	if days > 0 {
		sty := orbitText(sans, 18, color.Gray{Y: 90})
		sty.XAlign = draw.XRight
		put(sty, fmt.Sprintf("of %d", days), right)
	}
	y -= 54
	// Progress through the run.
	c.FillPolygon(color.Gray{Y: 225}, rect(x, y, right, y+6))
	if days > 0 {
		f := vg.Length(min(1, float64(od.frame.Day)/float64(days)))
		c.FillPolygon(color.Gray{Y: 80}, rect(x, y, x+(right-x)*f, y+6))
	}
	y -= 26

	counts := make([]int, len(od.o.Brands))
	for _, p := range od.frame.Points {
		if p.Brand >= 0 && int(p.Brand) < len(counts) && p.Status.Current() {
			counts[p.Brand]++
		}
	}
	total := len(od.frame.Points)
	rowH := vg.Length(min(40, 250/max(1, len(od.o.Brands))))
	put(orbitText(sansBold, 16, color.Black), "customers now", x)
	sty := orbitText(sans, 14, color.Gray{Y: 90})
	sty.XAlign = draw.XRight
	put(sty, fmt.Sprintf("of %s sampled", count(total)), right)
	y -= 26
	for b, name := range od.o.Brands {
		share := 0.0
		if total > 0 {
			share = float64(counts[b]) / float64(total)
		}
		size := vg.Length(min(20, float64(rowH)*0.5))
		od.fillCircle(vg.Point{X: x + 8, Y: y - size*0.55}, 8, BrandColor(b))
		label := fitText(name, float64(right-x)*0.55, float64(size))
		put(orbitText(sans, vg.Length(label.size), color.Black), label.text, x+24)
		num := orbitText(sansBold, size, color.Black)
		num.XAlign = draw.XRight
		put(num, fmt.Sprintf("%s  (%.0f%%)", count(counts[b]), 100*share), right)
		barY := y - size*1.25
		c.FillPolygon(color.Gray{Y: 235}, rect(x+24, barY-4, right, barY))
		c.FillPolygon(BrandColor(b), rect(x+24, barY-4, x+24+(right-x-24)*vg.Length(share), barY))
		y -= rowH
	}
	y -= 10
	put(orbitText(sansBold, 16, color.Black), "each point is a customer; closer orbit = more engaged", x)
	y -= 28
	for _, e := range []struct {
		kind  int
		label string
	}{
		{int(sim.StatusAdvocate), "advocate: uses the brand and speaks for it"},
		{int(sim.StatusCustomer), "customer: uses the brand"},
		{int(sim.StatusDetractor), "detractor: uses it and speaks against it"},
		{int(sim.StatusChurned), "churned: used it and left"},
		{int(sim.StatusNone), "drawn in, has not bought yet"},
		{-1, "deep space: orbits no brand"},
	} {
		od.marker(e.kind, vg.Point{X: x + 8, Y: y - 9}, 1.3)
		put(orbitText(sans, 15, color.Black), e.label, x+24)
		y -= 24
	}
}

func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
