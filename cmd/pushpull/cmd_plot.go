package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

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
daily.csv and orbit.csv: adoption, advocacy, churn, attention and trust (PNG
and SVG, each brand's mean over replicates with its 95% confidence band), the
overview tiling them, and the social-gravity orbit (an animated GIF and
snapshots of its first, middle and last days). Use it after a run made with
--plots=false, or after upgrading pushpull, to get the current pictures.

Plot files in the folder are replaced and listed in its manifest.json; the run's
data files are only read.`,
		run: runPlot,
	}
}

func runPlot(e *env, args []string) error {
	c := lookup("plot")
	fs := e.flags(c)
	var quiet bool
	fs.BoolVarP(&quiet, "quiet", "q", false, "print nothing")
	if err := e.parse(c, fs, args); err != nil {
		return err
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
		names, err := plot.RunPlots(dir, m.Scenario, s, orbit)
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
