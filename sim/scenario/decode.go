package scenario

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/graph"
)

// A decoder puts a document's values into a Scenario and collects every
// problem it meets, so that one pass reports them all.
type decoder struct {
	doc  *document
	errs Errors
}

// fail records a problem with the value at an index path.
func (dc *decoder) fail(path, problem, want, got string) {
	file, line := dc.doc.location(path)
	dc.errs = append(dc.errs, &Error{File: file, Line: line, Key: dc.doc.display(path), Problem: problem, Want: want, Got: got})
}

// result returns the problems in the order of the file (values set by
// flags after it), or nil.
func (dc *decoder) result() error {
	if len(dc.errs) == 0 {
		return nil
	}
	file := dc.doc.file
	sort.SliceStable(dc.errs, func(i, j int) bool {
		a, b := dc.errs[i], dc.errs[j]
		if (a.File == file) != (b.File == file) {
			return a.File == file
		}
		if a.File != file {
			return false
		}
		// Problems without a line (relations between keys) come last.
		la, lb := a.Line, b.Line
		if la == 0 {
			la = math.MaxInt
		}
		if lb == 0 {
			lb = math.MaxInt
		}
		return la < lb
	})
	return dc.errs
}

func (dc *decoder) decode(sc *Scenario) {
	dc.table(schema(), reflect.ValueOf(sc).Elem(), dc.doc.tree, "")
}

// table decodes the keys of table m, at index path path, into the struct v
// described by schema node n.
func (dc *decoder) table(n *node, v reflect.Value, m map[string]any, path string) {
	for _, key := range dc.doc.sortedKeys(m, path) {
		val := m[key]
		p := joinPath(path, key)
		c := n.child(key)
		if c == nil {
			dc.unknown(p, val)
			continue
		}
		f := v.FieldByIndex(c.field)
		switch c.kind {
		case kindTable:
			sub, ok := val.(map[string]any)
			if !ok {
				dc.fail(p, "wrong type", c.wantText(), gotText(val))
				continue
			}
			if f.Kind() == reflect.Pointer {
				if f.IsNil() {
					f.Set(reflect.New(f.Type().Elem()))
				}
				f = f.Elem()
			}
			if c.generic == "graph" {
				if kind, ok := sub["kind"].(string); ok {
					f.Set(reflect.ValueOf(graphSpecFor(kind)))
				}
			}
			dc.table(c, f, sub, p)
		case kindTables:
			list, ok := tableList(val)
			if !ok {
				dc.fail(p, "wrong type", c.wantText(), gotText(val))
				continue
			}
			elems := reflect.MakeSlice(f.Type(), len(list), len(list))
			for i, el := range list {
				if c.generic == "brand" {
					dc.brand(c, elems.Index(i).Addr().Interface().(*sim.Brand), el, p+index(i))
				} else {
					dc.table(c, elems.Index(i), el, p+index(i))
				}
			}
			f.Set(elems)
		default:
			dc.leaf(c, f, val, p)
		}
	}
}

// brand decodes one [[brand]]: its strategy's preset first, then the keys
// the file gives; a platform the file names fills the platform's effects
// the file does not give.
func (dc *decoder) brand(n *node, b *sim.Brand, m map[string]any, path string) {
	strategy, _ := m["strategy"].(string)
	preset, err := sim.StrategyPreset(strategy)
	if err != nil {
		// Validate reports the unknown strategy; start from no preset.
		preset, _ = sim.StrategyPreset("")
	}
	*b = preset
	dc.table(n, reflect.ValueOf(b).Elem(), m, path)
	pull, _ := m["pull"].(map[string]any)
	platform, ok := pull["platform"].(string)
	if !ok {
		return
	}
	effects, err := sim.PlatformPreset(sim.Platform(platform))
	if err != nil {
		return
	}
	given := b.Pull
	b.Pull.Apply(effects)
	for key, keep := range map[string]func(){
		"gain":          func() { b.Pull.Gain = given.Gain },
		"return_rate":   func() { b.Pull.ReturnRate = given.ReturnRate },
		"co_creation":   func() { b.Pull.CoCreation = given.CoCreation },
		"soothing":      func() { b.Pull.Soothing = given.Soothing },
		"platform_cost": func() { b.Pull.PlatformCost = given.PlatformCost },
	} {
		if _, ok := pull[key]; ok {
			keep()
		}
	}
}

