package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Names of the job files Emit writes into the sweep folder.
const (
	SlurmArrayFile  = "sweep.sbatch"
	SlurmMergeFile  = "merge.sbatch"
	SlurmSubmitFile = "submit-slurm.sh"
	K8sSweepFile    = "sweep-k8s.json"
	K8sMergeFile    = "merge-k8s.json"
)

// Job describes the cluster jobs of a sharded sweep.
type Job struct {
	// Name names the jobs (the scenario's name).
	Name string
	// Binary is the pushpull command the jobs run: a path every node can
	// reach, or a name on their PATH.
	Binary string
	// Scenario is the scenario argument of `pushpull sweep`: a file every
	// node can read, or a shipped scenario's name. Kubernetes jobs read the
	// scenario from a ConfigMap holding ScenarioText instead.
	Scenario     string
	ScenarioText string
	// Args are the flags that change the scenario (--set and the like),
	// passed on unchanged.
	Args []string
	// Dir is the sweep folder as the jobs see it.
	Dir string
	// Shards is the number of array tasks or indexed pods.
	Shards int
	// Workers is the cores each shard uses.
	Workers int
	// Image is the container image of the Kubernetes jobs, and Volume the
	// PersistentVolumeClaim that holds the sweep folder (mounted at
	// /results).
	Image, Volume string
}

func (j Job) validate() error {
	var errs []error
	if j.Shards < 1 {
		errs = append(errs, fmt.Errorf("sweep: number of shards must be at least 1: %d", j.Shards))
	}
	if j.Workers < 1 {
		errs = append(errs, fmt.Errorf("sweep: workers per shard must be at least 1: %d", j.Workers))
	}
	if j.Binary == "" || j.Dir == "" || j.Name == "" {
		errs = append(errs, errors.New("sweep: a job needs a binary, a sweep folder and a name"))
	}
	return errors.Join(errs...)
}

