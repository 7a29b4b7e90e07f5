package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/graph"
)

// Scenario is one scenario file, resolved: every key holds the file's
// value, or its preset or default. Change it with Set, which validates as
// the file does; code that changes fields directly calls Validate after.
type Scenario struct {
	Name        string `toml:"name"`
	Description string `toml:"description"`
	Days        int    `toml:"days"`
	Replicates  int    `toml:"replicates"`
	Seed        uint64 `toml:"seed"`
	// Params are the market: customers, how they behave, and the brands.
	sim.Params
	Graph  graph.Spec `toml:"graph"`
	Output Output     `toml:"output"`
	// Schedule is the [[schedule]] tables: the brands' plans that change
	// on given days, which resolve into Params.Changes.
	Schedule []Change `toml:"schedule"`
	// Sweep is the [sweep] table, nil when the file has none.
	Sweep *Sweep `toml:"sweep"`
	// Optimize is the [optimize] table, nil when the file has none: what
	// `pushpull optimize` searches unless its flags say otherwise.
	Optimize *Optimize `toml:"optimize"`
	// Calibrate is the [calibrate] table, nil when the file has none: what
	// `pushpull calibrate` fits, and to what, unless its flags say otherwise.
	Calibrate *Calibrate `toml:"calibrate"`

	// File names the scenario in messages: the path it was read from.
	File string `toml:"-"`
	// Dir is the folder graph.path is relative to: the file's.
	Dir string `toml:"-"`
	// Files holds the files graph.path and graph.nodes name, for a
	// scenario shipped inside the program; nil: the operating system's.
	Files fs.FS `toml:"-"`
	// Source is the file's text, as read.
	Source []byte `toml:"-"`
	// SHA256 is the hex SHA-256 of Source.
	SHA256 string `toml:"-"`
	// Sets lists the changes applied after reading, in order, each as
	// "FLAG KEY=VALUE" (for example "--set brand.Acme.push.rate=2").
	Sets []string `toml:"-"`
	// presetChanges are the keys a change of strategy on the command line
	// changed besides the strategy itself, for Warnings.
	presetChanges []*Error

	doc *document
}

// Change is one [[schedule]] table: from day Day on, the brand keys Set
// take new values ("brand.NAME.key=value", as for --set), a strategist's
// plan written into the scenario so that it runs, compares and sweeps
// like any other key.
type Change struct {
	Day int      `toml:"day"`
	Set []string `toml:"set"`
}

// Optimize is the [optimize] table: the brand whose levers `pushpull
// optimize` searches, the budget shares it splits, the levers (each
// "KEY=MIN:MAX" or "KEY=A,B", KEY as in a [[brand]] table), the objective
// and the simulations it may spend. A flag overrides its key.
type Optimize struct {
	Brand     string   `toml:"brand"`
	Shares    []string `toml:"shares"`
	Levers    []string `toml:"levers"`
	Objective string   `toml:"objective"`
	Quantile  float64  `toml:"quantile"`
	Budget    int      `toml:"budget"`
	TieMargin float64  `toml:"tie_margin"`
}

// Calibrate is the [calibrate] table: the observed data `pushpull
// calibrate` fits (a CSV file, relative to the scenario file), the keys it
// fits with their priors (each as for --fit), what a time of the data is,
// and the particles, simulations and tolerance of the fit. A flag
// overrides its key; a number left at 0 leaves the command's default.
type Calibrate struct {
	Data          string   `toml:"data"`
	Fit           []string `toml:"fit"`
	Unit          string   `toml:"unit"`
	Shares        bool     `toml:"shares"`
	Particles     int      `toml:"particles"`
	Budget        int      `toml:"budget"`
	Tolerance     float64  `toml:"tolerance"`
	MinAcceptance float64  `toml:"min_acceptance"`
	Generations   int      `toml:"generations"`
	Quantile      float64  `toml:"quantile"`
	Predictive    int      `toml:"predictive"`
}

// CalibrateUnits are the units of observation time a calibration reads:
// a day, a week (7 days) and a month (30.4375 days).
var CalibrateUnits = []string{"day", "week", "month"}

// OptimizeObjectives are the outcomes of a brand an optimization can
// maximize: end-of-run outcomes for which more is better, profit first
// (the default).
var OptimizeObjectives = []string{"profit", "roi", "clv", "revenue", "margin", "revenue_share",
	"adoption", "customers", "adopters", "advocates", "net_advocacy", "purchases", "purchase_share"}

// OptimizeShareKeys are the shares of a brand's budget (brand.budget.KEY)
// an optimization can split.
var OptimizeShareKeys = []string{"push", "content", "platform", "partners"}

