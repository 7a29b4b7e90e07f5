package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/pushpull/pushpull/sim/optimize"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

func optimizeCommand() *command {
	return &command{
		name:    "optimize",
		args:    "[flags] FILE | NAME --brand NAME [--shares push,content,...] [--lever KEY=MIN:MAX ...]",
		summary: "find a brand's best levers in a scenario, with paired confidence intervals",
		long: `Searches one brand's levers for the setting that maximizes its objective in
the scenario, while the other brands keep their strategies. --shares
push,content,platform splits the brand's budget (brand.budget.daily) between
those levers: their shares always sum to what the brand's other shares leave,
all of it when those are 0. A lever is a key of the brand, as in a [[brand]]
table: --lever budget.daily=20:200 or --lever push.rate=0:4 searches a range
of numbers, --lever pull.platform=conversation,contribution a choice of values
(each choice is searched on its own, never interpolated). The objective is an
outcome of the brand at the end of the run (--objective, default profit), its
mean over replicates, or with --quantile 0.1 its lower 10% quantile (a
risk-averse choice).

Every candidate runs replicates that share their luck with every other
candidate's (replicate r draws from the scenario's seed and r): a CMA-ES
search per combination of choices, with more replicates as candidates close
in, then a final selection in which the best few and the scenario's own
setting race on paired replicates. --budget caps the simulations of both. It
prints the winner against the scenario's own setting with the paired
difference, each finalist's probability of being the best, and the marginal
return of each lever at the winner (paired finite differences: what one more
unit of money a day on each budget lever, or one more unit of a lever, earns:
where the next dollar belongs), and writes them to the optimization folder
(results/<scenario name>/optimize-<brand>/ unless --out says otherwise):
optimize_finalists.csv, optimize_evaluated.csv, optimize_progress.csv,
optimize_marginals.csv, scenario.toml, the plots and manifest.json.

--respond lets every brand in turn re-optimize the same levers against the
others' current settings (iterated best response), taking its best response
only when its setting is surely worse, and reports whether the settings
settle (no brand can surely gain alone: an approximate equilibrium) or cycle,
with every brand's objective at the end; each study's folder is under
results/<scenario name>/respond/.

An [optimize] table in the scenario may hold the same settings (brand, shares,
levers, objective, quantile, budget, tie_margin; see "pushpull help
scenario"); a flag overrides its key.

The answer is the same for any --workers. Ctrl-C or a kill leaves a journal
in the folder; the same command resumes from it and gives the same answer.`,
		run: runOptimize,
	}
}

// Defaults of the optimize command.
const (
	defaultOptimizeBudget = 600
)

type optimizeSettings struct {
	brand      string
	shares     string
	levers     []string
	objective  string
	quantile   float64
	budget     int
	searchSeed uint64
	tieMargin  float64
	workers    int
	out        string
	force      bool
	quiet      bool
	plots      bool
	respond    bool
	rounds     int
}

