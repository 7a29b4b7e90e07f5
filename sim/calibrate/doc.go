// Package calibrate fits a model's keys to an observed curve by
// approximate Bayesian computation with sequential Monte Carlo (ABC-SMC):
// the model has no likelihood, but it can be simulated, and values whose
// simulations come close to the data are kept.
//
// # Priors
//
// Each fitted key has a prior (ParsePrior): uniform (KEY=LOW:HIGH),
// log-uniform (KEY=log:LOW:HIGH), or normal truncated to the key's
// documented range (KEY=normal:MEAN:SD) or to given bounds
// (KEY=normal:MEAN:SD:LOW:HIGH). A log-uniform key is fitted in log(x),
// the others in x: the working coordinate, where the kernel is Gaussian.
//
// # Distance
//
// Distance compares a simulated vector with the observed one by the root
// mean squared difference, each series' differences divided by that
// series' largest absolute observed value, averaged within a series and
// then over series, so every series weighs the same whatever its units.
//
// # The method
//
// Run is ABC-SMC after Toni et al. (2009) with the importance weights and
// the adaptive kernel of Beaumont et al. (2009): a Gaussian whose
// covariance is twice the weighted covariance of the previous population,
// and the adaptive tolerance of Del Moral et al. (2012): each generation's
// tolerance is a quantile (default the median) of the previous
// generation's weighted distances. Generation 0 is N draws from the prior,
// each simulated once. The fit stops when the tolerance reaches a target,
// when a generation's acceptance rate (particles over simulations) falls
// below a minimum, when the next generation would pass a simulation
// budget, after a number of generations, or when the tolerance no longer
// falls. A generation whose acceptance falls so low that a particle needs
// more than 20 / MinAcceptance proposals is dropped, and the previous one
// is the posterior.
//
// # Determinism
//
// Particle i of generation g finds its value by attempts a = 0, 1, ...;
// the proposal of each attempt and the seed of its simulation derive from
// (seed, g, i, a) alone, and particles are independent of one another
// within a generation, so a fit is the same whatever the number of workers
// and whichever worker runs which particle. Simulations run on Workers
// goroutines that take particles in order from one queue, as a sweep's
// runs do. A generation depends only on the one before, so a fit resumed
// from its finished generations (Options.Resume, read from the
// Journal) gives the same result as one that never
// stopped.
//
// # Results
//
// The posterior is the last generation's weighted particles. Summarize
// gives each key's weighted mean, standard deviation, median and central
// 90% credible interval; Generation.ESS the effective sample size (Kish);
// Correlations the weighted correlation of every pair of keys, a pair
// with |r| above Unidentified (0.9) being one the data cannot tell apart.
// Predictive simulates draws from the posterior for the posterior
// predictive band (Band: median and central 90%). Rejection is plain
// rejection ABC, the baseline ABC-SMC is measured against.
//
// # Scenarios
//
// ScenarioModel makes a Model of a scenario: each key set as --set sets
// it, one simulation a market run to the last observed day, read on the
// observed days (times in days, weeks or months), as counts or as shares
// of all customers. ReadData reads the observed CSV. Every problem of the
// data or the priors is a scenario.Error naming the file, line and key.
package calibrate
