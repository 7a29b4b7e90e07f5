package main

import (
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pushpull/pushpull/sim/output"
)

func TestMoneyFormat(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{0, "$0.00"}, {3.126, "$3.13"}, {-0.001, "$0.00"}, {-2.5, "-$2.50"}, {99.994, "$99.99"},
		{100, "$100"}, {12345.4, "$12,345"}, {-1234567, "-$1,234,567"},
	} {
		if got := money("$", tc.x); got != tc.want {
			t.Errorf("money(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
	s := output.Summary{Mean: 1520, Low: -30, High: 3070}
	if got, want := formatMoney("EUR ", s), "EUR 1,520 [-EUR 30.00, EUR 3,070]"; got != want {
		t.Errorf("formatMoney = %q, want %q", got, want)
	}
	if got := formatRatio(output.Summary{Mean: 1.5, Low: math.NaN(), High: math.NaN()}); got != "1.50" {
		t.Errorf("formatRatio of one replicate = %q", got)
	}
}

// rankedRows reads the ranking block of compare's output: brand and
// printed value, in the order printed.
func rankedRows(t *testing.T, table string) [][2]string {
	t.Helper()
	_, block, ok := strings.Cut(table, "\nranked by ")
	if !ok {
		t.Fatalf("no ranking in:\n%s", table)
	}
	row := regexp.MustCompile(`(?m)^\S*\s+(\d)\s+(\w+)\s+(\S+)`)
	var rows [][2]string
	for _, m := range row.FindAllStringSubmatch(block, -1) {
		rows = append(rows, [2]string{m[2], m[3]})
	}
	return rows
}

func TestCompareRanksBrandsByProfit(t *testing.T) {
	base := writeScenario(t, "small.toml", smallScenario)
	louder := writeScenario(t, "louder.toml", strings.Replace(smallScenario, `name = "small"`, `name = "louder"`, 1)+"[brand.push]\nrate = 3\n")
	out := filepath.Join(t.TempDir(), "cmp")
	table := mustRun(t, "compare", "--plots=false", "--out", out, base, louder)
	if !strings.Contains(table, "ranked by profit, best (highest) first") {
		t.Fatalf("compare does not rank by profit:\n%s", table)
	}
	rows := rankedRows(t, table)
	if len(rows) != 4 {
		t.Fatalf("ranking rows %v, want 2 brands in each of 2 scenarios", rows)
	}
	// The order printed is the order of the profits in compare.csv.
	_, csvRows := readCSV(t, filepath.Join(out, output.CompareFile))
	profit := map[string]float64{}
	for _, r := range csvRows {
		if r[1] == "profit" {
			v, _ := strconv.ParseFloat(r[3], 64)
			profit[r[2]+"/"+r[0]] = v
		}
	}
	for i, scenario := range []string{"small", "louder"} {
		first, second := rows[2*i][0], rows[2*i+1][0]
		if profit[scenario+"/"+first] < profit[scenario+"/"+second] {
			t.Errorf("%s: %s ranked above %s with less profit (%v < %v)", scenario, first, second, profit[scenario+"/"+first], profit[scenario+"/"+second])
		}
	}
	// A cost ranks lowest first.
	table = mustRun(t, "compare", "--force", "--plots=false", "--rank", "cac", "--out", out, base, louder)
	if !strings.Contains(table, "ranked by cac, best (lowest) first") {
		t.Errorf("compare --rank cac:\n%s", table)
	}
}

func TestRunAndCheckReportMoney(t *testing.T) {
	capped := writeScenario(t, "capped.toml", smallScenario+"[brand.budget]\ndaily = 100\npush = 0.5\nplatform = 0.5\n")
	out := mustRun(t, "check", capped)
	// Warm pushes to its permission list and runs a conversation
	// platform that costs 25 a day: 50 of platform money buys 25.
	for _, want := range []string{
		"# money: Loud's rates cost $10.00 a day: push $10.00",
		"# money: Warm has $100 a day: push $50.00, content $0.00, platform $50.00, partners $0.00",
		"# unspent: Warm leaves $25.00 a day of its platform money unspent: the platform costs $25.00 a day",
		"# unspent: Warm's push money goes unspent while fewer than 3334 customers have opted in",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check lacks %q:\n%s", want, out)
		}
	}
	table := mustRun(t, "run", "--plots=false", "--out", filepath.Join(t.TempDir(), "run"), capped)
	for _, want := range []string{"profit", "ROI", "Warm left $", "of its budget unspent over the run"} {
		if !strings.Contains(table, want) {
			t.Errorf("run's table lacks %q:\n%s", want, table)
		}
	}
}
