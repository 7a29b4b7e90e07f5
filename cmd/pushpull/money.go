package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"text/tabwriter"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// money writes an amount in the scenario's currency with thousands
// separators, and cents below 100: $12,345, -$1,234, $3.12.
func money(currency string, x float64) string {
	sign := ""
	if x < 0 && math.Round(x*100) != 0 {
		sign, x = "-", -x
	}
	if x < 100 {
		return fmt.Sprintf("%s%s%.2f", sign, currency, math.Abs(x))
	}
	return sign + currency + thousands(x)
}

// formatMoney formats a mean amount with its 95% interval: $12,345
// [$11,900, $12,790].
func formatMoney(currency string, s output.Summary) string {
	switch {
	case math.IsNaN(s.Mean):
		return "-"
	case math.IsNaN(s.Low):
		return money(currency, s.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", money(currency, s.Mean), money(currency, s.Low), money(currency, s.High))
}

// formatRatio formats a mean ratio, such as ROI, with two decimals and
// its interval: 1.52 [1.47, 1.58].
func formatRatio(s output.Summary) string {
	switch {
	case math.IsNaN(s.Mean):
		return "-"
	case math.IsNaN(s.Low):
		return fmt.Sprintf("%.2f", s.Mean)
	}
	return fmt.Sprintf("%.2f [%.2f, %.2f]", s.Mean, s.Low, s.High)
}

// writeMoneyNotes says, after a run's table, what profit and ROI are, and
// how much of each brand's budget its levers could not use over the run,
// so that money is never left silently.
func writeMoneyNotes(w io.Writer, res *runResult) error {
	if _, err := fmt.Fprintf(w, "profit: margin less all spend over the run, in %s; ROI: profit per unit of spend\n", res.sc.Money.Currency); err != nil {
		return err
	}
	sums := res.outcomes.Summaries()
	k := output.OutcomeIndex("unspent")
	currency := res.sc.Money.Currency
	for b, brand := range res.outcomes.Brands {
		s := sums[b][k]
		if math.IsNaN(s.Mean) || s.Mean < 0.5 {
			continue
		}
		if _, err := fmt.Fprintf(w, "%s left %s of its budget unspent over the run (unspent in daily.csv says on which days)\n", brand, money(currency, s.Mean)); err != nil {
			return err
		}
	}
	return nil
}

// writeBudgets says what each brand spends a day on its levers at the
// start of the scenario and what of it cannot be spent: the frequency cap
// above which push money buys nothing, a platform or partners given more
// than they cost, money for a lever that costs nothing.
func writeBudgets(w io.Writer, sc *scenario.Scenario) {
	currency := sc.Money.Currency
	for i := range sc.Brands {
		b := &sc.Brands[i]
		lv := b.Fund(sc.Customers, sc.Money.EqualBudget)
		spend := lv.Allotted
		if lv.Budget > 0 {
			fmt.Fprintf(w, "# money: %s has %s a day: push %s, content %s, platform %s, partners %s\n", b.Name, money(currency, lv.Budget),
				money(currency, spend.Push), money(currency, spend.Content), money(currency, spend.Platform), money(currency, spend.Partners))
		} else {
			fmt.Fprintf(w, "# money: %s's rates cost %s a day: push %s, content %s, platform %s, partners %s\n", b.Name, money(currency, spend.Total()),
				money(currency, spend.Push), money(currency, spend.Content), money(currency, spend.Platform), money(currency, spend.Partners))
		}
		left := b.Leftover(sc.Customers, lv)
		for _, l := range []struct {
			lever string
			money float64
			why   string
		}{
			{"push", left.Push, fmt.Sprintf("it buys %.3g impressions a customer a day, above push.frequency_cap = %g, or impressions cost nothing", lv.PushRate, b.Push.FrequencyCap)},
			{"content", left.Content, "content costs nothing"},
			{"platform", left.Platform, fmt.Sprintf("the platform costs %s a day", money(currency, b.PlatformDailyCost()))},
			{"partners", left.Partners, fmt.Sprintf("the partners charge %s a day", money(currency, b.PartnerFees()))},
		} {
			if l.money >= 0.005 {
				fmt.Fprintf(w, "# unspent: %s leaves %s a day of its %s money unspent: %s\n", b.Name, money(currency, l.money), l.lever, l.why)
			}
		}
		if lv.Budget > 0 && b.Push.Targeting == sim.TargetOptIn && spend.Push > 0 && b.Push.FrequencyCap > 0 {
			fmt.Fprintf(w, "# unspent: %s's push money goes unspent while fewer than %.0f customers have opted in (push.frequency_cap = %g a customer)\n",
				b.Name, math.Ceil(lv.PushRate*float64(sc.Customers)/b.Push.FrequencyCap), b.Push.FrequencyCap)
		}
	}
}

// writeRanking ranks each scenario's brands by one outcome, best first,
// with each brand's difference to the best, paired by replicate: which
// strategy pays, and by how much more than chance.
func writeRanking(w io.Writer, runs []compared, outcome, currency string) error {
	k := output.OutcomeIndex(outcome)
	best := "highest"
	if lowerIsBetter[outcome] {
		best = "lowest"
	}
	// Brands of one run met the same luck in each replicate, so a brand's
	// difference to the best is taken replicate by replicate; a run of one
	// replicate has no interval to show.
	interval := "[95% CI over replicates, each brand against the best in the same replicate]"
	if r0replicates(runs) < 2 {
		interval = "(one replicate: no interval)"
	}
	fmt.Fprintf(w, "\nranked by %s, best (%s) first; difference to the best %s\n", outcome, best, interval)
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 3, ' ', 0)
	fmt.Fprintln(tw, "scenario\trank\tbrand\t"+outcome+"\tdifference")
	show := func(s output.Summary, diff bool) string {
		if isMoneyOutcome(outcome) {
			return formatMoney(currency, s)
		}
		return formatInterval(outcome, s.Mean, s.Low, s.High, r0customers(runs), diff)
	}
	for _, r := range runs {
		sums := r.outcomes.Summaries()
		order := make([]int, len(r.outcomes.Brands))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool {
			x, y := sums[order[a]][k].Mean, sums[order[b]][k].Mean
			if lowerIsBetter[outcome] {
				x, y = -x, -y
			}
			return x > y || !math.IsNaN(x) && math.IsNaN(y)
		})
		for rank, b := range order {
			diff := ""
			if rank > 0 {
				d := output.Diff(r.outcomes, r.outcomes, order[0], b, k)
				diff = show(output.Summary{Mean: d.Mean, Low: d.Low, High: d.High}, true)
			}
			name := r.name
			if rank > 0 {
				name = ""
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", name, rank+1, r.outcomes.Brands[b], show(sums[b][k], false), diff)
		}
	}
	return flushTrimmed(tw, w, &buf)
}

// isMoneyOutcome reports whether an outcome is an amount of money.
func isMoneyOutcome(outcome string) bool {
	switch outcome {
	case "revenue", "margin", "push_spend", "content_spend", "platform_spend", "partner_spend", "incentive_spend",
		"compensation_spend", "spend", "unspent", "profit", "cac", "clv", "cost_per_adopter":
		return true
	}
	return false
}

// r0replicates is the fewest replicates any run has.
func r0replicates(runs []compared) int {
	n := len(runs[0].outcomes.Replicates)
	for _, r := range runs {
		n = min(n, len(r.outcomes.Replicates))
	}
	return n
}

// r0customers is the first run's customers, which shares of customers
// are printed against.
func r0customers(runs []compared) int { return runs[0].customers }
