// Package reference is the pushpull model written the plain way, as its
// specification: one short function per submodel of the README's ODD
// description, in the order a day runs them, over customers held as
// structs and one random stream, with every chance drawn as the daily
// Bernoulli or Poisson draw the description names. It has none of the
// engine's devices for speed: no chunks, no countdowns or thinning, no
// tables of powers or impression counts, no letters, no concurrency.
//
// It exists to be docked against the engine (package sim): the two are
// the same stochastic model, not the same random stream, so the docking
// test in package sim compares the distributions of their outcomes over
// replicates (Rand & Rust 2011). It is used only by tests, and it is slow:
// 4 to 13 times the engine's time per customer and day at the docking's
// size (BenchmarkDockingReplicate in package sim).
//
// Where the engine approximates a rule of the description, the reference
// follows the description: a partner message weighs its own partner's
// credibility, where the engine gives every partner message of a brand
// the mean credibility of its partners weighted by their reach.
package reference
