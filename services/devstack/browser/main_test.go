// Package browser tests the gateway's pages in real headless Chromium
// (Debian's chromium, driven over the DevTools protocol with chromedp)
// against the whole platform started in process, as the e2e package does:
// a resident signs with the mouse and with the keyboard only, axe-core
// checks every main page against WCAG 2.1 A/AA, every request a page makes
// must go to the gateway itself, and a full-page screenshot of each main
// page is kept in .artifacts/screenshots/.
//
// scripts/test.sh installs what the package needs (COALITION_CHROMIUM,
// COALITION_AXE_JS). Without Chromium the tests fail on CI (CI=true) and
// are skipped elsewhere, saying why.
package browser

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"github.com/cc4dr/coalition/services/devstack/stack"
)

// axeVersion is the axe-core release scripts/test.sh installs.
const axeVersion = "4.14.1"

var (
	shared     *stack.Ephemeral
	browserCtx context.Context // the started browser; each test opens its own tab
	skipReason string          // set when Chromium is absent outside CI
	axeSource  string          // axe.min.js, injected by the accessibility checks
	axeMissing string          // why axeSource is empty
	onCI       = os.Getenv("CI") == "true"
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	chromium := os.Getenv("COALITION_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		msg := fmt.Sprintf("browser tests need Debian's Chromium at %s (scripts/test.sh installs it: apt-get install chromium)", chromium)
		if onCI {
			fmt.Fprintln(os.Stderr, "browser: FAIL:", msg, "— required on CI")
			return 1
		}
		fmt.Fprintln(os.Stderr, "browser: SKIP:", msg)
		skipReason = msg
		return m.Run()
	}
	loadAxe()

	log := zap.NewNop()
	if os.Getenv("E2E_LOG") != "" {
		log, _ = zap.NewDevelopment()
	}
	st, err := stack.StartEphemeral(context.Background(), stack.EphemeralOptions{DemoData: true, Log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser:", err)
		return 1
	}
	shared = st

	profile, err := os.MkdirTemp("", "chromium-profile-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser:", err)
		return 1
	}
	defer os.RemoveAll(profile)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		// Chromium's own background connections fail on a closed network
		// (and would be third-party requests): turn them all off.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions"),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("lang", "en-GB"),
	)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	code := func() int {
		// The first Do starts the browser; it must have no timeout of its own.
		started := make(chan error, 1)
		go func() { started <- chromedp.Do(bctx) }()
		select {
		case err := <-started:
			if err != nil {
				fmt.Fprintln(os.Stderr, "browser: start chromium:", err)
				return 1
			}
		case <-time.After(30 * time.Second):
			fmt.Fprintln(os.Stderr, "browser: chromium did not start within 30s")
			return 1
		}
		browserCtx = bctx
		return m.Run()
	}()
	cancelBrowser()
	cancelAlloc()
	if err := shared.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "browser: stack stopped with error:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// loadAxe reads axe.min.js from where scripts/test.sh installs it.
func loadAxe() {
	path := os.Getenv("COALITION_AXE_JS")
	if path == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			axeMissing = "no COALITION_AXE_JS and no cache folder: " + err.Error()
			return
		}
		path = filepath.Join(cache, "coalition", "axe-core-"+axeVersion, "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		axeMissing = fmt.Sprintf("axe-core is not installed (%v); scripts/test.sh installs it with npm", err)
		fmt.Fprintln(os.Stderr, "browser: accessibility checks:", axeMissing)
		return
	}
	axeSource = string(b)
}

// tab is one browser tab in a fresh browser context (own cookies and
// storage), with every request it makes recorded.
type tab struct {
	ctx  context.Context
	mu   sync.Mutex
	reqs []string
}

// newTab opens a tab for t. Each action on it is bounded by the test's
// timeout below; at the end of the test every recorded request must have
// gone to the gateway's own origin.
func newTab(t *testing.T) *tab {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	tb := &tab{}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext(), chromedp.WithListener(tb.listen))
	t.Cleanup(cancel)
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 40*time.Second)
	t.Cleanup(cancelTimeout)
	tb.ctx = ctx
	t.Cleanup(func() { tb.assertOwnOrigin(t) })
	return tb
}

func (tb *tab) listen(ev any) {
	if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
		tb.mu.Lock()
		tb.reqs = append(tb.reqs, e.Request.URL)
		tb.mu.Unlock()
	}
}

func (tb *tab) requests() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.reqs...)
}

// assertOwnOrigin fails t for any request to another origin than the
// gateway's (data: and about: URLs are not requests to anyone).
func (tb *tab) assertOwnOrigin(t *testing.T) {
	t.Helper()
	own, err := url.Parse(gateway(""))
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range tb.requests() {
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("unparseable request URL %q", raw)
			continue
		}
		switch u.Scheme {
		case "data", "about", "blob":
			continue
		}
		if u.Scheme != own.Scheme || u.Host != own.Host {
			t.Errorf("third-party request from the page: %s (only %s://%s is allowed)", raw, own.Scheme, own.Host)
		}
	}
}

func gateway(path string) string { return shared.Addresses().GatewayURL + path }

// do runs actions on the tab, failing the test with what was being done.
func (tb *tab) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to path and checks the HTTP status of the document.
func (tb *tab) open(t *testing.T, path string, wantStatus int64) {
	t.Helper()
	tb.openURL(t, gateway(path), wantStatus)
}

// openURL navigates to an absolute URL and checks the HTTP status.
func (tb *tab) openURL(t *testing.T, u string, wantStatus int64) {
	t.Helper()
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	if resp.Status != wantStatus {
		t.Fatalf("open %s: HTTP %d, want %d", u, resp.Status, wantStatus)
	}
}

// navigateBy runs actions that load another page (a click on a link or a
// submit button, Enter on a focused one), waits for it, and checks its status.
func (tb *tab) navigateBy(t *testing.T, what string, wantStatus int64, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, actions...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != wantStatus {
		t.Fatalf("%s: HTTP %d (%s), want %d", what, resp.Status, resp.URL, wantStatus)
	}
}

// text returns the visible text of the first element matching css.
func (tb *tab) text(t *testing.T, css string) string {
	t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

// heading waits for the page's h1 and checks that it contains want.
func (tb *tab) heading(t *testing.T, want string) {
	t.Helper()
	tb.do(t, "wait for the heading", chromedp.WaitVisible(chromedp.CSS("main h1")))
	if got := tb.text(t, "main h1"); !strings.Contains(got, want) {
		t.Fatalf("heading %q, want it to contain %q", got, want)
	}
}

// eval evaluates a JavaScript expression on the tab.
func eval[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.60q: %v", expr, err)
	}
	return v
}

// screenshot saves a full-page PNG of the tab to .artifacts/screenshots/<name>.png
// at the repository root.
func (tb *tab) screenshot(t *testing.T, name string) {
	t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(repoRoot(t), ".artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

// repoRoot is the folder holding go.work, above the package.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.work above %s", dir)
		}
	}
}