// shellQuote quotes s for a POSIX shell where it needs it.
func shellQuote(s string) string {
	if s != "" && regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`).MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
}

func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

// jobName is name as Slurm and Kubernetes accept it: lower case letters,
// digits and '-', at most 52 characters (Kubernetes adds to it).
func jobName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 40 {
		s = s[:40]
	}
	if s == "" {
		s = "sweep"
	}
	return "pushpull-" + s
}

// WriteSlurm writes the three files of a Slurm sweep: the job array (one
// task per shard; task SLURM_ARRAY_TASK_ID runs shard
// SLURM_ARRAY_TASK_ID+1 of Shards), the merge job, and a script that
// submits both, the merge depending on every task of the array
// (afterok). file names which of the three to write: SlurmArrayFile,
// SlurmMergeFile or SlurmSubmitFile.
func WriteSlurm(w io.Writer, file string, j Job) error {
	if err := j.validate(); err != nil {
		return err
	}
	name := jobName(j.Name)
	sweepCmd := shellJoin(append(append([]string{j.Binary, "sweep", j.Scenario}, j.Args...), "--out", j.Dir, "--quiet"))
	var text string
	switch file {
	case SlurmArrayFile:
		text = fmt.Sprintf(`#!/bin/bash
# One array task per shard of the sweep %[1]s: task i (SLURM_ARRAY_TASK_ID,
# from 0) runs shard i+1 of %[2]d into %[3]s/parts/. A task that is
# requeued or run again resumes from its journal.
#SBATCH --job-name=%[4]s
#SBATCH --array=0-%[5]d
#SBATCH --cpus-per-task=%[6]d
#SBATCH --output=%[3]s/parts/slurm-%%A_%%a.out
set -euo pipefail
shard=$((SLURM_ARRAY_TASK_ID + 1))
exec %[7]s --workers "${SLURM_CPUS_PER_TASK:-%[6]d}" --shard "${shard}/%[2]d"
`, j.Name, j.Shards, j.Dir, name, j.Shards-1, j.Workers, sweepCmd)
	case SlurmMergeFile:
		text = fmt.Sprintf(`#!/bin/bash
# Merges the parts of the sweep %[1]s into %[2]s, once every array task
# has finished (submit it with --dependency=afterok:ARRAY_JOB_ID).
#SBATCH --job-name=%[3]s-merge
#SBATCH --cpus-per-task=1
#SBATCH --output=%[2]s/parts/slurm-merge-%%j.out
set -euo pipefail
exec %[4]s merge %[5]s --quiet
`, j.Name, j.Dir, name, shellQuote(j.Binary), shellQuote(j.Dir))
	case SlurmSubmitFile:
		text = fmt.Sprintf(`#!/bin/bash
# Submits the sweep %[1]s to Slurm: the job array of %[2]d shards, then the
# merge job, which starts once every task of the array has succeeded.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p %[3]s/parts
array=$(sbatch --parsable "$here/%[4]s")
array=${array%%%%;*}
merge=$(sbatch --parsable --dependency="afterok:${array}" "$here/%[5]s")
merge=${merge%%%%;*}
echo "submitted job array ${array} (%[2]d shards) and merge job ${merge}"
echo "watch with: squeue -j ${array},${merge}"
`, j.Name, j.Shards, shellQuote(j.Dir), SlurmArrayFile, SlurmMergeFile)
	default:
		return fmt.Errorf("sweep: no Slurm file named %q", file)
	}
	_, err := io.WriteString(w, text)
	return err
}

// k8sObject is a Kubernetes object as JSON, which kubectl reads like YAML.
type k8sObject = map[string]any

// KubernetesObjects returns the objects of a Kubernetes sweep: for
// K8sSweepFile a ConfigMap holding the scenario and an Indexed Job whose
// pod of index JOB_COMPLETION_INDEX runs shard index+1 of Shards; for
// K8sMergeFile the Job that merges the parts. Every pod mounts the
// PersistentVolumeClaim Volume at /results and the scenario at /scenario.
func KubernetesObjects(file string, j Job) ([]k8sObject, error) {
	if err := j.validate(); err != nil {
		return nil, err
	}
	if j.Image == "" || j.Volume == "" {
		return nil, errors.New("sweep: a Kubernetes job needs an image and a volume")
	}
	name := jobName(j.Name)
	volumes := []any{
		k8sObject{"name": "results", "persistentVolumeClaim": k8sObject{"claimName": j.Volume}},
		k8sObject{"name": "scenario", "configMap": k8sObject{"name": name + "-scenario"}},
	}
	mounts := []any{
		k8sObject{"name": "results", "mountPath": "/results"},
		k8sObject{"name": "scenario", "mountPath": "/scenario", "readOnly": true},
	}
	dir := "/results/" + j.Name
	labels := k8sObject{"app.kubernetes.io/name": "pushpull", "pushpull/sweep": name}
	job := func(jobName string, completions int, indexed bool, command string, cpus int) k8sObject {
		spec := k8sObject{
			"completions":  completions,
			"parallelism":  completions,
			"backoffLimit": 3 * completions,
			"template": k8sObject{
				"metadata": k8sObject{"labels": labels},
				"spec": k8sObject{
					"restartPolicy": "OnFailure",
					"containers": []any{k8sObject{
						"name":         "pushpull",
						"image":        j.Image,
						"command":      []any{"/bin/sh", "-c", command},
						"volumeMounts": mounts,
						"resources": k8sObject{
							"requests": k8sObject{"cpu": strconv.Itoa(cpus)},
							"limits":   k8sObject{"cpu": strconv.Itoa(cpus)},
						},
					}},
					"volumes": volumes,
				},
			},
		}
		if indexed {
			spec["completionMode"] = "Indexed"
		}
		return k8sObject{"apiVersion": "batch/v1", "kind": "Job",
			"metadata": k8sObject{"name": jobName, "labels": labels}, "spec": spec}
	}
	switch file {
	case K8sSweepFile:
		args := shellJoin(append(append([]string{j.Binary, "sweep", "/scenario/" + j.Name + ".toml"}, j.Args...),
			"--out", dir, "--quiet", "--workers", strconv.Itoa(j.Workers)))
		cmd := fmt.Sprintf(`exec %s --shard "$((JOB_COMPLETION_INDEX + 1))/%d"`, args, j.Shards)
		return []k8sObject{
			{"apiVersion": "v1", "kind": "ConfigMap",
				"metadata": k8sObject{"name": name + "-scenario", "labels": labels},
				"data":     k8sObject{j.Name + ".toml": j.ScenarioText}},
			job(name, j.Shards, true, cmd, j.Workers),
		}, nil
	case K8sMergeFile:
		cmd := "exec " + shellJoin([]string{j.Binary, "merge", dir, "--quiet"})
		return []k8sObject{job(name+"-merge", 1, false, cmd, 1)}, nil
	}
	return nil, fmt.Errorf("sweep: no Kubernetes file named %q", file)
}

// WriteKubernetes writes KubernetesObjects(file, j) as a v1 List in JSON,
// which `kubectl apply -f` reads as it reads YAML.
func WriteKubernetes(w io.Writer, file string, j Job) error {
	objs, err := KubernetesObjects(file, j)
	if err != nil {
		return err
	}
	items := make([]any, len(objs))
	for i, o := range objs {
		items[i] = o
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(k8sObject{"apiVersion": "v1", "kind": "List", "items": items})
}
