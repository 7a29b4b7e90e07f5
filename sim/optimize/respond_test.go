package optimize

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Every brand responds in every round until a round passes with nobody
// moving; a brand that stays keeps its setting, and the last settings are
// measured for every brand.
func TestRespondTakesTurns(t *testing.T) {
	sc := parseMarket(t)
	dir := filepath.Join(t.TempDir(), "respond")
	res, err := Respond(context.Background(), sc, MarketSpec{Levers: levers(t, "push.rate=0:2", "pull.content=0:4"), Objective: "adoption"},
		RespondOptions{StudyOptions: StudyOptions{Options: Options{Budget: 60, Seed: 2, Workers: 2}, Dir: dir, MarginalReplicates: 2}, Rounds: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Steps) != 2*res.Rounds || res.Rounds > 3 {
		t.Fatalf("%d steps in %d rounds for 2 brands", len(res.Steps), res.Rounds)
	}
	last := map[string]string{}
	movedInLast := false
	for i, s := range res.Steps {
		if want := []string{"Loud", "Warm"}[i%2]; s.Brand != want || s.Round != i/2+1 {
			t.Errorf("step %d: %s in round %d, want %s in round %d", i, s.Brand, s.Round, want, i/2+1)
		}
		if prev, ok := last[s.Brand]; ok && !s.Moved && s.Setting != prev {
			t.Errorf("step %d: %s stayed but its setting changed from %s to %s", i, s.Brand, prev, s.Setting)
		}
		if s.Moved && s.Gain.Low <= 0 && s.Round > 1 {
			t.Errorf("step %d: %s moved without a sure gain: %+v", i, s.Brand, s.Gain)
		}
		last[s.Brand] = s.Setting
		if s.Round == res.Rounds && s.Moved {
			movedInLast = true
		}
	}
	if res.Settled == movedInLast {
		t.Errorf("settled %v, yet a brand moved in the last round: %v", res.Settled, movedInLast)
	}
	if len(res.Final) != 2 || res.Final[0].N != DefaultFinalReplicates {
		t.Errorf("final %+v, want both brands over %d replicates", res.Final, DefaultFinalReplicates)
	}
	for _, f := range []string{RespondFile, ManifestFile, filepath.Join("round-1", "Warm", FinalistsFile)} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

// A best response killed part way and run again skips the steps it had
// finished and gives the same answer as one never interrupted.
func TestRespondResumesAfterKill(t *testing.T) {
	sc := parseMarket(t)
	spec := MarketSpec{Levers: levers(t, "push.rate=0:2", "pull.content=0:4"), Objective: "adoption"}
	respond := func(ctx context.Context, dir string, progress func(Progress)) (*Response, error) {
		return Respond(ctx, sc, spec, RespondOptions{StudyOptions: StudyOptions{
			Options: Options{Budget: 60, Seed: 2, Workers: 2, Progress: progress}, Dir: dir, MarginalReplicates: 2}, Rounds: 2})
	}
	whole := 0
	want, err := respond(context.Background(), filepath.Join(t.TempDir(), "whole"), func(Progress) { whole++ })
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Steps) < 2 {
		t.Fatalf("%d steps: too few to interrupt after the first", len(want.Steps))
	}

	dir := filepath.Join(t.TempDir(), "killed")
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	if _, err := respond(ctx, dir, func(Progress) {
		if calls++; calls == whole*3/4 {
			cancel()
		}
	}); err == nil {
		t.Fatal("the cancelled response finished")
	}
	cancel()
	if _, err := os.Stat(filepath.Join(dir, RespondJournalFile)); err != nil {
		t.Fatalf("no journal after the kill: %v", err)
	}
	resumed := 0
	got, err := respond(context.Background(), dir, func(Progress) { resumed++ })
	if err != nil {
		t.Fatal(err)
	}
	if resumed >= whole {
		t.Errorf("the resumed response reported %d generations, the whole one %d: no finished step was skipped", resumed, whole)
	}
	if len(got.Steps) != len(want.Steps) || got.Settled != want.Settled || got.Cycling != want.Cycling {
		t.Fatalf("resumed: %d steps, settled %v, cycling %v; whole: %d, %v, %v",
			len(got.Steps), got.Settled, got.Cycling, len(want.Steps), want.Settled, want.Cycling)
	}
	for i, s := range got.Steps {
		w := want.Steps[i]
		if s.Brand != w.Brand || s.Moved != w.Moved || s.Setting != w.Setting || s.Estimate != w.Estimate {
			t.Errorf("step %d resumed %s moved=%v %s %+v, whole %s moved=%v %s %+v",
				i, s.Brand, s.Moved, s.Setting, s.Estimate, w.Brand, w.Moved, w.Setting, w.Estimate)
		}
	}
	for i := range got.Final {
		if got.Final[i] != want.Final[i] {
			t.Errorf("%s's final objective resumed %+v, whole %+v", got.Brands[i], got.Final[i], want.Final[i])
		}
	}
	if _, err := os.Stat(filepath.Join(dir, RespondJournalFile)); err == nil {
		t.Error("the journal is left after the response finished")
	}
}
