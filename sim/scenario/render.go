package scenario

import (
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
)

// rootOrder ranks the top-level keys in the order a scenario file is
// written: plain keys, the graph, the market's tables, [output], the
// brands and the sweep.
func rootOrder(n *node) int {
	switch {
	case n.kind != kindTable && n.kind != kindTables:
		return 0
	case n.key == "graph":
		return 1
	case n.key == "output":
		return 3
	case n.key == "brand":
		return 4
	case n.key == "sweep":
		return 5
	case n.key == "optimize":
		return 6
	case n.key == "calibrate":
		return 7
	}
	return 2
}

func orderedChildren(n *node) []*node {
	out := append([]*node(nil), n.children...)
	if n == schema() {
		sort.SliceStable(out, func(i, j int) bool { return rootOrder(out[i]) < rootOrder(out[j]) })
		return out
	}
	// Values before sub-tables, as TOML requires.
	sort.SliceStable(out, func(i, j int) bool {
		ti := out[i].kind == kindTable || out[i].kind == kindTables
		tj := out[j].kind == kindTable || out[j].kind == kindTables
		return !ti && tj
	})
	return out
}

// tomlValue writes the value of field v of a key of schema node n in TOML.
func tomlValue(n *node, v reflect.Value) string {
	switch n.kind {
	case kindFloat:
		return formatFloat(v.Float())
	case kindInt:
		return strconv.FormatInt(v.Int(), 10)
	case kindUint:
		return strconv.FormatUint(v.Uint(), 10)
	case kindBool:
		return strconv.FormatBool(v.Bool())
	case kindString:
		return quote(v.String())
	case kindList:
		parts := make([]string, v.Len())
		for i := range parts {
			s := v.Index(i).String()
			if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "nNiI_") {
				parts[i] = s
			} else {
				parts[i] = quote(s)
			}
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return ""
}

// plainValue is the value of field v as a Go value for JSON.
func plainValue(n *node, v reflect.Value) any {
	switch n.kind {
	case kindFloat:
		x := v.Float()
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return formatFloat(x)
		}
		return x
	case kindInt:
		return v.Int()
	case kindUint:
		return v.Uint()
	case kindBool:
		return v.Bool()
	case kindString:
		return v.String()
	case kindList:
		return append([]string{}, v.Interface().([]string)...)
	}
	return nil
}

// ResolvedMap returns the resolved scenario as nested maps and lists keyed
// as in a scenario file, with every default filled in: what a manifest
// records so that a run can be repeated without the file.
func (sc *Scenario) ResolvedMap() map[string]any {
	return tableMap(schema(), reflect.ValueOf(sc).Elem())
}

func tableMap(n *node, v reflect.Value) map[string]any {
	m := make(map[string]any, len(n.children))
	for _, c := range n.children {
		f := v.FieldByIndex(c.field)
		switch c.kind {
		case kindTable:
			if f.Kind() == reflect.Pointer {
				if f.IsNil() {
					continue
				}
				f = f.Elem()
			}
			m[c.key] = tableMap(c, f)
		case kindTables:
			list := make([]any, f.Len())
			for i := range list {
				list[i] = tableMap(c, f.Index(i))
			}
			m[c.key] = list
		default:
			m[c.key] = plainValue(c, f)
		}
	}
	return m
}

// WriteResolved writes the resolved scenario as a TOML scenario file:
// every key with its value, those the file does not give marked
// "# default" (or the preset or flag they come from). Run as it is, it
// gives the same results as the scenario.
func (sc *Scenario) WriteResolved(w io.Writer) error {
	doc := sc.document()
	var b strings.Builder
	fmt.Fprintf(&b, "# %s, resolved from %s", sc.Name, sc.File)
	for _, s := range sc.Sets {
		fmt.Fprintf(&b, " %s", s)
	}
	b.WriteString("\n")
	r := &resolvedWriter{b: &b, doc: doc}
	r.table(schema(), reflect.ValueOf(sc).Elem(), "", "", nil)
	_, err := io.WriteString(w, b.String())
	return err
}

type resolvedWriter struct {
	b   *strings.Builder
	doc *document
}

// line is one key = value with its marker, aligned when flushed.
type line struct{ text, note string }

func flush(b *strings.Builder, lines []line) {
	width := 0
	for _, l := range lines {
		if l.note != "" {
			width = max(width, len(l.text))
		}
	}
	for _, l := range lines {
		if l.note == "" {
			b.WriteString(l.text + "\n")
			continue
		}
		fmt.Fprintf(b, "%-*s  # %s\n", width, l.text, l.note)
	}
}

