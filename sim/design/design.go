package design

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Method is how a design chooses its points.
type Method string

// The methods a sweep may name in its method key.
const (
	MethodGrid           Method = "grid"
	MethodLatinHypercube Method = "latin_hypercube"
	MethodSobol          Method = "sobol"
)

// MaxPoints bounds the points a design may expand to. Every point is a full
// simulation, so a design past this size is almost certainly a typo (a
// misplaced digit in steps or points), and refusing it early keeps Expand
// from exhausting memory.
const MaxPoints = 1 << 22

// Factor is one scenario parameter that the sweep varies: either an explicit
// list of Values or the range [Min, Max].
type Factor struct {
	// Path is the scenario key path, such as "attention.capacity".
	Path string `json:"path"`
	// Values is an explicit list (grid only), each as the TOML literal
	// text: numbers as written, strings without quotes. A list whose
	// entries are all finite numbers is numeric; any other list is
	// categorical and its points carry the entry's index as Numeric.
	Values []string `json:"values,omitempty"`
	// Min and Max bound a range, both inclusive for a grid.
	Min float64 `json:"min,omitempty"`
	Max float64 `json:"max,omitempty"`
	// Steps is how many values a grid takes from the range (2 or more).
	Steps int `json:"steps,omitempty"`
	// Log spaces a grid evenly in log10, or samples log-uniformly; Min > 0.
	Log bool `json:"log,omitempty"`
	// Integer rounds every value to a whole number inside [Min, Max].
	// Latin hypercube and sobol designs then draw each whole number with
	// equal probability (on the log scale when Log is set).
	Integer bool `json:"integer,omitempty"`
}

// Categorical reports whether the factor is a list with an entry that is
// not a finite number, such as "everyone" or "opt_in". Its Numeric values
// are list positions, which a regression would read as an order the
// entries may not have.
func (f Factor) Categorical() bool {
	for _, v := range f.Values {
		if _, ok := parseFinite(v); !ok {
			return true
		}
	}
	return false
}

// Design is a parameter sweep: a method, the factors it varies, and the
// method's size and seed.
type Design struct {
	Method  Method   `json:"method"`
	Factors []Factor `json:"factors"`
	// Points is the number of points of a latin_hypercube design, or the
	// number of base rows N of a sobol design, which runs N*(k+2) points
	// for k factors (a power of two suits the Sobol sequence best). A
	// grid's size comes from its factors and Points must be 0.
	Points int `json:"points,omitempty"`
	// Seed seeds a latin_hypercube design and must then be non-zero, so
	// that a forgotten seed is caught rather than silently fixed at 0.
	// Grid and sobol designs are deterministic and take no seed.
	Seed uint64 `json:"seed,omitempty"`
}

// Point is one scenario of a design: a value for each factor, in the order
// of Design.Factors.
type Point struct {
	// Index is the point's 0-based position in the design, stable across
	// calls, processes and shards.
	Index int
	// Values holds each value as text to put in the scenario: list entries
	// as given, whole numbers without exponent or decimal point, other
	// numbers in the shortest form that parses back to the same float64.
	Values []string
	// Numeric holds each value as a number; for a categorical factor, the
	// position of the entry in its list.
	Numeric []float64
}

// FieldError is one problem Validate found, tied to the scenario key it
// comes from.
type FieldError struct {
	// Key is the scenario key, such as "sweep.factor[2].max"; factor
	// indices count from 0.
	Key string
	// Path is the factor's scenario path, or "" for keys outside a factor.
	Path    string
	Problem string
	Value   string
}

func (e *FieldError) Error() string {
	where := e.Key
	if e.Path != "" {
		where += " (" + e.Path + ")"
	}
	return "design: " + where + ": " + e.Problem + ": " + e.Value
}

// Paths lists the factors' scenario paths in design order.
func (d Design) Paths() []string {
	paths := make([]string, len(d.Factors))
	for i, f := range d.Factors {
		paths[i] = f.Path
	}
	return paths
}

