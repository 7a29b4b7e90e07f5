package main

import (
	"errors"
	"fmt"

	"github.com/pushpull/pushpull/sim/sweep"
)

func mergeCommand() *command {
	return &command{
		name:    "merge",
		args:    "[flags] DIR...",
		summary: "combine the shards of a sweep into the files one machine would write",
		long: `Combines the parts that "pushpull sweep --shard i/n" wrote into the final files
of the sweep: byte for byte those of the whole sweep run on one machine
(manifest.json aside, which records where and when each part ran). Each DIR is
a sweep folder whose parts/ folder holds the parts, or a part folder.

The parts must belong to one sweep and cover each of its points exactly once:
merge names the points missing and the points found twice, and an unfinished
part, rather than writing an incomplete result. The files go to the sweep
folder that holds the parts, unless --out says otherwise.`,
		run: runMerge,
	}
}

func runMerge(e *env, args []string) error {
	c := lookup("merge")
	fs := e.flags(c)
	var out string
	var force, quiet, plots bool
	fs.StringVar(&out, "out", "", "sweep folder to write (default: the folder holding the parts/ folder)")
	fs.BoolVar(&force, "force", false, "overwrite a finished sweep in the output folder")
	fs.BoolVarP(&quiet, "quiet", "q", false, "print nothing on success")
	fs.BoolVar(&plots, "plots", true, "draw the sweep's plots")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return invalidf("merge: name the sweep folder, or the part folders, to merge (see `pushpull merge --help`)")
	}
	res, err := sweep.Merge(fs.Args(), sweep.MergeOptions{Out: out, Force: force, Plots: plots, Command: e.args})
	if err != nil {
		if errors.Is(err, sweep.ErrExists) || errors.Is(err, sweep.ErrParts) {
			return invalid(err)
		}
		return err
	}
	if quiet {
		return nil
	}
	fmt.Fprintf(e.stdout, "merged %d points x %d runs each into %s\n", res.Points, res.Runs/max(res.Points, 1), res.Dir)
	return e.reportSweep(res)
}
