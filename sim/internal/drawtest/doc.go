// Package drawtest holds the checks of random draws against their
// theoretical distributions that the tests of the engine and of its
// random kit share.
package drawtest
