package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/demo"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/directory/sqlite"
	"github.com/coopdir/coopdir/directory/totp"
	"github.com/coopdir/coopdir/instance/instancetest"
	"github.com/coopdir/coopdir/web"
)

// newBareEnv starts an instance over an empty SQLite directory (no
// enterprises, no users); change may adjust its options.
func newBareEnv(t *testing.T, change ...func(*web.Options)) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "coopdir.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := directory.NewService(db, markdown.New().Render, password.Hasher{P: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	// A clock that ticks a second per reading keeps "newest first" orders strict.
	clock := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	svc.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	svc.Codes, svc.Secret = totp.Codes{}, []byte("a web test instance secret")
	e := &env{t: t, db: db, svc: svc, logs: &instancetest.SyncBuffer{}}
	e.srv = httptest.NewServer(nil)
	t.Cleanup(e.srv.Close)
	opt := web.Options{BaseURL: e.srv.URL, Logger: slog.New(slog.NewTextHandler(e.logs, nil)),
		NetworkName: "Cooperation Testville", NetworkDescription: "Co-ops of Testville, working together.",
		Health: db.Ping}
	for _, c := range change {
		c(&opt)
	}
	e.srv.Config.Handler = web.New(svc, opt)
	return e
}

// newDemoEnv starts an instance holding the demo directory.
func newDemoEnv(t *testing.T, change ...func(*web.Options)) *env {
	t.Helper()
	e := newBareEnv(t, change...)
	if err := demo.Load(context.Background(), e.svc); err != nil {
		t.Fatal(err)
	}
	return e
}

// page GETs an HTML page and checks its status and type.
func (e *env) page(t *testing.T, path string, status int) string {
	t.Helper()
	r := e.get(path).want(t, status)
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	if r.Header.Get("Content-Security-Policy") == "" {
		t.Error("no Content-Security-Policy")
	}
	return string(r.Body)
}

func contains(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", page)
	}
}

func idText(n int64) string { return strconv.FormatInt(n, 10) }

func lacks(t *testing.T, page string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(page, w) {
			t.Errorf("page has %q", w)
		}
	}
}

func TestHomePage(t *testing.T) {
	e := newEnv(t)
	e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Walnut offcuts","category":"goods"}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Ladder loans","category":"tools"}`)
	gone := e.createListing(`{"enterprise":"riverside","type":"offer","title":"Given away","category":"tools","status":"fulfilled"}`)
	e.send(http.MethodPost, "/api/v1/enterprises/shakyhands/announcements", e.editor, `{"content":"Open **workshop** day"}`).want(t, http.StatusCreated)

	t.Run("shows the network, counts and a search box that goes to the directory", func(t *testing.T) {
		page := e.page(t, "/", http.StatusOK)
		contains(t, page, "<h1>Cooperation Testville</h1>", "Co-ops of Testville, working together.",
			`action="/directory"`, `<label class="grow" for="q">`, `id="q" name="q"`,
			"<strong>2</strong> enterprises", "<strong>1</strong> open need", "<strong>1</strong> open offer", "<strong>1</strong> announcement")
	})
	t.Run("shows the newest open needs, offers and announcements, linked to their pages", func(t *testing.T) {
		page := e.page(t, "/", http.StatusOK)
		contains(t, page, "Walnut offcuts", "Ladder loans", `href="/listings/`, "Open <strong>workshop</strong> day",
			`href="/announcements/`, `href="/enterprises/shakyhands"`)
		lacks(t, page, "Given away", `/listings/`+idText(gone.ID)+`"`)
	})
	t.Run("shows the about text an admin wrote", func(t *testing.T) {
		sys := directory.AsSystem(context.Background())
		about, name := "We are *many*.", "Testville Co-op Network"
		if _, err := e.svc.UpdateSettings(sys, directory.SettingsUpdate{About: &about, NetworkName: &name}); err != nil {
			t.Fatal(err)
		}
		page := e.page(t, "/", http.StatusOK)
		contains(t, page, "We are <em>many</em>.", "<h1>Testville Co-op Network</h1>", "<title>Testville Co-op Network</title>")
	})
	t.Run("links the site's feeds for autodiscovery", func(t *testing.T) {
		contains(t, e.page(t, "/", http.StatusOK), `<link rel="alternate" type="application/atom+xml"`, `href="/feeds/needs.atom"`)
	})
}

func TestHomePageOfAnEmptyDirectory(t *testing.T) {
	e := newBareEnv(t)
	page := e.page(t, "/", http.StatusOK)
	contains(t, page, "<strong>0</strong> enterprises", "No open needs right now.", "No open offers right now.", "No announcements yet.")
}

func TestPagesOfSignedInPeopleAreNotShared(t *testing.T) {
	e := newEnv(t)
	anon := e.get("/directory").want(t, http.StatusOK)
	if cc := anon.Header.Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("anonymous Cache-Control %q", cc)
	}
	contains(t, string(anon.Body), `<a href="/login">Sign in</a>`)
	r := e.browser().signIn("admin@test.example").get("/directory").want(t, http.StatusOK)
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("signed-in Cache-Control %q", cc)
	}
	contains(t, string(r.Body), `<a href="/admin">Admin</a>`, `<form method="post" action="/logout"><button class="linklike" type="submit">Sign out</button></form>`)
	lacks(t, string(r.Body), `href="/login"`)
}