// Output is the [output] table: what a run writes beyond its CSV files.
type Output struct {
	Plots       bool `toml:"plots"`
	OrbitSample int  `toml:"orbit_sample"`
	OrbitEvery  int  `toml:"orbit_every"`
}

// Sweep is the [sweep] table as written: a design over scenario keys,
// which Design turns into a design.Design.
type Sweep struct {
	Method  string   `toml:"method"`
	Points  int      `toml:"points"`
	Seed    uint64   `toml:"seed"`
	Factors []Factor `toml:"factor"`
	// Series names the daily metrics each run keeps, day by day, in
	// series.csv; none by default, since a large sweep's series are large.
	Series []string `toml:"series"`
	// SeriesEvery keeps every SeriesEvery-th day of the series (and the
	// last); 0 and 1 keep every day.
	SeriesEvery int `toml:"series_every"`
}

// Factor is one [[sweep.factor]]: a scenario key path and the values or
// range it takes.
type Factor struct {
	Path    string   `toml:"path"`
	Values  []string `toml:"values"`
	Min     float64  `toml:"min"`
	Max     float64  `toml:"max"`
	Steps   int      `toml:"steps"`
	Log     bool     `toml:"log"`
	Integer bool     `toml:"integer"`
}

// Design returns the sweep as a design.Design.
func (s *Sweep) Design() design.Design {
	d := design.Design{Method: design.Method(s.Method), Points: s.Points, Seed: s.Seed}
	for _, f := range s.Factors {
		d.Factors = append(d.Factors, design.Factor{Path: f.Path, Values: f.Values, Min: f.Min, Max: f.Max,
			Steps: f.Steps, Log: f.Log, Integer: f.Integer})
	}
	return d
}

// SweepRuns returns how many points the scenario's sweep expands to and
// how many runs that means (points times replicates); 0, 0 without a
// sweep.
func (sc *Scenario) SweepRuns() (points, runs int) {
	if sc.Sweep == nil {
		return 0, 0
	}
	points = sc.Sweep.Design().Count()
	return points, points * sc.Replicates
}

// Defaults of the run keys and the [output] table; sim.DefaultParams and
// graphDefaults give the rest.
const (
	DefaultDays        = 365
	DefaultReplicates  = 10
	DefaultSeed        = 1
	DefaultOrbitSample = 400
	DefaultOrbitEvery  = 7
)

// defaults returns the scenario a file with no keys but its brands means.
func defaults(file string) *Scenario {
	return &Scenario{
		Name:       strings.TrimSuffix(filepath.Base(file), ".toml"),
		Days:       DefaultDays,
		Replicates: DefaultReplicates,
		Seed:       DefaultSeed,
		Params:     sim.DefaultParams(),
		Graph:      graphSpecFor(graphDefaults.Kind),
		Output:     Output{Plots: true, OrbitSample: DefaultOrbitSample, OrbitEvery: DefaultOrbitEvery},
	}
}

// Load reads and resolves the scenario file at path.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, Errors{{File: path, Problem: "cannot read the file: " + err.Error()}}
	}
	return Parse(path, data)
}

// Parse resolves a scenario from the text of a file named file (which
// messages name, and graph.path is relative to). Defaults come first,
// then the strategy and platform presets of each brand, then the keys of
// the file; the result is validated. The error is Errors, every problem
// of the file, each with its line and key.
func Parse(file string, data []byte) (*Scenario, error) {
	return ParseFS(nil, file, data)
}

// ParseFS is Parse for a scenario whose files (graph.path, graph.nodes)
// are read from fsys, where file names it: a scenario shipped inside the
// program. A nil fsys is the operating system's files.
func ParseFS(fsys fs.FS, file string, data []byte) (*Scenario, error) {
	if !utf8.Valid(data) {
		return nil, Errors{{File: file, Problem: "not a TOML file: the text is not UTF-8"}}
	}
	var tree map[string]any
	if _, err := toml.Decode(string(data), &tree); err != nil {
		return nil, syntaxError(file, err)
	}
	doc := &document{file: file, files: fsys, tree: tree, lines: locateKeys(string(data)), from: map[string]string{}}
	sc, err := resolve(doc)
	if err != nil {
		return nil, err
	}
	sc.Source = data
	sum := sha256.Sum256(data)
	sc.SHA256 = hex.EncodeToString(sum[:])
	return sc, nil
}

func syntaxError(file string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return Errors{{File: file, Line: pe.Position.Line, Problem: "not valid TOML: " + pe.Message}}
	}
	return Errors{{File: file, Problem: "not valid TOML: " + strings.TrimPrefix(err.Error(), "toml: ")}}
}

