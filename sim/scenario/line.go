package scenario

// Line returns the line of the scenario file that gives key, written as a
// path of the file with arrays of tables counted from 0
// ("sweep.factor[1].max", "brand[0].push.rate"), or else the line of the
// nearest table around it. It is 0 when no line applies: a flag set the
// key, or the scenario was not read from a file. Packages that check a
// scenario further (sweeps) use it to point at the line to fix.
func (sc *Scenario) Line(key string) int {
	file, line := sc.document().location(key)
	if file != sc.document().file {
		return 0
	}
	return line
}
