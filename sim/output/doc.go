// Package output writes and reads the files of a pushpull run: daily.csv
// (every metric of every day), replicates.csv (each replicate's outcomes),
// summary.csv (outcomes across replicates), orbit.csv (the sampled orbit of
// replicate 0), scenario.toml (the scenario as run), manifest.json
// (what was run, to reproduce and cite it), provenance.json (how and when it
// ran) and compare.csv (a comparison of scenarios), and computes the
// statistics across replicates that they report.
//
// Columns come from the engine's record: every csv-tagged field of
// sim.DayMetrics is a column of daily.csv, so a metric added to the engine
// appears in every output without further code. Numbers are written in the
// shortest form that reads back exactly, so that the same run gives
// byte-identical files on every platform.
//
// Every file is written to a temporary name in its final folder and renamed
// when complete, so an interrupted run never leaves a half-written file, and a
// folder that already holds a run is only written over when the caller asks.
//
// Confidence intervals are Student-t intervals (gonum's distuv.StudentsT) with
// n-1 degrees of freedom, never a normal approximation: runs often have few
// replicates, where the normal interval is too narrow. Differences between
// scenarios run with common random numbers (the same seed and replicate
// numbers) are paired replicate by replicate.
package output
