package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pushpull/pushpull/sim/design"
	"github.com/pushpull/pushpull/sim/output"
)

// Part is a finished shard, as its part.json records it: the sweep it
// belongs to, the points it ran and where and when it ran them.
type Part struct {
	Meta
	// Shard is the shard as given ("2/5"); empty for a whole sweep.
	Shard string `json:"shard,omitempty"`
	// Lo and Hi bound the part's points, lo <= index < hi.
	Lo       int          `json:"points_from"`
	Hi       int          `json:"points_to"`
	Host     string       `json:"host,omitempty"`
	Workers  int          `json:"workers"`
	Command  []string     `json:"command,omitempty"`
	Build    output.Build `json:"build"`
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`

	dir string
}

func writePart(dir string, p *Part) error {
	p.Build = output.ReadBuild()
	return output.WriteFile(filepath.Join(dir, PartFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	})
}

func readPart(dir string) (*Part, error) {
	data, err := os.ReadFile(filepath.Join(dir, PartFile))
	if err != nil {
		return nil, err
	}
	var p Part
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("sweep: %s: not a part file: %v", filepath.Join(dir, PartFile), err)
	}
	p.dir = dir
	return &p, nil
}

// ErrParts reports parts that do not make one complete sweep: missing,
// unfinished, duplicated or of another sweep.
var ErrParts = errors.New("sweep: parts do not make one complete sweep")

type partsError struct{ error }

func (e partsError) Is(target error) bool { return target == ErrParts }
func (e partsError) Unwrap() error        { return e.error }

// MergeOptions say where Merge writes and what.
type MergeOptions struct {
	// Out is the sweep folder to write; empty means the folder that holds
	// the first part's parts/ folder.
	Out   string
	Force bool
	Plots bool
	// PlotOutcome is the outcome the plots and the warnings of the
	// sensitivity analysis are about (default: PlotOutcome).
	PlotOutcome string
	// Command is the command line, for the manifest.
	Command []string
}

// FindParts lists the parts in dirs: each is a part folder (it holds
// part.json) or a sweep folder whose parts/ folder holds them. A part
// folder without part.json (a shard that did not finish) is an error
// naming it.
func FindParts(dirs []string) ([]*Part, error) {
	var parts []*Part
	var errs []error
	add := func(dir string) {
		p, err := readPart(dir)
		switch {
		case err == nil:
			parts = append(parts, p)
		case errors.Is(err, fs.ErrNotExist):
			what := "holds no part.json"
			if _, jerr := os.Stat(filepath.Join(dir, JournalFile)); jerr == nil {
				what = "is unfinished (a journal but no part.json): run its shard again to complete it"
			}
			errs = append(errs, fmt.Errorf("sweep: part %s %s", dir, what))
		default:
			errs = append(errs, err)
		}
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, PartFile)); err == nil {
			add(d)
			continue
		}
		entries, err := os.ReadDir(filepath.Join(d, PartsDir))
		if err != nil {
			if _, jerr := os.Stat(filepath.Join(d, JournalFile)); jerr == nil {
				add(d)
				continue
			}
			errs = append(errs, fmt.Errorf("sweep: %s holds no part.json and no %s/ folder of parts", d, PartsDir))
			continue
		}
		found := false
		for _, e := range entries {
			if e.IsDir() {
				found = true
				add(filepath.Join(d, PartsDir, e.Name()))
			}
		}
		if !found {
			errs = append(errs, fmt.Errorf("sweep: %s has no parts", filepath.Join(d, PartsDir)))
		}
	}
	if len(errs) > 0 {
		return nil, partsError{errors.Join(errs...)}
	}
	return parts, nil
}

// CheckParts checks that parts belong to one sweep and cover each of its
// points exactly once, and returns them in point order. The error names
// the points missing and the points found in more than one part.
func CheckParts(parts []*Part) ([]*Part, error) {
	if len(parts) == 0 {
		return nil, errors.New("sweep: merge: no parts given")
	}
	first := parts[0]
	for _, p := range parts[1:] {
		if p.SweepSHA256 != first.SweepSHA256 {
			return nil, fmt.Errorf("sweep: merge: %s belongs to another sweep than %s (sweep_sha256 %.12s, not %.12s)", p.dir, first.dir, p.SweepSHA256, first.SweepSHA256)
		}
	}
	for _, p := range parts {
		if p.Lo < 0 || p.Lo > p.Hi || p.Hi > first.Points {
			return nil, fmt.Errorf("sweep: merge: %s holds points %d-%d outside the sweep's 0-%d", p.dir, p.Lo, p.Hi-1, first.Points-1)
		}
	}
	sorted := slices.Clone(parts)
	slices.SortStableFunc(sorted, func(a, b *Part) int { return a.Lo - b.Lo })
	var missing, twice []string
	covered := 0 // points 0..covered-1 are in some part
	var last *Part
	for _, p := range sorted {
		if p.Lo == p.Hi {
			continue
		}
		if p.Lo > covered {
			missing = append(missing, span(covered, p.Lo))
		}
		if p.Lo < covered {
			twice = append(twice, fmt.Sprintf("%s (in %s and %s)", span(p.Lo, min(covered, p.Hi)), last.dir, p.dir))
		}
		if p.Hi > covered {
			covered, last = p.Hi, p
		}
	}
	if covered < first.Points {
		missing = append(missing, span(covered, first.Points))
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "points missing: "+strings.Join(missing, ", ")+" ("+missingShards(parts, first.Points, missingRanges(sorted, first.Points))+")")
	}
	if len(twice) > 0 {
		problems = append(problems, "points found twice: "+strings.Join(twice, ", ")+" (give each shard once)")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("sweep: merge: the parts given (%d) do not cover the sweep's %d points once each: %s", len(parts), first.Points, strings.Join(problems, "; "))
	}
	var out []*Part
	for _, p := range sorted {
		if p.Lo < p.Hi {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		out = sorted[:1] // a sweep of no points
	}
	return out, nil
}

// missingRanges lists the [lo, hi) ranges of points no part holds.
func missingRanges(sorted []*Part, points int) [][2]int {
	var out [][2]int
	covered := 0
	for _, p := range sorted {
		if p.Lo > covered {
			out = append(out, [2]int{covered, p.Lo})
		}
		covered = max(covered, p.Hi)
	}
	if covered < points {
		out = append(out, [2]int{covered, points})
	}
	return out
}

// missingShards names the shards that hold the missing points when every
// part is a shard of the same n, or else asks for the shards that hold
// them.
func missingShards(parts []*Part, points int, missing [][2]int) string {
	of := 0
	for _, p := range parts {
		s, err := design.ParseShard(p.Shard)
		if err != nil || of != 0 && s.Of != of {
			return "run the shards that hold them"
		}
		of = s.Of
	}
	var names []string
	for i := range of {
		lo, hi, _ := design.Shard(points, i, of)
		for _, m := range missing {
			if lo < hi && lo < m[1] && m[0] < hi {
				names = append(names, design.ShardSpec{Number: i + 1, Of: of}.String())
				break
			}
		}
	}
	if len(names) == 0 {
		return "run the shards that hold them"
	}
	return "run shard " + strings.Join(names, ", ")
}

func span(lo, hi int) string {
	if hi-lo == 1 {
		return strconv.Itoa(lo)
	}
	return strconv.Itoa(lo) + "-" + strconv.Itoa(hi-1)
}

// Merge combines the parts found in dirs (see FindParts) into the final
// files of the sweep, byte for byte those one machine running the whole
// sweep writes (manifest.json aside). It refuses parts of different
// sweeps, and parts that miss points or hold a point twice, naming them.
func Merge(dirs []string, opt MergeOptions) (*Result, error) {
	found, err := FindParts(dirs)
	if err != nil {
		return nil, err
	}
	parts, err := CheckParts(found)
	if err != nil {
		return nil, partsError{err}
	}
	out := opt.Out
	if out == "" {
		out = filepath.Dir(filepath.Dir(parts[0].dir))
	}
	if _, err := os.Stat(filepath.Join(out, ManifestFile)); err == nil && !opt.Force {
		return nil, fmt.Errorf("%w: %s (use --force to overwrite it, or --out to write elsewhere)", ErrExists, out)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	runs := make([]string, len(parts))
	for i, p := range parts {
		runs[i] = filepath.Join(p.dir, RunsFile)
	}
	outcome, err := plotOutcomeOr(opt.PlotOutcome)
	if err != nil {
		return nil, err
	}
	files, warnings, err := finalize(out, parts, runs, opt.Plots, outcome, opt.Command)
	if err != nil {
		return nil, err
	}
	m := &parts[0].Meta
	return &Result{Dir: out, Points: m.Points, Runs: m.Points * m.Replicates, Resumed: m.Points * m.Replicates, Files: files, Warnings: warnings}, nil
}
