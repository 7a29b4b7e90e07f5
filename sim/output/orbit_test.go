package output

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
)

func TestNewOrbitSample(t *testing.T) {
	tests := []struct {
		name                    string
		customers, sample, want int
	}{
		{"sample of a large market", 10000, 400, 400},
		{"sample larger than the market", 50, 400, 50},
		{"no sample", 100, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewOrbit([]string{"A"}, tt.customers, tt.sample, 5, 30, 9)
			b := NewOrbit([]string{"A"}, tt.customers, tt.sample, 5, 30, 9)
			if len(a.Sample) != tt.want || !slices.Equal(a.Sample, b.Sample) || !slices.IsSorted(a.Sample) {
				t.Fatalf("sample of %d (want %d), same for a seed: %v", len(a.Sample), tt.want, slices.Equal(a.Sample, b.Sample))
			}
			if len(slices.Compact(slices.Clone(a.Sample))) != len(a.Sample) {
				t.Error("a customer is sampled twice")
			}
			for _, c := range a.Sample {
				if c < 0 || int(c) >= tt.customers {
					t.Fatalf("customer %d outside the market", c)
				}
			}
		})
	}
}

// TestOrbitObserveAndRoundTrip records a short run of a tiny market and
// reads back what was written.
func TestOrbitObserveAndRoundTrip(t *testing.T) {
	p := sim.DefaultParams()
	p.Customers = 300
	for _, s := range []string{"push", "pull"} {
		b, err := sim.StrategyPreset(s)
		if err != nil {
			t.Skipf("engine presets unavailable: %v", err)
		}
		b.Name = s
		p.Brands = append(p.Brands, b)
	}
	g, err := graph.WattsStrogatz(p.Customers, 6, 0.1, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	m, err := sim.NewMarket(&p, g, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	const days, every = 12, 5
	o := NewOrbit([]string{"push", "pull"}, p.Customers, 80, every, days, 1)
	o.Observe(m)
	for range days {
		m.Step()
		o.Observe(m)
	}
	var gotDays []int
	for _, f := range o.Frames {
		gotDays = append(gotDays, f.Day)
		if len(f.Points) != len(o.Sample) {
			t.Fatalf("day %d: %d points for %d sampled", f.Day, len(f.Points), len(o.Sample))
		}
		for _, pt := range f.Points {
			if pt.Brand < -1 || int(pt.Brand) >= len(o.Brands) || pt.Engagement < 0 || pt.Engagement > 1 {
				t.Fatalf("day %d: impossible point %+v", f.Day, pt)
			}
			if pt.Brand >= 0 && pt.Status == sim.StatusNone && pt.Engagement < minOrbitEngagement {
				t.Fatalf("day %d: customer %d drawn to a brand it neither uses, left nor is engaged with", f.Day, pt.Customer)
			}
		}
	}
	if want := []int{0, 5, 10, 12}; !slices.Equal(gotDays, want) {
		t.Fatalf("frames on days %v, want %v", gotDays, want)
	}
	var buf bytes.Buffer
	if err := WriteOrbit(&buf, o); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), OrbitFile)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := ReadOrbit(path, o.Brands)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Frames, o.Frames) || !slices.Equal(back.Sample, o.Sample) || back.Days != days || back.Every != every {
		t.Errorf("read back a different orbit: days %d every %d", back.Days, back.Every)
	}
}

func TestReadOrbit(t *testing.T) {
	tests := []struct {
		name, text string
		frames     int
		wantErr    bool
	}{
		{"header only: no customer sampled", "day,customer,brand,status,engagement\n", 0, false},
		{"two frames", "day,customer,brand,status,engagement\n0,3,,none,0\n4,3,A,advocate,0.5\n", 2, false},
		{"unknown brand", "day,customer,brand,status,engagement\n0,3,Z,none,0\n", 0, true},
		{"unknown status", "day,customer,brand,status,engagement\n0,3,A,fan,0\n", 0, true},
		{"wrong header", "day,who\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), OrbitFile)
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			o, err := ReadOrbit(path, []string{"A"})
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want one: %v", err, tt.wantErr)
			}
			if err == nil && len(o.Frames) != tt.frames {
				t.Errorf("%d frames, want %d", len(o.Frames), tt.frames)
			}
		})
	}
}
