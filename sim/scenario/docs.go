package scenario

import (
	"math"
	"strings"
	"sync"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/graph"
)

var nan = math.NaN()

// runDocs documents the keys of a scenario that are not model parameters:
// what to call it, how long and how often to run it, and what to write.
var runDocs = []sim.ParamDoc{
	{Key: "name", Doc: "The scenario's name: its results go to results/NAME/ and comparisons label it so. Letters, digits, '-', '_' and '.'; the file name without .toml when left out.",
		Min: nan, Max: nan, Source: "-"},
	{Key: "description", Doc: "What the scenario shows, in a sentence or two; printed by check and kept in the manifest.", Min: nan, Max: nan, Source: "-"},
	{Key: "days", Doc: "Days to simulate after day 0, the seeded state.", Unit: "days", Min: 1, Max: 36500, Source: "-"},
	{Key: "replicates", Doc: "Independent runs of the market; outcomes are reported as mean, standard deviation and Student-t 95% confidence interval across them.", Unit: "runs", Min: 1, Max: 10000,
		Source: "Rand & Rust (2011): report many replicates, not one run"},
	{Key: "seed", Doc: "Seed every random draw derives from: the social graph from the seed alone, replicate r from (seed, r). The same seed gives byte-identical outputs whatever the number of workers.",
		Min: 0, Max: nan, Source: "-"},
}

// outputDocs document the [output] table.
var outputDocs = []sim.ParamDoc{
	{Key: "output.plots", Doc: "Draw the plots (PNG and SVG) next to the CSV files; --plots=false overrides it.", Min: nan, Max: nan, Source: "-"},
	{Key: "output.orbit_sample", Doc: "Customers drawn at random for orbit.csv and the orbit picture of replicate 0; 0 records no orbit.", Unit: "customers", Min: 0, Max: 1_000_000, Source: "-"},
	{Key: "output.orbit_every", Doc: "Days between two orbit frames; the last day is always recorded.", Unit: "days", Min: 1, Max: 36500, Source: "-"},
}

// scheduleDocs document the [[schedule]] tables.
var scheduleDocs = []sim.ParamDoc{
	{Key: "schedule.day", Doc: "The day a plan's changes start; the changes of later tables apply on top of earlier ones.", Unit: "day", Min: 1, Max: 36500, Source: "-"},
	{Key: "schedule.set", Doc: "The changes, each \"brand.NAME.key=value\" as for --set: budgets, shares and strategy keys of a brand, for example \"brand.Acme.budget.content=0.4\".", Min: nan, Max: nan, Source: "-"},
}

// calibrateDocs document the [calibrate] table, which `pushpull calibrate`
// reads unless its flags say otherwise.
var calibrateDocs = []sim.ParamDoc{
	{Key: "calibrate.data", Doc: "Observed data to fit (--data): a CSV file, relative to the scenario file, with a time column, then columns named as in daily.csv.", Min: nan, Max: nan, Source: "-"},
	{Key: "calibrate.fit", Doc: `Keys to fit and their priors (--fit), each "KEY=LOW:HIGH" (uniform), "KEY=log:LOW:HIGH" (log-uniform) or "KEY=normal:MEAN:SD[:LOW:HIGH]", KEY as for --set: "word_of_mouth.rate=0.01:1".`, Min: nan, Max: nan, Source: "-"},
	{Key: "calibrate.unit", Doc: "What one unit of the data's time is (--unit): day, week (7 days) or month (30.4375 days); empty leaves day.", Values: CalibrateUnits, Source: "-"},
	{Key: "calibrate.shares", Doc: "The data are shares of all customers, 0 to 1, not counts (--shares).", Min: nan, Max: nan, Source: "-"},
	{Key: "calibrate.particles", Doc: "Particles per generation (--particles, at least 10); 0 leaves the command's default, 500.", Unit: "particles", Min: 0, Max: 1e7, Source: "assumption: 500 particles give stable 90% intervals for two or three keys (Beaumont et al. 2009)"},
	{Key: "calibrate.budget", Doc: "Most simulations the fit may spend (--budget); 0: no limit.", Unit: "simulations", Min: 0, Max: 1e12, Source: "-"},
	{Key: "calibrate.tolerance", Doc: "Stop once a generation's tolerance is at or below this distance (--tolerance); 0: never.", Unit: "distance", Min: 0, Max: 1e12, Source: "-"},
	{Key: "calibrate.min_acceptance", Doc: "Stop after a generation accepting fewer than this share of its simulations (--min-acceptance); 0 leaves the command's default.", Unit: "share", Min: 0, Max: 0.99, Source: "-"},
	{Key: "calibrate.generations", Doc: "Most generations, the prior's included (--generations); 0 leaves the command's default.", Unit: "generations", Min: 0, Max: 1000, Source: "-"},
	{Key: "calibrate.quantile", Doc: "Each tolerance is this quantile of the last generation's distances (--quantile); 0 leaves the command's default, the median.", Unit: "share", Min: 0, Max: 0.99, Source: "Del Moral, Doucet and Jasra (2012): an adaptive tolerance from the last generation's distances"},
	{Key: "calibrate.predictive", Doc: "Simulations at posterior draws for the predictive band (--predictive, at least 10); 0 leaves the command's default, 200.", Unit: "simulations", Min: 0, Max: 1e7, Source: "-"},
}

