package scenario

import (
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// A document is a scenario file as the TOML parser read it, with the line
// of every key, and the values --set put in on top. The scenario is always
// resolved from it afresh, so that a preset and the keys that override it
// apply in the same order whether they come from the file or a flag.
//
// Keys are addressed by index paths: brand[1].push.rate, where [1] is the
// position of the [[brand]] table in the file. Messages show them with
// brands and partners by name (display), as users write them with --set.
type document struct {
	file string
	// files holds the files the scenario names (graph.path), nil for
	// the operating system's.
	files fs.FS
	tree  map[string]any
	lines map[string]int    // index path -> line in the file
	from  map[string]string // index path -> the flag that set it
}

// clone copies the document deeply enough that putting values in the copy
// leaves the original as it was.
func (d *document) clone() *document {
	c := &document{file: d.file, files: d.files, tree: cloneValue(d.tree).(map[string]any), lines: d.lines, from: make(map[string]string, len(d.from))}
	for k, v := range d.from {
		c.from[k] = v
	}
	return c
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = cloneValue(e)
		}
		return m
	case []map[string]any:
		s := make([]map[string]any, len(x))
		for i, e := range x {
			s[i] = cloneValue(e).(map[string]any)
		}
		return s
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = cloneValue(e)
		}
		return s
	}
	return v
}

// tableList returns the tables of an array of tables, whichever way the
// file wrote it ([[brand]] headers or an array of inline tables).
func tableList(v any) ([]map[string]any, bool) {
	switch x := v.(type) {
	case []map[string]any:
		return x, true
	case []any:
		out := make([]map[string]any, len(x))
		for i, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out[i] = m
		}
		return out, true
	}
	return nil, false
}

// A step is one key of an index path, with the element it picks from an
// array of tables (-1 for none).
type step struct {
	key   string
	index int
}

func splitPath(path string) []step {
	var steps []step
	for seg := range strings.SplitSeq(path, ".") {
		key, idx := seg, -1
		if i := strings.IndexByte(seg, '['); i > 0 && strings.HasSuffix(seg, "]") {
			if n, err := strconv.Atoi(seg[i+1 : len(seg)-1]); err == nil {
				key, idx = seg[:i], n
			}
		}
		steps = append(steps, step{key, idx})
	}
	return steps
}

// has reports whether the file or a flag gave the value at path.
func (d *document) has(path string) bool {
	if _, ok := d.from[path]; ok {
		return true
	}
	var cur any = d.tree
	for _, s := range splitPath(path) {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[s.key]; !ok {
			return false
		}
		if s.index >= 0 {
			list, ok := tableList(cur)
			if !ok || s.index >= len(list) {
				return false
			}
			cur = list[s.index]
		}
	}
	return true
}

// at returns the table at an index path, or nil.
func (d *document) at(path string) map[string]any {
	m := d.tree
	if path == "" {
		return m
	}
	for _, s := range splitPath(path) {
		v := m[s.key]
		if s.index >= 0 {
			list, _ := tableList(v)
			if s.index >= len(list) {
				return nil
			}
			v = list[s.index]
		}
		if m, _ = v.(map[string]any); m == nil {
			return nil
		}
	}
	return m
}

// display writes an index path as a user would: brand[1].push.rate as
// brand.Acme.push.rate when the brand has a name.
func (d *document) display(path string) string {
	if path == "" {
		return ""
	}
	var out []string
	m := d.tree
	for _, s := range splitPath(path) {
		if s.index < 0 {
			out = append(out, s.key)
			m, _ = m[s.key].(map[string]any)
			continue
		}
		list, _ := tableList(m[s.key])
		var el map[string]any
		if s.index < len(list) {
			el = list[s.index]
		}
		if name, ok := el["name"].(string); ok && name != "" {
			out = append(out, s.key, name)
		} else {
			out = append(out, s.key+index(s.index))
		}
		m = el
	}
	return strings.Join(out, ".")
}

// location returns where the value at path came from: the flag that set
// it, or its line in the file, or the line of the nearest table around it
// (a default that conflicts with a given key has no line of its own).
func (d *document) location(path string) (file string, line int) {
	for p := path; p != ""; p = parentPath(p) {
		if flag, ok := d.from[p]; ok {
			return flag, 0
		}
		if l, ok := d.lines[p]; ok {
			return d.file, l
		}
	}
	return d.file, 0
}

