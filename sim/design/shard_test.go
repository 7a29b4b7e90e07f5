package design

import (
	"strings"
	"testing"
)

func TestShardPartsAreDisjointCoverAndEven(t *testing.T) {
	for count := 0; count <= 60; count++ {
		for parts := 1; parts <= 13; parts++ {
			next, smallest, largest := 0, count, 0
			for i := range parts {
				lo, hi, err := Shard(count, i, parts)
				if err != nil {
					t.Fatal(err)
				}
				// Contiguous and in order: each part starts where the last
				// ended, which makes them disjoint.
				if lo != next || hi < lo {
					t.Fatalf("Shard(%d, %d, %d) = [%d, %d), want to start at %d", count, i, parts, lo, hi, next)
				}
				next = hi
				smallest, largest = min(smallest, hi-lo), max(largest, hi-lo)
			}
			if next != count {
				t.Errorf("count %d, %d parts: cover up to %d", count, parts, next)
			}
			if largest-smallest > 1 {
				t.Errorf("count %d, %d parts: sizes from %d to %d", count, parts, smallest, largest)
			}
		}
	}
	for _, c := range [][3]int{{-1, 0, 1}, {10, 0, 0}, {10, -1, 3}, {10, 3, 3}} {
		if _, _, err := Shard(c[0], c[1], c[2]); err == nil {
			t.Errorf("Shard%v: no error", c)
		}
	}
}

func TestParseShard(t *testing.T) {
	cases := []struct {
		text string
		want ShardSpec
		err  string
	}{
		{text: "2/5", want: ShardSpec{2, 5}},
		{text: " 1/1 ", want: ShardSpec{1, 1}},
		{text: "5/5", want: ShardSpec{5, 5}},
		{text: "0/5", err: `counts from 1`},
		{text: "6/5", err: `must not exceed n: "6/5"`},
		{text: "1/0", err: `must be at least 1: "1/0"`},
		{text: "-1/5", err: `counts from 1`},
		{text: "a/b", err: `design: shard must be i/n with whole numbers 1 <= i <= n: "a/b"`},
		{text: "3", err: "must be i/n"},
		{text: "", err: "must be i/n"},
		{text: "1/2/3", err: "must be i/n"},
		{text: "1.5/3", err: "must be i/n"},
	}
	for _, c := range cases {
		got, err := ParseShard(c.text)
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("ParseShard(%q) = %v, %v; want %v", c.text, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseShard(%q) error %v, want it to contain %q", c.text, err, c.err)
		}
		if err == nil && got.String() != strings.TrimSpace(c.text) {
			t.Errorf("ShardSpec%v.String() = %q", got, got.String())
		}
	}
}

func TestShardFromIndexAgreesWithParseShard(t *testing.T) {
	for of := 1; of <= 6; of++ {
		for index := range of {
			fromIndex, err := ShardFromIndex(index, of)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := ParseShard(fromIndex.String())
			if err != nil || parsed != fromIndex || parsed.Number != index+1 {
				t.Errorf("index %d of %d: %v, parsed back %v, %v", index, of, fromIndex, parsed, err)
			}
			lo, hi, _ := parsed.Range(100)
			wantLo, wantHi, _ := Shard(100, index, of)
			if lo != wantLo || hi != wantHi {
				t.Errorf("index %d of %d: Range [%d, %d), Shard [%d, %d)", index, of, lo, hi, wantLo, wantHi)
			}
		}
	}
	for _, c := range [][2]int{{-1, 3}, {3, 3}, {0, 0}} {
		if _, err := ShardFromIndex(c[0], c[1]); err == nil {
			t.Errorf("ShardFromIndex%v: no error", c)
		}
	}
}
