package sweep

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/pushpull/pushpull/sim/output"
)

// journal is the append-only record of the finished runs of a range of
// points: a header line, then one line per run in the order runs finish.
//
//	pushpull-sweep-journal 1 sweep_sha256=HEX points=LO-HI replicates=R width=W
//	POINT,REPLICATE,CRC,V1,...,VW
//
// CRC is the CRC-32 (IEEE) in 8 hex digits of the line without its CRC
// field ("POINT,REPLICATE,V1,...,VW"); values are written as the CSV files
// write them, so they read back exactly.
type journal struct {
	path   string
	meta   *Meta
	lo, hi int

	mu        sync.Mutex
	f         *os.File
	w         *bufio.Writer
	end       int64   // the file's length, flushed or not
	offsets   []int64 // offset of each run's line, -1 when missing
	perPoint  []int32 // runs done per point
	doneCount int
	pending   int
	lastSync  time.Time
	line      []byte
}

func journalHeader(meta *Meta, lo, hi int) string {
	return fmt.Sprintf("%s %s sweep_sha256=%s points=%d-%d replicates=%d width=%d\n",
		journalMagic, journalVersion, meta.SweepSHA256, lo, hi, meta.Replicates, meta.recordWidth())
}

// openJournal opens the journal at path, creating it, or reading the runs
// an earlier attempt finished. A journal of another sweep is refused, or
// discarded with force. A last line cut short or failing its checksum, and
// anything after it, is dropped.
func openJournal(path string, meta *Meta, lo, hi int, force bool) (*journal, error) {
	runs := (hi - lo) * meta.Replicates
	j := &journal{path: path, meta: meta, lo: lo, hi: hi, offsets: make([]int64, runs), perPoint: make([]int32, hi-lo), lastSync: time.Now()}
	for i := range j.offsets {
		j.offsets[i] = -1
	}
	header := journalHeader(meta, lo, hi)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return j.create(header)
	}
	if err != nil {
		return nil, fmt.Errorf("sweep: cannot open the journal: %w", err)
	}
	valid, err := j.read(f, header)
	if err != nil {
		f.Close()
		if !force {
			return nil, err
		}
		return j.create(header)
	}
	if err := f.Truncate(valid); err != nil {
		f.Close()
		return nil, fmt.Errorf("sweep: cannot cut the journal's torn end: %w", err)
	}
	if _, err := f.Seek(valid, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	j.f, j.w, j.end = f, bufio.NewWriterSize(f, 1<<16), valid
	return j, nil
}

func (j *journal) create(header string) (*journal, error) {
	f, err := os.Create(j.path)
	if err != nil {
		return nil, fmt.Errorf("sweep: cannot create the journal: %w", err)
	}
	if _, err := io.WriteString(f, header); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	j.f, j.w, j.end = f, bufio.NewWriterSize(f, 1<<16), int64(len(header))
	return j, nil
}

// read indexes the runs of an existing journal and returns the length of
// its valid part.
func (j *journal) read(f *os.File, header string) (int64, error) {
	br := bufio.NewReaderSize(f, 1<<16)
	first, err := br.ReadString('\n')
	if err != nil || first != header {
		return 0, fmt.Errorf("sweep: %s belongs to another sweep or range (its header differs; use --force to discard it)", j.path)
	}
	offset := int64(len(first))
	vals := make([]float64, j.meta.recordWidth())
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// A line longer than the buffer: read it whole.
			rest, err2 := br.ReadBytes('\n')
			line, err = append(append([]byte(nil), line...), rest...), err2
		}
		if err != nil {
			return offset, nil // end of file, or a torn last line
		}
		point, rep, ok := parseRun(line, vals)
		if !ok || point < j.lo || point >= j.hi || rep < 0 || rep >= j.meta.Replicates {
			return offset, nil
		}
		i := j.runIndex(point, rep)
		if j.offsets[i] < 0 {
			j.offsets[i] = offset
			j.perPoint[point-j.lo]++
			j.doneCount++
		}
		offset += int64(len(line))
	}
}

func (j *journal) runIndex(point, rep int) int { return (point-j.lo)*j.meta.Replicates + rep }

func (j *journal) runDone(point, rep int) bool { return j.offsets[j.runIndex(point, rep)] >= 0 }

func (j *journal) pointDone(point int) bool {
	return int(j.perPoint[point-j.lo]) == j.meta.Replicates
}

