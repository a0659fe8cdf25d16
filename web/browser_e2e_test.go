package web_test

import (
	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"

	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// updateScreenshots rewrites the screenshots in docs/screenshots from the
// browser test run: go test ./web -run Browser -screenshots.
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
	png := browserGet(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	dir := t.TempDir()
	if *updateScreenshots {
		dir = filepath.Join("..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// browserInstance is a demo instance with an admin account and a browser to
// drive it.
type browserInstance struct {
	ctx context.Context
	url string
}

const (
	browserAdminEmail    = "admin@coop.example"
	browserAdminPassword = "correct horse battery staple"
)

func newBrowserInstance(t *testing.T) *browserInstance {
	t.Helper()
	ctx := newBrowser(t)
	srv := instancetest.Start(t, instancetest.SQLite, func(c *instance.Config) {
		c.Demo, c.NetworkName = true, "Cooperation Milwaukee"
	})
	admin := &directory.User{Email: browserAdminEmail, Name: "Ada Admin", Role: directory.RoleAdmin}
	if err := srv.Service().AddUser(directory.AsSystem(context.Background()), admin, "", browserAdminPassword); err != nil {
		t.Fatal(err)
	}
	return &browserInstance{ctx: ctx, url: srv.URL()}
}

// open navigates to path and waits for the page's main landmark.
func (b *browserInstance) open(t *testing.T, path string) {
	t.Helper()
	do(t, b.ctx, "open "+path, chromedp.Navigate(b.url+path), chromedp.WaitVisible(chromedp.CSS("main")))
	b.waitFor(t, `document.readyState === "complete"`)
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, b *browserInstance, expr string) T {
	t.Helper()
	return browserGet(t, b.ctx, "evaluate "+expr, chromedp.Evaluate[T](expr))
}

// waitFor evaluates a JavaScript condition until it holds, across page loads
// (a submitted form navigates), for at most 15 seconds.
func (b *browserInstance) waitFor(t *testing.T, cond string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 15s for %s (last error: %v)", cond, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// total reads the number of results the page reports.
func (b *browserInstance) total(t *testing.T) int {
	t.Helper()
	return eval[int](t, b, `+document.querySelector("#results-heading").dataset.total`)
}

func (b *browserInstance) signIn(t *testing.T) {
	t.Helper()
	b.open(t, "/login")
	do(t, b.ctx, "sign in",
		chromedp.SendKeys(chromedp.CSS("#f-email"), browserAdminEmail),
		chromedp.SendKeys(chromedp.CSS("#f-password"), browserAdminPassword),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	)
}

func TestBrowserSearchFilterAndOpen(t *testing.T) {
	b := newBrowserInstance(t)
	b.open(t, "/")
	screenshot(t, b.ctx, "home")

	b.open(t, "/directory")
	do(t, b.ctx, "search for tools",
		chromedp.SendKeys(chromedp.CSS("#q"), "tools"),
		chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)),
	)
	b.waitFor(t, `location.search.includes("q=tools") && document.readyState === "complete" && !!document.querySelector("#results-heading")`)
	if got := eval[string](t, b, `new URL(location.href).searchParams.get("q")`); got != "tools" {
		t.Fatalf("the search is not in the URL: q=%q", got)
	}
	if n := b.total(t); n < 1 {
		t.Fatalf("searching tools found %d enterprises", n)
	}

	t.Run("a kind facet narrows the results", func(t *testing.T) {
		b.open(t, "/directory")
		all := b.total(t)
		do(t, b.ctx, "pick the tool library facet",
			chromedp.Click(chromedp.CSS(`aside.facets a[href*="kind=tool_library"]`)),
		)
		b.waitFor(t, `location.search.includes("kind=tool_library") && document.readyState === "complete" && !!document.querySelector("#results-heading")`)
		n := b.total(t)
		if n < 1 || n >= all {
			t.Fatalf("kind facet: %d results of %d", n, all)
		}
		screenshot(t, b.ctx, "directory")
	})

	t.Run("a result opens the enterprise page", func(t *testing.T) {
		do(t, b.ctx, "open the first result", chromedp.Click(chromedp.CSS(`main ul.cards a[href^="/enterprises/"]`)))
		b.waitFor(t, `location.pathname.startsWith("/enterprises/") && !!document.querySelector("h1#name")`)
		if name := eval[string](t, b, `document.querySelector("h1#name").innerText`); name != "Milwaukee Tool Library" {
			t.Fatalf("opened %q", name)
		}
		screenshot(t, b.ctx, "enterprise")
	})
}

// TestBrowserMapClustersAndSpiderfies loads the map of the demo directory,
// whose co-ops share one point, with no tile server: the offline background
// draws, the co-ops gather into one cluster with their count, opening it
// spreads them out, and a marker's popup leads to the enterprise's page.
func TestBrowserMapClustersAndSpiderfies(t *testing.T) {
	b := newBrowserInstance(t)
	b.open(t, "/map")
	b.waitFor(t, `!!document.querySelector(".marker-cluster") && /\d/.test(document.querySelector(".marker-cluster").textContent)`)
	count := eval[int](t, b, `parseInt(document.querySelector(".marker-cluster").textContent, 10)`)
	listed := eval[int](t, b, `document.querySelectorAll("main ul.cards > li").length`)
	if count < 2 || count != listed {
		t.Fatalf("the cluster counts %d co-ops, the list under the map has %d", count, listed)
	}
	t.Run("the offline background draws countries, states and names", func(t *testing.T) {
		b.waitFor(t, `document.querySelectorAll(".leaflet-background-pane path.map-land").length > 100 &&
			document.querySelectorAll(".leaflet-background-pane path.map-state").length > 40 &&
			document.querySelectorAll(".map-place").length > 0`)
		if n := eval[int](t, b, `document.querySelectorAll(".leaflet-tile").length`); n != 0 {
			t.Errorf("%d tiles without a tile server", n)
		}
		if !eval[bool](t, b, `document.querySelector(".leaflet-control-attribution").textContent.includes("Natural Earth")`) {
			t.Error("the background's sources are not credited")
		}
	})
	t.Run("close in, the background names the towns in view, from the embedded gazetteer", func(t *testing.T) {
		b.waitFor(t, `Array.from(document.querySelectorAll(".map-place.map-city-name")).some(el => el.textContent === "Milwaukee")`)
		if !eval[bool](t, b, `document.querySelector(".leaflet-control-attribution").textContent.includes("GeoNames")`) {
			t.Error("the place names are not credited to GeoNames")
		}
	})
	t.Run("markers are no Tab stops and the map can be skipped", func(t *testing.T) {
		if n := eval[int](t, b, `Array.from(document.querySelectorAll("#map .leaflet-marker-icon")).filter(el => el.tabIndex >= 0).length`); n != 0 {
			t.Errorf("%d markers are Tab stops", n)
		}
		if href := eval[string](t, b, `document.querySelector(".map-skip a").getAttribute("href")`); href != "#after-map" ||
			!eval[bool](t, b, `!!document.getElementById("after-map")`) {
			t.Errorf("skip link to %q", href)
		}
	})
	screenshot(t, b.ctx, "map")
	do(t, b.ctx, "open the cluster", chromedp.Click(chromedp.CSS(".marker-cluster")))
	b.waitFor(t, `document.querySelectorAll(".leaflet-marker-pane img.leaflet-marker-icon").length === `+idText(int64(count))+
		` && !document.querySelector(".leaflet-cluster-anim")`)
	do(t, b.ctx, "open a co-op's popup", chromedp.Click(chromedp.CSS(".leaflet-marker-pane img.leaflet-marker-icon")),
		chromedp.WaitVisible(chromedp.CSS(".leaflet-popup-content a")))
	name := browserGet(t, b.ctx, "read the popup", chromedp.Text(chromedp.CSS(".leaflet-popup-content a")))
	do(t, b.ctx, "follow the popup's link", chromedp.Click(chromedp.CSS(".leaflet-popup-content a")))
	b.waitFor(t, `location.pathname.startsWith("/enterprises/") && !!document.querySelector("h1#name")`)
	// Read in the page's own script: a DOM query through chromedp may hold
	// the node ids of the document the click navigated away from.
	if got := eval[string](t, b, `document.querySelector("h1#name").innerText`); got != name {
		t.Errorf("the popup of %q opened %q", name, got)
	}
}

func TestBrowserEditorPostsANeed(t *testing.T) {
	b := newBrowserInstance(t)
	b.signIn(t)
	screenshot(t, b.ctx, "admin")

	b.open(t, "/admin/enterprises/shakyhands/listings/new")
	do(t, b.ctx, "submit without a title",
		chromedp.Click(chromedp.CSS("#f-type")),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Two gallons of plastisol ink, any colour."),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	t.Run("a form error keeps the input", func(t *testing.T) {
		if got := eval[string](t, b, `document.querySelector("#f-description").value`); got != "Two gallons of plastisol ink, any colour." {
			t.Fatalf("description after the error: %q", got)
		}
		if got := eval[string](t, b, `document.querySelector("#f-title").getAttribute("aria-invalid")`); got != "true" {
			t.Fatalf("the title is not marked invalid (aria-invalid=%q)", got)
		}
		if !eval[bool](t, b, `document.querySelector("#f-type").checked`) {
			t.Fatal("the chosen type was lost")
		}
	})

	const title = "Plastisol ink for a union print run"
	do(t, b.ctx, "post the need",
		chromedp.SendKeys(chromedp.CSS("#f-title"), title),
		chromedp.SetValue(chromedp.CSS("#f-category"), "goods"),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice[role="status"]`)),
	)

	t.Run("the need is on the board", func(t *testing.T) {
		b.open(t, "/board?type=need")
		if !eval[bool](t, b, `document.querySelector("main").innerText.includes(`+jsString(title)+`)`) {
			t.Fatal("the new need is not on the board")
		}
	})
	t.Run("the need is in the feed", func(t *testing.T) {
		do(t, b.ctx, "open the needs feed", chromedp.Navigate(b.url+"/feeds/needs.atom"))
		feed := eval[string](t, b, `new XMLSerializer().serializeToString(document)`)
		if !strings.Contains(feed, title) {
			t.Fatalf("the needs feed lacks the new need:\n%.500s", feed)
		}
	})
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestBrowserPhoneWidth(t *testing.T) {
	b := newBrowserInstance(t)
	b.signIn(t)
	do(t, b.ctx, "use a 360 px wide screen", chromedp.EmulateViewport(360, 740))
	for _, path := range []string{"/", "/directory", "/directory?show=needs", "/map", "/board",
		"/enterprises/shakyhands", "/admin", "/admin/enterprises/shakyhands", "/admin/enterprises/shakyhands/listings/new"} {
		b.open(t, path)
		if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("%s is %d px wide on a 360 px screen", path, w)
		}
	}
	for _, path := range []string{"/directory", "/board"} {
		t.Run("the first result is on the first screen of "+path, func(t *testing.T) {
			b.open(t, path)
			top := eval[float64](t, b, `document.querySelector("ul.cards > li").getBoundingClientRect().top + scrollY`)
			t.Logf("the first result of %s starts at y=%.0f", path, top)
			if top >= 740 {
				t.Errorf("the first result of %s starts at y=%.0f, below the 740 px screen", path, top)
			}
			if eval[bool](t, b, `!!document.querySelector("details.filters").open || document.querySelector(".facets").checkVisibility()`) {
				t.Fatal("the facets show before Filters is opened")
			}
			do(t, b.ctx, "open Filters", chromedp.Click(chromedp.CSS(`details.filters > summary`)))
			b.waitFor(t, `document.querySelector("details.filters").open`)
			if !eval[bool](t, b, `[...document.querySelectorAll(".facets summary")].some(s => s.checkVisibility() && s.getBoundingClientRect().width > 0)`) {
				t.Fatal("opening Filters shows no facet")
			}
			if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 360 {
				t.Errorf("%s with its filters open is %d px wide", path, w)
			}
		})
	}
	b.open(t, "/directory")
	screenshot(t, b.ctx, "directory-phone")

	// Admin lists stack their rows: every action is on the screen, none
	// behind a sideways scroll.
	for _, path := range []string{"/admin", "/admin/enterprises/shakyhands", "/admin/users", "/admin/account"} {
		t.Run("the admin list "+path+" fits", func(t *testing.T) {
			b.open(t, path)
			if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 360 {
				t.Errorf("%s is %d px wide on a 360 px screen", path, w)
			}
			n := eval[int](t, b, `document.querySelectorAll("table.admin-list").length`)
			if n == 0 {
				t.Fatalf("%s shows no admin list", path)
			}
			// No list scrolls sideways inside itself, and each of its
			// controls lies within the screen's width.
			if got := eval[int](t, b, `[...document.querySelectorAll("table.admin-list")].filter(e => e.scrollWidth > e.clientWidth).length`); got > 0 {
				t.Errorf("%s: %d of its %d lists scroll sideways", path, got, n)
			}
			off := eval[[]string](t, b, `[...document.querySelectorAll("table.admin-list a, table.admin-list button")].filter(e => {
				const r = e.getBoundingClientRect();
				return r.width === 0 || r.left < 0 || r.right > innerWidth;
			}).map(e => e.textContent.trim())`)
			if len(off) > 0 {
				t.Errorf("%s: controls outside the 360 px screen: %q", path, off)
			}
			if path == "/admin/enterprises/shakyhands" {
				if got := eval[int](t, b, `[...document.querySelectorAll("table.admin-list td.actions button")].filter(e => e.checkVisibility() && e.getBoundingClientRect().right <= innerWidth).length`); got == 0 {
					t.Error("the listings' action buttons are not visible on a 360 px screen")
				}
			}
			if path == "/admin/users" {
				screenshot(t, b.ctx, "admin-users-phone")
			}
		})
	}

	t.Run("a wide screen shows the facets without the Filters toggle", func(t *testing.T) {
		do(t, b.ctx, "use a 1280 px wide screen", chromedp.EmulateViewport(1280, 900))
		b.open(t, "/directory")
		if eval[bool](t, b, `document.querySelector("details.filters > summary").checkVisibility()`) {
			t.Error("the Filters toggle shows on a wide screen")
		}
		if !eval[bool](t, b, `document.querySelector(".facets summary").checkVisibility()`) {
			t.Error("the facets are hidden on a wide screen")
		}
	})
}

func TestBrowserKeyboard(t *testing.T) {
	b := newBrowserInstance(t)
	b.open(t, "/")
	do(t, b.ctx, "press Tab", chromedp.KeyEvent("\t"))
	if got := eval[string](t, b, `document.activeElement.getAttribute("href")`); got != "#content" {
		t.Fatalf("the first Tab reaches %q, want the skip link", got)
	}
	if style := eval[string](t, b, `getComputedStyle(document.activeElement).outlineStyle`); style == "none" {
		t.Fatal("the focused skip link shows no outline")
	}
}