// graphSpecFor returns a graph of the given kind with the defaults of the
// keys that kind reads, and no others: a key the kind does not read is
// only set when the file sets it, which graph.Spec.Validate then reports.
func graphSpecFor(kind string) graph.Spec {
	spec := graph.Spec{Kind: kind}
	d, ok := kindDoc(kind)
	if !ok {
		return spec
	}
	gn := lookupGeneric("graph")
	dst, src := reflect.ValueOf(&spec).Elem(), reflect.ValueOf(graphDefaults)
	for _, key := range d.Keys {
		if c := gn.child(strings.TrimPrefix(key, "graph.")); c != nil {
			dst.FieldByIndex(c.field).Set(src.FieldByIndex(c.field))
		}
	}
	return spec
}

// unknown reports a key the schema does not have; under an unknown table
// it reports every key, each with its own line.
func (dc *decoder) unknown(path string, val any) {
	if m, ok := val.(map[string]any); ok && len(m) > 0 {
		for _, k := range dc.doc.sortedKeys(m, path) {
			dc.unknown(path+"."+k, m[k])
		}
		return
	}
	if list, ok := tableList(val); ok && len(list) > 0 {
		for i, el := range list {
			p := path + index(i)
			if len(el) == 0 {
				dc.fail(p, "unknown key"+dc.doc.suggest(genericOf(p), p), "", "")
			}
			for _, k := range dc.doc.sortedKeys(el, p) {
				dc.unknown(p+"."+k, el[k])
			}
		}
		return
	}
	dc.fail(path, "unknown key"+dc.doc.suggest(genericOf(path), path), "", "")
}

// leaf puts one value into field f, converting TOML's integers and floats
// to the field's type.
func (dc *decoder) leaf(n *node, f reflect.Value, val any, path string) {
	wrong := func() { dc.fail(path, "wrong type", n.wantText(), gotText(val)) }
	switch n.kind {
	case kindFloat:
		switch x := val.(type) {
		case float64:
			f.SetFloat(x)
		case int64:
			f.SetFloat(float64(x))
		case uint64:
			f.SetFloat(float64(x))
		default:
			wrong()
		}
	case kindInt:
		x, ok := wholeNumber(val)
		switch {
		case !ok:
			wrong()
		case f.OverflowInt(x):
			dc.fail(path, "out of range", n.wantText(), gotText(val))
		default:
			f.SetInt(x)
		}
	case kindUint:
		switch x := val.(type) {
		case uint64:
			f.SetUint(x)
		case int64:
			if x < 0 {
				dc.fail(path, "out of range", n.wantText(), gotText(val))
				return
			}
			f.SetUint(uint64(x))
		case float64:
			if x != math.Trunc(x) || x < 0 || x >= 1<<64 {
				wrong()
				return
			}
			f.SetUint(uint64(x))
		default:
			wrong()
		}
	case kindBool:
		x, ok := val.(bool)
		if !ok {
			wrong()
			return
		}
		f.SetBool(x)
	case kindString:
		x, ok := val.(string)
		if !ok {
			wrong()
			return
		}
		f.SetString(x)
	case kindList:
		list, ok := val.([]any)
		if !ok {
			wrong()
			return
		}
		texts := make([]string, len(list))
		for i, e := range list {
			switch x := e.(type) {
			case string:
				texts[i] = x
			case int64, uint64, float64, bool:
				texts[i] = gotText(x)
			default:
				dc.fail(fmt.Sprintf("%s[%d]", path, i), "wrong type", "a number or a string", gotText(e))
				return
			}
		}
		f.Set(reflect.ValueOf(texts))
	}
}

// wholeNumber reads an integer, or a float with no fractional part
// (customers = 1e4), as an int64.
func wholeNumber(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case uint64:
		return int64(x), x <= math.MaxInt64
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x), true
		}
	}
	return 0, false
}

