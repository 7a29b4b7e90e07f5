package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot/vg"

	"github.com/pushpull/pushpull/sim/calibrate"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/plot"
	"github.com/pushpull/pushpull/sim/scenario"
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

--observed FILE.csv draws a measured curve as dots over the adoption and
adopters figures: the CSV that "pushpull calibrate --data" reads, a time
column, then columns named customers or adopters (customers:BRAND or
adopters:BRAND in a run of several brands), counts of customers, or shares
of the market with --observed-shares; --observed-unit says what a time
step is (day, week or month).

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
	var observed, observedUnit string
	var observedShares bool
	fs.StringVar(&observed, "observed", "", "observed data to draw as dots over the adoption and adopters curves, CSV as calibrate --data reads")
	fs.StringVar(&observedUnit, "observed-unit", "day", "what a time step of --observed is: day, week or month")
	fs.BoolVar(&observedShares, "observed-shares", false, "--observed holds shares of the market (0 to 1), not counts of customers")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	var data *calibrate.Data
	if observed != "" {
		if _, ok := calibrate.Units[observedUnit]; !ok {
			return invalidf("plot: --observed-unit: want %s, got %q", strings.Join(calibrate.UnitNames, ", "), observedUnit)
		}
		f, err := os.Open(observed)
		if err != nil {
			return invalidf("plot: --observed: cannot read the data: %v", err)
		}
		data, err = calibrate.ReadData(observed, f)
		f.Close()
		if err != nil {
			return invalid(err)
		}
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
		if data != nil {
			if opt.Observed, err = observedSeries(data, m.Brands, calibrate.Units[observedUnit], observedShares, s.Customers); err != nil {
				return invalid(err)
			}
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

// observedSeries reads each column of data, customers or adopters of a
// brand ("metric:BRAND" when the run has several), as counts of customers
// on simulated days: a time t in units of perUnit days falls on day
// t*perUnit, and shares are turned into counts of the run's customers.
func observedSeries(d *calibrate.Data, brands []string, perUnit float64, shares bool, customers int) ([]plot.Observed, error) {
	var out []plot.Observed
	var errs scenario.Errors
	for c, name := range d.Columns {
		metric, brandName, hasBrand := strings.Cut(name, ":")
		brand := 0
		switch {
		case !slices.Contains(plot.ObservedMetrics, metric):
			errs = append(errs, &scenario.Error{File: d.File, Line: 1, Key: name, Problem: "not a curve plot can draw",
				Want: "customers or adopters (customers:BRAND, adopters:BRAND with several brands)", Got: strconv.Quote(metric)})
			continue
		case hasBrand:
			brand = slices.Index(brands, brandName)
			if brand < 0 {
				errs = append(errs, &scenario.Error{File: d.File, Line: 1, Key: name, Problem: "names no brand of the run",
					Want: "one of " + strings.Join(brands, ", "), Got: strconv.Quote(brandName)})
				continue
			}
		case len(brands) > 1:
			errs = append(errs, &scenario.Error{File: d.File, Line: 1, Key: name, Problem: "the run has several brands",
				Want: metric + ":BRAND, with BRAND one of " + strings.Join(brands, ", "), Got: strconv.Quote(name)})
			continue
		}
		o := plot.Observed{Brand: brand, Metric: metric}
		for t, x := range d.Times {
			v := d.Values[c][t]
			if shares {
				v *= float64(customers)
			}
			o.Days = append(o.Days, x*perUnit)
			o.Values = append(o.Values, v)
		}
		out = append(out, o)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}
