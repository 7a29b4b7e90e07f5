package optimize

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/plot"
)

// Names of the files of an optimization folder.
const (
	JournalFile     = "optimize.journal"
	FinalistsFile   = "optimize_finalists.csv"
	EvaluatedFile   = "optimize_evaluated.csv"
	ProgressFile    = "optimize_progress.csv"
	MarginalsFile   = "optimize_marginals.csv"
	ManifestFile    = output.ManifestFile
	ScenarioFile    = output.ScenarioFile
	SurfacePlot     = "optimize_surface"
	ProgressPlot    = "optimize_progress"
	manifestVersion = 1
)

// StudyOptions say how RunStudy optimizes a market and where it writes.
type StudyOptions struct {
	Options
	// Dir is the output folder; the journal lives there while the
	// optimization runs.
	Dir string
	// MarginalReplicates is how many paired replicates each marginal
	// return at the optimum takes (0: DefaultFinalReplicates), on top of
	// the budget.
	MarginalReplicates int
	Plots              bool
	Command            []string
}

// Study is what RunStudy found and wrote.
type Study struct {
	Market    *Market
	Result    *Result
	Marginals []Marginal
	// MoneyMarginals are the objective's change per extra unit of money a
	// day on each budget lever split (see Market.MoneyMarginals).
	MoneyMarginals []Marginal
	// Winner and Baseline are the winner's and the scenario's own
	// finalists (Baseline nil when the scenario's own setting is not in
	// the space).
	Winner, Baseline *Finalist
	Files            []string
	// Quantile is the quantile maximized (0: the mean).
	Quantile float64
	Started  time.Time
	Finished time.Time
}

// CheckStudy reports what is wrong with the options before anything is
// written.
func CheckStudy(m *Market, opt StudyOptions) error {
	o := opt.Options
	o.defaults()
	if err := o.validate(); err != nil {
		return err
	}
	if opt.Dir == "" {
		return errors.New("optimize: no output folder given")
	}
	return output.CheckDir(opt.Dir, opt.Force)
}

// RunStudy optimizes m's levers, compares the winner with the scenario's
// own setting, measures the marginal return of every lever at the winner,
// and writes the folder: the finalists, every candidate tried, the
// search's progress, the marginals, scenario.toml, the plots and
// manifest.json, last. Cancelling ctx leaves the journal, from which the
// same call resumes.
func RunStudy(ctx context.Context, m *Market, opt StudyOptions) (*Study, error) {
	if err := CheckStudy(m, opt); err != nil {
		return nil, err
	}
	st := &Study{Market: m, Quantile: opt.Quantile, Started: time.Now().UTC()}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("optimize: cannot create %s: %w", opt.Dir, err)
	}
	o := opt.Options
	if base, ok := m.Baseline(); ok {
		o.Baseline = &base
	}
	o.Journal = filepath.Join(opt.Dir, JournalFile)
	o.Identity = m.identity()
	res, err := Run(ctx, m.Space(), m.Objective, o)
	if err != nil {
		return nil, err
	}
	st.Result = res
	for i := range res.Finalists {
		f := &res.Finalists[i]
		if f.Verdict == Winner {
			st.Winner = f
		}
		if f.Baseline {
			st.Baseline = f
		}
	}
	mo := MarginalOptions{Replicates: opt.MarginalReplicates, Workers: o.Workers, Confidence: o.Confidence}
	if len(m.Space().Ranges)+len(m.Space().Shares) > 0 {
		if st.Marginals, err = Marginals(ctx, m.Space(), m.Objective, res.Best, mo); err != nil {
			return nil, err
		}
	}
	if st.MoneyMarginals, err = m.MoneyMarginals(ctx, res.Best, mo); err != nil {
		return nil, err
	}
	st.Finished = time.Now().UTC()
	if err := st.write(opt); err != nil {
		return nil, err
	}
	if err := os.Remove(o.Journal); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return st, nil
}

// identity names the optimization for its journal: the scenario as
// resolved, the brand, the levers and the objective.
func (m *Market) identity() string {
	var resolved, b strings.Builder
	m.Scenario.WriteResolved(&resolved)
	body := resolved.String()
	if i := strings.IndexByte(body, '\n'); i >= 0 && strings.HasPrefix(body, "#") {
		body = body[i+1:] // the first comment names the file, which may move
	}
	fmt.Fprintf(&b, "%s\nbrand=%d\nobjective=%s\n", body, m.Brand, m.Outcome)
	for _, l := range m.Levers {
		fmt.Fprintf(&b, "lever=%s\n", l)
	}
	fmt.Fprintf(&b, "shares=%q\n", m.Shares)
	return b.String()
}

// cells writes candidate c's lever values, in the order of m.Levers, then
// its budget shares, as the scenario's keys take them.
func (m *Market) cells(c Candidate) []string {
	out := make([]string, 0, len(m.Levers)+len(m.Shares))
	ri, ci := 0, 0
	for _, l := range m.Levers {
		if len(l.Values) > 0 {
			out = append(out, l.Values[c.Choices[ci]])
			ci++
		} else {
			out = append(out, strconv.FormatFloat(c.Values[ri], 'g', 6, 64))
			ri++
		}
	}
	for i := range m.Shares {
		out = append(out, strconv.FormatFloat(c.Shares[0][i]*m.ShareTotal, 'g', 6, 64))
	}
	return out
}

