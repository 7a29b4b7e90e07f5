package live

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/plot"
)

// fastPage runs the page's clock a hundred times faster than real time:
// at the top speed, 60 days a page second, a day every 0.17 ms.
const fastPage = 10 * time.Millisecond

func TestOpenSendsTheLookOfThePlots(t *testing.T) {
	_, ts := startServer(t, 600, Config{})
	res := newClient(t, ts.URL).open()
	if len(res.Session) != 24 {
		t.Errorf("session id %q, want 24 hex digits", res.Session)
	}
	want := []string{plot.BrandHex(0), plot.BrandHex(1), plot.BrandHex(2)}
	if !slices.Equal(res.Look.Brands, want) {
		t.Errorf("brand colours %v, want the plots' %v", res.Look.Brands, want)
	}
	if !slices.Equal(res.Look.Status, plot.StatusHex[:]) || !slices.Equal(res.Look.Markers, plot.StatusMarker[:]) ||
		res.Look.DeepSpace != plot.DeepSpaceHex || res.Look.DeepSpaceRing != plot.DeepSpaceRingHex || res.Look.WellTint != plot.WellTint {
		t.Errorf("status colours and markers %v %v %s differ from the plots'", res.Look.Status, res.Look.Markers, res.Look.DeepSpace)
	}
	if wantText := []string{plot.BrandTextHex(0), plot.BrandTextHex(1), plot.BrandTextHex(2)}; !slices.Equal(res.Look.BrandText, wantText) {
		t.Errorf("text colours on the brands %v, want the plots' %v", res.Look.BrandText, wantText)
	}
	l := plot.NewOrbitLayout(3)
	if res.Look.Layout.Well != l.Well || res.Look.Layout.Core != l.Core || len(res.Look.Layout.Planets) != 3 ||
		res.Look.Layout.Planets[1] != [2]float64{l.Planets[1].X, l.Planets[1].Y} {
		t.Errorf("orbit layout %+v differs from the plots' %+v", res.Look.Layout, l)
	}
	if res.MaxSessions != DefaultMaxSessions || res.DefaultSpeed != DefaultSpeed {
		t.Errorf("limits %+v", res)
	}
}

func TestStreamSendsEveryDayOnce(t *testing.T) {
	_, ts := startServer(t, 600, Config{PageSecond: fastPage})
	c := newClient(t, ts.URL)
	c.open()
	s := c.events()
	defer s.close()
	var st stateEvent
	if ev := s.next(t); ev.name != "state" {
		t.Fatalf("first event %q, want state", ev.name)
	} else {
		decode(t, ev, &st)
	}
	if st.Status.Day != 0 || len(st.History) != 1 || st.History[0].Day != 0 || st.Status.Playing {
		t.Fatalf("first state: day %d, %d days of history, playing %v; want day 0 alone, paused", st.Status.Day, len(st.History), st.Status.Playing)
	}
	if st.Scenario != "social-gravity" || st.Customers != 600 || len(st.Brands) != 3 || st.Brands[0].Name != "Blast" {
		t.Fatalf("first state: %s, %d customers, brands %+v", st.Scenario, st.Customers, st.Brands)
	}
	if n := len(st.Orbit.Points); n == 0 || n%3 != 0 {
		t.Fatalf("orbit of %d numbers, want x, y and kind per customer", n)
	}
	c.control(`{"action": "play", "speed": 60}`)
	last := 0
	for last < st.Status.Days {
		ev := s.next(t)
		if ev.name != "update" {
			t.Fatalf("event %q, want update", ev.name)
		}
		var up updateEvent
		decode(t, ev, &up)
		for _, d := range up.Days {
			if d.Day != last+1 {
				t.Fatalf("day %d after day %d: a stream must send every day once, in order", d.Day, last)
			}
			last = d.Day
			if len(d.Customers) != 3 || len(d.Churned) != 3 {
				t.Fatalf("day %d: %+v", d.Day, d)
			}
		}
		if up.Orbit != nil && up.Orbit.Day != up.Status.Day {
			t.Errorf("orbit of day %d in an update of day %d", up.Orbit.Day, up.Status.Day)
		}
		for i := 0; up.Orbit != nil && i < len(up.Orbit.Points); i += 3 {
			x, y, k := up.Orbit.Points[i], up.Orbit.Points[i+1], up.Orbit.Points[i+2]
			if x < -orbitScale || x > orbitScale || y < -orbitScale || y > orbitScale || k < 0 || k > 5 {
				t.Fatalf("orbit point (%d, %d) of kind %d is off the picture", x, y, k)
			}
		}
		if up.Status.Ended != (up.Status.Day == up.Status.Days) {
			t.Errorf("day %d of %d: ended %v", up.Status.Day, up.Status.Days, up.Status.Ended)
		}
	}
}