// Validate reports every problem with the design at once, as *FieldError
// values joined with errors.Join (nil when there are none).
func (d Design) Validate() error {
	var errs []error
	add := func(key, path, problem, value string) {
		errs = append(errs, &FieldError{Key: key, Path: path, Problem: problem, Value: value})
	}

	switch d.Method {
	case MethodGrid, MethodLatinHypercube, MethodSobol:
	case "":
		add("sweep.method", "", "missing (want grid, latin_hypercube or sobol)", `""`)
	default:
		add("sweep.method", "", "unknown method (want grid, latin_hypercube or sobol)", strconv.Quote(string(d.Method)))
	}

	if len(d.Factors) == 0 {
		add("sweep.factor", "", "no factors given", "0")
	}
	if maxFactors := MaxSobolDimensions / 2; d.Method == MethodSobol && len(d.Factors) > maxFactors {
		add("sweep.factor", "", fmt.Sprintf("sobol takes at most %d factors (the embedded direction numbers cover %d dimensions, two per factor)", maxFactors, MaxSobolDimensions), strconv.Itoa(len(d.Factors)))
	}

	switch d.Method {
	case MethodGrid:
		if d.Points != 0 {
			add("sweep.points", "", "only used by latin_hypercube and sobol (a grid's size comes from its factors)", strconv.Itoa(d.Points))
		}
	case MethodLatinHypercube:
		if d.Points < 1 {
			add("sweep.points", "", "must be at least 1", strconv.Itoa(d.Points))
		}
	case MethodSobol:
		// Variances, and so every Sobol index, need two base rows or more.
		if d.Points < 2 {
			add("sweep.points", "", "must be at least 2 base rows", strconv.Itoa(d.Points))
		}
	}
	switch {
	case d.Method == MethodLatinHypercube && d.Seed == 0:
		add("sweep.seed", "", "latin_hypercube needs an explicit non-zero seed", "0")
	case d.Method != MethodLatinHypercube && d.Seed != 0:
		add("sweep.seed", "", "only used by latin_hypercube", strconv.FormatUint(d.Seed, 10))
	}

	firstUse := map[string]int{}
	for i, f := range d.Factors {
		key := fmt.Sprintf("sweep.factor[%d]", i)
		p := f.Path
		if strings.TrimSpace(p) == "" {
			add(key+".path", "", "missing", strconv.Quote(p))
		} else if j, dup := firstUse[p]; dup {
			add(key+".path", p, fmt.Sprintf("same path as sweep.factor[%d]", j), strconv.Quote(p))
		} else {
			firstUse[p] = i
		}
		if len(f.Values) > 0 {
			validateList(d.Method, key, f, add)
		} else {
			validateRange(d.Method, key, f, add)
		}
	}

	if len(errs) == 0 {
		if n, ok := d.count(); !ok || n > MaxPoints {
			value := strconv.Itoa(n)
			if !ok {
				value = "more than " + strconv.Itoa(math.MaxInt)
			}
			add("sweep", "", fmt.Sprintf("expands to more than %d points", MaxPoints), value)
		}
	}
	return errors.Join(errs...)
}

func validateList(method Method, key string, f Factor, add func(key, path, problem, value string)) {
	p := f.Path
	if method == MethodLatinHypercube || method == MethodSobol {
		add(key+".values", p, "value lists are only for method grid; give min and max", fmt.Sprint(f.Values))
	}
	if f.Min != 0 || f.Max != 0 {
		add(key+".min", p, "min and max do not go with values", formatNumber(f.Min, false)+".."+formatNumber(f.Max, false))
	}
	if f.Steps != 0 {
		add(key+".steps", p, "steps does not go with values", strconv.Itoa(f.Steps))
	}
	if f.Log {
		add(key+".log", p, "log is for ranges, not values", "true")
	}
	if f.Integer {
		add(key+".integer", p, "integer is for ranges, not values", "true")
	}
	firstUse := map[string]int{}
	for j, v := range f.Values {
		vkey := fmt.Sprintf("%s.values[%d]", key, j)
		if strings.TrimSpace(v) == "" {
			add(vkey, p, "empty value", strconv.Quote(v))
		} else if first, dup := firstUse[v]; dup {
			add(vkey, p, fmt.Sprintf("repeats values[%d]", first), strconv.Quote(v))
		} else {
			firstUse[v] = j
		}
	}
}

