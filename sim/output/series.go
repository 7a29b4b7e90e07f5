package output

import (
	"fmt"
	"reflect"
	"sync"

	"github.com/pushpull/pushpull/sim"
)

// metricLayout maps the engine's daily record to CSV columns, read once from
// the `csv` tags of sim.DayMetrics so that a metric added to the engine
// appears in every output without further code.
type metricLayout struct {
	names  []string
	fields []int
	index  map[string]int
}

var (
	layoutOnce sync.Once
	layout     metricLayout
)

func metrics() *metricLayout {
	layoutOnce.Do(func() {
		t := reflect.TypeFor[sim.DayMetrics]()
		layout.index = make(map[string]int)
		for i := range t.NumField() {
			f := t.Field(i)
			name := f.Tag.Get("csv")
			if name == "" || name == "-" || name == "day" {
				continue
			}
			switch f.Type.Kind() {
			case reflect.Float64, reflect.Float32, reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64, reflect.Uint32:
			default:
				continue
			}
			layout.index[name] = len(layout.names)
			layout.names = append(layout.names, name)
			layout.fields = append(layout.fields, i)
		}
	})
	return &layout
}

// MetricNames lists the daily metrics in column order (snake_case, as in
// daily.csv).
func MetricNames() []string { return metrics().names }

// MetricIndex returns the column of the daily metric name, or -1.
func MetricIndex(name string) int {
	if i, ok := metrics().index[name]; ok {
		return i
	}
	return -1
}

// appendMetrics appends m's metric values in column order.
func appendMetrics(dst []float64, m *sim.DayMetrics) []float64 {
	l := metrics()
	v := reflect.ValueOf(m).Elem()
	for _, fi := range l.fields {
		f := v.Field(fi)
		switch f.Kind() {
		case reflect.Float64, reflect.Float32:
			dst = append(dst, f.Float())
		case reflect.Uint64, reflect.Uint32:
			dst = append(dst, float64(f.Uint()))
		default:
			dst = append(dst, float64(f.Int()))
		}
	}
	return dst
}

// Series holds the daily metrics of every replicate of a run: the input of
// the CSV writers and of the plots. Days run from 0 (the seeded state) to
// Days. Values are indexed [replicate][day][brand][metric].
type Series struct {
	Brands     []string
	Customers  int
	Days       int
	Replicates int
	values     []float64
	done       []bool
}

// NewSeries makes room for a run's daily metrics.
func NewSeries(brands []string, customers, days, replicates int) *Series {
	m := len(MetricNames())
	return &Series{
		Brands:     brands,
		Customers:  customers,
		Days:       days,
		Replicates: replicates,
		values:     make([]float64, replicates*(days+1)*len(brands)*m),
		done:       make([]bool, replicates),
	}
}

func (s *Series) offset(rep, day, brand int) int {
	m := len(MetricNames())
	return ((rep*(s.Days+1)+day)*len(s.Brands) + brand) * m
}

// Record stores one day's metrics of one replicate; day 0 is the seeded
// state before the first simulated day.
// Replicates may record concurrently: each writes only its own rows.
func (s *Series) Record(rep, day int, ms []sim.DayMetrics) error {
	if rep < 0 || rep >= s.Replicates || day < 0 || day > s.Days || len(ms) != len(s.Brands) {
		return fmt.Errorf("output: record out of range: replicate %d, day %d, %d brands", rep, day, len(ms))
	}
	for b := range ms {
		o := s.offset(rep, day, b)
		appendMetrics(s.values[o:o:o+len(MetricNames())], &ms[b])
	}
	return nil
}

// MarkDone records that replicate rep ran to its last day. Only finished
// replicates are written and summarised, so an interrupted run reports what
// it completed and nothing else.
func (s *Series) MarkDone(rep int) { s.done[rep] = true }

// Done reports which replicates finished, in order.
func (s *Series) Done() []int {
	var reps []int
	for r, d := range s.done {
		if d {
			reps = append(reps, r)
		}
	}
	return reps
}

// Value returns one metric of one replicate, day and brand.
func (s *Series) Value(rep, day, brand, metric int) float64 {
	return s.values[s.offset(rep, day, brand)+metric]
}

// Band returns, for one brand and metric, the mean over the finished
// replicates on each day 0..Days and its Student-t 95% confidence
// interval; with a single replicate the band is the line itself.
func (s *Series) Band(brand, metric int) (mean, low, high []float64) {
	reps := s.Done()
	mean = make([]float64, s.Days+1)
	low = make([]float64, s.Days+1)
	high = make([]float64, s.Days+1)
	vals := make([]float64, len(reps))
	for d := 0; d <= s.Days; d++ {
		for i, r := range reps {
			vals[i] = s.Value(r, d, brand, metric)
		}
		sum := Summarize(vals)
		mean[d], low[d], high[d] = sum.Mean, sum.Low, sum.High
		if sum.N == 1 {
			low[d], high[d] = sum.Mean, sum.Mean
		}
	}
	return mean, low, high
}
