package optimize

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// Names of the files of a best-response folder.
const (
	RespondFile   = "respond.csv"
	DefaultRounds = 4
)

// RespondOptions say how Respond runs: the options of every brand's study
// (Dir is the folder that holds them all) and the most rounds.
type RespondOptions struct {
	StudyOptions
	Rounds int
}

// RespondStep is one brand's best response in one round.
type RespondStep struct {
	Round int
	Brand string
	// Setting is the brand's levers after the step, as name=value.
	Setting string
	// Sets are the --set flags of the brand's levers after the step.
	Sets []string
	// Moved is true when the brand's setting before the step was surely
	// worse than its best response (the paired interval of the difference
	// lies below zero), and the brand took the response; otherwise it
	// kept its setting.
	Moved bool
	// Estimate is the brand's objective at its setting after the step,
	// against the others' settings of the moment; Gain is the response's
	// paired gain over the setting before (0 when it stayed).
	Estimate, Gain Interval
	Dir            string
}

// Response is the outcome of iterated best response.
type Response struct {
	Steps []RespondStep
	// Settled is true when a whole round passed with no brand moving: no
	// brand can surely gain by changing its levers alone, an approximate
	// equilibrium at the confidence level. Cycling is true when, without
	// settling, a brand moved back to a setting of two rounds before.
	Settled, Cycling bool
	Rounds           int
	// Brands and Final are every brand's objective at the last settings,
	// with common random numbers over FinalReplicates replicates.
	Brands   []string
	Final    []Interval
	Scenario *scenario.Scenario
	Files    []string
}

// Respond lets every brand in turn re-optimize its levers against the
// others' current settings (iterated best response, the brands in
// scenario order), taking its best response only when its current setting
// is surely worse, until a round passes with no brand moving or the rounds
// run out. spec.Brand is ignored: every brand searches the same levers
// and shares, which each must have. Each study writes its folder under
// opt.Dir (round-R/BRAND); Respond writes respond.csv and manifest.json.
func Respond(ctx context.Context, sc *scenario.Scenario, spec MarketSpec, opt RespondOptions) (*Response, error) {
	if opt.Rounds <= 0 {
		opt.Rounds = DefaultRounds
	}
	started := time.Now().UTC()
	cur := sc
	res := &Response{}
	history := map[string][]string{} // brand -> its setting after each round
	markets := make([]*Market, len(sc.Brands))
	for i, b := range sc.Brands {
		s := spec
		s.Brand = b.Name
		m, err := NewMarket(sc, s)
		if err != nil {
			return nil, err
		}
		markets[i] = m
		res.Brands = append(res.Brands, b.Name)
		if err := CheckStudy(m, opt.StudyOptions); err != nil {
			return nil, err
		}
	}
	for round := 1; round <= opt.Rounds; round++ {
		res.Rounds = round
		moved := false
		for i, b := range sc.Brands {
			s := spec
			s.Brand = b.Name
			m, err := NewMarket(cur, s)
			if err != nil {
				return nil, err
			}
			o := opt.StudyOptions
			o.Dir = filepath.Join(opt.Dir, fmt.Sprintf("round-%d", round), b.Name)
			o.Force = true // the folders under Dir belong to this response
			o.Plots = false
			st, err := RunStudy(ctx, m, o)
			if err != nil {
				return nil, err
			}
			step := RespondStep{Round: round, Brand: b.Name, Dir: o.Dir}
			if st.Baseline != nil && st.Baseline.Verdict != Worse {
				step.Setting, step.Sets, step.Estimate = m.Describe(st.Baseline.Candidate), m.Sets(st.Baseline.Candidate), st.Baseline.Estimate
			} else {
				step.Moved, moved = true, true
				step.Setting, step.Sets, step.Estimate = m.Describe(st.Result.Best), m.Sets(st.Result.Best), st.Winner.Estimate
				if st.Baseline != nil {
					d := st.Baseline.Difference
					step.Gain = Interval{Estimate: -d.Estimate, Low: -d.High, High: -d.Low, N: d.N}
				}
				next, err := m.Apply(st.Result.Best)
				if err != nil {
					return nil, err
				}
				cur = next
			}
			markets[i] = m
			history[b.Name] = append(history[b.Name], step.Setting)
			res.Steps = append(res.Steps, step)
		}
		if !moved {
			res.Settled = true
			break
		}
		for _, h := range history {
			if n := len(h); n >= 3 && h[n-1] == h[n-3] && h[n-1] != h[n-2] {
				res.Cycling = true
			}
		}
	}
	res.Scenario = cur
	if err := res.evaluate(ctx, markets[0], opt); err != nil {
		return nil, err
	}
	return res, res.write(opt, spec.Objective, started)
}

