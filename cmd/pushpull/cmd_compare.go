package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

func compareCommand() *command {
	return &command{
		name:    "compare",
		args:    "[flags] A B ...",
		summary: "run scenarios side by side and print each brand's differences to the first",
		long: `Compares scenarios: for each brand and outcome, each scenario's mean with its
95% confidence interval, and the difference to the first scenario with its
interval. A, B, ... are scenario files or shipped scenario names, which are run,
or folders of earlier runs, which are read.

Scenarios run with common random numbers: every one with the first one's seed
and number of replicates (or --seed and --replicates), so replicate r of each
draws from the same random streams and, when the graph keys are the same, sits
on the same social graph. Differences then come from the scenarios, not from
luck, and their intervals are paired replicate by replicate. Brands are matched
by name. After the table, each scenario's brands are ranked by --rank (profit
unless given), each with its difference to the best, paired by replicate.

FILE:key=value (more changes joined by further colons, keys as --set takes
them) is scenario FILE with its own changes, so that two plans compare without
copying files: compare push-vs-pull push-vs-pull:brand.Megaphone.push.rate=4.
The table lists the keys in which the scenarios differ (presets included), the
outcomes --show names (default: adoption, advocates, detractors, churn/month,
ever left, blocked, wasted share of impressions and spend), and a verdict per
brand on the first of them: the scenario that does best, or that the best two
are within the 95% CI of each other. It says "paired, common random numbers"
only when every difference is paired replicate by replicate.

Writes compare.csv and the comparison plots into --out, and each scenario's run
folder into --out/<scenario name>/.`,
		run: runCompare,
	}
}

// A compared run is one column of a comparison.
type compared struct {
	name      string
	customers int
	outcomes  *output.ReplicateOutcomes
	series    *output.Series
	resolved  map[string]any // the resolved scenario, as a manifest holds it
}

// source is one argument of compare: a scenario to run or a run to read.
type source struct {
	sc       *scenario.Scenario
	dir      string
	label    string // how the comparison names it: the scenario, or a run folder's path when names repeat
	manifest *output.Manifest
	series   *output.Series
	outcomes *output.ReplicateOutcomes
}

func isRunDir(arg string) bool {
	info, err := os.Stat(arg)
	if err != nil || !info.IsDir() {
		return false
	}
	_, err = os.Stat(filepath.Join(arg, output.ManifestFile))
	return err == nil
}

