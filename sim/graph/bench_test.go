package graph

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// benchSpecs are the generators at mean degree 10 (BA: m = 5; power law:
// exponent 2.5 from min degree 4, mean about 10 before erasure).
var benchSpecs = []Spec{
	{Kind: KindErdosRenyi, MeanDegree: 10},
	{Kind: KindWattsStrogatz, K: 10, Beta: 0.1},
	{Kind: KindBarabasiAlbert, M: 5},
	{Kind: KindCommunities, Communities: 10, MeanDegree: 10, Homophily: 0.8},
	{Kind: KindPowerLaw, Exponent: 2.5, MinDegree: 4},
}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		for _, s := range benchSpecs {
			b.Run(fmt.Sprintf("%s-n%d", s.Kind, n), func(b *testing.B) {
				b.ReportAllocs()
				var m int64
				for i := 0; b.Loop(); i++ {
					g, err := s.Build(n, rand.New(rand.NewPCG(uint64(i), 1)))
					if err != nil {
						b.Fatal(err)
					}
					m = g.M()
				}
				b.ReportMetric(float64(m), "edges")
			})
		}
	}
}

func BenchmarkReadEdgeList(b *testing.B) {
	g, err := ErdosRenyi(200_000, 10, rand.New(rand.NewPCG(1, 2))) // 10^6 edges
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "edges.txt")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := WriteEdgeList(f, g); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h, _, err := ReadEdgeList(path)
		if err != nil {
			b.Fatal(err)
		}
		if h.M() != g.M() {
			b.Fatalf("read %d edges, wrote %d", h.M(), g.M())
		}
	}
	b.ReportMetric(float64(g.M()), "edges")
}
