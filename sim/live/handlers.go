package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"time"

	"github.com/pushpull/pushpull/sim/plot"
)

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /", pageHandler())
	mux.HandleFunc("POST /api/sessions", s.handleOpen)
	mux.HandleFunc("GET /api/sessions/{id}/events", s.handleEvents)
	mux.HandleFunc("POST /api/sessions/{id}/control", s.handleControl)
	mux.HandleFunc("POST /api/sessions/{id}/set", s.handleSet)
	mux.HandleFunc("POST /api/sessions/{id}/close", s.handleClose)
	unknown := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: fmt.Sprintf(
			"live: no such endpoint (want POST /api/sessions, GET /api/sessions/ID/events, POST /api/sessions/ID/control, set or close): %s %s",
			r.Method, r.URL.Path)})
	}
	mux.HandleFunc("GET /api/", unknown)
	mux.HandleFunc("POST /api/", unknown)
	return mux
}

// ServeHTTP answers the page's requests. Every body is bounded, on every
// route, so that no request can make the server read without end.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > maxRequestBytes {
		writeJSON(w, http.StatusRequestEntityTooLarge, errorBody{Error: fmt.Sprintf("live: request too large: more than %d bytes", maxRequestBytes)})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
	s.mux.ServeHTTP(w, r)
}

// pageHandler serves the embedded page. The page is small and changes
// with the binary, so browsers ask again every time rather than cache it.
func pageHandler() http.Handler {
	sub, err := fs.Sub(pageFiles, "page")
	if err != nil {
		panic("live: the embedded page is missing: " + err.Error()) // a build without the page is a bug
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// look is what the page needs to draw as the plots do: their colours,
// marker shapes and orbit layout.
type look struct {
	Brands        []string    `json:"brands"`     // colour of each brand, in scenario order
	BrandText     []string    `json:"brand_text"` // black or white: text on each brand's colour
	Status        []string    `json:"status"`     // colour of each customer status, by sim.Status
	Markers       []string    `json:"markers"`    // marker shape of each status
	DeepSpace     string      `json:"deep_space"` // colour of customers orbiting no brand
	DeepSpaceRing string      `json:"space_ring"` // background of the ring they drift in
	WellTint      float64     `json:"well_tint"`  // how far a gravity well's colour is mixed with white
	Layout        orbitLayout `json:"layout"`
}

type orbitLayout struct {
	Planets   [][2]float64 `json:"planets"`
	Well      float64      `json:"well"`
	Core      float64      `json:"core"`
	DeepSpace float64      `json:"deep_space"`
	Scale     int          `json:"scale"` // the orbit's coordinates are integers, this many to the radius
}

func newLook(brands int, l plot.OrbitLayout) look {
	lk := look{Status: plot.StatusHex[:], Markers: plot.StatusMarker[:], DeepSpace: plot.DeepSpaceHex,
		DeepSpaceRing: plot.DeepSpaceRingHex, WellTint: plot.WellTint,
		Layout: orbitLayout{Well: l.Well, Core: l.Core, DeepSpace: l.DeepSpace, Scale: orbitScale}}
	for b := range brands {
		lk.Brands = append(lk.Brands, plot.BrandHex(b))
		lk.BrandText = append(lk.BrandText, plot.BrandTextHex(b))
	}
	for _, p := range l.Planets {
		lk.Layout.Planets = append(lk.Layout.Planets, [2]float64{p.X, p.Y})
	}
	return lk
}

// openResponse answers POST /api/sessions.
type openResponse struct {
	Session      string  `json:"session"`
	Look         look    `json:"look"`
	MaxSessions  int     `json:"max_sessions"`
	IdleMinutes  float64 `json:"idle_minutes"`
	MinSpeed     int     `json:"min_speed"`
	MaxSpeed     int     `json:"max_speed"`
	DefaultSpeed int     `json:"default_speed"`
}

// openRequest is the body of POST /api/sessions: nothing, or an empty
// object; anything else is refused rather than ignored.
type openRequest struct{}

func (s *Server) handleOpen(w http.ResponseWriter, r *http.Request) {
	var req openRequest
	if err := decodeRequest(w, r, &req); err != nil && err != errEmptyRequest {
		writeError(w, err)
		return
	}
	ss, err := s.open()
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, openResponse{Session: ss.id, Look: s.look, MaxSessions: s.cfg.MaxSessions,
		IdleMinutes: s.cfg.IdleTimeout.Minutes(), MinSpeed: MinSpeed, MaxSpeed: MaxSpeed, DefaultSpeed: DefaultSpeed})
}

// controlRequest is the body of POST /api/sessions/{id}/control.
type controlRequest struct {
	Action string   `json:"action"`
	Speed  *float64 `json:"speed,omitempty"`
}

func (s *Server) handleControl(w http.ResponseWriter, r *http.Request) {
	ss, err := s.session(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	var req controlRequest
	if err := decodeRequest(w, r, &req); err != nil {
		writeError(w, err)
		return
	}
	if err := ss.control(req); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, ss.status())
}

// setRequest is the body of POST /api/sessions/{id}/set: one change,
// written as with --set.
type setRequest struct {
	Set string `json:"set"`
}

// setResponse answers a change: the mark it drew on the curves, none when
// the value was already so.
type setResponse struct {
	Mark *mark `json:"mark"`
}

func (s *Server) handleSet(w http.ResponseWriter, r *http.Request) {
	ss, err := s.session(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	var req setRequest
	if err := decodeRequest(w, r, &req); err != nil {
		writeError(w, err)
		return
	}
	mk, err := ss.set(req.Set)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, setResponse{Mark: mk})
}

func (s *Server) handleClose(w http.ResponseWriter, r *http.Request) {
	// The page sends this with navigator.sendBeacon as it goes away; the
	// body, if any, says nothing.
	io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxRequestBytes))
	ss := s.forget(r.PathValue("id"))
	if ss == nil {
		_, err := s.session(r.PathValue("id"))
		writeError(w, err)
		return
	}
	ss.close(reasonViewer)
	w.WriteHeader(http.StatusNoContent)
}

