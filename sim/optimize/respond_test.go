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
