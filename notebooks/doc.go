// Package notebooks holds the project's Jupyter notebooks and the test that
// executes them:
//
//   - social-gravity-lesson.ipynb, for a class: the five ideas of social
//     gravity, one small experiment each, run with the pushpull command;
//   - research-walkthrough.ipynb, for a researcher: the reference results read
//     with pandas, confidence intervals reproduced from the replicates, the
//     docking with Bass diffusion and cascade theory, a sensitivity analysis
//     and how to cite a run.
//
// The notebooks are committed with their outputs, so a reader sees the
// figures without running anything. TestNotebooks executes each one from a
// clean kernel with Debian's Python (/usr/bin/python3 with python3-nbclient,
// python3-ipykernel, python3-pandas and python3-matplotlib), fails on any cell
// error or warning, and checks the committed outputs have the structure of
// the fresh ones. After editing a notebook, refresh its committed outputs with
//
//	go test ./notebooks -run Notebooks -update
package notebooks