// validate checks every value against its documented range and the
// relations between values: the run keys here, the market with
// sim.Params.Validate, the graph with graph.Spec.Validate and the sweep
// with design.Design.Validate.
func (dc *decoder) validate(sc *Scenario) {
	if !namePattern.MatchString(sc.Name) {
		dc.fail("name", "not a usable name", "letters, digits, '-', '_' and '.', starting with a letter or digit", quote(sc.Name))
	}
	dc.checkRange("days", float64(sc.Days))
	dc.checkRange("replicates", float64(sc.Replicates))
	dc.checkRange("output.orbit_sample", float64(sc.Output.OrbitSample))
	dc.checkRange("output.orbit_every", float64(sc.Output.OrbitEvery))
	if err := sc.Params.Validate(); err != nil {
		var fes sim.Errors
		if errors.As(err, &fes) {
			for _, fe := range fes {
				dc.fieldError(fe)
			}
		} else {
			dc.fail("", err.Error(), "", "")
		}
	}
	dc.validateGraph(sc)
	for _, b := range sc.Brands {
		if b.SeedFile != "" {
			dc.checkFile(sc, "brand."+b.Name+".seed_file", "seed-list", b.SeedFile, sc.relative(b.SeedFile))
		}
	}
	if sc.Sweep != nil {
		dc.validateSweep(sc)
	}
	if sc.Optimize != nil {
		dc.validateOptimize(sc)
	}
	if sc.Calibrate != nil {
		dc.validateCalibrate(sc)
	}
}

// validateCalibrate checks the [calibrate] table's numbers and unit, and
// that its data file exists; `pushpull calibrate` checks the priors
// against the scenario's keys and the data against its columns.
func (dc *decoder) validateCalibrate(sc *Scenario) {
	c := sc.Calibrate
	for key, x := range map[string]float64{
		"calibrate.particles": float64(c.Particles), "calibrate.budget": float64(c.Budget),
		"calibrate.tolerance": c.Tolerance, "calibrate.min_acceptance": c.MinAcceptance,
		"calibrate.generations": float64(c.Generations), "calibrate.quantile": c.Quantile,
		"calibrate.predictive": float64(c.Predictive),
	} {
		dc.checkRange(key, x)
	}
	if c.Particles != 0 && c.Particles < 10 {
		dc.fail("calibrate.particles", "too few", "0 (the default) or at least 10", strconv.Itoa(c.Particles))
	}
	if c.Predictive != 0 && c.Predictive < 10 {
		dc.fail("calibrate.predictive", "too few", "0 (the default) or at least 10", strconv.Itoa(c.Predictive))
	}
	if c.Unit != "" && !slices.Contains(CalibrateUnits, c.Unit) {
		dc.fail("calibrate.unit", "unknown value", lookupDoc("calibrate.unit").Range(), quote(c.Unit))
	}
	if c.Data != "" {
		dc.checkFile(sc, "calibrate.data", "data", c.Data, sc.relative(c.Data))
	}
}

// validateOptimize checks the [optimize] table's numbers, brand,
// objective and shares; `pushpull optimize` checks its levers against the
// brand's keys.
func (dc *decoder) validateOptimize(sc *Scenario) {
	o := sc.Optimize
	dc.checkRange("optimize.quantile", o.Quantile)
	dc.checkRange("optimize.budget", float64(o.Budget))
	dc.checkRange("optimize.tie_margin", o.TieMargin)
	if o.Objective != "" && !slices.Contains(OptimizeObjectives, o.Objective) {
		dc.fail("optimize.objective", "unknown value", lookupDoc("optimize.objective").Range(), quote(o.Objective))
	}
	if o.Brand != "" {
		var names []string
		for _, b := range sc.Brands {
			names = append(names, quote(b.Name))
		}
		if !slices.ContainsFunc(sc.Brands, func(b sim.Brand) bool { return b.Name == o.Brand }) {
			dc.fail("optimize.brand", "no such brand", "one of "+strings.Join(names, ", "), quote(o.Brand))
		}
	}
	for i, k := range o.Shares {
		if !slices.Contains(OptimizeShareKeys, k) || slices.Index(o.Shares, k) < i {
			dc.fail("optimize.shares", "not a budget lever, or given twice", "distinct levers among \"push\", \"content\", \"platform\", \"partners\"", quote(k))
		}
	}
}