// leverNames are the keys of cells' values, relative to the brand.
func (m *Market) leverNames() []string {
	out := make([]string, 0, len(m.Levers)+len(m.Shares))
	for _, l := range m.Levers {
		out = append(out, l.Key)
	}
	for _, k := range m.Shares {
		out = append(out, "budget."+k)
	}
	return out
}

// Sets are the --set flags that give the scenario candidate c's levers.
func (m *Market) Sets(c Candidate) []string {
	names := m.leverNames()
	var out []string
	for i, v := range m.cells(c) {
		out = append(out, "--set "+m.path(names[i])+"="+v)
	}
	return out
}

func csvLine(fields ...string) []byte {
	var line []byte
	for i, f := range fields {
		if i > 0 {
			line = append(line, ',')
		}
		line = output.AppendField(line, f)
	}
	return append(line, '\n')
}

func num(v float64) string { return string(output.AppendFloat(nil, v)) }

// StudyManifest records an optimization for reproduction and citation.
type StudyManifest struct {
	Version        int               `json:"version"`
	Scenario       string            `json:"scenario"`
	ScenarioFile   string            `json:"scenario_file"`
	ScenarioSHA256 string            `json:"scenario_sha256"`
	Sets           []string          `json:"sets,omitempty"`
	Brand          string            `json:"brand"`
	Objective      string            `json:"objective"`
	Quantile       float64           `json:"quantile,omitempty"`
	Levers         []string          `json:"levers"`
	Budget         int               `json:"budget"`
	Seed           uint64            `json:"seed"`
	Simulations    int               `json:"simulations"`
	Resumed        int               `json:"resumed"`
	Marginal       int               `json:"marginal_simulations"`
	Best           map[string]string `json:"best"`
	BestSets       []string          `json:"best_sets"`
	Estimate       Interval          `json:"estimate"`
	Baseline       *Interval         `json:"baseline,omitempty"`
	Difference     *Interval         `json:"difference_to_baseline,omitempty"`
	Tied           bool              `json:"tied"`
	Workers        int               `json:"workers"`
	Command        []string          `json:"command,omitempty"`
	Build          output.Build      `json:"build"`
	Started        time.Time         `json:"started"`
	Finished       time.Time         `json:"finished"`
	Files          []string          `json:"files"`
}

