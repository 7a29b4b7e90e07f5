package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// availableMemory reports the memory a run may use: the least of the Go
// memory limit (GOMEMLIMIT), the container's limit (cgroup v2 memory.max)
// and what the kernel says is available.
func availableMemory() (int64, bool) {
	var best int64 = -1
	take := func(n int64) {
		if n > 0 && (best < 0 || n < best) {
			best = n
		}
	}
	if limit := debug.SetMemoryLimit(-1); limit > 0 && limit < 1<<62 {
		take(limit)
	}
	if data, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64); err == nil {
			take(n)
		}
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) >= 2 && fields[0] == "MemAvailable:" {
				if kb, err := strconv.ParseInt(fields[1], 10, 64); err == nil {
					take(kb * 1024)
				}
			}
		}
	}
	return best, best > 0
}

// runMemory estimates the peak memory of a run: the engine's state of the
// replicates that run at once, the graph, the daily series kept for the
// outputs and plots, and the orbit frames.
func runMemory(sc *scenario.Scenario, workers int, graphBytes int64) int64 {
	concurrent := int64(min(max(workers, 1), sc.Replicates))
	engine := sim.MemoryBytes(&sc.Params, max(workers, 1)/int(concurrent)) * concurrent
	days := int64(sc.Days) + 1
	series := int64(sc.Replicates) * days * int64(len(sc.Brands)) * int64(len(output.MetricNames())) * 8
	frames := days/int64(max(sc.Output.OrbitEvery, 1)) + 2
	orbit := frames * int64(min(sc.Output.OrbitSample, sc.Customers)) * 12
	return engine + graphBytes + series + orbit
}

// unknownMemoryCap is the most a run may need where the machine's memory
// cannot be read: more than most workstations have, so that a run refused
// here would have been killed halfway anyway.
const unknownMemoryCap = 64 << 30

// checkMemory refuses a run that would not fit in memory before it
// starts, rather than letting it be killed halfway.
func (e *env) checkMemory(sc *scenario.Scenario, workers int, graphBytes int64) error {
	need := runMemory(sc, workers, graphBytes)
	have, ok := e.memory()
	if !ok {
		// Memory unknown (no /proc): refuse only what no machine has.
		if need <= unknownMemoryCap {
			return nil
		}
		return invalidf("%s needs about %s of memory; this machine's memory cannot be read, and runs above %s are refused unread; lower customers, replicates or days",
			sc.Name, formatBytes(need), formatBytes(unknownMemoryCap))
	}
	if need <= have {
		return nil
	}
	return invalidf("%s needs about %s of memory but this machine has %s available; lower customers, replicates, days or --workers",
		sc.Name, formatBytes(need), formatBytes(have))
}

func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
