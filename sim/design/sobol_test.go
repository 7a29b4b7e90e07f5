package design

import (
	"math"
	"slices"
	"testing"
)

// The first eight points of dimensions 1 to 3 in Gray-code order, as Joe &
// Kuo's reference generator (sobol.cc, new-joe-kuo-6.21201) and
// scipy.stats.qmc.Sobol(d=3, scramble=False) produce them. By hand:
// dimension 1 has V_k = 2^-k; dimension 2 (s=1, a=0, m=1) has
// V = 0.1, 0.11, 0.101 in binary; dimension 3 (s=2, a=1, m=1,3) has
// m_3 = 2*3 ^ 4*1 ^ 1 = 3, so V = 0.1, 0.11, 0.011. Point i is the XOR of
// V_k over the bits k of the Gray code i^(i>>1).
func TestSobolSequenceMatchesPublishedPoints(t *testing.T) {
	want := [][]float64{
		{0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125},
		{0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625},
		{0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375},
	}
	points, err := SobolSequence(3, 8)
	if err != nil {
		t.Fatal(err)
	}
	for dim := range want {
		for i, w := range want[dim] {
			if got := points[i][dim]; got != w {
				t.Errorf("dimension %d point %d = %v, want %v", dim+1, i, got, w)
			}
		}
	}
}

// Each Sobol coordinate is a digital (0, m, 1)-net: the first 2^m points of
// a dimension use only V_1..V_m, each V_k = m_k/2^k with m_k odd and below
// 2^k, so the map from the m index bits to the m leading coordinate bits is
// an upper unitriangular matrix over GF(2), hence a bijection. The
// coordinates of the first 2^m points are therefore exactly
// {0, 1/2^m, ..., (2^m-1)/2^m}, and their mean exactly 1/2 - 1/2^(m+1).
func TestSobolSequenceEachDimensionIsAnExactNet(t *testing.T) {
	const maxM = 12
	points, err := SobolSequence(MaxSobolDimensions, 1<<maxM)
	if err != nil {
		t.Fatal(err)
	}
	for dim := range MaxSobolDimensions {
		for m := 0; m <= maxM; m++ {
			n := 1 << m
			coordinates := make([]float64, n)
			sum := 0.0
			for i := range n {
				coordinates[i] = points[i][dim]
				sum += coordinates[i]
			}
			slices.Sort(coordinates)
			for j, x := range coordinates {
				if x != float64(j)/float64(n) {
					t.Fatalf("dimension %d, first %d points: sorted coordinate %d = %v, want %v", dim+1, n, j, x, float64(j)/float64(n))
				}
			}
			if mean, want := sum/float64(n), 0.5-math.Ldexp(1, -(m+1)); mean != want {
				t.Errorf("dimension %d, first %d points: mean %v, want %v", dim+1, n, mean, want)
			}
		}
	}
}

// Dimensions 1 and 2 together form a (0, m, 2)-net (Sobol 1967; their
// generator matrices are the identity and Pascal's matrix mod 2): every
// elementary box [a/2^j, (a+1)/2^j) x [b/2^(m-j), (b+1)/2^(m-j)) holds
// exactly one of the first 2^m points.
func TestSobolSequenceFirstTwoDimensionsAreAZeroNet(t *testing.T) {
	for m := 1; m <= 10; m++ {
		n := 1 << m
		points, err := SobolSequence(2, n)
		if err != nil {
			t.Fatal(err)
		}
		for j := 0; j <= m; j++ {
			cells := make(map[[2]int]int)
			for _, p := range points {
				cells[[2]int{int(p[0] * float64(int(1)<<j)), int(p[1] * float64(int(1)<<(m-j)))}]++
			}
			if len(cells) != n {
				t.Errorf("m=%d, boxes 2^-%d x 2^-%d: %d of %d boxes occupied", m, j, m-j, len(cells), n)
			}
		}
	}
}

func TestSobolSequencePointsInUnitInterval(t *testing.T) {
	points, err := SobolSequence(MaxSobolDimensions, 5000)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range points {
		for dim, x := range p {
			if x < 0 || x >= 1 || (i > 0 && x == 0) {
				t.Fatalf("point %d dimension %d = %v, want in (0, 1) (or 0 for point 0)", i, dim+1, x)
			}
		}
	}
}

