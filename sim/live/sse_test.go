package live

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// client is a page as the tests see it: it opens a session and sends
// requests to it.
type client struct {
	t       testing.TB
	base    string
	session string
	http    *http.Client
}

func newClient(t testing.TB, base string) *client {
	return &client{t: t, base: base, http: &http.Client{Timeout: 30 * time.Second}}
}

// open opens a session and returns the server's answer.
func (c *client) open() openResponse {
	c.t.Helper()
	var res openResponse
	if status, body := c.post("/api/sessions", ""); status != http.StatusCreated {
		c.t.Fatalf("POST /api/sessions: %d %s", status, body)
	} else if err := json.Unmarshal(body, &res); err != nil {
		c.t.Fatalf("POST /api/sessions: %v: %s", err, body)
	}
	c.session = res.Session
	return res
}

// post sends body to path and returns the status and the answer.
func (c *client) post(path, body string) (int, []byte) {
	c.t.Helper()
	status, answer, err := c.tryPost(path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	return status, answer
}

// tryPost is post for goroutines other than the test's: it returns errors.
func (c *client) tryPost(path, body string) (int, []byte, error) {
	resp, err := c.http.Post(c.base+path, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("POST %s: %w", path, err)
	}
	return resp.StatusCode, answer, nil
}

func (c *client) sessionPath(what string) string { return "/api/sessions/" + c.session + "/" + what }

// control sends an action and fails the test unless it is accepted.
func (c *client) control(body string) {
	c.t.Helper()
	if status, answer := c.post(c.sessionPath("control"), body); status != http.StatusOK {
		c.t.Fatalf("control %s: %d %s", body, status, answer)
	}
}

// set sends one change and returns the status and the error message, if any.
func (c *client) set(assignment string) (int, string, *mark) {
	c.t.Helper()
	body, _ := json.Marshal(setRequest{Set: assignment})
	status, answer := c.post(c.sessionPath("set"), string(body))
	var res struct {
		Error string `json:"error"`
		Mark  *mark  `json:"mark"`
	}
	if err := json.Unmarshal(answer, &res); err != nil {
		c.t.Fatalf("set %s: not JSON: %s", assignment, answer)
	}
	return status, res.Error, res.Mark
}

// event is one Server-Sent Event.
type event struct {
	name string
	data []byte
}

// stream reads a session's events.
type stream struct {
	resp   *http.Response
	cancel context.CancelFunc
	events chan event
	err    chan error
}

// events opens the session's event stream.
func (c *client) events() *stream {
	c.t.Helper()
	s, err := c.tryEvents()
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}

func (c *client) tryEvents() (*stream, error) {
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+c.sessionPath("events"), nil)
	if err != nil {
		cancel()
		return nil, err
	}
	// No client timeout: a stream lasts as long as the test wants it.
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("GET events: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("GET events: %d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("GET events: Content-Type %q, want text/event-stream", ct)
	}
	s := &stream{resp: resp, cancel: cancel, events: make(chan event, 1024), err: make(chan error, 1)}
	go s.read()
	return s, nil
}

// read parses the stream as the EventSource of a browser does, for the
// fields the server uses: event, data, retry and comments.
func (s *stream) read() {
	defer close(s.events)
	sc := bufio.NewScanner(s.resp.Body)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	var ev event
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case len(line) == 0:
			if ev.name != "" || ev.data != nil {
				s.events <- ev
			}
			ev = event{}
		case line[0] == ':':
		case bytes.HasPrefix(line, []byte("event: ")):
			ev.name = string(line[len("event: "):])
		case bytes.HasPrefix(line, []byte("data: ")):
			ev.data = append([]byte(nil), line[len("data: "):]...)
		case bytes.HasPrefix(line, []byte("retry: ")):
		default:
			s.err <- fmt.Errorf("unexpected line in the event stream: %q", line)
			return
		}
	}
	if err := sc.Err(); err != nil {
		s.err <- err
	}
}

// next returns the next event, or fails the test after a while.
func (s *stream) next(t testing.TB) event {
	t.Helper()
	ev, ok, err := s.tryNext(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatal("the event stream ended")
	}
	return ev
}

func (s *stream) tryNext(wait time.Duration) (event, bool, error) {
	select {
	case ev, ok := <-s.events:
		return ev, ok, nil
	case err := <-s.err:
		return event{}, false, err
	case <-time.After(wait):
		return event{}, false, fmt.Errorf("no event for %s", wait)
	}
}

func (s *stream) close() {
	s.cancel()
	s.resp.Body.Close()
}

// decode reads an event's data into v.
func decode(t testing.TB, ev event, v any) {
	t.Helper()
	if err := json.Unmarshal(ev.data, v); err != nil {
		t.Fatalf("%s event: %v: %s", ev.name, err, ev.data)
	}
}
