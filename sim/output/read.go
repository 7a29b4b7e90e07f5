package output

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// ReadRunDir reads the daily series and replicate outcomes of an existing run
// folder, so plots and comparisons can be redrawn without rerunning.
func ReadRunDir(dir string) (*Manifest, *Series, *ReplicateOutcomes, error) {
	f, err := os.Open(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("output: %s is not a run folder: %w", dir, err)
	}
	m, err := ReadManifest(f)
	f.Close()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("output: %s: %w", filepath.Join(dir, ManifestFile), err)
	}
	s, err := readDaily(filepath.Join(dir, DailyFile), m)
	if err != nil {
		return nil, nil, nil, err
	}
	ro, err := readReplicates(filepath.Join(dir, ReplicatesFile), m.Brands)
	if err != nil {
		return nil, nil, nil, err
	}
	ro.Seed = m.Seed
	return m, s, ro, nil
}

func parseCell(path string, line int, col, cell string) (float64, error) {
	if cell == "" {
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		return 0, fmt.Errorf("output: %s:%d: column %s: expected a number, found %q", path, line, col, cell)
	}
	return v, nil
}

func openCSV(path string, want []string) (*os.File, *csv.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("output: %w", err)
	}
	r := csv.NewReader(bufio.NewReader(f))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("output: %s:1: cannot read the header: %w", path, err)
	}
	if !slices.Equal(head, want) {
		f.Close()
		return nil, nil, fmt.Errorf("output: %s:1: columns differ from this version of pushpull's; expected %v", path, want)
	}
	return f, r, nil
}

func readDaily(path string, m *Manifest) (*Series, error) {
	names := MetricNames()
	f, r, err := openCSV(path, append([]string{"replicate", "day", "brand"}, names...))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := NewSeries(m.Brands, m.Customers, m.Days, m.Replicates)
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("output: %s:%d: %w", path, line, err)
		}
		rep, err1 := strconv.Atoi(rec[0])
		day, err2 := strconv.Atoi(rec[1])
		b := slices.Index(m.Brands, rec[2])
		if err1 != nil || err2 != nil || b < 0 || rep < 0 || rep >= s.Replicates || day < 0 || day > s.Days {
			return nil, fmt.Errorf("output: %s:%d: replicate, day or brand out of range for this run: %q, %q, %q", path, line, rec[0], rec[1], rec[2])
		}
		o := s.offset(rep, day, b)
		for k, cell := range rec[3:] {
			v, err := parseCell(path, line, names[k], cell)
			if err != nil {
				return nil, err
			}
			s.values[o+k] = v
		}
		s.done[rep] = true
	}
	return s, nil
}

func readReplicates(path string, brands []string) (*ReplicateOutcomes, error) {
	f, r, err := openCSV(path, append([]string{"replicate", "brand"}, OutcomeNames...))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ro := &ReplicateOutcomes{Brands: brands}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("output: %s:%d: %w", path, line, err)
		}
		rep, err := strconv.Atoi(rec[0])
		b := slices.Index(brands, rec[1])
		if err != nil || b < 0 {
			return nil, fmt.Errorf("output: %s:%d: unknown replicate or brand: %q, %q", path, line, rec[0], rec[1])
		}
		if len(ro.Replicates) == 0 || ro.Replicates[len(ro.Replicates)-1] != rep {
			ro.Replicates = append(ro.Replicates, rep)
			ro.Values = append(ro.Values, make([][]float64, len(brands)))
		}
		vals := make([]float64, len(OutcomeNames))
		for k, cell := range rec[2:] {
			if vals[k], err = parseCell(path, line, OutcomeNames[k], cell); err != nil {
				return nil, err
			}
		}
		ro.Values[len(ro.Values)-1][b] = vals
	}
	for i, row := range ro.Values {
		for b, v := range row {
			if v == nil {
				return nil, fmt.Errorf("output: %s: replicate %d has no row for brand %s", path, ro.Replicates[i], brands[b])
			}
		}
	}
	return ro, nil
}
