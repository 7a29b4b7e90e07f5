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

// How a table column shows an outcome.
const (
	asShare      = iota // the outcome already is a share of all customers
	asCountShare        // a count of customers, shown as a share of all of them
	asCount             // a count of events, which may exceed the customers
	asMoney             // an amount in the scenario's currency
	asRatio             // a ratio, such as profit per unit of spend
)

// tableOutcomes are the outcomes the end-of-run table shows. Losses are
// events: a customer won back and lost again counts twice, so they are
// shown as a count, never as a share that could pass 100%.
var tableOutcomes = []struct {
	name, column string
	format       int
}{
	{"adoption", "adoption", asShare},
	{"advocates", "advocates", asCountShare},
	{"detractors", "detractors", asCountShare},
	{"churned", "customers lost", asCount},
	{"profit", "profit", asMoney},
	{"roi", "ROI", asRatio},
}

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

// formatCount formats a mean count with its 95% interval in brackets:
// 6,518 [6,326, 6,709].
func formatCount(s output.Summary) string {
	switch {
	case math.IsNaN(s.Mean):
		return "-"
	case math.IsNaN(s.Low):
		return thousands(s.Mean)
	}
	return fmt.Sprintf("%s [%s, %s]", thousands(s.Mean), thousands(math.Max(s.Low, 0)), thousands(s.High))
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
func writeRunTable(w io.Writer, res *runResult) error {
	ro, sc := res.outcomes, res.sc
	sums := ro.Summaries()
	n := len(ro.Replicates)
	fmt.Fprintf(w, "%s: %d customers, %d replicate%s of %d days\n", sc.Name, sc.Customers, n, plural(n), sc.Days)
	fmt.Fprintf(w, "mean [95%% confidence interval]; shares of all customers on the last day, losses over the whole run\n\n")
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 3, ' ', 0)
	head := []string{"brand", "strategy"}
	for _, o := range tableOutcomes {
		head = append(head, o.column)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for b, brand := range ro.Brands {
		strategy := sc.Brands[b].Strategy
		if strategy == "" {
			strategy = "-"
		}
		row := []string{brand, strategy}
		for _, o := range tableOutcomes {
			s := sums[b][output.OutcomeIndex(o.name)]
			switch o.format {
			case asShare:
				row = append(row, formatShare(s, 1))
			case asCountShare:
				row = append(row, formatShare(s, float64(sc.Customers)))
			case asMoney:
				row = append(row, formatMoney(sc.Money.Currency, s))
			case asRatio:
				row = append(row, formatRatio(s))
			default:
				row = append(row, formatCount(s))
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := flushTrimmed(tw, w, &buf); err != nil {
		return err
	}
	if n == 1 {
		_, err := fmt.Fprintln(w, "\n(one replicate: no confidence interval; run more with --replicates)")
		return err
	}
	return nil
}

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
