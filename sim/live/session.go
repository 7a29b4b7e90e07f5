package live

import (
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/scenario"
)

// changeSource names the page in the messages of package scenario, where a
// scenario file's name or "--set" would stand.
const changeSource = "page"

// maxChangesPerRun bounds the changes recorded in one run, and so a
// session's memory, whatever a viewer does with a slider.
const maxChangesPerRun = 500

// Why a session ended, as the page says it.
const (
	reasonIdle          = "nobody watched it for a while, so the server closed it to make room"
	reasonViewer        = "its page was closed"
	reasonServerStopped = "the server stopped"
	reasonFailed        = "it could not start"
)

// session is one viewer's market and everything its page draws: the
// curves since day 0, the changes made, and the orbit of the last day.
// Its clock steps the market while it plays and a page is connected.
type session struct {
	srv  *Server
	id   string
	done chan struct{} // closed when the session ends
	wake chan struct{} // tells the clock that playing, speed or viewers changed

	mu         sync.Mutex
	closed     bool
	reason     string
	sc         *scenario.Scenario // the scenario as changed so far
	market     *sim.Market
	orbit      *output.Orbit
	seed       uint64
	generation int // counts runs: a stream that saw an older one gets the whole state again
	version    int // counts changes of anything a page shows
	controls   int // the version at which a brand's settings last changed
	playing    bool
	speed      float64 // simulated days a second of page time
	// curves holds, for every day so far and every brand, the four counts
	// of a dayRecord: countsPerBrand numbers per brand, day after day.
	curves      []int32
	marks       []mark
	points      []int16    // the orbit of the last day, as the page draws it
	now         []brandNow // each brand's state on the last day
	streams     int
	lastActive  time.Time
	subscribers map[chan struct{}]struct{}
}

// dayRecord is one day of the curves as the page receives it: each
// brand's current customers, advocates, detractors and customers lost so
// far.
type dayRecord struct {
	Day        int     `json:"day"`
	Customers  []int32 `json:"customers"`
	Advocates  []int32 `json:"advocates"`
	Detractors []int32 `json:"detractors"`
	Churned    []int32 `json:"churned"`
}

// countsPerBrand is the number of counts a dayRecord holds for a brand.
const countsPerBrand = 4

// days returns the dayRecords of days from to through to. The caller
// holds mu.
func (s *session) days(from, to int) []dayRecord {
	nb := len(s.sc.Brands)
	out := make([]dayRecord, 0, to-from+1)
	for d := from; d <= to; d++ {
		row := s.curves[d*nb*countsPerBrand : (d+1)*nb*countsPerBrand]
		rec := dayRecord{Day: d, Customers: make([]int32, nb), Advocates: make([]int32, nb),
			Detractors: make([]int32, nb), Churned: make([]int32, nb)}
		for b := range nb {
			c := row[b*countsPerBrand:]
			rec.Customers[b], rec.Advocates[b], rec.Detractors[b], rec.Churned[b] = c[0], c[1], c[2], c[3]
		}
		out = append(out, rec)
	}
	return out
}

// mark is a change made during a run, drawn on the curves. It applies
// from the day after Day.
type mark struct {
	Number int    `json:"n"`
	Day    int    `json:"day"`
	Brand  int    `json:"brand"`
	Set    string `json:"set"`
	Label  string `json:"label"`
}

func newSession(srv *Server, id string) *session {
	return &session{
		srv:         srv,
		id:          id,
		done:        make(chan struct{}),
		wake:        make(chan struct{}, 1),
		speed:       DefaultSpeed,
		lastActive:  time.Now(),
		subscribers: map[chan struct{}]struct{}{},
	}
}

// start builds the session's first market from base with base's seed.
func (s *session) start(base *scenario.Scenario) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc := *base
	return s.rebuild(&sc, base.Seed)
}