// resolve decodes doc over the defaults and validates the result.
func resolve(doc *document) (*Scenario, error) {
	sc := defaults(doc.file)
	dc := &decoder{doc: doc}
	dc.decode(sc)
	sc.File = doc.file
	sc.Dir = filepath.Dir(doc.file)
	sc.Files = doc.files
	sc.doc = doc
	dc.validate(sc)
	if len(dc.errs) == 0 && len(sc.Schedule) > 0 {
		dc.resolveSchedule(sc)
	}
	if err := dc.result(); err != nil {
		return nil, err
	}
	return sc, nil
}

// resolveSchedule turns the [[schedule]] tables into the market's planned
// changes: in day order, each table's assignments are made over the file
// and the tables before it, and every brand they name changes to what
// the scenario then holds for it.
func (dc *decoder) resolveSchedule(sc *Scenario) {
	plan := dc.doc.clone()
	delete(plan.tree, "schedule")
	order := make([]int, len(sc.Schedule))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return sc.Schedule[order[a]].Day < sc.Schedule[order[b]].Day })
	for _, i := range order {
		ch := sc.Schedule[i]
		setPath := fmt.Sprintf("schedule[%d].set", i)
		if ch.Day < 1 || ch.Day > sc.Days {
			dc.fail(fmt.Sprintf("schedule[%d].day", i), "out of range", fmt.Sprintf("a day from 1 to days (%d)", sc.Days), strconv.Itoa(ch.Day))
			continue
		}
		changed := map[int]bool{}
		for _, text := range ch.Set {
			key, _, _ := strings.Cut(text, "=")
			path, _, perr := plan.resolvePath(strings.TrimSpace(key))
			var b int
			if perr != nil || !strings.HasPrefix(path, "brand[") {
				dc.fail(setPath, "not a brand key: a plan changes a brand's budget and strategy", "brand.NAME.key=value", quote(text))
				continue
			}
			fmt.Sscanf(path, "brand[%d]", &b)
			if err := plan.assign(dc.doc.file, text); err != nil {
				dc.scheduleErrors(setPath, text, err)
				continue
			}
			changed[b] = true
		}
		next := defaults(dc.doc.file)
		pd := &decoder{doc: plan}
		pd.decode(next)
		pd.validate(next)
		if err := pd.result(); err != nil {
			dc.scheduleErrors(setPath, strings.Join(ch.Set, ", "), err)
			return
		}
		for b := range next.Brands {
			if changed[b] {
				sc.Changes = append(sc.Changes, sim.BrandChange{Day: ch.Day, Brand: b, Params: next.Brands[b]})
			}
		}
	}
}

// scheduleErrors reports what went wrong with a plan's assignments at its
// set key.
func (dc *decoder) scheduleErrors(setPath, text string, err error) {
	var es Errors
	if !errors.As(err, &es) {
		dc.fail(setPath, err.Error(), "", quote(text))
		return
	}
	for _, e := range es {
		dc.fail(setPath, fmt.Sprintf("%s %s: %s", quote(text), e.Key, e.Problem), e.Want, e.Got)
	}
}

// Validate checks the scenario as it stands and returns Errors, or nil.
func (sc *Scenario) Validate() error {
	dc := &decoder{doc: sc.document()}
	dc.validate(sc)
	return dc.result()
}

// document returns the scenario's document; a Scenario built in code
// rather than read has an empty one.
func (sc *Scenario) document() *document {
	if sc.doc == nil {
		file := sc.File
		if file == "" {
			file = "scenario"
		}
		sc.doc = &document{file: file, tree: map[string]any{}, lines: map[string]int{}, from: map[string]string{}}
	}
	return sc.doc
}

// Set changes one key, written key.path=value as with the --set flag:
// the key path as in a scenario file with brands by name
// (brand.Acme.push.rate=2), the value in TOML syntax (numbers, true or
// false, "quoted" or bare strings). The scenario is then resolved again,
// so that presets follow: setting brand.Acme.strategy starts the brand
// from the new strategy's preset, keeping the keys the file gives. On
// error the scenario is unchanged and the error names --set.
func (sc *Scenario) Set(assignment string) error {
	return sc.SetFrom("--set", assignment)
}

// SetFrom is Set for a value that came from the flag named by source (as
// "--days"), which messages name in place of the file.
func (sc *Scenario) SetFrom(source, assignment string) error {
	return sc.SetAll([]Assignment{{Source: source, Text: assignment}})
}

// An Assignment is one change to a scenario: key.path=value as Set takes
// it, and the flag it came from.
type Assignment struct {
	Source string // the flag, for messages: "--set"
	Text   string // key.path=value
}

