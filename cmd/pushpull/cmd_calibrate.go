package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pushpull/pushpull/sim/calibrate"
	"github.com/pushpull/pushpull/sim/scenario"
)

func calibrateCommand() *command {
	return &command{
		name:    "calibrate",
		args:    "[flags] FILE | NAME --data OBSERVED.csv --fit KEY=LOW:HIGH ...",
		summary: "fit scenario keys to an observed curve by ABC-SMC, with credible intervals",
		long: `Fits the keys named by --fit to an observed curve by approximate Bayesian
computation with sequential Monte Carlo (ABC-SMC): values drawn from the
priors are simulated, and those whose simulations come close to the data are
kept and refined generation after generation, each generation's tolerance
the median of the last one's distances.

The data (--data) are CSV: a time column, then one or more columns named as
in daily.csv (adopters, aware, customers, ...; "adopters:BRAND" when the
scenario has several brands), one line per observation time. --unit says
what a time is in simulated days (day, week = 7, month = 30.4375); --shares
reads the values as shares of all customers rather than counts.

A prior is KEY=LOW:HIGH (uniform), KEY=log:LOW:HIGH (log-uniform),
KEY=normal:MEAN:SD (normal, truncated to the key's range) or
KEY=normal:MEAN:SD:LOW:HIGH, the key written as for --set.

Writes into the fit folder (results/<scenario name>-calibration/ unless
--out says otherwise): posterior.csv (particles and weights),
calibration_summary.csv, correlations.csv, generations.csv, predictive.csv,
the pairs and predictive plots, scenario.toml and manifest.json; prints the
posterior of every key. The scenario's seed (--seed) fixes the fit: the same
seed gives the same fit whatever --workers is. Resumable: every finished
generation goes to a journal in the fit folder, and the same command after
Ctrl-C or a kill goes on from the last one, to the same result.`,
		run: runCalibrate,
	}
}

type calibrateSettings struct {
	data          string
	fits          []string
	unit          string
	shares        bool
	particles     int
	budget        int
	tolerance     float64
	minAcceptance float64
	generations   int
	quantile      float64
	predictive    int
	workers       int
	out           string
	force         bool
	quiet         bool
	plots         bool
}

func runCalibrate(e *env, args []string) error {
	c := lookup("calibrate")
	fs := e.flags(c)
	var sf scenarioFlags
	sf.register(fs)
	var st calibrateSettings
	fs.StringVar(&st.data, "data", "", "observed data, CSV: a time column, then columns named as in daily.csv")
	fs.StringArrayVar(&st.fits, "fit", nil, "a key to fit and its prior: KEY=LOW:HIGH, KEY=log:LOW:HIGH or KEY=normal:MEAN:SD; repeatable")
	fs.StringVar(&st.unit, "unit", "day", "what one unit of the data's time is: day, week or month (30.4375 days)")
	fs.BoolVar(&st.shares, "shares", false, "the data are shares of all customers (0 to 1), not counts")
	fs.IntVar(&st.particles, "particles", calibrate.DefaultParticles, "particles per generation")
	fs.IntVar(&st.budget, "budget", 0, "the most simulations to spend (0: no limit)")
	fs.Float64Var(&st.tolerance, "tolerance", 0, "stop once a generation's tolerance is at or below this distance (0: never)")
	fs.Float64Var(&st.minAcceptance, "min-acceptance", calibrate.DefaultMinAcceptance, "stop after a generation accepting fewer than this share of its simulations")
	fs.IntVar(&st.generations, "generations", calibrate.DefaultGenerations, "the most generations, the prior's included")
	fs.Float64Var(&st.quantile, "quantile", calibrate.DefaultQuantile, "each tolerance is this quantile of the last generation's distances")
	fs.IntVar(&st.predictive, "predictive", 200, "simulations at posterior draws for the predictive band")
	fs.IntVar(&st.workers, "workers", 0, "simulations at once (default: all cores); results do not depend on it")
	fs.StringVar(&st.out, "out", "", "fit folder (default results/<scenario name>-calibration)")
	fs.BoolVar(&st.force, "force", false, "overwrite a finished fit, or discard a journal of another fit")
	fs.BoolVarP(&st.quiet, "quiet", "q", false, "print no progress bar and no table")
	fs.BoolVar(&st.plots, "plots", true, "draw the pairs and predictive plots")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return invalidf("calibrate: name one scenario file (see `pushpull calibrate --help`)")
	}
	sc, err := loadScenario(fs.Arg(0))
	if err == nil {
		err = sf.apply(fs, sc)
	}
	if err != nil {
		return err
	}
	st.fromTable(fs, sc)
	if err := st.check(fs.Changed("workers")); err != nil {
		return err
	}
	fit, err := st.prepare(sc)
	if err != nil {
		return invalid(err)
	}
	out := st.out
	if out == "" {
		out = filepath.Join("results", sc.Name+"-calibration")
	}
	if err := prepareFitDir(out, st.force); err != nil {
		return err
	}
	return e.calibrate(sc, fit, st, out)
}

