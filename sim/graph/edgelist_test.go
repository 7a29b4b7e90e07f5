package graph

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// labelledEdges lists g's edges by label, "a-b" with a < b as strings,
// sorted: the graph as a reader of the file sees it.
func labelledEdges(g *Graph) []string {
	var out []string
	for u := range g.N() {
		for _, v := range g.Neighbors(u) {
			if int(v) > u {
				a, b := g.Label(u), g.Label(int(v))
				if b < a {
					a, b = b, a
				}
				out = append(out, a+"-"+b)
			}
		}
	}
	slices.Sort(out)
	return out
}

func TestReadEdgeListFormats(t *testing.T) {
	cases := []struct {
		name, text string
		n          int
		labels     []string // nil: ids used as indices
		edges      []string // by label
		stats      ReadStats
	}{
		{"snap", "# Directed graph: test\n# Nodes: 4 Edges: 3\n# FromNodeId\tToNodeId\n0\t1\n1\t2\n2\t0\n", 4, nil,
			[]string{"0-1", "0-2", "1-2"}, ReadStats{Lines: 6, EdgesRead: 3, DeclaredNodes: 4}},
		{"konect 1-based with weights", "% sym unweighted\n% 3 3 3\n1 2 1 1234567\n2 3 1 1234568\n3 1 1 1234569\n", 3, []string{"1", "2", "3"},
			[]string{"1-2", "1-3", "2-3"}, ReadStats{Lines: 5, EdgesRead: 3, IgnoredColumns: 3}},
		{"commas, blanks, CRLF, spaces", "\r\n  a , b\r\n\n\tb,c,7\r\n", 3, []string{"a", "b", "c"},
			[]string{"a-b", "b-c"}, ReadStats{Lines: 4, EdgesRead: 2, IgnoredColumns: 1}},
		{"directed symmetrized, self-loops and duplicates dropped", "1 0\n0 1\n1 1\n2 1\n1 2\n1 2\n", 3, nil,
			[]string{"0-1", "1-2"}, ReadStats{Lines: 6, EdgesRead: 6, SelfLoops: 1, Duplicates: 3}},
		{"sparse ids keep first appearance", "100 7\n7 5000000000\n", 3, []string{"100", "7", "5000000000"},
			[]string{"100-7", "5000000000-7"}, ReadStats{Lines: 2, EdgesRead: 2}},
		{"mixed words and numbers, leading zeros", "007 x\n7 y\n", 3, []string{"7", "x", "y"},
			[]string{"7-x", "7-y"}, ReadStats{Lines: 2, EdgesRead: 2}},
		{"declared isolated nodes", "# nodes: 6\n0 1\n3 1\n", 6, nil,
			[]string{"0-1", "1-3"}, ReadStats{Lines: 3, EdgesRead: 2, DeclaredNodes: 6}},
		{"header without edges", "# nodes: 3\n# edges: 0\n", 3, nil, nil, ReadStats{Lines: 2, DeclaredNodes: 3}},
		{"node declarations", "# node: b\n# node: z\na b\n", 3, []string{"b", "z", "a"},
			[]string{"a-b"}, ReadStats{Lines: 3, EdgesRead: 1}},
		{"byte order mark", "\xef\xbb\xbf0 1\n", 2, nil, []string{"0-1"}, ReadStats{Lines: 1, EdgesRead: 1}},
		{"no final newline, self-loop node kept", "0 1\n2 2", 3, nil, []string{"0-1"}, ReadStats{Lines: 2, EdgesRead: 2, SelfLoops: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, st, err := ReadEdgeListFrom(strings.NewReader(c.text), "test.txt")
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, g)
			if g.N() != c.n || !slices.Equal(g.Labels(), c.labels) || !slices.Equal(labelledEdges(g), c.edges) {
				t.Errorf("got n %d, labels %q, edges %q; want %d, %q, %q", g.N(), g.Labels(), labelledEdges(g), c.n, c.labels, c.edges)
			}
			c.stats.Nodes, c.stats.Direction = c.n, DirectionBoth
			if st != c.stats {
				t.Errorf("stats %+v, want %+v", st, c.stats)
			}
		})
	}
}