func validateRange(method Method, key string, f Factor, add func(key, path, problem, value string)) {
	p := f.Path
	finite := true
	if math.IsNaN(f.Min) || math.IsInf(f.Min, 0) {
		add(key+".min", p, "not a finite number", formatNumber(f.Min, false))
		finite = false
	}
	if math.IsNaN(f.Max) || math.IsInf(f.Max, 0) {
		add(key+".max", p, "not a finite number", formatNumber(f.Max, false))
		finite = false
	}
	if finite {
		switch {
		case f.Min > f.Max:
			add(key+".max", p, "below min "+formatNumber(f.Min, false), formatNumber(f.Max, false))
		case f.Min == f.Max:
			// Also what a factor with neither values nor min and max looks like.
			add(key+".max", p, "equals min, so the factor does not vary (give values, or min < max)", formatNumber(f.Max, false))
		case f.Integer && math.Ceil(f.Min) > math.Floor(f.Max):
			add(key+".max", p, "no whole number between min "+formatNumber(f.Min, false)+" and max", formatNumber(f.Max, false))
		}
		if f.Log && f.Min <= 0 {
			add(key+".min", p, "must be above 0 for a log range", formatNumber(f.Min, false))
		}
	}
	switch {
	case method == MethodGrid && f.Steps < 2:
		add(key+".steps", p, "a grid over a range needs at least 2 steps", strconv.Itoa(f.Steps))
	case method == MethodGrid && f.Steps > MaxPoints:
		add(key+".steps", p, fmt.Sprintf("more than %d steps", MaxPoints), strconv.Itoa(f.Steps))
	case (method == MethodLatinHypercube || method == MethodSobol) && f.Steps != 0:
		add(key+".steps", p, "only used by method grid", strconv.Itoa(f.Steps))
	}
}

// Count is the number of points the design expands to, or 0 when the
// design does not validate.
func (d Design) Count() int {
	if d.Validate() != nil {
		return 0
	}
	n, _ := d.count()
	return n
}

// count is the size of a design whose fields are individually valid;
// ok is false when the size overflows int.
func (d Design) count() (n int, ok bool) {
	switch d.Method {
	case MethodGrid:
		n = 1
		for _, f := range d.Factors {
			levels := len(gridLevels(f))
			if levels != 0 && n > math.MaxInt/levels {
				return 0, false
			}
			n *= levels
		}
		return n, true
	case MethodLatinHypercube:
		return d.Points, true
	case MethodSobol:
		width := len(d.Factors) + 2
		if d.Points > math.MaxInt/width {
			return 0, false
		}
		return d.Points * width, true
	}
	return 0, false
}

// Expand returns every point of the design, in index order.
func (d Design) Expand() ([]Point, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	n, _ := d.count()
	return d.ExpandRange(0, n)
}

// ExpandRange returns the points with indices lo <= index < hi, exactly as
// Expand would return them: a shard's worker expands only its own part.
func (d Design) ExpandRange(lo, hi int) ([]Point, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	n, _ := d.count()
	if lo < 0 || lo > hi || hi > n {
		return nil, fmt.Errorf("design: range must satisfy 0 <= lo <= hi <= %d: [%d, %d)", n, lo, hi)
	}
	pointAt, err := d.pointFunc()
	if err != nil {
		return nil, err
	}
	points := make([]Point, 0, hi-lo)
	for i := lo; i < hi; i++ {
		points = append(points, pointAt(i))
	}
	return points, nil
}