// optimizeDocs document the [optimize] table, which `pushpull optimize`
// reads.
var optimizeDocs = []sim.ParamDoc{
	{Key: "optimize.brand", Doc: "The brand whose levers are searched (--brand); the other brands keep their strategies.", Min: nan, Max: nan, Source: "-"},
	{Key: "optimize.shares", Doc: `Budget levers whose shares of the brand's budget.daily are split, among "push", "content", "platform", "partners" (--shares); together they take what the brand's other shares leave.`, Min: nan, Max: nan, Source: "-"},
	{Key: "optimize.levers", Doc: `Levers searched (--lever), each "KEY=MIN:MAX" (a range of numbers) or "KEY=A,B,..." (a choice), KEY as in a [[brand]] table: "budget.daily=20:200", "pull.platform=conversation,contribution".`, Min: nan, Max: nan, Source: "-"},
	{Key: "optimize.objective", Doc: "The brand's end-of-run outcome to maximize (--objective): profit, roi (profit per unit of spend), clv (lifetime value per adopter), or a reach outcome.", Values: OptimizeObjectives, Source: "-"},
	{Key: "optimize.quantile", Doc: "Maximize this lower quantile of the replicates instead of their mean (--quantile): 0.1 is a risk-averse choice, the value 10% of replicates fall below; 0 maximizes the mean.", Unit: "share", Min: 0, Max: 0.99, Source: "-"},
	{Key: "optimize.budget", Doc: "Most simulations the search and the final selection may spend (--budget); 0 leaves the command's default, 600.", Unit: "simulations", Min: 0, Max: 1e9, Source: "assumption: 600 simulations find a few levers' best in a 10,000-customer market within minutes"},
	{Key: "optimize.tie_margin", Doc: "A finalist whose paired difference to the winner lies within plus or minus this is reported as a tie (--tie-margin); 0 reports only exact ties.", Unit: "the objective's unit", Min: 0, Max: 1e12, Source: "-"},
}

// sweepDocs document the [sweep] table, which package design expands.
var sweepDocs = []sim.ParamDoc{
	{Key: "sweep.method", Doc: `How the sweep chooses its points: "grid" (every combination of the factors' values), "latin_hypercube" (points spread evenly over the ranges) or "sobol" (a Saltelli design for Sobol sensitivity indices).`,
		Values: []string{string(design.MethodGrid), string(design.MethodLatinHypercube), string(design.MethodSobol)},
		Source: "McKay, Beckman & Conover (1979); Saltelli (2002); Saltelli et al. (2010)"},
	{Key: "sweep.points", Doc: "Points of a latin_hypercube design, or base rows N of a sobol design, which runs N x (factors + 2) points; a grid's size comes from its factors.", Unit: "points", Min: 0, Max: design.MaxPoints, Source: "-"},
	{Key: "sweep.seed", Doc: "Seed of a latin_hypercube design (required, not 0); grid and sobol designs take none.", Min: 0, Max: nan, Source: "-"},
	{Key: "sweep.series", Doc: "Daily metrics (columns of daily.csv, such as adopters or customers) that every run of the sweep keeps day by day, written to series.csv, one row per point, replicate, brand and metric; none by default.", Min: nan, Max: nan, Source: "-"},
	{Key: "sweep.series_every", Doc: "Keep every n-th day of the series (day 0, n, 2n, ... and the last day); 0 and 1 keep every day.", Unit: "days", Min: 0, Max: 36500, Source: "-"},
	{Key: "sweep.factor.path", Doc: "The scenario key a factor varies, written as for --set (brand.NAME.push.rate).", Min: nan, Max: nan, Source: "-"},
	{Key: "sweep.factor.values", Doc: "Explicit values of a grid factor: numbers, or strings for keys that take words.", Min: nan, Max: nan, Source: "-"},
	{Key: "sweep.factor.min", Doc: "Lower end of the factor's range.", Min: nan, Max: nan, Source: "-"},
	{Key: "sweep.factor.max", Doc: "Upper end of the factor's range.", Min: nan, Max: nan, Source: "-"},
	{Key: "sweep.factor.steps", Doc: "Values a grid takes from the range, evenly spaced, ends included (2 or more).", Min: 0, Max: design.MaxPoints, Source: "-"},
	{Key: "sweep.factor.log", Doc: "Space a grid evenly in log10, or sample log-uniformly; min must be above 0.", Min: nan, Max: nan, Source: "-"},
	{Key: "sweep.factor.integer", Doc: "Round every value of the factor to a whole number.", Min: nan, Max: nan, Source: "-"},
}

