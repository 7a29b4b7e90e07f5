// Package draw is the random kit of the pushpull engine: a PCG-DXSM
// generator whose uniform draw inlines into the hot loop, Poisson draws by
// inversion and by Hormann's PTRS, gamma draws by Marsaglia and Tsang,
// exponential draws by the ziggurat method, a fast logarithm on (0, 1]
// for geometric gaps, and countdowns, which decide runs of independent
// trials of one chance at the cost of a draw per success.
//
// Every draw comes from an explicit Source; nothing here reads the global
// generator of math/rand/v2, and a Source's stream is that of
// math/rand/v2's PCG for the same seed. The draws are exact: each gives
// the distribution it names, to the precision of a float64, which the
// package's tests check against theory.
package draw