func (st *Study) write(opt StudyOptions) error {
	m, res := st.Market, st.Result
	var files []string
	write := func(name string, fn func(w io.Writer) error) error {
		if err := output.WriteFile(filepath.Join(opt.Dir, name), fn); err != nil {
			return err
		}
		files = append(files, name)
		return nil
	}
	writeLines := func(name string, lines [][]byte) error {
		return write(name, func(w io.Writer) error {
			for _, l := range lines {
				if _, err := w.Write(l); err != nil {
					return err
				}
			}
			return nil
		})
	}
	sc := m.Scenario
	if err := write(ScenarioFile, func(w io.Writer) error { return output.WriteScenario(w, sc.Source, sc.Sets) }); err != nil {
		return err
	}
	names := m.leverNames()
	lines := [][]byte{csvLine(append(append([]string{"rank", "role", "verdict"}, names...),
		m.Outcome, "low", "high", "n", "difference", "difference_low", "difference_high", "probability_best")...)}
	for i, f := range res.Finalists {
		role := "finalist"
		switch {
		case f.Verdict == Winner && f.Baseline:
			role = "winner,baseline"
		case f.Verdict == Winner:
			role = "winner"
		case f.Baseline:
			role = "baseline"
		}
		row := append([]string{strconv.Itoa(i + 1), role, string(f.Verdict)}, m.cells(f.Candidate)...)
		row = append(row, num(f.Estimate.Estimate), num(f.Estimate.Low), num(f.Estimate.High), strconv.Itoa(f.Estimate.N),
			num(f.Difference.Estimate), num(f.Difference.Low), num(f.Difference.High), num(f.ProbabilityBest))
		lines = append(lines, csvLine(row...))
	}
	if err := writeLines(FinalistsFile, lines); err != nil {
		return err
	}
	lines = [][]byte{csvLine(append(names, m.Outcome, "n")...)}
	for _, e := range res.Evaluated {
		lines = append(lines, csvLine(append(m.cells(e.Candidate), num(e.Estimate), strconv.Itoa(e.N))...))
	}
	if err := writeLines(EvaluatedFile, lines); err != nil {
		return err
	}
	lines = [][]byte{csvLine("simulations", "combination", "generation", "replicates", "best", "best_low", "best_high", "best_n")}
	for _, h := range res.History {
		lines = append(lines, csvLine(strconv.Itoa(h.Simulations), strconv.Itoa(h.Combo), strconv.Itoa(h.Generation), strconv.Itoa(h.Replicates),
			num(h.BestEstimate.Estimate), num(h.BestEstimate.Low), num(h.BestEstimate.High), strconv.Itoa(h.BestEstimate.N)))
	}
	if err := writeLines(ProgressFile, lines); err != nil {
		return err
	}
	marginalSims := 0
	if len(st.Marginals)+len(st.MoneyMarginals) > 0 {
		lines = [][]byte{csvLine("lever", "per", "at", "from", "to", "rate", "rate_low", "rate_high", "n")}
		nRanges := len(m.Space().Ranges)
		for i, mg := range st.Marginals {
			per := "unit of the lever"
			if i >= nRanges {
				per = "share of the budget moved in from the other split levers"
			}
			lines = append(lines, csvLine(mg.Name, per, num(mg.At), num(mg.Low), num(mg.High),
				num(mg.Rate.Estimate), num(mg.Rate.Low), num(mg.Rate.High), strconv.Itoa(mg.Rate.N)))
			marginalSims += 2 * mg.Rate.N
		}
		for _, mg := range st.MoneyMarginals {
			lines = append(lines, csvLine(mg.Name, "extra money a day", num(mg.At), num(mg.Low), num(mg.High),
				num(mg.Rate.Estimate), num(mg.Rate.Low), num(mg.Rate.High), strconv.Itoa(mg.Rate.N)))
			marginalSims += 2 * mg.Rate.N
		}
		if err := writeLines(MarginalsFile, lines); err != nil {
			return err
		}
	}
	if opt.Plots {
		names, err := plot.OptimizePlots(opt.Dir, st.plotInput())
		if err != nil {
			return fmt.Errorf("optimize: plots: %w", err)
		}
		files = append(files, names...)
	}
	man := &StudyManifest{Version: manifestVersion, Scenario: sc.Name, ScenarioFile: sc.File, ScenarioSHA256: sc.SHA256, Sets: sc.Sets,
		Brand: sc.Brands[m.Brand].Name, Objective: m.Outcome, Quantile: opt.Quantile, Budget: opt.Budget, Seed: opt.Seed,
		Simulations: res.Simulations, Resumed: res.Resumed, Marginal: marginalSims, Best: map[string]string{},
		BestSets: m.Sets(res.Best), Estimate: st.Winner.Estimate, Tied: res.Tied, Workers: opt.Workers,
		Command: opt.Command, Build: output.ReadBuild(), Started: st.Started, Finished: st.Finished}
	for _, l := range m.Levers {
		man.Levers = append(man.Levers, l.String())
	}
	if len(m.Shares) > 0 {
		man.Levers = append(man.Levers, "shares="+strings.Join(m.Shares, ","))
	}
	names = m.leverNames()
	for i, v := range m.cells(res.Best) {
		man.Best[names[i]] = v
	}
	if st.Baseline != nil {
		man.Baseline, man.Difference = &st.Baseline.Estimate, &st.Baseline.Difference
	}
	man.Files = append(files, ManifestFile)
	if err := output.WriteFile(filepath.Join(opt.Dir, ManifestFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(man)
	}); err != nil {
		return err
	}
	st.Files = man.Files
	return nil
}

// plotInput is what the plots draw: every candidate tried over the two
// range levers whose effect at the optimum is largest, and the progress.
func (st *Study) plotInput() plot.OptimizeInput {
	m, res := st.Market, st.Result
	in := plot.OptimizeInput{Scenario: m.Scenario.Name, Brand: m.Scenario.Brands[m.Brand].Name, Objective: m.Outcome,
		Best: st.Winner.Estimate.Estimate}
	// Only ranges: a share's surface is a simplex, not a rectangle.
	order := make([]int, min(len(st.Marginals), len(m.Space().Ranges)))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ea, eb := abs(st.Marginals[a].Effect), abs(st.Marginals[b].Effect)
		switch {
		case ea > eb:
			return -1
		case ea < eb:
			return 1
		}
		return 0
	})
	if len(order) > 2 {
		order = order[:2]
	}
	for _, i := range order {
		in.Levers = append(in.Levers, st.Marginals[i].Name)
		in.BestAt = append(in.BestAt, st.Marginals[i].At)
		r := m.Space().Ranges[i]
		in.Bounds = append(in.Bounds, [2]float64{r.Min, r.Max})
	}
	for _, e := range res.Evaluated {
		if !slices.Equal(e.Candidate.Choices, res.Best.Choices) {
			continue // another combination of choices: another surface
		}
		p := plot.OptimizePoint{Value: e.Estimate, N: e.N}
		for _, i := range order {
			p.At = append(p.At, e.Candidate.Values[i])
		}
		in.Points = append(in.Points, p)
	}
	for _, h := range res.History {
		in.Progress = append(in.Progress, plot.OptimizeStep{Simulations: float64(h.Simulations),
			Mean: h.BestEstimate.Estimate, Low: h.BestEstimate.Low, High: h.BestEstimate.High})
	}
	for _, f := range res.Finalists {
		if f.Verdict == Winner {
			in.Final = &plot.OptimizeStep{Simulations: float64(res.Simulations), Mean: f.Estimate.Estimate, Low: f.Estimate.Low, High: f.Estimate.High}
		}
	}
	return in
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