// table writes the keys of table v (index path path, header name header)
// and then its sub-tables. brand is the brand v belongs to, for markers.
func (r *resolvedWriter) table(n *node, v reflect.Value, path, header string, brand *sim.Brand) {
	var lines []line
	var subs []*node
	for _, c := range orderedChildren(n) {
		if c.kind == kindTable || c.kind == kindTables {
			subs = append(subs, c)
			continue
		}
		p := joinPath(path, c.key)
		if n.generic == "graph" && c.key != "kind" && !readByKind(v.Interface().(graph.Spec).Kind, c.generic) && !r.doc.has(p) {
			continue // a key this kind does not read
		}
		lines = append(lines, line{c.key + " = " + tomlValue(c, v.FieldByIndex(c.field)), r.marker(c, p, brand)})
	}
	flush(r.b, lines)
	for _, c := range subs {
		f := v.FieldByIndex(c.field)
		p, h := joinPath(path, c.key), joinPath(header, c.key)
		switch c.kind {
		case kindTable:
			if f.Kind() == reflect.Pointer {
				if f.IsNil() {
					continue
				}
				f = f.Elem()
			}
			fmt.Fprintf(r.b, "\n[%s]\n", h)
			r.table(c, f, p, h, brand)
		case kindTables:
			for i := range f.Len() {
				fmt.Fprintf(r.b, "\n[[%s]]\n", h)
				el := f.Index(i)
				b := brand
				if c.generic == "brand" {
					b = el.Addr().Interface().(*sim.Brand)
				}
				r.table(c, el, p+index(i), h, b)
			}
		}
	}
}

// marker says where a value the file does not give comes from.
func (r *resolvedWriter) marker(n *node, path string, brand *sim.Brand) string {
	if flag, ok := r.doc.from[path]; ok {
		return flag
	}
	if r.doc.has(path) {
		return ""
	}
	if brand != nil {
		pull := r.doc.at(parentPath(path))
		if platform, ok := pull["platform"].(string); ok && isPlatformEffect(n.generic) {
			return fmt.Sprintf("platform %s", quote(platform))
		}
		if brand.Strategy != "" && strings.HasPrefix(n.generic, "brand.") && !strings.HasPrefix(n.generic, "brand.partner.") {
			return fmt.Sprintf("preset %s", quote(brand.Strategy))
		}
	}
	return "default"
}

func isPlatformEffect(generic string) bool {
	switch generic {
	case "brand.pull.gain", "brand.pull.return_rate", "brand.pull.co_creation", "brand.pull.soothing", "brand.pull.platform_cost":
		return true
	}
	return false
}

// defaultText is the default of a generic key, as TOML, for the reference.
func defaultText(key string) string {
	n := lookupGeneric(key)
	if n == nil {
		return ""
	}
	switch {
	case key == "name":
		return "the file name"
	case strings.HasPrefix(key, "sweep."), strings.HasPrefix(key, "optimize."), strings.HasPrefix(key, "calibrate."):
		return "none"
	case strings.HasPrefix(key, "graph."):
		return tomlValue(n, reflect.ValueOf(graphDefaults).FieldByIndex(n.field))
	case strings.HasPrefix(key, "brand.partner."):
		if n.kind == kindString {
			return `""`
		}
		return tomlValue(n, reflect.ValueOf(sim.Partner{}).FieldByIndex(n.field))
	case strings.HasPrefix(key, "brand."):
		return presetText(n, "")
	}
	sc := defaults("NAME.toml")
	v, ok := fieldAt(reflect.ValueOf(sc).Elem(), key)
	if !ok {
		return ""
	}
	return tomlValue(n, v)
}

// presetText is the value of a brand key in a strategy's preset.
func presetText(n *node, strategy string) string {
	b, err := sim.StrategyPreset(strategy)
	if err != nil {
		return ""
	}
	v, ok := fieldAt(reflect.ValueOf(&b).Elem(), strings.TrimPrefix(n.generic, "brand."))
	if !ok {
		return ""
	}
	return tomlValue(n, v)
}

// fieldAt finds the field of a generic key (relative to the struct v).
func fieldAt(v reflect.Value, key string) (reflect.Value, bool) {
	n := schema()
	if v.Type() == reflect.TypeFor[sim.Brand]() {
		n = lookupGeneric("brand")
	}
	for part := range strings.SplitSeq(key, ".") {
		c := n.child(part)
		if c == nil || c.kind == kindTables {
			return reflect.Value{}, false
		}
		v = v.FieldByIndex(c.field)
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		n = c
	}
	return v, true
}

