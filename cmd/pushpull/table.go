package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/pushpull/pushpull/sim/output"
)

// shownOutcomes are the outcomes run and compare print unless --show
// names others, chosen to explain a result: how many customers a brand
// has, what they say, how fast it loses them, how many it ever lost, how
// many shut it out, and what its push cost and how much of it went unseen.
// An outcome added to replicates.csv is printed by default by adding its
// name here.
var shownOutcomes = []string{"adoption", "advocates", "detractors", "churn_rate", "leavers", "blocked", "wasted_share", "push_spend", "profit", "roi"}

// outcomeLabels name outcomes in printed tables where the name in the
// files would be read wrongly: churned counts losses, and a customer won
// back and lost again counts twice, so it is "losses", apart from
// "ever left", the customers who left at least once.
var outcomeLabels = map[string]string{
	"churned":          "losses",
	"leavers":          "ever left",
	"churn_rate":       "churn/month",
	"wasted_share":     "wasted",
	"push_spend":       "spend",
	"cost_per_adopter": "cost/adopter",
	"purchase_share":   "purchase share",
	"net_advocacy":     "net advocacy",
}

// outcomeMeanings say, in a table's legend, what a printed column is when
// it is not a share of all customers on the last day.
var outcomeMeanings = map[string]string{
	"churned":          "losses: customers lost over the run, one lost twice counted twice",
	"leavers":          "ever left: customers who left at least once",
	"churn_rate":       "churn/month: losses a month as a share of the brand's customers",
	"wasted_share":     "wasted: share of push impressions unseen or blocked",
	"push_spend":       "spend: push spend over the run",
	"cost_per_adopter": "cost/adopter: push spend per customer won",
	"purchase_share":   "purchase share: the brand's share of all purchases over the run",
}

func outcomeLabel(outcome string) string {
	if l, ok := outcomeLabels[outcome]; ok {
		return l
	}
	return outcome
}

// lowerIsBetter lists the outcomes a brand wants small; for every other
// outcome more is better.
var lowerIsBetter = map[string]bool{
	"detractors": true, "churned": true, "leavers": true, "churn_rate": true, "blocked": true,
	"impressions_wasted": true, "wasted_share": true, "push_spend": true, "cost_per_adopter": true, "wom_negative": true,
	"days_to_10pct_awareness": true, "days_to_50pct_awareness": true, "days_to_10pct_adoption": true, "days_to_50pct_adoption": true,
	"cac": true, "unspent": true, "spend": true, "content_spend": true, "platform_spend": true, "partner_spend": true,
	"incentive_spend": true, "compensation_spend": true,
}

// checkShow validates the outcomes --show names.
func checkShow(command string, show []string) error {
	if len(show) == 0 {
		return invalidf("%s: --show needs at least one outcome (known: %s)", command, strings.Join(output.OutcomeNames, ", "))
	}
	for _, o := range show {
		if output.OutcomeIndex(o) < 0 {
			return invalidf("%s: --show: unknown outcome %q (known: %s)", command, o, strings.Join(output.OutcomeNames, ", "))
		}
	}
	return nil
}

// legend says what the shown outcomes are, wrapped to lines of at most
// legendWidth characters after the first line's lead.
func legend(lead string, show []string) string {
	var shares, others []string
	for _, o := range show {
		switch {
		case outcomeMeanings[o] != "":
			others = append(others, outcomeMeanings[o])
		case o == "adoption":
			shares = append(shares, "adoption (current customers)")
		case outcomeScale(o, 1) > 0:
			shares = append(shares, outcomeLabel(o))
		}
	}
	parts := []string{lead}
	if len(shares) > 0 {
		parts = append(parts, "shares of all customers on the last day: "+strings.Join(shares, ", "))
	}
	parts = append(parts, others...)
	var b strings.Builder
	width := 0
	for i, p := range parts {
		if i < len(parts)-1 {
			p += ";"
		}
		switch {
		case i == 0:
		case width+1+len(p) > legendWidth:
			b.WriteString("\n")
			width = 0
		default:
			b.WriteString(" ")
			width++
		}
		b.WriteString(p)
		width += len(p)
	}
	return b.String()
}

// legendWidth is the width a table's legend wraps at.
const legendWidth = 110

// formatShare formats a share of customers as a percentage with its 95%
// interval in brackets: 21.3% [20.8, 21.8].
func formatShare(s output.Summary, scale float64) string {
	switch {
	case math.IsNaN(s.Mean):
		return "-"
	case math.IsNaN(s.Low):
		return percent(s.Mean/scale) + "%"
	}
	return fmt.Sprintf("%s%% [%s, %s]", percent(s.Mean/scale), percent(s.Low/scale), percent(s.High/scale))
}

// thousands rounds x to a whole number and groups its digits by three.
func thousands(x float64) string {
	digits := fmt.Sprintf("%.0f", math.Abs(x))
	var b strings.Builder
	if math.Round(x) < 0 {
		b.WriteByte('-')
	}
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// percent writes a share as a percentage with one decimal, never "-0.0":
// an interval that reaches just below zero reads [0.0, 0.1].
func percent(share float64) string {
	s := fmt.Sprintf("%.1f", 100*share)
	if s == "-0.0" {
		return "0.0"
	}
	return s
}

// writeRunTable prints the compact per-brand table that ends a run.
func writeRunTable(w io.Writer, res *runResult, show []string) error {
	ro, sc := res.outcomes, res.sc
	sums := ro.Summaries()
	n := len(ro.Replicates)
	fmt.Fprintf(w, "%s: %d customers, %d replicate%s of %d days\n", sc.Name, sc.Customers, n, plural(n), sc.Days)
	lead := "mean [95% confidence interval]"
	if n == 1 {
		lead = "one replicate, so no confidence intervals (run more with --replicates)"
	}
	fmt.Fprintf(w, "%s\n\n", legend(lead, show))
	// Outcomes beyond a screen's width go to a second table below.
	for len(show) > 0 {
		part := show[:min(len(show), runTableColumns)]
		show = show[len(part):]
		var buf bytes.Buffer
		tw := tabwriter.NewWriter(&buf, 0, 0, 3, ' ', 0)
		head := []string{"brand", "strategy"}
		for _, o := range part {
			head = append(head, outcomeLabel(o))
		}
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for b, brand := range ro.Brands {
			strategy := sc.Brands[b].Strategy
			if strategy == "" {
				strategy = "-"
			}
			row := []string{brand, strategy}
			for _, o := range part {
				s := sums[b][output.OutcomeIndex(o)]
				row = append(row, formatInterval(o, s.Mean, s.Low, s.High, sc.Customers, false))
			}
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
		if err := flushTrimmed(tw, w, &buf); err != nil {
			return err
		}
		if len(show) > 0 {
			fmt.Fprintln(w)
		}
	}
	return nil
}

// runTableColumns is how many outcomes one table of a run shows, so that a
// table with intervals fits a screen of about 110 characters.
const runTableColumns = 5

// flushTrimmed flushes a tabwriter that writes to buf and copies buf to
// w without the spaces tabwriter pads empty last cells with.
func flushTrimmed(tw *tabwriter.Writer, w io.Writer, buf *bytes.Buffer) error {
	if err := tw.Flush(); err != nil {
		return err
	}
	for line := range strings.Lines(buf.String()) {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+"\n"); err != nil {
			return err
		}
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
