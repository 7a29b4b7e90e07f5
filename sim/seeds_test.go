package sim

import (
	"testing"
)

// TestListedSeeds: customers a brand lists start as its advocates, taken
// from whichever brand the random seeding gave them; a market without
// lists seeds as before.
func TestListedSeeds(t *testing.T) {
	const n = 2000
	g := smallWorld(t, n)
	p := marketParams(n)
	plain, err := NewMarket(&p, g, 7, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Customers the random seeding made another brand's customer, or
	// nobody's, are listed for brand 2.
	var taken, free int32 = -1, -1
	for c := range n {
		switch {
		case taken < 0 && plain.current[c] == 0:
			taken = int32(c)
		case free < 0 && plain.current[c] < 0:
			free = int32(c)
		}
	}
	p.Brands[2].Seeds = []int32{taken, free}
	m, err := NewMarket(&p, g, 7, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Brands[2].Seeds {
		if m.current[c] != 2 || m.status[m.at(int(c), 2)] != StatusAdvocate || m.status[m.at(int(c), 0)] != StatusNone {
			t.Errorf("listed customer %d: current %d, status for brand 2 %v, for brand 0 %v; want brand 2's advocate",
				c, m.current[c], m.status[m.at(int(c), 2)], m.status[m.at(int(c), 0)])
		}
	}
	again, _ := NewMarket(&p, g, 7, 0)
	for c := range n {
		if m.current[c] != again.current[c] {
			t.Fatalf("customer %d seeded differently by the same seed", c)
		}
	}
}

func TestValidateSeeds(t *testing.T) {
	for _, tt := range []struct {
		name  string
		seeds [3][]int32
		want  string
	}{
		{"out of range", [3][]int32{{3, 100}}, "sim: brand.push.seed_file = 100: want customers from 0 to 99"},
		{"negative", [3][]int32{nil, {-1}}, "sim: brand.pull.seed_file = -1: want customers from 0 to 99"},
		{"two brands", [3][]int32{{4, 9}, nil, {9}}, "sim: brand.trust.seed_file = 9: want customers no other brand seeds: customer 9 is seeded by push"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := marketParams(100)
			for b, s := range tt.seeds {
				p.Brands[b].Seeds = s
			}
			err := p.Validate()
			if err == nil || err.Error() != tt.want {
				t.Errorf("Validate: %v\nwant %s", err, tt.want)
			}
		})
	}
}