func runCompare(e *env, args []string) error {
	c := lookup("compare")
	fs := e.flags(c)
	var sf scenarioFlags
	sf.register(fs)
	st := runSettings{write: true, graphs: map[string]*graph.Graph{}}
	st.register(fs, filepath.Join("results", "compare"), "folder for compare.csv, the plots and one run folder per scenario")
	show := registerShow(fs)
	rank := fs.String("rank", "profit", "outcome that ranks each scenario's brands, best first (a column of replicates.csv)")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if err := checkShow("compare", *show); err != nil {
		return err
	}
	if output.OutcomeIndex(*rank) < 0 {
		return invalidf("compare: --rank %q is not an outcome (want one of %s)", *rank, strings.Join(output.OutcomeNames, ", "))
	}
	if fs.NArg() < 2 {
		return invalidf("compare: name at least two scenarios or run folders (see `pushpull compare --help`)")
	}
	compareFile := filepath.Join(st.out, output.CompareFile)
	var sources []source
	for _, arg := range fs.Args() {
		if isRunDir(arg) {
			m, s, ro, err := output.ReadRunDir(arg)
			if err != nil {
				return invalid(err)
			}
			sources = append(sources, source{dir: arg, manifest: m, series: s, outcomes: ro})
			continue
		}
		file, overrides := splitOverrides(arg)
		sc, err := loadScenario(file)
		if err == nil {
			err = sf.apply(fs, sc)
		}
		if err == nil && len(overrides) > 0 {
			changes := make([]scenario.Assignment, len(overrides))
			for i, o := range overrides {
				changes[i] = scenario.Assignment{Source: file, Text: o}
			}
			err = invalid(sc.SetAll(changes))
			// The changed scenario is another plan: it is named, and
			// its run folder written, apart from the file's own.
			sc.Name += ":" + strings.Join(overrides, ":")
		}
		if err != nil {
			return err
		}
		e.warn(sc)
		sources = append(sources, source{sc: sc})
	}
	// Common random numbers: the first source sets seed and replicates.
	seed, replicates := sources[0].seedAndReplicates()
	count := map[string]int{}
	for i := range sources {
		count[sources[i].name()]++
	}
	names := map[string]bool{}
	for i := range sources {
		s := &sources[i]
		if s.sc != nil {
			if s.sc.Seed != seed {
				if err := s.sc.SetFrom("compare", "seed="+strconv.FormatUint(seed, 10)); err != nil {
					return invalid(err)
				}
			}
			if s.sc.Replicates != replicates {
				if err := s.sc.SetFrom("compare", "replicates="+strconv.Itoa(replicates)); err != nil {
					return invalid(err)
				}
			}
		}
		name := s.name()
		if s.sc == nil && count[name] > 1 {
			// Run folders of one scenario, as two runs with different
			// --set changes: their folders tell them apart.
			name = filepath.Clean(s.dir)
		}
		if names[name] {
			return invalidf("compare: two scenarios are named %q; give them different names", name)
		}
		names[name] = true
		s.label = name
	}
	// An earlier comparison is kept unless --force, or unless this one
	// repeats it: every scenario run again as its run folder there holds.
	if _, err := os.Stat(compareFile); err == nil && !st.force {
		same := true
		for _, s := range sources {
			same = same && s.sc != nil && sameRun(filepath.Join(st.out, folderName(s.sc.Name)), s.sc)
		}
		if !same {
			return invalidf("compare: %s exists; use --force to overwrite it, or --out to write elsewhere", compareFile)
		}
	}
	var runs []compared
	for _, s := range sources {
		if s.sc == nil {
			runs = append(runs, compared{name: s.label, customers: s.manifest.Customers, outcomes: s.outcomes, series: s.series, resolved: s.manifest.Resolved})
			continue
		}
		one := st
		one.out = filepath.Join(st.out, folderName(s.sc.Name))
		one.plots = st.plotsFor(fs, s.sc)
		res, err := e.execute(s.sc, one)
		if err != nil {
			return err
		}
		if res.interrupted {
			return fmt.Errorf("compare: interrupted while running %s; its finished replicates are in %s, and no comparison was written", s.sc.Name, res.dir)
		}
		runs = append(runs, compared{name: s.label, customers: s.sc.Customers, outcomes: res.outcomes, series: res.series, resolved: asManifestHolds(s.sc.ResolvedMap())})
	}
	rows := comparisonRows(runs)
	if err := os.MkdirAll(st.out, 0o755); err != nil {
		return err
	}
	if err := output.WriteFile(compareFile, func(w io.Writer) error { return output.WriteComparison(w, rows) }); err != nil {
		return err
	}
	if !fs.Changed("plots") || st.plots {
		if _, err := writeComparePlots(st.out, runs); err != nil {
			return fmt.Errorf("plots: %w", err)
		}
	}
	if st.quiet {
		return nil
	}
	if err := writeCompareTable(e.stdout, runs, rows, seed, *show); err != nil {
		return err
	}
	currency := ""
	if sources[0].sc != nil {
		currency = sources[0].sc.Money.Currency
	}
	if err := writeRanking(e.stdout, runs, *rank, currency); err != nil {
		return err
	}
	_, err := fmt.Fprintf(e.stdout, "\nwrote %s\n", compareFile)
	return err
}

// splitOverrides splits a compare argument FILE:key=value:key=value into
// the scenario and its own changes, as --set takes them; an argument
// without changes, or whose part before the first colon is no scenario, is
// all scenario. A colon inside a value stays with the value.
func splitOverrides(arg string) (string, []string) {
	file, rest, ok := strings.Cut(arg, ":")
	if !ok || !strings.Contains(rest, "=") {
		return arg, nil
	}
	if _, err := loadScenario(file); err != nil {
		return arg, nil
	}
	var overrides []string
	for part := range strings.SplitSeq(rest, ":") {
		key, _, isKey := strings.Cut(part, "=")
		if isKey && !strings.ContainsAny(key, " \"'") || len(overrides) == 0 {
			overrides = append(overrides, part)
			continue
		}
		overrides[len(overrides)-1] += ":" + part
	}
	return file, overrides
}