// The embedded table must be the start of new-joe-kuo-6.21201: all
// primitive polynomials of each degree in turn (there are phi(2^s - 1)/s of
// degree s), and every initial m_i odd and below 2^i.
func TestSobolDirectionTableIsWellFormed(t *testing.T) {
	primitiveCount := map[int]int{1: 1, 2: 1, 3: 2, 4: 2, 5: 6, 6: 6, 7: 18, 8: 16, 9: 48}
	perDegree := map[int]int{}
	previous := sobolPolynomial{degree: 1}
	for row, p := range joeKuoDirections {
		dim := row + 2
		if p.degree < previous.degree || (p.degree == previous.degree && row > 0 && p.a <= previous.a) {
			t.Errorf("dimension %d: polynomials out of order", dim)
		}
		if len(p.m) != p.degree {
			t.Errorf("dimension %d: %d initial numbers for degree %d", dim, len(p.m), p.degree)
		}
		if p.degree > 1 && p.a >= 1<<(p.degree-1) {
			t.Errorf("dimension %d: a = %d has more than degree-1 bits", dim, p.a)
		}
		for i, m := range p.m {
			if m%2 == 0 || m >= 1<<(i+1) {
				t.Errorf("dimension %d: m_%d = %d, want odd and below 2^%d", dim, i+1, m, i+1)
			}
		}
		perDegree[p.degree]++
		previous = p
	}
	for degree, want := range primitiveCount {
		if perDegree[degree] != want {
			t.Errorf("degree %d: %d polynomials, want %d", degree, perDegree[degree], want)
		}
	}
	if MaxSobolDimensions < 2*20 {
		t.Errorf("MaxSobolDimensions = %d, want room for 20 factors", MaxSobolDimensions)
	}
}

func TestSobolSequenceRejectsBadArguments(t *testing.T) {
	for _, c := range []struct{ dimensions, count int }{{0, 1}, {MaxSobolDimensions + 1, 1}, {1, -1}} {
		if _, err := SobolSequence(c.dimensions, c.count); err == nil {
			t.Errorf("SobolSequence(%d, %d): no error", c.dimensions, c.count)
		}
	}
}

func TestSobolBlockAndIndexAreInverse(t *testing.T) {
	const factors = 4
	for index := range 10 * (factors + 2) {
		row, block, err := SobolBlock(index, factors)
		if err != nil {
			t.Fatal(err)
		}
		wantRow, offset := index/(factors+2), index%(factors+2)
		wantBlock := offset - 1
		switch offset {
		case 0:
			wantBlock = BlockA
		case factors + 1:
			wantBlock = BlockB
		}
		if row != wantRow || block != wantBlock {
			t.Errorf("SobolBlock(%d) = (%d, %d), want (%d, %d)", index, row, block, wantRow, wantBlock)
		}
		back, err := SobolIndex(row, block, factors)
		if err != nil || back != index {
			t.Errorf("SobolIndex(%d, %d) = %d, %v; want %d", row, block, back, err, index)
		}
	}
	bad := []func() error{
		func() error { _, _, err := SobolBlock(-1, 3); return err },
		func() error { _, _, err := SobolBlock(0, 0); return err },
		func() error { _, err := SobolIndex(0, 3, 3); return err },
		func() error { _, err := SobolIndex(0, -3, 3); return err },
		func() error { _, err := SobolIndex(-1, BlockA, 3); return err },
		func() error { _, err := SobolIndex(0, BlockA, 0); return err },
	}
	for i, f := range bad {
		if f() == nil {
			t.Errorf("bad call %d: no error", i)
		}
	}
}

// The design's A, B and AB_i rows must be the Sobol points they are
// documented to be, so that the sensitivity estimators read the right
// blocks.
func TestSobolDesignLayout(t *testing.T) {
	const k, n = 3, 16
	d := Design{Method: MethodSobol, Points: n, Factors: []Factor{
		{Path: "a", Min: 0, Max: 1},
		{Path: "b", Min: 0, Max: 1},
		{Path: "c", Min: 0, Max: 1},
	}}
	points, err := d.Expand()
	if err != nil {
		t.Fatal(err)
	}
	if len(points) != n*(k+2) || d.Count() != n*(k+2) {
		t.Fatalf("%d points, Count %d, want %d", len(points), d.Count(), n*(k+2))
	}
	sequence, err := SobolSequence(2*k, n+1)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range points {
		row, block, _ := SobolBlock(p.Index, k)
		a, b := sequence[row+1][:k], sequence[row+1][k:]
		for f := range k {
			want := a[f]
			if block == BlockB || block == f {
				want = b[f]
			}
			if p.Numeric[f] != want {
				t.Errorf("point %d (row %d block %d) factor %d = %v, want %v", p.Index, row, block, f, p.Numeric[f], want)
			}
		}
	}
}