// status is where a run stands: sent with every event and control answer.
type status struct {
	Day     int     `json:"day"`
	Days    int     `json:"days"`
	Playing bool    `json:"playing"`
	Speed   float64 `json:"speed"`
	Ended   bool    `json:"ended"`
	Seed    uint64  `json:"seed"`
	// Brands is each brand's state on the day, beside the curves'
	// adoption: what explains it.
	Brands []brandNow `json:"brands"`
}

// brandNow is what a brand's card shows beside its customers.
type brandNow struct {
	Aware   int64   `json:"aware"`   // customers aware of the brand
	Blocked int64   `json:"blocked"` // customers who blocked it
	Trust   float64 `json:"trust"`   // mean trust among the aware
	Profit  float64 `json:"profit"`  // margin less spend, from day 1 to the day
}

func (s *session) status() status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statusLocked()
}

func (s *session) statusLocked() status {
	if s.closed {
		return status{}
	}
	return status{Day: s.market.Day(), Days: s.sc.Days, Playing: s.playing, Speed: s.speed, Ended: s.ended(), Seed: s.seed,
		Brands: append([]brandNow(nil), s.now...)}
}

// brandState is a brand's settings as the page's controls show them.
type brandState struct {
	Name      string  `json:"name"`
	Strategy  string  `json:"strategy"`
	PushRate  float64 `json:"push_rate"`
	Targeting string  `json:"targeting"`
	Content   float64 `json:"content"`
	Platform  string  `json:"platform"`
	Overclaim float64 `json:"overclaim"`
	Response  string  `json:"response"`
}

// orbitFrame is the orbit of one day: x, y and kind of every sampled
// customer in turn; kind 0 is deep space, 1 + status otherwise.
type orbitFrame struct {
	Day    int     `json:"day"`
	Points []int16 `json:"points"`
}

// stateEvent is everything the page draws: sent when a stream opens and
// after every reset.
type stateEvent struct {
	Generation    int          `json:"generation"`
	Scenario      string       `json:"scenario"`
	Description   string       `json:"description"`
	Customers     int          `json:"customers"`
	FullCustomers int          `json:"full_customers,omitempty"`
	Status        status       `json:"status"`
	Brands        []brandState `json:"brands"`
	History       []dayRecord  `json:"history"`
	Marks         []mark       `json:"marks"`
	Orbit         orbitFrame   `json:"orbit"`
}

// updateEvent is what changed since a stream's last event.
type updateEvent struct {
	Generation int          `json:"generation"`
	Status     status       `json:"status"`
	Days       []dayRecord  `json:"days,omitempty"`
	Marks      []mark       `json:"marks,omitempty"`
	Brands     []brandState `json:"brands,omitempty"`
	Orbit      *orbitFrame  `json:"orbit,omitempty"`
}

// closedEvent says why the session ended.
type closedEvent struct {
	Reason string `json:"reason"`
}