// fromTable takes each setting the flags leave unchanged from the
// scenario's [calibrate] table, where the table gives it; the data file is
// relative to the scenario file.
func (st *calibrateSettings) fromTable(fs interface{ Changed(string) bool }, sc *scenario.Scenario) {
	c := sc.Calibrate
	if c == nil {
		return
	}
	if !fs.Changed("data") && c.Data != "" {
		st.data = c.Data
		if !filepath.IsAbs(st.data) && sc.Dir != "" {
			st.data = filepath.Join(sc.Dir, st.data)
		}
	}
	if !fs.Changed("fit") && len(c.Fit) > 0 {
		st.fits = c.Fit
	}
	if !fs.Changed("unit") && c.Unit != "" {
		st.unit = c.Unit
	}
	if !fs.Changed("shares") && c.Shares {
		st.shares = true
	}
	for _, n := range []struct {
		flag  string
		table int
		into  *int
	}{{"particles", c.Particles, &st.particles}, {"budget", c.Budget, &st.budget},
		{"generations", c.Generations, &st.generations}, {"predictive", c.Predictive, &st.predictive}} {
		if !fs.Changed(n.flag) && n.table > 0 {
			*n.into = n.table
		}
	}
	for _, x := range []struct {
		flag  string
		table float64
		into  *float64
	}{{"tolerance", c.Tolerance, &st.tolerance}, {"min-acceptance", c.MinAcceptance, &st.minAcceptance},
		{"quantile", c.Quantile, &st.quantile}} {
		if !fs.Changed(x.flag) && x.table > 0 {
			*x.into = x.table
		}
	}
}

func (st *calibrateSettings) check(workersChanged bool) error {
	switch {
	case st.data == "":
		return invalidf("calibrate: --data: no observed data given (want a CSV file: a time column, then columns named as in daily.csv)")
	case len(st.fits) == 0:
		return invalidf("calibrate: --fit: no key to fit (want KEY=LOW:HIGH, for example --fit recall.push=0.001:0.1)")
	case st.particles < 10:
		return invalidf("calibrate: --particles must be at least 10, got %d", st.particles)
	case st.budget < 0:
		return invalidf("calibrate: --budget must be at least 0, got %d", st.budget)
	case st.tolerance < 0:
		return invalidf("calibrate: --tolerance must be at least 0, got %g", st.tolerance)
	case !(st.minAcceptance > 0 && st.minAcceptance < 1):
		return invalidf("calibrate: --min-acceptance must be above 0 and below 1, got %g", st.minAcceptance)
	case st.generations < 1:
		return invalidf("calibrate: --generations must be at least 1, got %d", st.generations)
	case !(st.quantile > 0 && st.quantile < 1):
		return invalidf("calibrate: --quantile must be above 0 and below 1, got %g", st.quantile)
	case st.predictive < 10:
		return invalidf("calibrate: --predictive must be at least 10, got %d", st.predictive)
	case workersChanged && st.workers < 1:
		return invalidf("calibrate: --workers must be at least 1, got %d", st.workers)
	}
	if _, ok := calibrate.Units[st.unit]; !ok {
		return invalidf("calibrate: --unit: unknown unit %q (want %s)", st.unit, strings.Join(calibrate.UnitNames, ", "))
	}
	return nil
}

// fitInput is everything a fit needs, checked.
type fitInput struct {
	model  calibrate.Model
	priors []calibrate.Prior
	target calibrate.Target
}

// prepare reads the data and the priors and checks them against the
// scenario, reporting every problem at once.
func (st *calibrateSettings) prepare(sc *scenario.Scenario) (*fitInput, error) {
	var errs scenario.Errors
	collect := func(err error) {
		var es scenario.Errors
		if errors.As(err, &es) {
			errs = append(errs, es...)
		} else if err != nil {
			errs = append(errs, &scenario.Error{File: "calibrate", Problem: err.Error()})
		}
	}
	var data *calibrate.Data
	raw, err := os.ReadFile(st.data)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		collect(scenario.Errors{{File: st.data, Problem: "cannot read the data: " + err.Error()}})
	} else if data, err = calibrate.ReadData(st.data, bytes.NewReader(raw)); err != nil {
		collect(err)
	}
	var priors []calibrate.Prior
	seen := map[string]bool{}
	for _, text := range st.fits {
		p, err := calibrate.ParsePrior("--fit", text)
		if err != nil {
			collect(err)
			continue
		}
		if seen[p.Key] {
			collect(scenario.Errors{{File: "--fit", Key: p.Key, Problem: "the key is fitted twice", Want: "each key once"}})
			continue
		}
		seen[p.Key] = true
		priors = append(priors, p)
	}
	if len(errs) > 0 || data == nil {
		return nil, errs
	}
	t := calibrate.Target{Data: data, Unit: st.unit, Shares: st.shares}
	model, bound, err := calibrate.ScenarioModel(sc, priors, t)
	if err != nil {
		return nil, err
	}
	return &fitInput{model: model, priors: bound, target: t}, nil
}