// rebuild starts a new run of sc with seed at day 0. The caller holds mu.
func (s *session) rebuild(sc *scenario.Scenario, seed uint64) error {
	if s.closed {
		return s.closedError()
	}
	m, err := sim.NewMarket(&sc.Params, s.srv.graph, seed, 0)
	if err != nil {
		return fmt.Errorf("live: cannot build the market: %w", err)
	}
	if s.market != nil {
		s.market.Close()
	}
	s.market, s.sc, s.seed = m, sc, seed
	s.orbit = &output.Orbit{Brands: brandNames(sc), Sample: s.srv.sample, Every: 1, Days: sc.Days}
	s.curves = make([]int32, 0, (sc.Days+1)*len(sc.Brands)*countsPerBrand)
	s.marks = nil
	s.now = make([]brandNow, len(sc.Brands))
	s.generation++
	s.record()
	s.controls = s.version
	return nil
}

// record stores the market's last day: a point of every curve and the
// orbit. The caller holds mu.
func (s *session) record() {
	for b, x := range s.market.Metrics() {
		s.curves = append(s.curves, int32(x.Customers), int32(x.Advocates), int32(x.Detractors), int32(x.Churned))
		n := &s.now[b]
		n.Aware, n.Blocked, n.Trust = x.Aware, x.Blocked, x.MeanTrustAware
		n.Profit += x.Profit
	}
	// The orbit recorder picks the brand each sampled customer orbits,
	// exactly as the plots' orbit does; only the last frame is kept.
	s.orbit.Observe(s.market)
	frame := s.orbit.Frames[len(s.orbit.Frames)-1]
	s.orbit.Frames = s.orbit.Frames[:0]
	s.points = s.points[:0]
	for _, p := range frame.Points {
		x, y := s.srv.layout.Place(p)
		k := int16(0) // deep space
		if p.Brand >= 0 {
			k = 1 + int16(p.Status)
		}
		s.points = append(s.points, int16(math.Round(x*orbitScale)), int16(math.Round(y*orbitScale)), k)
	}
	s.version++
}

// orbitScale turns the orbit layout's coordinates, -1 to 1, into the
// integers the page receives: a thousandth of the radius is finer than a
// pixel on any screen, and integers keep each frame short.
const orbitScale = 1000

// ended reports whether the run reached the scenario's last day. The
// caller holds mu.
func (s *session) ended() bool { return s.market.Day() >= s.sc.Days }

// advance steps the market one day. The caller holds mu.
func (s *session) advance() {
	if s.closed || s.ended() {
		s.playing = false
		return
	}
	s.market.Step()
	s.record()
	if s.ended() {
		s.playing = false
	}
	s.broadcast()
}

// runClock steps the market at the session's speed while it plays and a
// page watches, until the session or the server ends.
func (s *session) runClock(stop <-chan struct{}) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var next time.Time
	for {
		s.mu.Lock()
		active := !s.closed && s.playing && s.streams > 0 && !s.ended()
		interval := time.Duration(float64(s.srv.cfg.PageSecond) / s.speed)
		s.mu.Unlock()
		var tick <-chan time.Time
		if active {
			if next.IsZero() {
				next = time.Now().Add(interval)
			}
			timer.Reset(time.Until(next))
			tick = timer.C
		} else {
			next = time.Time{}
		}
		select {
		case <-stop:
			timer.Stop()
			return
		case <-s.done:
			timer.Stop()
			return
		case <-s.wake:
			timer.Stop()
			next = time.Time{}
		case <-tick:
			select {
			case s.srv.steps <- struct{}{}:
			case <-stop:
				return
			case <-s.done:
				return
			}
			s.mu.Lock()
			s.advance()
			s.mu.Unlock()
			<-s.srv.steps
			next = next.Add(interval)
			if now := time.Now(); now.Sub(next) > interval {
				// Far behind (a slow machine, many sessions): drop the
				// backlog rather than race through it.
				next = now
			}
		}
	}
}

// nudge wakes the clock without blocking.
func (s *session) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// broadcast tells every stream that there is something new. The caller
// holds mu. A stream that has not taken the last notice yet will read
// everything new when it does, so notices never queue up.
func (s *session) broadcast() {
	for ch := range s.subscribers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// subscribe registers a stream; ok is false when the session has ended.
func (s *session) subscribe() (ch chan struct{}, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, false
	}
	ch = make(chan struct{}, 1)
	s.subscribers[ch] = struct{}{}
	s.streams++
	s.lastActive = time.Now()
	s.nudge()
	return ch, true
}

