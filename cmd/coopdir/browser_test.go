package main

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// updateScreenshots rewrites the screenshots in docs/screenshots from the
// browser test run: go test ./cmd/coopdir -run Browser -screenshots.
var updateScreenshots = flag.Bool("screenshots", false, "write the browser tests' screenshots to docs/screenshots")

// chromePath finds the Chromium the browser tests drive: $CHROME_PATH (set
// by scripts/test.sh, which installs Chromium when missing) or one on PATH.
// Without one the tests fail under CI and are skipped elsewhere.
func chromePath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium for the browser tests: run them through make test, which installs it, or set CHROME_PATH")
	}
	t.Skip("no Chromium found (set CHROME_PATH or run make test)")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// tab context. The flags keep it from calling home on this offline machine.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromePath(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// The first run starts the browser; give it room, then bound each test.
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// do runs browser steps and fails the test with what was being done.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one browser action that reads something and returns it.
func browserGet[T any](t *testing.T, ctx context.Context, what string, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// screenshot saves the page as docs/screenshots/name.png when -screenshots
// is set, and in the test's temp folder otherwise (so the capture itself is
// always exercised).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := browserGet(t, ctx, "screenshot "+name, chromedp.FullScreenshot(90))
	dir := t.TempDir()
	if *updateScreenshots {
		dir = filepath.Join("..", "..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserSmoke(t *testing.T) {
	ctx := newBrowser(t)
	srv, _ := startServe(t, nil, "--listen", "127.0.0.1:0", "--database", tempDB(t), "--demo")
	do(t, ctx, "open home", chromedp.Navigate(srv.URL()+"/"))
	h1 := browserGet(t, ctx, "read heading", chromedp.Text("h1"))
	if h1 == "" {
		t.Fatal("home page has no heading")
	}
}
