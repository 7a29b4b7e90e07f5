package output

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileLeavesNothingHalfWritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "daily.csv")
	if err := os.WriteFile(path, []byte("earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	failure := errors.New("interrupted")
	err := WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "half a ")
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("WriteFile error = %v, want %v", err, failure)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "earlier\n" {
		t.Errorf("a failed write changed the file: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("a failed write left files behind: %v", entries)
	}
	if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new\n" {
		t.Errorf("file = %q after a successful write", got)
	}
}

func TestCheckDirRefusesAnEarlierRun(t *testing.T) {
	dir := t.TempDir()
	if err := CheckDir(filepath.Join(dir, "new"), false); err != nil {
		t.Fatalf("a folder still to be made refused: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); err == nil {
		t.Errorf("CheckDir created the folder")
	}
	if err := CheckDir(dir, false); err != nil {
		t.Fatalf("empty folder refused: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := CheckDir(dir, false)
	if !errors.Is(err, ErrRunExists) || !strings.Contains(err.Error(), "--force") {
		t.Errorf("CheckDir on a run folder = %v, want ErrRunExists naming --force", err)
	}
	if err := CheckDir(dir, true); err != nil {
		t.Errorf("CheckDir with force = %v", err)
	}
	if err := CheckDir(filepath.Join(dir, ManifestFile), true); err == nil {
		t.Errorf("CheckDir accepted a file as a folder")
	}
}

func TestDiffPairedAndWelch(t *testing.T) {
	mk := func(reps []int, vals ...float64) *ReplicateOutcomes {
		ro := &ReplicateOutcomes{Brands: []string{"a"}, Replicates: reps}
		for _, v := range vals {
			ro.Values = append(ro.Values, [][]float64{{v}})
		}
		return ro
	}
	// Paired: the replicate-level differences are all exactly 1, so the
	// interval collapses on 1 although each scenario varies a lot.
	base := mk([]int{0, 1, 2}, 10, 20, 30)
	other := mk([]int{0, 1, 2}, 11, 21, 31)
	d := Diff(base, other, 0, 0, 0)
	if !d.Paired || d.Mean != 1 || d.Low != 1 || d.High != 1 {
		t.Errorf("paired diff = %+v, want exactly 1", d)
	}
	// Different replicates: Welch. Means 20 and 21, both sd 10, n 3:
	// se = sqrt(200/3), df = 4, t = 2.7764451.
	other = mk([]int{3, 4, 5}, 11, 21, 31)
	d = Diff(base, other, 0, 0, 0)
	half := 2.7764451 * 8.1649658
	if d.Paired || d.Mean != 1 || abs(d.Low-(1-half)) > 1e-5 || abs(d.High-(1+half)) > 1e-5 {
		t.Errorf("welch diff = %+v, want 1 ± %g", d, half)
	}
	// An interrupted run shares two of the baseline's replicates: those
	// pair, and their differences are exactly 1 again.
	other = mk([]int{0, 2}, 11, 31)
	if d = Diff(base, other, 0, 0, 0); !d.Paired || d.N != 2 || d.Mean != 1 || d.Low != 1 || d.High != 1 {
		t.Errorf("diff over the shared replicates = %+v, want paired, n 2, exactly 1", d)
	}
	// Same replicate numbers but another seed: different random streams,
	// nothing to pair.
	other = mk([]int{0, 1, 2}, 11, 21, 31)
	other.Seed = 7
	if d = Diff(base, other, 0, 0, 0); d.Paired {
		t.Errorf("runs with different seeds were paired: %+v", d)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestWriteManifestFileRemovesStaleFiles checks that rewriting a run
// folder removes what the earlier run wrote and this one did not, and
// nothing else.
func TestWriteManifestFileRemovesStaleFiles(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "run")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"daily.csv", "orbit_day100.png", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(parent, "keep.txt")
	if err := os.WriteFile(outside, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteManifestFile(dir, &Manifest{Scenario: "old", Files: []string{"daily.csv", "orbit_day100.png", "../keep.txt", "..", ".", "sub"}}); err != nil {
		t.Fatal(err)
	}
	if err := WriteManifestFile(dir, &Manifest{Scenario: "new", Files: []string{"daily.csv"}}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"daily.csv": true, "orbit_day100.png": false, "notes.txt": true, ManifestFile: true, "sub": true,
	} {
		_, err := os.Stat(filepath.Join(dir, name))
		if got := err == nil; got != want {
			t.Errorf("%s exists: %v, want %v", name, got, want)
		}
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("a file outside the run folder was removed: %v", err)
	}
}

func TestWriteFileRefusesAFolder(t *testing.T) {
	dir := t.TempDir()
	err := WriteFile(dir, func(w io.Writer) error { return nil })
	if want := "output: cannot write " + dir + ": it is a folder"; err == nil || err.Error() != want {
		t.Errorf("WriteFile to a folder: %v, want %s", err, want)
	}
}