func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i > 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// A pathError says why a key path names nothing.
type pathError struct{ problem, want, got string }

// resolvePath turns a key path as users write it (brand.Acme.push.rate,
// brand[0].push.rate, sweep.factor[1].min) into an index path and the
// schema node of its value.
func (d *document) resolvePath(key string) (string, *node, *pathError) {
	n := schema()
	m := d.tree
	rest := key
	var path string
	for {
		j := strings.IndexAny(rest, ".[")
		part := rest
		if j >= 0 {
			part = rest[:j]
		}
		c := n.child(part)
		if c == nil {
			generic := joinPath(n.generic, part)
			if j >= 0 {
				generic += genericOf(rest[j:])
			}
			return "", nil, &pathError{problem: "unknown key" + d.suggest(generic, path)}
		}
		rest = rest[len(part):]
		path = joinPath(path, part)
		switch c.kind {
		case kindTables:
			list, _ := tableList(m[part])
			i, after, perr := d.element(c, list, rest)
			if perr != nil {
				return "", nil, perr
			}
			path += index(i)
			rest = after
			m = list[i]
		case kindTable:
			m, _ = m[part].(map[string]any)
		}
		n = c
		if rest == "" {
			break
		}
		if rest[0] != '.' || n.kind != kindTable && n.kind != kindTables {
			return "", nil, &pathError{problem: "unknown key" + d.suggest(genericOf(key), ""), got: ""}
		}
		rest = rest[1:]
	}
	if n.kind == kindTable || n.kind == kindTables {
		example := ""
		n.leaves(func(l *node) {
			if example == "" {
				example = strings.TrimPrefix(l.generic, n.generic+".")
			}
		})
		return "", nil, &pathError{problem: "names a table, not a value", want: "one of its keys, like " + key + "." + example}
	}
	return path, n, nil
}

// element picks the element of an array of tables that rest starts with:
// [i], or .NAME for tables that have names. It returns the rest after it.
func (d *document) element(n *node, list []map[string]any, rest string) (int, string, *pathError) {
	what := n.key
	if rest == "" {
		how := n.generic + "[0]"
		if n.child("name") != nil {
			how = n.generic + ".NAME"
		}
		return 0, "", &pathError{problem: fmt.Sprintf("names the list of %s tables, not a value", what), want: "a key of one of them, like " + how + ".KEY"}
	}
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		i, err := strconv.Atoi(rest[1:max(end, 1)])
		if end < 0 || err != nil || i < 0 || i >= len(list) {
			return 0, "", &pathError{problem: fmt.Sprintf("no %s %s", what, rest[:max(end+1, 0)]), want: fmt.Sprintf("an index from 0 to %d", len(list)-1)}
		}
		return i, rest[end+1:], nil
	}
	var names []string
	best, bestLen := -1, -1
	for i, el := range list {
		name, _ := el["name"].(string)
		if name == "" {
			continue
		}
		names = append(names, name)
		if (rest == "."+name || strings.HasPrefix(rest, "."+name+".")) && len(name) > bestLen {
			best, bestLen = i, len(name)
		}
	}
	if n.child("name") == nil {
		return 0, "", &pathError{problem: fmt.Sprintf("names a list of %s tables", what), want: fmt.Sprintf("one of them by index, like %s[0]", n.generic)}
	}
	if best < 0 {
		given, _, _ := strings.Cut(strings.TrimPrefix(rest, "."), ".")
		want := fmt.Sprintf("a %s name: %s", what, strings.Join(quoteAll(names), ", "))
		if len(names) == 0 {
			want = fmt.Sprintf("a %s the scenario defines (it has none)", what)
		}
		return 0, "", &pathError{problem: fmt.Sprintf("no %s named %s", what, quote(given)), want: want}
	}
	return best, rest[1+bestLen:], nil
}

