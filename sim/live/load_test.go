package live

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// heapBytes returns the live heap after a full collection.
func heapBytes() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// The load test runs its viewers in a second process, the test binary run
// again as TestLoadViewers, so that the heap it measures is the server's
// alone. These variables pass the server's address and the test's sizes.
const (
	loadURLEnv     = "PUSHPULL_LOAD_URL"
	loadViewersEnv = "PUSHPULL_LOAD_VIEWERS"
	loadPageEnv    = "PUSHPULL_LOAD_PAGE_TIME"
)

// loadReport is what the viewers' process reports.
type loadReport struct {
	Days, Least, Updates, Resets int
	Refused                      string // the answer to one viewer too many
	Errors                       []string
}

// TestLoadFiftyViewers is a class of fifty: fifty viewers, each with a
// session of its own, play their markets at the top speed for thirty
// seconds of page time, change a strategy halfway and reset when a run
// ends. The page's clock runs ten times faster than real time
// (PageSecond = 100 ms), so the thirty page seconds take three seconds:
// each viewer asks for 600 days a second, more than two cores give, which
// is the point. No request may fail, no stream may break or skip a day,
// a fifty-first viewer is turned away with a message, the heap the
// sessions hold stays within the session cap times the per-session
// estimate, and closing the sessions gives it back.
func TestLoadFiftyViewers(t *testing.T) {
	if testing.Short() {
		t.Skip("the load test takes a few seconds; -short skips it")
	}
	const (
		viewers     = 50
		pageSeconds = 30
		pageSecond  = 100 * time.Millisecond
		customers   = 4000 // what `pushpull serve` runs by default
	)
	srv, base, stop := serveLocal(t, Config{Scenario: testScenario(t, customers), MaxSessions: viewers, PageSecond: pageSecond})
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	before := heapBytes()

	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadViewers$")
	cmd.Env = append(os.Environ(), loadURLEnv+"="+base,
		loadViewersEnv+"="+strconv.Itoa(viewers), loadPageEnv+"="+(pageSeconds*pageSecond).String())
	cmd.Stderr = os.Stderr
	toViewers, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	fromViewers, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(fromViewers)
	var report loadReport
	var during int64
	open := 0
	for lines.Scan() {
		line := lines.Text()
		switch {
		case line == "measure":
			// Every viewer still watches: the heap with all sessions open.
			open = srv.Sessions()
			during = heapBytes()
			io.WriteString(toViewers, "measured\n")
		case strings.HasPrefix(line, "report "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "report ")), &report); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the viewers' process: %v", err)
	}
	after := heapBytes()

	for _, e := range report.Errors {
		t.Error(e)
	}
	bound := int64(srv.MaxSessions()) * srv.SessionBytes()
	t.Logf("%d viewers, %d page seconds in %s: %d days simulated (%d at least per viewer), %d updates, %d resets",
		viewers, pageSeconds, pageSeconds*pageSecond, report.Days, report.Least, report.Updates, report.Resets)
	t.Logf("server heap: %.1f MiB before, %.1f MiB with %d sessions open, %.1f MiB after they closed; bound %d sessions x %.0f KiB = %.1f MiB",
		mib(before), mib(during), open, mib(after), srv.MaxSessions(), float64(srv.SessionBytes())/1024, mib(bound))
	if during == 0 {
		t.Fatal("the viewers' process never asked for the heap to be measured")
	}
	if !strings.Contains(report.Refused, "503") || !strings.Contains(report.Refused, "live: every session is taken") {
		t.Errorf("a fifty-first viewer got %q, want 503 and a message", report.Refused)
	}
	if open != viewers {
		t.Errorf("%d sessions open while %d viewers watch", open, viewers)
	}
	if report.Least < 5 {
		t.Errorf("a viewer saw only %d days in %d page seconds", report.Least, pageSeconds)
	}
	if grew := during - before; grew > bound {
		t.Errorf("the sessions hold %.1f MiB of heap, more than the bound of %.1f MiB", mib(grew), mib(bound))
	}
	if kept := after - before; kept > srv.SessionBytes()*2 {
		t.Errorf("%.1f MiB of heap kept after every session closed", mib(kept))
	}
	if srv.Sessions() != 0 {
		t.Errorf("%d sessions after every viewer closed its own", srv.Sessions())
	}
}

