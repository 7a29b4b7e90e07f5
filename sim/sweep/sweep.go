package sweep

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// Defaults of the journal's batching.
const (
	DefaultSyncRuns     = 256
	DefaultSyncInterval = 250 * time.Millisecond
)

// Names of the files of a sweep folder and of a part folder.
const (
	JournalFile      = "sweep.journal"
	RunsFile         = "part.runs"
	PartFile         = "part.json"
	PointsFile       = "points.csv"
	SummaryFile      = "sweep_summary.csv"
	SeriesFile       = "series.csv"
	SensitivityFile  = "sensitivity.csv"
	ReplicatesFile   = output.ReplicatesFile
	ScenarioFile     = output.ScenarioFile
	ManifestFile     = output.ManifestFile
	PartsDir         = "parts"
	journalMagic     = "pushpull-sweep-journal"
	journalVersion   = "1"
	graphCacheExtras = 2
)

// ErrExists reports that a folder already holds a finished sweep or run.
var ErrExists = errors.New("sweep: folder already holds a finished sweep")

// Options say how Run runs a sweep and where it writes.
type Options struct {
	// Dir is the sweep folder: the final files of an unsharded sweep, and
	// the parts/ folder of a sharded one.
	Dir string
	// Workers is the number of runs under way at once (default: all cores).
	// It changes nothing in the results.
	Workers int
	// Shard, when Of > 0, runs only that shard's points into
	// PartDir(Dir, Shard).
	Shard design.ShardSpec
	// Force overwrites a finished sweep in Dir and discards a journal or
	// part of another sweep.
	Force bool
	// Plots draws the sweep's plots with the final files.
	Plots bool
	// PlotOutcome is the outcome the plots and the warnings of the
	// sensitivity analysis are about (default: PlotOutcome).
	PlotOutcome string
	// SyncRuns and SyncInterval batch the journal's fsyncs: after this many
	// runs or this long, whichever comes first (0: the defaults).
	SyncRuns     int
	SyncInterval time.Duration
	// Progress, when set, is called after every finished run with the runs
	// done and the runs of the range, resumed ones included; calls are
	// serialized.
	Progress func(done, total int)
	// Command is the command line, for the manifest.
	Command []string
}

// Result says what Run did.
type Result struct {
	// Dir is where the outputs went: the sweep folder, or the part folder.
	Dir string
	// Points and Runs count the points and runs of the range run.
	Points, Runs int
	// Resumed counts the runs found complete in the journal (or a finished
	// part), Ran those run now.
	Resumed, Ran int
	// Interrupted is true when the context stopped the sweep; the journal
	// keeps the finished runs for the next attempt.
	Interrupted bool
	// Files lists the files written into Dir.
	Files []string
	// Warnings of the sensitivity analysis.
	Warnings []string
}

// Meta is what the final files need to know of a sweep, recorded in every
// part.json so that Merge needs no scenario file.
type Meta struct {
	Scenario       string        `json:"scenario"`
	Description    string        `json:"description,omitempty"`
	ScenarioFile   string        `json:"scenario_file"`
	ScenarioSHA256 string        `json:"scenario_sha256"`
	Sets           []string      `json:"sets,omitempty"`
	SweepSHA256    string        `json:"sweep_sha256"`
	Design         design.Design `json:"design"`
	Points         int           `json:"points"`
	Replicates     int           `json:"replicates"`
	Seed           uint64        `json:"seed"`
	Days           int           `json:"days"`
	Customers      int           `json:"customers"`
	Brands         []string      `json:"brands"`
	Outcomes       []string      `json:"outcomes"`
	// Series are the daily metrics each run keeps, on the days SeriesDays
	// lists; none unless the scenario's sweep.series names some.
	Series     []string `json:"series,omitempty"`
	SeriesDays []int    `json:"series_days,omitempty"`
	Source     string   `json:"scenario_source,omitempty"`
}

