package output

import (
	"bufio"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"
)

// Difference is the difference of one outcome between a scenario and the
// first (baseline) scenario of a comparison, with its 95% confidence
// interval.
type Difference struct {
	Mean, Low, High float64
	N               int
	// Paired is true when the interval comes from replicate-by-replicate
	// differences: scenarios run with common random numbers (the same seed
	// and replicate numbers) are paired, which removes the noise they share.
	// Otherwise it is Welch's interval for two independent samples.
	Paired bool
}

// Diff compares one outcome of one brand between a baseline run and another
// run. Runs with the same seed used common random numbers: the replicates
// they share (at least two; all of them unless one run was interrupted)
// are paired replicate by replicate. Otherwise the samples are treated as
// independent (Welch).
func Diff(base, other *ReplicateOutcomes, brandBase, brandOther, outcome int) Difference {
	if base.Seed != other.Seed {
		return welch(column(base, brandBase, outcome), column(other, brandOther, outcome))
	}
	inBase := make(map[int]float64, len(base.Replicates))
	for i, r := range base.Replicates {
		inBase[r] = base.Values[i][brandBase][outcome]
	}
	var paired []float64
	for i, r := range other.Replicates {
		if v, ok := inBase[r]; ok {
			paired = append(paired, other.Values[i][brandOther][outcome]-v)
		}
	}
	if len(paired) >= 2 {
		s := Summarize(paired)
		return Difference{Mean: s.Mean, Low: s.Low, High: s.High, N: s.N, Paired: true}
	}
	a := column(base, brandBase, outcome)
	b := column(other, brandOther, outcome)
	return welch(a, b)
}

func column(ro *ReplicateOutcomes, brand, outcome int) []float64 {
	out := make([]float64, len(ro.Replicates))
	for i := range ro.Replicates {
		out[i] = ro.Values[i][brand][outcome]
	}
	return out
}

// welch returns the difference of means b - a with Welch's t interval.
func welch(a, b []float64) Difference {
	sa, sb := Summarize(a), Summarize(b)
	d := Difference{Mean: sb.Mean - sa.Mean, Low: math.NaN(), High: math.NaN(), N: min(sa.N, sb.N)}
	if sa.N < 2 || sb.N < 2 {
		return d
	}
	va, vb := sa.SD*sa.SD/float64(sa.N), sb.SD*sb.SD/float64(sb.N)
	se := math.Sqrt(va + vb)
	if se == 0 {
		d.Low, d.High = d.Mean, d.Mean
		return d
	}
	df := (va + vb) * (va + vb) / (va*va/float64(sa.N-1) + vb*vb/float64(sb.N-1))
	half := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.975) * se
	d.Low, d.High = d.Mean-half, d.Mean+half
	return d
}

// ComparisonRow is one line of compare.csv.
type ComparisonRow struct {
	Brand, Outcome, Scenario string
	Summary                  Summary
	Diff                     Difference // zero-valued with HasDiff false for the baseline
	HasDiff                  bool
}

// WriteComparison writes compare.csv: per brand, outcome and scenario the
// mean and 95% interval, and the difference to the first scenario with its
// interval (empty for the first scenario itself).
func WriteComparison(w io.Writer, rows []ComparisonRow) error {
	bw := bufio.NewWriter(w)
	if err := writeHeader(bw, []string{"brand", "outcome", "scenario", "mean", "ci95_low", "ci95_high", "n",
		"diff", "diff_ci95_low", "diff_ci95_high", "paired"}); err != nil {
		return err
	}
	var line []byte
	for _, r := range rows {
		line = appendField(line[:0], r.Brand)
		line = append(line, ',')
		line = append(line, r.Outcome...)
		line = append(line, ',')
		line = appendField(line, r.Scenario)
		for _, v := range []float64{r.Summary.Mean, r.Summary.Low, r.Summary.High} {
			line = append(line, ',')
			line = appendFloat(line, v)
		}
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(r.Summary.N), 10)
		if r.HasDiff {
			for _, v := range []float64{r.Diff.Mean, r.Diff.Low, r.Diff.High} {
				line = append(line, ',')
				line = appendFloat(line, v)
			}
			line = append(line, ',')
			line = strconv.AppendBool(line, r.Diff.Paired)
		} else {
			line = append(line, ",,,,"...)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
