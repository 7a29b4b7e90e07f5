package graph

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// ReadStats describes what reading an edge list found.
type ReadStats struct {
	Lines      int64 `json:"lines"`      // lines read, comments included
	EdgesRead  int64 `json:"edges_read"` // edge lines, before dropping
	SelfLoops  int64 `json:"self_loops"` // edge lines tying a node to itself, dropped
	Duplicates int64 `json:"duplicates"` // repeated edges (either direction), dropped
	// DeclaredNodes is N from a "# nodes: N" header line, 0 when absent.
	DeclaredNodes int  `json:"declared_nodes,omitempty"`
	Gzip          bool `json:"gzip,omitempty"`
}

// readLimits bound what a file may ask for; tests lower them so that fuzzed
// headers cannot ask for gigabytes.
type readLimits struct {
	maxNodes  int
	maxLine   int
	denseBase int64 // see idMap.denseLimit
}

var defaultLimits = readLimits{maxNodes: MaxNodes, maxLine: 1 << 20, denseBase: 1 << 22}

// pairChunk is the largest chunk of edge ends the reader allocates (16 MB).
const pairChunk = 1 << 22

const edgeLineWant = "want two node ids separated by spaces, tabs or a comma"

// ReadEdgeList reads an undirected graph from an edge-list file (SNAP or
// KONECT style, optionally gzip-compressed); see the package documentation
// for the format. A missing file, a bad line or a file without edges is an
// error naming the file (and the line).
func ReadEdgeList(path string) (*Graph, ReadStats, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ReadStats{}, fmt.Errorf("graph: cannot open edge list: %w", err)
	}
	defer f.Close()
	return readEdgeList(f, path, defaultLimits)
}

// ReadEdgeListFrom reads an edge list from r; name is used in errors.
func ReadEdgeListFrom(r io.Reader, name string) (*Graph, ReadStats, error) {
	return readEdgeList(r, name, defaultLimits)
}

func readEdgeList(r io.Reader, name string, lim readLimits) (*Graph, ReadStats, error) {
	var st ReadStats
	br := bufio.NewReaderSize(r, 1<<16)
	var src io.Reader = br
	// The magic bytes decide, whatever the name says: a .gz name on plain
	// text still reads, and a compressed file without the suffix too.
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, st, fmt.Errorf("graph: %s:1: cannot decompress gzip data: %v", name, err)
		}
		defer zr.Close()
		src = zr
		st.Gzip = true
	}
	sc := bufio.NewScanner(src)
	sc.Buffer(make([]byte, 0, 1<<16), lim.maxLine)
	ids := newIDMap(lim.maxNodes, lim.denseBase)
	// Pairs go into chunks that are never copied to grow: memory stays
	// near the pairs' own size, about the final graph's.
	var chunks [][]int32
	ends := make([]int32, 0, 1<<12)
	var pairs int64
	lineErr := func(format string, args ...any) error {
		return fmt.Errorf("graph: %s:%d: %s", name, st.Lines, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		st.Lines++
		line := sc.Bytes()
		if st.Lines == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		rest := skipSeparators(line)
		if len(rest) == 0 {
			continue
		}
		if rest[0] == '#' || rest[0] == '%' {
			if err := readDirective(line, rest[1:], ids, &st, lim, lineErr); err != nil {
				return nil, st, err
			}
			continue
		}
		first, rest := nextToken(rest)
		second, _ := nextToken(rest)
		if second == nil {
			return nil, st, lineErr("found %s; %s", quote(line), edgeLineWant)
		}
		u, err := ids.lookup(first)
		if err != nil {
			return nil, st, lineErr("%v", err)
		}
		v, err := ids.lookup(second)
		if err != nil {
			return nil, st, lineErr("%v", err)
		}
		st.EdgesRead++
		if u == v {
			st.SelfLoops++
			continue
		}
		if 2*pairs+2 > MaxEdgeEnds {
			return nil, st, lineErr("%v", errTooManyEnds)
		}
		if len(ends) == cap(ends) {
			chunks = append(chunks, ends)
			ends = make([]int32, 0, min(2*cap(ends), pairChunk))
		}
		ends = append(ends, u, v)
		pairs++
	}
	if err := sc.Err(); err != nil {
		st.Lines++
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, st, lineErr("line longer than %d bytes; %s", lim.maxLine, edgeLineWant)
		}
		return nil, st, lineErr("cannot read: %v", err)
	}
	if pairs == 0 && st.DeclaredNodes == 0 {
		return nil, st, fmt.Errorf("graph: %s: no edges found", name)
	}
	chunks = append(chunks, ends)
	n, labels, numericIDs := ids.finish(chunks, st.DeclaredNodes)
	g, er, _, err := buildChunks(n, chunks, false)
	if err != nil {
		return nil, st, fmt.Errorf("graph: %s: %w", name, err)
	}
	st.Duplicates = er.MultiEdges
	g.labels, g.ids = labels, numericIDs
	return g, st, nil
}

func isSeparator(c byte) bool {
	return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\v' || c == '\f'
}

func skipSeparators(b []byte) []byte {
	i := 0
	for i < len(b) && isSeparator(b[i]) {
		i++
	}
	return b[i:]
}