func runOptimize(e *env, args []string) error {
	c := lookup("optimize")
	fs := e.flags(c)
	var sf scenarioFlags
	sf.register(fs)
	var st optimizeSettings
	fs.StringVar(&st.brand, "brand", "", "the brand whose levers are searched (required)")
	fs.StringVar(&st.shares, "shares", "", "budget levers whose shares of the brand's budget are split: "+strings.Join(optimize.ShareKeys, ",")+" or some of them")
	fs.StringArrayVar(&st.levers, "lever", nil, "a lever of the brand: KEY=MIN:MAX (a range) or KEY=A,B,... (a choice); repeatable")
	fs.StringVar(&st.objective, "objective", optimize.DefaultObjective, "the brand's outcome to maximize: "+strings.Join(optimize.Objectives, ", "))
	fs.Float64Var(&st.quantile, "quantile", 0, "maximize this lower quantile of the replicates instead of their mean (0.1: the value 10% fall below)")
	fs.IntVar(&st.budget, "budget", defaultOptimizeBudget, "most simulations of the search and the final selection (the marginals take 2 per range lever and replicate more)")
	fs.Uint64Var(&st.searchSeed, "search-seed", 1, "seed of the search's own draws (not of the market's luck, which --seed sets)")
	fs.Float64Var(&st.tieMargin, "tie-margin", 0, "a finalist whose paired difference to the winner lies within plus or minus this is a tie (in the objective's units)")
	fs.IntVar(&st.workers, "workers", 0, "simulations at once (default: all cores); the answer does not depend on it")
	fs.StringVar(&st.out, "out", "", "optimization folder (default results/<scenario name>/optimize-<brand>)")
	fs.BoolVar(&st.force, "force", false, "overwrite a folder that holds another optimization or run, or discard a journal of another optimization")
	fs.BoolVarP(&st.quiet, "quiet", "q", false, "print no progress bar and no report")
	fs.BoolVar(&st.plots, "plots", false, "draw the plots, or not with --plots=false (default: the scenario's output.plots)")
	fs.BoolVar(&st.respond, "respond", false, "every brand in turn re-optimizes the same levers against the others (iterated best response) until none moves")
	fs.IntVar(&st.rounds, "rounds", optimize.DefaultRounds, "with --respond: most rounds of best responses")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return invalidf("optimize: name one scenario file (see `pushpull optimize --help`)")
	}
	if fs.Changed("workers") && st.workers < 1 {
		return invalidf("optimize: --workers must be at least 1, got %d", st.workers)
	}
	if st.respond && st.rounds < 1 {
		return invalidf("optimize: --rounds must be at least 1, got %d", st.rounds)
	}
	if st.budget < 1 {
		return invalidf("optimize: --budget must be at least 1 simulation, got %d", st.budget)
	}
	if st.quantile < 0 || st.quantile >= 1 {
		return invalidf("optimize: --quantile must be in [0, 1) (0: the mean), got %g", st.quantile)
	}
	if st.tieMargin < 0 {
		return invalidf("optimize: --tie-margin must not be negative, got %g", st.tieMargin)
	}
	sc, err := loadScenario(fs.Arg(0))
	if err == nil {
		err = sf.apply(fs, sc)
	}
	if err != nil {
		return err
	}
	spec, err := st.spec(fs, sc)
	if err != nil {
		return err
	}
	m, err := optimize.NewMarket(sc, spec)
	if err != nil {
		return invalid(err)
	}
	out := st.out
	if out == "" {
		out = filepath.Join("results", sc.Name, "optimize-"+spec.Brand)
		if st.respond {
			out = filepath.Join("results", sc.Name, "respond")
		}
	}
	workers := st.workers
	if workers <= 0 {
		workers = e.cores
	}
	if err := e.checkSweepMemory(sc, workers); err != nil {
		return err
	}
	plots := sc.Output.Plots
	if fs.Changed("plots") {
		plots = st.plots
	}
	opt := optimize.StudyOptions{
		Options: optimize.Options{Budget: st.budget, Quantile: st.quantile, TieMargin: st.tieMargin, Seed: st.searchSeed,
			Workers: workers, Force: st.force},
		Dir: out, Plots: plots, Command: e.args,
	}
	if err := optimize.CheckStudy(m, opt); err != nil {
		return invalid(err)
	}
	if st.respond {
		return e.respond(sc, spec, opt, st)
	}
	bar := e.progressUnit(sc.Name+" "+spec.Brand, st.budget, "simulations", st.quiet)
	last := 0
	opt.Progress = func(p optimize.Progress) {
		bar.add(p.Simulations - last)
		last = p.Simulations
		bar.describe(fmt.Sprintf("%s best %s", p.Stage, formatObjective(st.objective, p.BestEstimate)))
	}
	study, err := optimize.RunStudy(e.ctx, m, opt)
	bar.finish()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted: the finished simulations are kept in %s; run the same command again to resume", filepath.Join(out, optimize.JournalFile))
	}
	if err != nil {
		var located scenario.Errors
		if errors.As(err, &located) {
			return invalid(err)
		}
		return err
	}
	if st.quiet {
		return nil
	}
	return writeOptimizeReport(e.stdout, study, out)
}

// respond runs iterated best response and reports whether it settled.
func (e *env) respond(sc *scenario.Scenario, spec optimize.MarketSpec, opt optimize.StudyOptions, st optimizeSettings) error {
	res, err := optimize.Respond(e.ctx, sc, spec, optimize.RespondOptions{StudyOptions: opt, Rounds: st.rounds})
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("interrupted: the study under way keeps its journal in %s; run the same command again to resume", opt.Dir)
	}
	if err != nil {
		var located scenario.Errors
		if errors.As(err, &located) {
			return invalid(err)
		}
		return err
	}
	if st.quiet {
		return nil
	}
	w := e.stdout
	fmt.Fprintf(w, "%s: iterated best response of %s, %d round%s\n\n", sc.Name, spec.Objective, res.Rounds, plural(res.Rounds))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  round\tbrand\tmove\tsetting\t%s\tgain (paired)\n", spec.Objective)
	for _, s := range res.Steps {
		move, gain := "stays", "-"
		if s.Moved {
			move, gain = "moves", formatDifference(spec.Objective, s.Gain)
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\n", s.Round, s.Brand, move, s.Setting, formatObjective(spec.Objective, s.Estimate), gain)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	switch {
	case res.Settled:
		fmt.Fprintf(w, "\nsettled: in round %d no brand could surely gain by changing its levers alone (an approximate equilibrium)\n", res.Rounds)
	case res.Cycling:
		fmt.Fprintf(w, "\ncycles: a brand returned to a setting of two rounds before; no equilibrium within %d rounds\n", res.Rounds)
	default:
		fmt.Fprintf(w, "\nstill moving after %d rounds: no equilibrium yet (more --rounds may settle it)\n", res.Rounds)
	}
	fmt.Fprintf(w, "%s at the last settings (%d replicates):\n", spec.Objective, res.Final[0].N)
	for b, name := range res.Brands {
		fmt.Fprintf(w, "  %-12s %s\n", name, formatObjective(spec.Objective, res.Final[b]))
	}
	_, err = fmt.Fprintf(w, "wrote %s\n", opt.Dir)
	return err
}