// genericOf removes element picks from a path: brand[0].push.rate and
// brand.Acme.push.rate have the generic key brand.push.rate (the latter
// only once resolved; here [i] parts are dropped).
func genericOf(path string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '[':
			depth++
		case c == ']':
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// suggest returns ` (did you mean "KEY"?)` for the documented key nearest
// to an unknown generic key, written under the same brand as the unknown
// key's index path; or "" when none is near.
func (d *document) suggest(generic, path string) string {
	best, bestDist := "", max(3, len(generic)/4)+1
	last := generic[strings.LastIndexByte(generic, '.')+1:]
	for _, doc := range Docs() {
		dist := EditDistance(generic, doc.Key)
		if dist > 0 && last == doc.Key[strings.LastIndexByte(doc.Key, '.')+1:] {
			// The right key in the wrong table: [attention] rate = 1.
			dist = min(dist, 2)
		}
		if dist < bestDist {
			best, bestDist = doc.Key, dist
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", quote(d.concretize(best, path)))
}

// concretize writes a generic key under the array elements of path:
// brand.push.rate under brand[1].pull becomes brand.Acme.push.rate.
func (d *document) concretize(generic, path string) string {
	steps := splitPath(path)
	var out string
	for i, part := range strings.Split(generic, ".") {
		out = joinPath(out, part)
		if i < len(steps) && steps[i].key == part && steps[i].index >= 0 {
			out += index(steps[i].index)
		}
	}
	return d.display(out)
}

// EditDistance is the Levenshtein distance between a and b, by which a
// misspelt key or subcommand finds the one meant ("did you mean").
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// put sets the value at an index path, making the tables on the way.
func (d *document) put(path string, val any) error {
	steps := splitPath(path)
	m := d.tree
	for _, s := range steps[:len(steps)-1] {
		v, ok := m[s.key]
		if s.index >= 0 {
			list, _ := tableList(v)
			if s.index >= len(list) {
				return fmt.Errorf("no element %d of %s", s.index, s.key)
			}
			m = list[s.index]
			continue
		}
		if !ok {
			sub := map[string]any{}
			m[s.key] = sub
			m = sub
			continue
		}
		if m, ok = v.(map[string]any); !ok {
			return fmt.Errorf("%s is not a table in the file", s.key)
		}
	}
	m[steps[len(steps)-1].key] = val
	return nil
}

// sortedKeys lists a table's keys in the order of the file (keys set by
// flags last), so that messages come in the order a reader finds them.
func (d *document) sortedKeys(m map[string]any, path string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	line := func(k string) int {
		if l, ok := d.lines[joinPath(path, k)]; ok {
			return l
		}
		return math.MaxInt
	}
	sort.Slice(keys, func(i, j int) bool {
		li, lj := line(keys[i]), line(keys[j])
		if li != lj {
			return li < lj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// parseValue reads a --set value for a key of schema node n.
func parseValue(n *node, raw string) (any, error) {
	raw = strings.TrimSpace(raw)
	if strings.ContainsAny(raw, "\n\r") {
		return nil, errorf("a value is one line")
	}
	switch n.kind {
	case kindString:
		if raw == "" || raw[0] != '"' && raw[0] != '\'' {
			return raw, nil // a bare word
		}
	case kindUint:
		// Seeds may use all 64 bits, beyond TOML's integers.
		if u, err := strconv.ParseUint(raw, 10, 64); err == nil {
			return u, nil
		}
	}
	var m map[string]any
	if _, err := toml.Decode("v = "+raw, &m); err != nil || len(m) != 1 {
		return nil, errorf("not a TOML value: %q", raw)
	}
	return m["v"], nil
}

// quote writes a string as TOML does: in double quotes, with control
// characters escaped.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}

// formatFloat writes a number the way TOML reads it back exactly: whole
// numbers without a decimal point, the rest in the shortest form.
func formatFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	case x == math.Trunc(x) && math.Abs(x) < 1e15:
		return strconv.FormatInt(int64(x), 10)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// gotText writes a value found in a file for a message.
func gotText(v any) string {
	switch x := v.(type) {
	case string:
		return quote(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return formatFloat(x)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "a list of tables"
	case []any:
		if _, ok := tableList(x); ok && len(x) > 0 {
			return "a list of tables"
		}
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = gotText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}
