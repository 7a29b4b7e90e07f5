package scenario

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/scenarios"
)

// checkLocated fails unless err is Errors whose every message starts with
// where the problem is: one of the files or flags named in where.
func checkLocated(t *testing.T, err error, where ...string) {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) || len(errs) == 0 {
		t.Fatalf("error %v (%T) is not scenario.Errors", err, err)
	}
	for _, e := range errs {
		if !slices.Contains(where, e.File) || !strings.HasPrefix(e.Error(), e.File+":") {
			t.Errorf("error does not say where it is: %q", e.Error())
		}
		if e.Key != "" && !strings.Contains(e.Error(), e.Key) {
			t.Errorf("error does not name its key %q: %q", e.Key, e.Error())
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range scenarios.Names() {
		_, data, _ := scenarios.Lookup(name)
		f.Add(data)
	}
	f.Add(Template("fuzz"))
	for _, s := range []string{
		brands,
		"dayz = 3\n" + brands,
		"[attention]\ncapacity = -4\n" + brands,
		"[[brand]]\nname = \"A\"\npush = { rate = 1e400 }\n",
		"[[brand]]\nname = \"A\"\n[[brand.partner]]\nname = \"P\"\naudience = 2\n",
		"[graph]\nkind = \"communities\"\ncommunities = 3\n" + brands,
		"[sweep]\nmethod = \"sobol\"\npoints = 4\n[[sweep.factor]]\npath = \"brand.A.push.rate\"\nmin = 0\nmax = 1\n" + brands,
		"brand = [{name = \"A\", pull = {platform = \"content\"}}]\n",
		"customers = 1e12\nseed = -1\ndays = nan\n" + brands,
		"a.b.c = 1\n[x.y]\n[[x.z]]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Parse("fuzz.toml", data)
		if err != nil {
			checkLocated(t, err, "fuzz.toml")
			return
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("Parse accepted a scenario Validate refuses: %v", err)
		}
		var buf bytes.Buffer
		if err := sc.WriteResolved(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := Parse("fuzz.toml", buf.Bytes()); err != nil {
			t.Fatalf("the resolved scenario does not parse: %v\n%s", err, buf.String())
		}
	})
}

func FuzzSet(f *testing.F) {
	for _, s := range []string{
		"days=30", "brand.A.push.rate=2", "brand[1].pull.platform=curation", "brand.B.strategy=trust",
		"atention.capacity=3", "attention.capacity=lots", "=", "brand.=1", "brand..x=1", "brand[=1",
		"brand[99].name=x", "brand.A.partner.P.rate=1", "sweep.factor[0].min=1", "graph.kind=ring",
		"seed=18446744073709551616", "name=\"a\nb\"", "description='''x'''", "brand.A.name=C",
		"output.orbit_sample=-1", "customers=[1,2]", "attention={capacity=3}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, assignment string) {
		sc, err := Parse("base.toml", []byte(brands))
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.Set(assignment); err != nil {
			// A value set may clash with a default of the file's, which
			// is then named: customers=1 leaves no room for graph.k.
			checkLocated(t, err, "--set", "base.toml")
			return
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("Set accepted a value Validate refuses: %v", err)
		}
	})
}