// folderName is a scenario's name made safe as a folder's on any system:
// a scenario changed on the command line (push-vs-pull:brand.Push.push.rate=2)
// runs in push-vs-pull_brand.Push.push.rate=2.
func folderName(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._=+-", r) {
			return r
		}
		return '_'
	}, name)
}

func (s *source) seedAndReplicates() (uint64, int) {
	if s.sc != nil {
		return s.sc.Seed, s.sc.Replicates
	}
	return s.manifest.Seed, s.manifest.Replicates
}

func (s *source) name() string {
	if s.sc != nil {
		return s.sc.Name
	}
	return s.manifest.Scenario
}

// comparisonRows lists, for every brand of the first scenario and then
// the brands only later scenarios have, every outcome and every scenario
// that has the brand, with the difference to the first.
func comparisonRows(runs []compared) []output.ComparisonRow {
	base := runs[0]
	sums := make([][][]output.Summary, len(runs))
	for i, r := range runs {
		sums[i] = r.outcomes.Summaries()
	}
	var rows []output.ComparisonRow
	for _, brand := range comparedBrands(runs) {
		bb := indexOf(base.outcomes.Brands, brand)
		for k, outcome := range output.OutcomeNames {
			for i, r := range runs {
				b := indexOf(r.outcomes.Brands, brand)
				if b < 0 {
					continue
				}
				row := output.ComparisonRow{Brand: brand, Outcome: outcome, Scenario: r.name, Summary: sums[i][b][k]}
				if i > 0 && bb >= 0 {
					row.Diff = output.Diff(base.outcomes, r.outcomes, bb, b, k)
					row.HasDiff = true
				}
				rows = append(rows, row)
			}
		}
	}
	return rows
}

