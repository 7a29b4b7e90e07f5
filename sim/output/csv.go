package output

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"
)

// appendFloat formats v the shortest way that reads back exactly, so files
// are byte-identical across runs and platforms; NaN (missing) is an empty cell.
func appendFloat(dst []byte, v float64) []byte {
	if math.IsNaN(v) {
		return dst
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.AppendInt(dst, int64(v), 10)
	}
	return strconv.AppendFloat(dst, v, 'g', -1, 64)
}

// appendField writes s as a CSV field (RFC 4180): quoted when it holds a
// comma, a quote or a line break, with quotes doubled, as encoding/csv
// reads it back.
func appendField(dst []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n\r") {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	dst = append(dst, strings.ReplaceAll(s, `"`, `""`)...)
	return append(dst, '"')
}

func writeHeader(w io.Writer, cols ...[]string) error {
	var line []byte
	for _, group := range cols {
		for _, c := range group {
			if len(line) > 0 {
				line = append(line, ',')
			}
			line = append(line, c...)
		}
	}
	line = append(line, '\n')
	_, err := w.Write(line)
	return err
}

// WriteDaily writes daily.csv: one row per finished replicate, day and brand,
// one column per metric of the engine's daily record.
func WriteDaily(w io.Writer, s *Series) error {
	bw := bufio.NewWriter(w)
	if err := writeHeader(bw, []string{"replicate", "day", "brand"}, MetricNames()); err != nil {
		return err
	}
	m := len(MetricNames())
	var line []byte
	for _, r := range s.Done() {
		for d := 0; d <= s.Days; d++ {
			for b, name := range s.Brands {
				line = strconv.AppendInt(line[:0], int64(r), 10)
				line = append(line, ',')
				line = strconv.AppendInt(line, int64(d), 10)
				line = append(line, ',')
				line = appendField(line, name)
				o := s.offset(r, d, b)
				for _, v := range s.values[o : o+m] {
					line = append(line, ',')
					line = appendFloat(line, v)
				}
				line = append(line, '\n')
				if _, err := bw.Write(line); err != nil {
					return err
				}
			}
		}
	}
	return bw.Flush()
}

// ReplicateOutcomes holds the end-of-run outcomes of every finished replicate:
// Values[i][b] lists brand b's outcomes of the i-th finished replicate, in
// the order of OutcomeNames.
type ReplicateOutcomes struct {
	// Seed is the run's seed: replicates of runs with the same seed and
	// number used the same random streams, so their differences pair.
	Seed       uint64
	Brands     []string
	Replicates []int
	Values     [][][]float64
}

// Add appends one finished replicate's outcomes, taken from its tracker.
func (ro *ReplicateOutcomes) Add(rep int, t *Tracker) {
	row := make([][]float64, len(ro.Brands))
	for b := range ro.Brands {
		row[b] = t.Outcomes(b)
	}
	ro.Replicates = append(ro.Replicates, rep)
	ro.Values = append(ro.Values, row)
}

// WriteReplicates writes replicates.csv: one row per replicate and brand,
// with every outcome in OutcomeNames.
func WriteReplicates(w io.Writer, ro *ReplicateOutcomes) error {
	bw := bufio.NewWriter(w)
	if err := writeHeader(bw, []string{"replicate", "brand"}, OutcomeNames); err != nil {
		return err
	}
	var line []byte
	for i, r := range ro.Replicates {
		for b, name := range ro.Brands {
			line = strconv.AppendInt(line[:0], int64(r), 10)
			line = append(line, ',')
			line = appendField(line, name)
			for _, v := range ro.Values[i][b] {
				line = append(line, ',')
				line = appendFloat(line, v)
			}
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// Summaries returns, per brand and outcome, the summary across replicates:
// result[b][k] summarises brand b's k-th outcome.
func (ro *ReplicateOutcomes) Summaries() [][]Summary {
	out := make([][]Summary, len(ro.Brands))
	vals := make([]float64, len(ro.Replicates))
	for b := range ro.Brands {
		out[b] = make([]Summary, len(OutcomeNames))
		for k := range OutcomeNames {
			for i := range ro.Replicates {
				vals[i] = ro.Values[i][b][k]
			}
			out[b][k] = Summarize(vals)
		}
	}
	return out
}

// WriteSummary writes summary.csv: per brand and outcome the mean, standard
// deviation, Student-t 95% confidence interval and number of replicates.
func WriteSummary(w io.Writer, brands []string, sums [][]Summary) error {
	bw := bufio.NewWriter(w)
	if err := writeHeader(bw, []string{"brand", "outcome", "mean", "sd", "ci95_low", "ci95_high", "n"}); err != nil {
		return err
	}
	var line []byte
	for b, name := range brands {
		for k, outcome := range OutcomeNames {
			s := sums[b][k]
			line = appendField(line[:0], name)
			line = append(line, ',')
			line = append(line, outcome...)
			for _, v := range []float64{s.Mean, s.SD, s.Low, s.High} {
				line = append(line, ',')
				line = appendFloat(line, v)
			}
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(s.N), 10)
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// OutcomeIndex returns the position of an outcome in OutcomeNames, or -1.
func OutcomeIndex(name string) int {
	for i, n := range OutcomeNames {
		if n == name {
			return i
		}
	}
	return -1
}
