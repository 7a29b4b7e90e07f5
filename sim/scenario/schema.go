package scenario

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
)

// kind is what a scenario key holds.
type kind int

const (
	kindFloat  kind = iota // a number
	kindInt                // a whole number
	kindUint               // a whole number of at least 0 (seeds)
	kindBool               // true or false
	kindString             // text, possibly one of a few words
	kindList               // a list of numbers or strings (sweep.factor.values)
	kindTable              // a table: [attention], [brand.push]
	kindTables             // an array of tables: [[brand]], [[brand.partner]]
)

// A node is one key of the scenario schema: a field of Scenario (or of a
// struct inside it) with a toml tag. The schema is read from the types by
// reflection, so a parameter the engine adds to sim.Params is a scenario
// key at once, and ParamDocs must document it (a test checks).
type node struct {
	key      string // the key within its table
	generic  string // the full key, array elements not named: brand.push.rate
	kind     kind
	field    []int // index of the field in its parent struct (reflect.Value.FieldByIndex)
	children []*node
}

func (n *node) child(key string) *node {
	for _, c := range n.children {
		if c.key == key {
			return c
		}
	}
	return nil
}

var (
	schemaOnce sync.Once
	schemaRoot *node
)

// schema returns the root of the scenario schema.
func schema() *node {
	schemaOnce.Do(func() {
		schemaRoot = &node{kind: kindTable}
		addFields(schemaRoot, reflect.TypeFor[Scenario](), nil)
	})
	return schemaRoot
}

// addFields adds the tagged fields of struct type t to parent; prefix is
// the index path of an embedded struct whose fields are flattened into
// parent (sim.Params inside Scenario).
func addFields(parent *node, t reflect.Type, prefix []int) {
	for i := range t.NumField() {
		f := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		tag, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			addFields(parent, f.Type, index)
			continue
		}
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		n := &node{key: tag, generic: joinPath(parent.generic, tag), field: index}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Float64, reflect.Float32:
			n.kind = kindFloat
		case reflect.Int, reflect.Int64, reflect.Int32:
			n.kind = kindInt
		case reflect.Uint64, reflect.Uint, reflect.Uint32:
			n.kind = kindUint
		case reflect.Bool:
			n.kind = kindBool
		case reflect.String:
			n.kind = kindString
		case reflect.Struct:
			n.kind = kindTable
			addFields(n, ft, nil)
		case reflect.Slice:
			switch ft.Elem().Kind() {
			case reflect.Struct:
				n.kind = kindTables
				addFields(n, ft.Elem(), nil)
			case reflect.String:
				n.kind = kindList
			default:
				continue
			}
		default:
			continue
		}
		parent.children = append(parent.children, n)
	}
}

// leaves calls fn for every key that holds a value, depth first in
// schema order.
func (n *node) leaves(fn func(*node)) {
	for _, c := range n.children {
		if c.kind == kindTable || c.kind == kindTables {
			c.leaves(fn)
		} else {
			fn(c)
		}
	}
}

// lookupGeneric returns the schema node of a generic key.
func lookupGeneric(key string) *node {
	n := schema()
	for part := range strings.SplitSeq(key, ".") {
		if n = n.child(part); n == nil {
			return nil
		}
	}
	return n
}

// wantText says what a key accepts, for messages: "a number from 0 to 1",
// "a whole number from 1 to 36500", `one of "push", "pull"`, "true or false".
func (n *node) wantText() string {
	d := lookupDoc(n.generic)
	switch n.kind {
	case kindBool:
		return "true or false"
	case kindString:
		if d != nil && len(d.Values) > 0 {
			return d.Range()
		}
		return "a string"
	case kindList:
		return "a list of numbers or strings"
	case kindTable:
		return "a table"
	case kindTables:
		return "[[" + n.generic + "]] tables"
	}
	r := "a number"
	if n.kind == kindInt || n.kind == kindUint {
		r = "a whole number"
	}
	if d == nil {
		return r
	}
	lo, hi := !math.IsNaN(d.Min), !math.IsNaN(d.Max)
	switch {
	case lo && hi:
		return fmt.Sprintf("%s from %s to %s", r, formatFloat(d.Min), formatFloat(d.Max))
	case lo:
		return fmt.Sprintf("%s of at least %s", r, formatFloat(d.Min))
	case hi:
		return fmt.Sprintf("%s of at most %s", r, formatFloat(d.Max))
	}
	return r
}
