package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/plot"
	"github.com/pushpull/pushpull/sim/sweep"
)

func plotCommand() *command {
	return &command{
		name:    "plot",
		args:    "[flags] RUN_DIR ...",
		summary: "redraw the plots of earlier runs without rerunning them",
		long: `Redraws the plots of run folders written by "pushpull run" from their
daily.csv and orbit.csv: adoption, cumulative adopters, advocacy, churn, attention and trust (PNG
and SVG, each brand's mean over replicates with its 95% confidence band), the
overview tiling them, and the social-gravity orbit (an animated GIF and
snapshots of its first, middle and last days). Use it after a run made with
--plots=false, or after upgrading pushpull, to get the current pictures.

For a paper: --title names the figures in place of the scenario, --size WxH
sets every figure's size in inches (8x5 is the default of one panel), --format
png or svg writes only that format, and --only picks figures (adoption, adopters,
advocacy, churn, attention, trust, overview, orbit).

Plot files in the folder are replaced and listed in its manifest.json; the run's
data files are only read.`,
		run: runPlot,
	}
}

func runPlot(e *env, args []string) error {
	c := lookup("plot")
	fs := e.flags(c)
	var quiet bool
	var opt plot.Options
	var size string
	fs.BoolVarP(&quiet, "quiet", "q", false, "print nothing")
	fs.StringVar(&opt.Title, "title", "", "title of the figures in place of the scenario's name")
	fs.StringVar(&size, "size", "", "every figure's size in inches, as WxH (8x5); default: each figure's own")
	fs.StringSliceVar(&opt.Formats, "format", nil, "files to write of each figure: png, svg or both (default both)")
	fs.StringSliceVar(&opt.Only, "only", nil, "figures to draw: adoption, adopters, advocacy, churn, attention, trust, overview, orbit (default all)")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if size != "" {
		w, h, ok := strings.Cut(size, "x")
		wi, errW := strconv.ParseFloat(w, 64)
		hi, errH := strconv.ParseFloat(h, 64)
		if !ok || errW != nil || errH != nil || !(wi >= 1 && wi <= 40 && hi >= 1 && hi <= 40) {
			return invalidf("plot: --size: want width x height in inches from 1 to 40, as 8x5, got %q", size)
		}
		opt.Size = vg.Point{X: vg.Length(wi) * vg.Inch, Y: vg.Length(hi) * vg.Inch}
	}
	if err := opt.Check(); err != nil {
		return invalid(err)
	}
	if fs.NArg() == 0 {
		return invalidf("plot: name at least one run folder (see `pushpull plot --help`)")
	}
	for _, dir := range fs.Args() {
		if _, err := os.Stat(filepath.Join(dir, sweep.PointsFile)); err == nil {
			return invalidf("plot: %s is a sweep's folder, not a run's: `pushpull sweep` draws its plots (sweep_lines, sweep_heatmap, sweep_tornado)", dir)
		}
		m, s, _, err := output.ReadRunDir(dir)
		if err != nil {
			return invalid(err)
		}
		orbit, err := readOrbit(dir, m.Brands)
		if err != nil {
			return invalid(err)
		}
		names, err := plot.RunPlotsWith(dir, m.Scenario, s, orbit, opt)
		if err != nil {
			return err
		}
		// The manifest lists every file of the run, the new plots too.
		for _, name := range names {
			if !slices.Contains(m.Files, name) {
				m.Files = append(m.Files, name)
			}
		}
		if err := output.WriteManifestFile(dir, m); err != nil {
			return err
		}
		if !quiet {
			if _, err := fmt.Fprintf(e.stdout, "wrote %d plot files in %s\n", len(names), dir); err != nil {
				return err
			}
		}
	}
	return nil
}
