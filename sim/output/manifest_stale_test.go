package output

import (
	"os"
	"path/filepath"
	"testing"
)

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
	if err := WriteManifestFile(dir, &Manifest{Scenario: "old", Files: []string{"daily.csv", "orbit_day100.png", "../keep.txt"}}); err != nil {
		t.Fatal(err)
	}
	if err := WriteManifestFile(dir, &Manifest{Scenario: "new", Files: []string{"daily.csv"}}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"daily.csv": true, "orbit_day100.png": false, "notes.txt": true, ManifestFile: true,
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