func TestReadEdgeListErrors(t *testing.T) {
	long := strings.Repeat("9", 2<<20)
	cases := []struct{ name, text, want string }{
		{"one id", "0 1\n# fine\n5\n", `graph: f.txt:3: found "5"; want two node ids separated by spaces, tabs or a comma`},
		{"one id after separators", "0 1\n , 7 ,\n", `graph: f.txt:2: found " , 7 ,"; want two node ids separated by spaces, tabs or a comma`},
		{"long text is cut", "x\ty\n" + strings.Repeat("z", 200) + "\n", `graph: f.txt:2: found "` + strings.Repeat("z", 80) + `"...; want two node ids separated by spaces, tabs or a comma`},
		{"empty", "", "graph: f.txt: no edges found"},
		{"comments only", "# nothing\n% here\n\n", "graph: f.txt: no edges found"},
		{"self-loops only", "1 1\n", "graph: f.txt: no edges found"},
		{"line too long", "0 1\n" + long + " 1\n", "graph: f.txt:2: line longer than 1048576 bytes; want two node ids separated by spaces, tabs or a comma"},
		{"huge node count", "# nodes: 99999999999\n0 1\n", `graph: f.txt:1: found "# nodes: 99999999999"; want a node count of at most 2147483646`},
		{"bad gzip", "\x1f\x8bnot gzip", "graph: f.txt:1: cannot decompress gzip data: gzip: invalid header"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ReadEdgeListFrom(strings.NewReader(c.text), "f.txt")
			if err == nil || err.Error() != c.want {
				t.Errorf("error %v\nwant  %s", err, c.want)
			}
		})
	}
	_, _, err := ReadEdgeList(filepath.Join(t.TempDir(), "missing.txt"))
	if err == nil || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "graph: cannot open edge list:") || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: %v", err)
	}
}

