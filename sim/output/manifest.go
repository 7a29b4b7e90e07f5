package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/pushpull/pushpull/sim/graph"
)

// Build describes the program that made a run.
type Build struct {
	Module    string `json:"module"`
	Version   string `json:"version"`
	Revision  string `json:"vcs_revision,omitempty"`
	Time      string `json:"vcs_time,omitempty"`
	Modified  bool   `json:"vcs_modified,omitempty"`
	GoVersion string `json:"go_version"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
}

// ReadBuild reports the module version, VCS revision and Go version of the
// running program.
func ReadBuild() Build {
	b := Build{Module: "github.com/pushpull/pushpull", Version: "(devel)", GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if info.Main.Path != "" {
		b.Module = info.Main.Path
	}
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// Manifest records everything needed to reproduce and cite a run: what was
// run, never how or when, so that the same run again writes the same
// manifest byte for byte (the reference runs in results/ stay as they are
// committed). How, when and with which build it ran is its Provenance.
type Manifest struct {
	Scenario            string   `json:"scenario"`
	Description         string   `json:"description,omitempty"`
	ScenarioFile        string   `json:"scenario_file"`
	ScenarioSHA256      string   `json:"scenario_sha256"`
	Sets                []string `json:"sets,omitempty"`
	Seed                uint64   `json:"seed"`
	Days                int      `json:"days"`
	Customers           int      `json:"customers"`
	Brands              []string `json:"brands"`
	Replicates          int      `json:"replicates"`
	ReplicatesCompleted int      `json:"replicates_completed"`
	// Interrupted is true when the run was stopped before every replicate
	// finished; the files hold the finished ones.
	Interrupted bool           `json:"interrupted"`
	GraphSpec   string         `json:"graph_spec"`
	Graph       graph.Stats    `json:"graph"`
	Resolved    map[string]any `json:"resolved_scenario"`
	Files       []string       `json:"files"`
}

// Provenance records how one execution of a run went: the command line,
// the workers, the build and the clock. None of it changes the results, and
// all of it changes from one execution to the next, so it is kept apart
// from the manifest, in provenance.json.
type Provenance struct {
	Command     []string  `json:"command"`
	Workers     int       `json:"workers"`
	Build       Build     `json:"build"`
	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished"`
	WallSeconds float64   `json:"wall_seconds"`
}

// WriteProvenance writes p as indented JSON.
func WriteProvenance(w io.Writer, p *Provenance) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// WriteManifest writes m as indented JSON.
func WriteManifest(w io.Writer, m *Manifest) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// ReadManifest reads a manifest.json.
func ReadManifest(r io.Reader) (*Manifest, error) {
	var m Manifest
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

// WriteManifestFile writes m to dir/manifest.json, atomically. When the
// folder held an earlier run (rewritten with --force), the files its
// manifest listed that m does not, such as orbit snapshots of other days
// or plots not drawn this time, are removed once the new manifest is in
// place, so the folder holds one run and nothing of another.
func WriteManifestFile(dir string, m *Manifest) error {
	var earlier []string
	if f, err := os.Open(filepath.Join(dir, ManifestFile)); err == nil {
		if old, err := ReadManifest(f); err == nil {
			earlier = old.Files
		}
		f.Close()
	}
	if err := WriteFile(filepath.Join(dir, ManifestFile), func(w io.Writer) error { return WriteManifest(w, m) }); err != nil {
		return err
	}
	for _, name := range earlier {
		// Only plain names in the folder: a manifest edited by hand must
		// not make a run delete files elsewhere.
		if name != filepath.Base(name) || name == "." || name == ".." || name == ManifestFile || slices.Contains(m.Files, name) {
			continue
		}
		path := filepath.Join(dir, name)
		if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() {
			continue // gone already, or not a file a run writes
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("output: cannot remove %s of the earlier run: %w", path, err)
		}
	}
	return nil
}

// WriteScenario writes scenario.toml: the scenario file as run, after a
// comment header listing the changes flags made to it (--set and the
// like), so that the run can be repeated from this file and the header.
func WriteScenario(w io.Writer, source []byte, sets []string) error {
	if len(sets) > 0 {
		if _, err := io.WriteString(w, "# Run with these changes to the file below:\n"); err != nil {
			return err
		}
		for _, s := range sets {
			if _, err := fmt.Fprintf(w, "#   %s\n", strings.ReplaceAll(s, "\n", " ")); err != nil {
				return err
			}
		}
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
	}
	_, err := w.Write(source)
	return err
}