// NewMeta describes the sweep of sc; it fails when sc has no valid sweep.
func NewMeta(sc *scenario.Scenario) (*Meta, error) {
	if sc.Sweep == nil {
		return nil, fmt.Errorf("sweep: %s has no [sweep] table", sc.File)
	}
	d := sc.Sweep.Design()
	if err := d.Validate(); err != nil {
		return nil, err
	}
	for i, f := range d.Factors {
		if f.Path == "replicates" || f.Path == "name" || strings.HasSuffix(f.Path, ".name") {
			return nil, fmt.Errorf("sweep: sweep.factor[%d].path: a sweep cannot vary the scenario's replicates or a name: %q", i, f.Path)
		}
	}
	m := &Meta{
		Scenario: sc.Name, Description: sc.Description, ScenarioFile: sc.File, ScenarioSHA256: sc.SHA256,
		Sets: sc.Sets, Design: d, Points: d.Count(), Replicates: sc.Replicates, Seed: sc.Seed,
		Days: sc.Days, Customers: sc.Customers, Outcomes: output.OutcomeNames, Source: string(sc.Source),
	}
	for _, b := range sc.Brands {
		m.Brands = append(m.Brands, b.Name)
	}
	for _, name := range sc.Sweep.Series {
		if output.MetricIndex(name) < 0 {
			return nil, fmt.Errorf("%s: sweep.series: not a column of daily.csv: %q (want some of %s)", sc.Where("sweep.series"), name, strings.Join(output.MetricNames(), ", "))
		}
		if slices.Contains(m.Series, name) {
			return nil, fmt.Errorf("%s: sweep.series: %q is named twice", sc.Where("sweep.series"), name)
		}
		m.Series = append(m.Series, name)
	}
	if len(m.Series) > 0 {
		m.SeriesDays = keptDays(sc.Days, sc.Sweep.SeriesEvery)
	}
	var resolved bytes.Buffer
	if err := sc.WriteResolved(&resolved); err != nil {
		return nil, err
	}
	h := sha256.New()
	// The resolved scenario (its [sweep] included) fixes every run; the
	// brands and outcome columns fix the layout of the rows.
	body := resolved.String()
	if i := strings.IndexByte(body, '\n'); i >= 0 && strings.HasPrefix(body, "#") {
		body = body[i+1:] // the first comment names the file, which may move
	}
	fmt.Fprintf(h, "%s\nbrands=%q\noutcomes=%q\n", body, m.Brands, m.Outcomes)
	m.SweepSHA256 = hex.EncodeToString(h.Sum(nil))
	return m, nil
}

// width is the number of outcomes of one run: every outcome of every brand.
func (m *Meta) width() int { return len(m.Brands) * len(m.Outcomes) }

// recordWidth is the number of values the journal keeps of one run: its
// outcomes, then its series, brand by brand, metric by metric, day by day.
func (m *Meta) recordWidth() int { return m.width() + len(m.Brands)*len(m.Series)*len(m.SeriesDays) }

// keptDays are the days a series keeps: 0, every, 2 every, ... and the
// last day.
func keptDays(days, every int) []int {
	every = max(every, 1)
	var out []int
	for d := 0; d <= days; d += every {
		out = append(out, d)
	}
	if out[len(out)-1] != days {
		out = append(out, days)
	}
	return out
}

// PartDir is the folder shard s of the sweep in dir writes to.
func PartDir(dir string, s design.ShardSpec) string {
	return filepath.Join(dir, PartsDir, fmt.Sprintf("shard-%04d-of-%04d", s.Number, s.Of))
}

