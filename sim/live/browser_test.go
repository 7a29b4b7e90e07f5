package live

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/pushpull/pushpull/sim"
)

// chromiumPath is where Debian's chromium package, which .ci/run installs,
// puts the browser.
const chromiumPath = "/usr/bin/chromium"

// screenshotEnv names a file to save the page's screenshot to, for the
// README (results/classroom.png); without it the screenshot goes to the
// test's artifact folder (go test -artifacts keeps it), as do those at
// 1920x1080 and 1280x720 always.
const screenshotEnv = "PUSHPULL_SCREENSHOT"

// TestPageInBrowser is the end-to-end test of the classroom page: a
// headless Chromium opens it, plays the market, checks that the curves
// grow, moves a slider and checks that the market got the change, sends a
// bad value and reads the message, checks that the page fits and reads at
// a projector's resolutions, and saves a screenshot. Any error the page
// throws or logs fails it.
func TestPageInBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is missing at %s, and CI=true needs the browser test: install the Debian package chromium (.ci/run does)", chromiumPath)
		}
		t.Skipf("chromium is not installed at %s: the browser test of the classroom page is skipped (apt-get install chromium)", chromiumPath)
	}
	// The page says the scenario was scaled down, as `pushpull serve` does.
	srv, ts := startServer(t, 2000, Config{FullCustomers: 10000})

	profile, err := os.MkdirTemp("", "pushpull-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Chromium's helpers can write into the profile for a moment after
		// the browser exits; "directory not empty" only means try again.
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1600, 900),
	)
	defer cancelAlloc()
	var mu sync.Mutex
	var pageErrors []string
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithListener(func(ev any) {
		var text string
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			text = (&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error()
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				text = fmt.Sprintf("console.%s", e.Type)
				for _, a := range e.Args {
					text += " " + string(a.Value) + a.Description
				}
			}
		case *cdplog.EventEntryAdded:
			// A resource that failed to load, a deprecated API...; the
			// bad value below is answered 400 on purpose, and says so.
			if (e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning) && !strings.Contains(e.Entry.URL, "/set") {
				text = fmt.Sprintf("%s %s: %s %s", e.Entry.Source, e.Entry.Level, e.Entry.Text, e.Entry.URL)
			}
		}
		if text != "" {
			mu.Lock()
			pageErrors = append(pageErrors, text)
			mu.Unlock()
		}
	}))
	defer func() {
		stop, cancelStop := context.WithTimeout(ctx, 10*time.Second)
		defer cancelStop()
		chromedp.Cancel(stop)
		cancel()
	}()
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	poll := func(what, predicate string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingTimeout(20*time.Second),
			chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('message').hidden ? '' : document.getElementById('message-text').textContent`))
			t.Fatalf("%s: %v (page message: %q)", what, err, text)
		}
	}
	eval := func(expr string) {
		t.Helper()
		step(expr, chromedp.Evaluate[chromedp.Void](expr))
	}

	// A 1600 by 900 page: the shape of a projector, and of the README's picture.
	step("open the page", chromedp.EmulateViewport(1600, 900), chromedp.Navigate(ts.URL),
		chromedp.WaitVisible(chromedp.CSS(`#brands article`)))
	poll("the first state", `document.getElementById('chart-adoption').dataset.points === '1'`)

	// Play at full speed; the curves grow.
	eval(`(() => { const s = document.getElementById('speed'); s.value = s.max; s.dispatchEvent(new Event('change')); })()`)
	step("play", chromedp.Click(chromedp.ID("play")))
	poll("the curves advance", `Number(document.getElementById('chart-adoption').dataset.points) > 40`)
	first, err := chromedp.Run(ctx, chromedp.Evaluate[int](`Number(document.getElementById('chart-adoption').dataset.points)`))
	if err != nil {
		t.Fatal(err)
	}
	poll("the curves keep advancing", fmt.Sprintf(`Number(document.getElementById('chart-churn').dataset.points) > %d`, first+10))

	// "What if the brand stops pushing?": Blast's push budget slider to 0.
	eval(`(() => { const r = document.getElementById('b0-push-rate'); r.value = 0;
		r.dispatchEvent(new Event('input')); r.dispatchEvent(new Event('change')); })()`)
	poll("the change is marked", `document.querySelectorAll('#marks li').length === 1`)
	ss := onlySession(t, srv)
	ss.mu.Lock()
	rate := ss.market.Params().Brands[0].Push.Rate
	changedOn := ss.marks[0].Day
	ss.mu.Unlock()
	if rate != 0 {
		t.Fatalf("after the slider moved, the market's Blast push.rate is %g, want 0", rate)
	}
	poll("days pass after the change", fmt.Sprintf(`Number(document.body.dataset.day) > %d`, changedOn+2))
	ss.mu.Lock()
	sent := ss.market.Metrics()[0].ImpressionsSent
	ss.mu.Unlock()
	if sent != 0 {
		t.Errorf("Blast still sent %d impressions a day after its push budget went to 0", sent)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#marks li`)))
	if want := fmt.Sprintf("Blast: push budget %.3g → 0", srv.base.Brands[0].Push.Rate); err != nil || !strings.Contains(text, want) {
		t.Errorf("the change's note reads %q (%v), want it to say %q", text, err, want)
	}

	// Candor hides its mistakes from now on: a real click on a switch.
	step("click Hide", chromedp.Click(chromedp.CSS(`article[data-brand="Candor"] .switch button[data-value="hide"]`)))
	poll("the second change is marked", `document.querySelectorAll('#marks li').length === 2`)
	ss.mu.Lock()
	response := ss.market.Params().Brands[2].Trust.Response
	ss.mu.Unlock()
	if response != sim.ResponseHide {
		t.Errorf("after clicking Hide, Candor's trust.response is %q, want hide", response)
	}

	// A bad value typed into a number box: the server's message shows and
	// the box goes back to the value the market holds.
	eval(`(() => { const n = document.getElementById('b0-push-rate-n'); n.value = '-1'; n.dispatchEvent(new Event('change')); })()`)
	poll("the message shows", `!document.getElementById('message').hidden`)
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("message-text")))
	if err != nil {
		t.Fatal(err)
	}
	want := "page: brand.Blast.push.rate: out of range (want a number from 0 to 100, got -1)"
	if msg != want {
		t.Errorf("the page says %q, want %q", msg, want)
	}
	poll("the box shows the market's value again", `document.getElementById('b0-push-rate-n').value === '0'`)
	step("dismiss the message", chromedp.Click(chromedp.ID("message-close")))
	shots := os.Getenv(screenshotEnv)
	if shots == "" {
		shots = filepath.Join(t.ArtifactDir(), "classroom.png")
	}

	// A projector's resolutions: the first screen (orbit, curves, every
	// brand's controls) fits without scrolling, no label is cut short,
	// and the text scales with the screen, as on a slide.
	for _, size := range []struct {
		w, h int64
		font float64 // root font size, in CSS pixels
	}{{1920, 1080, 24}, {1280, 720, 16}, {1024, 768, 12.8}, {1600, 900, 20}} {
		at := fmt.Sprintf("at %dx%d", size.w, size.h)
		step("resize "+at, chromedp.EmulateViewport(size.w, size.h))
		poll("the first screen fits "+at, `(() => {
			const b = document.getElementById('brands').getBoundingClientRect();
			return b.bottom <= innerHeight + 1 && document.documentElement.scrollWidth <= innerWidth; })()`)
		font, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`parseFloat(getComputedStyle(document.documentElement).fontSize)`))
		if err != nil || font < size.font-0.1 || font > size.font+0.1 {
			t.Errorf("%s the text is %gpx (%v), want %gpx", at, font, err, size.font)
		}
		cut, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(
			'header *, h1, h2, h2 span, #brands label, .legend li, #marks li, button, select')]
			.filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent)`))
		if err != nil || len(cut) > 0 {
			t.Errorf("%s these labels are cut short (%v): %q", at, err, cut)
		}
		small, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[document.getElementById('orbit').clientHeight,
			...[...document.querySelectorAll('.chart canvas')].map((c) => c.clientHeight)]`))
		if err != nil || len(small) != 4 || small[0] < 13*size.font || small[1] < 4*size.font {
			t.Errorf("%s the orbit and the charts are %v pixels high (%v), want at least %g and %g", at, small, err, 13*size.font, 4*size.font)
		}
		if size.w != 1600 {
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			other := filepath.Join(t.ArtifactDir(), fmt.Sprintf("classroom-%dx%d.png", size.w, size.h))
			if err := os.WriteFile(other, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	// Let the run go on, pause, and take the picture for the README.
	poll("the run goes on", `Number(document.body.dataset.day) >= 240`)
	// Beside each brand's adoption, what explains it: awareness, trust,
	// blocking and profit, as the market measured them on the day shown.
	poll("every card shows awareness, trust, blocking and profit", `[...document.querySelectorAll('#brands .stats')].length === document.querySelectorAll('#brands .brand').length &&
		[...document.querySelectorAll('#brands .stats')].every((e) =>
			/^aware \d+% · trust [01]\.\d\d · blocked \d+% · profit -?[\d.]+[kM]?$/.test(e.textContent))`)
	step("pause", chromedp.Click(chromedp.ID("play")))
	poll("paused", `document.getElementById('play').textContent.includes('Play')`)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shots, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes); the other sizes are in %s (go test -artifacts keeps them)", shots, len(png), t.ArtifactDir())

	mu.Lock()
	defer mu.Unlock()
	for _, e := range pageErrors {
		t.Errorf("the page threw: %s", e)
	}
}
