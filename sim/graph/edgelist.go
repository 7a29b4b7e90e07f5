package graph

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ReadStats describes what reading an edge list (and its node list)
// found: what was read, and what was dropped or ignored on the way.
type ReadStats struct {
	// Path and SHA256 name the edge list and the SHA-256 of its bytes (as
	// stored, compressed when gzip), so that a run on another file is
	// detectable; empty when read from a stream.
	Path   string `json:"path,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	// Nodes is the graph's node count, isolated nodes included.
	Nodes      int   `json:"nodes"`
	Lines      int64 `json:"lines"`      // lines read, comments included
	EdgesRead  int64 `json:"edges_read"` // edge lines, before dropping
	SelfLoops  int64 `json:"self_loops"` // edge lines tying a node to itself, dropped
	Duplicates int64 `json:"duplicates"` // repeated ties (either direction unless directed), dropped
	// Header is a first line of column names, recognised and skipped.
	Header string `json:"header,omitempty"`
	// IgnoredColumns counts edge lines with columns beyond the two ids
	// (and the relation, when relations are chosen): weights,
	// timestamps. They are not used: every tie counts the same.
	IgnoredColumns int64 `json:"ignored_columns,omitempty"`
	// OtherRelations counts edge lines of relations not kept.
	OtherRelations int64 `json:"other_relations,omitempty"`
	// Direction is how ties carry word: DirectionBoth, or one way.
	Direction string `json:"direction,omitempty"`
	// NodesPath, NodesSHA256 and NodesHeader describe the node list,
	// when one was read.
	NodesPath   string `json:"nodes_path,omitempty"`
	NodesSHA256 string `json:"nodes_sha256,omitempty"`
	NodesHeader string `json:"nodes_header,omitempty"`
	// DeclaredNodes is N from a "# nodes: N" header line, 0 when absent.
	DeclaredNodes int  `json:"declared_nodes,omitempty"`
	Gzip          bool `json:"gzip,omitempty"`
}

// How the ties of an edge list carry word of mouth.
const (
	// DirectionBoth: a line "a b" ties a and b, each hearing the other.
	DirectionBoth = "both"
	// DirectionSourceToTarget: a line "a b" carries a's word to b.
	DirectionSourceToTarget = "source_to_target"
	// DirectionTargetToSource: a line "a b" carries b's word to a, as
	// in nominations ("a names b as an adviser": a listens to b) and
	// followers ("a follows b").
	DirectionTargetToSource = "target_to_source"
)

// Directions lists the directions an edge list can be read with.
var Directions = []string{DirectionBoth, DirectionSourceToTarget, DirectionTargetToSource}

// ReadOptions say how to read a network beyond its edge list's path.
type ReadOptions struct {
	// Nodes names a node-list file: one node id a line, its first column
	// (further columns are ignored), read before the edges. Its nodes are
	// the graph's, in its order, those on no edge isolated; an edge whose
	// node it does not list is an error. "" reads the edge list alone.
	Nodes string
	// Relations keeps only the edge lines whose third column is one of
	// these words; nil reads no relation column and keeps every line.
	Relations []string
	// Direction is one of Directions; "" is DirectionBoth.
	Direction string
	// FS holds the files named by relative paths; nil, and absolute
	// paths, read them from the operating system.
	FS fs.FS
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
	return ReadNetwork(path, ReadOptions{})
}

// ReadEdgeListFrom reads an edge list from r; name is used in errors.
func ReadEdgeListFrom(r io.Reader, name string) (*Graph, ReadStats, error) {
	return readNetwork(r, name, nil, ReadOptions{}, defaultLimits)
}

// ReadNetwork reads a graph from an edge-list file and, when opt names
// one, a node list; the graph keeps what reading found (Input), the
// files' SHA-256 included.
func ReadNetwork(path string, opt ReadOptions) (*Graph, ReadStats, error) {
	if !slices.Contains(append(Directions, ""), opt.Direction) {
		return nil, ReadStats{}, fmt.Errorf("graph: direction must be one of %s: %q", strings.Join(Directions, ", "), opt.Direction)
	}
	var ids *idMap
	var nodes ReadStats
	if opt.Nodes != "" {
		err := readHashed(opt.FS, opt.Nodes, "node list", &nodes.NodesSHA256, func(r io.Reader) error {
			var err error
			ids, nodes.NodesHeader, err = readNodeList(r, opt.Nodes, defaultLimits)
			return err
		})
		if err != nil {
			return nil, ReadStats{}, err
		}
		nodes.NodesPath = opt.Nodes
	}
	var g *Graph
	var st ReadStats
	var sum string
	err := readHashed(opt.FS, path, "edge list", &sum, func(r io.Reader) error {
		var err error
		g, st, err = readNetwork(r, path, ids, opt, defaultLimits)
		return err
	})
	if err != nil {
		return nil, st, err
	}
	st.Path, st.SHA256 = path, sum
	st.NodesPath, st.NodesSHA256, st.NodesHeader = nodes.NodesPath, nodes.NodesSHA256, nodes.NodesHeader
	input := st
	g.input = &input
	return g, st, nil
}

// readHashed opens path (in fsys, or on disk when fsys is nil or path
// absolute), gives it
// to read and sets *sum to the hex SHA-256 of every byte of the file.
func readHashed(fsys fs.FS, path, what string, sum *string, read func(io.Reader) error) error {
	open := func() (io.ReadCloser, error) {
		if fsys != nil && !filepath.IsAbs(path) {
			return fsys.Open(filepath.ToSlash(path))
		}
		return os.Open(path)
	}
	f, err := open()
	if err != nil {
		return fmt.Errorf("graph: cannot open %s: %w", what, err)
	}
	defer f.Close()
	// The file is hashed from a second reader on another core while the
	// first is parsed: hashing in line would add about a quarter to the
	// time a large edge list takes to read.
	type hashed struct {
		sum string
		err error
	}
	done := make(chan hashed, 1)
	go func() {
		g, err := open()
		if err != nil {
			done <- hashed{err: err}
			return
		}
		defer g.Close()
		h := sha256.New()
		_, err = io.Copy(h, g)
		done <- hashed{sum: hex.EncodeToString(h.Sum(nil)), err: err}
	}()
	err = read(f)
	result := <-done
	if err != nil {
		return err
	}
	if result.err != nil {
		return fmt.Errorf("graph: cannot read %s %s: %w", what, path, result.err)
	}
	*sum = result.sum
	return nil
}

// textLines reads the lines of a text file, gzip-compressed or not,
// skipping blank lines and a byte order mark.
type textLines struct {
	sc      *bufio.Scanner
	name    string
	line    int64
	maxLine int
	close   func() error
	gzip    bool
}

func newTextLines(r io.Reader, name string, lim readLimits) (*textLines, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	t := &textLines{name: name, maxLine: lim.maxLine, close: func() error { return nil }}
	var src io.Reader = br
	// The magic bytes decide, whatever the name says: a .gz name on plain
	// text still reads, and a compressed file without the suffix too.
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("graph: %s:1: cannot decompress gzip data: %v", name, err)
		}
		src, t.close, t.gzip = zr, zr.Close, true
	}
	t.sc = bufio.NewScanner(src)
	t.sc.Buffer(make([]byte, 0, 1<<16), lim.maxLine)
	return t, nil
}

// next returns the next line that is not blank, and the line from its
// first id (or comment mark) on; ok is false at the end or on an error.
func (t *textLines) next() (line, rest []byte, ok bool) {
	for t.sc.Scan() {
		t.line++
		line = t.sc.Bytes()
		if t.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if rest = skipSeparators(line); len(rest) > 0 {
			return line, rest, true
		}
	}
	return nil, nil, false
}

// err reports why next stopped, nil at the end of the file.
func (t *textLines) err() error {
	err := t.sc.Err()
	if err == nil {
		return nil
	}
	t.line++
	if errors.Is(err, bufio.ErrTooLong) {
		return t.errorf("line longer than %d bytes; %s", t.maxLine, edgeLineWant)
	}
	return t.errorf("cannot read: %v", err)
}

func (t *textLines) errorf(format string, args ...any) error {
	return t.errorAt(t.line, format, args...)
}

func (t *textLines) errorAt(line int64, format string, args ...any) error {
	return fmt.Errorf("graph: %s:%d: %s", t.name, line, fmt.Sprintf(format, args...))
}

// headerNames are column names that make the first line of a file a
// header at once, even in a file whose ids are words; another first line
// of words is a header when the next line holds numbers. Only the file's
// first line can be a header: a file that starts with a comment, as SNAP's
// and what WriteEdgeList writes, has none.
var headerNames = []string{"source", "target", "from", "to", "src", "dst", "who", "whom", "ego", "alter",
	"node", "node1", "node2", "id", "id1", "id2", "source_id", "target_id", "name", "label", "customer", "customer_id"}

func isHeaderName(tok []byte) bool {
	for _, h := range headerNames {
		if bytes.EqualFold(tok, []byte(h)) {
			return true
		}
	}
	return false
}

// isWord reports whether tok is an id that is not a number.
func isWord(tok []byte) bool {
	_, numeric := parseID(tok)
	return !numeric && !isNegative(tok)
}

// isNegative reports whether tok is a negative whole number.
func isNegative(tok []byte) bool {
	return len(tok) > 1 && tok[0] == '-' && isDecimal(tok[1:])
}

// headerKind says what the first data line of a file can be: a header
// (its first ids are known column names), perhaps one (they are words:
// the next line decides), or data.
func headerKind(toks ...[]byte) (sure, maybe bool) {
	sure, maybe = true, true
	for _, tok := range toks {
		if tok == nil || !isWord(tok) {
			return false, false
		}
		sure = sure && isHeaderName(tok)
	}
	return sure, maybe
}

func checkID(tok []byte) error {
	if isNegative(tok) {
		return fmt.Errorf("node id %s is negative; want ids of 0 or more, or words", tok)
	}
	return nil
}

// readIDList reads a list of ids, one a line in its first column (further
// columns are ignored), a header line allowed, # and % comments; it gives
// each id with its line to add and returns the header.
func readIDList(r io.Reader, name string, lim readLimits, add func(t *textLines, tok []byte, line int64) error) (string, error) {
	t, err := newTextLines(r, name, lim)
	if err != nil {
		return "", err
	}
	defer t.close()
	var header string
	// A first line of words is held until the next line shows whether
	// it names the columns.
	var pending, pendingText []byte
	for {
		line, rest, ok := t.next()
		if !ok {
			break
		}
		if rest[0] == '#' || rest[0] == '%' {
			continue
		}
		tok, _ := nextToken(rest)
		if t.line == 1 {
			if sure, maybe := headerKind(tok); sure {
				header = string(bytes.TrimSpace(line))
				continue
			} else if maybe {
				pending, pendingText = slices.Clone(tok), bytes.TrimSpace(slices.Clone(line))
				continue
			}
		}
		if pending != nil {
			if _, numeric := parseID(tok); numeric {
				header = string(pendingText)
			} else if err := add(t, pending, 1); err != nil {
				return "", err
			}
			pending = nil
		}
		if err := checkID(tok); err != nil {
			return "", t.errorf("%v", err)
		}
		if err := add(t, tok, t.line); err != nil {
			return "", err
		}
	}
	if err := t.err(); err != nil {
		return "", err
	}
	if pending != nil {
		if err := add(t, pending, 1); err != nil {
			return "", err
		}
	}
	return header, nil
}

// readNodeList reads a node list into a closed id map.
func readNodeList(r io.Reader, name string, lim readLimits) (*idMap, string, error) {
	ids := newIDMap(lim.maxNodes, lim.denseBase)
	header, err := readIDList(r, name, lim, func(t *textLines, tok []byte, line int64) error {
		before := ids.count()
		if _, err := ids.lookup(tok); err != nil {
			return t.errorAt(line, "%v", err)
		}
		if ids.count() == before {
			return t.errorAt(line, "node %s is listed twice; want each node once", tok)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if ids.count() == 0 {
		return nil, "", fmt.Errorf("graph: %s: no nodes found", name)
	}
	ids.closed = true
	return ids, header, nil
}

// ReadSeeds reads a list of g's nodes from a file, one id a line in its
// first column (as g's edge list or node list names them, or node indices
// for a generated graph), a header line allowed, # and % comments, and
// returns their indices in the file's order. An id that is no node of g,
// or one listed twice, is an error naming the line. fsys holds the file
// when path is relative; nil reads from the operating system.
func ReadSeeds(fsys fs.FS, path string, g *Graph) ([]int32, error) {
	index := map[string]int32{}
	if g.hasLabels() {
		for i := range g.N() {
			index[g.Label(i)] = int32(i)
		}
	}
	find := func(tok []byte) (int32, bool) {
		if !g.hasLabels() {
			id, numeric := parseID(tok)
			return int32(id), numeric && id < int64(g.N())
		}
		if id, numeric := parseID(tok); numeric {
			tok = strconv.AppendInt(nil, id, 10) // "007" names node 7
		}
		i, ok := index[string(tok)]
		return i, ok
	}
	var seeds []int32
	seen := map[int32]bool{}
	var discard string
	err := readHashed(fsys, path, "seed list", &discard, func(r io.Reader) error {
		_, err := readIDList(r, path, defaultLimits, func(t *textLines, tok []byte, line int64) error {
			i, ok := find(tok)
			switch {
			case !ok:
				return t.errorAt(line, "customer %s is not a node of the graph; want ids as the graph's files name them", tok)
			case seen[i]:
				return t.errorAt(line, "customer %s is listed twice; want each customer once", tok)
			}
			seen[i] = true
			seeds = append(seeds, i)
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(seeds) == 0 {
		return nil, fmt.Errorf("graph: %s: no customers found", path)
	}
	return seeds, nil
}

// idError says what is wrong with the id tok of an edge line: negative,
// not in the node list, or one too many; nil when it is a word that
// starts with a minus sign.
func idError(t *textLines, lineNo int64, line, tok []byte, err error, nodes string) error {
	if e := checkID(tok); e != nil {
		return t.errorAt(lineNo, "found %s; %v", quote(line), e)
	}
	if errors.Is(err, errUnlisted) {
		return t.errorAt(lineNo, "node %s is not in the node list %s; want every node of an edge listed there", tok, nodes)
	}
	if err != nil {
		return t.errorAt(lineNo, "%v", err)
	}
	return nil
}

func readNetwork(r io.Reader, name string, listed *idMap, opt ReadOptions, lim readLimits) (*Graph, ReadStats, error) {
	st := ReadStats{Direction: opt.Direction}
	if st.Direction == "" {
		st.Direction = DirectionBoth
	}
	t, err := newTextLines(r, name, lim)
	if err != nil {
		return nil, st, err
	}
	defer t.close()
	st.Gzip = t.gzip
	ids := listed
	if ids == nil {
		ids = newIDMap(lim.maxNodes, lim.denseBase)
	}
	keep := opt.Relations
	seen := map[string]bool{} // relations met, for the message when a kept one never is
	// Pairs go into chunks that are never copied to grow: memory stays
	// near the pairs' own size, about the final graph's.
	var chunks [][]int32
	ends := make([]int32, 0, 1<<12)
	var pairs int64
	edge := func(line []byte, lineNo int64, first, second, rest []byte) error {
		if second == nil {
			return t.errorAt(lineNo, "found %s; %s", quote(line), edgeLineWant)
		}
		u, err := ids.lookup(first)
		if err != nil || first[0] == '-' {
			if err := idError(t, lineNo, line, first, err, opt.Nodes); err != nil {
				return err
			}
		}
		v, err := ids.lookup(second)
		if err != nil || second[0] == '-' {
			if err := idError(t, lineNo, line, second, err, opt.Nodes); err != nil {
				return err
			}
		}
		st.EdgesRead++
		extra, rest := nextToken(rest)
		if keep != nil {
			if extra == nil {
				return t.errorAt(lineNo, "found %s; want a third column naming the relation (keeping %s)", quote(line), strings.Join(keep, ", "))
			}
			relation := string(extra)
			if !seen[relation] && len(seen) < 64 {
				seen[relation] = true
			}
			if !slices.Contains(keep, relation) {
				st.OtherRelations++
				return nil
			}
			extra, _ = nextToken(rest)
		}
		if extra != nil {
			st.IgnoredColumns++
		}
		if u == v {
			st.SelfLoops++
			return nil
		}
		if 2*pairs+2 > MaxEdgeEnds {
			return t.errorAt(lineNo, "%v", errTooManyEnds)
		}
		if len(ends) == cap(ends) {
			chunks = append(chunks, ends)
			ends = make([]int32, 0, min(2*cap(ends), pairChunk))
		}
		if opt.Direction == DirectionTargetToSource {
			u, v = v, u
		}
		ends = append(ends, u, v)
		pairs++
		return nil
	}
	// A first line of words is held until the next edge line shows
	// whether it names the columns.
	var pending []byte
	flush := func() error {
		if pending == nil {
			return nil
		}
		first, rest := nextToken(pending)
		second, rest := nextToken(rest)
		line := pending
		pending = nil
		return edge(line, 1, first, second, rest)
	}
	for {
		line, rest, ok := t.next()
		if !ok {
			break
		}
		if rest[0] == '#' || rest[0] == '%' {
			if hasPrefixFold(skipSeparators(rest[1:]), "node:") {
				// A declared node takes its place after the held line's.
				if err := flush(); err != nil {
					return nil, st, err
				}
			}
			if err := readDirective(line, rest[1:], ids, &st, lim, t.errorf); err != nil {
				return nil, st, err
			}
			continue
		}
		first, after := nextToken(rest)
		second, after := nextToken(after)
		if t.line == 1 {
			if sure, maybe := headerKind(first, second); sure {
				st.Header = string(bytes.TrimSpace(line))
				continue
			} else if maybe {
				pending = slices.Clone(line)
				continue
			}
		}
		if pending != nil {
			_, a := parseID(first)
			_, b := parseID(second)
			if a && b {
				st.Header, pending = string(bytes.TrimSpace(pending)), nil
			} else if err := flush(); err != nil {
				return nil, st, err
			}
		}
		if err := edge(line, t.line, first, second, after); err != nil {
			return nil, st, err
		}
	}
	if err := t.err(); err != nil {
		return nil, st, err
	}
	st.Lines = t.line
	if err := flush(); err != nil {
		return nil, st, err
	}
	for _, relation := range keep {
		if !seen[relation] && st.EdgesRead > 0 {
			found := slices.Sorted(maps.Keys(seen))
			return nil, st, fmt.Errorf("graph: %s: no edge line has the relation %q; want one of those the file has: %s", name, relation, strings.Join(found, ", "))
		}
	}
	if pairs == 0 && st.DeclaredNodes == 0 && listed == nil {
		if st.Header != "" {
			return nil, st, fmt.Errorf("graph: %s: no edges found after the header %q", name, st.Header)
		}
		return nil, st, fmt.Errorf("graph: %s: no edges found", name)
	}
	chunks = append(chunks, ends)
	declared := st.DeclaredNodes
	if listed != nil {
		declared = 0 // the node list decides the nodes
	}
	n, labels, numericIDs := ids.finish(chunks, declared)
	g, er, _, err := buildChunks(n, chunks, false, opt.Direction != "" && opt.Direction != DirectionBoth)
	if err != nil {
		return nil, st, fmt.Errorf("graph: %s: %w", name, err)
	}
	st.Duplicates = er.MultiEdges
	st.Nodes = n
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
	// closed maps hold a node list: an id not in them is an error.
	closed    bool
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

// errUnlisted is the lookup of an id a closed map does not hold.
var errUnlisted = errors.New("node not in the node list")

// full says whether another node may be added.
func (m *idMap) full() error {
	if m.closed {
		return errUnlisted
	}
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
// edge, which is refused when it would not fit a stored graph. A directed
// graph is written tie by tie, each from the node whose word it carries,
// and reads back identical with DirectionSourceToTarget.
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
	if g.directed {
		fmt.Fprintf(bw, "# pushpull graph: directed, one line per tie, the first node's word reaching the second (read with direction %s)\n# nodes: %d\n# edges: %d\n", DirectionSourceToTarget, g.N(), g.M())
	} else {
		fmt.Fprintf(bw, "# pushpull graph: undirected, one line per edge\n# nodes: %d\n# edges: %d\n", g.N(), g.M())
	}
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
			if g.directed {
				return fmt.Errorf("graph: the label %q cannot start an edge line", labels[a])
			}
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
			if int(v) > u || g.directed {
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