// evaluate measures every brand's objective at the last settings, all
// brands from the same runs.
func (res *Response) evaluate(ctx context.Context, m *Market, opt RespondOptions) error {
	reps := opt.FinalReplicates
	if reps <= 0 {
		reps = DefaultFinalReplicates
	}
	values := make([][]float64, len(res.Brands))
	for r := range reps {
		all, err := m.simulateAll(ctx, res.Scenario, r)
		if err != nil {
			return err
		}
		for b, v := range all {
			values[b] = append(values[b], v)
		}
	}
	conf := opt.Confidence
	if conf <= 0 {
		conf = DefaultConfidence
	}
	for _, v := range values {
		res.Final = append(res.Final, meanInterval(v, conf))
	}
	return nil
}

// respondManifest records a best response for reproduction.
type respondManifest struct {
	Version        int          `json:"version"`
	Scenario       string       `json:"scenario"`
	ScenarioFile   string       `json:"scenario_file"`
	ScenarioSHA256 string       `json:"scenario_sha256"`
	Objective      string       `json:"objective"`
	Rounds         int          `json:"rounds"`
	Settled        bool         `json:"settled"`
	Cycling        bool         `json:"cycling"`
	Sets           []string     `json:"sets"`
	Final          []Interval   `json:"final"`
	Brands         []string     `json:"brands"`
	Command        []string     `json:"command,omitempty"`
	Build          output.Build `json:"build"`
	Started        time.Time    `json:"started"`
	Finished       time.Time    `json:"finished"`
	Files          []string     `json:"files"`
}

func (res *Response) write(opt RespondOptions, objective string, started time.Time) error {
	lines := [][]byte{csvLine("round", "brand", "moved", "setting", "estimate", "low", "high", "gain", "gain_low", "gain_high", "folder")}
	for _, s := range res.Steps {
		rel, _ := filepath.Rel(opt.Dir, s.Dir)
		lines = append(lines, csvLine(strconv.Itoa(s.Round), s.Brand, strconv.FormatBool(s.Moved), s.Setting,
			num(s.Estimate.Estimate), num(s.Estimate.Low), num(s.Estimate.High),
			num(s.Gain.Estimate), num(s.Gain.Low), num(s.Gain.High), rel))
	}
	if err := output.WriteFile(filepath.Join(opt.Dir, RespondFile), func(w io.Writer) error {
		for _, l := range lines {
			if _, err := w.Write(l); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	sc := res.Scenario
	man := respondManifest{Version: manifestVersion, Scenario: sc.Name, ScenarioFile: sc.File, ScenarioSHA256: sc.SHA256,
		Rounds: res.Rounds, Settled: res.Settled, Cycling: res.Cycling, Sets: sc.Sets, Final: res.Final, Brands: res.Brands,
		Command: opt.Command, Build: output.ReadBuild(), Started: started, Finished: time.Now().UTC(),
		Objective: objective, Files: []string{RespondFile, ManifestFile}}
	res.Files = man.Files
	return output.WriteFile(filepath.Join(opt.Dir, ManifestFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(man)
	})
}