func (s *session) unsubscribe(ch chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.subscribers[ch]; !ok {
		return
	}
	delete(s.subscribers, ch)
	s.streams--
	s.lastActive = time.Now()
	s.nudge()
}

// touch notes that the viewer is there.
func (s *session) touch() {
	s.mu.Lock()
	s.lastActive = time.Now()
	s.mu.Unlock()
}

// idleSince returns how long nobody has watched the session: 0 while a
// stream is open.
func (s *session) idleSince(now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.streams > 0 {
		return 0
	}
	return now.Sub(s.lastActive)
}

// close ends the session: its clock stops, its streams say why and end.
func (s *session) close(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed, s.reason, s.playing = true, reason, false
	if s.market != nil {
		s.market.Close()
	}
	close(s.done)
	s.broadcast()
}

func (s *session) closedError() error {
	return &httpError{http.StatusGone, fmt.Sprintf("live: this session has ended (reload the page to start a new one): %s", s.reason)}
}

// control carries out one of the page's buttons.
func (s *session) control(req controlRequest) error {
	var seed uint64
	if req.Action == "reset" || req.Action == "restore" {
		// Drawn before taking the session's lock: the server's lock is
		// always taken first.
		seed = s.srv.nextSeed()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return s.closedError()
	}
	s.lastActive = time.Now()
	if req.Speed != nil {
		// Any action may set the speed too: "play at 30 days a second".
		if v := *req.Speed; !(v >= MinSpeed && v <= MaxSpeed) {
			return badRequest("live: speed out of range (want %d to %d simulated days a second): %g", MinSpeed, MaxSpeed, v)
		}
	}
	switch req.Action {
	case "play":
		if s.ended() {
			return s.endedError()
		}
		s.playing = true
	case "pause":
		s.playing = false
	case "step":
		if s.ended() {
			return s.endedError()
		}
		s.playing = false
		s.advance()
	case "speed":
		if req.Speed == nil {
			return badRequest("live: no speed given: want \"speed\" in simulated days a second, from %d to %d", MinSpeed, MaxSpeed)
		}
	case "reset":
		// The strategy stays as the controls show it: "now run that
		// again from the start" is the question a class asks next.
		sc := *s.sc
		if err := s.rebuild(&sc, seed); err != nil {
			return err
		}
	case "restore":
		sc := *s.srv.base
		if err := s.rebuild(&sc, seed); err != nil {
			return err
		}
	case "":
		return badRequest("live: no action given: want \"action\": play, pause, step, speed, reset or restore")
	default:
		return badRequest("live: unknown action (want play, pause, step, speed, reset or restore): %q", req.Action)
	}
	if req.Speed != nil {
		s.speed = *req.Speed
	}
	s.version++
	s.broadcast()
	s.nudge()
	return nil
}

