package optimize

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A study killed in the middle resumes from its journal and writes the
// files of one that ran straight through.
func TestStudyResumesWithTheSameAnswer(t *testing.T) {
	sc := parseMarket(t)
	newMarket := func() *Market {
		m, err := NewMarket(sc, MarketSpec{Brand: "Warm", Levers: levers(t, "pull.content=0:5", "push.rate=0:1"), Objective: "adoption"})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	opt := func(dir string) StudyOptions {
		return StudyOptions{Options: Options{Budget: 150, Seed: 3, Workers: 2}, Dir: dir, MarginalReplicates: 4}
	}
	whole := filepath.Join(t.TempDir(), "whole")
	if _, err := RunStudy(context.Background(), newMarket(), opt(whole)); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "killed")
	ctx, cancel := context.WithCancel(context.Background())
	o := opt(dir)
	generations := 0
	o.Progress = func(Progress) {
		if generations++; generations == 3 {
			cancel()
		}
	}
	if _, err := RunStudy(ctx, newMarket(), o); !errors.Is(err, context.Canceled) {
		t.Fatalf("killed study: error %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(dir, JournalFile)); err != nil {
		t.Fatalf("no journal after the kill: %v", err)
	}
	st, err := RunStudy(context.Background(), newMarket(), opt(dir))
	if err != nil {
		t.Fatal(err)
	}
	if st.Result.Resumed == 0 {
		t.Error("the resumed study read nothing from its journal")
	}
	for _, f := range []string{FinalistsFile, EvaluatedFile, ProgressFile, MarginalsFile} {
		a, errA := os.ReadFile(filepath.Join(whole, f))
		b, errB := os.ReadFile(filepath.Join(dir, f))
		if errA != nil || errB != nil || string(a) != string(b) {
			t.Errorf("%s differs between the resumed and the uninterrupted study (%v, %v)", f, errA, errB)
		}
	}
}