// nextToken splits off the first token of b; it is nil when there is none.
func nextToken(b []byte) (tok, rest []byte) {
	b = skipSeparators(b)
	if len(b) == 0 {
		return nil, nil
	}
	i := 0
	for i < len(b) && !isSeparator(b[i]) {
		i++
	}
	return b[:i], b[i:]
}

func quote(line []byte) string {
	const most = 80
	if len(line) > most {
		return strconv.Quote(string(line[:most])) + "..."
	}
	return strconv.Quote(string(line))
}

// readDirective honours the comment lines "# nodes: N" (the node count,
// isolated nodes included) and "# node: ID" (declares a node, fixing its
// place in the order of first appearance); other comments are ignored.
func readDirective(line, c []byte, ids *idMap, st *ReadStats, lim readLimits, lineErr func(string, ...any) error) error {
	c = skipSeparators(c)
	switch {
	case hasPrefixFold(c, "nodes:"):
		tok, _ := nextToken(c[len("nodes:"):])
		if !isDecimal(tok) {
			return nil // some other "nodes:" remark
		}
		declared, err := strconv.ParseInt(string(tok), 10, 64)
		if err != nil || declared > int64(lim.maxNodes) {
			return lineErr("found %s; want a node count of at most %d", quote(line), lim.maxNodes)
		}
		st.DeclaredNodes = max(st.DeclaredNodes, int(declared))
	case hasPrefixFold(c, "node:"):
		if tok, _ := nextToken(c[len("node:"):]); tok != nil {
			if _, err := ids.lookup(tok); err != nil {
				return lineErr("%v", err)
			}
		}
	}
	return nil
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

func isDecimal(tok []byte) bool {
	if len(tok) == 0 {
		return false
	}
	for _, c := range tok {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// maxNumericDigits bounds ids read as numbers; longer digit strings are labels.
const maxNumericDigits = 18

// idMap assigns node indices in order of first appearance. While every id
// is a number it keeps them as int64, in a dense table while they are small
// and a map otherwise; the first id that is not a number turns every id so
// far into a string label. Numbers are compared as numbers ("007" is 7) in
// both modes.
type idMap struct {
	maxNodes  int
	denseBase int64
	dense     []int32 // id -> index+1, 0 when unseen
	sparse    map[int64]int32
	ids       []int64
	maxID     int64
	strs      map[string]int32 // nil while every id is a number
	labels    []string
	scratch   []byte
}

func newIDMap(maxNodes int, denseBase int64) *idMap {
	return &idMap{maxNodes: maxNodes, denseBase: denseBase, maxID: -1}
}

func (m *idMap) count() int {
	if m.strs != nil {
		return len(m.labels)
	}
	return len(m.ids)
}

func (m *idMap) full() error {
	if m.count() >= m.maxNodes {
		return fmt.Errorf("more than %d distinct nodes", m.maxNodes)
	}
	return nil
}

func (m *idMap) lookup(tok []byte) (int32, error) {
	id, numeric := parseID(tok)
	if m.strs == nil && numeric {
		return m.lookupNumber(id)
	}
	if m.strs == nil {
		m.toStrings()
	}
	if numeric {
		m.scratch = strconv.AppendInt(m.scratch[:0], id, 10)
		tok = m.scratch
	}
	if i, ok := m.strs[string(tok)]; ok {
		return i, nil
	}
	if err := m.full(); err != nil {
		return 0, err
	}
	i := int32(len(m.labels))
	label := string(tok)
	m.strs[label] = i
	m.labels = append(m.labels, label)
	return i, nil
}

// parseID reads tok as a non-negative number of at most
// maxNumericDigits digits.
func parseID(tok []byte) (int64, bool) {
	if len(tok) == 0 || len(tok) > maxNumericDigits {
		return 0, false
	}
	var id int64
	for _, c := range tok {
		if c < '0' || c > '9' {
			return 0, false
		}
		id = 10*id + int64(c-'0')
	}
	return id, true
}

// denseLimit is how large an id the dense table may index: a table of at
// most 8 entries per node so far, or of denseBase entries (4M, 16 MB)
// whatever the count.
func (m *idMap) denseLimit() int64 { return max(m.denseBase, 8*int64(len(m.ids)+1)) }

func (m *idMap) lookupNumber(id int64) (int32, error) {
	if m.sparse == nil {
		if id < int64(len(m.dense)) {
			if i := m.dense[id]; i > 0 {
				return i - 1, nil
			}
		} else if limit := m.denseLimit(); id < limit {
			grown := min(max(id+1, 2*int64(len(m.dense))), limit)
			m.dense = append(m.dense, make([]int32, grown-int64(len(m.dense)))...)
		} else {
			m.sparse = make(map[int64]int32, len(m.ids))
			for i, x := range m.ids {
				m.sparse[x] = int32(i)
			}
			m.dense = nil
		}
	}
	if m.sparse != nil {
		if i, ok := m.sparse[id]; ok {
			return i, nil
		}
	}
	if err := m.full(); err != nil {
		return 0, err
	}
	i := int32(len(m.ids))
	m.ids = append(m.ids, id)
	m.maxID = max(m.maxID, id)
	if m.sparse == nil {
		m.dense[id] = i + 1
		return i, nil
	}
	m.sparse[id] = i
	if m.maxID < m.denseLimit() {
		// Enough nodes have come for their ids to be indexed densely
		// again: lookups in a large map are several times slower.
		m.dense = make([]int32, m.maxID+1)
		for j, x := range m.ids {
			m.dense[x] = int32(j) + 1
		}
		m.sparse = nil
	}
	return i, nil
}

func (m *idMap) toStrings() {
	m.strs = make(map[string]int32, len(m.ids))
	m.labels = make([]string, len(m.ids))
	for i, id := range m.ids {
		m.labels[i] = strconv.FormatInt(id, 10)
		m.strs[m.labels[i]] = int32(i)
	}
	m.ids, m.dense, m.sparse = nil, nil, nil
}

// finish fixes the node count and the labels. Numeric ids already
// numbering the nodes from 0 (every id below the declared node count, or
// ids exactly 0..n-1) are used as they are, with no labels, so a written
// graph reads back identical, isolated nodes included; otherwise nodes
// keep their order of first appearance and their ids become labels. It
// rewrites the pairs to the final indices.
func (m *idMap) finish(chunks [][]int32, declared int) (n int, labels []string, ids []int64) {
	if m.strs != nil {
		return len(m.labels), m.labels, nil
	}
	distinct := len(m.ids)
	switch {
	case declared > 0 && m.maxID < int64(declared):
		n = declared
	case m.maxID+1 == int64(distinct):
		n = distinct
	default:
		return distinct, nil, m.ids
	}
	for _, ends := range chunks {
		for i, x := range ends {
			ends[i] = int32(m.ids[x])
		}
	}
	return n, nil, nil
}

// WriteEdgeList writes g as an edge list that ReadEdgeList reads back as
// the identical graph: a "#" header giving the node and edge counts, then
// each edge once as "u v" with u < v, by node index, or by label when g has
// labels. Isolated nodes cannot appear on an edge line: for an unlabelled
// graph the "# nodes: N" header keeps them (the reader honours it); for a
// labelled graph "# node: LABEL" lines declare nodes that would otherwise
// appear out of order or not at all. A complete graph is written edge by
// edge, which is refused when it would not fit a stored graph.
func WriteEdgeList(w io.Writer, g *Graph) error {
	if 2*g.M() > MaxEdgeEnds {
		return fmt.Errorf("graph: too many edges to write as an edge list: %d", g.M())
	}
	labelled := g.hasLabels()
	var labels []string
	if labelled {
		labels = g.Labels()
		for _, l := range labels {
			if tok, rest := nextToken([]byte(l)); l == "" || len(tok) != len(l) || len(rest) != 0 {
				return fmt.Errorf("graph: node label cannot be written in an edge list: %q", l)
			}
		}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "# pushpull graph: undirected, one line per edge\n# nodes: %d\n# edges: %d\n", g.N(), g.M())
	if labelled {
		bw.WriteString("# node ids are labels; \"# node: ID\" lines fix the order of nodes\n")
	}
	buf := make([]byte, 0, 64)
	next := 0 // labelled: nodes 0..next-1 have appeared, in order
	declare := func(upTo int) {
		for ; next <= upTo; next++ {
			buf = append(buf[:0], "# node: "...)
			buf = append(buf, labels[next]...)
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	// appear keeps first appearances in index order: the line "a b" may
	// introduce the next node, then the one after; anything else is
	// declared before the line.
	appear := func(a, b int) {
		expect := next
		inOrder := true
		for _, x := range [2]int{a, b} {
			if x >= next {
				inOrder = inOrder && x == expect
				expect++
			}
		}
		if inOrder {
			next = expect
			return
		}
		declare(max(a, b))
	}
	writeEdge := func(u, v int) error {
		if !labelled {
			buf = strconv.AppendInt(buf[:0], int64(u), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(v), 10)
			buf = append(buf, '\n')
			_, err := bw.Write(buf)
			return err
		}
		a, b := u, v
		if c := labels[a][0]; c == '#' || c == '%' {
			a, b = b, a
			if c := labels[a][0]; c == '#' || c == '%' {
				return fmt.Errorf("graph: no label of edge %q-%q can start an edge line", labels[u], labels[v])
			}
		}
		appear(a, b)
		buf = append(buf[:0], labels[a]...)
		buf = append(buf, ' ')
		buf = append(buf, labels[b]...)
		buf = append(buf, '\n')
		_, err := bw.Write(buf)
		return err
	}
	for u := range g.N() {
		if g.complete {
			for v := u + 1; v < g.N(); v++ {
				if err := writeEdge(u, v); err != nil {
					return err
				}
			}
			continue
		}
		for _, v := range g.Neighbors(u) {
			if int(v) > u {
				if err := writeEdge(u, int(v)); err != nil {
					return err
				}
			}
		}
	}
	if labelled {
		declare(g.N() - 1) // isolated nodes left at the end
	}
	return bw.Flush()
}
