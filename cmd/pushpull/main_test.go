package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ and the README's parameter reference")

// invoke runs the command as a test sees it and returns its output and exit code.
func invoke(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(args, &out, &errb)
	code = report(err, &errb)
	return out.String(), errb.String(), code
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/pushpull -update creates it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/pushpull -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestHelpGolden(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := invoke(t, c.name, "--help")
			if code != exitOK || errOut != "" {
				t.Fatalf("%s --help: exit %d, stderr %q", c.name, code, errOut)
			}
			golden(t, "help-"+c.name+".txt", out)
			again, _, _ := invoke(t, "help", c.name)
			if again != out {
				t.Errorf("`help %s` differs from `%s --help`", c.name, c.name)
			}
		})
	}
	t.Run("top", func(t *testing.T) {
		out, _, code := invoke(t, "--help")
		if code != exitOK {
			t.Fatalf("exit %d", code)
		}
		golden(t, "help.txt", out)
	})
	t.Run("scenario", func(t *testing.T) {
		out, _, code := invoke(t, "help", "scenario")
		if code != exitOK {
			t.Fatalf("exit %d", code)
		}
		golden(t, "help-scenario.txt", out)
	})
}

// writeScenario writes a scenario file into a temporary folder.
func writeScenario(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tempDirs makes error messages that name temporary files comparable.
var tempDirs = regexp.MustCompile(`/[^ :"]*/(bad\.toml|missing\.toml|edges\.txt)`)

func TestErrorsGolden(t *testing.T) {
	tests := []struct {
		name string
		file string // scenario text; written to bad.toml when not empty
		args []string
		code int
	}{
		{"unknown-subcommand", "", []string{"rnu"}, exitInvalid},
		{"no-subcommand", "", nil, exitInvalid},
		{"unknown-flag", "", []string{"run", "--replicate", "3"}, exitInvalid},
		{"missing-file", "", []string{"check", "/nonexistent/missing.toml"}, exitInvalid},
		{"missing-file-run", "", []string{"run", "/nonexistent/missing.toml"}, exitInvalid},
		{"unknown-key", "name = \"bad\"\ncustomers = 100\ndayz = 5\n[[brand]]\nname = \"A\"\n", []string{"check", "FILE"}, exitInvalid},
		{"wrong-type", "name = \"bad\"\ncustomers = \"many\"\n[[brand]]\nname = \"A\"\n", []string{"check", "FILE"}, exitInvalid},
		{"out-of-range", "name = \"bad\"\n\n[attention]\ncapacity = -4\n[[brand]]\nname = \"A\"\n[brand.push]\nrate = 1e9\n", []string{"check", "FILE"}, exitInvalid},
		{"syntax", "name = \"bad\"\ndays = = 3\n", []string{"check", "FILE"}, exitInvalid},
		{"every-error", "dayz = 3\ncustomers = -1\n[graph]\nkind = \"ring\"\nk = 3\n[[brand]]\nname = \"A\"\nstrategy = \"shout\"\n[[brand]]\nname = \"A\"\n",
			[]string{"run", "FILE"}, exitInvalid},
		{"bad-set", "", []string{"run", "--set", "attention.capacity=lots", "--quiet"}, exitInvalid},
		{"bad-set-key", "", []string{"run", "--set", "atention.capacity=3", "--quiet"}, exitInvalid},
		{"bad-set-brand", "", []string{"run", "--set", "brand.Nobody.push.rate=3", "--quiet"}, exitInvalid},
		{"bad-set-range", "", []string{"check", "--set", "brand.Blast.push.rate=-1", "social-gravity"}, exitInvalid},
		{"bad-replicates", "", []string{"run", "--replicates", "0", "--quiet"}, exitInvalid},
		{"bad-workers", "", []string{"run", "--workers", "0", "--quiet"}, exitInvalid},
		{"missing-edge-list", "[graph]\nkind = \"edge_list\"\npath = \"edges.txt\"\n[[brand]]\nname = \"A\"\n", []string{"check", "FILE"}, exitInvalid},
		{"compare-one", "", []string{"compare", "social-gravity"}, exitInvalid},
		{"compare-bad-rank", "", []string{"compare", "--rank", "profits", "social-gravity", "push-vs-pull"}, exitInvalid},
		{"help-unknown", "", []string{"help", "rnu"}, exitInvalid},
		{"graph-bad-k", "", []string{"graph", "--k", "7", "--customers", "100"}, exitInvalid},
		{"optimize-unknown-brand", "", []string{"optimize", "social-gravity", "--brand", "Nobody", "--lever", "push.rate=0:2"}, exitInvalid},
		{"optimize-unknown-lever", "", []string{"optimize", "social-gravity", "--brand", "Blast", "--lever", "push.speed=0:2"}, exitInvalid},
		{"optimize-out-of-range", "", []string{"optimize", "social-gravity", "--brand", "Blast", "--lever", "push.rate=-1:2"}, exitInvalid},
		{"optimize-zero-budget", "", []string{"optimize", "social-gravity", "--brand", "Blast", "--lever", "push.rate=0:2", "--budget", "0"}, exitInvalid},
		{"optimize-bad-lever", "", []string{"optimize", "social-gravity", "--brand", "Blast", "--lever", "push.rate=2"}, exitInvalid},
		{"optimize-shares-no-room", "", []string{"optimize", "social-gravity", "--brand", "Blast", "--shares", "push,content", "--set", "brand.Blast.budget.daily=10", "--set", "brand.Blast.budget.platform=1"}, exitInvalid},
		{"optimize-no-brand", "", []string{"optimize", "social-gravity", "--lever", "push.rate=0:2"}, exitInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string(nil), tt.args...)
			if tt.file != "" {
				path := writeScenario(t, "bad.toml", tt.file)
				for i, a := range args {
					if a == "FILE" {
						args[i] = path
					}
				}
			}
			_, errOut, code := invoke(t, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Fatalf("stack trace in the error output:\n%s", errOut)
			}
			golden(t, "error-"+tt.name+".txt", tempDirs.ReplaceAllString(errOut, "$1"))
		})
	}
}

func TestVersion(t *testing.T) {
	out, errOut, code := invoke(t, "version")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"pushpull", "module", "revision", "go1."} {
		if !strings.Contains(out, want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
	if alias, _, _ := invoke(t, "--version"); alias != out {
		t.Errorf("--version differs from version")
	}
}

// TestCommandTable checks that the command table, which `pushpull help`
// prints in its order, lists each command once, in alphabetical order,
// and that every command can be looked up by its name.
func TestCommandTable(t *testing.T) {
	table := commands()
	for i, c := range table {
		if i > 0 && table[i-1].name >= c.name {
			t.Errorf("command %q follows %q: the table must be in alphabetical order, each name once", c.name, table[i-1].name)
		}
		if got := lookup(c.name); got == nil || got.name != c.name {
			t.Errorf("lookup(%q) = %v, want the command", c.name, got)
		}
		if c.run == nil || c.summary == "" || c.long == "" {
			t.Errorf("command %q lacks a run function, a summary or a description", c.name)
		}
	}
}