// graphDefaults are the values a graph key takes when the scenario leaves
// it out and its kind reads it. Every kind's defaults give a mean degree
// near 10, so that switching kinds changes the shape of the network, not
// how connected it is.
var graphDefaults = graph.Spec{
	Kind: graph.KindWattsStrogatz, MeanDegree: 10, K: 10, Beta: 0.1, M: 5,
	Communities: 10, Homophily: 0.8, Exponent: 2.5, MinDegree: 4, Direction: graph.DirectionBoth,
}

var (
	docsOnce sync.Once
	allDocs  []sim.ParamDoc
	docIndex map[string]*sim.ParamDoc
)

// Docs returns the documentation of every key a scenario file may hold, in
// the order of a scenario file: the run keys, the market's parameters
// (sim.ParamDocs) with the graph's keys (graph.SpecDocs) after customers,
// the [output] table, the brands, and the [sweep] table. Keys are generic:
// brand keys read "brand.push.rate", not "brand.Acme.push.rate".
func Docs() []sim.ParamDoc {
	docsOnce.Do(func() {
		// sim fills in the unbounded ranges of its docs on first lookup.
		sim.LookupParam("customers")
		allDocs = append(allDocs, runDocs...)
		var brands []sim.ParamDoc
		for _, d := range sim.ParamDocs {
			if strings.HasPrefix(d.Key, "brand.") {
				brands = append(brands, d)
				continue
			}
			allDocs = append(allDocs, d)
			if d.Key == "customers" {
				for _, g := range graph.SpecDocs {
					allDocs = append(allDocs, graphDoc(g))
				}
			}
		}
		allDocs = append(allDocs, outputDocs...)
		allDocs = append(allDocs, brands...)
		allDocs = append(allDocs, scheduleDocs...)
		allDocs = append(allDocs, sweepDocs...)
		allDocs = append(allDocs, optimizeDocs...)
		allDocs = append(allDocs, calibrateDocs...)
		docIndex = make(map[string]*sim.ParamDoc, len(allDocs))
		for i := range allDocs {
			docIndex[allDocs[i].Key] = &allDocs[i]
		}
	})
	return allDocs
}

// graphDoc converts a graph key's documentation, naming the kinds that
// read it.
func graphDoc(g graph.SpecDoc) sim.ParamDoc {
	key := g.Key
	if !strings.HasPrefix(key, "graph.") {
		key = "graph." + key
	}
	doc := g.Doc
	if len(g.Kinds) > 0 && len(g.Kinds) < len(graph.Kinds) {
		doc += " Read by " + strings.Join(g.Kinds, ", ") + "."
	}
	return sim.ParamDoc{Key: key, Doc: doc, Unit: g.Unit, Min: g.Min, Max: g.Max, Values: g.Values, Source: g.Source}
}

// lookupDoc returns the documentation of a generic key.
func lookupDoc(key string) *sim.ParamDoc {
	Docs()
	return docIndex[key]
}

// kindDoc returns the documentation of a graph kind.
func kindDoc(kind string) (graph.KindDoc, bool) {
	for _, d := range graph.KindDocs {
		if d.Kind == kind {
			return d, true
		}
	}
	return graph.KindDoc{}, false
}

// KeyLabel names a scenario key on a plot's axis in words, with its unit
// from the key's documentation: brand.Megaphone.push.rate reads
// "Megaphone push rate (impressions/customer/day)".
func KeyLabel(path string) string {
	parts := strings.Split(path, ".")
	generic, owner := path, ""
	if len(parts) > 2 && parts[0] == "brand" {
		owner = parts[1] + " "
		generic = strings.Join(append([]string{"brand"}, parts[2:]...), ".")
		parts = parts[2:]
	}
	words := strings.ReplaceAll(strings.Join(parts, " "), "_", " ")
	for _, d := range Docs() {
		if d.Key == generic && d.Unit != "" {
			return owner + words + " (" + d.Unit + ")"
		}
	}
	return owner + words
}
