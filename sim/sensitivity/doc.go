// Package sensitivity ranks the parameters of a sweep by how much of an
// outcome's variation each one explains.
//
// # Standardized regression coefficients (SRC)
//
// SRC regresses an outcome on the factors by ordinary least squares after
// standardizing both to zero mean and unit variance; the coefficient of
// factor i is then b_i*sd(x_i)/sd(y), the change in standard deviations of
// the outcome per standard deviation of the factor. For a linear model with
// independent factors, SRC_i^2 is the share of the outcome's variance due to
// factor i and the squares sum to the model R^2 (Saltelli, Chan & Scott,
// "Sensitivity Analysis", Wiley 2000, ch. 6; Saltelli et al., "Global
// Sensitivity Analysis: The Primer", Wiley 2008, sec. 1.2). The ranking is
// only as good as the linear fit: with R^2 below MinReliableR2 (0.7) much of
// the variance is non-linear or interaction and the ranking should not be
// trusted. Any design works (a Latin hypercube is the usual one); the
// factors should vary independently, as they do in every design of package
// design. Intervals are the normal-theory Student-t intervals of the
// regression, which treat the standardization as known.
//
// # Sobol indices
//
// Sobol (1993; 2001) decomposes the outcome's variance Var(y) into parts
// due to each factor and to their interactions. The first-order index S_i
// is the share due to factor i alone; the total index S_Ti adds every
// interaction involving factor i, so S_Ti - S_i measures interaction and
// S_Ti near 0 means the factor can be fixed anywhere in its range. They need
// no linearity assumption, but they need the Saltelli design of package
// design (method "sobol"): N base rows of k+2 runs each, matrices A, B and
// AB_i. With f the outcome on those runs, Var(y) the variance of f(A) and
// f(B) pooled, and means over the N base rows:
//
//	S_i  = mean( f(B) * (f(AB_i) - f(A)) ) / Var(y)    Saltelli et al. (2010), table 2 (b)
//	S_Ti = mean( (f(A) - f(AB_i))^2 ) / 2 / Var(y)     Jansen (1999); Saltelli et al. (2010), table 2 (f)
//
// Confidence intervals are bootstrap percentile intervals: the base rows
// are resampled with replacement (Efron & Tibshirani, "An Introduction to
// the Bootstrap", 1993, ch. 13), each resample re-estimates Var(y) and the
// indices, and the interval is the central Confidence share of the
// resampled estimates (Archer, Saltelli & Sobol 1997). Because the design
// is quasi-random, the bootstrap, which assumes independent rows, tends to
// overstate the error.
//
// Factors are ranked by S_Ti (the factor-fixing setting of Saltelli et al.
// 2008): S_i would rank a factor acting only through interactions, such as
// x3 of the Ishigami function, as unimportant.
//
// References:
//   - I. M. Sobol', "Sensitivity estimates for nonlinear mathematical
//     models", Mathematical Modeling and Computational Experiment 1 (1993)
//     407-414; "Global sensitivity indices for nonlinear mathematical models
//     and their Monte Carlo estimates", Mathematics and Computers in
//     Simulation 55 (2001) 271-280.
//   - M. J. W. Jansen, "Analysis of variance designs for model output",
//     Computer Physics Communications 117 (1999) 35-43.
//   - A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto and
//     S. Tarantola, "Variance based sensitivity analysis of model output.
//     Design and estimator for the total sensitivity index", Computer
//     Physics Communications 181 (2010) 259-270.
//   - G. E. B. Archer, A. Saltelli and I. M. Sobol', "Sensitivity measures,
//     ANOVA-like techniques and the use of bootstrap", Journal of
//     Statistical Computation and Simulation 58 (1997) 99-120.
//   - T. Ishigami and T. Homma, "An importance quantification technique in
//     uncertainty analysis for computer models", ISUMA '90 (1990) 398-403,
//     the test function used in this package's tests.
//
// Rows whose outcome (or, for SRC, a factor) is NaN or infinite are dropped
// and counted, as are whole base rows for Sobol; constant factors and
// outcomes give zero indices with a warning rather than a failure.
package sensitivity