// prepareFitDir refuses to overwrite a finished fit without force; an
// unfinished one (a journal without a manifest) is resumed.
func prepareFitDir(dir string, force bool) error {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return invalidf("calibrate: %s is a file, not a folder", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, calibrate.ManifestFile)); err == nil && !force {
		return invalidf("calibrate: %s already holds a finished fit (use --force to overwrite it, or --out to write elsewhere)", dir)
	}
	return nil
}

// identity is the hash of everything a fit's result depends on, which a
// journal must match to be resumed.
func fitIdentity(sc *scenario.Scenario, fit *fitInput, opt calibrate.Options) (string, error) {
	var resolved bytes.Buffer
	if err := sc.WriteResolved(&resolved); err != nil {
		return "", err
	}
	body := resolved.String()
	if i := strings.IndexByte(body, '\n'); i >= 0 && strings.HasPrefix(body, "#") {
		body = body[i+1:] // the first comment names the file, which may move
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\ndata=%s columns=%q unit=%s shares=%t\n", body, fit.target.Data.SHA256, fit.target.Data.Columns, fit.target.Unit, fit.target.Shares)
	for _, p := range fit.priors {
		fmt.Fprintf(h, "prior %s=%s\n", p.Key, p)
	}
	fmt.Fprintf(h, "particles=%d quantile=%g tolerance=%g min_acceptance=%g budget=%d generations=%d seed=%d\n",
		opt.Particles, opt.Quantile, opt.Tolerance, opt.MinAcceptance, opt.Budget, opt.Generations, opt.Seed)
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (e *env) calibrate(sc *scenario.Scenario, fit *fitInput, st calibrateSettings, out string) error {
	workers := st.workers
	if workers <= 0 {
		workers = e.cores
	}
	opt := calibrate.Options{Particles: st.particles, Quantile: st.quantile, Tolerance: st.tolerance, MinAcceptance: st.minAcceptance,
		Budget: st.budget, Generations: st.generations, Seed: sc.Seed, Workers: workers}
	id, err := fitIdentity(sc, fit, opt)
	if err != nil {
		return err
	}
	started := time.Now().UTC()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("calibrate: cannot create %s: %w", out, err)
	}
	journal, resumed, err := calibrate.OpenJournal(filepath.Join(out, calibrate.JournalFile), id, st.force)
	if err != nil {
		return invalid(err)
	}
	defer journal.Close()
	opt.Resume = resumed
	opt.OnGeneration = journal.Append
	var bar *progress
	barGen, last := -1, 0
	opt.Progress = func(p calibrate.Progress) {
		if p.Generation != barGen {
			if bar != nil {
				bar.finish()
			}
			bar, barGen, last = e.progressUnit(generationTitle(p), p.Particles, "particles", st.quiet), p.Generation, 0
		}
		bar.describe(generationTitle(p))
		bar.add(p.Accepted - last)
		last = p.Accepted
	}
	res, err := calibrate.Run(e.ctx, fit.model, fit.priors, calibrate.NewDistance(fit.target.Data.Values), opt)
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted: the finished generations are kept in %s; run the same command again to go on from the last",
				filepath.Join(out, calibrate.JournalFile))
		}
		return err
	}
	sims, _, err := calibrate.Predictive(e.ctx, fit.model, res.Posterior(), len(fit.target.Data.Observed()), st.predictive, workers, sc.Seed)
	if err != nil {
		return err
	}
	report := calibrate.NewReport(sc, fit.target, fit.priors, opt, res, sims)
	report.Resumed, report.Command, report.Started, report.Finished = len(resumed), e.args, started, time.Now().UTC()
	files, err := report.WriteFiles(out, st.plots)
	if err != nil {
		return err
	}
	if err := journal.Remove(); err != nil {
		return err
	}
	if st.quiet {
		return nil
	}
	if err := report.WriteTable(e.stdout); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "wrote %s (%s)\n", out, strings.Join(files, ", "))
	return err
}

func generationTitle(p calibrate.Progress) string {
	if p.Generation == 0 {
		return "generation 0 (prior)"
	}
	acc := 0.0
	if p.Simulations > 0 {
		acc = float64(p.Accepted) / float64(p.Simulations)
	}
	return fmt.Sprintf("generation %d tol %.3g acc %.2f", p.Generation, p.Tolerance, acc)
}
