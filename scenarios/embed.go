// Package scenarios holds the scenario files that ship with pushpull, each
// demonstrating one idea, embedded in the binary so that `pushpull run NAME`
// works from anywhere, with no files at hand.
package scenarios

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Every file of the folder is embedded, so that scenarios added later,
// in subfolders too (validation/), ship without touching this line; Names
// and Lookup see only the .toml files.
//
//go:embed *
var files embed.FS

// Default is the scenario `pushpull run` runs when given no file.
const Default = "social-gravity"

// Lookup returns the file name and contents of the shipped scenario called
// name (for example "push-vs-pull" or "validation/bass").
func Lookup(name string) (file string, data []byte, ok bool) {
	file = strings.TrimSuffix(name, ".toml") + ".toml"
	data, err := files.ReadFile(file)
	if err != nil {
		return "", nil, false
	}
	return path.Join("scenarios", file), data, true
}

// Names lists the shipped scenarios, the demonstrations first and the
// validation scenarios after them.
func Names() []string {
	var names []string
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".toml") {
			names = append(names, strings.TrimSuffix(p, ".toml"))
		}
		return nil
	})
	sort.SliceStable(names, func(i, j int) bool {
		vi, vj := strings.Contains(names[i], "/"), strings.Contains(names[j], "/")
		if vi != vj {
			return !vi
		}
		return names[i] < names[j]
	})
	return names
}

// Files holds every shipped file under the name Lookup gives its folder,
// scenarios/ (scenarios/medical-innovation.toml,
// scenarios/data/medical-innovation/nominations.txt), so that a shipped
// scenario reads the data files it names from the program itself.
func Files() fs.FS { return shipped{} }

type shipped struct{}

func (shipped) Open(name string) (fs.File, error) {
	rest, ok := strings.CutPrefix(name, "scenarios/")
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return files.Open(rest)
}
