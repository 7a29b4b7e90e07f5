package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
	"github.com/pushpull/pushpull/sim/sweep"
)

func sweepCommand() *command {
	return &command{
		name:    "sweep",
		args:    "[flags] FILE | NAME",
		summary: "run every point of a scenario's [sweep], on all cores or as cluster shards",
		long: `Runs the [sweep] of a scenario: every point of its design, each with the
scenario's replicates, as one pool of runs on all cores (--workers). Writes
into the sweep folder (results/<scenario name>/ unless --out says otherwise):
points.csv, replicates.csv (a point column, then the columns of a run's),
sweep_summary.csv, sensitivity.csv, scenario.toml, the plots and
manifest.json. "pushpull check FILE" says how many runs a sweep means.

Resumable: every finished run goes to a journal in the sweep folder; after
Ctrl-C or a kill, the same command runs only what is missing and ends with
files byte-identical to an uninterrupted sweep. Memory stays bounded however
large the sweep: no run keeps its daily series.

--shard i/n runs only part i of n (disjoint, fixed ranges of points) into
<out>/parts/; "pushpull merge <out>" then writes what one machine would have.
--emit slurm writes a Slurm job array with one task per shard and a merge job
that depends on it (sweep.sbatch, merge.sbatch, submit-slurm.sh); --emit k8s
writes a Kubernetes Indexed Job and its merge Job (sweep-k8s.json,
merge-k8s.json). Neither runs anything: submit them as the README says.`,
		run: runSweep,
	}
}

type sweepSettings struct {
	workers int
	out     string
	force   bool
	quiet   bool
	plots   bool
	shard   string
	emit    string
	shards  int
	binary  string
	image   string
	volume  string
}

func runSweep(e *env, args []string) error {
	c := lookup("sweep")
	fs := e.flags(c)
	var sf scenarioFlags
	sf.register(fs)
	var st sweepSettings
	fs.IntVar(&st.workers, "workers", 0, "runs at once (default: all cores); results do not depend on it")
	fs.StringVar(&st.out, "out", "", "sweep folder (default results/<scenario name>)")
	fs.BoolVar(&st.force, "force", false, "overwrite a finished sweep (the same sweep needs none: it is done), or discard a journal of another sweep")
	fs.BoolVarP(&st.quiet, "quiet", "q", false, "print no progress bar and no summary")
	fs.BoolVar(&st.plots, "plots", false, "draw the plots, or not with --plots=false (default: the scenario's output.plots)")
	fs.StringVar(&st.shard, "shard", "", "run only part i of n, as i/n (1 <= i <= n), into <out>/parts/")
	fs.StringVar(&st.emit, "emit", "", "write cluster job files instead of running: slurm or k8s")
	fs.IntVar(&st.shards, "shards", 4, "with --emit: number of shards (array tasks or pods)")
	fs.StringVar(&st.binary, "binary", "", "with --emit: the pushpull command the jobs run (default: this program's path for slurm, pushpull for k8s)")
	fs.StringVar(&st.image, "image", "pushpull:latest", "with --emit k8s: container image holding pushpull")
	fs.StringVar(&st.volume, "volume", "pushpull-results", "with --emit k8s: PersistentVolumeClaim mounted at /results")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return invalidf("sweep: name one scenario file with a [sweep] table (see `pushpull sweep --help`)")
	}
	if fs.Changed("workers") && st.workers < 1 {
		return invalidf("sweep: --workers must be at least 1, got %d", st.workers)
	}
	var shard design.ShardSpec
	if st.shard != "" {
		var err error
		if shard, err = design.ParseShard(st.shard); err != nil {
			return invalidf("sweep: --shard must be i/n with whole numbers 1 <= i <= n (shard 1 is the first): %q", st.shard)
		}
	}
	switch st.emit {
	case "", "slurm", "k8s":
	default:
		return invalidf("sweep: --emit: unknown target %q (want slurm or k8s)", st.emit)
	}
	if st.emit != "" && st.shard != "" {
		return invalidf("sweep: --emit and --shard do not go together: the emitted jobs pass --shard to each task")
	}
	if st.emit != "" && st.shards < 1 {
		return invalidf("sweep: --shards must be at least 1, got %d", st.shards)
	}
	sc, err := loadScenario(fs.Arg(0))
	if err == nil {
		err = sf.apply(fs, sc)
	}
	if err != nil {
		return err
	}
	if sc.Sweep == nil {
		return invalidf("sweep: %s has no [sweep] table; add one (see the README's Sweeps section) or use `pushpull run`", sc.File)
	}
	if err := sweep.Check(sc); err != nil {
		return invalid(err)
	}
	out := st.out
	if out == "" {
		out = filepath.Join("results", sc.Name)
	}
	if st.emit != "" {
		return e.emitJobs(fs.Arg(0), sc, out, st, sf.passthrough(fs))
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
	points, runs := sc.SweepRuns()
	title := sc.Name
	if st.shard != "" {
		title += " " + shard.String()
	}
	var bar *progress
	last := 0
	res, err := sweep.Run(e.ctx, sc, sweep.Options{
		Dir: out, Workers: workers, Shard: shard, Force: st.force, Plots: plots, Command: e.args,
		Progress: func(done, total int) {
			if bar == nil {
				bar = e.progressUnit(title, total, "runs", st.quiet)
			}
			bar.add(done - last)
			last = done
		},
	})
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		if errors.Is(err, sweep.ErrExists) {
			return invalid(err)
		}
		var located scenario.Errors
		if errors.As(err, &located) {
			return invalid(err)
		}
		return err
	}
	if res.Interrupted {
		return fmt.Errorf("interrupted: %d of %d runs are done and kept in %s; run the same command again to finish the rest",
			res.Resumed+res.Ran, res.Runs, filepath.Join(res.Dir, sweep.JournalFile))
	}
	if st.quiet {
		return nil
	}
	w := e.stdout
	if st.shard != "" {
		fmt.Fprintf(w, "%s: shard %s, points %d of %d, %d runs (%d resumed)\nwrote %s; merge the parts with `pushpull merge %s`\n",
			sc.Name, shard, res.Points, points, res.Runs, res.Resumed, res.Dir, out)
		return nil
	}
	fmt.Fprintf(w, "%s: %s design, %d points x %d replicates = %d runs (%d resumed)\n", sc.Name, sc.Sweep.Method, points, sc.Replicates, runs, res.Resumed)
	return e.reportSweep(res)
}