// spec is what to optimize: each flag given, else its key of the
// scenario's [optimize] table, else the default. It sets the settings'
// objective, quantile, budget and tie margin the same way.
func (st *optimizeSettings) spec(fs interface{ Changed(string) bool }, sc *scenario.Scenario) (optimize.MarketSpec, error) {
	spec := optimize.MarketSpec{Brand: st.brand, SharesSource: "--shares"}
	leverTexts, leverSource := st.levers, "--lever"
	sharesText := st.shares
	if o := sc.Optimize; o != nil {
		if !fs.Changed("brand") && o.Brand != "" {
			spec.Brand = o.Brand
		}
		if !fs.Changed("shares") && len(o.Shares) > 0 {
			sharesText, spec.SharesSource = strings.Join(o.Shares, ","), sc.Where("optimize.shares")+": optimize.shares"
		}
		if !fs.Changed("lever") && len(o.Levers) > 0 {
			leverTexts, leverSource = o.Levers, sc.Where("optimize.levers")+": optimize.levers"
		}
		if !fs.Changed("objective") && o.Objective != "" {
			st.objective = o.Objective
		}
		if !fs.Changed("quantile") && o.Quantile > 0 {
			st.quantile = o.Quantile
		}
		if !fs.Changed("budget") && o.Budget > 0 {
			st.budget = o.Budget
		}
		if !fs.Changed("tie-margin") && o.TieMargin > 0 {
			st.tieMargin = o.TieMargin
		}
	}
	if spec.Brand == "" && st.respond {
		spec.Brand = sc.Brands[0].Name // every brand responds; the first checks the levers
	}
	if spec.Brand == "" {
		return spec, invalidf("optimize: --brand is required (or brand in the scenario's [optimize] table): the brand whose levers are searched")
	}
	spec.Objective = st.objective
	for _, text := range leverTexts {
		l, err := optimize.ParseLever(leverSource, text)
		if err != nil {
			return spec, invalid(err)
		}
		spec.Levers = append(spec.Levers, l)
	}
	if sharesText != "" {
		shares, err := optimize.ParseShares(spec.SharesSource, sharesText)
		if err != nil {
			return spec, invalid(err)
		}
		spec.Shares = shares
	}
	return spec, nil
}

// formatObjective writes an estimate with its interval: a share in
// percent, anything else as a number.
func formatObjective(objective string, iv optimize.Interval) string {
	s := output.Summary{Mean: iv.Estimate, Low: iv.Low, High: iv.High, N: iv.N}
	if objective == "adoption" || objective == "net_advocacy" || objective == "purchase_share" {
		return formatShare(s, 1)
	}
	if math.IsNaN(iv.Low) {
		return fmt.Sprintf("%.4g", iv.Estimate)
	}
	return fmt.Sprintf("%.4g [%.4g, %.4g]", iv.Estimate, iv.Low, iv.High)
}

// formatDifference writes a paired difference: percentage points for a
// share.
func formatDifference(objective string, iv optimize.Interval) string {
	scale, unit := 1.0, ""
	if objective == "adoption" || objective == "net_advocacy" || objective == "purchase_share" {
		scale, unit = 100, " points"
	}
	if math.IsNaN(iv.Low) {
		return fmt.Sprintf("%+.4g%s", scale*iv.Estimate, unit)
	}
	return fmt.Sprintf("%+.4g%s [%+.4g, %+.4g]", scale*iv.Estimate, unit, scale*iv.Low, scale*iv.High)
}

