package design

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard returns the half-open range [lo, hi) of point indices that part
// index (counting from 0) of parts takes out of count points. The parts are
// contiguous, disjoint, cover 0..count-1 in order, and differ in size by at
// most one (the first count%parts parts hold the extra point); with more
// parts than points, the last parts are empty. The 0-based index is what
// Slurm's SLURM_ARRAY_TASK_ID (for --array=0-(n-1)) and Kubernetes'
// JOB_COMPLETION_INDEX give.
func Shard(count, index, parts int) (lo, hi int, err error) {
	switch {
	case count < 0:
		return 0, 0, fmt.Errorf("design: point count must not be negative: %d", count)
	case parts < 1:
		return 0, 0, fmt.Errorf("design: number of shards must be at least 1: %d", parts)
	case index < 0 || index >= parts:
		return 0, 0, fmt.Errorf("design: shard index must be between 0 and %d: %d", parts-1, index)
	}
	size, extra := count/parts, count%parts
	lo = index*size + min(index, extra)
	hi = lo + size
	if index < extra {
		hi++
	}
	return lo, hi, nil
}

// ShardSpec names one of Of shards as a person writes it on a command line,
// "--shard 2/5", with Number counting from 1.
type ShardSpec struct {
	Number, Of int
}

// ParseShard reads "i/n" with whole numbers 1 <= i <= n.
func ParseShard(text string) (ShardSpec, error) {
	numberText, ofText, found := strings.Cut(strings.TrimSpace(text), "/")
	number, err1 := strconv.Atoi(strings.TrimSpace(numberText))
	of, err2 := strconv.Atoi(strings.TrimSpace(ofText))
	switch {
	case !found || err1 != nil || err2 != nil:
		return ShardSpec{}, fmt.Errorf("design: shard must be i/n with whole numbers 1 <= i <= n: %q", text)
	case of < 1:
		return ShardSpec{}, fmt.Errorf("design: shard count n in i/n must be at least 1: %q", text)
	case number < 1:
		return ShardSpec{}, fmt.Errorf("design: shard number i in i/n counts from 1 (a 0-based index such as SLURM_ARRAY_TASK_ID goes through ShardFromIndex): %q", text)
	case number > of:
		return ShardSpec{}, fmt.Errorf("design: shard number i in i/n must not exceed n: %q", text)
	}
	return ShardSpec{Number: number, Of: of}, nil
}

// ShardFromIndex turns a 0-based index (SLURM_ARRAY_TASK_ID,
// JOB_COMPLETION_INDEX) into the 1-based ShardSpec index+1 of of.
func ShardFromIndex(index, of int) (ShardSpec, error) {
	if of < 1 {
		return ShardSpec{}, fmt.Errorf("design: number of shards must be at least 1: %d", of)
	}
	if index < 0 || index >= of {
		return ShardSpec{}, fmt.Errorf("design: 0-based shard index must be between 0 and %d: %d", of-1, index)
	}
	return ShardSpec{Number: index + 1, Of: of}, nil
}

// Range is the half-open range of point indices this shard takes out of
// count points; see Shard.
func (s ShardSpec) Range(count int) (lo, hi int, err error) {
	return Shard(count, s.Number-1, s.Of)
}

// String writes the shard as ParseShard reads it.
func (s ShardSpec) String() string {
	return strconv.Itoa(s.Number) + "/" + strconv.Itoa(s.Of)
}
