package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pushpull/pushpull/sim"
)

// Warnings are what a valid scenario does that its user may not expect: a
// key that another key caps, so that raising it changes nothing, and the
// keys a change of strategy on the command line changed besides the
// strategy (a preset sets every brand key the file does not give). Each
// names the file and line, or the flag, and the key, as errors do.
func (sc *Scenario) Warnings() []*Error {
	d := sc.document()
	var ws []*Error
	for i, b := range sc.Brands {
		path := fmt.Sprintf("brand[%d].push.rate", i)
		if b.Push.Targeting == sim.TargetEveryone && b.Push.FrequencyCap > 0 && b.Push.Rate > b.Push.FrequencyCap {
			file, line := d.location(path)
			ws = append(ws, &Error{File: file, Line: line, Key: "brand." + b.Name + ".push.rate",
				Problem: fmt.Sprintf("%s is above the brand's push.frequency_cap %s: no customer gets more than %s impressions a day, so push above the cap is neither sent nor paid for",
					number(b.Push.Rate), number(b.Push.FrequencyCap), number(b.Push.FrequencyCap))})
		}
	}
	return append(ws, sc.presetChanges...)
}

// presetChanges lists, for each assignment that changes a brand's
// strategy, the brand keys whose values changed with it although nobody
// gave them: the new preset's values, where before there were the old
// preset's.
func presetChanges(before, after *Scenario, assignments []Assignment) []*Error {
	var ws []*Error
	for _, a := range assignments {
		key, _, _ := strings.Cut(a.Text, "=")
		parts := strings.Split(strings.TrimSpace(key), ".")
		if len(parts) != 3 || parts[0] != "brand" || parts[2] != "strategy" {
			continue
		}
		name := parts[1]
		old, cur := brandValues(before, name), brandValues(after, name)
		if old == nil || cur == nil {
			continue
		}
		var changed []string
		for k, v := range cur {
			if k == "strategy" || k == "name" || old[k] == v || after.document().has(brandPath(after, name)+"."+k) {
				continue
			}
			changed = append(changed, fmt.Sprintf("%s %s -> %s", k, old[k], v))
		}
		if len(changed) == 0 {
			continue
		}
		slices.Sort(changed)
		ws = append(ws, &Error{File: a.Source, Key: "brand." + name + ".strategy",
			Problem: fmt.Sprintf("the %s preset also changed keys not given: %s (give them with --set to keep them; `pushpull check` marks every preset key)",
				quote(after.Brands[brandIndex(after, name)].Strategy), strings.Join(changed, ", "))})
	}
	return ws
}

func brandIndex(sc *Scenario, name string) int {
	for i, b := range sc.Brands {
		if b.Name == name {
			return i
		}
	}
	return -1
}

func brandPath(sc *Scenario, name string) string {
	return fmt.Sprintf("brand[%d]", brandIndex(sc, name))
}

// brandValues returns every key of a brand's resolved table (push.rate,
// trust.response, ...) with its value as TOML writes it; nil when the
// scenario has no such brand.
func brandValues(sc *Scenario, name string) map[string]string {
	list, _ := sc.ResolvedMap()["brand"].([]any)
	for _, el := range list {
		m, _ := el.(map[string]any)
		if m["name"] != name {
			continue
		}
		out := map[string]string{}
		var walk func(prefix string, m map[string]any)
		walk = func(prefix string, m map[string]any) {
			for k, v := range m {
				if sub, ok := v.(map[string]any); ok {
					walk(prefix+k+".", sub)
					continue
				}
				if _, isList := v.([]any); isList {
					continue // partners are given, never preset
				}
				out[prefix+k] = fmt.Sprint(v)
			}
		}
		walk("", m)
		return out
	}
	return nil
}

func number(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
