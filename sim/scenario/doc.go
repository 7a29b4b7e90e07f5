// Package scenario reads pushpull scenario files: TOML files that hold
// every model parameter, the population, the social graph, how long and
// how often to run, what to write, and optionally a sweep.
//
// # Resolution
//
// A scenario is resolved the way litestream resolves its configuration:
// defaults, then decoding, then validation. The defaults are
// sim.DefaultParams, the graph defaults of the kind the file names, and
// the run defaults (365 days, 10 replicates, seed 1). A brand starts from
// the preset of its strategy (sim.StrategyPreset) and a pull platform the
// file names fills the platform's effects (sim.PlatformPreset); any key the
// file gives overrides the preset. Set applies --set assignments to the
// same document and resolves it again, so that presets follow a changed
// strategy or platform exactly as if the file had said so.
//
// # Errors
//
// Decoding is strict and reports every problem of a file at once, each as
// an Error located where the user can fix it:
//
//	market.toml:12: brand.Acme.push.rate: out of range (want a number from 0 to 100, got -1)
//	market.toml:3: dayz: unknown key (did you mean "days"?)
//
// BurntSushi/toml gives the line of syntax errors only, so a small scanner
// (locateKeys) finds the line of every key, whichever way the file writes
// it: [brand.push] sub-tables, dotted keys, inline tables, arrays of tables.
// Errors of the library itself, not of a file's content, start with
// "scenario:".
//
// # Documentation
//
// Every key is documented once, in code: sim.ParamDocs for the model,
// graph.SpecDocs for the graph, and this package's tables for the run
// keys, [output] and [sweep]. Docs lists them all in file order;
// WriteReference renders them for `pushpull help scenario` and README.md,
// and Template writes a scenario file with every key and its comment.
package scenario
