package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
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

Writes compare.csv and the comparison plots into --out, and each scenario's run
folder into --out/<scenario name>/.`,
		run: runCompare,
	}
}

// compareOutcomes are printed; compare.csv holds every outcome.
var compareOutcomes = []string{"adoption", "advocates", "detractors", "churned", "net_advocacy", "purchase_share", "cost_per_adopter", "profit", "roi"}

// A compared run is one column of a comparison.
type compared struct {
	name      string
	customers int
	outcomes  *output.ReplicateOutcomes
	series    *output.Series
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
	rank := fs.String("rank", "profit", "outcome that ranks each scenario's brands, best first (a column of replicates.csv)")
	if err := e.parse(c, fs, args); err != nil {
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
		sc, err := loadScenario(arg)
		if err == nil {
			err = sf.apply(fs, sc)
		}
		if err != nil {
			return err
		}
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
			same = same && s.sc != nil && sameRun(filepath.Join(st.out, s.sc.Name), s.sc)
		}
		if !same {
			return invalidf("compare: %s exists; use --force to overwrite it, or --out to write elsewhere", compareFile)
		}
	}
	var runs []compared
	for _, s := range sources {
		if s.sc == nil {
			runs = append(runs, compared{name: s.label, customers: s.manifest.Customers, outcomes: s.outcomes, series: s.series})
			continue
		}
		one := st
		one.out = filepath.Join(st.out, s.sc.Name)
		one.plots = st.plotsFor(fs, s.sc)
		res, err := e.execute(s.sc, one)
		if err != nil {
			return err
		}
		if res.interrupted {
			return fmt.Errorf("compare: interrupted while running %s; its finished replicates are in %s, and no comparison was written", s.sc.Name, res.dir)
		}
		runs = append(runs, compared{name: s.sc.Name, customers: s.sc.Customers, outcomes: res.outcomes, series: res.series})
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
	if err := writeCompareTable(e.stdout, runs, rows, seed); err != nil {
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
	var rows []output.ComparisonRow
	for _, brand := range brands {
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
	case "adoption", "net_advocacy", "purchase_share", "wasted_share", "mean_trust_aware", "mean_engagement":
		return 1
	case "customers", "adopters", "aware", "advocates", "detractors", "blocked", "opted_in":
		return float64(customers)
	case "churned":
		return countScale
	}
	return 0
}

// countScale marks an outcome printed as a whole count.
const countScale = -1

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
		case scale == countScale:
			s = thousands(v)
		case scale != 0:
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
	return fmt.Sprintf("%s%s [%s, %s]", num(mean), unit, num(low), num(high))
}

func writeCompareTable(w io.Writer, runs []compared, rows []output.ComparisonRow, seed uint64) error {
	paired := true
	for _, r := range rows {
		if r.HasDiff && !r.Diff.Paired && !math.IsNaN(r.Diff.Low) {
			paired = false
		}
	}
	if paired {
		fmt.Fprintf(w, "compare: %d scenarios, seed %d, %d replicates each (common random numbers)\n", len(runs), seed, len(runs[0].outcomes.Replicates))
		fmt.Fprintf(w, "mean [95%% CI]; difference to %s [95%% CI, paired by replicate]; customers as %% of all customers; churned: customers lost over the run\n\n", runs[0].name)
	} else {
		// Run folders made with other seeds or replicates did not meet the
		// same luck: their differences cannot be paired.
		fmt.Fprintf(w, "compare: %d scenarios (not all with common random numbers)\n", len(runs))
		fmt.Fprintf(w, "mean [95%% CI]; difference to %s [95%% CI, paired by replicate where the runs share seed and replicates, else Welch's and marked unpaired]; customers as %% of all customers; churned: customers lost over the run\n\n", runs[0].name)
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "brand\toutcome\tscenario\tmean\tdifference")
	customers := make(map[string]int, len(runs))
	for _, r := range runs {
		customers[r.name] = r.customers
	}
	show := map[string]bool{}
	for _, o := range compareOutcomes {
		show[o] = true
	}
	lastBrand, lastOutcome := "", ""
	for _, r := range rows {
		if !show[r.Outcome] {
			continue
		}
		n := customers[r.Scenario]
		diff := ""
		if r.HasDiff {
			diff = formatInterval(r.Outcome, r.Diff.Mean, r.Diff.Low, r.Diff.High, n, true)
			if !r.Diff.Paired && !math.IsNaN(r.Diff.Low) {
				diff += " (unpaired)"
			}
		}
		brand, outcome := r.Brand, r.Outcome
		if brand == lastBrand && outcome == lastOutcome {
			brand, outcome = "", ""
		} else if brand == lastBrand {
			brand = ""
		}
		lastBrand, lastOutcome = r.Brand, r.Outcome
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", brand, outcome, r.Scenario,
			formatInterval(r.Outcome, r.Summary.Mean, r.Summary.Low, r.Summary.High, n, false), diff)
	}
	return flushTrimmed(tw, w, &buf)
}
