package scenario

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
)

// Template returns a scenario file in which every key appears with its
// default and a comment saying what it means, its unit, range and source:
// the file `pushpull new NAME` writes. It holds three brands, one per
// strategy; the first lists every brand key commented out with its
// preset's value, so that the preset applies until a line is uncommented.
func Template(name string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `# %s: a pushpull scenario.
#
# Every key is shown with its default and what it means; a key left out
# takes its default. "pushpull help scenario" documents every key.
# Check this file with "pushpull check %s.toml" and run it with
# "pushpull run %s.toml".
`, name, name, name)
	sc := defaults(name + ".toml")
	root := reflect.ValueOf(sc).Elem()
	for _, c := range orderedChildren(schema()) {
		switch {
		case c.kind != kindTable && c.kind != kindTables:
			b.WriteString("\n")
			writeDoc(&b, c.generic, "")
			fmt.Fprintf(&b, "%s = %s\n", c.key, tomlValue(c, root.FieldByIndex(c.field)))
		case c.key == "graph":
			templateGraph(&b, c)
		case c.key == "brand":
			templateBrands(&b, c)
		case c.key == "sweep":
			templateSweep(&b)
		case c.key == "schedule":
			templateSchedule(&b)
		case c.key == "optimize":
			templateOptimize(&b)
		case c.key == "calibrate":
			templateCalibrate(&b)
		default:
			fmt.Fprintf(&b, "\n[%s]\n", c.key)
			v := root.FieldByIndex(c.field)
			for i, l := range c.children {
				if i > 0 {
					b.WriteString("\n")
				}
				writeDoc(&b, l.generic, "")
				fmt.Fprintf(&b, "%s = %s\n", l.key, tomlValue(l, v.FieldByIndex(l.field)))
			}
		}
	}
	return []byte(b.String())
}

// writeDoc writes a key's documentation as comment lines.
func writeDoc(b *strings.Builder, key, prefix string) {
	d := lookupDoc(key)
	if d == nil {
		return
	}
	text := d.Doc
	text += " " + takes(d)
	if d.Source != "" && d.Source != "-" {
		text += " Source: " + d.Source + "."
	}
	b.WriteString(wrap(text, 76, prefix+"# "))
}

func templateGraph(b *strings.Builder, n *node) {
	b.WriteString("\n# The social graph customers sit on; its neighbours are a customer's peers.\n# Kinds, and the keys each reads:\n")
	for _, k := range graph.KindDocs {
		keys := strings.Join(k.Keys, ", ")
		if keys == "" {
			keys = "no keys"
		}
		b.WriteString(wrap(fmt.Sprintf("%s (%s): %s", k.Kind, keys, k.Doc), 76, "#   "))
	}
	b.WriteString("# Keys the kind does not read are errors, so they are commented out here.\n[graph]\n")
	spec := reflect.ValueOf(graphDefaults)
	for _, c := range n.children {
		comment := ""
		if c.key != "kind" && !readByKind(graphDefaults.Kind, c.generic) {
			comment = "# "
		}
		b.WriteString("\n")
		writeDoc(b, c.generic, "")
		fmt.Fprintf(b, "%s%s = %s\n", comment, c.key, tomlValue(c, spec.FieldByIndex(c.field)))
	}
}

func templateBrands(b *strings.Builder, n *node) {
	b.WriteString(`
# Brands: one [[brand]] table each, from 1 to 8. strategy starts a brand from
# a preset ("push", "pull" or "trust"); every key given overrides the preset.
# The first brand lists every key with its preset's value, commented out so
# that the preset applies: uncomment a line to override it.
`)
	names := map[string]string{"push": "Push", "pull": "Pull", "trust": "Trust"}
	for i, strategy := range sim.Strategies {
		b.WriteString("\n[[brand]]\n")
		writeDoc(b, "brand.name", "")
		fmt.Fprintf(b, "name = %s\n", quote(names[strategy]))
		writeDoc(b, "brand.strategy", "")
		fmt.Fprintf(b, "strategy = %s\n", quote(strategy))
		if i > 0 {
			continue
		}
		preset, _ := sim.StrategyPreset(strategy)
		v := reflect.ValueOf(preset)
		var walk func(n *node, v reflect.Value, prefix string)
		walk = func(n *node, v reflect.Value, prefix string) {
			for _, c := range n.children {
				switch {
				case c.key == "name" || c.key == "strategy" || c.kind == kindTables:
				case c.kind == kindTable:
					walk(c, v.FieldByIndex(c.field), prefix+c.key+".")
				default:
					b.WriteString("\n")
					writeDoc(b, c.generic, "")
					note := ""
					if isPlatformEffect(c.generic) {
						note = "  # from the platform's preset unless given"
					}
					fmt.Fprintf(b, "# %s%s = %s%s\n", prefix, c.key, tomlValue(c, v.FieldByIndex(c.field)), note)
				}
			}
		}
		walk(n, v, "")
		b.WriteString("\n# Partners lend the brand their audience and credibility; add one\n# [[brand.partner]] table each, after the brand's keys:\n# [[brand.partner]]\n")
		pn := n.child("partner")
		example := sim.Partner{Name: "Community", Audience: 0.2, Rate: 0.05, Credibility: 0.7}
		pv := reflect.ValueOf(example)
		for _, c := range pn.children {
			b.WriteString("\n")
			writeDoc(b, c.generic, "")
			fmt.Fprintf(b, "# %s = %s\n", c.key, tomlValue(c, pv.FieldByIndex(c.field)))
		}
	}
}

