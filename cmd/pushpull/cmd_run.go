package main

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/pushpull/pushpull/scenarios"
	"github.com/pushpull/pushpull/sim/scenario"
)

func runCommand() *command {
	return &command{
		name:    "run",
		args:    "[flags] [FILE | NAME ...]",
		summary: "run scenarios and print each brand's outcomes with confidence intervals",
		long: `Runs each scenario for its replicates and writes a run folder: manifest.json,
daily.csv, replicates.csv, summary.csv, scenario.toml, orbit.csv and the plots.
It ends by printing, per brand, adoption, advocates, detractors and churned
customers as shares of all customers, with 95% confidence intervals.

With no FILE it runs the default scenario, "social-gravity". A scenario with a
[sweep] table runs without its sweep (see "pushpull sweep"), into
results/<scenario name>/base/, beside the sweep's files. A NAME that is not
a file is looked up among the shipped scenarios ("pushpull new --list").

The run folder is results/<scenario name>/ unless --out says otherwise; with
several files, --out is the folder that holds one folder per scenario. A folder
that already holds another run is only overwritten with --force; the same run
again (same file, changes, seed, replicates, days and customers) writes the same
data files and needs none. Results are the same for any --workers. Ctrl-C stops
the run: finished replicates are written, nothing half-written is left.`,
		run: runRun,
	}
}

// scenarioFlags are the flags that change a scenario before it runs,
// shared by run, compare and check.
type scenarioFlags struct {
	replicates int
	seed       uint64
	days       int
	sets       []string
}

func (f *scenarioFlags) register(fs *pflag.FlagSet) {
	fs.IntVar(&f.replicates, "replicates", 0, "number of replicates (default: the scenario's)")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed (default: the scenario's)")
	fs.IntVar(&f.days, "days", 0, "days to simulate (default: the scenario's)")
	fs.StringArrayVar(&f.sets, "set", nil, "set a scenario key, as key.path=value; repeatable (brand.NAME.push.rate=2)")
}

// apply changes sc as the flags say, with the same validation and
// messages as the scenario file, each naming the flag.
func (f *scenarioFlags) apply(fs *pflag.FlagSet, sc *scenario.Scenario) error {
	var changes []scenario.Assignment
	if fs.Changed("replicates") {
		changes = append(changes, scenario.Assignment{Source: "--replicates", Text: "replicates=" + strconv.Itoa(f.replicates)})
	}
	if fs.Changed("seed") {
		changes = append(changes, scenario.Assignment{Source: "--seed", Text: "seed=" + strconv.FormatUint(f.seed, 10)})
	}
	if fs.Changed("days") {
		changes = append(changes, scenario.Assignment{Source: "--days", Text: "days=" + strconv.Itoa(f.days)})
	}
	for _, s := range f.sets {
		changes = append(changes, scenario.Assignment{Source: "--set", Text: s})
	}
	if len(changes) == 0 {
		return nil
	}
	return invalid(sc.SetAll(changes))
}

// loadScenario reads a scenario file, or a shipped scenario by name when
// no such file exists; "" is the default scenario.
func loadScenario(arg string) (*scenario.Scenario, error) {
	if arg == "" {
		arg = scenarios.Default
	}
	if _, statErr := os.Stat(arg); statErr != nil {
		if file, data, ok := scenarios.Lookup(strings.TrimPrefix(filepath.ToSlash(arg), "scenarios/")); ok {
			sc, err := scenario.Parse(file, data)
			return sc, invalid(err)
		}
		if errors.Is(statErr, fs.ErrNotExist) {
			return nil, invalidf("%s: no such file, and no shipped scenario has that name (shipped: %s)",
				arg, strings.Join(scenarios.Names(), ", "))
		}
	}
	sc, err := scenario.Load(arg)
	return sc, invalid(err)
}

// loadAll loads every scenario named and applies the flags to each, so
// that a mistake in the last file is found before the first one runs.
func loadAll(args []string, sf *scenarioFlags, fs *pflag.FlagSet) ([]*scenario.Scenario, error) {
	var scs []*scenario.Scenario
	for _, a := range args {
		sc, err := loadScenario(a)
		if err == nil {
			err = sf.apply(fs, sc)
		}
		if err != nil {
			return nil, err
		}
		scs = append(scs, sc)
	}
	return scs, nil
}

// runFlags are the flags of commands that run scenarios and write runs.
func (st *runSettings) register(fs *pflag.FlagSet, outDefault, outHelp string) {
	fs.IntVar(&st.workers, "workers", 0, "parallel workers (default: all cores); results do not depend on it")
	fs.StringVar(&st.out, "out", outDefault, outHelp)
	fs.BoolVar(&st.force, "force", false, "overwrite a folder that already holds another run")
	fs.BoolVarP(&st.quiet, "quiet", "q", false, "print no progress bar and no table")
	fs.BoolVar(&st.plots, "plots", false, "draw the plots, or not with --plots=false (default: the scenario's output.plots, true unless it says otherwise)")
}

// plotsFor says whether a run of sc draws plots: --plots when given, else
// the scenario's output.plots.
func (st *runSettings) plotsFor(fs *pflag.FlagSet, sc *scenario.Scenario) bool {
	if fs.Changed("plots") {
		return st.plots
	}
	return sc.Output.Plots
}

func runRun(e *env, args []string) error {
	c := lookup("run")
	fs := e.flags(c)
	var sf scenarioFlags
	sf.register(fs)
	st := runSettings{write: true}
	st.register(fs, "", "run folder (default results/<scenario name>; with several files, their parent)")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if fs.Changed("workers") && st.workers < 1 {
		return invalidf("run: --workers must be at least 1, got %d", st.workers)
	}
	files := fs.Args()
	if len(files) == 0 {
		files = []string{""}
	}
	scs, err := loadAll(files, &sf, fs)
	if err != nil {
		return err
	}
	seen := map[string]string{}
	for _, sc := range scs {
		if other, dup := seen[sc.Name]; dup && len(scs) > 1 {
			return invalidf("run: %s and %s are both named %q and would write the same folder", other, sc.File, sc.Name)
		}
		seen[sc.Name] = sc.File
	}
	for _, sc := range scs {
		one := st
		one.plots = st.plotsFor(fs, sc)
		if len(scs) > 1 && st.out != "" {
			one.out = filepath.Join(st.out, sc.Name)
		}
		if sc.Sweep != nil && (st.out == "" || len(scs) > 1) {
			// results/NAME/ is the sweep's folder: the base scenario's
			// run goes beside the sweep's files, not over them.
			one.out = filepath.Join(cmp.Or(one.out, filepath.Join("results", sc.Name)), "base")
		}
		res, err := e.execute(sc, one)
		if err != nil {
			return err
		}
		if !st.quiet {
			if err := e.reportRun(res); err != nil {
				return err
			}
		}
		if res.interrupted {
			n := len(res.outcomes.Replicates)
			return fmt.Errorf("interrupted: kept the %d finished replicate%s of %d in %s; nothing half-written was left",
				n, plural(n), sc.Replicates, res.dir)
		}
	}
	return nil
}

// reportRun prints the table that ends a run and where its files are.
func (e *env) reportRun(res *runResult) error {
	if err := writeRunTable(e.stdout, res); err != nil {
		return err
	}
	if err := writeMoneyNotes(e.stdout, res); err != nil {
		return err
	}
	_, err := fmt.Fprintf(e.stdout, "\nwrote %s\n", res.dir)
	return err
}
