package sensitivity_test

import (
	"fmt"

	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/sensitivity"
)

func ExampleSRC() {
	d := design.Design{Method: design.MethodGrid, Factors: []design.Factor{
		{Path: "brand.acme.push.rate", Min: 0, Max: 1, Steps: 3},
		{Path: "attention.capacity", Min: 0, Max: 1, Steps: 3},
	}}
	points, _ := d.Expand()
	var x [][]float64
	var sales []float64
	for _, p := range points {
		x = append(x, p.Numeric)
		sales = append(sales, 3*p.Numeric[0]+p.Numeric[1])
	}
	res, err := sensitivity.SRC("sales", d.Paths(), x, sales)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("R^2 %.2f\n", res.R2)
	for _, f := range res.Ranked() {
		fmt.Printf("%d %s %.3f\n", f.Rank, f.Factor, f.Index)
	}
	// Output:
	// R^2 1.00
	// 1 brand.acme.push.rate 0.949
	// 2 attention.capacity 0.316
}
