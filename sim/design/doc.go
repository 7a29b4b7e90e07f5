// Package design expands a parameter sweep into the list of scenario points
// to simulate: a full factorial grid, a Latin hypercube, or a Saltelli design
// for Sobol sensitivity indices.
//
// A Design names its factors by scenario key path ("attention.capacity",
// "brand.acme.push.rate"). Each factor is either an explicit list of values
// (grid only) or a numeric range [Min, Max], optionally log-spaced and/or
// rounded to whole numbers. Expand returns the points in a fixed order that
// depends only on the Design, so that separate processes (shards of one
// sweep on a cluster) agree on which index is which point without talking to
// each other; Shard and ParseShard split the indices between such processes.
//
// # Grid
//
// The full factorial: every combination of the factors' values, in row-major
// order (the last factor varies fastest, as in nested loops written in factor
// order). A range with Steps values is evenly spaced from Min to Max
// inclusive, or evenly spaced in log10 when Log is set; Integer rounds to
// whole numbers; values that coincide after rounding are kept once.
//
// # Latin hypercube
//
// McKay, Beckman & Conover (1979), "A comparison of three methods for
// selecting values of input variables in the analysis of output from a
// computer code", Technometrics 21(2):239-245. Each factor's range is cut
// into Points strata of equal probability; every stratum of every factor
// holds exactly one point; the strata are paired across factors by
// independent random permutations and each point is uniform inside its
// stratum. The random stream is PCG-DXSM (math/rand/v2's PCG) seeded with
// Design.Seed; permutations and uniforms are derived from its raw 64-bit
// output by code in this package, so a seed gives the same design on every
// Go release and machine.
//
// # Sobol (Saltelli design)
//
// Saltelli (2002), "Making best use of model evaluations to compute
// sensitivity indices", Computer Physics Communications 145:280-297, and
// Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola (2010), "Variance
// based sensitivity analysis of model output. Design and estimator for the
// total sensitivity index", Computer Physics Communications 181:259-270.
//
// For k factors and N base rows, the unscrambled Sobol sequence of
// dimension 2k (I. M. Sobol', "On the distribution of points in a cube and
// the approximate evaluation of integrals", USSR Computational Mathematics
// and Mathematical Physics 7 (1967) 86-112; direction numbers of Joe & Kuo 2008, file
// new-joe-kuo-6.21201, embedded here for MaxSobolDimensions dimensions)
// supplies the matrices A (its first k coordinates) and B (its last k).
// Row j of A and B is Sobol point j+1: point 0 is all zeros and is skipped,
// as is usual (it would put every factor on its lower bound in A and B at
// once), and skipping it also keeps every coordinate strictly inside (0, 1).
// Each base row expands to k+2 consecutive points:
//
//	index j*(k+2)        A_j
//	index j*(k+2)+1+i    AB_i,j: A_j with factor i (0-based) taken from B_j, i = 0..k-1
//	index j*(k+2)+k+1    B_j
//
// which is the layout SALib's Saltelli sampler uses without second-order
// terms. SobolBlock and SobolIndex convert between the two numberings. N*(k+2)
// runs give first-order and total indices for every factor; N a power of two
// keeps the balance properties of the Sobol net.
//
// Joe & Kuo: "Constructing Sobol sequences with better two-dimensional
// projections", SIAM J. Sci. Comput. 30 (2008) 2635-2654; and "Remark on
// Algorithm 659: Implementing Sobol's quasirandom sequence generator", ACM
// Trans. Math. Softw. 29 (2003) 49-57. The direction numbers are copyright
// (c) 2008 Frances Y. Kuo and Stephen Joe, redistributed under their BSD-style
// licence (see sobol_directions.go). Points are produced in Gray-code order,
// as in their reference generator.
//
// # Errors
//
// Validate reports every problem at once, each naming the scenario key it
// comes from (sweep.method, sweep.points, sweep.seed, sweep.factor[i].min;
// factor indices count from 0 in the order the factors are given) and the
// factor's path, in the form "design: key (path): what went wrong: value".
package design