func TestClockRunsOnlyWhileWatched(t *testing.T) {
	srv, ts := startServer(t, 600, Config{PageSecond: fastPage})
	c := newClient(t, ts.URL)
	c.open()
	c.control(`{"action": "play", "speed": 60}`)
	time.Sleep(50 * time.Millisecond)
	ss := onlySession(t, srv)
	if d := ss.status().Day; d != 0 {
		t.Fatalf("the market reached day %d with nobody watching", d)
	}
	s := c.events()
	deadline := time.Now().Add(10 * time.Second)
	for ss.status().Day < 5 {
		if time.Now().After(deadline) {
			t.Fatal("the market did not advance with a page watching")
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.close()
	// The stream's end reaches the server a moment later.
	time.Sleep(100 * time.Millisecond)
	before := ss.status().Day
	time.Sleep(50 * time.Millisecond)
	if after := ss.status().Day; after != before {
		t.Errorf("the market went from day %d to %d after its page left", before, after)
	}
}

func TestSetChangesTheMarketFromTheNextDay(t *testing.T) {
	sc := testScenario(t, 600)
	srv, ts := startServer(t, 0, Config{Scenario: sc})
	c := newClient(t, ts.URL)
	c.open()
	for range 3 {
		c.control(`{"action": "step"}`)
	}
	status, msg, mk := c.set("brand.Blast.push.rate=0")
	if status != http.StatusOK || msg != "" {
		t.Fatalf("set: %d %s", status, msg)
	}
	if want := fmt.Sprintf("Blast: push budget %.3g → 0", sc.Brands[0].Push.Rate); mk == nil || mk.Number != 1 || mk.Day != 3 || mk.Brand != 0 || mk.Label != want {
		t.Fatalf("mark %+v, want number 1 on day 3 for Blast, labelled with the change", mk)
	}
	ss := onlySession(t, srv)
	ss.mu.Lock()
	rate := ss.market.Params().Brands[0].Push.Rate
	sentBefore := ss.market.Metrics()[0].ImpressionsSent
	ss.mu.Unlock()
	if rate != 0 || sentBefore == 0 {
		t.Fatalf("after the change: push.rate %g, impressions of day 3 %d; want 0 and day 3 as it was", rate, sentBefore)
	}
	c.control(`{"action": "step"}`)
	ss.mu.Lock()
	sent := ss.market.Metrics()[0].ImpressionsSent
	ss.mu.Unlock()
	if sent != 0 {
		t.Errorf("day 4 sent %d impressions, want none", sent)
	}
	// The same value again changes nothing and marks nothing.
	if status, msg, mk := c.set("brand.Blast.push.rate=0"); status != http.StatusOK || mk != nil {
		t.Errorf("setting the value it has: %d %q %+v", status, msg, mk)
	}
	// The other controls of the page.
	for _, tc := range []struct{ set, label string }{
		{"brand.Blast.push.targeting=opt_in", "Blast: push to opt-ins only"},
		{"brand.Orbit.pull.content=4", fmt.Sprintf("Orbit: content %.3g → 4 a day", sc.Brands[1].Pull.Content)},
		{"brand.Blast.pull.platform=conversation", "Blast: platform conversation"},
		{"brand.Blast.push.overclaim=0", "Blast: honest claims"},
		{"brand.Candor.trust.response=hide", "Candor: hides mistakes"},
		{"brand.Candor.quality=0.8", "Candor: quality = 0.8"},
	} {
		status, msg, mk := c.set(tc.set)
		if status != http.StatusOK || mk == nil || mk.Label != tc.label {
			t.Errorf("%s: %d %q, mark %+v; want the label %q", tc.set, status, msg, mk, tc.label)
		}
	}
	ss.mu.Lock()
	b := ss.market.Params().Brands
	ss.mu.Unlock()
	if b[0].Push.Targeting != sim.TargetOptIn || b[1].Pull.Content != 4 || b[0].Pull.Platform != sim.PlatformConversation ||
		b[0].Pull.Gain == 0 || b[0].Push.Overclaim != 0 || b[2].Trust.Response != sim.ResponseHide || b[2].Quality != 0.8 {
		t.Errorf("the market's brands after the changes: %+v", b)
	}
}

func TestSetRejectsBadInputWithTheScenarioMessages(t *testing.T) {
	srv, ts := startServer(t, 600, Config{})
	c := newClient(t, ts.URL)
	c.open()
	for _, tc := range []struct {
		body   string
		status int
		want   string // the message, or a regular expression of it
	}{
		{`{"set": "brand.Blast.push.rate=500"}`, 400, `^page: brand\.Blast\.push\.rate: out of range \(want a number from 0 to 100, got 500\)$`},
		{`{"set": "brand.Blast.push.rate=-1"}`, 400, `out of range \(want a number from 0 to 100, got -1\)`},
		{`{"set": "brand.Blast.push.rate=lots"}`, 400, `^page: brand\.Blast\.push\.rate: cannot read the value`},
		{`{"set": "brand.Blast.push.rat=1"}`, 400, `unknown key \(did you mean "brand\.Blast\.push\.rate"\?\)`},
		{`{"set": "brand.Blst.push.rate=1"}`, 400, `no brand named "Blst"`},
		{`{"set": "brand.Blast.push.targeting=optin"}`, 400, `unknown value \(want one of "everyone", "opt_in", got "optin"\)`},
		{`{"set": "brand.Blast.trust.response=deny"}`, 400, `brand\.Blast\.trust\.response: unknown value`},
		{`{"set": "brand.Blast.name=Boom"}`, 400, `^live: a brand's name cannot change while the market runs: "brand\.Blast\.name"$`},
		{`{"set": "customers=10"}`, 400, `^live: only a brand's keys can change while the market runs`},
		{`{"set": "days=10"}`, 400, `^live: only a brand's keys`},
		{`{"set": "brand.Blast.push.rate"}`, 400, `not an assignment`},
		{`{"set": ""}`, 400, `^live: no change given`},
		{`{}`, 400, `^live: no change given`},
		{``, 400, `^live: empty request: want a JSON object$`},
		{`{"set": `, 400, `^live: malformed request: `},
		{`["brand.Blast.push.rate=1"]`, 400, `^live: malformed request: `},
		{`{"set": "brand.Blast.push.rate=1", "why": "fun"}`, 400, `^live: malformed request: json: unknown field "why"$`},
		{`{"set": "brand.Blast.push.rate=1"} {}`, 400, `^live: malformed request: more than one JSON value$`},
		{`{"set": "` + strings.Repeat("x", maxRequestBytes) + `"}`, 413, `^live: request too large`},
	} {
		status, answer := c.post(c.sessionPath("set"), tc.body)
		var res errorBody
		if err := json.Unmarshal(answer, &res); err != nil {
			t.Errorf("%.60s: the answer is not JSON: %s", tc.body, answer)
			continue
		}
		if status != tc.status || !regexp.MustCompile(tc.want).MatchString(res.Error) {
			t.Errorf("%.60s: %d %q, want %d and a message matching %s", tc.body, status, res.Error, tc.status, tc.want)
		}
	}
	// Word for word what --set says of the same assignment, the page
	// standing where "--set" would.
	for _, a := range []string{"brand.Blast.push.rate=500", "brand.Blast.push.rat=1", "brand.Blst.push.rate=1",
		"brand.Candor.push.targeting=optin", "brand.Orbit.pull.content=-2", "brand.Orbit.push.overclaim=3",
		"brand.Candor.trust.response=deny", "brand.Candor.pull.platform=forum"} {
		err := testScenario(t, 600).SetFrom("--set", a)
		if err == nil {
			t.Fatalf("--set %s is accepted", a)
		}
		want := strings.ReplaceAll(err.Error(), "--set", changeSource)
		body, _ := json.Marshal(setRequest{Set: a})
		status, answer := c.post(c.sessionPath("set"), string(body))
		var res errorBody
		if json.Unmarshal(answer, &res); status != 400 || res.Error != want {
			t.Errorf("%s: the page gets %d %q, want 400 and --set's %q", a, status, res.Error, want)
		}
	}
	ss := onlySession(t, srv)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if b := ss.market.Params().Brands[0]; b.Push.Rate != srv.base.Brands[0].Push.Rate || b.Name != "Blast" || len(ss.marks) != 0 {
		t.Errorf("refused changes reached the market: %+v, marks %v", b.Push, ss.marks)
	}
}

func TestControlRejectsBadInput(t *testing.T) {
	sc := testScenario(t, 300)
	if err := sc.Set("days=2"); err != nil {
		t.Fatal(err)
	}
	_, ts := startServer(t, 0, Config{Scenario: sc})
	c := newClient(t, ts.URL)
	c.open()
	for _, tc := range []struct {
		body, want string
		status     int
	}{
		{`{"action": "jump"}`, `live: unknown action (want play, pause, step, speed, reset or restore): "jump"`, 400},
		{`{}`, `live: no action given: want "action": play, pause, step, speed, reset or restore`, 400},
		{`{"action": "speed"}`, `live: no speed given: want "speed" in simulated days a second, from 1 to 60`, 400},
		{`{"action": "speed", "speed": 0}`, `live: speed out of range (want 1 to 60 simulated days a second): 0`, 400},
		{`{"action": "play", "speed": 1000}`, `live: speed out of range (want 1 to 60 simulated days a second): 1000`, 400},
		{`{"action": "speed", "speed": "fast"}`, `live: malformed request: json: cannot unmarshal`, 400},
	} {
		status, answer := c.post(c.sessionPath("control"), tc.body)
		var res errorBody
		json.Unmarshal(answer, &res)
		if status != tc.status || !strings.HasPrefix(res.Error, tc.want) {
			t.Errorf("%s: %d %q, want %d %q", tc.body, status, res.Error, tc.status, tc.want)
		}
	}
	c.control(`{"action": "step"}`)
	c.control(`{"action": "step"}`)
	for _, body := range []string{`{"action": "step"}`, `{"action": "play"}`} {
		status, answer := c.post(c.sessionPath("control"), body)
		if status != http.StatusConflict || !strings.Contains(string(answer), "the run has ended at day 2: press reset to run again") {
			t.Errorf("%s at the end of the run: %d %s", body, status, answer)
		}
	}
	c.control(`{"action": "reset"}`)
	c.control(`{"action": "step"}`)
}

func TestUnknownSessionsAndEndpoints(t *testing.T) {
	_, ts := startServer(t, 300, Config{})
	c := newClient(t, ts.URL)
	c.session = "0123456789abcdef01234567"
	for _, what := range []string{"control", "set", "close"} {
		status, answer := c.post(c.sessionPath(what), `{"action": "play"}`)
		if status != http.StatusNotFound || !strings.Contains(string(answer), `live: no such session`) {
			t.Errorf("%s of an unknown session: %d %s", what, status, answer)
		}
	}
	if _, err := c.tryEvents(); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("events of an unknown session: %v", err)
	}
	for _, path := range []string{"/api/nothing", "/api/sessions/x/teleport"} {
		status, answer := c.post(path, "{}")
		if status != http.StatusNotFound || !strings.Contains(string(answer), "live: no such endpoint") {
			t.Errorf("POST %s: %d %s", path, status, answer)
		}
	}
	resp, err := http.Get(ts.URL + "/api/sessions")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /api/sessions: %d", resp.StatusCode)
	}
}