// reportSweep prints the sensitivity warnings and where the files are.
func (e *env) reportSweep(res *sweep.Result) error {
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stdout, "note: %s\n", w)
	}
	_, err := fmt.Fprintf(e.stdout, "wrote %s (%s, %s, %s)\n", res.Dir, sweep.SummaryFile, sweep.SensitivityFile, output.ReplicatesFile)
	return err
}

// passthrough returns the flags that changed the scenario, to pass on to
// the jobs of a cluster sweep.
func (f *scenarioFlags) passthrough(fs interface{ Changed(string) bool }) []string {
	var args []string
	if fs.Changed("replicates") {
		args = append(args, "--replicates", strconv.Itoa(f.replicates))
	}
	if fs.Changed("seed") {
		args = append(args, "--seed", strconv.FormatUint(f.seed, 10))
	}
	if fs.Changed("days") {
		args = append(args, "--days", strconv.Itoa(f.days))
	}
	for _, s := range f.sets {
		args = append(args, "--set", s)
	}
	return args
}

// emitJobs writes the Slurm or Kubernetes job files into the sweep folder.
func (e *env) emitJobs(arg string, sc *scenario.Scenario, out string, st sweepSettings, passthrough []string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	j := sweep.Job{Name: sc.Name, Binary: st.binary, Scenario: arg, ScenarioText: string(sc.Source),
		Args: passthrough, Dir: abs, Shards: st.shards, Workers: max(st.workers, 1), Image: st.image, Volume: st.volume}
	if _, err := os.Stat(arg); err == nil {
		if j.Scenario, err = filepath.Abs(arg); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("sweep: cannot create %s: %w", out, err)
	}
	var files []string
	write := func(name string, mode os.FileMode, fn func(io.Writer) error) error {
		path := filepath.Join(out, name)
		if err := output.WriteFile(path, fn); err != nil {
			return err
		}
		files = append(files, path)
		return os.Chmod(path, mode)
	}
	points, runs := sc.SweepRuns()
	switch st.emit {
	case "slurm":
		if j.Binary == "" {
			j.Binary = selfPath()
		}
		for _, f := range []string{sweep.SlurmArrayFile, sweep.SlurmMergeFile, sweep.SlurmSubmitFile} {
			if err := write(f, 0o755, func(w io.Writer) error { return sweep.WriteSlurm(w, f, j) }); err != nil {
				return invalid(err)
			}
		}
		fmt.Fprintf(e.stdout, "%s: %d points x %d replicates = %d runs in %d shards\nwrote %s\nsubmit with: %s\n",
			sc.Name, points, sc.Replicates, runs, j.Shards, strings.Join(files, ", "), files[2])
	case "k8s":
		if j.Binary == "" {
			j.Binary = "pushpull"
		}
		j.Dir = "/results/" + sc.Name
		for _, f := range []string{sweep.K8sSweepFile, sweep.K8sMergeFile} {
			if err := write(f, 0o644, func(w io.Writer) error { return sweep.WriteKubernetes(w, f, j) }); err != nil {
				return invalid(err)
			}
		}
		fmt.Fprintf(e.stdout, "%s: %d points x %d replicates = %d runs in %d shards\nwrote %s\nsubmit with: kubectl apply -f %s && kubectl wait --for=condition=complete --timeout=24h job/%s && kubectl apply -f %s\n",
			sc.Name, points, sc.Replicates, runs, j.Shards, strings.Join(files, ", "), files[0], k8sJobName(sc.Name), files[1])
	}
	return nil
}

func k8sJobName(name string) string {
	objs, err := sweep.KubernetesObjects(sweep.K8sMergeFile, sweep.Job{Name: name, Binary: "x", Dir: "x", Shards: 1, Workers: 1, Image: "x", Volume: "x"})
	if err != nil {
		return name
	}
	meta := objs[0]["metadata"].(map[string]any)
	return strings.TrimSuffix(meta["name"].(string), "-merge")
}

// selfPath is this program's absolute path, or "pushpull" when it is a
// temporary build (go run) that will be gone when the jobs start.
func selfPath() string {
	p, err := os.Executable()
	if err != nil || strings.Contains(p, "go-build") {
		return "pushpull"
	}
	return p
}

// checkSweepMemory refuses a sweep whose runs under way would not fit in
// memory: one market per worker and a few graphs.
func (e *env) checkSweepMemory(sc *scenario.Scenario, workers int) error {
	need := sim.MemoryBytes(&sc.Params, 1)*int64(workers) + sc.Graph.MemoryBytes(sc.Customers)*int64(workers+2)
	have, ok := e.memory()
	if !ok || need <= have {
		return nil
	}
	return invalidf("sweep %s needs about %s of memory but this machine has %s available; lower customers or --workers",
		sc.Name, formatBytes(need), formatBytes(have))
}
