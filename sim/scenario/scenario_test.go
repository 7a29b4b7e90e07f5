package scenario

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/scenarios"
	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
)

// brands is the smallest valid body of a scenario: two named brands.
const brands = `
[[brand]]
name = "A"
strategy = "push"

[[brand]]
name = "B"
strategy = "pull"
`

func mustParse(t *testing.T, text string) *Scenario {
	t.Helper()
	sc, err := Parse("test.toml", []byte(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return sc
}

func TestShippedScenariosParse(t *testing.T) {
	names := scenarios.Names()
	if len(names) == 0 {
		t.Fatal("no shipped scenarios")
	}
	for _, name := range names {
		file, data, _ := scenarios.Lookup(name)
		if _, err := ParseFS(scenarios.Files(), file, data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDefaults(t *testing.T) {
	sc := mustParse(t, brands)
	if sc.Name != "test" || sc.Days != DefaultDays || sc.Replicates != DefaultReplicates || sc.Seed != DefaultSeed {
		t.Errorf("run defaults: name %q days %d replicates %d seed %d", sc.Name, sc.Days, sc.Replicates, sc.Seed)
	}
	def := sim.DefaultParams()
	if sc.Customers != def.Customers || sc.Attention != def.Attention || sc.Churn != def.Churn {
		t.Errorf("market defaults differ from sim.DefaultParams")
	}
	want := graph.Spec{Kind: graph.KindWattsStrogatz, K: 10, Beta: 0.1}
	if !reflect.DeepEqual(sc.Graph, want) {
		t.Errorf("graph = %+v, want %+v", sc.Graph, want)
	}
	if !sc.Output.Plots || sc.Output.OrbitSample != DefaultOrbitSample || sc.Output.OrbitEvery != DefaultOrbitEvery {
		t.Errorf("output = %+v", sc.Output)
	}
	if sc.Sweep != nil {
		t.Errorf("a file without [sweep] has a sweep")
	}
}

func TestPresets(t *testing.T) {
	push, _ := sim.StrategyPreset("push")
	pull, _ := sim.StrategyPreset("pull")
	curation, _ := sim.PlatformPreset(sim.PlatformCuration)
	tests := []struct {
		name  string
		text  string
		check func(b sim.Brand) bool
	}{
		{"strategy fills every key", `[[brand]]
name = "A"
strategy = "push"`, func(b sim.Brand) bool { p := push; p.Name = "A"; return reflect.DeepEqual(b, p) }},
		{"explicit keys override the preset", `[[brand]]
name = "A"
strategy = "push"
quality = 0.9
[brand.push]
rate = 0.5`, func(b sim.Brand) bool {
			return b.Quality == 0.9 && b.Push.Rate == 0.5 && b.Push.Cost == push.Push.Cost && b.Push.Overclaim == push.Push.Overclaim
		}},
		{"a platform fills its effects", `[[brand]]
name = "A"
strategy = "pull"
pull.platform = "curation"`, func(b sim.Brand) bool {
			return b.Pull.Gain == curation.Gain && b.Pull.ReturnRate == curation.ReturnRate &&
				b.Pull.CoCreation == curation.CoCreation && b.Pull.Content == pull.Pull.Content
		}},
		{"effects given override the platform", `[[brand]]
name = "A"
strategy = "pull"
pull = { platform = "curation", gain = 0.9 }`, func(b sim.Brand) bool {
			return b.Pull.Gain == 0.9 && b.Pull.ReturnRate == curation.ReturnRate
		}},
		{"no strategy starts from the neutral preset", `[[brand]]
name = "A"`, func(b sim.Brand) bool { p, _ := sim.StrategyPreset(""); p.Name = "A"; return reflect.DeepEqual(b, p) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := mustParse(t, tt.text)
			if !tt.check(sc.Brands[0]) {
				t.Errorf("brand = %+v", sc.Brands[0])
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"unknown key", "dayz = 3\n" + brands,
			[]string{`test.toml:1: dayz: unknown key (did you mean "days"?)`}},
		{"unknown key in a brand table", "[[brand]]\nname = \"Acme\"\n[brand.push]\nrat = 1\n",
			[]string{`test.toml:4: brand.Acme.push.rat: unknown key (did you mean "brand.Acme.push.rate"?)`}},
		{"a key in the wrong table", "[attention]\nrate = 1\n" + brands,
			[]string{`test.toml:2: attention.rate: unknown key (did you mean "need.rate"?)`}},
		{"unknown table", "[atention]\ncapacity = 3\nshape = 2\n" + brands,
			[]string{`test.toml:2: atention.capacity: unknown key (did you mean "attention.capacity"?)`,
				`test.toml:3: atention.shape: unknown key (did you mean "attention.shape"?)`}},
		{"nothing near", "zzzzzzzz = 1\n" + brands, []string{`test.toml:1: zzzzzzzz: unknown key`}},
		{"wrong type", "customers = \"many\"\n" + brands,
			[]string{`test.toml:1: customers: wrong type (want a whole number from 1 to 50000000, got "many")`}},
		{"fraction for a whole number", "days = 2.5\n" + brands,
			[]string{`test.toml:1: days: wrong type (want a whole number from 1 to 36500, got 2.5)`}},
		{"out of range", "[attention]\ncapacity = -4\n" + brands,
			[]string{`test.toml:2: attention.capacity: out of range (want a number from 1 to 10000, got -4)`}},
		{"absurd customers", "customers = 1e12\n" + brands,
			[]string{`test.toml:1: customers: out of range (want a whole number from 1 to 50000000, got 1000000000000)`}},
		{"not a number", "[need]\nrate = nan\n" + brands,
			[]string{`test.toml:2: need.rate: out of range (want a number from 0 to 1, got nan)`}},
		{"negative seed", "seed = -1\n" + brands,
			[]string{`test.toml:1: seed: out of range (want a whole number of at least 0, got -1)`}},
		{"negative replicates", "replicates = -3\n" + brands,
			[]string{`test.toml:1: replicates: out of range (want a whole number from 1 to 10000, got -3)`}},
		{"unknown word", "[[brand]]\nname = \"A\"\nstrategy = \"shout\"\n",
			[]string{`test.toml:3: brand.A.strategy: unknown value (want one of "push", "pull", "trust", "", got "shout")`}},
		{"brand as a single table", "[brand]\nname = \"A\"\n",
			[]string{`test.toml:1: brand: wrong type (want [[brand]] tables, got a table)`, `test.toml:1: brand: invalid (want at least one [[brand]], got none)`}},
		{"no brands", "days = 3\n", []string{`test.toml: brand: invalid (want at least one [[brand]], got none)`}},
		{"two brands with one name", "[[brand]]\nname = \"A\"\n[[brand]]\nname = \"A\"\n",
			[]string{`test.toml:4: brand.A.name: invalid (want a name no other brand has, got A)`}},
		{"an unnamed brand", "[[brand]]\nstrategy = \"push\"\n",
			[]string{`test.toml:1: brand[0].name: invalid (want a name, got "")`}},
		{"a syntax error", "days = \n" + brands, []string{`test.toml:1: not valid TOML: expected value but found '\n' instead`}},
		{"graph key for another kind", "[graph]\nkind = \"erdos_renyi\"\nk = 4\n" + brands,
			[]string{`test.toml:3: graph.k: does not apply to graph.kind = "erdos_renyi" (it is read by watts_strogatz, ring)`}},
		{"graph key out of range", "[graph]\nbeta = 2\n" + brands,
			[]string{`test.toml:2: graph.beta: out of range (want a number from 0 to 1, got 2)`}},
		{"graph relation", "customers = 5\n[graph]\nk = 10\n" + brands,
			[]string{`test.toml:3: graph.k: must be an even number from 2 to customers-1 (4): 10`}},
		{"unknown graph kind", "[graph]\nkind = \"tree\"\n" + brands,
			[]string{`test.toml:2: graph.kind: unknown value (want one of "complete", "erdos_renyi", "watts_strogatz", "ring", "barabasi_albert", "communities", "power_law", "edge_list", got "tree")`}},
		{"missing edge list", "[graph]\nkind = \"edge_list\"\npath = \"nowhere.txt\"\n" + brands,
			[]string{`test.toml:3: graph.path: cannot read the edge list nowhere.txt (got no such file or directory)`}},
		{"empty edge list", "[graph]\nkind = \"edge_list\"\npath = " + quote(empty) + "\n" + brands,
			[]string{`test.toml:3: graph.path: the edge-list file is empty (got ` + quote(empty) + `)`}},
		{"missing node list", "[graph]\nkind = \"edge_list\"\npath = " + quote(empty) + "\nnodes = \"people.csv\"\n" + brands,
			[]string{`test.toml:3: graph.path: the edge-list file is empty (got ` + quote(empty) + `)`,
				`test.toml:4: graph.nodes: cannot read the node list people.csv (got no such file or directory)`}},
		{"unknown direction", "[graph]\nkind = \"edge_list\"\npath = \"e.txt\"\ndirection = \"up\"\n" + brands,
			[]string{`test.toml:4: graph.direction: must be one of both, source_to_target, target_to_source: "up"`}},
		{"relation of two words", "[graph]\nkind = \"edge_list\"\npath = \"e.txt\"\nrelations = [\"advice\", \"best friend\"]\n" + brands,
			[]string{`test.toml:4: graph.relations: must be words, each as in the edge list's third column: "best friend"`}},
		{"node list for a generated graph", "[graph]\nkind = \"ring\"\nk = 4\nnodes = \"people.csv\"\n" + brands,
			[]string{`test.toml:4: graph.nodes: does not apply to graph.kind = "ring" (it is read by edge_list)`}},
		{"every error, in the order of the file", "dayz = 1\ncustomers = 0\n[attention]\ncapacity = \"x\"\n" + brands + "[brand.push]\nrate = -1\n",
			[]string{`test.toml:1: dayz: unknown key (did you mean "days"?)`,
				`test.toml:2: customers: out of range (want a whole number from 1 to 50000000, got 0)`,
				`test.toml:4: attention.capacity: wrong type (want a number from 1 to 10000, got "x")`,
				`test.toml:14: brand.B.push.rate: out of range (want a number from 0 to 100, got -1)`}},
		{"sweep method", "[sweep]\nmethod = \"random\"\n[[sweep.factor]]\npath = \"days\"\nvalues = [1, 2]\n" + brands,
			[]string{`test.toml:2: sweep.method: unknown method (want grid, latin_hypercube or sobol) (got "random")`}},
		{"sweep path", "[sweep]\nmethod = \"grid\"\n[[sweep.factor]]\npath = \"brand.C.push.rate\"\nvalues = [1, 2]\n" + brands,
			[]string{`test.toml:4: sweep.factor[0].path: names no scenario key: no brand named "C" (want a brand name: "A", "B") (got "brand.C.push.rate")`}},
		{"budget shares above 1", brands + "[brand.budget]\ndaily = 50\npush = 0.7\ncontent = 0.6\n",
			[]string{`test.toml:12: brand.B.budget.content: invalid (want budget shares (push, content, platform, partners) that sum to at most 1, got 1.3)`}},
		{"a plan of a market key", brands + "[[schedule]]\nday = 5\nset = [\"days=4\"]\n",
			[]string{`test.toml:11: schedule[0].set: not a brand key: a plan changes a brand's budget and strategy (want brand.NAME.key=value, got "days=4")`}},
		{"a plan out of range", brands + "[[schedule]]\nday = 5\nset = [\"brand.A.budget.push=2\"]\n",
			[]string{`test.toml:11: schedule[0].set: "brand.A.budget.push=2" brand.A.budget.push: out of range (want a number from 0 to 1, got 2)`}},
		{"a plan after the run", "days = 10\n" + brands + "[[schedule]]\nday = 11\nset = [\"brand.A.push.rate=2\"]\n",
			[]string{`test.toml:11: schedule[0].day: out of range (want a day from 1 to days (10), got 11)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("test.toml", []byte(tt.text))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Parse error = %v, want Errors", err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.toml"))
	if err == nil || !strings.HasSuffix(err.Error(), "missing.toml: cannot read the file: no such file or directory") {
		t.Errorf("Load error = %v", err)
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		assignment string
		check      func(sc *Scenario) bool
	}{
		{"days=30", func(sc *Scenario) bool { return sc.Days == 30 }},
		{"customers = 2e3", func(sc *Scenario) bool { return sc.Customers == 2000 }},
		{"attention.capacity=2.5", func(sc *Scenario) bool { return sc.Attention.Capacity == 2.5 }},
		{"attention.unlimited=true", func(sc *Scenario) bool { return sc.Attention.Unlimited }},
		{"brand.A.push.rate=2", func(sc *Scenario) bool { return sc.Brands[0].Push.Rate == 2 }},
		{"brand[1].push.rate=3", func(sc *Scenario) bool { return sc.Brands[1].Push.Rate == 3 }},
		{"brand.B.push.targeting=everyone", func(sc *Scenario) bool { return sc.Brands[1].Push.Targeting == sim.TargetEveryone }},
		{`brand.B.push.targeting="everyone"`, func(sc *Scenario) bool { return sc.Brands[1].Push.Targeting == sim.TargetEveryone }},
		{"brand.A.strategy=trust", func(sc *Scenario) bool {
			trust, _ := sim.StrategyPreset("trust")
			return sc.Brands[0].Pull.Platform == trust.Pull.Platform && sc.Brands[0].Consistency == trust.Consistency
		}},
		{"brand.B.pull.platform=curation", func(sc *Scenario) bool {
			e, _ := sim.PlatformPreset(sim.PlatformCuration)
			return sc.Brands[1].Pull.ReturnRate == e.ReturnRate
		}},
		{"seed=18446744073709551615", func(sc *Scenario) bool { return sc.Seed == 1<<64-1 }},
		{"graph.kind=erdos_renyi", func(sc *Scenario) bool {
			return reflect.DeepEqual(sc.Graph, graph.Spec{Kind: graph.KindErdosRenyi, MeanDegree: 10})
		}},
		{"output.plots=false", func(sc *Scenario) bool { return !sc.Output.Plots }},
	}
	for _, tt := range tests {
		t.Run(tt.assignment, func(t *testing.T) {
			sc := mustParse(t, brands)
			if err := sc.Set(tt.assignment); err != nil {
				t.Fatalf("Set: %v", err)
			}
			if !tt.check(sc) {
				t.Errorf("Set(%q) did not take", tt.assignment)
			}
			if len(sc.Sets) != 1 || sc.Sets[0] != "--set "+shellQuote(strings.ReplaceAll(tt.assignment, " ", "")) {
				t.Errorf("Sets = %q", sc.Sets)
			}
		})
	}
}

func TestSetErrors(t *testing.T) {
	tests := []struct{ assignment, want string }{
		{"days", `--set: days: not an assignment (want key.path=value, got "days")`},
		{"=3", `--set: =3: not an assignment (want key.path=value, got "=3")`},
		{"dayz=3", `--set: dayz: unknown key (did you mean "days"?)`},
		{"atention.capacity=3", `--set: atention.capacity: unknown key (did you mean "attention.capacity"?)`},
		{"attention.capacity=lots", `--set: attention.capacity: cannot read the value (want a number from 1 to 10000, got "lots")`},
		{"attention.capacity=-1", `--set: attention.capacity: out of range (want a number from 1 to 10000, got -1)`},
		{"days=1.5", `--set: days: wrong type (want a whole number from 1 to 36500, got 1.5)`},
		{"brand.C.push.rate=1", `--set: brand.C.push.rate: no brand named "C" (want a brand name: "A", "B")`},
		{"brand[5].push.rate=1", `--set: brand[5].push.rate: no brand [5] (want an index from 0 to 1)`},
		{"brand.A.push=1", `--set: brand.A.push: names a table, not a value (want one of its keys, like brand.A.push.rate)`},
		{"brand=1", `--set: brand: names the list of brand tables, not a value (want a key of one of them, like brand.NAME.KEY)`},
		{"brand.A.push.rat=1", `--set: brand.A.push.rat: unknown key (did you mean "brand.A.push.rate"?)`},
		{"brand.A.strategy=loud", `--set: brand.A.strategy: unknown value (want one of "push", "pull", "trust", "", got "loud")`},
		{"graph.k=3", `--set: graph.k: must be an even number from 2 to customers-1 (9999): 3`},
		{"days.x=1", `--set: days.x: unknown key (did you mean "days"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.assignment, func(t *testing.T) {
			sc := mustParse(t, brands)
			before := *sc
			err := sc.Set(tt.assignment)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Set(%q) = %v\nwant %s", tt.assignment, err, tt.want)
			}
			if !reflect.DeepEqual(*sc, before) {
				t.Errorf("a failed Set changed the scenario")
			}
		})
	}
}

func TestTemplateIsValidAndComplete(t *testing.T) {
	text := Template("example")
	sc, err := Parse("example.toml", text)
	if err != nil {
		t.Fatalf("the template does not parse:\n%v", err)
	}
	if sc.Name != "example" || len(sc.Brands) != 3 {
		t.Errorf("template scenario: name %q, %d brands", sc.Name, len(sc.Brands))
	}
	for _, d := range Docs() {
		key := d.Key[strings.LastIndexByte(d.Key, '.')+1:]
		if !bytes.Contains(text, []byte(key+" = ")) {
			t.Errorf("the template lacks %s", d.Key)
		}
	}
	// Uncommenting the sweep example, or the optimize example, must give
	// a valid table.
	uncomment := func(table string) string {
		var out []string
		in := false
		for line := range strings.SplitSeq(string(text), "\n") {
			if strings.HasPrefix(line, "# [") && !strings.HasPrefix(line, "# [[") {
				in = line == "# ["+table+"]"
			}
			if in && strings.HasPrefix(line, "# ") && (strings.Contains(line, " = ") || strings.HasPrefix(line, "# [")) {
				line = strings.TrimPrefix(line, "# ")
			}
			out = append(out, line)
		}
		return strings.Join(out, "\n")
	}
	sc, err = Parse("example.toml", []byte(uncomment("sweep")))
	if err != nil {
		t.Fatalf("the template's sweep example is invalid:\n%v", err)
	}
	if points, runs := sc.SweepRuns(); points != 4 || runs != 4*DefaultReplicates {
		t.Errorf("sweep example: %d points, %d runs", points, runs)
	}
	sc, err = Parse("example.toml", []byte(uncomment("optimize")))
	if err != nil {
		t.Fatalf("the template's optimize example is invalid:\n%v", err)
	}
	if o := sc.Optimize; o == nil || o.Brand != "Pull" || len(o.Shares) != 2 || o.Budget != 600 {
		t.Errorf("optimize example: %+v", o)
	}
}

func TestResolvedRunsTheSame(t *testing.T) {
	for _, name := range scenarios.Names() {
		file, data, _ := scenarios.Lookup(name)
		sc, err := ParseFS(scenarios.Files(), file, data)
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.Set("days=7"); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := sc.WriteResolved(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := ParseFS(scenarios.Files(), file, buf.Bytes())
		if err != nil {
			t.Fatalf("%s: the resolved file does not parse: %v\n%s", name, err, buf.String())
		}
		if !reflect.DeepEqual(again.Params, sc.Params) || !reflect.DeepEqual(again.Graph, sc.Graph) || again.Output != sc.Output ||
			again.Days != 7 || again.Seed != sc.Seed || again.Replicates != sc.Replicates {
			t.Errorf("%s: the resolved file resolves to another scenario", name)
		}
		if !strings.Contains(buf.String(), "# --set") || !strings.Contains(buf.String(), "# default") {
			t.Errorf("%s: the resolved file does not mark defaults and --set:\n%s", name, buf.String())
		}
	}
}

func TestEveryKeyIsDocumented(t *testing.T) {
	leaves := map[string]bool{}
	schema().leaves(func(n *node) {
		leaves[n.generic] = true
		if lookupDoc(n.generic) == nil {
			t.Errorf("scenario key %s has no documentation", n.generic)
		}
	})
	for _, d := range Docs() {
		if !leaves[d.Key] {
			t.Errorf("documented key %s is not a scenario key", d.Key)
		}
		if d.Doc == "" || d.Source == "" {
			t.Errorf("%s lacks a description or a source", d.Key)
		}
	}
}

func TestReference(t *testing.T) {
	for _, format := range []string{"text", "markdown"} {
		var buf bytes.Buffer
		if err := WriteReference(&buf, format); err != nil {
			t.Fatal(err)
		}
		for _, d := range Docs() {
			key := strings.TrimPrefix(d.Key, "brand.")
			if !strings.Contains(buf.String(), key) {
				t.Errorf("%s reference lacks %s", format, d.Key)
			}
		}
	}
	if err := WriteReference(&bytes.Buffer{}, "html"); err == nil || !strings.HasPrefix(err.Error(), "scenario: ") {
		t.Errorf("unknown format: %v", err)
	}
}

func TestSweep(t *testing.T) {
	factors := `
[[sweep.factor]]
path = "brand.A.push.rate"
values = [0.5, 1, 2]
[[sweep.factor]]
path = "brand.B.push.targeting"
values = ["everyone", "opt_in"]
`
	tests := []struct {
		name   string
		sweep  string
		points int
	}{
		{"grid", "[sweep]\nmethod = \"grid\"\n" + factors, 6},
		{"latin hypercube", "[sweep]\nmethod = \"latin_hypercube\"\npoints = 20\nseed = 3\n[[sweep.factor]]\npath = \"attention.capacity\"\nmin = 1\nmax = 10\n", 20},
		{"sobol", "[sweep]\nmethod = \"sobol\"\npoints = 8\n[[sweep.factor]]\npath = \"attention.capacity\"\nmin = 1\nmax = 10\n[[sweep.factor]]\npath = \"brand.A.push.rate\"\nmin = 0\nmax = 2\n", 32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := mustParse(t, "replicates = 5\n"+brands+tt.sweep)
			if points, runs := sc.SweepRuns(); points != tt.points || runs != 5*tt.points {
				t.Errorf("SweepRuns = %d, %d; want %d, %d", points, runs, tt.points, 5*tt.points)
			}
		})
	}
	sc := mustParse(t, brands+"[sweep]\nmethod = \"grid\"\n"+factors)
	if got := sc.Sweep.Factors[1].Values; !reflect.DeepEqual(got, []string{"everyone", "opt_in"}) {
		t.Errorf("values = %q", got)
	}
}

func TestEdgeListCustomers(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "edges.txt"), []byte("0 1\n1 2\n2 3\n3 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "s.toml")
	body := "[graph]\nkind = \"edge_list\"\npath = \"edges.txt\"\n" + brands
	sc, err := Parse(file, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	g, err := sc.BuildGraph()
	if err != nil {
		t.Fatal(err)
	}
	if g.N() != 4 || sc.Customers != 4 {
		t.Errorf("graph of %d nodes, customers %d; want 4 and 4", g.N(), sc.Customers)
	}
	sc, err = Parse(file, []byte("customers = 10\n"+body))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sc.BuildGraph()
	want := file + `:1: customers: does not match the graph edge_list(path="` + filepath.Join(dir, "edges.txt") +
		`"), which has 4 nodes (want 4, or leave customers out to take the edge list's count, got 10)`
	if err == nil || err.Error() != want {
		t.Errorf("BuildGraph = %v\nwant %s", err, want)
	}
}

func TestSameSeedSameGraph(t *testing.T) {
	a, b := mustParse(t, "customers = 500\n"+brands), mustParse(t, "customers = 500\n[attention]\ncapacity = 2\n"+brands)
	ga, err := a.BuildGraph()
	if err != nil {
		t.Fatal(err)
	}
	gb, _ := b.BuildGraph()
	if !reflect.DeepEqual(ga.Adjacency(), gb.Adjacency()) {
		t.Errorf("two scenarios with the same seed and graph keys got different graphs")
	}
}

func TestExplicit(t *testing.T) {
	sc := mustParse(t, "days = 3\n"+brands)
	if !sc.Explicit("days") || sc.Explicit("customers") || !sc.Explicit("brand.A.strategy") || sc.Explicit("brand.A.push.rate") {
		t.Errorf("Explicit is wrong")
	}
	if err := sc.Set("customers=20"); err != nil {
		t.Fatal(err)
	}
	if !sc.Explicit("customers") {
		t.Errorf("a key given by Set is not explicit")
	}
}

// TestSetGraphKindDropsTheFileKeysOfTheOldKind checks that a --set of
// graph.kind replaces the graph the file described, keys and all, while a
// flag's own key that does not fit the new kind is still an error.
func TestSetGraphKindDropsTheFileKeysOfTheOldKind(t *testing.T) {
	const file = "[graph]\nkind = \"watts_strogatz\"\nk = 6\nbeta = 0.2\n" + brands
	sc := mustParse(t, file)
	if err := sc.Set("graph.kind=barabasi_albert"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if sc.Graph.Kind != graph.KindBarabasiAlbert || sc.Graph.K != 0 || sc.Graph.Beta != 0 || sc.Graph.M == 0 {
		t.Errorf("graph after the change of kind: %+v", sc.Graph)
	}
	sc = mustParse(t, file)
	err := sc.SetAll([]Assignment{{Source: "--set", Text: "graph.m=3"}, {Source: "--set", Text: "graph.kind=ring"}})
	if want := `--set: graph.m: does not apply to graph.kind = "ring"`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("SetAll = %v, want an error with %q", err, want)
	}
	if err := sc.SetAll([]Assignment{{Source: "--set", Text: "graph.kind=ring"}}); err != nil || sc.Graph.K != 6 {
		t.Errorf("a key the new kind reads is kept: %v, %+v", err, sc.Graph)
	}
}

// TestSetsArePasteable checks that the changes a run records read as the
// flags that make them.
func TestSetsArePasteable(t *testing.T) {
	sc := mustParse(t, brands)
	err := sc.SetAll([]Assignment{
		{Source: "--days", Text: "days=5"},
		{Source: "--set", Text: "brand.A.push.targeting = opt_in"},
		{Source: "--set", Text: `brand.B.pull.platform="content"`},
		{Source: "sweep point 3", Text: "attention.capacity=4"},
		{Source: "--set", Text: "brand[1].push.rate=2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"--days 5", "--set brand.A.push.targeting=opt_in", `--set 'brand.B.pull.platform="content"'`, "--set attention.capacity=4", "--set 'brand[1].push.rate=2'"}
	if !slices.Equal(sc.Sets, want) {
		t.Errorf("Sets = %q, want %q", sc.Sets, want)
	}
}

func TestScheduleResolvesIntoPlannedChanges(t *testing.T) {
	sc := mustParse(t, brands+`
[[schedule]]
day = 90
set = ["brand.B.budget.daily=50", "brand.B.budget.content=0.4", "brand.B.budget.push=0.6"]

[[schedule]]
day = 30
set = ["brand.A.push.rate=0.5"]

[[schedule]]
day = 120
set = ["brand.B.budget.push=0.2"]
`)
	type change struct {
		day, brand     int
		rate, push, ct float64
	}
	var got []change
	for _, c := range sc.Changes {
		got = append(got, change{c.Day, c.Brand, c.Params.Push.Rate, c.Params.Budget.Push, c.Params.Budget.Content})
	}
	want := []change{{30, 0, 0.5, 0, 0}, {90, 1, 0.1, 0.6, 0.4}, {120, 1, 0.1, 0.2, 0.4}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("planned changes %+v, want %+v", got, want)
	}
	if sc.Brands[1].Budget != (sim.Budget{}) || sc.Brands[0].Push.Rate != 1 {
		t.Errorf("a plan changed the brands' start: %+v, push rate %v", sc.Brands[1].Budget, sc.Brands[0].Push.Rate)
	}
}
