package live

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/pushpull/pushpull/sim"
	"github.com/pushpull/pushpull/sim/graph"
	"github.com/pushpull/pushpull/sim/output"
	"github.com/pushpull/pushpull/sim/plot"
	"github.com/pushpull/pushpull/sim/scenario"
)

// Config is what a Server serves.
type Config struct {
	// Scenario is the market every session starts from. The Server keeps
	// its own copy; later changes to it do not reach the sessions.
	Scenario *scenario.Scenario
	// FullCustomers is the scenario's population as written when Scenario
	// was scaled down to step fast, so the page can say so; 0 when not.
	FullCustomers int
	// MaxSessions bounds the sessions open at once, and so the memory:
	// DefaultMaxSessions when 0.
	MaxSessions int
	// IdleTimeout closes a session nobody has watched for that long:
	// DefaultIdleTimeout when 0.
	IdleTimeout time.Duration
	// PageSecond is how long one second of the page's clock lasts: a
	// speed of 8 days a second steps a day every PageSecond/8. One second
	// when 0; tests shorten it to run the page's clock faster.
	PageSecond time.Duration
	// OrbitSample is how many customers the orbit draws: the scenario's
	// output.orbit_sample when 0 (or scenario.DefaultOrbitSample when the
	// scenario samples none).
	OrbitSample int
	// ResetSeed seeds the source of the new seeds that resets draw; the
	// scenario's seed when 0, so a class sees the same sequence of runs.
	ResetSeed uint64
}

// Defaults of Config and of the page's speed, in simulated days a second
// of page time.
const (
	DefaultMaxSessions = 64
	DefaultIdleTimeout = 5 * time.Minute
	DefaultSpeed       = 8
	MinSpeed           = 1
	MaxSpeed           = 60
)

const (
	// heartbeatEvery keeps idle streams open through proxies and tells a
	// server whose viewer vanished that the connection is gone.
	heartbeatEvery = 15 * time.Second
	// minUpdateGap caps a stream at twenty updates a second: a projector
	// shows no more, and the orbit is the bulk of each update.
	minUpdateGap = 50 * time.Millisecond
	// writeTimeout drops a viewer that stopped reading instead of letting
	// its stream hold a connection forever.
	writeTimeout = 10 * time.Second
	// maxRequestBytes bounds the body of any request: no request of the
	// page needs more than a few hundred bytes.
	maxRequestBytes = 64 << 10
	// shutdownGrace is how long Serve waits for requests to finish once
	// its context is cancelled; streams end at once.
	shutdownGrace = 5 * time.Second
)

// Server serves the classroom page and its sessions. It is an http.Handler;
// Serve runs it on a listener until its context is cancelled.
type Server struct {
	cfg        Config
	base       *scenario.Scenario // the scenario as given; sessions copy it
	graph      *graph.Graph
	sample     []int32 // the customers the orbit draws, the same for every session
	layout     plot.OrbitLayout
	look       look
	perSession int64
	mux        *http.ServeMux
	// steps holds a token for each market stepping now. There is one
	// fewer than there are cores, so that however many viewers play at
	// full speed, a core is left for their streams and buttons, and the
	// markets take turns in order (a channel queues its waiters).
	steps chan struct{}

	mu       sync.Mutex
	sessions map[string]*session
	ids      *rand.Rand // session ids: unguessable, so one student cannot drive another's market
	seeds    *rand.Rand // seeds of resets
	closed   bool
	stop     chan struct{} // closed by Close: streams and clocks end
	wg       sync.WaitGroup
}

