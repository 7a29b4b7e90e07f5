package plot

import (
	"fmt"
	"image/color"

	"github.com/pushpull/pushpull/sim"
)

// PaletteHex holds the brand colours in brand order, as "#rrggbb": the
// Okabe-Ito palette (Okabe and Ito 2008), which readers with any common
// form of colour blindness tell apart. Yellow comes last because it is
// the hardest to see on white slides; black is left out because text and
// axes are black. Brand i takes colour i mod len(PaletteHex), here and on
// the live classroom page alike.
var PaletteHex = []string{
	"#0072B2", // blue
	"#E69F00", // orange
	"#009E73", // bluish green
	"#CC79A7", // reddish purple
	"#D55E00", // vermillion
	"#56B4E9", // sky blue
	"#F0E442", // yellow
}

// Palette is PaletteHex as colours.
var Palette = func() []color.RGBA {
	p := make([]color.RGBA, len(PaletteHex))
	for i, h := range PaletteHex {
		p[i] = mustHex(h)
	}
	return p
}()

// BrandColor returns the colour of the brand at position i of a scenario.
func BrandColor(i int) color.RGBA { return Palette[wrap(i, len(Palette))] }

// BrandHex returns BrandColor(i) as "#rrggbb".
func BrandHex(i int) string { return PaletteHex[wrap(i, len(PaletteHex))] }

// BrandTextHex returns the colour, black or white, of text written on
// brand i's colour, as "#rrggbb".
func BrandTextHex(i int) string {
	if textOn(BrandColor(i)) == color.Black {
		return "#000000"
	}
	return "#FFFFFF"
}

// StatusHex holds the colours of customer statuses in the orbit, indexed
// by sim.Status. They are darker or greyer than every brand colour, and
// each status also has its own marker shape (see StatusMarker), so status
// and brand never read the same, even in grey-scale print.
var StatusHex = [...]string{
	sim.StatusNone:      "#8C8C8C", // grey: engaged with a brand, never bought
	sim.StatusCustomer:  "#1F1F1F", // near black
	sim.StatusAdvocate:  "#117733", // Paul Tol's dark green
	sim.StatusDetractor: "#882255", // Paul Tol's wine
	sim.StatusChurned:   "#A8A8A8", // light grey, hollow marker
}

// DeepSpaceHex is the colour of sampled customers who orbit no brand.
const DeepSpaceHex = "#C8C8C8"

// DeepSpaceRingHex is the background of the orbit's outer ring, where
// customers orbiting no brand drift: faint, so the eye reads it as a
// place, not as data.
const DeepSpaceRingHex = "#F4F4F4"

// WellTint is how far a gravity well's colour is mixed with white in the
// orbit: a faint disc that says "this brand's pull reaches here".
const WellTint = 0.88

// StatusMarker names the marker shape of each status, for pages that draw
// the orbit themselves: a status is told by shape as well as colour.
var StatusMarker = [...]string{
	sim.StatusNone:      "dot",
	sim.StatusCustomer:  "disc",
	sim.StatusAdvocate:  "triangle",
	sim.StatusDetractor: "cross",
	sim.StatusChurned:   "ring",
}

// StatusColor returns the colour of a customer status in the orbit.
func StatusColor(s sim.Status) color.RGBA {
	if int(s) >= len(StatusHex) {
		return mustHex(DeepSpaceHex)
	}
	return mustHex(StatusHex[s])
}

func wrap(i, n int) int {
	i %= n
	if i < 0 {
		i += n
	}
	return i
}

func mustHex(h string) color.RGBA {
	var r, g, b uint8
	if _, err := fmt.Sscanf(h, "#%02x%02x%02x", &r, &g, &b); err != nil {
		panic(fmt.Sprintf("plot: bad colour constant %q", h))
	}
	return color.RGBA{r, g, b, 255}
}

// tint mixes c with white; alpha-free tints keep PNG, SVG and GIF alike.
func tint(c color.RGBA, f float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v) + (255-float64(v))*f + 0.5) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 255}
}

// translucent returns c at the opacity of a confidence band.
func translucent(c color.RGBA, alpha float64) color.NRGBA {
	return color.NRGBA{c.R, c.G, c.B, uint8(alpha*255 + 0.5)}
}
