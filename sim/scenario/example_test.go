package scenario_test

import (
	"fmt"

	"github.com/pushpull/pushpull/sim/scenario"
)

func ExampleParse() {
	file := []byte(`
name = "two-brands"
days = 180

[[brand]]
name = "Acme"
strategy = "push"
[brand.push]
rate = 2          # overrides the push preset's 1

[[brand]]
name = "Zenith"
strategy = "pull"
`)
	sc, err := scenario.Parse("two-brands.toml", file)
	if err != nil {
		fmt.Println(err)
		return
	}
	acme := sc.Brands[0]
	fmt.Println(sc.Name, sc.Days, sc.Replicates, sc.Customers)
	fmt.Println(acme.Push.Rate, acme.Push.Targeting, sc.Brands[1].Pull.Platform)

	_, err = scenario.Parse("bad.toml", []byte("dayz = 3\n[attention]\ncapacity = -1\n"))
	fmt.Println(err)
	// Output:
	// two-brands 180 10 10000
	// 2 everyone conversation
	// bad.toml:1: dayz: unknown key (did you mean "days"?)
	// bad.toml:3: attention.capacity: out of range (want a number from 1 to 10000, got -1)
	// bad.toml: brand: invalid (want at least one [[brand]], got none)
}

func ExampleScenario_Set() {
	sc, err := scenario.Parse("market.toml", []byte(`
[[brand]]
name = "Acme"
strategy = "push"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	// The same key paths as the file, brands by name, values in TOML.
	for _, a := range []string{"days=30", "brand.Acme.push.rate=0.5", "brand.Acme.push.targeting=opt_in"} {
		if err := sc.Set(a); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(sc.Days, sc.Brands[0].Push.Rate, sc.Brands[0].Push.Targeting)

	// Changing the strategy starts the brand from the new preset.
	sc.Set("brand.Acme.strategy=trust")
	fmt.Println(sc.Brands[0].Pull.Platform, sc.Brands[0].Push.Rate)

	fmt.Println(sc.Set("brand.Acme.push.rate=-2"))
	fmt.Println(sc.Set("brand.Acne.push.rate=2"))
	// Output:
	// 30 0.5 opt_in
	// contribution 0.5
	// --set: brand.Acme.push.rate: out of range (want a number from 0 to 100, got -2)
	// --set: brand.Acne.push.rate: no brand named "Acne" (want a brand name: "Acme")
}