// New builds the scenario's social graph once and returns a Server that
// opens sessions on it. It starts the goroutine that closes idle
// sessions; Close stops it.
func New(cfg Config) (*Server, error) {
	if cfg.Scenario == nil {
		return nil, errors.New("live: no scenario given")
	}
	if cfg.MaxSessions < 0 {
		return nil, fmt.Errorf("live: the session limit must be at least 1: %d", cfg.MaxSessions)
	}
	if cfg.IdleTimeout < 0 || cfg.PageSecond < 0 || cfg.OrbitSample < 0 {
		return nil, fmt.Errorf("live: durations and the orbit sample cannot be negative: %v, %v, %d",
			cfg.IdleTimeout, cfg.PageSecond, cfg.OrbitSample)
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.PageSecond == 0 {
		cfg.PageSecond = time.Second
	}
	base := *cfg.Scenario
	if err := base.Validate(); err != nil {
		return nil, err
	}
	if base.Days < 1 {
		return nil, fmt.Errorf("live: the scenario must run at least one day: %d", base.Days)
	}
	g, err := base.BuildGraph()
	if err != nil {
		return nil, err
	}
	if cfg.OrbitSample == 0 {
		cfg.OrbitSample = base.Output.OrbitSample
		if cfg.OrbitSample == 0 {
			cfg.OrbitSample = scenario.DefaultOrbitSample
		}
	}
	if cfg.ResetSeed == 0 {
		cfg.ResetSeed = base.Seed
	}
	var key [32]byte
	if _, err := crand.Read(key[:]); err != nil {
		return nil, fmt.Errorf("live: cannot seed session ids: %w", err)
	}
	s := &Server{
		cfg:      cfg,
		base:     &base,
		graph:    g,
		sample:   output.NewOrbit(brandNames(&base), base.Customers, cfg.OrbitSample, 1, base.Days, base.Seed).Sample,
		layout:   plot.NewOrbitLayout(len(base.Brands)),
		sessions: map[string]*session{},
		ids:      rand.New(rand.NewChaCha8(key)),
		seeds:    rand.New(rand.NewPCG(cfg.ResetSeed, 0x7265736574)), // "reset"
		stop:     make(chan struct{}),
		steps:    make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1)),
	}
	s.look = newLook(len(base.Brands), s.layout)
	s.perSession = sessionBytes(&base, len(s.sample))
	s.mux = s.routes()
	s.wg.Add(1)
	go s.expireIdle()
	return s, nil
}

func brandNames(sc *scenario.Scenario) []string {
	names := make([]string, len(sc.Brands))
	for i, b := range sc.Brands {
		names[i] = b.Name
	}
	return names
}

// sessionBytes estimates the memory of one session: its market, its
// history of curves, its orbit and the buffers of one stream.
func sessionBytes(sc *scenario.Scenario, sample int) int64 {
	curves := int64(sc.Days+1) * int64(len(sc.Brands)) * countsPerBrand * 4 // int32 counts
	orbit := int64(sample) * (12 + 3*2)                                     // an output.OrbitPoint, and x, y and kind for the page
	stream := int64(64 << 10)                                               // a connection's buffers and one encoded state event
	// The engine's estimate counts the bytes of its arrays; the allocator
	// rounds each large one up to whole pages, and a market has fixed
	// parts beside them: an eighth more and 16 KiB cover both.
	market := sim.MemoryBytes(&sc.Params, 1)
	market += market/8 + 16<<10
	return market + curves + orbit + stream
}

// SessionBytes estimates the memory one session holds; MaxSessions times
// it bounds what sessions hold together.
func (s *Server) SessionBytes() int64 { return s.perSession }

// MaxSessions is the number of sessions the server holds at most.
func (s *Server) MaxSessions() int { return s.cfg.MaxSessions }

// Sessions returns the number of open sessions.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// Serve answers requests on ln until ctx is cancelled, then ends every
// stream and session, waits up to a few seconds for other requests to
// finish, and returns nil. It returns the listener's error otherwise.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Request contexts do not derive from ctx: a stream must outlive the
	// cancellation long enough to tell its page why it ends.
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() {
		<-ctx.Done()
		// Streams never go idle on their own: end them first, so that
		// Shutdown finds every connection idle.
		s.Close()
		grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		done <- hs.Shutdown(grace)
	}()
	err := hs.Serve(ln)
	if !errors.Is(err, http.ErrServerClosed) {
		s.Close()
		return fmt.Errorf("live: serving: %w", err)
	}
	if err := <-done; err != nil {
		return fmt.Errorf("live: stopping: %w", err)
	}
	return nil
}

// Close ends every session and stream and stops the server's goroutines.
// Requests that come after get 503.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.stop)
	open := make([]*session, 0, len(s.sessions))
	for id, ss := range s.sessions {
		open = append(open, ss)
		delete(s.sessions, id)
	}
	s.mu.Unlock()
	for _, ss := range open {
		ss.close(reasonServerStopped)
	}
	s.wg.Wait()
}

