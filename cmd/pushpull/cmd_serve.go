package main

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/live"
)

func serveCommand() *command {
	return &command{
		name:    "serve",
		args:    "[flags] [FILE | NAME]",
		summary: "serve the live classroom page: watch social gravity, change strategies as it runs",
		long: `Starts a web server for the classroom page: the orbit of customers around the
brands and the adoption, advocacy and churn curves, growing one simulated day at
a time, with play, pause, step, reset and speed, and per brand controls for push
budget, opt-in-only targeting, pull content, platform, overclaim and incident
response. A change applies from the next day and is numbered on the curves;
values are checked as in a scenario file.

Open the address it prints in a browser; the page and everything it needs are
in the binary, so it works offline. Every viewer gets a simulation of their
own (at most --max-sessions at once; one nobody watches closes after --idle).

With no FILE it serves the default scenario, "social-gravity". A scenario with
more than --customers customers is scaled down to that many so that every
viewer's market steps fast; the page says so. It listens on 127.0.0.1 only,
this computer, unless --addr says otherwise: --addr 0.0.0.0:8080 lets students
on the same network open it, and anyone else on that network too (there is no
password; a firewall may also have to let port 8080 in). Ctrl-C stops it.`,
		run: runServe,
	}
}

// defaultServeCustomers keeps a day under a few milliseconds, so a class
// of thirty can each play a market at full speed on one laptop.
const defaultServeCustomers = 4000

func runServe(e *env, args []string) error {
	c := lookup("serve")
	fs := e.flags(c)
	var (
		sf          scenarioFlags
		addr        string
		customers   int
		maxSessions int
		idle        time.Duration
	)
	fs.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on; 0.0.0.0:8080 listens on every network interface")
	fs.IntVar(&customers, "customers", defaultServeCustomers, "largest population a viewer's market runs; 0 keeps the scenario's")
	fs.IntVar(&maxSessions, "max-sessions", live.DefaultMaxSessions, "most simulations open at once, one per viewer")
	fs.DurationVar(&idle, "idle", live.DefaultIdleTimeout, "close a viewer's simulation after this long unwatched")
	// The scenario flags of run, but --replicates: a page runs one market.
	fs.Uint64Var(&sf.seed, "seed", 0, "random seed of the first run (default: the scenario's)")
	fs.IntVar(&sf.days, "days", 0, "days a run lasts (default: the scenario's)")
	fs.StringArrayVar(&sf.sets, "set", nil, "set a scenario key, as key.path=value; repeatable (brand.NAME.push.rate=2)")
	if err := e.parse(c, fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 1:
		return invalidf("serve: one scenario at a time, got %d (see `pushpull serve --help`)", fs.NArg())
	case customers < 0:
		return invalidf("serve: --customers must be 0 (the scenario's) or more, got %d", customers)
	case maxSessions < 1:
		return invalidf("serve: --max-sessions must be at least 1, got %d", maxSessions)
	case idle <= 0:
		return invalidf("serve: --idle must be a positive duration such as 5m, got %s", idle)
	}
	sc, err := loadScenario(fs.Arg(0))
	if err != nil {
		return err
	}
	if err := sf.apply(fs, sc); err != nil {
		return err
	}
	full := sc.Customers
	scaled := customers > 0 && sc.Customers > customers
	if scaled && sc.Graph.Kind == graph.KindEdgeList {
		// The graph is a file of real ties: it cannot be scaled down.
		fmt.Fprintf(e.stderr, "serve: the graph is read from %s, so the page runs all %s customers\n", sc.Graph.Path, serveThousands(full))
		scaled = false
	}
	if scaled {
		if err := sc.SetFrom("--customers", "customers="+strconv.Itoa(customers)); err != nil {
			// The error names the key that conflicts, which the file
			// gave; the change that made it conflict is the flag's.
			return invalidf("serve: --customers %d does not fit the scenario: %v", customers, err)
		}
	} else {
		full = 0
	}
	srv, err := live.New(live.Config{Scenario: sc, FullCustomers: full, MaxSessions: maxSessions, IdleTimeout: idle})
	if err != nil {
		return invalid(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		srv.Close()
		return invalidf("serve: cannot listen on %s: %v (another program may use the port: try --addr 127.0.0.1:8081)", addr, err)
	}
	population := serveThousands(sc.Customers) + " customers"
	if full > 0 {
		population = fmt.Sprintf("%s of its %s customers", serveThousands(sc.Customers), serveThousands(full))
	}
	fmt.Fprintf(e.stdout, "pushpull serve: %s (%s) at %s\n", sc.Name, population, pageURL(ln.Addr()))
	fmt.Fprintf(e.stdout, "each viewer gets a simulation of their own: at most %d at once, about %.1f MiB each; Ctrl-C stops\n",
		srv.MaxSessions(), float64(srv.SessionBytes())/(1<<20))
	if host, _, err := net.SplitHostPort(addr); err == nil && (host == "" || net.ParseIP(host).IsUnspecified()) {
		fmt.Fprintln(e.stdout, "listening on every network interface: anyone on this network can open the page")
	}
	if err := srv.Serve(e.ctx, ln); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "pushpull serve: stopped")
	return nil
}

// pageURL is the address a browser opens: a server listening on every
// interface is reached on this computer as localhost.
func pageURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + "/"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// serveThousands writes n with thousands separators, as the page does.
func serveThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
