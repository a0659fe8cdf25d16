package web_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// fetch GETs path with extra request headers, without decompressing.
func (e *env) fetch(t *testing.T, path string, header ...string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func TestStaticFiles(t *testing.T) {
	e := newBareEnv(t)
	css := regexp.MustCompile(`href="(/static/[0-9a-f]+/site\.css)"`).FindStringSubmatch(e.page(t, "/", http.StatusOK))
	if css == nil {
		t.Fatal("the home page links no versioned stylesheet")
	}
	version := strings.Split(css[1], "/")[2]
	t.Run("serves a versioned file for a year with its type", func(t *testing.T) {
		r := e.fetch(t, css[1]).want(t, http.StatusOK)
		if r.Header.Get("Content-Type") != "text/css; charset=utf-8" || r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("ETag") == "" || !strings.Contains(string(r.Body), ":focus-visible") {
			t.Fatalf("headers %v", r.Header)
		}
	})
	t.Run("types scripts and images", func(t *testing.T) {
		for path, ct := range map[string]string{
			"vendor/leaflet/leaflet.js": "text/javascript; charset=utf-8", "map.js": "text/javascript; charset=utf-8",
			"vendor/leaflet/leaflet.css": "text/css; charset=utf-8", "vendor/leaflet/images/marker-icon.png": "image/png",
			"vendor/leaflet/LICENSE": "text/plain; charset=utf-8",
		} {
			if got := e.fetch(t, "/static/"+version+"/"+path).want(t, http.StatusOK).Header.Get("Content-Type"); got != ct {
				t.Errorf("%s: Content-Type %q, want %q", path, got, ct)
			}
		}
	})
	t.Run("compresses text for clients that take gzip", func(t *testing.T) {
		plain := e.fetch(t, "/static/"+version+"/vendor/leaflet/leaflet.js")
		r := e.fetch(t, "/static/"+version+"/vendor/leaflet/leaflet.js", "Accept-Encoding", "br, gzip")
		if r.Header.Get("Content-Encoding") != "gzip" || len(r.Body) >= len(plain.Body)/2 || r.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("gzip %d bytes of %d, headers %v", len(r.Body), len(plain.Body), r.Header)
		}
		if r.Header.Get("ETag") == plain.Header.Get("ETag") {
			t.Error("the gzipped and plain bodies share an ETag")
		}
		if r := e.fetch(t, "/static/"+version+"/vendor/leaflet/images/layers.png", "Accept-Encoding", "gzip"); r.Header.Get("Content-Encoding") != "" {
			t.Error("a PNG is gzipped")
		}
	})
	t.Run("answers 304 to a matching ETag", func(t *testing.T) {
		etag := e.fetch(t, css[1]).Header.Get("ETag")
		e.fetch(t, css[1], "If-None-Match", etag).want(t, http.StatusNotModified)
	})
	t.Run("serves an old version briefly", func(t *testing.T) {
		r := e.fetch(t, "/static/0123456789ab/site.css").want(t, http.StatusOK)
		if r.Header.Get("Cache-Control") != "public, max-age=60" {
			t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
		}
	})
	t.Run("404 for a file that does not exist", func(t *testing.T) {
		e.fetch(t, "/static/"+version+"/nothing.css").want(t, http.StatusNotFound)
		e.fetch(t, "/static/"+version+"/../web.go").want(t, http.StatusNotFound)
	})
}

// pageBudget is the most HTML, CSS and JavaScript (before images) that a
// page may weigh.
const pageBudget = 100_000

// weigh returns the size of a page with the stylesheets and scripts it
// loads, as served plainly and as sent to a browser that takes gzip (the
// instance compresses its static files, not its pages).
func (e *env) weigh(t *testing.T, path string) (plain, sent int) {
	t.Helper()
	r := e.fetch(t, path)
	plain, sent = len(r.Body), len(r.Body)
	for _, ref := range scriptsAndStyles(string(r.Body)) {
		plain += len(e.fetch(t, ref).want(t, http.StatusOK).Body)
		sent += len(e.fetch(t, ref, "Accept-Encoding", "gzip").Body)
	}
	return plain, sent
}

func TestPageWeight(t *testing.T) {
	e := newDemoEnv(t)
	ctx := context.Background()
	res, err := e.svc.SearchListings(ctx, directory.ListingQuery{Page: directory.Page{Page: 1, PerPage: 1}})
	if err != nil || len(res.Items) == 0 {
		t.Fatal("no demo listing", err)
	}
	posts, _, err := e.svc.RecentAnnouncements(ctx, directory.AnnouncementQuery{Page: directory.Page{Page: 1, PerPage: 1}})
	if err != nil || len(posts) == 0 {
		t.Fatal("no demo announcement", err)
	}
	pages := []string{"/", "/directory", "/directory?show=needs", "/directory?sort=bad", "/board", "/enterprises/shakyhands",
		"/listings/" + idText(res.Items[0].ID), "/announcements/" + idText(posts[0].ID), "/nowhere", "/map"}
	for _, path := range pages {
		plain, sent := e.weigh(t, path)
		t.Logf("%-28s %7d bytes, %7d sent gzipped", path, plain, sent)
		switch {
		case path == "/map":
			// Minified Leaflet is 147 KB of script and 15 KB of CSS, and
			// markercluster 34 KB: the map page is over the budget as
			// served plainly (about 235 KB), and under it as sent to
			// browsers, which all take gzip.
			if sent > pageBudget {
				t.Errorf("%s sends %d bytes gzipped, over %d", path, sent, pageBudget)
			}
			e.weighMapData(t)
		case plain > pageBudget*3/10:
			// A tripwire far under the budget: the enterprise page, the
			// heaviest, weighs about 25.7 KB with its follow script, the
			// language switcher and its scripts' texts (24.4 KB before
			// those texts, 2026-12-08).
			t.Errorf("%s weighs %d bytes, far more than a page without a map should", path, plain)
		}
	}
}

// mapDataBudget bounds what the map reads in the background, gzipped: the
// GeoJSON of its results and, at the zoom of a city, the 1:50m countries
// and the US states (at world zoom the 1:110m countries instead).
const mapDataBudget = 300_000

// weighMapData logs and bounds the data the map page's script reads.
func (e *env) weighMapData(t *testing.T) {
	t.Helper()
	d := readIsland(t, string(e.fetch(t, "/map").Body))
	total := 0
	for _, ref := range []string{d.GeoJSON, d.Background.World110, d.Background.World50, d.Background.States} {
		plain := len(e.fetch(t, ref).want(t, http.StatusOK).Body)
		sent := len(e.fetch(t, ref, "Accept-Encoding", "gzip").Body)
		t.Logf("  map data %-44.44s %7d bytes, %7d sent gzipped", ref, plain, sent)
		if ref != d.Background.World110 {
			total += sent
		}
	}
	if total > mapDataBudget {
		t.Errorf("the map reads %d bytes gzipped in the background, over %d", total, mapDataBudget)
	}
}
