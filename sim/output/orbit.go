package output

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"

	"github.com/pushpull/pushpull/sim"
)

// OrbitFile holds the orbit frames of a run: a sample of customers and the
// brand each one orbits, at regular days of the first replicate.
const OrbitFile = "orbit.csv"

// OrbitPoint is one sampled customer in one frame: the brand it orbits
// (the one it uses, else the one it is most engaged with, else one it
// left; -1 for none),
// its status with that brand, and its engagement with it, which sets how
// close it is drawn to the brand.
type OrbitPoint struct {
	Customer   int32
	Brand      int8
	Status     sim.Status
	Engagement float32
}

// OrbitFrame is the sample on one day.
type OrbitFrame struct {
	Day    int
	Points []OrbitPoint
}

// Orbit records the social-gravity picture of one replicate: which brand
// each sampled customer orbits, and how closely, every Every days and on
// the last day.
type Orbit struct {
	Brands []string
	Sample []int32 // sampled customers, in increasing order
	Every  int
	Days   int
	Frames []OrbitFrame
}

// minOrbitEngagement is the engagement below which a customer who uses no
// brand is drawn as orbiting none.
const minOrbitEngagement = 0.02

// NewOrbit samples up to sample customers of a market of the given size,
// the same ones for a given seed, to be recorded every `every` days of a
// run of `days` days.
func NewOrbit(brands []string, customers, sample, every, days int, seed uint64) *Orbit {
	sample = min(sample, customers)
	rng := rand.New(rand.NewPCG(seed, 0x6f72626974))
	chosen := make([]int32, 0, sample)
	// Floyd's algorithm: a uniform sample without replacement in O(sample).
	seen := make(map[int32]bool, sample)
	for j := customers - sample; j < customers; j++ {
		t := int32(rng.IntN(j + 1))
		if seen[t] {
			t = int32(j)
		}
		seen[t] = true
		chosen = append(chosen, t)
	}
	slices.Sort(chosen)
	return &Orbit{Brands: brands, Sample: chosen, Every: max(1, every), Days: days}
}

// Observe records a frame when m's day is one of the orbit's days.
func (o *Orbit) Observe(m *sim.Market) {
	d := m.Day()
	if d%o.Every != 0 && d != o.Days {
		return
	}
	frame := OrbitFrame{Day: d, Points: make([]OrbitPoint, len(o.Sample))}
	for i, c := range o.Sample {
		pt := OrbitPoint{Customer: c, Brand: -1}
		if cur := m.Current(int(c)); cur >= 0 {
			v := m.View(int(c), cur)
			pt.Brand, pt.Status, pt.Engagement = int8(cur), v.Status, float32(v.Engagement)
		} else {
			best, engaged := minOrbitEngagement, false
			left := -1.0 // engagement with a brand it left
			for b := range o.Brands {
				v := m.View(int(c), b)
				if v.Engagement >= best {
					best, engaged = v.Engagement, true
					pt.Brand, pt.Status, pt.Engagement = int8(b), v.Status, float32(v.Engagement)
				}
				// A customer who left a brand and is drawn to none stays
				// in that brand's picture as churned, at the edge, so the
				// orbit shows where customers are lost.
				if !engaged && v.Status == sim.StatusChurned && v.Engagement > left {
					left = v.Engagement
					pt.Brand, pt.Status, pt.Engagement = int8(b), v.Status, float32(v.Engagement)
				}
			}
		}
		frame.Points[i] = pt
	}
	o.Frames = append(o.Frames, frame)
}

// WriteOrbit writes the frames as CSV: day, customer, brand (empty for
// none), status and engagement.
func WriteOrbit(w io.Writer, o *Orbit) error {
	bw := bufio.NewWriter(w)
	if err := writeHeader(bw, []string{"day", "customer", "brand", "status", "engagement"}); err != nil {
		return err
	}
	var line []byte
	for _, f := range o.Frames {
		for _, p := range f.Points {
			line = strconv.AppendInt(line[:0], int64(f.Day), 10)
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(p.Customer), 10)
			line = append(line, ',')
			if p.Brand >= 0 {
				line = appendField(line, o.Brands[p.Brand])
			}
			line = append(line, ',')
			line = append(line, p.Status.String()...)
			line = append(line, ',')
			line = strconv.AppendFloat(line, float64(p.Engagement), 'g', -1, 32)
			line = append(line, '\n')
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// ReadOrbit reads an orbit file written by WriteOrbit for a run with the
// given brands. A file with a header only (no customer sampled) gives an
// orbit without frames.
func ReadOrbit(path string, brands []string) (*Orbit, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReader(f))
	head, err := r.Read()
	if err != nil || !slices.Equal(head, []string{"day", "customer", "brand", "status", "engagement"}) {
		return nil, fmt.Errorf("output: %s:1: want the header day,customer,brand,status,engagement", path)
	}
	o := &Orbit{Brands: brands, Every: 1}
	inSample := map[int32]bool{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("output: %s:%d: %w", path, line, err)
		}
		day, err1 := strconv.Atoi(rec[0])
		c, err2 := strconv.ParseInt(rec[1], 10, 32)
		e, err3 := strconv.ParseFloat(rec[4], 32)
		st := slices.Index(statusNames, rec[3])
		b := -1
		if rec[2] != "" {
			b = slices.Index(brands, rec[2])
		}
		if err1 != nil || err2 != nil || err3 != nil || st < 0 || (rec[2] != "" && b < 0) {
			return nil, fmt.Errorf("output: %s:%d: want day, customer, a brand of the run or nothing, a status and an engagement; found %q", path, line, rec)
		}
		if n := len(o.Frames); n == 0 || o.Frames[n-1].Day != day {
			o.Frames = append(o.Frames, OrbitFrame{Day: day})
		}
		fr := &o.Frames[len(o.Frames)-1]
		fr.Points = append(fr.Points, OrbitPoint{Customer: int32(c), Brand: int8(b), Status: sim.Status(st), Engagement: float32(e)})
		if !inSample[int32(c)] {
			inSample[int32(c)] = true
			o.Sample = append(o.Sample, int32(c))
		}
	}
	if len(o.Frames) == 0 {
		// A run that sampled no customers: nothing to draw, nothing wrong.
		return o, nil
	}
	o.Days = o.Frames[len(o.Frames)-1].Day
	if len(o.Frames) > 1 {
		o.Every = o.Frames[1].Day - o.Frames[0].Day
	}
	return o, nil
}

var statusNames = []string{"none", "customer", "advocate", "detractor", "churned"}
