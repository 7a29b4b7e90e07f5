package sweep

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/plot"
	"github.com/pushpull/pushpull/sim/scenario"
	"github.com/pushpull/pushpull/sim/sensitivity"
)

// PlotOutcome is the outcome the sweep plots show unless told another
// (Options.PlotOutcome, MergeOptions.PlotOutcome).
const PlotOutcome = "adoption"

// plotOutcomeOr checks the outcome a sweep's plots are asked to show;
// empty means PlotOutcome.
func plotOutcomeOr(outcome string) (string, error) {
	if outcome == "" {
		return PlotOutcome, nil
	}
	if output.OutcomeIndex(outcome) < 0 {
		return "", fmt.Errorf("sweep: the plots' outcome is not an outcome of replicates.csv: %q (want one of %s)", outcome, strings.Join(output.OutcomeNames, ", "))
	}
	return outcome, nil
}

// sobolSeed seeds the bootstrap of Sobol intervals, so that they are the
// same in every run of a sweep.
const sobolSeed = 0x736f626f6c // "sobol"

// Manifest records a sweep for reproduction and citation: the sweep's
// Meta (its scenario text aside, which scenario.toml holds), the
// sensitivity method, and where and when each part ran.
type Manifest struct {
	Meta
	Runs        int          `json:"runs"`
	Sensitivity string       `json:"sensitivity_method"`
	Assumptions string       `json:"sensitivity_assumptions"`
	Parts       []PartRecord `json:"parts"`
	Command     []string     `json:"command,omitempty"`
	Build       output.Build `json:"build"`
	Written     time.Time    `json:"written"`
	Files       []string     `json:"files"`
}