func readByKind(kind, key string) bool {
	d, _ := kindDoc(kind)
	for _, k := range d.Keys {
		if k == key {
			return true
		}
	}
	return false
}

// sections group the keys of the reference.
var sections = []struct {
	title, intro string
	match        func(key string) bool
}{
	{"Run", "What the scenario is called, how long and how often it runs.",
		func(k string) bool { return !strings.Contains(k, ".") && k != "customers" }},
	{"Market", "The customers and how they behave, whatever brand they meet. Tables: [attention], [need], [evidence], [recall], [word_of_mouth], [irritation], [engagement], [choice], [satisfaction], [churn], [opt_in], [incidents], [money].",
		func(k string) bool {
			return k == "customers" || strings.Contains(k, ".") && !strings.HasPrefix(k, "graph.") && !strings.HasPrefix(k, "output.") &&
				!strings.HasPrefix(k, "brand.") && !strings.HasPrefix(k, "sweep.") && !strings.HasPrefix(k, "schedule.") &&
				!strings.HasPrefix(k, "optimize.") && !strings.HasPrefix(k, "calibrate.")
		}},
	{"Social graph", "The [graph] table. A key applies only to the kinds that read it; its default is used when the kind reads it and the file leaves it out. The default graph is watts_strogatz with k = 10 and beta = 0.1.",
		func(k string) bool { return strings.HasPrefix(k, "graph.") }},
	{"Output", "The [output] table: what a run writes besides its CSV files.",
		func(k string) bool { return strings.HasPrefix(k, "output.") }},
	{"Brands", "One [[brand]] table per brand (at least 1, at most 8), with [brand.push], [brand.pull], [brand.trust] and [brand.budget] sub-tables. strategy fills every key from a preset; keys the file gives override it; pull.platform fills gain, return_rate, co_creation, soothing and platform_cost unless given. Defaults are shown with no strategy, then for each preset.",
		func(k string) bool { return strings.HasPrefix(k, "brand.") && !strings.HasPrefix(k, "brand.partner.") }},
	{"Partners", "[[brand.partner]] tables under a brand: communities or other brands that lend it their audience and credibility.",
		func(k string) bool { return strings.HasPrefix(k, "brand.partner.") }},
	{"Schedule", "[[schedule]] tables: a brand's plan that changes on given days (\"from day 90, move 40% of the ad money to content\"). Each table's set lists brand keys as for --set; they apply from its day on, over the scenario and earlier tables.",
		func(k string) bool { return strings.HasPrefix(k, "schedule.") }},
	{"Sweep", "The [sweep] table, with one [[sweep.factor]] per key varied. Factor paths are written as for --set. A grid runs every combination of the factors' values, a latin_hypercube runs points points, a sobol design points x (factors + 2); each point runs every replicate.",
		func(k string) bool { return strings.HasPrefix(k, "sweep.") }},
	{"Optimize", "The [optimize] table: what `pushpull optimize` searches unless its flags say otherwise. Levers are written as for --lever, shares as for --shares; a flag overrides its key.",
		func(k string) bool { return strings.HasPrefix(k, "optimize.") }},
	{"Calibrate", "The [calibrate] table: what `pushpull calibrate` fits, and to what, unless its flags say otherwise. Priors are written as for --fit; a flag overrides its key.",
		func(k string) bool { return strings.HasPrefix(k, "calibrate.") }},
}

