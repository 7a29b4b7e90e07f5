package optimize

import (
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// Names of the files of a best-response folder.
const (
	RespondFile        = "respond.csv"
	RespondJournalFile = "respond.journal"
	DefaultRounds      = 4
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
// Every finished step is recorded in respond.journal, so that a call
// cancelled or killed part way resumes: the steps already finished, for
// the same market and options, are taken from the journal instead of run
// again, and the answer is the same as without the interruption.
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
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("optimize: cannot create %s: %w", opt.Dir, err)
	}
	jpath := filepath.Join(opt.Dir, RespondJournalFile)
	saved, err := readRespondJournal(jpath)
	if err != nil {
		return nil, err
	}
	var done []respondRecord
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
			key := stepKey(m, o.Options)
			var rec respondRecord
			if k := len(done); k < len(saved) && saved[k].Key == key {
				rec = saved[k]
			} else {
				saved = nil // a journal diverging from this response is of no further use
				if rec, err = runStep(ctx, m, o, key); err != nil {
					return nil, err
				}
			}
			step := rec.Step
			step.Round, step.Brand, step.Dir = round, b.Name, o.Dir
			if step.Moved {
				moved = true
				next, err := m.Apply(rec.Best)
				if err != nil {
					return nil, err
				}
				cur = next
			}
			done = append(done, rec)
			if err := writeRespondJournal(jpath, done); err != nil {
				return nil, err
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
	if err := res.write(opt, spec.Objective, started); err != nil {
		return nil, err
	}
	if err := os.Remove(jpath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return res, nil
}

// respondRecord is one finished step of a best response as the journal
// keeps it: the step, the candidate it moved to, and the key of the
// market and options it answered.
type respondRecord struct {
	Key  string
	Step RespondStep
	Best Candidate
}

// runStep runs one brand's study and decides whether it moves.
func runStep(ctx context.Context, m *Market, o StudyOptions, key string) (respondRecord, error) {
	st, err := RunStudy(ctx, m, o)
	if err != nil {
		return respondRecord{}, err
	}
	rec := respondRecord{Key: key}
	step := &rec.Step
	if st.Baseline != nil && st.Baseline.Verdict != Worse {
		step.Setting, step.Sets, step.Estimate = m.Describe(st.Baseline.Candidate), m.Sets(st.Baseline.Candidate), st.Baseline.Estimate
		return rec, nil
	}
	step.Moved, rec.Best = true, st.Result.Best
	step.Setting, step.Sets, step.Estimate = m.Describe(st.Result.Best), m.Sets(st.Result.Best), st.Winner.Estimate
	if st.Baseline != nil {
		d := st.Baseline.Difference
		step.Gain = Interval{Estimate: -d.Estimate, Low: -d.High, High: -d.Low, N: d.N}
	}
	return rec, nil
}

// stepKey names a step by everything its answer depends on: the market
// as the others have left it, and the options that change results (not
// the worker count, nor where the study writes).
func stepKey(m *Market, o Options) string {
	o.Workers, o.Journal, o.Identity, o.Force, o.Progress, o.Baseline = 0, "", "", false, nil, nil
	sum := sha256.Sum256(fmt.Appendf([]byte(m.identity()), "\n%+v", o))
	return hex.EncodeToString(sum[:])
}

// readRespondJournal reads the steps an earlier call finished; a journal
// that does not decode is treated as empty, since every step it held can
// be run again.
func readRespondJournal(path string) ([]respondRecord, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("optimize: cannot open the journal: %w", err)
	}
	defer f.Close()
	var recs []respondRecord
	if err := gob.NewDecoder(f).Decode(&recs); err != nil {
		return nil, nil
	}
	return recs, nil
}

// writeRespondJournal replaces the journal with the steps finished so
// far, whole (the write is atomic, so a kill leaves the old or the new).
func writeRespondJournal(path string, recs []respondRecord) error {
	return output.WriteFile(path, func(w io.Writer) error { return gob.NewEncoder(w).Encode(recs) })
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