// Check applies every value a factor can take (each list entry, each end of
// each range) to sc alone, exactly as a point would, so that a value the
// key does not accept is found before the sweep runs. Points combine
// factors; a relation between keys (seed shares that must sum to at most
// 1, say) can still fail at a point, and the run then names it.
func Check(sc *scenario.Scenario) error {
	if sc.Sweep == nil {
		return nil
	}
	if _, err := NewMeta(sc); err != nil {
		return err
	}
	d := sc.Sweep.Design()
	alone := sc.WithoutSweep()
	var errs []error
	for i, f := range d.Factors {
		values := f.Values
		if len(values) == 0 {
			ends := design.Design{Method: design.MethodGrid, Factors: []design.Factor{{Path: f.Path, Min: f.Min, Max: f.Max, Steps: 2, Log: f.Log, Integer: f.Integer}}}
			pts, err := ends.Expand()
			if err != nil {
				return err
			}
			for _, p := range pts {
				values = append(values, p.Values[0])
			}
		}
		// Every bad value is reported, each at the line that gives it:
		// the factor's values, or its min or max.
		for j, v := range values {
			key := fmt.Sprintf("sweep.factor[%d].values", i)
			if len(f.Values) == 0 {
				key = fmt.Sprintf("sweep.factor[%d].%s", i, [...]string{"min", "max"}[min(j, 1)])
			}
			trial := *alone
			if err := trial.SetAll([]scenario.Assignment{{Source: sc.Where(key) + ": " + key, Text: f.Path + "=" + v}}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// pointScenario is sc at point p: each factor's key set as --set sets it.
// sc is the scenario without its sweep (WithoutSweep), so that a point
// costs the same however many points the sweep has.
func pointScenario(sc *scenario.Scenario, paths []string, p design.Point) (*scenario.Scenario, error) {
	at := *sc
	as := make([]scenario.Assignment, len(paths))
	for i, path := range paths {
		as[i] = scenario.Assignment{Source: fmt.Sprintf("sweep point %d", p.Index), Text: path + "=" + p.Values[i]}
	}
	if err := at.SetAll(as); err != nil {
		return nil, err
	}
	return &at, nil
}

// graphCache keeps the last few graphs built, keyed by what a graph
// depends on, so that points sharing a graph build it once.
type graphCache struct {
	mu    sync.Mutex
	limit int
	keys  []string
	byKey map[string]*graph.Graph
}

func (c *graphCache) get(sc *scenario.Scenario) (*graph.Graph, error) {
	key := fmt.Sprintf("%s|%d|%d", sc.GraphSpec(), sc.Customers, sc.Seed)
	c.mu.Lock()
	g, ok := c.byKey[key]
	c.mu.Unlock()
	if !ok {
		var err error
		if g, err = sc.BuildGraph(); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.byKey == nil {
			c.byKey = map[string]*graph.Graph{}
		}
		if _, dup := c.byKey[key]; !dup {
			c.keys = append(c.keys, key)
			c.byKey[key] = g
			for len(c.keys) > c.limit {
				delete(c.byKey, c.keys[0])
				c.keys = c.keys[1:]
			}
		}
		c.mu.Unlock()
	}
	if err := sc.MatchGraph(g); err != nil {
		return nil, err
	}
	return g, nil
}

// task is one run: a replicate of a point.
type task struct {
	point *pointRun
	rep   int
}

// pointRun is a point's scenario and graph, shared by its replicates.
type pointRun struct {
	index int
	sc    *scenario.Scenario
	g     *graph.Graph
}

// Run runs the sweep of sc (its whole range, or opt.Shard's), resuming
// from the journal in the output folder, and writes the final files, or
// the part files of a shard. Cancelling ctx stops it after the runs under
// way finish their current day; finished runs stay in the journal, and
// Result.Interrupted is set.
func Run(ctx context.Context, sc *scenario.Scenario, opt Options) (*Result, error) {
	meta, err := NewMeta(sc)
	if err != nil {
		return nil, err
	}
	if _, err := plotOutcomeOr(opt.PlotOutcome); err != nil {
		return nil, err // before the runs, not after them
	}
	if opt.Dir == "" {
		return nil, errors.New("sweep: no output folder given")
	}
	lo, hi := 0, meta.Points
	dir := opt.Dir
	sharded := opt.Shard.Of > 0
	if sharded {
		if lo, hi, err = opt.Shard.Range(meta.Points); err != nil {
			return nil, err
		}
		dir = PartDir(opt.Dir, opt.Shard)
	}
	res := &Result{Dir: dir, Points: hi - lo, Runs: (hi - lo) * meta.Replicates}
	if done, err := prepareDir(dir, meta, lo, hi, sharded, opt.Force); err != nil || done {
		if done {
			res.Resumed = res.Runs
		}
		return res, err
	}
	started := time.Now().UTC()
	j, err := openJournal(filepath.Join(dir, JournalFile), meta, lo, hi, opt.Force)
	if err != nil {
		return nil, err
	}
	defer j.close()
	res.Resumed = j.doneCount
	if err := runAll(ctx, sc, meta, j, lo, hi, opt, res); err != nil {
		return nil, err
	}
	if res.Interrupted {
		return res, j.sync()
	}
	if err := j.sync(); err != nil {
		return nil, err
	}
	runsPath := filepath.Join(dir, RunsFile)
	if err := output.WriteFile(runsPath, j.writeSorted); err != nil {
		return nil, err
	}
	part := &Part{Meta: *meta, Shard: opt.Shard.String(), Lo: lo, Hi: hi, Started: started,
		Workers: workers(opt.Workers), Command: opt.Command}
	if !sharded {
		part.Shard = ""
	}
	part.dir = dir
	part.Host, _ = os.Hostname()
	part.Finished = time.Now().UTC()
	if sharded {
		if err := writePart(dir, part); err != nil {
			return nil, err
		}
		res.Files = []string{RunsFile, PartFile}
	} else {
		outcome, err := plotOutcomeOr(opt.PlotOutcome)
		if err != nil {
			return nil, err
		}
		files, warnings, err := finalize(dir, []*Part{part}, []string{runsPath}, opt.Plots, outcome, opt.Command)
		if err != nil {
			return nil, err
		}
		res.Files, res.Warnings = files, warnings
		if err := os.Remove(runsPath); err != nil {
			return nil, err
		}
	}
	j.close()
	if err := os.Remove(j.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return res, nil
}

func workers(n int) int {
	if n <= 0 {
		return runtime.NumCPU()
	}
	return n
}

// prepareDir makes the output folder and refuses to overwrite a finished
// sweep without force; done reports a shard whose part is already
// finished for this very sweep, which then has nothing left to do.
func prepareDir(dir string, meta *Meta, lo, hi int, sharded, force bool) (done bool, err error) {
	if sharded {
		p, err := readPart(dir)
		switch {
		case err == nil && p.SweepSHA256 == meta.SweepSHA256 && p.Lo == lo && p.Hi == hi:
			return true, nil
		case err == nil && !force:
			return false, fmt.Errorf("%w: %s holds a part of another sweep (use --force to replace it)", ErrExists, dir)
		case err == nil:
			if err := os.Remove(filepath.Join(dir, PartFile)); err != nil {
				return false, err
			}
		}
	} else if data, err := os.ReadFile(filepath.Join(dir, ManifestFile)); err == nil && !force {
		// The very same sweep, finished (as the shipped reference
		// sweeps are), has nothing left to run; any other is kept.
		var finished struct {
			SweepSHA256 string `json:"sweep_sha256"`
		}
		if json.Unmarshal(data, &finished) == nil && finished.SweepSHA256 == meta.SweepSHA256 {
			return true, nil
		}
		return false, fmt.Errorf("%w: %s (use --force to overwrite it, or --out to write elsewhere)", ErrExists, dir)
	}
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return false, fmt.Errorf("sweep: %s is a file, not a folder", dir)
	}
	return false, os.MkdirAll(dir, 0o755)
}

// runAll runs every missing run of points lo..hi-1 on opt.Workers
// goroutines and appends each to the journal.
func runAll(ctx context.Context, sc *scenario.Scenario, meta *Meta, j *journal, lo, hi int, opt Options, res *Result) error {
	nw := workers(opt.Workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	tasks := make(chan task, nw)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		done     = j.doneCount
		ran      atomic.Int64
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	if opt.Progress != nil {
		opt.Progress(done, res.Runs)
	}
	for range nw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newRunner(meta)
			for t := range tasks {
				if ctx.Err() != nil {
					continue // drain
				}
				if err := r.run(ctx, t); err != nil {
					if !errors.Is(err, context.Canceled) {
						fail(fmt.Errorf("sweep: point %d, replicate %d: %w", t.point.index, t.rep, err))
					}
					continue
				}
				if err := j.append(t.point.index, t.rep, r.values, opt.SyncRuns, opt.SyncInterval); err != nil {
					fail(err)
					continue
				}
				ran.Add(1)
				if opt.Progress != nil {
					mu.Lock()
					done++
					opt.Progress(done, res.Runs)
					mu.Unlock()
				}
			}
		}()
	}
	feedErr := feed(ctx, sc, meta, j, lo, hi, nw, tasks)
	close(tasks)
	wg.Wait()
	res.Ran = int(ran.Load())
	if feedErr != nil && !errors.Is(feedErr, context.Canceled) {
		fail(feedErr)
	}
	if firstErr != nil {
		return firstErr
	}
	res.Interrupted = ctx.Err() != nil
	return nil
}

// feedBatch is how many points are expanded at a time, at least: a large
// design is expanded in at most 16 batches, since a Latin hypercube
// builds its whole matrix for every batch.
const feedBatch = 1024

func batchSize(points int) int { return max(feedBatch, points/16+1) }

// feed sends every missing run in (point, replicate) order.
func feed(ctx context.Context, sc *scenario.Scenario, meta *Meta, j *journal, lo, hi, nw int, tasks chan<- task) error {
	graphs := &graphCache{limit: nw + graphCacheExtras}
	paths := meta.Design.Paths()
	sc = sc.WithoutSweep()
	for b, size := lo, batchSize(meta.Points); b < hi; b += size {
		points, err := meta.Design.ExpandRange(b, min(b+size, hi))
		if err != nil {
			return err
		}
		for _, p := range points {
			if j.pointDone(p.Index) {
				continue
			}
			at, err := pointScenario(sc, paths, p)
			if err != nil {
				return err
			}
			g, err := graphs.get(at)
			if err != nil {
				return fmt.Errorf("sweep point %d: %w", p.Index, err)
			}
			pr := &pointRun{index: p.Index, sc: at, g: g}
			for rep := range meta.Replicates {
				if j.runDone(p.Index, rep) {
					continue
				}
				select {
				case tasks <- task{point: pr, rep: rep}:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
	}
	return nil
}

// runner runs one market at a time and keeps its end-of-run outcomes.
type runner struct {
	meta   *Meta
	values []float64
	series []int     // indices of the kept metrics, in output.MetricNames
	row    []float64 // scratch for one brand's metrics of a day
}

func newRunner(meta *Meta) *runner {
	r := &runner{meta: meta, values: make([]float64, meta.recordWidth())}
	for _, name := range meta.Series {
		r.series = append(r.series, output.MetricIndex(name))
	}
	return r
}

// keep records day's values of the kept metrics when it is the next of
// the series' days; kept counts the days recorded so far.
func (r *runner) keep(day int, kept *int, ms []sim.DayMetrics) {
	days := r.meta.SeriesDays
	if len(r.series) == 0 || *kept == len(days) || days[*kept] != day {
		return
	}
	nd, nm := len(days), len(r.series)
	base := r.meta.width()
	for b := range ms {
		r.row = output.AppendMetrics(r.row[:0], &ms[b])
		for i, k := range r.series {
			r.values[base+(b*nm+i)*nd+*kept] = r.row[k]
		}
	}
	*kept++
}

// run runs one replicate of a point to the end and leaves every outcome
// of every brand in r.values, brand by brand.
func (r *runner) run(ctx context.Context, t task) error {
	sc := t.point.sc
	m, err := sim.NewMarket(&sc.Params, t.point.g, sc.Seed, t.rep)
	if err != nil {
		return err
	}
	defer m.Close()
	m.SetWorkers(1)
	tr := output.NewTracker(sc.Customers, len(sc.Brands))
	tr.Observe(0, m.Metrics())
	kept := 0
	r.keep(0, &kept, m.Metrics())
	for d := 1; d <= sc.Days; d++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		m.Step()
		tr.Observe(d, m.Metrics())
		r.keep(d, &kept, m.Metrics())
	}
	k := len(r.meta.Outcomes)
	for b := range r.meta.Brands {
		copy(r.values[b*k:(b+1)*k], tr.Outcomes(b))
	}
	return nil
}
