package output

import "github.com/pushpull/pushpull/sim"

// AppendFloat appends v the way every CSV file of this package writes a
// number: whole numbers below 1e15 without a decimal point, any other value
// in the shortest form that reads back to the same float64, and NaN (a
// missing value) as an empty cell. Other packages that write CSV files next
// to these (sweeps) use it so that their files read and compare alike.
func AppendFloat(dst []byte, v float64) []byte { return appendFloat(dst, v) }

// AppendField appends s as one CSV field, quoted when it holds a comma, a
// quote or a line break.
func AppendField(dst []byte, s string) []byte { return appendField(dst, s) }

// AppendMetrics appends one brand's metrics of a day to dst, in the order
// of MetricNames.
func AppendMetrics(dst []float64, m *sim.DayMetrics) []float64 { return appendMetrics(dst, m) }