// cursor is what a stream has sent so far.
type cursor struct {
	generation int // 0: nothing yet
	version    int
	day        int
	marks      int
	controls   int
}

// nextEvent returns the event that brings a stream at c up to date, and
// advances c; ok is false when the stream is up to date.
func (s *session) nextEvent(c *cursor) (name string, data any, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "closed", closedEvent{Reason: s.reason}, true
	}
	if c.generation != s.generation {
		ev := stateEvent{Generation: s.generation, Scenario: s.sc.Name, Description: s.sc.Description,
			Customers: s.sc.Customers, Status: s.statusLocked(), Brands: s.brandStates(),
			History: s.days(0, s.market.Day()), Marks: append([]mark{}, s.marks...),
			Orbit: orbitFrame{Day: s.market.Day(), Points: append([]int16(nil), s.points...)}}
		if s.srv.cfg.FullCustomers > s.sc.Customers {
			ev.FullCustomers = s.srv.cfg.FullCustomers
		}
		*c = cursor{generation: s.generation, version: s.version, day: s.market.Day(), marks: len(s.marks), controls: s.controls}
		return "state", ev, true
	}
	if c.version == s.version {
		return "", nil, false
	}
	ev := updateEvent{Generation: s.generation, Status: s.statusLocked()}
	if day := s.market.Day(); day != c.day {
		ev.Days = s.days(c.day+1, day)
		ev.Orbit = &orbitFrame{Day: day, Points: append([]int16(nil), s.points...)}
		c.day = day
	}
	if len(s.marks) > c.marks {
		ev.Marks = append(ev.Marks, s.marks[c.marks:]...)
		c.marks = len(s.marks)
	}
	if c.controls != s.controls {
		ev.Brands = s.brandStates()
		c.controls = s.controls
	}
	c.version = s.version
	return "update", ev, true
}

func (s *session) brandStates() []brandState {
	out := make([]brandState, len(s.sc.Brands))
	for i, b := range s.sc.Brands {
		out[i] = brandState{Name: b.Name, Strategy: b.Strategy, PushRate: b.Push.Rate, Targeting: string(b.Push.Targeting),
			Content: b.Pull.Content, Platform: string(b.Pull.Platform), Overclaim: b.Push.Overclaim, Response: string(b.Trust.Response)}
	}
	return out
}

// handleEvents streams a session's days to its page as Server-Sent Events
// until the page goes away, the session ends or the server stops.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	ss, err := s.session(r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	notices, ok := ss.subscribe()
	if !ok {
		writeError(w, ss.closedError())
		return
	}
	defer ss.unsubscribe(notices)
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // proxies must not hold events back
	w.WriteHeader(http.StatusOK)
	// A browser reconnects by itself after a network hiccup; two seconds
	// is soon enough for a class and gentle on the server.
	if err := writeRaw(w, rc, "retry: 2000\n\n"); err != nil {
		return
	}
	heartbeat := time.NewTicker(heartbeatEvery)
	defer heartbeat.Stop()
	gap := time.NewTimer(0)
	var c cursor
	for {
		name, data, ok := ss.nextEvent(&c)
		if ok {
			if err := writeEvent(w, rc, name, data); err != nil || name == "closed" {
				return
			}
			// Let the next notice wait a little, so that a fast clock
			// sends batches of days rather than one event a day.
			gap.Reset(minUpdateGap)
			select {
			case <-gap.C:
			case <-r.Context().Done():
				return
			case <-s.stop:
				ss.close(reasonServerStopped)
				continue
			}
		}
		select {
		case <-r.Context().Done():
			return
		case <-s.stop:
			// The loop sends the session's "closed" event and ends.
			ss.close(reasonServerStopped)
		case <-ss.done:
		case <-notices:
		case <-heartbeat.C:
			if err := writeRaw(w, rc, ": still here\n\n"); err != nil {
				return
			}
		}
	}
}

// writeEvent writes one Server-Sent Event whose data is v as JSON, which
// never holds a newline, and flushes it to the page.
func writeEvent(w io.Writer, rc *http.ResponseController, name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("live: cannot encode the %s event: %w", name, err)
	}
	return writeRaw(w, rc, "event: "+name+"\ndata: "+string(data)+"\n\n")
}

func writeRaw(w io.Writer, rc *http.ResponseController, text string) error {
	// A viewer that stopped reading is dropped rather than held forever;
	// writers that cannot set deadlines (tests' recorders) just write.
	if err := rc.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	if _, err := io.WriteString(w, text); err != nil {
		return err
	}
	return rc.Flush()
}
