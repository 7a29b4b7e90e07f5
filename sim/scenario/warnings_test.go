package scenario

import (
	"strings"
	"testing"
)

func TestWarnings(t *testing.T) {
	cases := []struct {
		name string
		text string
		sets []string
		want []string // each a warning, in order; none when empty
	}{
		{"nothing to warn of", brands, nil, nil},
		{"push rate above the cap, from the file", "[[brand]]\nname = \"A\"\nstrategy = \"push\"\n[brand.push]\nrate = 5\n", nil,
			[]string{"test.toml:5: brand.A.push.rate: 5 is above the brand's push.frequency_cap 3: no customer gets more than 3 impressions a day"}},
		{"push rate above the cap, from --set", brands, []string{"brand.A.push.rate=4"},
			[]string{"--set: brand.A.push.rate: 4 is above the brand's push.frequency_cap 3"}},
		{"a cap above the rate", brands, []string{"brand.A.push.rate=4", "brand.A.push.frequency_cap=5"}, nil},
		{"opt-in push spreads its rate over those who opted in", brands, []string{"brand.A.push.rate=4", "brand.A.push.targeting=opt_in"}, nil},
		{"a switch of strategy changes the preset's keys", brands, []string{"brand.B.strategy=push"},
			[]string{`--set: brand.B.strategy: the "push" preset also changed keys not given: `, "push.rate 0.1 -> 1", "push.targeting opt_in -> everyone", "trust.response admit -> hide"}},
		{"keys given keep their values", brands, []string{"brand.B.push.rate=0.1", "brand.B.push.targeting=opt_in", "brand.B.strategy=push"},
			[]string{`brand.B.strategy: the "push" preset also changed keys not given: `, "trust.response admit -> hide"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := Parse("test.toml", []byte(c.text))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range c.sets {
				if err := sc.Set(s); err != nil {
					t.Fatal(err)
				}
			}
			ws := sc.Warnings()
			var got []string
			for _, w := range ws {
				got = append(got, w.Error())
			}
			all := strings.Join(got, "\n")
			if len(c.want) == 0 && len(ws) > 0 {
				t.Errorf("warnings %q, want none", all)
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("warnings %q lack %q", all, w)
				}
			}
			if strings.Contains(all, "push.targeting opt_in") && strings.Contains(c.name, "keep") {
				t.Errorf("a key given was reported as changed by the preset: %q", all)
			}
		})
	}
}

func TestWithoutSweep(t *testing.T) {
	text := brands + "\n[sweep]\nmethod = \"grid\"\n\n[[sweep.factor]]\npath = \"brand.A.push.rate\"\nvalues = [1, 2]\n"
	sc, err := Parse("test.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	alone := sc.WithoutSweep()
	if alone.Sweep != nil || sc.Sweep == nil {
		t.Fatalf("WithoutSweep: the copy's sweep %v, the original's %v", alone.Sweep, sc.Sweep)
	}
	if err := alone.Set("brand.A.push.rate=2"); err != nil {
		t.Fatal(err)
	}
	if alone.Brands[0].Push.Rate != 2 || sc.Brands[0].Push.Rate != 1 || alone.Sweep != nil {
		t.Errorf("a change to the copy: copy's rate %v (want 2), original's %v (want 1), copy's sweep %v",
			alone.Brands[0].Push.Rate, sc.Brands[0].Push.Rate, alone.Sweep)
	}
	// A value the key refuses is refused as in the whole scenario.
	if err := alone.Set("brand.A.push.rate=-1"); err == nil || !strings.Contains(err.Error(), "brand.A.push.rate: out of range") {
		t.Errorf("a bad value on the copy: %v", err)
	}
}

// TestNonFiniteValuesRefused checks that NaN and infinities, which TOML
// can write, are refused with the key, from the file and from --set.
func TestNonFiniteValuesRefused(t *testing.T) {
	for _, v := range []string{"nan", "+nan", "inf", "-inf", "+inf"} {
		text := "[[brand]]\nname = \"A\"\nquality = " + v + "\n"
		_, err := Parse("test.toml", []byte(text))
		if err == nil || !strings.Contains(err.Error(), "test.toml:3: brand.A.quality: out of range (want a number from 0 to 1, got "+strings.TrimPrefix(v, "+")+")") {
			t.Errorf("quality = %s in the file: %v", v, err)
		}
		sc := mustParse(t, brands)
		err = sc.Set("attention.capacity=" + v)
		if err == nil || !strings.Contains(err.Error(), "--set: attention.capacity: out of range") {
			t.Errorf("--set attention.capacity=%s: %v", v, err)
		}
	}
}

func TestKeyLabel(t *testing.T) {
	for key, want := range map[string]string{
		"brand.Megaphone.push.rate": "Megaphone push rate (impressions/customer/day)",
		"attention.capacity":        "attention capacity (messages/day)",
		"brand.Orbit.pull.platform": "Orbit pull platform",
	} {
		if got := KeyLabel(key); got != want {
			t.Errorf("KeyLabel(%q) = %q, want %q", key, got, want)
		}
	}
}