// SetAll applies assignments in order and validates once, at the end, so
// that keys that only make sense together change together: graph.kind =
// "edge_list" with its graph.path. On error the scenario is unchanged.
func (sc *Scenario) SetAll(assignments []Assignment) error {
	doc := sc.document().clone()
	sets := append([]string(nil), sc.Sets...)
	for _, a := range assignments {
		if err := doc.assign(a.Source, a.Text); err != nil {
			return err
		}
		key, raw, _ := strings.Cut(a.Text, "=")
		sets = append(sets, commandLine(a.Source, strings.TrimSpace(key), strings.TrimSpace(raw)))
	}
	next, err := resolve(doc)
	if err != nil {
		return err
	}
	next.Source, next.SHA256 = sc.Source, sc.SHA256
	next.File, next.Dir, next.Files = sc.File, sc.Dir, sc.Files
	next.Sets = sets
	next.presetChanges = append(sc.presetChanges, presetChanges(sc, next, assignments)...)
	*sc = *next
	return nil
}

// commandLine writes a change as the flag that makes it, ready to paste
// after `pushpull run`: --days 5 for a change from --days, and --set
// key=value for any other, quoted for the shell when the value needs it.
func commandLine(source, key, raw string) string {
	if flag, ok := strings.CutPrefix(source, "--"); ok && flag == key {
		return source + " " + shellQuote(raw)
	}
	return "--set " + shellQuote(key+"="+raw)
}

// shellQuote quotes s for a POSIX shell unless it is safe as it is.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._+-=/,:", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// assign puts one key.path=value into the document.
func (d *document) assign(source, assignment string) error {
	fail := func(key, problem, want, got string) error {
		return Errors{{File: source, Key: key, Problem: problem, Want: want, Got: got}}
	}
	key, raw, ok := strings.Cut(assignment, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return fail(strings.TrimSpace(assignment), "not an assignment", "key.path=value", quote(assignment))
	}
	path, n, perr := d.resolvePath(key)
	if perr != nil {
		return fail(key, perr.problem, perr.want, perr.got)
	}
	val, err := parseValue(n, raw)
	if err != nil {
		return fail(key, "cannot read the value", n.wantText(), quote(strings.TrimSpace(raw)))
	}
	if n.generic == "graph.path" || n.generic == "graph.nodes" || n.generic == "brand.seed_file" {
		// A path given on the command line is relative to where the
		// command runs, not to the scenario file.
		if s, ok := val.(string); ok && s != "" && !filepath.IsAbs(s) {
			if abs, err := filepath.Abs(s); err == nil {
				val = abs
			}
		}
	}
	if err := d.put(path, val); err != nil {
		return fail(key, err.Error(), "", "")
	}
	d.from[path] = source
	if kind, ok := val.(string); ok && n.generic == "graph.kind" {
		d.dropFileGraphKeys(kind)
	}
	return nil
}

// dropFileGraphKeys removes the graph keys the file gave that a graph of
// kind does not read: they were meant for the kind the file chose, which a
// change of graph.kind (by --set or a sweep) replaces. Keys set by flags
// stay, so that one that does not fit the new kind is still reported.
func (d *document) dropFileGraphKeys(kind string) {
	g := d.at("graph")
	for key := range g {
		path := "graph." + key
		if _, byFlag := d.from[path]; !byFlag && key != "kind" && !readByKind(kind, path) {
			delete(g, key)
		}
	}
}

// WithoutSweep returns a copy of sc without its [sweep] table: the
// scenario each point of the sweep changes. Changing the copy validates the
// scenario alone, not every value of the sweep again, so a sweep's points
// cost the same however many there are.
func (sc *Scenario) WithoutSweep() *Scenario {
	c := *sc
	d := sc.document()
	tree := make(map[string]any, len(d.tree))
	for k, v := range d.tree {
		if k != "sweep" {
			tree[k] = v
		}
	}
	c.doc = &document{file: d.file, tree: tree, lines: d.lines, from: d.from}
	c.Sweep = nil
	return &c
}

// Where says where the value of a key (an index path, as
// sweep.factor[1].values) came from, as messages name it: "file:line",
// the file alone when no line is known, or the flag that set it.
func (sc *Scenario) Where(path string) string {
	file, line := sc.document().location(path)
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

// Explicit reports whether the file or a Set gave the key (a path as in
// Set), rather than leaving it to a default or preset.
func (sc *Scenario) Explicit(key string) bool {
	doc := sc.document()
	path, _, err := doc.resolvePath(key)
	return err == nil && doc.has(path)
}

// namePattern is what a scenario name may be: it names a folder.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
