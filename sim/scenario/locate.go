package scenario

import (
	"strconv"
	"strings"
)

// locateKeys maps every key of a TOML document to the line (from 1) it is
// defined on. BurntSushi/toml reports positions for syntax errors only, so
// this small scanner follows the document's structure to tie each later
// problem (an unknown key, a wrong type, a value out of range) to its line.
//
// Paths join keys with dots and index arrays of tables with [i], counting
// from 0 in document order: "brand[1].push.rate" is the rate in the push
// table of the second [[brand]], whether it was written under a [brand.push]
// header, as a dotted key push.rate = 2, or inside an inline table
// push = { rate = 2 }. Tables get the line of their header or of the first
// key that defines them. The first definition of a path wins.
//
// The scanner expects a document the TOML parser accepted; on anything
// else it stops early or records odd paths, but never panics or loops.
func locateKeys(text string) map[string]int {
	l := &locator{s: text, line: 1, lines: map[string]int{}, arrays: map[string]int{}}
	l.document()
	return l.lines
}

type locator struct {
	s      string
	i      int
	line   int
	lines  map[string]int
	arrays map[string]int // elements seen so far of each array of tables
	table  string         // the current table's path
}

func (l *locator) peek() byte {
	if l.i < len(l.s) {
		return l.s[l.i]
	}
	return 0
}

func (l *locator) next() byte {
	if l.i >= len(l.s) {
		return 0
	}
	c := l.s[l.i]
	l.i++
	if c == '\n' {
		l.line++
	}
	return c
}

func (l *locator) record(path string) {
	if path == "" {
		return
	}
	if _, ok := l.lines[path]; !ok {
		l.lines[path] = l.line
	}
}

// skipSpace skips spaces and tabs, and newlines and comments when lines is
// set.
func (l *locator) skipSpace(lines bool) {
	for l.i < len(l.s) {
		switch c := l.s[l.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			l.i++
		case c == '#':
			for l.i < len(l.s) && l.s[l.i] != '\n' {
				l.i++
			}
		case c == '\n' && lines:
			l.next()
		default:
			return
		}
	}
}

func (l *locator) skipLine() {
	for l.i < len(l.s) && l.s[l.i] != '\n' {
		l.i++
	}
}

func (l *locator) document() {
	for l.i < len(l.s) {
		l.skipSpace(true)
		if l.i >= len(l.s) {
			return
		}
		start := l.i
		if l.peek() == '[' {
			l.header()
		} else {
			l.keyValue(l.table)
		}
		l.skipSpace(false)
		if l.i == start {
			// Not TOML this scanner understands: give up on the line
			// rather than loop.
			l.skipLine()
			if l.i == start {
				l.next()
			}
		}
	}
}

// header reads [a.b] or [[a.b]] and makes it the current table.
func (l *locator) header() {
	l.next()
	array := l.peek() == '['
	if array {
		l.next()
	}
	keys := l.keys()
	l.skipSpace(false)
	if l.peek() == ']' {
		l.next()
	}
	if array && l.peek() == ']' {
		l.next()
	}
	if len(keys) == 0 {
		return
	}
	path := ""
	for j, k := range keys {
		path = joinPath(path, k)
		last := j == len(keys)-1
		switch {
		case last && array:
			n := l.arrays[path]
			l.arrays[path] = n + 1
			l.record(path)
			path += index(n)
		case l.arrays[path] > 0:
			path += index(l.arrays[path] - 1)
		}
		if !last {
			l.record(path)
		}
	}
	l.record(path)
	l.table = path
}

func index(i int) string { return "[" + strconv.Itoa(i) + "]" }

// keyValue reads key = value under the table at prefix.
func (l *locator) keyValue(prefix string) {
	keys := l.keys()
	if len(keys) == 0 {
		return
	}
	path := prefix
	for _, k := range keys {
		path = joinPath(path, k)
		l.record(path)
	}
	l.skipSpace(false)
	if l.peek() != '=' {
		return
	}
	l.next()
	l.skipSpace(false)
	l.value(path)
}

