package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeStopsOnCtrlC starts `pushpull serve` as a process of its own,
// opens a session and its event stream as the page does, plays it, and
// presses Ctrl-C: the stream hears that the server stopped, the process
// says so and exits 0 within the grace period.
func TestServeStopsOnCtrlC(t *testing.T) {
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--customers", "800")
	cmd.Env = append(os.Environ(), "PUSHPULL_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	t.Cleanup(func() {
		// A test that failed halfway must not leave a server running.
		cmd.Process.Kill()
	})
	lines := bufio.NewScanner(stdout)
	var printed []string
	var base string
	for base == "" && lines.Scan() {
		printed = append(printed, lines.Text())
		if m := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/$`).FindStringSubmatch(lines.Text()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("serve printed no address: %q, stderr %q", printed, stderr.String())
	}
	rest := make(chan string, 1)
	go func() {
		var b strings.Builder
		for lines.Scan() {
			b.WriteString(lines.Text() + "\n")
		}
		rest <- b.String()
		exited <- cmd.Wait()
	}()
	t.Logf("serve says: %q", printed)
	if want := "social-gravity (800 of its 10,000 customers)"; !strings.Contains(printed[0], want) {
		t.Errorf("serve's first line %q does not say %q", printed[0], want)
	}

	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(page, []byte("live.js")) {
		t.Fatalf("GET /: %d %.200s", resp.StatusCode, page)
	}
	resp, err = http.Post(base+"/api/sessions", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var opened struct{ Session string }
	err = json.NewDecoder(resp.Body).Decode(&opened)
	resp.Body.Close()
	if err != nil || opened.Session == "" {
		t.Fatalf("opening a session: %d %v", resp.StatusCode, err)
	}
	events, err := http.Get(base + "/api/sessions/" + opened.Session + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	resp, err = http.Post(base+"/api/sessions/"+opened.Session+"/control", "application/json", strings.NewReader(`{"action": "play"}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("play: %v %v", resp, err)
	}
	resp.Body.Close()
	stream := bufio.NewReader(events.Body)
	readEvent := func() string {
		for {
			line, err := stream.ReadString('\n')
			if err != nil {
				return "stream ended: " + err.Error()
			}
			if strings.HasPrefix(line, "event: ") {
				return strings.TrimSpace(strings.TrimPrefix(line, "event: "))
			}
		}
	}
	if ev := readEvent(); ev != "state" {
		t.Fatalf("the stream began with %q, want state", ev)
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	var closed bool
	for !closed {
		ev := readEvent()
		if strings.HasPrefix(ev, "stream ended") {
			t.Fatalf("the stream ended without a closed event: %s", ev)
		}
		closed = ev == "closed"
	}
	if data, _ := stream.ReadString('\n'); !strings.Contains(data, "the server stopped") {
		t.Errorf("the closed event says %q, want that the server stopped", data)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v after Ctrl-C; stderr %q", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve still runs 15 s after Ctrl-C")
	}
	if out := <-rest; !strings.HasSuffix(out, "pushpull serve: stopped\n") {
		t.Errorf("serve's last words: %q", out)
	}
	if stderr.Len() > 0 {
		t.Errorf("serve wrote to stderr: %q", stderr.String())
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("the server still answers after it stopped")
	}
}

// TestServeRejectsBadInput: serve's flags and --set take the same checks
// and messages as run's, and a port in use gets a hint.
func TestServeRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--customers", "-1"}, "serve: --customers must be 0 (the scenario's) or more, got -1"},
		{[]string{"--max-sessions", "0"}, "serve: --max-sessions must be at least 1, got 0"},
		{[]string{"--idle", "0s"}, "serve: --idle must be a positive duration such as 5m, got 0s"},
		{[]string{"social-gravity", "push-vs-pull"}, "serve: one scenario at a time, got 2"},
		{[]string{"--replicates", "3"}, "unknown flag: --replicates"},
		{[]string{"--customers", "3"}, "serve: --customers 3 does not fit the scenario: scenarios/social-gravity.toml:"},
	} {
		_, errOut, code := invoke(t, append([]string{"serve"}, tc.args...)...)
		if code != exitInvalid || !strings.Contains(errOut, tc.want) {
			t.Errorf("serve %v: exit %d, %q; want exit %d and %q", tc.args, code, errOut, exitInvalid, tc.want)
		}
	}
	// A bad --set reads exactly as it does for run.
	for _, set := range []string{"brand.Blast.push.rate=-1", "brand.Nobody.push.rate=1", "days=0"} {
		_, serveErr, serveCode := invoke(t, "serve", "--set", set)
		_, runErr, runCode := invoke(t, "run", "--set", set, "--out", t.TempDir())
		if serveCode != exitInvalid || serveErr != runErr || runCode != serveCode {
			t.Errorf("--set %s: serve says (exit %d) %q, run says (exit %d) %q", set, serveCode, serveErr, runCode, runErr)
		}
	}
	// The port is taken.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, errOut, code := invoke(t, "serve", "--customers", "300", "--addr", ln.Addr().String())
	if code != exitInvalid || !strings.Contains(errOut, "cannot listen on "+ln.Addr().String()) || !strings.Contains(errOut, "try --addr 127.0.0.1:8081") {
		t.Errorf("serve on a port in use: exit %d, %q", code, errOut)
	}
}

func TestServePageURL(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080/",
		"0.0.0.0:8080":   "http://localhost:8080/",
		"[::]:8080":      "http://localhost:8080/",
		"[::1]:9000":     "http://[::1]:9000/",
	} {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := pageURL(a); got != want {
			t.Errorf("pageURL(%s) = %s, want %s", addr, got, want)
		}
	}
	if got := serveThousands(1234567); got != "1,234,567" {
		t.Errorf("serveThousands(1234567) = %s", got)
	}
}
