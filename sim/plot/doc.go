// Package plot draws the pictures of pushpull runs: adoption, advocacy,
// churn, attention and trust over time with 95% confidence bands across
// replicates (RunPlots), comparisons of scenarios (ComparePlots), and the
// social-gravity orbit (OrbitPlots).
//
// Every picture reads engine results through package output (a Series of
// daily metrics, an Orbit of sampled customers), never engine internals.
//
// Colours: a brand keeps the colour of its position in the scenario in
// every picture (Okabe-Ito's colour-blind-safe palette: Palette,
// BrandColor, and PaletteHex and BrandHex for web pages), and customer
// statuses in the orbit have colours and marker shapes of their own
// (StatusHex, StatusMarker), so a status is never mistaken for a brand.
// The live classroom page takes its colours and its OrbitLayout from here.
//
// New kinds of plots (sweeps, say) reuse the house style: NewPanel for a
// panel, AddCurves for mean lines with translucent bands broken at NaN
// gaps, Figure for panels in a grid with a title, a caption and a legend
// kept off the data, ShareAxes for small multiples, and Save to write PNG
// and SVG through output.WriteFile.
//
// Output is deterministic: the same input gives byte-identical SVG, PNG
// and GIF files, so pictures can be golden-tested and committed. Sizes and
// resolution are fixed (DPI, SingleSize, DoubleSize, GridSize, OrbitWidth,
// OrbitHeight), and text uses Liberation Sans, embedded in gonum/plot.
package plot