// PartRecord is where and when a part of the sweep ran.
type PartRecord struct {
	Shard    string    `json:"shard,omitempty"`
	Points   [2]int    `json:"points"`
	Host     string    `json:"host,omitempty"`
	Workers  int       `json:"workers"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Build    string    `json:"build,omitempty"`
}

// runStream reads the runs files of parts in order, checking that every
// run comes once, in (point, replicate) order.
type runStream struct {
	meta  *Meta
	files []string
	i     int
	f     *os.File
	br    *bufio.Reader
	point int
	rep   int
	vals  []float64
}

func newRunStream(meta *Meta, files []string) *runStream {
	return &runStream{meta: meta, files: files, vals: make([]float64, meta.recordWidth())}
}

// next reads the next run into s.vals, which must be point, rep.
func (s *runStream) next(point, rep int) error {
	for {
		if s.br == nil {
			if s.i == len(s.files) {
				return fmt.Errorf("sweep: the parts end before point %d, replicate %d", point, rep)
			}
			f, err := os.Open(s.files[s.i])
			if err != nil {
				return fmt.Errorf("sweep: %w", err)
			}
			s.f, s.br = f, bufio.NewReaderSize(f, 1<<16)
		}
		line, err := s.br.ReadBytes('\n')
		if err == io.EOF && len(line) == 0 {
			s.f.Close()
			s.f, s.br = nil, nil
			s.i++
			continue
		}
		p, r, ok := parseRun(line, s.vals)
		if err != nil || !ok {
			return fmt.Errorf("sweep: %s: a damaged line where point %d, replicate %d should be", s.files[s.i], point, rep)
		}
		if p != point || r != rep {
			return fmt.Errorf("sweep: %s: point %d, replicate %d where point %d, replicate %d should be", s.files[s.i], p, r, point, rep)
		}
		return nil
	}
}

func (s *runStream) close() {
	if s.f != nil {
		s.f.Close()
	}
}

// finalize writes the final files of a sweep into dir from the runs files
// of its parts (in point order, covering every point once): scenario.toml,
// points.csv, replicates.csv, sweep_summary.csv, sensitivity.csv, the
// plots and manifest.json, last.
func finalize(dir string, parts []*Part, runsFiles []string, plots bool, outcome string, command []string) (files, warnings []string, err error) {
	meta := &parts[0].Meta
	k := len(meta.Design.Factors)
	write := func(name string, fn func(w io.Writer) error) error {
		if err := output.WriteFile(filepath.Join(dir, name), fn); err != nil {
			return err
		}
		files = append(files, name)
		return nil
	}
	if err := write(ScenarioFile, func(w io.Writer) error { return output.WriteScenario(w, []byte(meta.Source), meta.Sets) }); err != nil {
		return nil, nil, err
	}
	// points.csv, and each point's numeric values for the analysis.
	numeric := make([]float64, meta.Points*k)
	err = write(PointsFile, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		bw.WriteString(header(append([]string{"point"}, meta.Design.Paths()...)))
		var line []byte
		return forPoints(meta, func(p design.Point) error {
			copy(numeric[p.Index*k:], p.Numeric)
			line = strconv.AppendInt(line[:0], int64(p.Index), 10)
			for _, v := range p.Values {
				line = append(line, ',')
				line = output.AppendField(line, v)
			}
			line = append(line, '\n')
			_, err := bw.Write(line)
			return err
		}, bw.Flush)
	})
	if err != nil {
		return nil, nil, err
	}
	if err := write(ReplicatesFile, func(w io.Writer) error { return writeReplicates(w, meta, runsFiles) }); err != nil {
		return nil, nil, err
	}
	if len(meta.Series) > 0 {
		if err := write(SeriesFile, func(w io.Writer) error { return writeSeries(w, meta, runsFiles) }); err != nil {
			return nil, nil, err
		}
	}
	plotOutcome := output.OutcomeIndex(outcome)
	sums := &pointSummaries{meta: meta, outcome: plotOutcome}
	if err := write(SummaryFile, func(w io.Writer) error { return sums.write(w, runsFiles) }); err != nil {
		return nil, nil, err
	}
	analyses := analyse(meta, numeric, sums.means)
	if err := write(SensitivityFile, func(w io.Writer) error { return writeSensitivity(w, meta, analyses) }); err != nil {
		return nil, nil, err
	}
	for b, brand := range meta.Brands {
		a := analyses[b*len(meta.Outcomes)+plotOutcome]
		if a.err != nil {
			warnings = append(warnings, fmt.Sprintf("%s of %s: no sensitivity analysis: %v", outcome, brand, a.err))
		}
		for _, w := range a.res.Warnings {
			warnings = append(warnings, fmt.Sprintf("%s of %s: %s", outcome, brand, w))
		}
	}
	if plots {
		names, err := plot.SweepPlots(dir, sweepPlotInput(meta, numeric, sums, analyses, plotOutcome))
		if err != nil {
			return nil, nil, fmt.Errorf("sweep: plots: %w", err)
		}
		files = append(files, names...)
	}
	m := &Manifest{
		Meta: *meta, Runs: meta.Points * meta.Replicates,
		Sensitivity: string(methodOf(meta)), Assumptions: methodOf(meta).Assumptions(),
		Command: command, Build: output.ReadBuild(), Written: time.Now().UTC(), Files: append(files, ManifestFile),
	}
	m.Source = ""
	for _, p := range parts {
		m.Parts = append(m.Parts, PartRecord{Shard: p.Shard, Points: [2]int{p.Lo, p.Hi}, Host: p.Host, Workers: p.Workers,
			Started: p.Started, Finished: p.Finished, Build: strings.TrimSpace(p.Build.Version + " " + p.Build.Revision)})
	}
	err = output.WriteFile(filepath.Join(dir, ManifestFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
	if err != nil {
		return nil, nil, err
	}
	return m.Files, warnings, nil
}

func header(cols []string) string {
	var line []byte
	for i, c := range cols {
		if i > 0 {
			line = append(line, ',')
		}
		line = output.AppendField(line, c)
	}
	return string(append(line, '\n'))
}

// forPoints calls fn for every point of the sweep in order, expanding the
// design a batch at a time, then done.
func forPoints(meta *Meta, fn func(design.Point) error, done func() error) error {
	for b, size := 0, batchSize(meta.Points); b < meta.Points; b += size {
		points, err := meta.Design.ExpandRange(b, min(b+size, meta.Points))
		if err != nil {
			return err
		}
		for _, p := range points {
			if err := fn(p); err != nil {
				return err
			}
		}
	}
	return done()
}

// writeReplicates writes replicates.csv: the columns of a run's
// replicates.csv after a point column.
func writeReplicates(w io.Writer, meta *Meta, runsFiles []string) error {
	s := newRunStream(meta, runsFiles)
	defer s.close()
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(header(append([]string{"point", "replicate", "brand"}, meta.Outcomes...)))
	k := len(meta.Outcomes)
	var line []byte
	for p := range meta.Points {
		for r := range meta.Replicates {
			if err := s.next(p, r); err != nil {
				return err
			}
			for b, brand := range meta.Brands {
				line = strconv.AppendInt(line[:0], int64(p), 10)
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(r), 10)
				line = append(line, ',')
				line = output.AppendField(line, brand)
				for _, v := range s.vals[b*k : (b+1)*k] {
					line = append(line, ',')
					line = output.AppendFloat(line, v)
				}
				line = append(line, '\n')
				if _, err := bw.Write(line); err != nil {
					return err
				}
			}
		}
	}
	return bw.Flush()
}

// writeSeries writes series.csv: per point, replicate, brand and kept
// metric, one row with the metric's value on each kept day, in columns
// day_0, day_7, ...: the series of a large sweep in a few bytes a value.
func writeSeries(w io.Writer, meta *Meta, runsFiles []string) error {
	s := newRunStream(meta, runsFiles)
	defer s.close()
	bw := bufio.NewWriterSize(w, 1<<16)
	cols := []string{"point", "replicate", "brand", "metric"}
	for _, d := range meta.SeriesDays {
		cols = append(cols, "day_"+strconv.Itoa(d))
	}
	bw.WriteString(header(cols))
	nd, nm, base := len(meta.SeriesDays), len(meta.Series), meta.width()
	var line []byte
	for p := range meta.Points {
		for r := range meta.Replicates {
			if err := s.next(p, r); err != nil {
				return err
			}
			for b, brand := range meta.Brands {
				for i, metric := range meta.Series {
					line = strconv.AppendInt(line[:0], int64(p), 10)
					line = append(line, ',')
					line = strconv.AppendInt(line, int64(r), 10)
					line = append(line, ',')
					line = output.AppendField(line, brand)
					line = append(line, ',')
					line = append(line, metric...)
					at := base + (b*nm+i)*nd
					for _, v := range s.vals[at : at+nd] {
						line = append(line, ',')
						line = output.AppendFloat(line, v)
					}
					line = append(line, '\n')
					if _, err := bw.Write(line); err != nil {
						return err
					}
				}
			}
		}
	}
	return bw.Flush()
}

// pointSummaries writes sweep_summary.csv and keeps, per point, brand and
// outcome, the mean and (for the plotted outcome) its interval.
type pointSummaries struct {
	meta      *Meta
	means     []float64 // [point][brand][outcome]
	low, high []float64 // [point][brand], the plotted outcome only
	outcome   int       // the plotted outcome, in meta.Outcomes
}

func (ps *pointSummaries) write(w io.Writer, runsFiles []string) error {
	meta := ps.meta
	width, k, nb := meta.width(), len(meta.Outcomes), len(meta.Brands)
	ps.means = make([]float64, meta.Points*width)
	ps.low = make([]float64, meta.Points*nb)
	ps.high = make([]float64, meta.Points*nb)
	plotOutcome := ps.outcome
	s := newRunStream(meta, runsFiles)
	defer s.close()
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(header(append(append([]string{"point"}, meta.Design.Paths()...), "brand", "outcome", "mean", "ci95_low", "ci95_high", "n")))
	runs := make([]float64, meta.Replicates*width) // [replicate][brand][outcome]
	column := make([]float64, meta.Replicates)
	var line, prefix []byte
	return forPoints(meta, func(p design.Point) error {
		for r := range meta.Replicates {
			if err := s.next(p.Index, r); err != nil {
				return err
			}
			copy(runs[r*width:(r+1)*width], s.vals)
		}
		prefix = strconv.AppendInt(prefix[:0], int64(p.Index), 10)
		for _, v := range p.Values {
			prefix = append(prefix, ',')
			prefix = output.AppendField(prefix, v)
		}
		for b, brand := range meta.Brands {
			for o, outcome := range meta.Outcomes {
				for r := range column {
					column[r] = runs[r*width+b*k+o]
				}
				sum := output.Summarize(column)
				ps.means[p.Index*width+b*k+o] = sum.Mean
				if o == plotOutcome {
					ps.low[p.Index*nb+b], ps.high[p.Index*nb+b] = sum.Low, sum.High
				}
				line = append(line[:0], prefix...)
				line = append(line, ',')
				line = output.AppendField(line, brand)
				line = append(line, ',')
				line = append(line, outcome...)
				for _, v := range []float64{sum.Mean, sum.Low, sum.High} {
					line = append(line, ',')
					line = output.AppendFloat(line, v)
				}
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(sum.N), 10)
				line = append(line, '\n')
				if _, err := bw.Write(line); err != nil {
					return err
				}
			}
		}
		return nil
	}, bw.Flush)
}

// methodOf is the sensitivity method a sweep's design gets.
func methodOf(meta *Meta) sensitivity.Method {
	if meta.Design.Method == design.MethodSobol {
		return sensitivity.MethodSobol
	}
	return sensitivity.MethodSRC
}

// analysis is the sensitivity of one outcome of one brand.
type analysis struct {
	res sensitivity.Result
	err error
}

// analyse ranks the factors for every outcome of every brand, from the
// points' means: analyses[b*len(Outcomes)+o].
func analyse(meta *Meta, numeric, means []float64) []analysis {
	k := len(meta.Design.Factors)
	paths := meta.Design.Paths()
	width, nk := meta.width(), len(meta.Outcomes)
	// A log-spaced factor enters the regression as log10 of its value:
	// its effect is then spread over the range as the design spreads it.
	x := make([][]float64, meta.Points)
	for p := range x {
		x[p] = slices.Clone(numeric[p*k : (p+1)*k])
		for i, f := range meta.Design.Factors {
			if f.Log {
				x[p][i] = math.Log10(x[p][i])
			}
		}
	}
	var categorical []string
	for _, f := range meta.Design.Factors {
		if f.Categorical() {
			categorical = append(categorical, f.Path)
		}
	}
	y := make([]float64, meta.Points)
	out := make([]analysis, len(meta.Brands)*nk)
	for b := range meta.Brands {
		for o, outcome := range meta.Outcomes {
			for p := range y {
				y[p] = means[p*width+b*nk+o]
			}
			var a analysis
			if methodOf(meta) == sensitivity.MethodSobol {
				a.res, a.err = sensitivity.Sobol(outcome, paths, y, sensitivity.SobolOptions{Seed: sobolSeed})
			} else {
				a.res, a.err = sensitivity.SRC(outcome, paths, x, y)
				if a.err == nil && len(categorical) > 0 {
					a.res.Warnings = append(a.res.Warnings, "categorical factors enter the regression as their list positions: "+strings.Join(categorical, ", "))
				}
			}
			out[b*nk+o] = a
		}
	}
	return out
}

// writeSensitivity writes sensitivity.csv: per brand, outcome and factor,
// the factor's index and rank.
func writeSensitivity(w io.Writer, meta *Meta, analyses []analysis) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(header([]string{"brand", "outcome", "method", "factor", "rank", "index", "index_low", "index_high",
		"total", "total_low", "total_high", "r2", "points_used", "warnings"}))
	nk := len(meta.Outcomes)
	method := string(methodOf(meta))
	var line []byte
	for b, brand := range meta.Brands {
		for o, outcome := range meta.Outcomes {
			a := analyses[b*nk+o]
			prefix := func() {
				line = output.AppendField(line[:0], brand)
				line = append(line, ',')
				line = append(line, outcome...)
				line = append(line, ',')
				line = append(line, method...)
				line = append(line, ',')
			}
			if a.err != nil {
				for _, f := range meta.Design.Paths() {
					prefix()
					line = output.AppendField(line, f)
					line = append(line, ",,,,,,,,,0,"...)
					line = output.AppendField(line, a.err.Error())
					line = append(line, '\n')
					bw.Write(line)
				}
				continue
			}
			for _, f := range a.res.Ranked() {
				prefix()
				line = output.AppendField(line, f.Factor)
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(f.Rank), 10)
				for _, v := range []float64{f.Index, f.IndexLow, f.IndexHigh, f.Total, f.TotalLow, f.TotalHigh, a.res.R2} {
					line = append(line, ',')
					line = output.AppendFloat(line, round(v))
				}
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(a.res.Used), 10)
				line = append(line, ',')
				line = output.AppendField(line, strings.Join(a.res.Warnings, "; "))
				line = append(line, '\n')
				if _, err := bw.Write(line); err != nil {
					return err
				}
			}
		}
	}
	return bw.Flush()
}

// round keeps 6 significant digits: an index's last digits are rounding
// noise that would differ between machines with other floating-point
// instructions (fused multiply-add), and 6 digits are far below any
// index's confidence interval.
func round(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return r
}

// sweepPlotInput gathers what the plots draw: the plotted outcome's mean
// and interval per point and brand, and its sensitivity per brand.
func sweepPlotInput(meta *Meta, numeric []float64, sums *pointSummaries, analyses []analysis, outcome int) plot.SweepInput {
	k, nb, width, nk := len(meta.Design.Factors), len(meta.Brands), meta.width(), len(meta.Outcomes)
	in := plot.SweepInput{
		Scenario: meta.Scenario, Brands: meta.Brands, Factors: meta.Design.Paths(),
		Grid: meta.Design.Method == design.MethodGrid, Outcome: meta.Outcomes[outcome], Replicates: meta.Replicates,
		Method: string(methodOf(meta)),
	}
	for _, f := range meta.Design.Factors {
		in.FactorLabels = append(in.FactorLabels, scenario.KeyLabel(f.Path))
		in.Categorical = append(in.Categorical, f.Categorical())
		in.Log = append(in.Log, f.Log)
	}
	if k > 2 {
		// Only the tornado chart is drawn: keep no points.
		return withSensitivity(in, meta, analyses, outcome)
	}
	in.Points = make([]plot.SweepPoint, meta.Points)
	forPoints(meta, func(p design.Point) error {
		sp := plot.SweepPoint{Values: p.Values, Numeric: numeric[p.Index*k : (p.Index+1)*k],
			Mean: make([]float64, nb), Low: make([]float64, nb), High: make([]float64, nb)}
		for b := range nb {
			sp.Mean[b] = sums.means[p.Index*width+b*nk+outcome]
			sp.Low[b], sp.High[b] = sums.low[p.Index*nb+b], sums.high[p.Index*nb+b]
		}
		in.Points[p.Index] = sp
		return nil
	}, func() error { return nil })
	return withSensitivity(in, meta, analyses, outcome)
}

// withSensitivity adds each brand's ranking of the factors for outcome.
func withSensitivity(in plot.SweepInput, meta *Meta, analyses []analysis, outcome int) plot.SweepInput {
	nk := len(meta.Outcomes)
	for b, brand := range meta.Brands {
		a := analyses[b*nk+outcome]
		s := plot.SweepSensitivity{Brand: brand, R2: a.res.R2}
		if a.err == nil {
			for _, f := range a.res.Ranked() {
				v, lo, hi := f.Index, f.IndexLow, f.IndexHigh
				if a.res.Method == sensitivity.MethodSobol {
					v, lo, hi = f.Total, f.TotalLow, f.TotalHigh
				}
				s.Factors = append(s.Factors, f.Factor)
				s.Index = append(s.Index, v)
				s.Low = append(s.Low, lo)
				s.High = append(s.High, hi)
			}
		}
		in.Sensitivity = append(in.Sensitivity, s)
	}
	return in
}
