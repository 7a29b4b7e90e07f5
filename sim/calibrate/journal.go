package calibrate

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// JournalFile is the journal's name in a fit's folder.
const JournalFile = "calibrate.journal"

const journalMagic = "pushpull-calibrate-journal 1"

// A Journal records a fit's finished generations, one line each, so that
// a fit stopped by a kill resumes from its last finished generation. It
// starts with a header naming the fit (the caller's hash of everything the
// result depends on); a line reads
//
//	INDEX,TOLERANCE,SIMULATIONS,PROPOSALS,N,K,(WEIGHT,DISTANCE,X1..XK) x N,CRC
//
// CRC being the CRC-32 (IEEE), in 8 hex digits, of the line before it.
// Numbers are written in the shortest form that reads back exactly, so a
// resumed fit goes on from the very same population.
type Journal struct {
	path string
	f    *os.File
}

// OpenJournal opens the journal at path for the fit named identity,
// creating it or reading the generations an earlier attempt finished. A
// journal of another fit is refused, or discarded with force. A last line
// cut short or failing its checksum is dropped.
func OpenJournal(path, identity string, force bool) (*Journal, []*Generation, error) {
	header := journalMagic + " fit=" + identity + "\n"
	j := &Journal{path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || err == nil && force && !strings.HasPrefix(string(data), header) {
		return j, nil, j.create(header)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("calibrate: cannot read the journal: %w", err)
	}
	if !strings.HasPrefix(string(data), header) {
		return nil, nil, fmt.Errorf("calibrate: %s belongs to another fit (its header differs; use --force to discard it)", path)
	}
	var gens []*Generation
	valid := len(header)
	for _, line := range strings.SplitAfter(string(data[len(header):]), "\n") {
		g, ok := parseGeneration(line)
		if !ok || g.Index != len(gens) {
			break
		}
		gens = append(gens, g)
		valid += len(line)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("calibrate: cannot open the journal: %w", err)
	}
	if err := f.Truncate(int64(valid)); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("calibrate: cannot cut the journal's torn end: %w", err)
	}
	if _, err := f.Seek(int64(valid), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	j.f = f
	return j, gens, nil
}

func (j *Journal) create(header string) error {
	f, err := os.Create(j.path)
	if err != nil {
		return fmt.Errorf("calibrate: cannot create the journal: %w", err)
	}
	if _, err := io.WriteString(f, header); err != nil {
		f.Close()
		return err
	}
	j.f = f
	return f.Sync()
}

// Append writes one generation and syncs it to disk.
func (j *Journal) Append(g *Generation) error {
	w := bufio.NewWriter(j.f)
	if _, err := w.Write(appendGeneration(nil, g)); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return j.f.Sync()
}

// Close closes the journal's file.
func (j *Journal) Close() error {
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// Remove closes and deletes the journal, once a fit's outputs are written.
func (j *Journal) Remove() error {
	j.Close()
	return os.Remove(j.path)
}

func appendGeneration(dst []byte, g *Generation) []byte {
	start := len(dst)
	num := func(x float64) { dst = strconv.AppendFloat(dst, x, 'g', -1, 64); dst = append(dst, ',') }
	k := 0
	if len(g.Particles) > 0 {
		k = len(g.Particles[0])
	}
	dst = fmt.Appendf(dst, "%d,", g.Index)
	num(g.Tolerance)
	dst = fmt.Appendf(dst, "%d,%d,%d,%d,", g.Simulations, g.Proposals, len(g.Particles), k)
	for i, x := range g.Particles {
		num(g.Weights[i])
		num(g.Distances[i])
		for _, v := range x {
			num(v)
		}
	}
	dst = fmt.Appendf(dst, "%08x\n", crc32.ChecksumIEEE(dst[start:]))
	return dst
}

func parseGeneration(line string) (*Generation, bool) {
	body, ok := strings.CutSuffix(line, "\n")
	if !ok {
		return nil, false
	}
	cut := strings.LastIndexByte(body, ',')
	if cut < 0 || fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte(body[:cut+1]))) != body[cut+1:] {
		return nil, false
	}
	fields := strings.Split(body[:cut], ",")
	if len(fields) < 6 {
		return nil, false
	}
	ints := make([]int, 6)
	g := &Generation{}
	for i, f := range fields[:6] {
		if i == 1 {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return nil, false
			}
			g.Tolerance = x
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil, false
		}
		ints[i] = n
	}
	g.Index, g.Simulations, g.Proposals = ints[0], ints[2], ints[3]
	n, k := ints[4], ints[5]
	if len(fields) != 6+n*(2+k) {
		return nil, false
	}
	vals := make([]float64, n*(2+k))
	for i, f := range fields[6:] {
		x, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, false
		}
		vals[i] = x
	}
	for i := range n {
		row := vals[i*(2+k) : (i+1)*(2+k)]
		g.Weights = append(g.Weights, row[0])
		g.Distances = append(g.Distances, row[1])
		g.Particles = append(g.Particles, append([]float64(nil), row[2:]...))
	}
	return g, true
}
