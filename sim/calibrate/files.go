package calibrate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// Names of the files of a fit's folder.
const (
	PosteriorFile    = "posterior.csv"
	SummaryFile      = "calibration_summary.csv"
	CorrelationsFile = "correlations.csv"
	GenerationsFile  = "generations.csv"
	PredictiveFile   = "predictive.csv"
	PairsPlot        = "pairs"
	PredictivePlot   = "predictive"
	ManifestFile     = output.ManifestFile
	ScenarioFile     = output.ScenarioFile
)

// Report is a finished fit and what it was fitted to: what the files of
// its folder and its printed table are made from.
type Report struct {
	Scenario *scenario.Scenario
	Data     *Data
	Target   Target
	Priors   []Prior
	Options  Options
	Result   *Result
	// Summaries and Correlations of the posterior.
	Summaries    []Summary
	Correlations [][]float64
	// Predictive holds simulations at posterior draws, in the layout of the
	// observed vector; Median, Low and High are their band.
	Predictive        [][]float64
	Median, Low, High []float64
	// Distance is the posterior predictive median's distance to the data.
	Distance float64
	Resumed  int // generations read from the journal
	Command  []string
	Started  time.Time
	Finished time.Time
}

// NewReport summarises a fit and its posterior predictive simulations.
func NewReport(sc *scenario.Scenario, t Target, priors []Prior, opt Options, res *Result, predictive [][]float64) *Report {
	r := &Report{Scenario: sc, Data: t.Data, Target: t, Priors: priors, Options: opt.withDefaults(), Result: res,
		Summaries: Summarize(res.Posterior(), priors), Correlations: Correlations(res.Posterior()), Predictive: predictive}
	r.Median, r.Low, r.High = Band(predictive)
	r.Distance = NewDistance(t.Data.Values).Of(r.Median)
	return r
}

// Unidentifiable lists the pairs of keys whose posterior correlation
// exceeds Unidentified in absolute value, as "a and b (r = 0.95)".
func (r *Report) Unidentifiable() []string {
	var out []string
	for a := range r.Priors {
		for b := a + 1; b < len(r.Priors); b++ {
			if c := r.Correlations[a][b]; math.Abs(c) > Unidentified {
				out = append(out, fmt.Sprintf("%s and %s (r = %.3f)", r.Priors[a].Key, r.Priors[b].Key, c))
			}
		}
	}
	return out
}

// WriteTable prints what was fitted, to what, how well, and the posterior
// of every key.
func (r *Report) WriteTable(w io.Writer) error {
	post := r.Result.Posterior()
	bw := bufio.NewWriter(w)
	unit := r.Target.Unit
	if unit == "" {
		unit = "day"
	}
	kind := "counts"
	if r.Target.Shares {
		kind = "shares of all customers"
	}
	fmt.Fprintf(bw, "calibrate: %s to %s (%s, %d times in %ss, as %s)\n", r.Scenario.Name, r.Data.File, strings.Join(r.Data.Columns, ", "), len(r.Data.Times), unit, kind)
	fmt.Fprintf(bw, "ABC-SMC: %d particles, %d generations, %d simulations (%s); final tolerance %s, acceptance %.3f, effective sample size %.0f\n",
		len(post.Particles), len(r.Result.Generations), r.Result.Simulations, r.Result.Stop, formatG4(post.Tolerance), post.Acceptance(), post.ESS())
	fmt.Fprintf(bw, "distance of the posterior predictive median to the data: %s (root mean square error over the series' scale)\n\n", formatG4(r.Distance))
	rows := [][]string{{"key", "prior", "mean", "median", "90% credible interval"}}
	for _, s := range r.Summaries {
		rows = append(rows, []string{s.Key, s.Prior.String(), formatG4(s.Mean), formatG4(s.Median), "[" + formatG4(s.Low) + ", " + formatG4(s.High) + "]"})
	}
	writeAligned(bw, rows)
	for _, u := range r.Unidentifiable() {
		fmt.Fprintf(bw, "warning: the data cannot tell %s apart: they fix a combination of the two, not each\n", u)
	}
	return bw.Flush()
}

func writeAligned(w io.Writer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len(c))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			if i < len(row)-1 {
				fmt.Fprintf(&line, "%-*s   ", widths[i], c)
			} else {
				line.WriteString(c)
			}
		}
		fmt.Fprintln(w, line.String())
	}
}

func formatG4(x float64) string { return strconv.FormatFloat(x, 'g', 4, 64) }