// WriteReference writes the documentation of every scenario key, from
// Docs: as plain text for `pushpull help scenario` (format "text") or as
// Markdown tables for README.md (format "markdown").
func WriteReference(w io.Writer, format string) error {
	var b strings.Builder
	switch format {
	case "text":
		writeTextReference(&b)
	case "markdown":
		writeMarkdownReference(&b)
	default:
		return errorf("unknown reference format %q (want text or markdown)", format)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func unitRange(d *sim.ParamDoc) string {
	n := lookupGeneric(d.Key)
	var parts []string
	if d.Unit != "" {
		parts = append(parts, d.Unit)
	}
	if n != nil {
		parts = append(parts, n.wantText())
	}
	return strings.Join(parts, "; ")
}

// takes says what a key takes, in words: "Unit: days. Takes a whole
// number from 1 to 36500."
func takes(d *sim.ParamDoc) string {
	var s string
	if d.Unit != "" {
		s = "Unit: " + d.Unit + ". "
	}
	if n := lookupGeneric(d.Key); n != nil {
		s += "Takes " + n.wantText() + "."
	}
	return s
}

func writeTextReference(b *strings.Builder) {
	b.WriteString(`A scenario file is TOML. Every key may be left out and takes its default,
except that a scenario needs at least one [[brand]]. Brand keys are written
here as brand.KEY; in --set they name the brand: brand.NAME.push.rate=2.
`)
	for _, s := range sections {
		fmt.Fprintf(b, "\n%s\n%s", strings.ToUpper(s.title), wrap(s.intro, 78, ""))
		for _, d := range Docs() {
			if !s.match(d.Key) {
				continue
			}
			fmt.Fprintf(b, "\n  %s = %s", d.Key, defaultText(d.Key))
			if strings.HasPrefix(d.Key, "brand.") && !strings.HasPrefix(d.Key, "brand.partner.") && d.Key != "brand.name" && d.Key != "brand.strategy" {
				n := lookupGeneric(d.Key)
				fmt.Fprintf(b, "  (push %s, pull %s, trust %s)", presetText(n, "push"), presetText(n, "pull"), presetText(n, "trust"))
			}
			b.WriteString("\n")
			b.WriteString(wrap(d.Doc, 74, "      "))
			b.WriteString(wrap(takes(&d), 74, "      "))
			if d.Source != "" && d.Source != "-" {
				b.WriteString(wrap("Source: "+d.Source+".", 74, "      "))
			}
		}
		if s.title == "Social graph" {
			b.WriteString("\n  Kinds:\n")
			for _, k := range graph.KindDocs {
				fmt.Fprintf(b, "    %s\n%s", k.Kind, wrap(k.Doc+" Source: "+k.Source+".", 72, "      "))
			}
		}
	}
}

// wrap fills text to width columns, each line starting with indent.
func wrap(text string, width int, indent string) string {
	var b strings.Builder
	col := 0
	for _, word := range strings.Fields(text) {
		if col > 0 && col+1+len(word) > width {
			b.WriteString("\n")
			col = 0
		}
		if col == 0 {
			b.WriteString(indent)
			col = len(indent)
		} else {
			b.WriteString(" ")
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	if col > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

func mdCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}

func writeMarkdownReference(b *strings.Builder) {
	b.WriteString("Generated from the code (`sim.ParamDocs`, `graph.SpecDocs` and `sim/scenario`); `go test ./cmd/pushpull -run TestREADMEParams -update` regenerates it.\n")
	for _, s := range sections {
		fmt.Fprintf(b, "\n#### %s\n\n%s\n\n", s.title, s.intro)
		brands := s.title == "Brands"
		if brands {
			b.WriteString("| key | default | push | pull | trust | unit and range | meaning | source |\n|---|---|---|---|---|---|---|---|\n")
		} else {
			b.WriteString("| key | default | unit and range | meaning | source |\n|---|---|---|---|---|\n")
		}
		for _, d := range Docs() {
			if !s.match(d.Key) {
				continue
			}
			key := d.Key
			if strings.HasPrefix(key, "brand.") {
				key = strings.TrimPrefix(key, "brand.")
			}
			def := "`" + mdCell(defaultText(d.Key)) + "`"
			if d.Key == "name" || strings.HasPrefix(d.Key, "sweep.") || strings.HasPrefix(d.Key, "optimize.") || strings.HasPrefix(d.Key, "calibrate.") {
				def = defaultText(d.Key) // words, not a value
			}
			fmt.Fprintf(b, "| `%s` | %s ", key, def)
			if brands {
				n := lookupGeneric(d.Key)
				for _, st := range sim.Strategies {
					v := presetText(n, st)
					if d.Key == "brand.name" {
						v = `""`
					}
					fmt.Fprintf(b, "| `%s` ", mdCell(v))
				}
			}
			fmt.Fprintf(b, "| %s | %s | %s |\n", mdCell(unitRange(&d)), mdCell(d.Doc), mdCell(d.Source))
		}
		if s.title == "Social graph" {
			b.WriteString("\n| kind | what it is | keys | source |\n|---|---|---|---|\n")
			for _, k := range graph.KindDocs {
				fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", k.Kind, mdCell(k.Doc), mdCell(strings.Join(k.Keys, ", ")), mdCell(k.Source))
			}
		}
	}
}