func (s *session) endedError() error {
	return &httpError{http.StatusConflict, fmt.Sprintf("live: the run has ended at day %d: press reset to run again", s.sc.Days)}
}

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// set applies one assignment, key.path=value, to the session's scenario
// with the scenario file's rules and messages, and hands the brand it
// changed to the market, which uses it from the next day. It returns the
// mark drawn on the curves, or nil when nothing changed.
func (s *session) set(assignment string) (*mark, error) {
	key, _, hasValue := strings.Cut(assignment, "=")
	key = strings.TrimSpace(key)
	if key == "" && !hasValue {
		return nil, badRequest("live: no change given: want {\"set\": \"brand.NAME.KEY=VALUE\"}, as with --set")
	}
	if hasValue && !strings.HasPrefix(key, "brand.") && !strings.HasPrefix(key, "brand[") {
		return nil, badRequest("live: only a brand's keys can change while the market runs (want brand.NAME.KEY=VALUE): %q", key)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, s.closedError()
	}
	s.lastActive = time.Now()
	if len(s.marks) >= maxChangesPerRun {
		return nil, &httpError{http.StatusTooManyRequests, fmt.Sprintf("live: too many changes in one run, %d: press reset to start a new run", maxChangesPerRun)}
	}
	next := *s.sc
	if err := next.SetFrom(changeSource, assignment); err != nil {
		return nil, err
	}
	// The page keeps its own record of changes, the marks; Sets would
	// grow with every move of a slider.
	next.Sets = nil
	if !sameOutsideBrands(s.sc, &next) {
		return nil, badRequest("live: only a brand's keys can change while the market runs (want brand.NAME.KEY=VALUE): %q", key)
	}
	changed := -1
	for b := range next.Brands {
		if reflect.DeepEqual(s.sc.Brands[b], next.Brands[b]) {
			continue
		}
		if next.Brands[b].Name != s.sc.Brands[b].Name {
			return nil, badRequest("live: a brand's name cannot change while the market runs: %q", key)
		}
		if changed >= 0 {
			return nil, badRequest("live: one change may touch one brand only: %q", assignment)
		}
		changed = b
	}
	if changed < 0 {
		s.sc = &next
		return nil, nil
	}
	if err := s.market.SetBrand(changed, next.Brands[changed]); err != nil {
		return nil, badRequest("live: the market refused the change %q: %v", assignment, err)
	}
	old := s.sc.Brands[changed]
	s.sc = &next
	mk := mark{Number: len(s.marks) + 1, Day: s.market.Day(), Brand: changed, Set: strings.TrimSpace(assignment),
		Label: old.Name + ": " + describeChange(old, next.Brands[changed], assignment)}
	s.marks = append(s.marks, mk)
	s.version++
	s.controls = s.version
	s.broadcast()
	return &mk, nil
}

// sameOutsideBrands reports whether a and b differ at most in their brands.
func sameOutsideBrands(a, b *scenario.Scenario) bool {
	pa, pb := a.Params, b.Params
	pa.Brands, pb.Brands = nil, nil
	return reflect.DeepEqual(pa, pb) && a.Days == b.Days && a.Seed == b.Seed && reflect.DeepEqual(a.Graph, b.Graph)
}

// describeChange says in a few words what changed in a brand, for the
// marks on the curves.
func describeChange(old, cur sim.Brand, assignment string) string {
	var parts []string
	num := func(x float64) string { return fmt.Sprintf("%.3g", x) }
	if old.Push.Rate != cur.Push.Rate {
		parts = append(parts, "push budget "+num(old.Push.Rate)+" → "+num(cur.Push.Rate))
	}
	if old.Push.Targeting != cur.Push.Targeting {
		if cur.Push.Targeting == sim.TargetOptIn {
			parts = append(parts, "push to opt-ins only")
		} else {
			parts = append(parts, "push to everyone")
		}
	}
	if old.Pull.Content != cur.Pull.Content {
		parts = append(parts, "content "+num(old.Pull.Content)+" → "+num(cur.Pull.Content)+" a day")
	}
	if old.Pull.Platform != cur.Pull.Platform {
		parts = append(parts, "platform "+string(cur.Pull.Platform))
	}
	if old.Push.Overclaim != cur.Push.Overclaim {
		if cur.Push.Overclaim == 0 {
			parts = append(parts, "honest claims")
		} else {
			parts = append(parts, "overclaim "+num(old.Push.Overclaim)+" → "+num(cur.Push.Overclaim))
		}
	}
	if old.Trust.Response != cur.Trust.Response {
		if cur.Trust.Response == sim.ResponseAdmit {
			parts = append(parts, "admits mistakes")
		} else {
			parts = append(parts, "hides mistakes")
		}
	}
	if len(parts) == 0 || old.Strategy != cur.Strategy {
		// Any other key: say it as it was written, without the brand.
		key, value, _ := strings.Cut(assignment, "=")
		key = strings.TrimSpace(key)
		if strings.HasPrefix(key, "brand[") {
			_, key, _ = strings.Cut(key, ".")
		} else if _, rest, ok := strings.Cut(strings.TrimPrefix(key, "brand."), "."); ok {
			key = rest
		}
		return key + " = " + strings.Trim(strings.TrimSpace(value), `"'`)
	}
	return strings.Join(parts, ", ")
}
