package main

import (
	"errors"
	"io/fs"
	"path/filepath"

	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/plot"
)

// writeRunPlots draws the plots of a run next to its outputs. The orbit
// is the one the run recorded; a run without one (orbit_sample = 0) gets
// every plot but the orbit's.
func writeRunPlots(dir string, res *runResult) ([]string, error) {
	return plot.RunPlots(dir, res.sc.Name, res.series, res.orbit)
}

// writeComparePlots draws the comparison plots of runs into dir.
func writeComparePlots(dir string, runs []compared) ([]string, error) {
	names := make([]string, len(runs))
	series := make([]*output.Series, len(runs))
	for i, r := range runs {
		names[i], series[i] = r.name, r.series
	}
	return plot.ComparePlots(dir, names, series)
}

// readOrbit reads the orbit of a run folder for `pushpull plot`; a folder
// without one (a run that recorded no orbit) gives nil, and the orbit
// pictures are skipped.
func readOrbit(dir string, brands []string) (*output.Orbit, error) {
	o, err := output.ReadOrbit(filepath.Join(dir, output.OrbitFile), brands)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return o, err
}
