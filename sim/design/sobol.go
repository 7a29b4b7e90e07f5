package design

import "fmt"

// sobolBits is the precision of the generated coordinates: 32 bits, enough
// for 2^32 - 1 distinct points, far beyond any sweep.
const sobolBits = 32

// maxSobolPoints is the length of the sequence the 32 direction numbers of a
// dimension can address.
const maxSobolPoints = 1<<sobolBits - 1

// sobolGenerator holds the direction numbers v[dim][bit] scaled by 2^32, so
// that point i of dimension dim is the XOR of v[dim][b] over the set bits b
// of the Gray code of i: the same points, in the same order, as Joe & Kuo's
// reference generator, but addressable at random so that a shard can start
// anywhere in the sequence.
type sobolGenerator struct {
	v [][sobolBits]uint32
}

func newSobolGenerator(dimensions int) (*sobolGenerator, error) {
	if dimensions < 1 || dimensions > MaxSobolDimensions {
		return nil, fmt.Errorf("design: Sobol dimensions must be between 1 and %d: %d", MaxSobolDimensions, dimensions)
	}
	g := &sobolGenerator{v: make([][sobolBits]uint32, dimensions)}
	for bit := range sobolBits {
		g.v[0][bit] = 1 << (sobolBits - 1 - bit)
	}
	for dim := 1; dim < dimensions; dim++ {
		p := joeKuoDirections[dim-1]
		v := &g.v[dim]
		s := p.degree
		// v[k] stands for V_{k+1} of Joe & Kuo: m_{k+1} / 2^(k+1).
		for k := 0; k < s && k < sobolBits; k++ {
			v[k] = p.m[k] << (sobolBits - 1 - k)
		}
		// Bratley & Fox's recurrence (Joe & Kuo 2003, eq. 2):
		// V_k = a_1 V_{k-1} ^ ... ^ a_{s-1} V_{k-s+1} ^ V_{k-s} ^ (V_{k-s} >> s).
		for k := s; k < sobolBits; k++ {
			x := v[k-s] ^ (v[k-s] >> s)
			for l := 1; l < s; l++ {
				if (p.a>>(s-1-l))&1 == 1 {
					x ^= v[k-l]
				}
			}
			v[k] = x
		}
	}
	return g, nil
}

// coordinate is dimension dim (0-based) of point index (0-based) in [0, 1).
func (g *sobolGenerator) coordinate(index uint32, dim int) float64 {
	gray := index ^ (index >> 1)
	var x uint32
	for bit := 0; gray != 0; bit++ {
		if gray&1 == 1 {
			x ^= g.v[dim][bit]
		}
		gray >>= 1
	}
	return float64(x) / (1 << sobolBits)
}

// SobolSequence returns the first count points of the unscrambled Sobol
// sequence in the given number of dimensions, in Gray-code order and
// starting with the all-zero point 0, so that it can be compared with
// published tables; the Saltelli design skips that point.
func SobolSequence(dimensions, count int) ([][]float64, error) {
	g, err := newSobolGenerator(dimensions)
	if err != nil {
		return nil, err
	}
	if count < 0 || count > maxSobolPoints {
		return nil, fmt.Errorf("design: Sobol point count must be between 0 and %d: %d", maxSobolPoints, count)
	}
	points := make([][]float64, count)
	for i := range points {
		points[i] = make([]float64, dimensions)
		for dim := range dimensions {
			points[i][dim] = g.coordinate(uint32(i), dim)
		}
	}
	return points, nil
}

// Sobol blocks: which matrix of the Saltelli design a point comes from. A
// non-negative block i is AB_i, the matrix A with factor i taken from B.
const (
	BlockA = -1
	BlockB = -2
)

// SobolBlock tells which base row and which block a point of a sobol design
// with factors factors comes from: block is BlockA, BlockB, or the 0-based
// factor index i of AB_i. It returns an error for a negative index or a
// factor count below one.
func SobolBlock(index, factors int) (row, block int, err error) {
	if factors < 1 {
		return 0, 0, fmt.Errorf("design: a sobol design needs at least one factor: %d", factors)
	}
	if index < 0 {
		return 0, 0, fmt.Errorf("design: point index must not be negative: %d", index)
	}
	width := factors + 2
	row, offset := index/width, index%width
	switch offset {
	case 0:
		return row, BlockA, nil
	case factors + 1:
		return row, BlockB, nil
	default:
		return row, offset - 1, nil
	}
}

// SobolIndex is the inverse of SobolBlock: the point index of base row row
// in block block of a sobol design with factors factors.
func SobolIndex(row, block, factors int) (int, error) {
	if factors < 1 {
		return 0, fmt.Errorf("design: a sobol design needs at least one factor: %d", factors)
	}
	if row < 0 {
		return 0, fmt.Errorf("design: base row must not be negative: %d", row)
	}
	width := factors + 2
	switch {
	case block == BlockA:
		return row * width, nil
	case block == BlockB:
		return row*width + factors + 1, nil
	case block >= 0 && block < factors:
		return row*width + 1 + block, nil
	default:
		return 0, fmt.Errorf("design: block must be BlockA, BlockB or a factor index below %d: %d", factors, block)
	}
}
