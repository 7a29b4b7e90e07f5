package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// A runResult is what one scenario run produced.
type runResult struct {
	sc          *scenario.Scenario
	dir         string
	series      *output.Series
	outcomes    *output.ReplicateOutcomes
	orbit       *output.Orbit
	manifest    *output.Manifest
	provenance  *output.Provenance
	interrupted bool
}

// runSettings are the command-line choices that shape a run.
type runSettings struct {
	workers int
	out     string // run folder; empty means results/<scenario name>
	force   bool
	quiet   bool
	plots   bool
	write   bool // write the run folder at all
	// graphs, when set, keeps the graphs built so far, so that compared
	// scenarios with the same graph share it rather than rebuild it.
	graphs map[string]*graph.Graph
}

// graphStatsSample is how many nodes the manifest's clustering estimate
// averages over: enough for two decimals, fast on any graph.
const graphStatsSample = 2000

// buildGraph makes the scenario's graph, or takes it from the cache: a
// graph depends only on its specification, customers and seed.
func (st *runSettings) buildGraph(sc *scenario.Scenario) (*graph.Graph, error) {
	key := fmt.Sprintf("%s|%d|%d", sc.GraphSpec(), sc.Customers, sc.Seed)
	g, ok := st.graphs[key]
	if !ok {
		var err error
		if g, err = sc.BuildGraph(); err != nil {
			return nil, invalid(err)
		}
		if st.graphs != nil {
			st.graphs[key] = g
		}
	}
	if err := sc.MatchGraph(g); err != nil {
		return nil, invalid(err)
	}
	return g, nil
}