// TestLoadViewers is the viewers' side of TestLoadFiftyViewers, run in a
// process of its own; on its own it does nothing.
func TestLoadViewers(t *testing.T) {
	base := os.Getenv(loadURLEnv)
	if base == "" {
		t.Skip("runs inside TestLoadFiftyViewers")
	}
	viewers, err := strconv.Atoi(os.Getenv(loadViewersEnv))
	if err != nil {
		t.Fatal(err)
	}
	pageTime, err := time.ParseDuration(os.Getenv(loadPageEnv))
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		report loadReport
		days   = make([]int, viewers)
	)
	fail := func(i int, err error) {
		mu.Lock()
		report.Errors = append(report.Errors, fmt.Sprintf("viewer %d: %v", i, err))
		mu.Unlock()
	}
	clients := make([]*client, viewers)
	for i := range clients {
		clients[i] = newClient(t, base)
		clients[i].open()
	}
	status, answer, err := newClient(t, base).tryPost("/api/sessions", "")
	report.Refused = fmt.Sprintf("%d %s %v", status, answer, err)

	var wg sync.WaitGroup
	streams := make([]*stream, viewers)
	done := time.Now().Add(pageTime)
	measured := make(chan struct{})
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-measured }() // keep watching until the heap is measured
			s, err := c.tryEvents()
			if err != nil {
				fail(i, err)
				return
			}
			streams[i] = s
			if status, answer, err := c.tryPost(c.sessionPath("control"), `{"action": "play", "speed": 60}`); err != nil || status != http.StatusOK {
				fail(i, fmt.Errorf("play: %d %s %v", status, answer, err))
				return
			}
			changed := false
			generation, last := 0, 0
			for time.Now().Before(done) {
				ev, ok, err := s.tryNext(5 * time.Second)
				if err != nil || !ok {
					fail(i, fmt.Errorf("stream: ended %v, %v", !ok, err))
					return
				}
				var up updateEvent
				switch ev.name {
				case "state":
					var st stateEvent
					if err := json.Unmarshal(ev.data, &st); err != nil {
						fail(i, err)
						return
					}
					generation, last = st.Generation, st.Status.Day
					up.Status = st.Status
				case "update":
					if err := json.Unmarshal(ev.data, &up); err != nil {
						fail(i, err)
						return
					}
					if up.Generation != generation {
						fail(i, fmt.Errorf("an update of run %d while in run %d", up.Generation, generation))
						return
					}
					for _, d := range up.Days {
						if d.Day != last+1 {
							fail(i, fmt.Errorf("day %d after day %d", d.Day, last))
							return
						}
						last = d.Day
						days[i]++
					}
					mu.Lock()
					report.Updates++
					mu.Unlock()
				default:
					fail(i, fmt.Errorf("unexpected %s event: %s", ev.name, ev.data))
					return
				}
				if !changed && time.Until(done) < pageTime/2 {
					changed = true
					if status, answer, err := c.tryPost(c.sessionPath("set"), `{"set": "brand.Blast.push.rate=0.5"}`); err != nil || status != http.StatusOK {
						fail(i, fmt.Errorf("set: %d %s %v", status, answer, err))
						return
					}
				}
				if up.Status.Ended {
					mu.Lock()
					report.Resets++
					mu.Unlock()
					if status, answer, err := c.tryPost(c.sessionPath("control"), `{"action": "reset"}`); err != nil || status != http.StatusOK {
						fail(i, fmt.Errorf("reset: %d %s %v", status, answer, err))
						return
					}
					if status, answer, err := c.tryPost(c.sessionPath("control"), `{"action": "play"}`); err != nil || status != http.StatusOK {
						fail(i, fmt.Errorf("play after reset: %d %s %v", status, answer, err))
						return
					}
				}
			}
		}()
	}
	time.Sleep(time.Until(done))
	fmt.Println("measure")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	close(measured)
	wg.Wait()
	for i, c := range clients {
		if streams[i] != nil {
			streams[i].close()
		}
		if status, answer, err := c.tryPost(c.sessionPath("close"), ""); err != nil || status != http.StatusNoContent {
			fail(i, fmt.Errorf("close: %d %s %v", status, answer, err))
		}
	}
	report.Least = days[0]
	for _, d := range days {
		report.Days += d
		report.Least = min(report.Least, d)
	}
	out, _ := json.Marshal(report)
	fmt.Println("report " + string(out))
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// TestSessionBytesEstimate checks the estimate the memory bound rests on
// against what sessions really hold.
func TestSessionBytesEstimate(t *testing.T) {
	srv, ts := startServer(t, 2000, Config{})
	const n = 10
	before := heapBytes()
	for range n {
		c := newClient(t, ts.URL)
		c.open()
		// A full run's history, as a session holds at its end.
		ss, err := srv.session(c.session)
		if err != nil {
			t.Fatal(err)
		}
		ss.mu.Lock()
		for !ss.ended() {
			ss.advance()
		}
		ss.mu.Unlock()
	}
	per := (heapBytes() - before) / n
	t.Logf("a session holds %.0f KiB at the end of a run; the estimate is %.0f KiB", float64(per)/1024, float64(srv.SessionBytes())/1024)
	if per > srv.SessionBytes() {
		t.Errorf("a session holds %d bytes, more than the estimate of %d", per, srv.SessionBytes())
	}
}

// TestParallelSessionRequests sends 200 requests for a session at once to
// a server of the default limit and the classroom's 4,000 customers: 64
// get one, the rest are told the server is full, and the heap grows by no
// more than the server's own estimate for 64 sessions (about 63 MiB; the
// sessions, freshly opened, hold about 52 MiB).
func TestParallelSessionRequests(t *testing.T) {
	srv, ts := startServer(t, 4000, Config{})
	const requests = 200
	before := heapBytes()
	statuses := make(chan int, requests)
	var wg sync.WaitGroup
	for range requests {
		wg.Go(func() {
			status, _, err := newClient(t, ts.URL).tryPost("/api/sessions", "")
			if err != nil {
				t.Error(err)
			}
			statuses <- status
		})
	}
	wg.Wait()
	close(statuses)
	// The clients' connections are this process's too; only the server's
	// memory is measured.
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	grew := heapBytes() - before
	max := srv.MaxSessions()
	if count[http.StatusCreated] != max || count[http.StatusServiceUnavailable] != requests-max || srv.Sessions() != max {
		t.Errorf("%d parallel requests for a session: answers %v, %d sessions open; want %d created and the rest 503", requests, count, srv.Sessions(), max)
	}
	t.Logf("heap grew by %.1f MiB with %d sessions open; the estimate is %.0f KiB a session", mib(grew), srv.Sessions(), float64(srv.SessionBytes())/1024)
	if grew > int64(max)*srv.SessionBytes() {
		t.Errorf("the server's heap grew by %.1f MiB under %d parallel session requests, more than the estimate of %.1f MiB for %d sessions", mib(grew), requests, mib(int64(max)*srv.SessionBytes()), max)
	}
}
