package notebooks

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "write each fresh execution over the committed notebook")

// python is Debian's interpreter, where .ci/run installs the Jupyter
// packages; a python3 found first on PATH (pyenv, a virtual environment)
// may not have them.
const python = "/usr/bin/python3"

// packages are the Debian packages the notebooks and their execution need.
const packages = "python3-pandas python3-matplotlib python3-nbclient python3-ipykernel"

// executeScript runs a notebook with nbclient from a clean kernel, in the
// notebook's folder, and writes the executed copy; it exits with status 3
// and the failing cell's traceback on stderr when a cell raises. Timings are
// not recorded, so that the committed file changes only when its outputs do.
const executeScript = `
import sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

source, target, folder = sys.argv[1:4]
notebook = nbformat.read(source, as_version=4)
for cell in notebook.cells:
    cell.metadata.pop("execution", None)  # timings of an earlier execution
client = NotebookClient(notebook, timeout=600, kernel_name="python3", record_timing=False,
                        resources={"metadata": {"path": folder}})
try:
    client.execute()
except CellExecutionError as err:
    nbformat.write(notebook, target)
    sys.stderr.write(str(err))
    sys.exit(3)
nbformat.write(notebook, target)
`

// requireJupyter skips the test when Debian's Python with nbclient is
// missing, and fails it under CI=true, where .ci/run installs them. Importing
// pyplot here also builds matplotlib's font cache on a fresh machine: when
// that is slow, matplotlib says so on stderr, which must not happen in a cell.
func requireJupyter(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python, "-c", "import nbclient, nbformat, ipykernel, pandas, matplotlib.pyplot").CombinedOutput()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%s cannot execute notebooks (%v: %s); install the Debian packages %s", python, err, bytes.TrimSpace(out), packages)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true needs the notebook test; .ci/run installs them)", msg)
	}
	t.Skip(msg + ": the notebook test is skipped")
}

// kernelPath writes a kernel spec named python3 that starts a kernel with
// the Python the test runs, and returns the folder to put first on
// JUPYTER_PATH, so that no other python3 kernel a user registered is used.
func kernelPath(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	spec := map[string]any{
		// frozen_modules=off keeps the kernel's debugger from warning on stderr.
		"argv":         []string{python, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"},
		"display_name": "Python 3 (ipykernel)",
		"language":     "python",
	}
	data, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	kernel := filepath.Join(dir, "kernels", "python3")
	if err := os.MkdirAll(kernel, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(kernel, "kernel.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestNotebooks executes every notebook of this folder headless, from a
// clean kernel, into a temporary copy (the committed file is left alone
// unless -update is given). It fails when a cell raises or writes to
// stderr (a warning), and when the committed notebook does not have the
// structure of the fresh execution: the same cells, each executed in order,
// the same figures in the same cells, and no error, warning or temporary
// path in its outputs.
func TestNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("executing the notebooks takes about a minute: skipped with -short")
	}
	requireJupyter(t)
	paths, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"social-gravity-lesson.ipynb", "research-walkthrough.ipynb"} {
		if _, err := os.Stat(want); err != nil {
			t.Errorf("notebooks/%s is missing", want)
		}
	}
	jupyterPath := kernelPath(t)
	folder, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
			committed, err := readNotebook(path)
			if err != nil {
				t.Fatal(err)
			}
			fresh := filepath.Join(t.TempDir(), path)
			cmd := exec.Command(python, "-c", executeScript, path, fresh, folder)
			// A clean state: the test's own kernel spec, and no IPython
			// profile or startup files of the user's.
			cmd.Env = append(os.Environ(),
				"JUPYTER_PATH="+jupyterPath,
				"JUPYTER_RUNTIME_DIR="+t.TempDir(),
				"IPYTHONDIR="+t.TempDir(),
				"PYDEVD_DISABLE_FILE_VALIDATION=1",
			)
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stderr, &stderr
			start := time.Now()
			if err := cmd.Run(); err != nil {
				t.Fatalf("executing %s: %v\n%s", path, err, stderr.String())
			}
			t.Logf("%s executed in %.1f s", path, time.Since(start).Seconds())
			executed, err := readNotebook(fresh)
			if err != nil {
				t.Fatal(err)
			}
			for _, problem := range executed.problems() {
				t.Errorf("fresh execution: %s", problem)
			}
			if *update {
				if t.Failed() {
					t.Fatalf("%s not updated: its fresh execution has problems", path)
				}
				data, err := os.ReadFile(fresh)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("updated %s", path)
				return
			}
			for _, problem := range committed.problems() {
				t.Errorf("committed %s: %s (refresh it with go test ./notebooks -run Notebooks -update)", path, problem)
			}
			for _, diff := range compareStructure(committed, executed) {
				t.Errorf("committed %s differs from a fresh execution: %s (refresh it with go test ./notebooks -run Notebooks -update)", path, diff)
			}
		})
	}
}

