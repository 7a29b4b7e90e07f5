package calibrate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/pushpull/pushpull/sim/scenario"
)

// Shape is the family of a prior.
type Shape string

// The prior families.
const (
	// Uniform is flat between Low and High.
	Uniform Shape = "uniform"
	// LogUniform is flat in log(x) between Low and High (both above 0):
	// every factor of ten is as likely as every other.
	LogUniform Shape = "log"
	// Normal is a normal distribution of mean Mean and standard deviation
	// SD truncated to [Low, High].
	Normal Shape = "normal"
)

// A Prior is what is believed of one fitted key before the data: its
// family and support. Fitting works in the prior's natural coordinate,
// log(x) for a log-uniform prior and x otherwise, where the perturbation
// kernel is Gaussian.
type Prior struct {
	Key       string
	Shape     Shape
	Low, High float64
	Mean, SD  float64 // Normal only
}

// ParsePrior reads a prior written KEY=SPEC, where SPEC is
//
//	LOW:HIGH                uniform on [LOW, HIGH]
//	log:LOW:HIGH            log-uniform on [LOW, HIGH], 0 < LOW
//	normal:MEAN:SD          normal, truncated to the key's range (Bind)
//	normal:MEAN:SD:LOW:HIGH normal, truncated to [LOW, HIGH]
//
// The numbers are checked here; whether the key exists and accepts the
// range is the scenario's to say (ScenarioModel). source names where the
// text came from in messages ("--fit", or "FILE:LINE: calibrate.fit"); the
// error is scenario.Errors.
func ParsePrior(source, text string) (Prior, error) {
	p, err := parsePrior(text)
	if err != nil {
		key, _, _ := strings.Cut(text, "=")
		return p, scenario.Errors{{File: source, Key: strings.TrimSpace(key), Problem: err.Error(), Got: strconv.Quote(text)}}
	}
	return p, nil
}

func parsePrior(text string) (Prior, error) {
	key, spec, ok := strings.Cut(text, "=")
	key, spec = strings.TrimSpace(key), strings.TrimSpace(spec)
	if !ok || key == "" || spec == "" {
		return Prior{}, fmt.Errorf("not a prior (want KEY=LOW:HIGH, KEY=log:LOW:HIGH or KEY=normal:MEAN:SD)")
	}
	parts := strings.Split(spec, ":")
	p := Prior{Key: key, Shape: Uniform, Low: math.Inf(-1), High: math.Inf(1)}
	switch parts[0] {
	case string(LogUniform), string(Normal), string(Uniform):
		p.Shape = Shape(parts[0])
		parts = parts[1:]
	}
	nums := make([]float64, len(parts))
	for i, s := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return Prior{}, fmt.Errorf("not a number: %q (want a %s prior as %s)", s, p.Shape, p.Shape.want())
		}
		nums[i] = x
	}
	switch {
	case p.Shape == Normal && len(nums) == 2:
		p.Mean, p.SD = nums[0], nums[1]
	case p.Shape == Normal && len(nums) == 4:
		p.Mean, p.SD, p.Low, p.High = nums[0], nums[1], nums[2], nums[3]
	case p.Shape != Normal && len(nums) == 2:
		p.Low, p.High = nums[0], nums[1]
	default:
		return Prior{}, fmt.Errorf("a %s prior is written %s", p.Shape, p.Shape.want())
	}
	return p, p.check()
}

func (s Shape) want() string {
	switch s {
	case LogUniform:
		return "log:LOW:HIGH"
	case Normal:
		return "normal:MEAN:SD or normal:MEAN:SD:LOW:HIGH"
	}
	return "LOW:HIGH"
}

// check reports a prior that has no mass or no meaning.
func (p Prior) check() error {
	switch {
	case !(p.Low < p.High):
		return fmt.Errorf("LOW must be below HIGH: %s", p)
	case p.Shape == LogUniform && !(p.Low > 0):
		return fmt.Errorf("a log-uniform prior needs LOW above 0: %s", p)
	case p.Shape == Normal && !(p.SD > 0):
		return fmt.Errorf("a normal prior needs SD above 0: %s", p)
	case p.Shape != Normal && (math.IsInf(p.Low, 0) || math.IsInf(p.High, 0)):
		return fmt.Errorf("a %s prior needs finite ends: %s", p.Shape, p)
	}
	return nil
}

// String writes the prior's spec as ParsePrior reads it.
func (p Prior) String() string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	switch p.Shape {
	case LogUniform:
		return "log:" + g(p.Low) + ":" + g(p.High)
	case Normal:
		return "normal:" + g(p.Mean) + ":" + g(p.SD) + ":" + g(p.Low) + ":" + g(p.High)
	}
	return g(p.Low) + ":" + g(p.High)
}

// toWork maps a key's value to the prior's working coordinate.
func (p Prior) toWork(x float64) float64 {
	if p.Shape == LogUniform {
		return math.Log(x)
	}
	return x
}

// fromWork maps a working coordinate back to the key's value.
func (p Prior) fromWork(z float64) float64 {
	if p.Shape == LogUniform {
		return math.Exp(z)
	}
	return z
}

// inside reports whether working coordinate z lies in the support.
func (p Prior) inside(z float64) bool {
	x := p.fromWork(z)
	return x >= p.Low && x <= p.High
}

// logDensity is the log prior density of working coordinate z, up to a
// constant that is the same for every particle and so cancels from the
// normalised weights.
func (p Prior) logDensity(z float64) float64 {
	if !p.inside(z) {
		return math.Inf(-1)
	}
	if p.Shape == Normal {
		d := (z - p.Mean) / p.SD
		return -0.5 * d * d
	}
	return 0
}

// sample draws a working coordinate from the prior; a truncated normal by
// rejection, or by the inverse distribution function when most of the
// normal's mass lies outside the support.
func (p Prior) sample(r *rand.Rand) float64 {
	switch p.Shape {
	case LogUniform:
		lo, hi := math.Log(p.Low), math.Log(p.High)
		return lo + r.Float64()*(hi-lo)
	case Normal:
		for range 64 {
			if z := p.Mean + p.SD*r.NormFloat64(); z >= p.Low && z <= p.High {
				return z
			}
		}
		lo := normCDF((p.Low - p.Mean) / p.SD)
		hi := normCDF((p.High - p.Mean) / p.SD)
		z := p.Mean + p.SD*math.Sqrt2*math.Erfinv(2*(lo+r.Float64()*(hi-lo))-1)
		return math.Min(p.High, math.Max(p.Low, z))
	}
	return p.Low + r.Float64()*(p.High-p.Low)
}

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
