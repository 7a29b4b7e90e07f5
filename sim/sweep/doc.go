// Package sweep runs a scenario's [sweep]: every point of its design (a
// grid, a Latin hypercube or a Saltelli design of package design), each with
// the scenario's replicates, on all cores of one machine or split into
// shards for a cluster, and writes one folder of outputs: points.csv (each
// point's factor values), replicates.csv (a point column, then the columns
// of a run's replicates.csv), sweep_summary.csv (per point, brand and
// outcome: mean, Student-t 95% interval and n), sensitivity.csv,
// scenario.toml, manifest.json and the plots of package plot (SweepPlots).
// Check tries every value of every factor before a sweep starts.
//
// # Points and common random numbers
//
// A point is the scenario with each factor's key set to the point's value,
// exactly as --set would set it (presets follow a changed strategy or
// platform). Replicate r of every point draws from the scenario's seed and
// r, and points that change no graph key share the scenario's social graph:
// the points of a sweep meet the same luck (common random numbers), so a
// difference between two points is the factors' doing, not chance. A point
// that changes a graph key (graph.*, customers, seed) gets its own graph,
// built from its own keys and seed.
//
// # One pool of runs
//
// Run puts every (point, replicate) pair of its range into one queue that
// Workers goroutines drain in order, each running one market at a time to
// the end and keeping only its end-of-run outcomes (output.Tracker), never
// its daily series. The scenario of a point and its graph exist while a run
// of that point is under way, plus a few graphs kept for the next points,
// so memory depends on the number of workers, not on the size of the
// sweep. Which worker runs what changes nothing in the results.
//
// # Journal and resume
//
// Each finished run is appended to the journal (sweep.journal in the part
// or sweep folder) as one line: point, replicate, a CRC-32 of the line and
// every outcome of every brand, written the way the CSV files write them,
// so that they read back exactly. Lines are flushed and fsynced in batches
// (every SyncRuns runs or SyncInterval, and when the sweep stops). The
// journal starts with a header naming the scenario file's SHA-256 and the
// sweep's identity (SweepSHA256: a hash of the resolved scenario, its
// [sweep] table included, the brands, the outcome columns and the range of
// points); a journal whose header differs belongs to another sweep and is
// refused, unless Options.Force discards it.
//
// After an interruption (Ctrl-C, a kill, a lost node), running the same
// sweep again reads the journal, drops a last line that was cut short or
// fails its checksum (and anything after it), and runs only what is
// missing. The final files are written from the journal, sorted by point
// and replicate, so they are byte-identical to those of an uninterrupted
// sweep; the journal is removed once they are all written.
//
// # Shards and merge
//
// With Options.Shard, Run takes only the points design.Shard gives that
// shard, a contiguous range of point indices, and writes its rows (the
// journal's lines sorted, part.runs) and a part.json (the sweep's Meta and
// the range) to PartDir(Dir, shard) instead of the final files; a shard
// whose part is finished returns at once. An unsharded sweep goes through
// the same path as one part covering every point, which is why its files
// and merged ones are the same bytes. Merge checks
// that a set of parts belongs to one sweep and covers every point exactly
// once, naming the points missing or found twice, and writes the final
// files from the parts' rows: byte for byte what one machine running the
// whole sweep writes, manifest.json aside (it records times, hosts and
// shards). WriteSlurm and WriteKubernetes write the job scripts that run the
// shards as a Slurm job array or a Kubernetes Indexed Job, and the merge
// after them.
//
// # Sensitivity
//
// sensitivity.csv ranks the factors by their influence on each outcome of
// each brand, from the points' means over replicates. A sobol design gets
// Sobol indices (first-order and total, with bootstrap intervals; package
// sensitivity); any other design gets standardized regression coefficients
// (SRC) with their R^2, which rank factors correctly only for nearly linear,
// additive effects: the R^2 column says how far to trust them (below 0.7,
// not much). Categorical factors enter a regression as their list
// positions, which carries a warning; log-spaced factors enter as log10 of
// their values. Warnings name every such caveat. Indices are rounded to 6
// significant digits, far below their intervals, so that the file does not
// change with a machine's floating-point rounding. The plots show the
// outcome "adoption" (PlotOutcome) unless Options.PlotOutcome or
// MergeOptions.PlotOutcome names another.
//
// # Memory
//
// The simulation keeps per worker one market and at most a few graphs. The
// final step streams the journal (or the parts) point by point, but keeps
// one number per point, brand and outcome (the point means, 8 bytes each:
// 648 bytes a point for three brands) and each point's factor values for
// the sensitivity analysis and the plots, and 8 bytes per run to find each
// run's journal line. Plots of one or two factors also keep each point's
// adoption interval per brand.
package sweep