func writeOptimizeReport(w io.Writer, st *optimize.Study, dir string) error {
	m, res := st.Market, st.Result
	sc := m.Scenario
	brand := sc.Brands[m.Brand].Name
	obj := m.Outcome
	what := "mean over replicates"
	if st.Quantile > 0 {
		what = fmt.Sprintf("lower %g%% quantile over replicates", 100*st.Quantile)
	}
	fmt.Fprintf(w, "%s: %s's %s (%s), %d simulations (%d resumed)\n", sc.Name, brand, obj, what, res.Simulations, res.Resumed)
	fmt.Fprintf(w, "\nbest:            %s\n", m.Describe(res.Best))
	fmt.Fprintf(w, "  %s %s, %d replicates\n", obj, formatObjective(obj, st.Winner.Estimate), st.Winner.Estimate.N)
	if b := st.Baseline; b != nil {
		if b.Verdict == optimize.Winner {
			fmt.Fprintf(w, "the scenario's own setting is the best found\n")
		} else {
			fmt.Fprintf(w, "scenario's own:  %s\n", m.Describe(b.Candidate))
			fmt.Fprintf(w, "  %s %s; own - best %s (paired, %d replicates)\n", obj, formatObjective(obj, b.Estimate), formatDifference(obj, b.Difference), b.Difference.N)
		}
	}
	if res.Tied {
		fmt.Fprintf(w, "note: the winner is not clearly the best; the finalists marked tie or unresolved are within noise of it\n")
	}
	fmt.Fprintf(w, "\nfinalists (difference to the winner, paired; P(best) by bootstrap over replicates):\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  rank\tverdict\tlevers\t%s\tdifference\tP(best)\n", obj)
	for i, f := range res.Finalists {
		verdict := string(f.Verdict)
		if f.Baseline {
			verdict += " (own)"
		}
		diff := "-"
		if f.Verdict != optimize.Winner {
			diff = formatDifference(obj, f.Difference)
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%.2f\n", i+1, verdict, m.Describe(f.Candidate), formatObjective(obj, f.Estimate), diff, f.ProbabilityBest)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(st.MoneyMarginals) > 0 {
		fmt.Fprintf(w, "\nthe next %s a day at the best (change in %s per extra %s a day on the lever, paired, %d replicates):\n",
			sc.Money.Currency, obj, sc.Money.Currency, st.MoneyMarginals[0].Rate.N)
		if err := writeMarginals(w, obj, st.MoneyMarginals, "a day"); err != nil {
			return err
		}
		best := bestMarginal(st.MoneyMarginals)
		switch {
		case best >= 0 && obj == "profit":
			fmt.Fprintf(w, "the next %s belongs in %s: over %d days, each extra %s a day there returns %s of profit net of its cost\n",
				sc.Money.Currency, st.MoneyMarginals[best].Name, sc.Days, sc.Money.Currency, fmt.Sprintf("%.3g", st.MoneyMarginals[best].Rate.Estimate))
		case best >= 0:
			fmt.Fprintf(w, "the next %s belongs in %s (its interval lies above zero and highest)\n", sc.Money.Currency, st.MoneyMarginals[best].Name)
		default:
			fmt.Fprintf(w, "no budget lever's next %s surely raises %s\n", sc.Money.Currency, obj)
		}
	}
	if len(st.Marginals) > 0 {
		fmt.Fprintf(w, "\nmarginal return at the best (change in %s per unit of the lever; for a share, per share moved in from the other split levers; paired, %d replicates):\n", obj, st.Marginals[0].Rate.N)
		if err := writeMarginals(w, obj, st.Marginals, ""); err != nil {
			return err
		}
		if best := bestMarginal(st.Marginals); best >= 0 {
			fmt.Fprintf(w, "more %s would raise %s most (its interval lies above zero)\n", st.Marginals[best].Name, obj)
		} else {
			fmt.Fprintf(w, "no lever's next unit surely raises %s: the best is a local top, or at a lever's bound\n", obj)
		}
	}
	fmt.Fprintf(w, "\nrun it with: pushpull run %s %s\n", sc.File, strings.Join(append(append([]string(nil), sc.Sets...), m.Sets(res.Best)...), " "))
	_, err := fmt.Fprintf(w, "wrote %s\n", dir)
	return err
}

func writeMarginals(w io.Writer, obj string, ms []optimize.Marginal, unit string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, mg := range ms {
		fmt.Fprintf(tw, "  %s\tat %.4g%s\t%s\n", mg.Name, mg.At, strings.TrimRight(" "+unit, " "), formatDifference(obj, mg.Rate))
	}
	return tw.Flush()
}

// bestMarginal is the lever whose next unit surely raises the objective
// most: its interval lies above zero and it can still grow; -1 if none.
func bestMarginal(ms []optimize.Marginal) int {
	best := -1
	for i, mg := range ms {
		// A lever at its bound (its difference one-sided) cannot grow.
		if mg.Rate.Low > 0 && mg.High-mg.At > (mg.High-mg.Low)/4 && (best < 0 || mg.Rate.Estimate > ms[best].Rate.Estimate) {
			best = i
		}
	}
	return best
}
