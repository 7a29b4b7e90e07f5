package output

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes a file through write and makes it appear under path only
// once write has succeeded: the data goes to a temporary file in the same
// folder, which is synced and renamed over path. On any error the temporary
// file is removed and path is left as it was.
func WriteFile(path string, write func(w io.Writer) error) (err error) {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("output: cannot write %s: it is a folder", path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("output: cannot create %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("output: writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("output: writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("output: writing %s: %w", path, err)
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("output: writing %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("output: writing %s: %w", path, err)
	}
	return nil
}

// ErrRunExists reports that an output folder already holds a run.
var ErrRunExists = errors.New("output: folder already holds a run")

// CheckDir reports whether dir may receive a run's files, without creating
// it: a folder that already holds a run (a manifest.json) is refused
// unless force is set, so an earlier result is never overwritten without
// being asked; a file where the folder should be is refused always.
func CheckDir(dir string, force bool) error {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output: cannot use %s as a run folder: %w", dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("output: %s is a file, not a folder", dir)
	}
	if force {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err == nil {
		return fmt.Errorf("%w: %s (use --force to overwrite it, or --out to write elsewhere)", ErrRunExists, dir)
	}
	return nil
}

// Names of the files of a run folder.
const (
	ManifestFile   = "manifest.json"
	ProvenanceFile = "provenance.json"
	DailyFile      = "daily.csv"
	ReplicatesFile = "replicates.csv"
	SummaryFile    = "summary.csv"
	ScenarioFile   = "scenario.toml"
	CompareFile    = "compare.csv"
)