func gzipped(t testing.TB, text string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(text))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReadEdgeListGzip: compression is recognized by its magic bytes, with
// or without the .gz suffix, and a .gz name on plain text still reads.
func TestReadEdgeListGzip(t *testing.T) {
	dir := t.TempDir()
	text := "# nodes: 4\n0 1\n1 2\n"
	files := map[string][]byte{
		"edges.txt.gz":  gzipped(t, text),
		"edges.bin":     gzipped(t, text),
		"plain.txt.gz":  []byte(text),
		"edges.txt":     []byte(text),
		"truncated.gz":  gzipped(t, text)[:20],
		"multi.txt.gz":  append(gzipped(t, "0 1\n"), gzipped(t, "1 2\n# nodes: 4\n")...),
		"bad-line.gz":   gzipped(t, "0 1\n2\n"),
		"empty-file.gz": nil,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"edges.txt.gz", "edges.bin", "plain.txt.gz", "edges.txt", "multi.txt.gz"} {
		g, st, err := ReadEdgeList(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if g.N() != 4 || g.M() != 2 || st.Gzip != (name != "plain.txt.gz" && name != "edges.txt") {
			t.Errorf("%s: n %d, m %d, gzip %v", name, g.N(), g.M(), st.Gzip)
		}
	}
	for name, want := range map[string]string{
		"truncated.gz":  `truncated.gz:\d+: cannot read: unexpected EOF$`,
		"bad-line.gz":   `bad-line.gz:2: found "2"; want two node ids`,
		"empty-file.gz": `empty-file.gz: no edges found$`,
	} {
		_, _, err := ReadEdgeList(filepath.Join(dir, name))
		if err == nil || !regexp.MustCompile(want).MatchString(err.Error()) {
			t.Errorf("%s: error %v, want %s", name, err, want)
		}
	}
}

// TestIDMapSwitching: ids keep their indices while the map moves between
// the dense table and the hash map and back, and when words arrive.
func TestIDMapSwitching(t *testing.T) {
	m := newIDMap(1<<20, 4)
	want := map[string]int32{}
	rng := newRand(1)
	for step := range 5000 {
		var tok string
		switch {
		case step == 4000:
			tok = "word"
		case step%97 == 0:
			tok = fmt.Sprint(rng.Int64N(1 << 40)) // far beyond the dense table
		default:
			tok = fmt.Sprint(rng.IntN(3000))
		}
		got, err := m.lookup([]byte(tok))
		if err != nil {
			t.Fatal(err)
		}
		if i, seen := want[tok]; seen && i != got {
			t.Fatalf("step %d: %s was %d, now %d", step, tok, i, got)
		} else if !seen {
			if int(got) != len(want) {
				t.Fatalf("step %d: new id %s got index %d, want %d", step, tok, got, len(want))
			}
			want[tok] = got
		}
	}
}

func roundTrip(t *testing.T, g *Graph) *Graph {
	t.Helper()
	var b bytes.Buffer
	if err := WriteEdgeList(&b, g); err != nil {
		t.Fatal(err)
	}
	h, _, err := ReadEdgeListFrom(&b, "roundtrip.txt")
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	return h
}

// TestRoundTrip: writing a graph and reading it back gives the identical
// graph: same nodes in the same order, isolated ones included, same
// edges and same labels.
func TestRoundTrip(t *testing.T) {
	graphs := map[string]*Graph{}
	for _, gen := range generators {
		g, err := gen.make(3)
		if err != nil {
			t.Fatal(err)
		}
		graphs[gen.name] = g
	}
	sparse, err := ErdosRenyi(1000, 0.8, newRand(1)) // many isolated nodes
	if err != nil {
		t.Fatal(err)
	}
	graphs["isolated"] = sparse
	graphs["isolated first and last"], _, _ = FromEdges(10, [][2]int{{3, 7}, {2, 5}, {5, 8}})
	graphs["edgeless"], _ = ErdosRenyi(5, 0, newRand(1))
	graphs["complete as edges"] = Complete(30)
	for text, name := range map[string]string{
		"z a\nb z\nq 1\n# node: lonely\n7 a\n": "labelled words with an isolated node",
		"10 20\n30 10\n20 999\n":               "labelled sparse numbers",
		"1 #x\n%y 2\n":                         "labels starting like comments",
	} {
		g, _, err := ReadEdgeListFrom(strings.NewReader(text), "labels.txt")
		if err != nil {
			t.Fatal(err)
		}
		graphs[name] = g
	}
	for name, g := range graphs {
		t.Run(name, func(t *testing.T) {
			h := roundTrip(t, g)
			checkInvariants(t, h)
			if g.IsComplete() {
				// The marker comes back as the stored complete graph.
				if h.N() != g.N() || h.M() != g.M() || h.MaxDegree() != g.N()-1 || h.MeanDegree() != float64(g.N()-1) {
					t.Errorf("complete graph read back as n %d, m %d", h.N(), h.M())
				}
				return
			}
			if !sameGraph(g, h) {
				t.Errorf("read back a different graph: n %d→%d, m %d→%d, labels %q→%q", g.N(), h.N(), g.M(), h.M(), g.Labels(), h.Labels())
			}
		})
	}
}

func TestWriteEdgeListFormat(t *testing.T) {
	g, _, err := FromEdges(4, [][2]int{{2, 0}, {1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteEdgeList(&b, g); err != nil {
		t.Fatal(err)
	}
	want := "# pushpull graph: undirected, one line per edge\n# nodes: 4\n# edges: 2\n0 2\n1 2\n"
	if b.String() != want {
		t.Errorf("wrote\n%s\nwant\n%s", b.String(), want)
	}
	if err := WriteEdgeList(&b, Complete(100_000)); err == nil {
		t.Error("writing a complete graph beyond int32 edge ends did not fail")
	}
}

// FuzzReadEdgeList: the reader never panics; every error names the input
// and a line, or is the documented no-edges error; every graph it returns
// is valid and survives a round trip.
func FuzzReadEdgeList(f *testing.F) {
	for _, s := range []string{
		"0 1\n1 2\n", "# Nodes: 3 Edges: 1\n0\t2\n", "% konect\n1 2 0.5 17\n", "a,b\nb,c\n", "5\n", "",
		"# nodes: 4\n", "# node: x\nx y\n", "1 1\n", "\xef\xbb\xbf0 1\r\n", "007 7\n7 x\n", " , , \n9 8\n",
		"1 #x\n%y 2\n", "99999999999999999999 1\n", string(gzipped(f, "0 1\n")), "\x1f\x8b\x08", "0 0\n7 1\n0 1", "3 0\n5 6\n",
	} {
		f.Add([]byte(s))
	}
	lineErr := regexp.MustCompile(`^graph: fuzz\.txt:[1-9][0-9]*: `)
	f.Fuzz(func(t *testing.T, data []byte) {
		g, _, err := readNetwork(bytes.NewReader(data), "fuzz.txt", nil, ReadOptions{}, readLimits{maxNodes: 1 << 16, maxLine: 1 << 12, denseBase: 4})
		if err != nil {
			if msg := err.Error(); !lineErr.MatchString(msg) && msg != "graph: fuzz.txt: no edges found" && !strings.HasPrefix(msg, "graph: fuzz.txt: no edges found after the header ") {
				t.Fatalf("error names no line: %q", msg)
			}
			return
		}
		checkInvariants(t, g)
		var b bytes.Buffer
		if err := WriteEdgeList(&b, g); err != nil {
			t.Fatalf("cannot write what was read: %v", err)
		}
		h, _, err := ReadEdgeListFrom(&b, "again.txt")
		if err != nil {
			t.Fatalf("cannot read what was written: %v\n%s", err, b.String())
		}
		if !sameGraph(g, h) {
			t.Fatalf("round trip changed the graph:\n%q\n%s", data, b.String())
		}
	})
}

func ExampleReadEdgeListFrom() {
	text := `# a SNAP-style list: comments, tabs, a repeated edge and a self-loop
alice	bob
bob	carol	0.5
carol,alice
bob alice
dave dave
`
	g, st, err := ReadEdgeListFrom(strings.NewReader(text), "friends.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(g.N(), "nodes,", g.M(), "edges; labels", g.Labels())
	fmt.Printf("%d edge lines, %d self-loop, %d duplicate dropped\n", st.EdgesRead, st.SelfLoops, st.Duplicates)
	for _, v := range g.Neighbors(0) {
		fmt.Println(g.Label(0), "-", g.Label(int(v)))
	}
	_, _, err = ReadEdgeListFrom(strings.NewReader("alice bob\ncarol\n"), "friends.txt")
	fmt.Println(err)
	// Output:
	// 4 nodes, 3 edges; labels [alice bob carol dave]
	// 5 edge lines, 1 self-loop, 1 duplicate dropped
	// alice - bob
	// alice - carol
	// graph: friends.txt:2: found "carol"; want two node ids separated by spaces, tabs or a comma
}

func ExampleWriteEdgeList() {
	g, _, _ := FromEdges(5, [][2]int{{0, 1}, {1, 3}})
	WriteEdgeList(os.Stdout, g)
	// Output:
	// # pushpull graph: undirected, one line per edge
	// # nodes: 5
	// # edges: 2
	// 0 1
	// 1 3
}

// arcList lists a directed graph's ties by label, "a>b" when a's word
// reaches b, sorted.
func arcList(g *Graph) []string {
	var out []string
	for u := range g.N() {
		for _, v := range g.Neighbors(u) {
			out = append(out, g.Label(u)+">"+g.Label(int(v)))
		}
	}
	slices.Sort(out)
	return out
}

// TestReadNetwork: headers are recognised and skipped, extra columns
// counted as ignored, relations chosen, node lists keep isolated nodes in
// their order, and directions keep ties one way.
func TestReadNetwork(t *testing.T) {
	cases := []struct {
		name, edges, nodes string
		opt                ReadOptions
		n                  int
		labels             []string
		ties               []string // edges a-b by label, or arcs a>b when directed
		want               ReadStats
	}{
		{name: "header of known names", edges: "source,target\n0,1\n1,2\n", n: 3,
			ties: []string{"0-1", "1-2"}, want: ReadStats{Lines: 3, EdgesRead: 2, Header: "source,target"}},
		{name: "header of known names over word ids", edges: "from to weight\nann bob 2\nbob cy 1\n", n: 3, labels: []string{"ann", "bob", "cy"},
			ties: []string{"ann-bob", "bob-cy"}, want: ReadStats{Lines: 3, EdgesRead: 2, Header: "from to weight", IgnoredColumns: 2}},
		{name: "first line of words before numbers is a header", edges: "key1 key2\n# a comment\n3 4\n4 5\n", n: 3, labels: []string{"3", "4", "5"},
			ties: []string{"3-4", "4-5"}, want: ReadStats{Lines: 4, EdgesRead: 2, Header: "key1 key2"}},
		{name: "only the first line can be a header", edges: "# a comment\nsource target\n3 4\n", n: 4, labels: []string{"source", "target", "3", "4"},
			ties: []string{"3-4", "source-target"}, want: ReadStats{Lines: 3, EdgesRead: 2}},
		{name: "a declared node after a first line of words", edges: "A0 0A\n# node: 7\n8 9\n", n: 5, labels: []string{"A0", "0A", "7", "8", "9"},
			ties: []string{"0A-A0", "8-9"}, want: ReadStats{Lines: 3, EdgesRead: 2}},
		{name: "first line of words before words is an edge", edges: "ann bob\nbob cy\n", n: 3, labels: []string{"ann", "bob", "cy"},
			ties: []string{"ann-bob", "bob-cy"}, want: ReadStats{Lines: 2, EdgesRead: 2}},
		{name: "words with a minus sign are ids", edges: "-a b\n-1x -a\n", n: 3, labels: []string{"-a", "b", "-1x"},
			ties: []string{"-1x--a", "-a-b"}, want: ReadStats{Lines: 2, EdgesRead: 2}},
		{name: "one line of words is an edge", edges: "ann bob\n", n: 2, labels: []string{"ann", "bob"},
			ties: []string{"ann-bob"}, want: ReadStats{Lines: 1, EdgesRead: 1}},
		{name: "weights ignored and counted", edges: "0 1 0.5\n1 2\n2 0 7 1600000000\n", n: 3,
			ties: []string{"0-1", "0-2", "1-2"}, want: ReadStats{Lines: 3, EdgesRead: 3, IgnoredColumns: 2}},
		{name: "relations kept, nodes of others kept", edges: "who whom relation\n1 2 advice\n2 3 friend\n1 2 friend\n3 4 advice 0.9\n",
			opt: ReadOptions{Relations: []string{"advice"}}, n: 4, labels: []string{"1", "2", "3", "4"},
			ties: []string{"1-2", "3-4"}, want: ReadStats{Lines: 5, EdgesRead: 4, Header: "who whom relation", OtherRelations: 2, IgnoredColumns: 1}},
		{name: "relations merged: repeated pairs are duplicates", edges: "1 2 advice\n2 1 friend\n1 2 discussion\n",
			opt: ReadOptions{Relations: []string{"advice", "friend", "discussion"}}, n: 2, labels: []string{"1", "2"},
			ties: []string{"1-2"}, want: ReadStats{Lines: 3, EdgesRead: 3, Duplicates: 2}},
		{name: "node list keeps isolated nodes in its order", edges: "3 1\n1 3\n", nodes: "id,town\n1,1\n2,1\n3,2\n7,2\n",
			opt: ReadOptions{Nodes: "nodes.csv"}, n: 4, labels: []string{"1", "2", "3", "7"},
			ties: []string{"1-3"}, want: ReadStats{Lines: 2, EdgesRead: 2, Duplicates: 1, NodesPath: "nodes.csv", NodesHeader: "id,town"}},
		{name: "node list without header, words", edges: "b a\n", nodes: "# doctors\nc\na\nb\n",
			opt: ReadOptions{Nodes: "nodes.csv"}, n: 3, labels: []string{"c", "a", "b"},
			ties: []string{"a-b"}, want: ReadStats{Lines: 1, EdgesRead: 1, NodesPath: "nodes.csv"}},
		{name: "target to source: who hears whom", edges: "1 2\n1 3\n3 1\n1 2\n2 2\n",
			opt: ReadOptions{Direction: DirectionTargetToSource}, n: 3, labels: []string{"1", "2", "3"},
			ties: []string{"1>3", "2>1", "3>1"}, want: ReadStats{Lines: 5, EdgesRead: 5, SelfLoops: 1, Duplicates: 1, Direction: DirectionTargetToSource}},
		{name: "source to target", edges: "0 1\n0 2\n2 0\n", opt: ReadOptions{Direction: DirectionSourceToTarget}, n: 3,
			ties: []string{"0>1", "0>2", "2>0"}, want: ReadStats{Lines: 3, EdgesRead: 3, Direction: DirectionSourceToTarget}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opt := c.opt
			opt.FS = networkFiles("edges.txt", c.edges, "nodes.csv", c.nodes)
			g, st, err := ReadNetwork("edges.txt", opt)
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			want.Path, want.Nodes = "edges.txt", c.n
			want.SHA256 = fmt.Sprintf("%x", sha256.Sum256([]byte(c.edges)))
			if c.nodes != "" {
				want.NodesSHA256 = fmt.Sprintf("%x", sha256.Sum256([]byte(c.nodes)))
			}
			if want.Direction == "" {
				want.Direction = DirectionBoth
			}
			if st != want {
				t.Errorf("stats %+v\nwant  %+v", st, want)
			}
			if in := g.Input(); in == nil || *in != st {
				t.Errorf("graph keeps input %+v, want %+v", in, st)
			}
			ties := labelledEdges(g)
			if g.Directed() {
				ties = arcList(g)
				checkDirected(t, g)
			} else {
				checkInvariants(t, g)
			}
			if g.N() != c.n || !slices.Equal(g.Labels(), c.labels) || !slices.Equal(ties, c.ties) {
				t.Errorf("got n %d, labels %q, ties %q; want %d, %q, %q", g.N(), g.Labels(), ties, c.n, c.labels, c.ties)
			}
		})
	}
}

// networkFiles holds an edge list and, unless its text is empty, a node
// list.
func networkFiles(edgesName, edges, nodesName, nodes string) fstest.MapFS {
	files := fstest.MapFS{edgesName: {Data: []byte(edges)}}
	if nodes != "" {
		files[nodesName] = &fstest.MapFile{Data: []byte(nodes)}
	}
	return files
}

// checkDirected asserts what a directed graph promises: rows strictly
// increasing, no self-loops, ids in range, M the number of ties.
func checkDirected(t *testing.T, g *Graph) {
	t.Helper()
	var ties int64
	for u := range g.N() {
		row := g.Neighbors(u)
		ties += int64(len(row))
		for j, v := range row {
			if int(v) == u || v < 0 || int(v) >= g.N() || (j > 0 && row[j-1] >= v) {
				t.Fatalf("node %d: bad row %v", u, row)
			}
			if !g.HasEdge(u, int(v)) {
				t.Fatalf("HasEdge(%d, %d) is false for a tie of the row", u, v)
			}
		}
	}
	if ties != g.M() || g.MeanDegree() != float64(ties)/float64(g.N()) {
		t.Fatalf("M %d, mean degree %g for %d ties", g.M(), g.MeanDegree(), ties)
	}
}

// TestReadNetworkErrors: each mistake is one message naming the file, the
// line and what was expected.
func TestReadNetworkErrors(t *testing.T) {
	cases := []struct {
		name, edges, nodes string
		opt                ReadOptions
		want               string
	}{
		{name: "negative id", edges: "0 1\n1 -2\n",
			want: `graph: e.txt:2: found "1 -2"; node id -2 is negative; want ids of 0 or more, or words`},
		{name: "negative first id after a header", edges: "source target\n-1 0\n",
			want: `graph: e.txt:2: found "-1 0"; node id -1 is negative; want ids of 0 or more, or words`},
		{name: "header alone", edges: "source,target\n",
			want: `graph: e.txt: no edges found after the header "source,target"`},
		{name: "one id after a header", edges: "source,target\n4\n",
			want: `graph: e.txt:2: found "4"; want two node ids separated by spaces, tabs or a comma`},
		{name: "node not listed", edges: "1 2\n2 9\n", nodes: "1\n2\n3\n", opt: ReadOptions{Nodes: "n.txt"},
			want: `graph: e.txt:2: node 9 is not in the node list n.txt; want every node of an edge listed there`},
		{name: "word not listed", edges: "1 x\n", nodes: "1\n2\n", opt: ReadOptions{Nodes: "n.txt"},
			want: `graph: e.txt:1: node x is not in the node list n.txt; want every node of an edge listed there`},
		{name: "node listed twice", edges: "1 2\n", nodes: "id\n1\n2\n1\n", opt: ReadOptions{Nodes: "n.txt"},
			want: `graph: n.txt:4: node 1 is listed twice; want each node once`},
		{name: "negative listed node", edges: "1 2\n", nodes: "1\n-2\n", opt: ReadOptions{Nodes: "n.txt"},
			want: `graph: n.txt:2: node id -2 is negative; want ids of 0 or more, or words`},
		{name: "empty node list", edges: "1 2\n", nodes: "# nobody\n", opt: ReadOptions{Nodes: "n.txt"},
			want: `graph: n.txt: no nodes found`},
		{name: "missing node list", edges: "1 2\n", opt: ReadOptions{Nodes: "none.txt"},
			want: `graph: cannot open node list: open none.txt: file does not exist`},
		{name: "no relation column", edges: "1 2 advice\n2 3\n", opt: ReadOptions{Relations: []string{"advice"}},
			want: `graph: e.txt:2: found "2 3"; want a third column naming the relation (keeping advice)`},
		{name: "relation never found", edges: "1 2 advice\n2 3 friend\n", opt: ReadOptions{Relations: []string{"advice", "advise"}},
			want: `graph: e.txt: no edge line has the relation "advise"; want one of those the file has: advice, friend`},
		{name: "unknown direction", edges: "1 2\n", opt: ReadOptions{Direction: "up"},
			want: `graph: direction must be one of both, source_to_target, target_to_source: "up"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opt := c.opt
			opt.FS = networkFiles("e.txt", c.edges, "n.txt", c.nodes)
			_, _, err := ReadNetwork("e.txt", opt)
			if err == nil || err.Error() != c.want {
				t.Errorf("error %v\nwant  %s", err, c.want)
			}
		})
	}
}

// TestDirectedRoundTripAndStats: a directed graph written and read back
// with source_to_target is identical, and its components and clustering
// are those of its ties taken both ways.
func TestDirectedRoundTripAndStats(t *testing.T) {
	text := "a b\nb c\nc a\nd e\n# node: lonely\n"
	g, _, err := ReadNetwork("e.txt", ReadOptions{Direction: DirectionSourceToTarget, FS: fstest.MapFS{"e.txt": {Data: []byte(text)}}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteEdgeList(&b, g); err != nil {
		t.Fatal(err)
	}
	h, _, err := ReadNetwork("w.txt", ReadOptions{Direction: DirectionSourceToTarget, FS: fstest.MapFS{"w.txt": {Data: b.Bytes()}}})
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if !slices.Equal(arcList(g), arcList(h)) || !slices.Equal(g.Labels(), h.Labels()) {
		t.Errorf("read back %q %q, want %q %q\n%s", arcList(h), h.Labels(), arcList(g), g.Labels(), b.String())
	}
	s := Compute(g, 0, nil)
	if !s.Directed || s.M != 4 || s.Components != 3 || s.LargestComponent != 3 || s.Clustering != 0.5 {
		t.Errorf("stats %+v; want directed, 4 ties, 3 components, the largest 3, clustering 3/6", s)
	}
}