// appendRun appends the line of one run to dst.
func appendRun(dst []byte, point, rep int, vals []float64) []byte {
	start := len(dst)
	dst = strconv.AppendInt(dst, int64(point), 10)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, int64(rep), 10)
	mid := len(dst)
	dst = append(dst, ",00000000"...)
	for _, v := range vals {
		dst = append(dst, ',')
		dst = output.AppendFloat(dst, v)
	}
	crc := crc32.Update(crc32.ChecksumIEEE(dst[start:mid]), crc32.IEEETable, dst[mid+9:])
	const hexDigits = "0123456789abcdef"
	for i := range 8 {
		dst[mid+1+i] = hexDigits[crc>>(28-4*i)&0xf]
	}
	return append(dst, '\n')
}

// parseRun reads a run's line into vals; ok is false for a line that is
// cut short, malformed or fails its checksum.
func parseRun(line []byte, vals []float64) (point, rep int, ok bool) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	f1 := bytes.IndexByte(line, ',')
	if f1 < 0 {
		return 0, 0, false
	}
	f2 := f1 + 1 + bytes.IndexByte(line[f1+1:], ',')
	if f2 <= f1 || len(line) < f2+9 || (len(line) > f2+9 && line[f2+9] != ',') {
		return 0, 0, false
	}
	want, err := strconv.ParseUint(string(line[f2+1:f2+9]), 16, 32)
	if err != nil {
		return 0, 0, false
	}
	h := crc32.NewIEEE()
	h.Write(line[:f2])
	h.Write(line[f2+9:])
	if h.Sum32() != uint32(want) {
		return 0, 0, false
	}
	p, err1 := strconv.Atoi(string(line[:f1]))
	r, err2 := strconv.Atoi(string(line[f1+1 : f2]))
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	rest := line[f2+9:]
	for i := range vals {
		if len(rest) == 0 || rest[0] != ',' {
			return 0, 0, false
		}
		rest = rest[1:]
		end := bytes.IndexByte(rest, ',')
		if end < 0 {
			end = len(rest)
		}
		if end == 0 {
			vals[i] = math.NaN()
		} else {
			v, err := strconv.ParseFloat(string(rest[:end]), 64)
			if err != nil {
				return 0, 0, false
			}
			vals[i] = v
		}
		rest = rest[end:]
	}
	if len(rest) != 0 {
		return 0, 0, false
	}
	return p, r, true
}

// append records a finished run, syncing to disk every syncRuns runs or
// syncEvery, whichever comes first.
func (j *journal) append(point, rep int, vals []float64, syncRuns int, syncEvery time.Duration) error {
	if syncRuns <= 0 {
		syncRuns = DefaultSyncRuns
	}
	if syncEvery <= 0 {
		syncEvery = DefaultSyncInterval
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	i := j.runIndex(point, rep)
	if j.offsets[i] >= 0 {
		return nil
	}
	j.line = appendRun(j.line[:0], point, rep, vals)
	if _, err := j.w.Write(j.line); err != nil {
		return fmt.Errorf("sweep: writing the journal: %w", err)
	}
	j.offsets[i] = j.end
	j.end += int64(len(j.line))
	j.perPoint[point-j.lo]++
	j.doneCount++
	j.pending++
	if j.pending >= syncRuns || time.Since(j.lastSync) >= syncEvery {
		return j.syncLocked()
	}
	return nil
}

func (j *journal) sync() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.syncLocked()
}

func (j *journal) syncLocked() error {
	if j.f == nil {
		return nil
	}
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("sweep: writing the journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("sweep: syncing the journal: %w", err)
	}
	j.pending, j.lastSync = 0, time.Now()
	return nil
}

func (j *journal) close() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f != nil {
		j.syncLocked()
		j.f.Close()
		j.f = nil
	}
}

// writeSorted writes every run's line in (point, replicate) order. The
// journal must be complete and synced.
func (j *journal) writeSorted(w io.Writer) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	buf := make([]byte, 4096)
	for i, off := range j.offsets {
		if off < 0 {
			return fmt.Errorf("sweep: journal lacks run %d of point %d", i%j.meta.Replicates, j.lo+i/j.meta.Replicates)
		}
		for {
			n, err := j.f.ReadAt(buf, off)
			if k := bytes.IndexByte(buf[:n], '\n'); k >= 0 {
				if _, err := w.Write(buf[:k+1]); err != nil {
					return err
				}
				break
			}
			if err != nil {
				return fmt.Errorf("sweep: reading the journal: %w", err)
			}
			buf = make([]byte, 2*len(buf))
		}
	}
	return nil
}