// pointFunc prepares what the method needs once (grid levels, the Latin
// hypercube's unit matrix, Sobol direction numbers) and returns a function
// giving the point at an index of a valid design.
func (d Design) pointFunc() (func(int) Point, error) {
	k := len(d.Factors)
	newPoint := func(i int) Point {
		return Point{Index: i, Values: make([]string, k), Numeric: make([]float64, k)}
	}
	switch d.Method {
	case MethodGrid:
		levels := make([][]level, k)
		for f := range d.Factors {
			levels[f] = gridLevels(d.Factors[f])
		}
		return func(i int) Point {
			p := newPoint(i)
			// Mixed radix, last factor least significant.
			rest := i
			for f := k - 1; f >= 0; f-- {
				l := levels[f][rest%len(levels[f])]
				rest /= len(levels[f])
				p.Values[f], p.Numeric[f] = l.text, l.numeric
			}
			return p
		}, nil
	case MethodLatinHypercube:
		unit := latinHypercubeUnit(d.Points, k, d.Seed)
		return func(i int) Point {
			p := newPoint(i)
			for f, factor := range d.Factors {
				v := fromUnit(unit[i][f], factor)
				p.Values[f], p.Numeric[f] = formatNumber(v, factor.Integer), v
			}
			return p
		}, nil
	case MethodSobol:
		g, err := newSobolGenerator(2 * k)
		if err != nil {
			return nil, err
		}
		return func(i int) Point {
			p := newPoint(i)
			row, block, _ := SobolBlock(i, k)
			// Row j of A and B is Sobol point j+1: point 0 is all zeros.
			seq := uint32(row + 1)
			for f, factor := range d.Factors {
				column := f
				if block == BlockB || block == f {
					column = k + f
				}
				v := fromUnit(g.coordinate(seq, column), factor)
				p.Values[f], p.Numeric[f] = formatNumber(v, factor.Integer), v
			}
			return p
		}, nil
	}
	return nil, fmt.Errorf("design: sweep.method: unknown method: %q", d.Method)
}

// level is one value a grid factor takes.
type level struct {
	text    string
	numeric float64
}

// gridLevels lists the values a grid takes for a factor whose fields are
// valid.
func gridLevels(f Factor) []level {
	if len(f.Values) > 0 {
		categorical := f.Categorical()
		levels := make([]level, len(f.Values))
		for i, v := range f.Values {
			levels[i].text = v
			if categorical {
				levels[i].numeric = float64(i)
			} else {
				levels[i].numeric, _ = parseFinite(v)
			}
		}
		return levels
	}
	n := f.Steps
	levels := make([]level, 0, n)
	seen := make(map[float64]bool, n)
	logMin, logMax := math.Log10(f.Min), math.Log10(f.Max)
	for i := range n {
		var v float64
		switch {
		case i == 0:
			v = f.Min
		case i == n-1:
			v = f.Max
		default:
			// Weighting both ends, rather than stepping from Min, keeps
			// interior values as close as float64 allows to the exact ones.
			wMin, wMax := float64(n-1-i)/float64(n-1), float64(i)/float64(n-1)
			if f.Log {
				v = math.Pow(10, logMin*wMin+logMax*wMax)
			} else {
				v = f.Min*wMin + f.Max*wMax
			}
			// 15 significant digits drop representation noise, so a
			// grid from 0 to 1 in 11 steps reads 0.3, not 0.30000000000000004.
			v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
		}
		if f.Integer {
			v = roundInside(v, f)
		}
		if seen[v] {
			continue
		}
		seen[v] = true
		levels = append(levels, level{text: formatNumber(v, f.Integer), numeric: v})
	}
	return levels
}

// fromUnit maps u in [0, 1) into a valid range factor: uniformly, or
// log-uniformly when Log is set, and to whole numbers when Integer is.
func fromUnit(u float64, f Factor) float64 {
	if f.Integer && !f.Log {
		// Equal chances for every whole number: rounding a continuous
		// value instead would give the two end values half a share each.
		lo, hi := math.Ceil(f.Min), math.Floor(f.Max)
		return min(lo+math.Floor(u*(hi-lo+1)), hi)
	}
	var v float64
	if f.Log {
		lo, hi := math.Log10(f.Min), math.Log10(f.Max)
		v = math.Pow(10, lo+u*(hi-lo))
	} else {
		v = f.Min + u*(f.Max-f.Min)
	}
	if f.Integer {
		return roundInside(v, f)
	}
	return min(max(v, f.Min), f.Max)
}

// roundInside rounds v to the nearest whole number in [Min, Max].
func roundInside(v float64, f Factor) float64 {
	v = min(max(math.Round(v), math.Ceil(f.Min)), math.Floor(f.Max))
	if v == 0 {
		v = 0 // not -0, which would print as "-0"
	}
	return v
}

// formatNumber writes whole-number factors without exponent, and anything
// else in the shortest text that parses back to the same float64.
func formatNumber(v float64, integer bool) string {
	if v == 0 {
		v = 0 // no "-0"
	}
	if integer {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func parseFinite(text string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}
