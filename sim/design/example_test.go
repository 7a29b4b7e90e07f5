package design_test

import (
	"fmt"
	"strings"

	"github.com/pushpull/pushpull/sim/design"
)

func ExampleDesign_Expand() {
	d := design.Design{
		Method: design.MethodGrid,
		Factors: []design.Factor{
			{Path: "opt_in.policy", Values: []string{"everyone", "opt_in"}},
			{Path: "brand.acme.push.rate", Min: 1, Max: 100, Steps: 3, Log: true},
		},
	}
	points, err := d.Expand()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Join(d.Paths(), " "))
	for _, p := range points {
		fmt.Println(p.Index, strings.Join(p.Values, " "), p.Numeric)
	}
	// Output:
	// opt_in.policy brand.acme.push.rate
	// 0 everyone 1 [0 1]
	// 1 everyone 10 [0 10]
	// 2 everyone 100 [0 100]
	// 3 opt_in 1 [1 1]
	// 4 opt_in 10 [1 10]
	// 5 opt_in 100 [1 100]
}

func ExampleDesign_Validate() {
	d := design.Design{
		Method:  design.MethodLatinHypercube,
		Points:  0,
		Factors: []design.Factor{{Path: "attention.capacity", Min: 8, Max: 2}},
	}
	fmt.Println(d.Validate())
	// Output:
	// design: sweep.points: must be at least 1: 0
	// design: sweep.seed: latin_hypercube needs an explicit non-zero seed: 0
	// design: sweep.factor[0].max (attention.capacity): below min 8: 2
}

func ExampleParseShard() {
	shard, err := design.ParseShard("2/5")
	if err != nil {
		fmt.Println(err)
		return
	}
	lo, hi, _ := shard.Range(103)
	fmt.Printf("shard %v runs points %d to %d\n", shard, lo, hi-1)
	_, err = design.ParseShard("0/5")
	fmt.Println(err)
	// Output:
	// shard 2/5 runs points 21 to 41
	// design: shard number i in i/n counts from 1 (a 0-based index such as SLURM_ARRAY_TASK_ID goes through ShardFromIndex): "0/5"
}
