// Package optimize finds the best point of a noisy black box: a function
// whose every evaluation is a simulation with its own luck, such as a
// brand's adoption at the end of a simulated year as a function of its
// levers.
//
// # The space
//
// A Space has continuous ranges (a value between a minimum and a maximum),
// groups of shares (non-negative, summing to one: a budget split over
// levers) and categorical choices (one of a list of values). Ranges are
// searched in [0, 1] with reflection at the ends, so that every point is
// feasible; a group of k shares is searched as k-1 log-ratios to the last
// share (the additive log-ratio transform of Aitchison, "The Statistical
// Analysis of Compositional Data", JRSS B 44 (1982) 139-177), which maps
// all of R^(k-1) onto the simplex, so the search needs no constraint.
// Choices are never interpolated: every combination of choices gets its own
// search, on an equal share of the budget, and the final selection
// compares the best of each.
//
// # Common random numbers
//
// The Objective is evaluated by replicate: replicate r of every candidate
// draws the same luck (the same seed r). Two candidates compared replicate
// by replicate then differ by what they are, not by chance, and the
// variance of their difference is far below that of each value
// (Law, "Simulation Modeling and Analysis", 5th ed. 2015, sec. 11.2).
// Every comparison in this package, within a generation, in the choice of
// the best so far and in the final selection, is paired this way.
//
// # The search
//
// Each combination's search is a CMA-ES, the covariance matrix adaptation
// evolution strategy, with the default parameters of Hansen, "The CMA
// Evolution Strategy: A Tutorial" (arXiv:1604.00772, 2016), table 1: it
// ranks candidates rather than using their values, which makes it robust to
// noise and to the scale of the objective. It is written here rather than
// taken from gonum/optimize, whose CMAESChol drives its own loop over one
// evaluation at a time, while this search needs each generation as one
// batch, evaluated on chosen replicates, and re-evaluated as the noise
// demands. Every generation runs its lambda candidates and the
// distribution's mean on the same replicates 0..n-1. When more than half
// of the neighbours in a generation's ranking cannot be told apart (the
// paired interval of their difference holds zero), the candidates have
// come close relative to the noise, and n grows by half for the next
// generation, up to MaxReplicates: replicates grow as the search closes
// in, in the spirit of the uncertainty handling of Hansen, Niederberger,
// Guzzella and Koumoutsakos, "A Method for Handling Uncertainty in
// Evolutionary Optimization", IEEE Trans. Evol. Comp. 13 (2009) 180-197.
// A candidate and replicate is never simulated twice: its value is kept.
//
// # Final selection
//
// A share of the budget (FinalShare, 30% by default) is kept for a final
// ranking and selection. The finalists are each combination's last search
// mean, then the best candidates seen, then the baseline (Options.Baseline,
// the strategy one started from). They all run the same FinalReplicates
// replicates; then, in rounds, a finalist whose paired difference to the
// leader has an interval wholly below zero is dropped, and the rest get
// half as many replicates again, until one is left, the rest are tied with
// the leader, or the budget is spent: a sequential procedure in the spirit
// of the racing of Maron and Moore ("The Racing Algorithm", Artificial
// Intelligence Review 11, 1997) with paired Student-t intervals. Each
// finalist is reported with its estimate and interval, its paired
// difference to the winner with its interval, and the probability that it
// is the best: the share of bootstrap resamples of whole replicates (each
// resample keeps the pairing) in which it comes first (Efron and
// Tibshirani, "An Introduction to the Bootstrap", 1993). A finalist whose
// difference lies within plus or minus TieMargin is a Tie; one whose
// interval holds zero but is wider is Unresolved; either way Result.Tied
// says the winner is not clearly the best, and a deliberate tie is
// reported as one.
//
// With Options.Quantile the objective is the lower quantile of the
// replicates (a risk-averse choice: the value 10% of replicates fall
// below, for 0.1) instead of their mean; its intervals are then bootstrap
// percentile intervals over paired replicates.
//
// # Markets
//
// Market binds a scenario to a search: one brand's levers (ranges of its
// numeric keys, choices of its worded ones) and the shares of its budget
// the search splits, every candidate the scenario with those keys set as
// --set sets them, replicate r run from the scenario's seed and r on its
// one social graph. RunStudy optimizes a market, compares the winner with
// the scenario's own setting (a finalist like any other), measures the
// marginal return of every lever at the winner (Marginals, and
// Market.MoneyMarginals for one more unit of money a day on a budget
// lever) and writes a folder with a manifest. Respond lets every brand in
// turn take its best response to the others' settings, only when its own
// setting is surely worse, until a round passes with no brand moving (an
// approximate equilibrium at the confidence level) or the rounds run out;
// a brand returning to its setting of two rounds before is reported as a
// cycle.
//
// # Batches, workers and resuming
//
// Each generation, and each round of the final selection, is one batch of
// simulations run on Workers goroutines; values land by position, never by
// finishing order, and the search draws its own random numbers (from Seed)
// only between batches, so the answer does not depend on the number of
// workers. With Options.Journal every simulation is appended to a journal
// (one line: candidate, replicate, CRC-32, value) whose header names the
// optimization; the search is deterministic given the values it sees, so a
// killed optimization run again replays its path over the journal's values
// and simulates only what is missing, ending with the same answer.
// Respond keeps a journal of its own, of the steps finished, each keyed by
// a hash of its market and options: a response run again takes the
// finished steps from it and runs only the rest.
package optimize
