package optimize

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"strconv"
	"sync"
)

const (
	journalMagic   = "pushpull-optimize-journal"
	journalVersion = "1"
)

// journal is the append-only record of the simulations an optimization has
// run: a header line naming the optimization, then one line per simulation
// in the order they finish.
//
//	pushpull-optimize-journal 1 identity=HEX
//	CANDIDATE_KEY,REPLICATE,CRC,VALUE
//
// CRC is the CRC-32 (IEEE) in 8 hex digits of the line without its CRC
// field; values are written in the shortest form that reads back to the
// same float64. The search is deterministic given the values it sees, so
// replaying it over the journal's values takes the same path, and only the
// simulations that are missing run again.
type journal struct {
	path  string
	mu    sync.Mutex
	f     *os.File
	w     *bufio.Writer
	saved map[string]float64 // "KEY#REP" -> value, from an earlier attempt
	line  []byte
}

func journalHeader(identity string) string {
	return fmt.Sprintf("%s %s identity=%s\n", journalMagic, journalVersion, identity)
}

// openJournal opens the journal at path or creates it. A journal of
// another optimization is refused, or discarded with force. A last line cut
// short or failing its checksum, and anything after it, is dropped.
func openJournal(path, identity string, force bool) (*journal, error) {
	j := &journal{path: path, saved: map[string]float64{}}
	header := journalHeader(identity)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return j.create(header)
	}
	if err != nil {
		return nil, fmt.Errorf("optimize: cannot open the journal: %w", err)
	}
	valid, err := j.read(f, header)
	if err != nil {
		f.Close()
		if !force {
			return nil, err
		}
		j.saved = map[string]float64{}
		return j.create(header)
	}
	if err := f.Truncate(valid); err != nil {
		f.Close()
		return nil, fmt.Errorf("optimize: cannot cut the journal's torn end: %w", err)
	}
	if _, err := f.Seek(valid, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	j.f, j.w = f, bufio.NewWriter(f)
	return j, nil
}

func (j *journal) create(header string) (*journal, error) {
	f, err := os.Create(j.path)
	if err != nil {
		return nil, fmt.Errorf("optimize: cannot create the journal: %w", err)
	}
	if _, err := io.WriteString(f, header); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	j.f, j.w = f, bufio.NewWriter(f)
	return j, nil
}

func (j *journal) read(f *os.File, header string) (int64, error) {
	br := bufio.NewReader(f)
	first, err := br.ReadString('\n')
	if err != nil || first != header {
		return 0, fmt.Errorf("optimize: %s belongs to another optimization (its header differs; use --force to discard it)", j.path)
	}
	offset := int64(len(first))
	for {
		line, err := br.ReadBytes('\n')
		if err != nil {
			return offset, nil // end of file, or a torn last line
		}
		key, rep, v, ok := parseJournalLine(line)
		if !ok {
			return offset, nil
		}
		j.saved[key+"#"+strconv.Itoa(rep)] = v
		offset += int64(len(line))
	}
}

func appendJournalLine(dst []byte, key string, rep int, v float64) []byte {
	start := len(dst)
	dst = append(dst, key...)
	dst = append(dst, ',')
	dst = strconv.AppendInt(dst, int64(rep), 10)
	mid := len(dst)
	dst = append(dst, ",00000000,"...)
	dst = strconv.AppendFloat(dst, v, 'g', -1, 64)
	crc := crc32.Update(crc32.ChecksumIEEE(dst[start:mid]), crc32.IEEETable, dst[mid+9:])
	const hexDigits = "0123456789abcdef"
	for i := range 8 {
		dst[mid+1+i] = hexDigits[crc>>(28-4*i)&0xf]
	}
	return append(dst, '\n')
}

func parseJournalLine(line []byte) (key string, rep int, v float64, ok bool) {
	line = bytes.TrimSuffix(line, []byte("\n"))
	fields := bytes.Split(line, []byte(","))
	if len(fields) != 4 || len(fields[2]) != 8 {
		return "", 0, 0, false
	}
	want, err := strconv.ParseUint(string(fields[2]), 16, 32)
	if err != nil {
		return "", 0, 0, false
	}
	mid := len(fields[0]) + 1 + len(fields[1])
	h := crc32.NewIEEE()
	h.Write(line[:mid])
	h.Write(line[mid+9:])
	if h.Sum32() != uint32(want) {
		return "", 0, 0, false
	}
	r, err1 := strconv.Atoi(string(fields[1]))
	val, err2 := strconv.ParseFloat(string(fields[3]), 64)
	if err1 != nil || err2 != nil || r < 0 {
		return "", 0, 0, false
	}
	return string(fields[0]), r, val, true
}

// lookup returns the value an earlier attempt recorded.
func (j *journal) lookup(key string, rep int) (float64, bool) {
	if j == nil {
		return 0, false
	}
	v, ok := j.saved[key+"#"+strconv.Itoa(rep)]
	return v, ok
}

// append records one finished simulation; sync makes the batch durable.
func (j *journal) append(key string, rep int, v float64) error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.line = appendJournalLine(j.line[:0], key, rep, v)
	if _, err := j.w.Write(j.line); err != nil {
		return fmt.Errorf("optimize: writing the journal: %w", err)
	}
	return nil
}

func (j *journal) sync() error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("optimize: writing the journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("optimize: syncing the journal: %w", err)
	}
	return nil
}

func (j *journal) close() error {
	if j == nil {
		return nil
	}
	err := j.sync()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f != nil {
		if cerr := j.f.Close(); err == nil {
			err = cerr
		}
		j.f = nil
	}
	return err
}