func templateSchedule(b *strings.Builder) {
	b.WriteString("\n# A plan that changes on given days; uncomment to use it. An example:\n# [[schedule]]\n")
	example := map[string]string{
		"schedule.day": "90",
		"schedule.set": `["brand.Pull.budget.daily=50", "brand.Pull.budget.content=0.6", "brand.Pull.budget.platform=0.4"]`,
	}
	for _, d := range scheduleDocs {
		writeDoc(b, d.Key, "")
		fmt.Fprintf(b, "# %s = %s\n", strings.TrimPrefix(d.Key, "schedule."), example[d.Key])
	}
}

func templateOptimize(b *strings.Builder) {
	b.WriteString("\n# What \"pushpull optimize\" searches unless its flags say otherwise (see the\n# README's strategist's walkthrough); uncomment to use it. An example:\n# [optimize]\n")
	example := map[string]string{
		"optimize.brand": `"Pull"`, "optimize.shares": `["content", "platform"]`,
		"optimize.levers": `["budget.daily=20:200"]`, "optimize.objective": `"profit"`,
		"optimize.quantile": "0", "optimize.budget": "600", "optimize.tie_margin": "0",
	}
	for _, d := range optimizeDocs {
		writeDoc(b, d.Key, "")
		fmt.Fprintf(b, "# %s = %s\n", strings.TrimPrefix(d.Key, "optimize."), example[d.Key])
	}
}

func templateCalibrate(b *strings.Builder) {
	b.WriteString("\n# What \"pushpull calibrate\" fits unless its flags say otherwise (see the\n# README's Calibration section); uncomment to use it. An example:\n# [calibrate]\n")
	example := map[string]string{
		"calibrate.data": `"observed.csv"`, "calibrate.fit": `["word_of_mouth.rate=0.01:1"]`,
		"calibrate.unit": `"day"`, "calibrate.shares": "false", "calibrate.particles": "0",
		"calibrate.budget": "0", "calibrate.tolerance": "0", "calibrate.min_acceptance": "0",
		"calibrate.generations": "0", "calibrate.quantile": "0", "calibrate.predictive": "0",
	}
	for _, d := range calibrateDocs {
		writeDoc(b, d.Key, "")
		fmt.Fprintf(b, "# %s = %s\n", strings.TrimPrefix(d.Key, "calibrate."), example[d.Key])
	}
}

func templateSweep(b *strings.Builder) {
	b.WriteString("\n# A sweep runs the scenario at many points of a design (see the README's\n# Sweeps section); uncomment to use it. An example:\n# [sweep]\n")
	example := map[string]string{
		"sweep.method": `"grid"`, "sweep.points": "0", "sweep.seed": "0",
		"sweep.factor.path": `"brand.Push.push.rate"`, "sweep.factor.values": "[0.25, 0.5, 1, 2]",
		"sweep.factor.min": "0", "sweep.factor.max": "0", "sweep.factor.steps": "0",
		"sweep.factor.log": "false", "sweep.factor.integer": "false",
		"sweep.series": "[]", "sweep.series_every": "1",
	}
	for _, d := range sweepDocs {
		if d.Key == "sweep.factor.path" {
			b.WriteString("# [[sweep.factor]]\n")
		}
		writeDoc(b, d.Key, "")
		key := strings.TrimPrefix(strings.TrimPrefix(d.Key, "sweep.factor."), "sweep.")
		fmt.Fprintf(b, "# %s = %s\n", key, example[d.Key])
	}
}
