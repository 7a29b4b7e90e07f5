package live

import (
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/pushpull/pushpull/scenarios"
	"github.com/pushpull/pushpull/sim/scenario"
)

// testScenario is the shipped default scenario with customers customers:
// small markets keep the tests fast, the page's logic is the same.
func testScenario(t testing.TB, customers int) *scenario.Scenario {
	t.Helper()
	file, data, ok := scenarios.Lookup(scenarios.Default)
	if !ok {
		t.Fatalf("the default scenario %q is not shipped", scenarios.Default)
	}
	sc, err := scenario.Parse(file, data)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.SetFrom("test", "customers="+strconv.Itoa(customers)); err != nil {
		t.Fatal(err)
	}
	return sc
}

// startServer serves a Server of the default scenario with customers
// customers over HTTP on localhost. Cleanup ends the sessions first: an
// open event stream would keep the test server from closing.
func startServer(t testing.TB, customers int, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if cfg.Scenario == nil {
		cfg.Scenario = testScenario(t, customers)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Close)
	return srv, ts
}

// onlySession returns the server's one open session.
func onlySession(t testing.TB, srv *Server) *session {
	t.Helper()
	ids := srv.sessionIDs()
	if len(ids) != 1 {
		t.Fatalf("%d sessions open, want 1", len(ids))
	}
	ss, err := srv.session(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

// serveLocal runs New(cfg) with Serve on a localhost port, as `pushpull
// serve` does. stop is Ctrl-C: it cancels Serve's context and returns
// what Serve returned, or an error when Serve does not return within its
// grace period and a little more.
func serveLocal(t testing.TB, cfg Config) (srv *Server, base string, stop func() error) {
	t.Helper()
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	stopped := false
	stop = func() error {
		stopped = true
		cancel()
		select {
		case err := <-served:
			return err
		case <-time.After(shutdownGrace + 5*time.Second):
			return errors.New("Serve did not return after its context was cancelled")
		}
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	return srv, "http://" + ln.Addr().String(), stop
}