// notebook is the part of an .ipynb file (nbformat 4) the test reads.
type notebook struct {
	Metadata struct {
		Kernelspec struct {
			Name string `json:"name"`
		} `json:"kernelspec"`
	} `json:"metadata"`
	Cells []cell `json:"cells"`
}

type cell struct {
	CellType       string   `json:"cell_type"`
	Source         source   `json:"source"`
	ExecutionCount *int     `json:"execution_count"`
	Outputs        []output `json:"outputs"`
}

type output struct {
	OutputType string                     `json:"output_type"`
	Name       string                     `json:"name"` // stream: stdout or stderr
	Text       source                     `json:"text"`
	Data       map[string]json.RawMessage `json:"data"`
	Ename      string                     `json:"ename"`
	Evalue     string                     `json:"evalue"`
}

// source is a multi-line string of nbformat: one string, or a list of lines.
type source string

func (s *source) UnmarshalJSON(data []byte) error {
	var lines []string
	if err := json.Unmarshal(data, &lines); err == nil {
		*s = source(strings.Join(lines, ""))
		return nil
	}
	var one string
	if err := json.Unmarshal(data, &one); err != nil {
		return err
	}
	*s = source(one)
	return nil
}

func readNotebook(path string) (*notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb notebook
	if err := json.Unmarshal(data, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	return &nb, nil
}

// images counts a cell's figures: outputs with an image/* representation.
func (c cell) images() int {
	n := 0
	for _, o := range c.Outputs {
		for mime := range o.Data {
			if strings.HasPrefix(mime, "image/") {
				n++
				break
			}
		}
	}
	return n
}

// problems lists what a reader should never see in a notebook's outputs:
// errors, anything written to stderr (warnings), code cells not executed in
// order from a clean kernel, and paths of temporary folders that change
// from one execution to the next.
func (nb *notebook) problems() []string {
	var out []string
	if nb.Metadata.Kernelspec.Name != "python3" {
		out = append(out, fmt.Sprintf("kernelspec %q, want python3", nb.Metadata.Kernelspec.Name))
	}
	count := 0
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		count++
		if c.ExecutionCount == nil || *c.ExecutionCount != count {
			out = append(out, fmt.Sprintf("cell %d: execution count %s, want %d (execute the notebook from the top in a fresh kernel)", i, countString(c.ExecutionCount), count))
		}
		for _, o := range c.Outputs {
			switch {
			case o.OutputType == "error":
				out = append(out, fmt.Sprintf("cell %d: error %s: %s", i, o.Ename, o.Evalue))
			case o.OutputType == "stream" && o.Name == "stderr":
				out = append(out, fmt.Sprintf("cell %d: writes to stderr: %s", i, firstLine(string(o.Text))))
			}
			text := string(o.Text)
			if plain, ok := o.Data["text/plain"]; ok {
				var s source
				if json.Unmarshal(plain, &s) == nil {
					text += string(s)
				}
			}
			if tmp := filepath.Clean(os.TempDir()) + string(filepath.Separator); strings.Contains(text, tmp) {
				out = append(out, fmt.Sprintf("cell %d: shows a temporary path (%s...): %s", i, tmp, firstLine(text[strings.Index(text, tmp):])))
			}
		}
	}
	return out
}

// compareStructure lists how the committed notebook differs from a fresh
// execution in what a reader sees: the cells, their kinds and code, and
// which cells show figures and how many. Numbers and pixels may differ.
func compareStructure(committed, fresh *notebook) []string {
	if len(committed.Cells) != len(fresh.Cells) {
		return []string{fmt.Sprintf("%d cells, fresh execution has %d", len(committed.Cells), len(fresh.Cells))}
	}
	var out []string
	for i := range committed.Cells {
		c, f := committed.Cells[i], fresh.Cells[i]
		if c.CellType != f.CellType || c.Source != f.Source {
			out = append(out, fmt.Sprintf("cell %d changed", i))
			continue
		}
		if c.CellType != "code" {
			continue
		}
		if ci, fi := c.images(), f.images(); ci != fi {
			out = append(out, fmt.Sprintf("cell %d shows %d figures, fresh execution %d", i, ci, fi))
		}
		if (len(c.Outputs) == 0) != (len(f.Outputs) == 0) {
			out = append(out, fmt.Sprintf("cell %d has %d outputs, fresh execution %d", i, len(c.Outputs), len(f.Outputs)))
		}
	}
	return out
}

func countString(n *int) string {
	if n == nil {
		return "none"
	}
	return fmt.Sprint(*n)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 120 {
		s = s[:120] + "..."
	}
	return s
}