// checkRange reports a number outside its documented range.
func (dc *decoder) checkRange(key string, x float64) {
	d := lookupDoc(key)
	if d == nil {
		return
	}
	if math.IsNaN(x) || !math.IsNaN(d.Min) && x < d.Min || !math.IsNaN(d.Max) && x > d.Max {
		dc.fail(key, "out of range", lookupGeneric(key).wantText(), formatFloat(x))
	}
}

// fieldError places one of sim's validation errors at the key it names.
func (dc *decoder) fieldError(fe *sim.FieldError) {
	path, n, perr := dc.doc.resolvePath(fe.Path)
	if perr != nil {
		// A relation between several keys (brand.*.seed_customers) or a
		// missing table (brand): place it at the nearest table given.
		path = strings.TrimSuffix(fe.Path, ".*.seed_customers")
	}
	var got string
	switch x := fe.Value.(type) {
	case string:
		got = x // sim quotes strings itself
	default:
		got = gotText(x)
	}
	want, problem := fe.Want, "invalid"
	switch {
	case strings.HasPrefix(want, "a number"):
		problem = "out of range"
		if n != nil {
			want = n.wantText()
		}
	case strings.HasPrefix(want, "one of"):
		problem = "unknown value"
	}
	file, line := dc.doc.location(path)
	dc.errs = append(dc.errs, &Error{File: file, Line: line, Key: displayOr(dc.doc, path, perr, fe.Path), Problem: problem, Want: want, Got: got})
}

func displayOr(doc *document, path string, perr *pathError, key string) string {
	if perr != nil {
		return key
	}
	return doc.display(path)
}

// validateGraph checks the graph keys the kind reads against their
// documented ranges, and, when those hold, asks graph.Spec.Validate about
// the rest (lattice degrees and community sizes against customers, keys
// that do not apply to the kind). An edge-list file must exist.
func (dc *decoder) validateGraph(sc *Scenario) {
	spec := sc.Graph
	before := len(dc.errs)
	kd, known := kindDoc(spec.Kind)
	if !known {
		dc.fail("graph.kind", "unknown value", lookupGeneric("graph.kind").wantText(), quote(spec.Kind))
		return
	}
	v := reflect.ValueOf(spec)
	gn := lookupGeneric("graph")
	for _, key := range kd.Keys {
		c := gn.child(strings.TrimPrefix(key, "graph."))
		if c == nil {
			continue
		}
		f := v.FieldByIndex(c.field)
		switch c.kind {
		case kindFloat:
			dc.checkRange(key, f.Float())
		case kindInt:
			dc.checkRange(key, float64(f.Int()))
		}
	}
	customers := lookupDoc("customers")
	if len(dc.errs) > before || float64(sc.Customers) < customers.Min || float64(sc.Customers) > customers.Max {
		return
	}
	if err := spec.Validate(sc.Customers); err != nil {
		for _, e := range unjoin(err) {
			msg := e.Error()
			key, rest, _ := strings.Cut(msg, " ")
			if !strings.HasPrefix(key, "graph.") || lookupDoc(key) == nil {
				key, rest = "graph", msg
			}
			dc.fail(key, rest, "", "")
		}
		return
	}
	if spec.Kind == graph.KindEdgeList {
		resolved := sc.GraphSpec()
		dc.checkFile(sc, "graph.path", "edge-list", spec.Path, resolved.Path)
		if spec.Nodes != "" {
			dc.checkFile(sc, "graph.nodes", "node-list", spec.Nodes, resolved.Nodes)
		}
	}
}

