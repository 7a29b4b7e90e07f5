package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/sim/output"
)

// TestGraphInputReported: what reading a network found (header, dropped
// self-loops and duplicates, ignored weights, the files' SHA-256 and node
// count) is printed by graph and check and recorded in the manifest.
func TestGraphInputReported(t *testing.T) {
	write := fileWriter(t)
	edges := "source,target,weight\n1,2,0.5\n2,1,0.5\n2,3,1\n3,3,1\n1,2,0.7\n"
	nodes := "id\n1\n2\n3\n4\n"
	sum := func(text string) string { s := sha256.Sum256([]byte(text)); return hex.EncodeToString(s[:]) }
	edgePath, nodePath := write("edges.csv", edges), write("nodes.csv", nodes)
	out := mustRun(t, "graph", "--path", edgePath, "--nodes", nodePath)
	for _, want := range []string{
		"edge list              " + edgePath + ", 5 edge lines, sha256 " + sum(edges) + "\n",
		"node list              " + nodePath + ", sha256 " + sum(nodes) + "\n",
		"node list header       \"id\", skipped\n",
		"header                 \"source,target,weight\", skipped\n",
		"dropped                1 self-loops, 2 duplicate ties\n",
		"ignored                columns after the ids on 5 lines (weights are not used: every tie counts the same)\n",
		"nodes                  4\n",
		"edges                  2\n",
		"components             2\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("graph output lacks %q:\n%s", want, out)
		}
	}
	sc := writeScenario(t, "net.toml", "days = 3\nreplicates = 1\n[graph]\nkind = \"edge_list\"\npath = "+strconv.Quote(edgePath)+
		"\nnodes = "+strconv.Quote(nodePath)+"\ndirection = \"target_to_source\"\n[[brand]]\nname = \"A\"\nstrategy = \"pull\"\n")
	if out := mustRun(t, "check", sc); !strings.Contains(out, "4 nodes, 3 ties one way, mean degree 0.75; dropped 1 self-loops and 1 duplicate ties\n") {
		t.Errorf("check of a scenario on a directed edge list:\n%s", out)
	}
	run := filepath.Join(t.TempDir(), "net")
	mustRun(t, "run", "--quiet", "--plots=false", "--out", run, sc)
	data, err := os.ReadFile(filepath.Join(run, output.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Graph struct {
			N        int  `json:"n"`
			M        int  `json:"m"`
			Directed bool `json:"directed"`
			Input    struct {
				Path           string `json:"path"`
				SHA256         string `json:"sha256"`
				Nodes          int    `json:"nodes"`
				SelfLoops      int    `json:"self_loops"`
				Duplicates     int    `json:"duplicates"`
				Header         string `json:"header"`
				IgnoredColumns int    `json:"ignored_columns"`
				Direction      string `json:"direction"`
				NodesSHA256    string `json:"nodes_sha256"`
			} `json:"input"`
		} `json:"graph"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	in := m.Graph.Input
	if m.Graph.N != 4 || m.Graph.M != 3 || !m.Graph.Directed || in.Path != edgePath || in.SHA256 != sum(edges) || in.Nodes != 4 ||
		in.SelfLoops != 1 || in.Duplicates != 1 || in.Header != "source,target,weight" || in.IgnoredColumns != 5 ||
		in.Direction != "target_to_source" || in.NodesSHA256 != sum(nodes) {
		t.Errorf("manifest graph: %+v", m.Graph)
	}
}

// fileWriter returns a function that writes a file of the given text
// into a temporary folder and returns its path.
func fileWriter(t *testing.T) func(name, text string) string {
	dir := t.TempDir()
	return func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
}

// TestGraphInputErrors: a bad network is one message naming the file and
// line, exit 2.
func TestGraphInputErrors(t *testing.T) {
	write := fileWriter(t)
	negative := write("negative.txt", "0 1\n1 -2\n")
	unlisted := write("unlisted.txt", "1 2\n2 5\n")
	nodes := write("nodes.txt", "1\n2\n3\n")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"graph", "--path", negative},
			"--path: graph.path: cannot build the graph: graph: " + negative + `:2: found "1 -2"; node id -2 is negative; want ids of 0 or more, or words` + "\n"},
		{[]string{"graph", "--path", unlisted, "--nodes", nodes},
			"--path: graph.path: cannot build the graph: graph: " + unlisted + ":2: node 5 is not in the node list " + nodes + "; want every node of an edge listed there\n"},
		{[]string{"graph", "--path", nodes, "--relations", "advice"},
			"--path: graph.path: cannot build the graph: graph: " + nodes + `:1: found "1"; want two node ids separated by spaces, tabs or a comma` + "\n"},
	} {
		_, errOut, code := invoke(t, tt.args...)
		if code != exitInvalid || errOut != tt.want {
			t.Errorf("pushpull %s: exit %d\n%s\nwant exit %d\n%s", strings.Join(tt.args, " "), code, errOut, exitInvalid, tt.want)
		}
	}
}

// TestSeedFile: the customers a brand's seed file lists, by the ids of
// the graph's files, start as its advocates; a bad list is refused with
// its file and line.
func TestSeedFile(t *testing.T) {
	write := fileWriter(t)
	edges := write("edges.txt", "ann bob\nbob cy\ncy dan\ndan eve\n")
	scenarioText := func(seeds string) string {
		return "days = 1\nreplicates = 1\n[graph]\nkind = \"edge_list\"\npath = " + strconv.Quote(edges) +
			"\n[[brand]]\nname = \"A\"\nstrategy = \"pull\"\nseed_file = " + strconv.Quote(seeds) + "\n"
	}
	sc := writeScenario(t, "seeded.toml", scenarioText(write("seeds.csv", "customer\n# the two ends\neve\nann\n")))
	run := filepath.Join(t.TempDir(), "seeded")
	mustRun(t, "run", "--quiet", "--plots=false", "--out", run, sc)
	header, rows := readCSV(t, filepath.Join(run, output.DailyFile))
	col := map[string]int{}
	for i, name := range header {
		col[name] = i
	}
	day0 := rows[0]
	if day0[col["day"]] != "0" || day0[col["adopters"]] != "2" || day0[col["advocates"]] != "2" {
		t.Errorf("day 0 of a run seeded with ann and eve: %v", day0)
	}
	for _, tt := range []struct{ name, seeds, want string }{
		{"unknown customer", "ann\nzed\n", ":2: customer zed is not a node of the graph; want ids as the graph's files name them"},
		{"listed twice", "ann\nbob\nann\n", ":3: customer ann is listed twice; want each customer once"},
		{"negative", "bob\n-1\n", ":2: node id -1 is negative; want ids of 0 or more, or words"},
	} {
		seeds := write(tt.name+".txt", tt.seeds)
		bad := writeScenario(t, "bad.toml", scenarioText(seeds))
		_, errOut, code := invoke(t, "check", bad)
		want := bad + ":9: brand.A.seed_file: cannot seed the customers: graph: " + seeds + tt.want + "\n"
		if code != exitInvalid || !strings.HasPrefix(errOut, want) {
			t.Errorf("%s: exit %d\n%s\nwant exit %d and\n%s", tt.name, code, errOut, exitInvalid, want)
		}
	}
}

// TestSeedFileGeneratedGraph: on a generated graph, seeds are node
// numbers, and check reads the seed file.
func TestSeedFileGeneratedGraph(t *testing.T) {
	seeds := fileWriter(t)("seeds.txt", "3\n30\n")
	sc := writeScenario(t, "ring.toml", "customers = 20\ndays = 1\nreplicates = 1\n[graph]\nkind = \"ring\"\nk = 2\n"+
		"[[brand]]\nname = \"A\"\nstrategy = \"pull\"\nseed_file = "+strconv.Quote(seeds)+"\n")
	_, errOut, code := invoke(t, "check", sc)
	want := sc + ":10: brand.A.seed_file: cannot seed the customers: graph: " + seeds + ":2: customer 30 is not a node of the graph; want ids as the graph's files name them\n"
	if code != exitInvalid || !strings.HasPrefix(errOut, want) {
		t.Errorf("check: exit %d\n%s\nwant exit %d and\n%s", code, errOut, exitInvalid, want)
	}
}

// TestNewFromCopiesData: a copy of a shipped scenario that reads data
// files gets them beside it, and runs as the original does.
func TestNewFromCopiesData(t *testing.T) {
	dir := t.TempDir()
	copyPath := filepath.Join(dir, "doctors.toml")
	out := mustRun(t, "new", "--from", "medical-innovation", copyPath)
	data := filepath.Join(dir, "data", "medical-innovation")
	for _, want := range []string{"wrote " + filepath.Join(data, "nominations.txt") + "\n", "wrote " + filepath.Join(data, "people.csv") + "\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("new --from lacks %q:\n%s", want, out)
		}
	}
	if out := mustRun(t, "check", copyPath); !strings.Contains(out, "125 nodes, 294 ties one way") {
		t.Errorf("check of the copy:\n%s", out)
	}
	if out := mustRun(t, "new", "--force", "--from", "medical-innovation", copyPath); !strings.Contains(out, "kept "+filepath.Join(data, "people.csv")+"\n") {
		t.Errorf("a second copy replaced the data files:\n%s", out)
	}
}