// comparedBrands lists the brands of the first scenario, then those only
// later scenarios have.
func comparedBrands(runs []compared) []string {
	var brands []string
	seen := map[string]bool{}
	for _, r := range runs {
		for _, b := range r.outcomes.Brands {
			if !seen[b] {
				seen[b] = true
				brands = append(brands, b)
			}
		}
	}
	return brands
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// outcomeScale is what an outcome is divided by to print it as a
// percentage: shares by 1, counts of customers by the customers; 0 for
// outcomes printed as they are (money, days), and countScale for counts of
// events, such as customers lost, which can exceed the customers.
func outcomeScale(outcome string, customers int) float64 {
	switch outcome {
	case "adoption", "net_advocacy", "purchase_share", "wasted_share", "churn_rate", "mean_trust_aware", "mean_engagement":
		return 1
	case "customers", "adopters", "aware", "advocates", "detractors", "blocked", "opted_in":
		return float64(customers)
	case "churned", "leavers", "purchases", "impressions_sent", "impressions_processed", "impressions_wasted", "wom_positive", "wom_negative":
		return countScale
	case "push_spend":
		return moneyScale
	}
	return 0
}

// countScale marks an outcome printed as a whole count; moneyScale one
// printed as a whole count when large and to three digits when small.
const (
	countScale = -1
	moneyScale = -2
)

// formatInterval writes a mean or a difference with its interval:
// 21.3% [20.8, 21.8], +3.7 pts [+3.1, +4.3], 0.0412 [0.0398, 0.0426].
func formatInterval(outcome string, mean, low, high float64, customers int, diff bool) string {
	if math.IsNaN(mean) {
		return "-"
	}
	scale := outcomeScale(outcome, customers)
	num := func(v float64) string {
		s := strconv.FormatFloat(v, 'g', 3, 64)
		switch {
		case scale == countScale || scale == moneyScale && math.Abs(v) >= 100:
			s = thousands(v)
		case scale > 0:
			s = percent(v / scale)
		case isMoneyOutcome(outcome) && math.Abs(v) >= 100:
			s = thousands(v)
		}
		if diff && !strings.HasPrefix(s, "-") {
			return "+" + s
		}
		return s
	}
	unit := ""
	switch {
	case scale > 0 && diff:
		unit = " pts"
	case scale > 0:
		unit = "%"
	}
	if math.IsNaN(low) {
		return num(mean) + unit
	}
	if scale == countScale && !diff {
		low = math.Max(low, 0) // a count's interval reaches no lower
	}
	return fmt.Sprintf("%s%s [%s, %s]", num(mean), unit, num(low), num(high))
}

// writeCompareTable prints the comparison: a header that says how the
// differences were computed, the keys in which the scenarios differ, the
// table of the shown outcomes, and the verdict on the first of them.
func writeCompareTable(w io.Writer, runs []compared, rows []output.ComparisonRow, seed uint64, show []string) error {
	pairing := describePairing(rows)
	reps := len(runs[0].outcomes.Replicates)
	if pairing == allPaired {
		fmt.Fprintf(w, "compare: %d scenarios, seed %d, %d replicates each (paired, common random numbers)\n", len(runs), seed, reps)
	} else {
		fmt.Fprintf(w, "compare: %d scenarios, %d replicates in the first (%s)\n", len(runs), reps, pairing)
	}
	diffNote := map[string]string{
		allPaired:   "paired by replicate",
		nonePaired:  "Welch's, unpaired",
		somePaired:  "paired by replicate where the runs share seed and replicates, else Welch's and marked unpaired",
		noIntervals: "none: a run has a single replicate",
	}[pairing]
	fmt.Fprintln(w, legend(fmt.Sprintf("mean [95%% CI]; difference to %s [95%% CI, %s]", runs[0].name, diffNote), show))
	for _, d := range differingKeys(runs) {
		fmt.Fprintf(w, "differs: %s\n", d)
	}
	fmt.Fprintln(w)
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "brand\toutcome\tscenario\tmean\tdifference")
	customers := make(map[string]int, len(runs))
	for _, r := range runs {
		customers[r.name] = r.customers
	}
	// Rows come brand by brand in the order of the files' outcomes; print
	// them in the order --show gives, keeping brands together.
	var shown []output.ComparisonRow
	for _, brand := range comparedBrands(runs) {
		for _, o := range show {
			for _, r := range rows {
				if r.Brand == brand && r.Outcome == o {
					shown = append(shown, r)
				}
			}
		}
	}
	lastBrand, lastOutcome := "", ""
	for _, r := range shown {
		n := customers[r.Scenario]
		diff := ""
		if r.HasDiff {
			diff = formatInterval(r.Outcome, r.Diff.Mean, r.Diff.Low, r.Diff.High, n, true)
			if !r.Diff.Paired && !math.IsNaN(r.Diff.Low) {
				diff += " (unpaired)"
			}
		}
		brand, outcome := r.Brand, outcomeLabel(r.Outcome)
		if r.Brand == lastBrand && r.Outcome == lastOutcome {
			brand, outcome = "", ""
		} else if r.Brand == lastBrand {
			brand = ""
		}
		lastBrand, lastOutcome = r.Brand, r.Outcome
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", brand, outcome, r.Scenario,
			formatInterval(r.Outcome, r.Summary.Mean, r.Summary.Low, r.Summary.High, n, false), diff)
	}
	if err := flushTrimmed(tw, w, &buf); err != nil {
		return err
	}
	lines := verdicts(runs, show[0])
	if len(lines) > 0 {
		fmt.Fprintln(w)
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// How the differences of a comparison were computed.
const (
	allPaired   = "paired"
	nonePaired  = "unpaired: the runs do not share seed and replicates"
	somePaired  = "not all with common random numbers"
	noIntervals = "no intervals"
)

// describePairing says whether every difference is paired replicate by
// replicate, none is, or some are; or that no difference has an interval.
func describePairing(rows []output.ComparisonRow) string {
	paired, unpaired := 0, 0
	for _, r := range rows {
		switch {
		case !r.HasDiff || math.IsNaN(r.Diff.Low) && !r.Diff.Paired:
		case r.Diff.Paired:
			paired++
		default:
			unpaired++
		}
	}
	switch {
	case paired == 0 && unpaired == 0:
		return noIntervals
	case unpaired == 0:
		return allPaired
	case paired == 0:
		return nonePaired
	}
	return somePaired
}

// verdicts name, for each brand in more than one scenario, the scenario
// that does best on outcome, or say that the best two are within each
// other's noise: the 95% interval of their difference holds zero.
func verdicts(runs []compared, outcome string) []string {
	k := output.OutcomeIndex(outcome)
	lower := lowerIsBetter[outcome]
	sums := make([][][]output.Summary, len(runs))
	for i, r := range runs {
		sums[i] = r.outcomes.Summaries()
	}
	var lines []string
	for _, brand := range comparedBrands(runs) {
		type entry struct {
			run, brand int
			mean       float64
		}
		var es []entry
		for i, r := range runs {
			if b := indexOf(r.outcomes.Brands, brand); b >= 0 && !math.IsNaN(sums[i][b][k].Mean) {
				es = append(es, entry{i, b, sums[i][b][k].Mean})
			}
		}
		if len(es) < 2 {
			continue
		}
		slices.SortStableFunc(es, func(a, b entry) int {
			if lower {
				return cmpFloat(a.mean, b.mean)
			}
			return cmpFloat(b.mean, a.mean)
		})
		best, next := es[0], es[1]
		d := output.Diff(runs[next.run].outcomes, runs[best.run].outcomes, next.brand, best.brand, k)
		n := runs[best.run].customers
		by := formatInterval(outcome, d.Mean, d.Low, d.High, n, true)
		winner, runnerUp := runs[best.run].name, runs[next.run].name
		switch {
		case math.IsNaN(d.Low):
			lines = append(lines, fmt.Sprintf("verdict on %s for %s: %s leads %s by %s, without an interval to judge it by (run more replicates)",
				outcomeLabel(outcome), brand, winner, runnerUp, by))
		case d.Low > 0 || d.High < 0:
			lines = append(lines, fmt.Sprintf("verdict on %s for %s: %s is best, by %s over %s", outcomeLabel(outcome), brand, winner, by, runnerUp))
		default:
			lines = append(lines, fmt.Sprintf("verdict on %s for %s: no winner; %s and %s are within the 95%% CI of each other (%s)",
				outcomeLabel(outcome), brand, winner, runnerUp, by))
		}
	}
	return lines
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// asManifestHolds returns a resolved scenario as a manifest read back
// holds it, numbers as float64, so that it compares with one.
func asManifestHolds(resolved map[string]any) map[string]any {
	data, err := json.Marshal(resolved)
	if err != nil {
		return nil
	}
	var out map[string]any
	if json.Unmarshal(data, &out) != nil {
		return nil
	}
	return out
}

// differingKeys lists the keys whose resolved values are not the same in
// every scenario, brands by name, each with its value per scenario:
// "brand.Steadfast.trust.response: admit | hide". Name and description
// are left out; they always differ.
func differingKeys(runs []compared) []string {
	values := make([]map[string]string, len(runs))
	var keys []string
	seen := map[string]bool{}
	for i, r := range runs {
		values[i] = map[string]string{}
		flattenResolved("", r.resolved, values[i])
		for k := range values[i] {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		if k == "name" || k == "description" {
			continue
		}
		var vs []string
		same := true
		for i := range runs {
			v, ok := values[i][k]
			if !ok {
				v = "-"
			}
			vs = append(vs, v)
			same = same && v == vs[0]
		}
		if !same {
			out = append(out, k+": "+strings.Join(vs, " | "))
		}
	}
	return out
}

// flattenResolved writes every value of a resolved scenario into into,
// keyed by its path; tables in a list are keyed by their name when they
// have one (brands), else by their position.
func flattenResolved(path string, v any, into map[string]string) {
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			flattenResolved(join(k), x, into)
		}
	case []any:
		tables := len(v) > 0
		for _, x := range v {
			_, ok := x.(map[string]any)
			tables = tables && ok
		}
		if !tables {
			data, _ := json.Marshal(v)
			into[path] = string(data)
			return
		}
		for i, x := range v {
			key := strconv.Itoa(i)
			if name, ok := x.(map[string]any)["name"].(string); ok {
				key = name
			}
			flattenResolved(join(key), x, into)
		}
	case string:
		into[path] = v
	default:
		data, _ := json.Marshal(v)
		into[path] = string(data)
	}
}