func TestResetAndRestore(t *testing.T) {
	_, ts := startServer(t, 600, Config{})
	c := newClient(t, ts.URL)
	c.open()
	s := c.events()
	defer s.close()
	var first stateEvent
	decode(t, s.next(t), &first)
	c.control(`{"action": "step"}`)
	if status, msg, _ := c.set("brand.Blast.push.rate=0.25"); status != http.StatusOK {
		t.Fatal(msg)
	}
	c.control(`{"action": "reset"}`)
	var st stateEvent
	for ev := s.next(t); ; ev = s.next(t) {
		if ev.name == "state" {
			decode(t, ev, &st)
			break
		}
	}
	if st.Generation != first.Generation+1 || st.Status.Day != 0 || len(st.History) != 1 || len(st.Marks) != 0 {
		t.Errorf("after reset: generation %d, day %d, %d days, marks %v", st.Generation, st.Status.Day, len(st.History), st.Marks)
	}
	if st.Status.Seed == first.Status.Seed || st.Status.Seed == 0 || st.Status.Seed > 999_999 {
		t.Errorf("reset kept seed %d, or drew an unreadable one: %d", first.Status.Seed, st.Status.Seed)
	}
	if st.Brands[0].PushRate != 0.25 {
		t.Errorf("reset lost the strategy set on the page: push.rate %g", st.Brands[0].PushRate)
	}
	c.control(`{"action": "restore"}`)
	for ev := s.next(t); ; ev = s.next(t) {
		if ev.name == "state" {
			decode(t, ev, &st)
			break
		}
	}
	if st.Brands[0].PushRate != first.Brands[0].PushRate || st.Generation != first.Generation+2 {
		t.Errorf("restore: push.rate %g, generation %d; want the scenario's %g", st.Brands[0].PushRate, st.Generation, first.Brands[0].PushRate)
	}
}

