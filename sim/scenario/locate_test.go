package scenario

import (
	"testing"

	"github.com/BurntSushi/toml"
)

func TestLocateKeys(t *testing.T) {
	tests := []struct {
		name string
		text string
		want map[string]int
	}{
		{"plain keys and a table", `name = "x"
days = 3

[attention]
capacity = 4 # a comment
`, map[string]int{"name": 1, "days": 2, "attention": 4, "attention.capacity": 5}},
		{"arrays of tables and sub-tables", `[[brand]]
name = "A"
[brand.push]
rate = 1
[[brand]]
name = "B"

[brand.pull]
content = 2
`, map[string]int{"brand": 1, "brand[0]": 1, "brand[0].name": 2, "brand[0].push": 3, "brand[0].push.rate": 4,
			"brand[1]": 5, "brand[1].name": 6, "brand[1].pull": 8, "brand[1].pull.content": 9}},
		{"dotted keys", `[[brand]]
name = "A"
push.rate = 2
  pull . "platform" = "content"
`, map[string]int{"brand[0].push": 3, "brand[0].push.rate": 3, "brand[0].pull.platform": 4}},
		{"inline tables, one line and several", `[[brand]]
push = { rate = 1, cost = 0.1 }
pull = {
  content = 2,
  platform = "content" }
`, map[string]int{"brand[0].push.rate": 2, "brand[0].push.cost": 2, "brand[0].pull": 3,
			"brand[0].pull.content": 4, "brand[0].pull.platform": 5}},
		{"arrays of partners under each brand", `[[brand]]
name = "A"
[[brand.partner]]
name = "P"
[[brand.partner]]
name = "Q"
rate = 0.1
[[brand]]
name = "B"
[[brand.partner]]
audience = 0.5
`, map[string]int{"brand[0].partner[0].name": 4, "brand[0].partner[1].rate": 7, "brand[1].partner[0].audience": 11}},
		{"array of inline tables", `[[brand]]
partner = [
  { name = "P", rate = 0.1 },
  { name = "Q" },
]
`, map[string]int{"brand[0].partner[0].name": 3, "brand[0].partner[0].rate": 3, "brand[0].partner[1].name": 4}},
		{"multi-line strings count their lines", `description = """
one
two"""
days = 5
note = '''
x'''
seed = 2
quote = "a \" # not a comment"
replicates = 3
`, map[string]int{"description": 1, "days": 4, "seed": 7, "replicates": 9}},
		{"quoted keys", `"days" = 1
'seed' = 2
[ "graph" ]
kind = "ring"
`, map[string]int{"days": 1, "seed": 2, "graph.kind": 4}},
		{"arrays of values span lines", `[[sweep.factor]]
path = "x"
values = [
  1,
  2,
]
min = 0
`, map[string]int{"sweep.factor[0].path": 2, "sweep.factor[0].values": 3, "sweep.factor[0].min": 7}},
		{"dates and times", `when = 1979-05-27 07:32:00
days = 2
`, map[string]int{"when": 1, "days": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tree map[string]any
			if _, err := toml.Decode(tt.text, &tree); err != nil {
				t.Fatalf("the test's TOML is invalid: %v", err)
			}
			got := locateKeys(tt.text)
			for path, line := range tt.want {
				if got[path] != line {
					t.Errorf("%s: line %d, want %d (all: %v)", path, got[path], line, got)
				}
			}
		})
	}
}

// The locator runs only on text the parser accepted, but whatever it is
// given it must stop, without a panic.
func TestLocateKeysOnBrokenText(t *testing.T) {
	for _, text := range []string{"[", "[[", "a = {", `a = "`, `a = """`, "a = '''", "= 1", "[a.]\nb", "a = [ {", "\x00\xff", `"a\`, "a.\"b"} {
		locateKeys(text)
	}
}