// execute runs every replicate of sc and, when asked, writes the run folder.
// Interrupted by the context, it keeps the finished replicates, writes them
// and reports the interruption.
func (e *env) execute(sc *scenario.Scenario, st runSettings) (_ *runResult, err error) {
	res := &runResult{sc: sc, dir: st.out}
	workers := st.workers
	if workers <= 0 {
		workers = e.cores
	}
	if res.dir == "" {
		res.dir = filepath.Join("results", sc.Name)
	}
	if st.write {
		// Refuse before the work, not after it. The same run again (the
		// shipped reference runs in results/, say) loses nothing: it
		// writes the same data files.
		if err := output.CheckDir(res.dir, st.force || sameRun(res.dir, sc)); err != nil {
			return nil, invalid(err)
		}
		// A folder that cannot be made is a mistake in --out, found
		// before the work rather than after it; one made for a run that
		// then wrote nothing is removed again.
		top := topMissing(res.dir)
		if err := os.MkdirAll(res.dir, 0o755); err != nil {
			return nil, invalidf("cannot create the run folder %s (see --out): %v", res.dir, errors.Unwrap(err))
		}
		if top != "" {
			defer func() {
				if err != nil {
					removeEmptyUpTo(res.dir, top)
				}
			}()
		}
	}
	// A generated graph's size is known before it is built; an edge list's
	// only once read.
	if sc.Graph.Kind != graph.KindEdgeList {
		if err := e.checkMemory(sc, workers, sc.Graph.MemoryBytes(sc.Customers)); err != nil {
			return nil, err
		}
	}
	started := time.Now()
	g, err := st.buildGraph(sc)
	if err != nil {
		return nil, err
	}
	if sc.Graph.Kind == graph.KindEdgeList {
		if err := e.checkMemory(sc, workers, g.MemoryBytes()); err != nil {
			return nil, err
		}
	}
	brands := make([]string, len(sc.Brands))
	for i, b := range sc.Brands {
		brands[i] = b.Name
	}
	series := output.NewSeries(brands, sc.Customers, sc.Days, sc.Replicates)
	trackers := make([]*output.Tracker, sc.Replicates)
	for r := range trackers {
		trackers[r] = output.NewTracker(sc.Customers, len(brands))
	}
	var orbit *output.Orbit
	if sc.Output.OrbitSample > 0 {
		orbit = output.NewOrbit(brands, sc.Customers, sc.Output.OrbitSample, sc.Output.OrbitEvery, sc.Days, sc.Seed)
	}
	bar := e.progress(sc.Name, sc.Replicates*sc.Days, st.quiet)
	bar.describe(fmt.Sprintf("%s 0/%d replicates", sc.Name, sc.Replicates))
	var mu sync.Mutex
	done := 0
	onDay := func(rep int, m *sim.Market) {
		day := m.Day()
		series.Record(rep, day, m.Metrics())
		trackers[rep].Observe(day, m.Metrics())
		if rep == 0 && orbit != nil {
			orbit.Observe(m)
		}
		if day == sc.Days {
			mu.Lock()
			series.MarkDone(rep)
			done++
			bar.describe(fmt.Sprintf("%s %d/%d replicates", sc.Name, done, sc.Replicates))
			mu.Unlock()
		}
		if day > 0 {
			bar.add(1)
		}
		if e.afterDay != nil {
			e.afterDay(rep, day)
		}
	}
	runErr := sim.RunReplicates(e.ctx, &sc.Params, g, sim.RunOptions{
		Days: sc.Days, Replicates: sc.Replicates, Seed: sc.Seed, Workers: workers, OnDay: onDay,
	})
	bar.finish()
	if runErr != nil && !errors.Is(runErr, context.Canceled) && !errors.Is(runErr, context.DeadlineExceeded) {
		return nil, fmt.Errorf("run %s: %w", sc.Name, runErr)
	}
	res.interrupted = runErr != nil
	res.series = series
	res.outcomes = &output.ReplicateOutcomes{Seed: sc.Seed, Brands: brands}
	for _, r := range series.Done() {
		res.outcomes.Add(r, trackers[r])
	}
	if res.interrupted && len(res.outcomes.Replicates) == 0 {
		return res, errors.New("interrupted before any replicate finished; nothing was written")
	}
	if orbit != nil && slices.Contains(series.Done(), 0) {
		res.orbit = orbit
	}
	res.provenance = &output.Provenance{Command: e.args, Workers: workers, Build: output.ReadBuild(), Started: started.UTC()}
	res.manifest = &output.Manifest{
		Scenario:            sc.Name,
		Description:         sc.Description,
		ScenarioFile:        sc.File,
		ScenarioSHA256:      sc.SHA256,
		Sets:                sc.Sets,
		Seed:                sc.Seed,
		Days:                sc.Days,
		Customers:           sc.Customers,
		Brands:              brands,
		Replicates:          sc.Replicates,
		ReplicatesCompleted: len(res.outcomes.Replicates),
		Interrupted:         res.interrupted,
		Graph:               graph.Compute(g, graphStatsSample, rand.New(rand.NewPCG(sc.Seed, 1))),
		GraphSpec:           sc.Graph.String(),
		Resolved:            sc.ResolvedMap(),
	}
	if st.write {
		if err := e.writeRun(res, st); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// writeRun writes the files of a run folder, each under a temporary name
// renamed when complete; the manifest comes last, so a folder with a
// manifest always holds a complete set of files.
func (e *env) writeRun(res *runResult, st runSettings) error {
	dir := res.dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the run folder: %w", err)
	}
	sums := res.outcomes.Summaries()
	type file struct {
		name  string
		write func(w io.Writer) error
	}
	files := []file{
		{output.DailyFile, func(w io.Writer) error { return output.WriteDaily(w, res.series) }},
		{output.ReplicatesFile, func(w io.Writer) error { return output.WriteReplicates(w, res.outcomes) }},
		{output.SummaryFile, func(w io.Writer) error { return output.WriteSummary(w, res.outcomes.Brands, sums) }},
		{output.ScenarioFile, func(w io.Writer) error { return output.WriteScenario(w, res.sc.Source, res.sc.Sets) }},
	}
	if res.orbit != nil {
		files = append(files, file{output.OrbitFile, func(w io.Writer) error { return output.WriteOrbit(w, res.orbit) }})
	}
	for _, f := range files {
		if err := output.WriteFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
		res.manifest.Files = append(res.manifest.Files, f.name)
	}
	if st.plots {
		names, err := writeRunPlots(dir, res)
		if err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		res.manifest.Files = append(res.manifest.Files, names...)
	}
	p := res.provenance
	p.Finished = time.Now().UTC()
	p.WallSeconds = p.Finished.Sub(p.Started).Seconds()
	if err := output.WriteFile(filepath.Join(dir, output.ProvenanceFile), func(w io.Writer) error { return output.WriteProvenance(w, p) }); err != nil {
		return err
	}
	res.manifest.Files = append(res.manifest.Files, output.ProvenanceFile)
	return output.WriteManifestFile(dir, res.manifest)
}

// topMissing returns the top-most folder of dir's path that does not exist
// yet, which os.MkdirAll(dir) would make, or "" when dir exists.
func topMissing(dir string) string {
	top := ""
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); !errors.Is(err, fs.ErrNotExist) {
			return top
		}
		top = d
		if filepath.Dir(d) == d {
			return top
		}
	}
}

// removeEmptyUpTo removes dir and its parents up to top, as long as they
// are empty: the folders a run made and then wrote nothing into.
func removeEmptyUpTo(dir, top string) {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if os.Remove(d) != nil || d == top || filepath.Dir(d) == d {
			return
		}
	}
}

// sameRun reports whether dir holds a run that sc repeats: the same
// scenario file with the same changes, seed, replicates, days and
// customers, whose data files a run of sc writes again byte for byte.
func sameRun(dir string, sc *scenario.Scenario) bool {
	f, err := os.Open(filepath.Join(dir, output.ManifestFile))
	if err != nil {
		return false
	}
	defer f.Close()
	m, err := output.ReadManifest(f)
	return err == nil && m.Scenario == sc.Name && m.ScenarioSHA256 == sc.SHA256 && slices.Equal(m.Sets, sc.Sets) &&
		m.Seed == sc.Seed && m.Replicates == sc.Replicates && m.Days == sc.Days && m.Customers == sc.Customers
}
