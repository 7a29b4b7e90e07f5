package calibrate

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// Units of observation time and the simulated days each stands for; a
// month is a twelfth of the Julian year, and observation t of a data set in
// months is compared with simulated day round(30.4375 t).
var Units = map[string]float64{"day": 1, "week": 7, "month": 365.25 / 12}

// UnitNames lists the units in order of length.
var UnitNames = []string{"day", "week", "month"}

// Target says what a scenario fit compares: which data, in what unit, as
// counts or as shares of all customers.
type Target struct {
	Data *Data
	// Unit is a key of Units (default "day").
	Unit string
	// Shares reads the data as shares of all customers (0 to 1) rather than
	// counts of customers.
	Shares bool
	// Sources[i] names where prior i was given, for messages: "--fit", or
	// a scenario file's line ("market.toml:40: calibrate.fit").
	Sources []string
}

// series is one observed column: a daily metric of one brand.
type series struct {
	brand, metric int
}

// ScenarioModel simulates scenario sc with each prior's key set to the
// value fitted, as --set would set it, and reads the data's columns on the
// days the data observe. It checks everything before any simulation: each
// column names a daily metric (as in daily.csv; "metric:BRAND" in a
// scenario of several brands), the times fall on distinct days, each key
// exists, takes a number and accepts its prior's whole range. A normal
// prior without bounds is truncated to the key's range. The errors are
// scenario.Errors naming file, line and key. Each simulation is replicate 0
// of a market seeded with the simulation's seed, run to the last observed
// day on the scenario's graph, which is built once unless a fitted key
// changes it.
func ScenarioModel(sc *scenario.Scenario, priors []Prior, t Target) (Model, []Prior, error) {
	d := t.Data
	unit := t.Unit
	if unit == "" {
		unit = "day"
	}
	perUnit, ok := Units[unit]
	if !ok {
		return nil, nil, scenario.Errors{{File: "--unit", Problem: "unknown unit", Want: strings.Join(UnitNames, ", "), Got: strconv.Quote(unit)}}
	}
	var errs scenario.Errors
	brands := make([]string, len(sc.Brands))
	for i, b := range sc.Brands {
		brands[i] = b.Name
	}
	cols := make([]series, len(d.Columns))
	for c, name := range d.Columns {
		metric, brand, hasBrand := strings.Cut(name, ":")
		s := series{brand: 0, metric: output.MetricIndex(metric)}
		switch {
		case s.metric < 0:
			errs = append(errs, &scenario.Error{File: d.File, Line: 1, Key: name, Problem: "not a column the scenario produces",
				Want: "a column of daily.csv (" + strings.Join(output.MetricNames(), ", ") + ")", Got: strconv.Quote(metric)})
		case hasBrand:
			s.brand = indexOf(brands, brand)
			if s.brand < 0 {
				errs = append(errs, &scenario.Error{File: d.File, Line: 1, Key: name, Problem: "names no brand of the scenario",
					Want: "one of " + strings.Join(brands, ", "), Got: strconv.Quote(brand)})
			}
		case len(brands) > 1:
			errs = append(errs, &scenario.Error{File: d.File, Line: 1, Key: name, Problem: "the scenario has several brands",
				Want: metric + ":BRAND, BRAND one of " + strings.Join(brands, ", "), Got: strconv.Quote(name)})
		}
		cols[c] = s
	}
	days := make([]int, len(d.Times))
	for i, x := range d.Times {
		days[i] = int(math.Round(x * perUnit))
		if i > 0 && days[i] == days[i-1] {
			errs = append(errs, &scenario.Error{File: d.File, Line: d.Lines[i], Key: d.TimeColumn, Problem: "two times fall on the same simulated day",
				Want: "times at least a day apart in " + unit + "s", Got: strconv.FormatFloat(x, 'g', -1, 64)})
		}
	}
	if _, maxDays := keyRange("days"); float64(days[len(days)-1]) > maxDays {
		errs = append(errs, &scenario.Error{File: d.File, Line: d.Lines[len(days)-1], Key: d.TimeColumn, Problem: "later than the longest run",
			Want: fmt.Sprintf("at most %g days", maxDays), Got: fmt.Sprintf("day %d", days[len(days)-1])})
	}
	bound := make([]Prior, len(priors))
	rebuild := false
	for i, p := range priors {
		source := "--fit"
		if i < len(t.Sources) {
			source = t.Sources[i]
		}
		b, err := bindPrior(sc, p, source)
		if err != nil {
			errs = append(errs, err...)
			continue
		}
		bound[i] = b
		rebuild = rebuild || graphKey(p.Key)
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	var g *graph.Graph
	if !rebuild {
		var err error
		if g, err = sc.BuildGraph(); err != nil {
			return nil, nil, err
		}
		base := *sc // MatchGraph may set customers; sc stays as given
		if err := base.MatchGraph(g); err != nil {
			return nil, nil, err
		}
	}
	lastDay := days[len(days)-1]
	model := func(ctx context.Context, theta []float64, seed uint64, out []float64) error {
		at := *sc
		as := make([]scenario.Assignment, len(bound))
		for i, p := range bound {
			as[i] = scenario.Assignment{Source: "calibrate", Text: p.Key + "=" + strconv.FormatFloat(theta[i], 'g', -1, 64)}
		}
		if err := at.SetAll(as); err != nil {
			return err
		}
		graph := g
		if graph == nil {
			var err error
			if graph, err = at.BuildGraph(); err != nil {
				return err
			}
		}
		// An edge list's node count is the customers of a scenario that
		// leaves them out, which setting keys resolves again.
		if err := at.MatchGraph(graph); err != nil {
			return err
		}
		scale := 1.0
		if t.Shares {
			scale = 1 / float64(at.Customers)
		}
		m, err := sim.NewMarket(&at.Params, graph, seed, 0)
		if err != nil {
			return err
		}
		defer m.Close()
		m.SetWorkers(1)
		rec := output.NewSeries(brands, at.Customers, lastDay, 1)
		next := 0
		for day := 0; day <= lastDay; day++ {
			if day > 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				m.Step()
			}
			if day != days[next] {
				continue
			}
			if err := rec.Record(0, day, m.Metrics()); err != nil {
				return err
			}
			for c, s := range cols {
				out[c*len(days)+next] = rec.Value(0, day, s.brand, s.metric) * scale
			}
			next++
		}
		return nil
	}
	return model, bound, nil
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// graphKey reports whether key changes the social graph, which then is
// built again for every simulation.
func graphKey(key string) bool {
	return strings.HasPrefix(key, "graph.") || key == "customers" || key == "seed"
}

// bindPrior checks that the prior's key is a number of sc that accepts
// the prior's whole support (by setting it, as --set would, to each end
// and to a value between them that is not a whole number), and truncates
// an unbounded normal prior to the key's documented range.
func bindPrior(sc *scenario.Scenario, p Prior, source string) (Prior, scenario.Errors) {
	if p.Shape == Normal {
		lo, hi := keyRange(p.Key)
		p.Low, p.High = math.Max(p.Low, lo), math.Min(p.High, hi)
		if !(p.Low < p.High) || math.IsInf(p.Low, 0) || math.IsInf(p.High, 0) {
			return p, scenario.Errors{{File: source, Key: p.Key, Problem: "a normal prior needs bounds for a key without a documented range",
				Want: "normal:MEAN:SD:LOW:HIGH", Got: p.String()}}
		}
	}
	probe := p.Low + (p.High-p.Low)*0.381966 // between the ends, and not a whole number for any usual range
	if p.Shape == LogUniform {
		probe = math.Exp(math.Log(p.Low) + (math.Log(p.High)-math.Log(p.Low))*0.381966)
	}
	for _, x := range []float64{p.Low, p.High, probe} {
		trial := *sc
		err := trial.SetAll([]scenario.Assignment{{Source: source, Text: p.Key + "=" + strconv.FormatFloat(x, 'g', -1, 64)}})
		if err == nil {
			continue
		}
		if es, ok := err.(scenario.Errors); ok {
			for _, e := range es {
				if e.Problem == "out of range" {
					e.Problem = "the prior " + p.String() + " reaches outside the key's range"
				}
			}
			return p, es
		}
		return p, scenario.Errors{{File: source, Key: p.Key, Problem: err.Error()}}
	}
	return p, nil
}

// keyRange is the documented range of key, brands by name or not.
func keyRange(key string) (lo, hi float64) {
	generic := key
	if rest, ok := strings.CutPrefix(key, "brand."); ok {
		if _, tail, ok := strings.Cut(rest, "."); ok {
			generic = "brand." + tail
		}
	}
	lo, hi = math.Inf(-1), math.Inf(1)
	for _, d := range scenario.Docs() {
		if d.Key == generic {
			if !math.IsNaN(d.Min) {
				lo = d.Min
			}
			if !math.IsNaN(d.Max) {
				hi = d.Max
			}
		}
	}
	return lo, hi
}