// expireIdle closes sessions nobody has watched for IdleTimeout.
func (s *Server) expireIdle() {
	defer s.wg.Done()
	every := min(max(s.cfg.IdleTimeout/4, 10*time.Millisecond), 30*time.Second)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case now := <-t.C:
			s.closeIdle(now)
		}
	}
}

func (s *Server) closeIdle(now time.Time) {
	s.mu.Lock()
	var idle []*session
	for id, ss := range s.sessions {
		if ss.idleSince(now) >= s.cfg.IdleTimeout {
			idle = append(idle, ss)
			delete(s.sessions, id)
		}
	}
	s.mu.Unlock()
	for _, ss := range idle {
		ss.close(reasonIdle)
	}
}

// open starts a session, or says why it cannot.
func (s *Server) open() (*session, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errStopped
	}
	if len(s.sessions) >= s.cfg.MaxSessions {
		s.mu.Unlock()
		// Sessions idle past their time may not have been collected yet.
		s.closeIdle(time.Now())
		s.mu.Lock()
		if len(s.sessions) >= s.cfg.MaxSessions {
			s.mu.Unlock()
			return nil, &httpError{http.StatusServiceUnavailable, fmt.Sprintf(
				"live: every session is taken: %d open, the server's limit (close unused pages, or wait: a session nobody watches closes after %s)",
				s.cfg.MaxSessions, s.cfg.IdleTimeout)}
		}
	}
	var raw [12]byte
	binary.LittleEndian.PutUint64(raw[:8], s.ids.Uint64())
	binary.LittleEndian.PutUint32(raw[8:], s.ids.Uint32())
	id := hex.EncodeToString(raw[:])
	ss := newSession(s, id)
	s.sessions[id] = ss
	s.wg.Add(1)
	s.mu.Unlock()
	if err := ss.start(s.base); err != nil {
		s.mu.Lock()
		delete(s.sessions, id)
		s.mu.Unlock()
		ss.close(reasonFailed)
		s.wg.Done()
		return nil, err
	}
	go func() {
		defer s.wg.Done()
		ss.runClock(s.stop)
	}()
	return ss, nil
}

// nextSeed draws the market seed of a reset.
func (s *Server) nextSeed() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Six digits at most: short enough to read out in class and type
	// back as pushpull run --seed.
	return 1 + s.seeds.Uint64N(999_999)
}

func (s *Server) session(id string) (*session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errStopped
	}
	ss, ok := s.sessions[id]
	if !ok {
		return nil, &httpError{http.StatusNotFound, fmt.Sprintf(
			"live: no such session, it may have been closed after %s unwatched (reload the page to start a new one): %q", s.cfg.IdleTimeout, id)}
	}
	return ss, nil
}

// forget removes a session the viewer closed.
func (s *Server) forget(id string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[id]
	delete(s.sessions, id)
	return ss
}

// sessionIDs lists open sessions in order, for tests.
func (s *Server) sessionIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.sessions))
	for id := range s.sessions {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// httpError is an error with the status it answers a request with.
type httpError struct {
	status  int
	message string
}

func (e *httpError) Error() string { return e.message }

var errStopped = &httpError{http.StatusServiceUnavailable, "live: the server is stopping: restart `pushpull serve` and reload the page"}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":"live: cannot encode the answer"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// writeError answers with err's message as {"error": ...}: a 4xx or 503
// status for an httpError, 400 for a scenario's validation errors, 500
// otherwise.
func writeError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var he *httpError
	var located scenario.Errors
	switch {
	case errors.As(err, &he):
		status = he.status
	case errors.As(err, &located):
		status = http.StatusBadRequest
	}
	writeJSON(w, status, errorBody{Error: err.Error()})
}

type errorBody struct {
	Error string `json:"error"`
}

// errEmptyRequest is a request without a body where one is wanted.
var errEmptyRequest = &httpError{http.StatusBadRequest, "live: empty request: want a JSON object"}

// decodeRequest reads a JSON request body into v, strictly: one object,
// no unknown fields, at most maxRequestBytes.
func decodeRequest(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("live: request too large: more than %d bytes", tooBig.Limit)}
		}
		if errors.Is(err, io.EOF) {
			return errEmptyRequest
		}
		return &httpError{http.StatusBadRequest, "live: malformed request: " + err.Error()}
	}
	if dec.More() {
		return &httpError{http.StatusBadRequest, "live: malformed request: more than one JSON value"}
	}
	return nil
}
