package calibrate

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/pushpull/pushpull/sim/scenario"
)

// Data is an observed curve: a time column and one or more outcome
// columns, each observed at every time.
type Data struct {
	// File names the data in messages.
	File string
	// TimeColumn is the name of the first column.
	TimeColumn string
	// Times are the observation times in the data's unit, increasing.
	Times []float64
	// Columns name the outcome columns, in file order.
	Columns []string
	// Values[c][t] is column c at Times[t].
	Values [][]float64
	// Lines[t] is the file line of Times[t], for messages.
	Lines []int
	// SHA256 is the hex SHA-256 of the file's bytes.
	SHA256 string
}

// ReadData reads observed data as CSV: a header line naming the time
// column and then each outcome column, and one line per observation time.
// Times must be numbers of at least 0 that increase from line to line;
// every cell must hold a finite number. The error is scenario.Errors,
// each naming file, line and column.
func ReadData(file string, r io.Reader) (*Data, error) {
	h := sha256.New()
	cr := csv.NewReader(io.TeeReader(r, h))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	fail := func(line int, col, problem, want, got string) error {
		return scenario.Errors{{File: file, Line: line, Key: col, Problem: problem, Want: want, Got: got}}
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fail(0, "", "the data file is empty", "a header line: time, then outcome columns", "")
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	d := &Data{File: file}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	if len(header) < 2 {
		return nil, fail(1, "", "no outcome column", "a time column, then one or more outcome columns named as in daily.csv", strings.Join(header, ","))
	}
	seen := map[string]bool{}
	for _, h := range header {
		if h == "" {
			return nil, fail(1, "", "a column has no name", "a name for every column", strings.Join(header, ","))
		}
		if seen[h] {
			return nil, fail(1, h, "the column appears twice", "each column once", strconv.Quote(h))
		}
		seen[h] = true
	}
	d.TimeColumn, d.Columns = header[0], header[1:]
	d.Values = make([][]float64, len(d.Columns))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, csvError(file, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			return nil, fail(line, "", "wrong number of cells", fmt.Sprintf("%d, one per column", len(header)), strconv.Itoa(len(rec)))
		}
		vals := make([]float64, len(rec))
		for i, cell := range rec {
			cell = strings.TrimSpace(cell)
			if cell == "" {
				return nil, fail(line, header[i], "missing value", "a number", "an empty cell")
			}
			x, err := strconv.ParseFloat(cell, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fail(line, header[i], "not a number", "a finite number", strconv.Quote(cell))
			}
			vals[i] = x
		}
		t := vals[0]
		switch {
		case t < 0:
			return nil, fail(line, header[0], "time before the start", "a time of at least 0 (0 is the seeded state)", strconv.FormatFloat(t, 'g', -1, 64))
		case len(d.Times) > 0 && t <= d.Times[len(d.Times)-1]:
			return nil, fail(line, header[0], "times out of order", fmt.Sprintf("a time after %g, the line before's", d.Times[len(d.Times)-1]), strconv.FormatFloat(t, 'g', -1, 64))
		}
		d.Times = append(d.Times, t)
		d.Lines = append(d.Lines, line)
		for c := range d.Columns {
			d.Values[c] = append(d.Values[c], vals[c+1])
		}
	}
	if len(d.Times) == 0 {
		return nil, fail(0, "", "no observations", "one line per observation time after the header", "")
	}
	d.SHA256 = hex.EncodeToString(h.Sum(nil))
	return d, nil
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return scenario.Errors{{File: file, Line: pe.Line, Problem: "not valid CSV: " + pe.Err.Error()}}
	}
	return scenario.Errors{{File: file, Problem: "cannot read the data: " + err.Error()}}
}

// Observed returns the data's values as one vector, column after column:
// the layout a Model's output and a Distance take.
func (d *Data) Observed() []float64 {
	var out []float64
	for _, v := range d.Values {
		out = append(out, v...)
	}
	return out
}

// A Distance measures how far a simulated vector lies from the observed
// one: the root mean square of the differences, each series' differences
// divided by that series' scale (its largest absolute observed value, or 1
// when all are 0), averaged within a series and then over series,
//
//	d = sqrt( (1/S) sum_s (1/n_s) sum_t ((x_st - y_st) / scale_s)^2 ),
//
// so that each series weighs the same whatever its units or length, and
// d = 0.05 reads "off by 5% of the series' size, in the root mean square".
type Distance struct {
	observed []float64
	factor   []float64
}

// NewDistance makes the distance to the observed series, given one slice
// per series, in the order of the vector they make.
func NewDistance(series [][]float64) *Distance {
	d := &Distance{}
	for _, s := range series {
		scale := 0.0
		for _, y := range s {
			scale = math.Max(scale, math.Abs(y))
		}
		if scale == 0 {
			scale = 1
		}
		f := 1 / (scale * math.Sqrt(float64(len(series)*len(s))))
		for _, y := range s {
			d.observed = append(d.observed, y)
			d.factor = append(d.factor, f)
		}
	}
	return d
}

// Len is the length of the vectors the distance compares.
func (d *Distance) Len() int { return len(d.observed) }

// Observed is the observed vector.
func (d *Distance) Observed() []float64 { return d.observed }

// Of returns the distance of simulated vector x to the observed one.
func (d *Distance) Of(x []float64) float64 {
	var s float64
	for i, y := range d.observed {
		e := (x[i] - y) * d.factor[i]
		s += e * e
	}
	return math.Sqrt(s)
}