// number writes x the shortest way that reads back exactly.
func number(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// WriteFiles writes the fit's files into dir, each through a temporary
// file, and returns their names.
func (r *Report) WriteFiles(dir string, plots bool) ([]string, error) {
	files := []string{PosteriorFile, SummaryFile, CorrelationsFile, GenerationsFile, PredictiveFile, ScenarioFile}
	writers := []func(io.Writer) error{r.writePosterior, r.writeSummary, r.writeCorrelations, r.writeGenerations, r.writePredictive,
		func(w io.Writer) error { return output.WriteScenario(w, r.Scenario.Source, r.Scenario.Sets) }}
	for i, f := range files {
		if err := output.WriteFile(filepath.Join(dir, f), writers[i]); err != nil {
			return nil, err
		}
	}
	if plots {
		names, err := r.savePlots(dir)
		if err != nil {
			return nil, err
		}
		files = append(files, names...)
	}
	files = append(files, ManifestFile)
	if err := output.WriteFile(filepath.Join(dir, ManifestFile), func(w io.Writer) error { return r.writeManifest(w, files) }); err != nil {
		return nil, err
	}
	return files, nil
}

func csvLine(w *bufio.Writer, fields ...string) {
	for i, f := range fields {
		if i > 0 {
			w.WriteByte(',')
		}
		if strings.ContainsAny(f, ",\"\n") {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		w.WriteString(f)
	}
	w.WriteByte('\n')
}

func (r *Report) writePosterior(w io.Writer) error {
	bw := bufio.NewWriter(w)
	head := []string{"particle", "weight", "distance"}
	for _, p := range r.Priors {
		head = append(head, p.Key)
	}
	csvLine(bw, head...)
	post := r.Result.Posterior()
	for i, x := range post.Particles {
		row := []string{strconv.Itoa(i), number(post.Weights[i]), number(post.Distances[i])}
		for _, v := range x {
			row = append(row, number(v))
		}
		csvLine(bw, row...)
	}
	return bw.Flush()
}

func (r *Report) writeSummary(w io.Writer) error {
	bw := bufio.NewWriter(w)
	csvLine(bw, "key", "prior", "mean", "sd", "median", "low_90", "high_90", "ess")
	ess := number(r.Result.Posterior().ESS())
	for _, s := range r.Summaries {
		csvLine(bw, s.Key, s.Prior.String(), number(s.Mean), number(s.SD), number(s.Median), number(s.Low), number(s.High), ess)
	}
	return bw.Flush()
}

func (r *Report) writeCorrelations(w io.Writer) error {
	bw := bufio.NewWriter(w)
	csvLine(bw, "key_a", "key_b", "r", "unidentified")
	for a := range r.Priors {
		for b := a + 1; b < len(r.Priors); b++ {
			c := r.Correlations[a][b]
			csvLine(bw, r.Priors[a].Key, r.Priors[b].Key, number(c), strconv.FormatBool(math.Abs(c) > Unidentified))
		}
	}
	return bw.Flush()
}

func (r *Report) writeGenerations(w io.Writer) error {
	bw := bufio.NewWriter(w)
	csvLine(bw, "generation", "tolerance", "simulations", "proposals", "acceptance", "ess")
	for _, g := range r.Result.Generations {
		tol := number(g.Tolerance)
		if math.IsInf(g.Tolerance, 1) {
			tol = "" // the prior's generation accepts everything
		}
		csvLine(bw, strconv.Itoa(g.Index), tol, strconv.Itoa(g.Simulations), strconv.Itoa(g.Proposals), number(g.Acceptance()), number(g.ESS()))
	}
	return bw.Flush()
}

func (r *Report) writePredictive(w io.Writer) error {
	bw := bufio.NewWriter(w)
	csvLine(bw, r.Data.TimeColumn, "column", "observed", "median", "low_90", "high_90")
	n := len(r.Data.Times)
	for c, name := range r.Data.Columns {
		for t, x := range r.Data.Times {
			i := c*n + t
			csvLine(bw, number(x), name, number(r.Data.Values[c][t]), number(r.Median[i]), number(r.Low[i]), number(r.High[i]))
		}
	}
	return bw.Flush()
}

// manifest records what reproduces the fit: the command, the scenario and
// data with their hashes, the priors and options, and the build.
type manifest struct {
	Scenario       string            `json:"scenario"`
	ScenarioFile   string            `json:"scenario_file"`
	ScenarioSHA256 string            `json:"scenario_sha256"`
	Sets           []string          `json:"sets,omitempty"`
	Data           string            `json:"data"`
	DataSHA256     string            `json:"data_sha256,omitempty"`
	Columns        []string          `json:"columns"`
	Unit           string            `json:"unit"`
	Shares         bool              `json:"shares"`
	Priors         map[string]string `json:"priors"`
	Keys           []string          `json:"keys"`
	Particles      int               `json:"particles"`
	Quantile       float64           `json:"quantile"`
	Tolerance      float64           `json:"target_tolerance"`
	MinAcceptance  float64           `json:"min_acceptance"`
	Budget         int               `json:"budget"`
	Generations    int               `json:"generations"`
	Seed           uint64            `json:"seed"`
	Simulations    int               `json:"simulations"`
	Stop           string            `json:"stop"`
	Resumed        int               `json:"generations_resumed"`
	Workers        int               `json:"workers"`
	Command        []string          `json:"command,omitempty"`
	Build          output.Build      `json:"build"`
	Started        time.Time         `json:"started"`
	Finished       time.Time         `json:"finished"`
	Files          []string          `json:"files"`
}

func (r *Report) writeManifest(w io.Writer, files []string) error {
	m := manifest{Scenario: r.Scenario.Name, ScenarioFile: r.Scenario.File, ScenarioSHA256: r.Scenario.SHA256, Sets: r.Scenario.Sets,
		Data: r.Data.File, DataSHA256: r.Data.SHA256, Columns: r.Data.Columns, Unit: r.Target.Unit, Shares: r.Target.Shares,
		Priors: map[string]string{}, Particles: r.Options.Particles, Quantile: r.Options.Quantile, Tolerance: r.Options.Tolerance,
		MinAcceptance: r.Options.MinAcceptance, Budget: r.Options.Budget, Generations: r.Options.Generations, Seed: r.Options.Seed,
		Simulations: r.Result.Simulations, Stop: r.Result.Stop, Resumed: r.Resumed, Workers: r.Options.Workers, Command: r.Command,
		Build: output.ReadBuild(), Started: r.Started, Finished: r.Finished, Files: files}
	if m.Unit == "" {
		m.Unit = "day"
	}
	for _, p := range r.Priors {
		m.Priors[p.Key] = p.String()
		m.Keys = append(m.Keys, p.Key)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}