func TestSessionLimitAndIdleExpiry(t *testing.T) {
	srv, ts := startServer(t, 300, Config{MaxSessions: 2, IdleTimeout: 200 * time.Millisecond})
	watched := newClient(t, ts.URL)
	watched.open()
	s := watched.events()
	defer s.close()
	newClient(t, ts.URL).open()
	status, answer := newClient(t, ts.URL).post("/api/sessions", "")
	if status != http.StatusServiceUnavailable || !strings.Contains(string(answer), "live: every session is taken: 2 open") {
		t.Fatalf("a third session: %d %s", status, answer)
	}
	deadline := time.Now().Add(10 * time.Second)
	for srv.Sessions() > 1 {
		if time.Now().After(deadline) {
			t.Fatal("the unwatched session was not closed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(400 * time.Millisecond)
	if srv.Sessions() != 1 {
		t.Fatal("the watched session was closed")
	}
	newClient(t, ts.URL).open() // room again
}

func TestCloseEndsTheStream(t *testing.T) {
	srv, ts := startServer(t, 300, Config{})
	c := newClient(t, ts.URL)
	c.open()
	s := c.events()
	defer s.close()
	if ev := s.next(t); ev.name != "state" {
		t.Fatalf("first event %q", ev.name)
	}
	if status, answer := c.post(c.sessionPath("close"), ""); status != http.StatusNoContent {
		t.Fatalf("close: %d %s", status, answer)
	}
	var closed closedEvent
	if ev := s.next(t); ev.name != "closed" {
		t.Fatalf("event %q after close, want closed", ev.name)
	} else {
		decode(t, ev, &closed)
	}
	if closed.Reason != reasonViewer {
		t.Errorf("reason %q", closed.Reason)
	}
	if _, ok, err := s.tryNext(5 * time.Second); ok || err != nil {
		t.Errorf("the stream goes on after the session closed: %v", err)
	}
	if srv.Sessions() != 0 {
		t.Errorf("%d sessions after close", srv.Sessions())
	}
}

// TestServeStopsCleanly is Ctrl-C: cancelling Serve's context ends every
// stream with a "closed" event and Serve returns nil.
func TestServeStopsCleanly(t *testing.T) {
	srv, base, stop := serveLocal(t, Config{Scenario: testScenario(t, 300), PageSecond: fastPage})
	var streams []*stream
	for range 3 {
		c := newClient(t, base)
		c.open()
		s := c.events()
		defer s.close()
		c.control(`{"action": "play", "speed": 60}`)
		streams = append(streams, s)
	}
	time.Sleep(50 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	for i, s := range streams {
		var last event
		for {
			ev, ok, err := s.tryNext(5 * time.Second)
			if err != nil {
				t.Fatalf("stream %d: %v", i, err)
			}
			if !ok {
				break
			}
			last = ev
		}
		if last.name != "closed" || !strings.Contains(string(last.data), reasonServerStopped) {
			t.Errorf("stream %d ended with %s %s, want closed: %s", i, last.name, last.data, reasonServerStopped)
		}
	}
	if srv.Sessions() != 0 {
		t.Errorf("%d sessions left", srv.Sessions())
	}
	if _, err := http.Post(base+"/api/sessions", "", nil); err == nil {
		t.Error("the server still answers after Serve returned")
	}
	// A closed server refuses sessions with a message, not a crash.
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/sessions", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "live: the server is stopping") {
		t.Errorf("a session from a closed server: %d %s", rec.Code, rec.Body)
	}
}

func TestPageIsSelfContained(t *testing.T) {
	_, ts := startServer(t, 300, Config{})
	for path, contentType := range map[string]string{
		"/":         "text/html; charset=utf-8",
		"/live.js":  "text/javascript; charset=utf-8",
		"/live.css": "text/css; charset=utf-8",
	} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != contentType {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		// Offline in a classroom: nothing may come from elsewhere.
		if m := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/`).Find(body); m != nil {
			t.Errorf("GET %s refers to another site: %s", path, m)
		}
	}
	resp, err := http.Get(ts.URL + "/nothing.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nothing.js: %d", resp.StatusCode)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	sc := testScenario(t, 300)
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "live: no scenario given"},
		{Config{Scenario: sc, MaxSessions: -1}, "live: the session limit must be at least 1: -1"},
		{Config{Scenario: sc, IdleTimeout: -time.Second}, "live: durations and the orbit sample cannot be negative"},
	} {
		if _, err := New(tc.cfg); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

// TestRequestBodiesAreBoundedAndChecked checks every route against bodies
// too large or malformed: a session opens with no body or an empty object
// only, and no route reads more than maxRequestBytes.
func TestRequestBodiesAreBoundedAndChecked(t *testing.T) {
	srv, ts := startServer(t, 300, Config{})
	c := newClient(t, ts.URL)
	huge := `{"action": "` + strings.Repeat("x", maxRequestBytes) + `"}`
	for _, tc := range []struct {
		name, body, want string
		status           int
	}{
		{"no body", "", "", http.StatusCreated},
		{"an empty object", "{}", "", http.StatusCreated},
		{"broken JSON", `{"scenario": `, "live: malformed request", http.StatusBadRequest},
		{"an unknown field", `{"scenario": "x"}`, `live: malformed request: json: unknown field "scenario"`, http.StatusBadRequest},
		{"two values", `{} {}`, "live: malformed request: more than one JSON value", http.StatusBadRequest},
		{"a body over the limit", huge, "live: request too large: more than 65536 bytes", http.StatusRequestEntityTooLarge},
	} {
		before := srv.Sessions()
		status, answer := c.post("/api/sessions", tc.body)
		var res errorBody
		json.Unmarshal(answer, &res)
		if status != tc.status || !strings.HasPrefix(res.Error, tc.want) {
			t.Errorf("POST /api/sessions with %s: %d %q, want %d %q", tc.name, status, res.Error, tc.status, tc.want)
		}
		if opened := srv.Sessions() - before; (status == http.StatusCreated) != (opened == 1) {
			t.Errorf("POST /api/sessions with %s: %d sessions opened, answered %d", tc.name, opened, status)
		}
	}
	c.open()
	for _, path := range []string{c.sessionPath("control"), c.sessionPath("set"), c.sessionPath("close"), "/", "/api/nothing"} {
		status, _ := c.post(path, huge)
		if status != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with %d bytes: %d, want 413", path, len(huge), status)
		}
	}
	req, err := http.NewRequest(http.MethodGet, ts.URL+"/", strings.NewReader(huge))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("GET / with %d bytes: %d, want 413", len(huge), resp.StatusCode)
	}
}

// TestPageRefusesPathTraversal asks for files outside the embedded page
// by every spelling of "..": none is served.
func TestPageRefusesPathTraversal(t *testing.T) {
	_, ts := startServer(t, 300, Config{})
	for _, path := range []string{"/../server.go", "/../../../../etc/passwd", "/%2e%2e/server.go", "/..%2fserver.go", "/page/../../server.go", "//etc/passwd"} {
		req, err := http.NewRequest(http.MethodGet, ts.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = path // sent as written, not cleaned by the client
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && (strings.Contains(string(body), "package live") || strings.Contains(string(body), "root:")) {
			t.Errorf("GET %s served a file outside the page: %.80s", path, body)
		}
		if resp.StatusCode == http.StatusOK && !strings.Contains(string(body), "<html") {
			t.Errorf("GET %s: 200 with something other than the page: %.80s", path, body)
		}
	}
}
