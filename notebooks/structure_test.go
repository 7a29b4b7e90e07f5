package notebooks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parse reads a notebook from JSON text, failing the test on bad JSON.
func parse(t *testing.T, text string) *notebook {
	t.Helper()
	var nb notebook
	if err := json.Unmarshal([]byte(text), &nb); err != nil {
		t.Fatal(err)
	}
	return &nb
}

// TestProblems checks what the notebook test refuses in outputs, on small
// notebooks written by hand, so that it runs without Jupyter.
func TestProblems(t *testing.T) {
	tmp := filepath.Join(filepath.Clean(os.TempDir()), "pushpull-lesson-1234", "runs")
	bad := parse(t, `{"metadata": {"kernelspec": {"name": "python2"}}, "cells": [
		{"cell_type": "markdown", "source": ["# title"]},
		{"cell_type": "code", "execution_count": 1, "source": "import warnings", "outputs": [
			{"output_type": "stream", "name": "stderr", "text": ["FutureWarning: soon\n", "more\n"]}]},
		{"cell_type": "code", "execution_count": 3, "source": "1/0", "outputs": [
			{"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero"}]},
		{"cell_type": "code", "execution_count": 3, "source": "print(path)", "outputs": [
			{"output_type": "stream", "name": "stdout", "text": "wrote `+tmp+`\n"}]}]}`)
	got := strings.Join(bad.problems(), "\n")
	for _, want := range []string{
		`kernelspec "python2"`,
		"cell 1: writes to stderr: FutureWarning: soon",
		"cell 2: execution count 3, want 2",
		"cell 2: error ZeroDivisionError: division by zero",
		"cell 3: shows a temporary path",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems do not report %q; got:\n%s", want, got)
		}
	}

	good := parse(t, `{"metadata": {"kernelspec": {"name": "python3"}}, "cells": [
		{"cell_type": "code", "execution_count": 1, "source": "plot()", "outputs": [
			{"output_type": "display_data", "data": {"image/png": "iVBOR", "text/plain": ["<Figure>"]}}]}]}`)
	if p := good.problems(); len(p) > 0 {
		t.Errorf("a clean notebook has problems: %v", p)
	}
}

// TestCompareStructure checks that a lost figure, a changed cell or a
// missing cell is reported, and that changed numbers are not.
func TestCompareStructure(t *testing.T) {
	base := `{"cells": [
		{"cell_type": "markdown", "source": "text"},
		{"cell_type": "code", "execution_count": 1, "source": "plot()", "outputs": [
			{"output_type": "display_data", "data": {"image/png": "AAAA"}}]},
		{"cell_type": "code", "execution_count": 2, "source": "print(x)", "outputs": [
			{"output_type": "stream", "name": "stdout", "text": "0.51"}]}]}`
	committed := parse(t, base)
	numbers := parse(t, strings.Replace(strings.Replace(base, "0.51", "0.52", 1), "AAAA", "BBBB", 1))
	if d := compareStructure(committed, numbers); len(d) > 0 {
		t.Errorf("other numbers and pixels are reported as a change of structure: %v", d)
	}
	noFigure := parse(t, strings.Replace(base, `"data": {"image/png": "AAAA"}`, `"data": {"text/plain": "<Figure>"}`, 1))
	if d := compareStructure(committed, noFigure); len(d) != 1 || !strings.Contains(d[0], "cell 1 shows 1 figures, fresh execution 0") {
		t.Errorf("a lost figure is reported as %v", d)
	}
	edited := parse(t, strings.Replace(base, "print(x)", "print(y)", 1))
	if d := compareStructure(committed, edited); len(d) != 1 || !strings.Contains(d[0], "cell 2 changed") {
		t.Errorf("an edited cell is reported as %v", d)
	}
	fewer := parse(t, `{"cells": [{"cell_type": "markdown", "source": "text"}]}`)
	if d := compareStructure(committed, fewer); len(d) != 1 || !strings.Contains(d[0], "3 cells, fresh execution has 1") {
		t.Errorf("a missing cell is reported as %v", d)
	}
}