// checkFile reports a file the key names that cannot be read: missing, a
// folder or empty. given is the name as the scenario gives it, path the
// name relative to the current folder.
func (dc *decoder) checkFile(sc *Scenario, key, what, given, path string) {
	var info fs.FileInfo
	var err error
	if sc.Files != nil && !filepath.IsAbs(path) {
		info, err = fs.Stat(sc.Files, filepath.ToSlash(path))
	} else {
		info, err = os.Stat(path)
	}
	switch {
	case err != nil:
		dc.fail(key, "cannot read the "+strings.Replace(what, "-", " ", 1)+" "+path, "", unwrapPathError(err))
	case info.IsDir():
		dc.fail(key, "names a folder, not a file", "", quote(given))
	case info.Size() == 0:
		dc.fail(key, "the "+what+" file is empty", "", quote(given))
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// validateSweep checks the [sweep] table with design's rules, and that
// every factor names a key of this scenario that holds a value.
func (dc *decoder) validateSweep(sc *Scenario) {
	if err := sc.Sweep.Design().Validate(); err != nil {
		for _, e := range unjoin(err) {
			var fe *design.FieldError
			if errors.As(e, &fe) {
				dc.fail(fe.Key, fe.Problem, "", fe.Value)
			} else {
				dc.fail("sweep", e.Error(), "", "")
			}
		}
	}
	for i, f := range sc.Sweep.Factors {
		if strings.TrimSpace(f.Path) == "" {
			continue // design reports it
		}
		if _, _, perr := dc.doc.resolvePath(f.Path); perr != nil {
			problem := "names no scenario key: " + perr.problem
			if perr.want != "" {
				problem += " (want " + perr.want + ")"
			}
			dc.fail(fmt.Sprintf("sweep.factor[%d].path", i), problem, "", quote(f.Path))
		}
	}
}

// GraphSpec returns the graph specification with graph.path relative to
// the current folder rather than to the scenario file.
func (sc *Scenario) GraphSpec() graph.Spec {
	spec := sc.Graph
	spec.Path, spec.Nodes, spec.Files = sc.relative(spec.Path), sc.relative(spec.Nodes), sc.Files
	return spec
}

// graphStream tells the social graph's random stream apart from the
// engine's streams, which derive from the same seed.
const graphStream = 0x6772617068 // "graph"

func graphRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, graphStream)) }

// BuildGraph makes the scenario's social graph from its seed alone, so
// that scenarios with the same seed, customers and graph keys share the
// same graph (common random numbers). For an edge list that the scenario
// leaves customers out for, customers becomes the file's node count; a
// count the scenario gives must match it.
func (sc *Scenario) BuildGraph() (*graph.Graph, error) {
	spec := sc.GraphSpec()
	g, err := spec.Build(sc.Customers, graphRand(sc.Seed))
	if err != nil {
		key := "graph"
		if spec.Kind == graph.KindEdgeList {
			key = "graph.path"
		}
		file, line := sc.document().location(key)
		return nil, Errors{{File: file, Line: line, Key: key, Problem: "cannot build the graph: " + err.Error()}}
	}
	if err := sc.MatchGraph(g); err != nil {
		return nil, err
	}
	return g, nil
}

// MatchGraph makes the scenario's customers agree with its graph g: an
// edge list's node count becomes customers when the scenario leaves
// customers out, and must equal customers when the scenario gives it.
func (sc *Scenario) MatchGraph(g *graph.Graph) error {
	if g.N() != sc.Customers {
		if sc.Explicit("customers") || sc.Graph.Kind != graph.KindEdgeList {
			file, line := sc.document().location("customers")
			return Errors{{File: file, Line: line, Key: "customers",
				Problem: fmt.Sprintf("does not match the graph %s, which has %d nodes", sc.GraphSpec(), g.N()),
				Want:    strconv.Itoa(g.N()) + ", or leave customers out to take the edge list's count", Got: strconv.Itoa(sc.Customers)}}
		}
		sc.Customers = g.N()
		if err := sc.Validate(); err != nil {
			return err
		}
	}
	return sc.placeSeeds(g)
}

// placeSeeds reads each brand's seed file into its Seeds: ids name the
// nodes of g, so the files are read once the graph is built.
func (sc *Scenario) placeSeeds(g *graph.Graph) error {
	for b := range sc.Brands {
		br := &sc.Brands[b]
		if br.SeedFile == "" {
			br.Seeds = nil
			continue
		}
		seeds, err := graph.ReadSeeds(sc.Files, sc.relative(br.SeedFile), g)
		if err != nil {
			key := "brand." + br.Name + ".seed_file"
			file, line := sc.document().location(fmt.Sprintf("brand[%d].seed_file", b))
			return Errors{{File: file, Line: line, Key: key, Problem: "cannot seed the customers: " + err.Error()}}
		}
		br.Seeds = seeds
	}
	return nil
}

// relative names path relative to the current folder rather than to the
// scenario file.
func (sc *Scenario) relative(path string) string {
	if path != "" && !filepath.IsAbs(path) && sc.Dir != "" {
		return filepath.Join(sc.Dir, path)
	}
	return path
}