// keys reads a dotted key: bare, "quoted" or 'literal' parts separated by
// dots, with spaces around the dots.
func (l *locator) keys() []string {
	var keys []string
	for {
		l.skipSpace(false)
		var k string
		switch c := l.peek(); {
		case c == '"':
			k = l.basicString()
		case c == '\'':
			k = l.literalString()
		case isBare(c):
			start := l.i
			for l.i < len(l.s) && isBare(l.s[l.i]) {
				l.i++
			}
			k = l.s[start:l.i]
		default:
			return keys
		}
		keys = append(keys, k)
		l.skipSpace(false)
		if l.peek() != '.' {
			return keys
		}
		l.next()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value skips a value, recording the keys of inline tables and the
// elements of arrays under path.
func (l *locator) value(path string) {
	switch l.peek() {
	case '{':
		l.next()
		for l.i < len(l.s) {
			l.skipSpace(true)
			switch l.peek() {
			case '}':
				l.next()
				return
			case ',':
				l.next()
				continue
			}
			start := l.i
			l.keyValue(path)
			if l.i == start {
				l.next()
			}
		}
	case '[':
		l.next()
		for n := 0; l.i < len(l.s); {
			l.skipSpace(true)
			switch l.peek() {
			case ']':
				l.next()
				return
			case ',':
				l.next()
				continue
			}
			start := l.i
			el := path + index(n)
			l.record(el)
			l.value(el)
			n++
			if l.i == start {
				l.next()
			}
		}
	case '"':
		l.basicString()
	case '\'':
		l.literalString()
	default:
		// Numbers, booleans, dates and times: up to the next delimiter.
		// A local date-time may hold one space, which is harmless here.
		for l.i < len(l.s) {
			switch l.s[l.i] {
			case ',', ']', '}', '\n', '#':
				return
			}
			l.i++
		}
	}
}

// basicString reads a "basic" or """multi-line basic""" string and
// returns its contents, escapes undone where Go's rules agree with TOML's.
func (l *locator) basicString() string {
	if strings.HasPrefix(l.s[l.i:], `"""`) {
		l.i += 3
		start := l.i
		for l.i < len(l.s) {
			if l.s[l.i] == '\\' {
				l.next()
				l.next()
				continue
			}
			if strings.HasPrefix(l.s[l.i:], `"""`) {
				end := l.i
				l.i += 3
				// Up to two quotes may end the contents: """a""""".
				for extra := 0; extra < 2 && l.peek() == '"'; extra++ {
					l.i++
					end++
				}
				return l.s[start:end]
			}
			l.next()
		}
		return l.s[start:]
	}
	start := l.i
	l.next()
	for l.i < len(l.s) {
		switch l.s[l.i] {
		case '\\':
			l.i += 2
			continue
		case '"':
			l.i++
			if u, err := strconv.Unquote(l.s[start:l.i]); err == nil {
				return u
			}
			return l.s[start+1 : l.i-1]
		case '\n':
			return l.s[start+1 : l.i]
		}
		l.i++
	}
	l.i = min(l.i, len(l.s))
	return l.s[min(start+1, len(l.s)):l.i]
}

// literalString reads a literal string: in single quotes, or in three
// single quotes for a multi-line one.
func (l *locator) literalString() string {
	if strings.HasPrefix(l.s[l.i:], "'''") {
		l.i += 3
		start := l.i
		for l.i < len(l.s) {
			if strings.HasPrefix(l.s[l.i:], "'''") {
				end := l.i
				l.i += 3
				for extra := 0; extra < 2 && l.peek() == '\''; extra++ {
					l.i++
					end++
				}
				return l.s[start:end]
			}
			l.next()
		}
		return l.s[start:]
	}
	l.i++
	start := l.i
	for l.i < len(l.s) && l.s[l.i] != '\'' && l.s[l.i] != '\n' {
		l.i++
	}
	k := l.s[start:l.i]
	if l.peek() == '\'' {
		l.i++
	}
	return k
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}
