package sweep

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

func testJob() Job {
	return Job{Name: "push-budget", Binary: "/opt/pushpull/bin/pushpull", Scenario: "/home/me/sweep.toml",
		ScenarioText: "name = \"push-budget\"\n", Args: []string{"--set", "brand.A.push.rate=2"}, Dir: "/scratch/out",
		Shards: 5, Workers: 2, Image: "registry.example/pushpull:1", Volume: "results"}
}

func TestSlurmScripts(t *testing.T) {
	files := map[string]string{}
	for _, f := range []string{SlurmArrayFile, SlurmMergeFile, SlurmSubmitFile} {
		var b bytes.Buffer
		if err := WriteSlurm(&b, f, testJob()); err != nil {
			t.Fatal(err)
		}
		files[f] = b.String()
		if bash, err := exec.LookPath("bash"); err == nil {
			cmd := exec.Command(bash, "-n")
			cmd.Stdin = strings.NewReader(b.String())
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s is not valid bash: %v\n%s", f, err, out)
			}
		}
	}
	for f, wants := range map[string][]string{
		SlurmArrayFile: {"#SBATCH --array=0-4", "#SBATCH --cpus-per-task=2", "SLURM_ARRAY_TASK_ID + 1", `--shard "${shard}/5"`,
			"/opt/pushpull/bin/pushpull sweep /home/me/sweep.toml --set brand.A.push.rate=2 --out /scratch/out"},
		SlurmMergeFile:  {"/opt/pushpull/bin/pushpull merge /scratch/out"},
		SlurmSubmitFile: {"sbatch --parsable", `--dependency="afterok:${array}"`, SlurmArrayFile, SlurmMergeFile},
	} {
		for _, w := range wants {
			if !strings.Contains(files[f], w) {
				t.Errorf("%s lacks %q:\n%s", f, w, files[f])
			}
		}
	}
	bad := testJob()
	bad.Shards = 0
	if err := WriteSlurm(&bytes.Buffer{}, SlurmArrayFile, bad); err == nil {
		t.Errorf("a job of 0 shards was written")
	}
}

// The Kubernetes manifest parses, and its Indexed Job wires
// JOB_COMPLETION_INDEX to the shard.
func TestKubernetesManifest(t *testing.T) {
	j := testJob()
	parse := func(file string) []map[string]any {
		var b bytes.Buffer
		if err := WriteKubernetes(&b, file, j); err != nil {
			t.Fatal(err)
		}
		var list struct {
			APIVersion string           `json:"apiVersion"`
			Kind       string           `json:"kind"`
			Items      []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(b.Bytes(), &list); err != nil {
			t.Fatalf("%s does not parse: %v", file, err)
		}
		if list.APIVersion != "v1" || list.Kind != "List" {
			t.Errorf("%s: %s %s, want a v1 List", file, list.APIVersion, list.Kind)
		}
		return list.Items
	}
	at := func(o any, path ...any) any {
		for _, p := range path {
			switch k := p.(type) {
			case string:
				m, ok := o.(map[string]any)
				if !ok {
					t.Fatalf("no %q in %v", k, o)
				}
				o = m[k]
			case int:
				s, ok := o.([]any)
				if !ok || k >= len(s) {
					t.Fatalf("no [%d] in %v", k, o)
				}
				o = s[k]
			}
		}
		return o
	}
	items := parse(K8sSweepFile)
	if len(items) != 2 || items[0]["kind"] != "ConfigMap" || items[1]["kind"] != "Job" {
		t.Fatalf("sweep manifest items: %v", items)
	}
	cm, job := items[0], items[1]
	if at(job, "apiVersion") != "batch/v1" {
		t.Errorf("job apiVersion %v", at(job, "apiVersion"))
	}
	for key, want := range map[string]any{"completionMode": "Indexed", "completions": 5.0, "parallelism": 5.0} {
		if got := at(job, "spec", key); got != want {
			t.Errorf("spec.%s = %v, want %v", key, got, want)
		}
	}
	if at(job, "spec", "template", "spec", "restartPolicy") == "Always" {
		t.Errorf("a Job's pods may not restart Always")
	}
	container := at(job, "spec", "template", "spec", "containers", 0)
	if at(container, "image") != j.Image {
		t.Errorf("image %v", at(container, "image"))
	}
	command := at(container, "command", 2).(string)
	for _, w := range []string{"$((JOB_COMPLETION_INDEX + 1))/5", "--shard", "sweep /scenario/", "--out /results/"} {
		if !strings.Contains(command, w) {
			t.Errorf("command lacks %q: %s", w, command)
		}
	}
	// The scenario the pods read is the ConfigMap's, mounted at /scenario.
	cmName := at(cm, "metadata", "name")
	volumes := at(job, "spec", "template", "spec", "volumes").([]any)
	var hasScenario, hasResults bool
	for _, v := range volumes {
		if at(v, "name") == "scenario" && at(v, "configMap", "name") == cmName {
			hasScenario = true
		}
		if at(v, "name") == "results" && at(v, "persistentVolumeClaim", "claimName") == j.Volume {
			hasResults = true
		}
	}
	if !hasScenario || !hasResults {
		t.Errorf("volumes do not wire the scenario ConfigMap and the results claim: %v", volumes)
	}
	data := at(cm, "data").(map[string]any)
	if _, ok := data["push-budget.toml"]; len(data) != 1 || !ok || !strings.Contains(command, "/scenario/push-budget.toml") {
		t.Errorf("scenario file and command disagree: %v, %s", data, command)
	}

	merge := parse(K8sMergeFile)
	if len(merge) != 1 || merge[0]["kind"] != "Job" || at(merge[0], "spec", "completionMode") != nil {
		t.Fatalf("merge manifest: %v", merge)
	}
	mergeCmd := at(merge[0], "spec", "template", "spec", "containers", 0, "command", 2).(string)
	if !strings.Contains(mergeCmd, " merge /results/push-budget") {
		t.Errorf("merge command: %s", mergeCmd)
	}
}
