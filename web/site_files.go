package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5/middleware"
)

// compressedTypes are the content types sent gzipped (or deflated) to
// clients that accept it: pages, feeds, and every JSON this instance
// serves, ActivityPub's and GeoJSON included. Static files come
// compressed already (see static.go), which the middleware leaves be.
var compressedTypes = []string{
	"text/html", "text/plain", "text/css", "text/javascript", "image/svg+xml",
	"application/json", "application/problem+json", "application/activity+json", "application/ld+json",
	"application/jrd+json", "application/geo+json", "application/atom+xml", "application/xml", "application/xrd+xml",
}

// compress is the compressing middleware, at a level that costs little CPU.
var compress = middleware.Compress(5, compressedTypes...)

// The files a site is expected to have at its root: /favicon.ico (for
// browsers that ask for it whatever the page links) and /robots.txt. The
// sitemap is in sitemap.go.

// cacheDay is the lifetime of root files, whose address has no version.
const cacheDay = "public, max-age=86400"

// favicon answers GET /favicon.ico with the embedded icon.
func (s *server) favicon(w http.ResponseWriter, r *http.Request) {
	f := assets.files["favicon.ico"]
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", cacheDay)
	h.Set("ETag", f.etag)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(f.body)
}

// robotsDisallowed are the paths no crawler has business with: accounts,
// admin, one-time links, and the JSON API (the pages show the same).
var robotsDisallowed = []string{"/admin", "/login", "/invitations/", "/password-reset/", "/api/"}

// robots answers GET /robots.txt: everything public may be crawled, and
// the sitemap says where it is.
func (s *server) robots(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range robotsDisallowed {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("\nSitemap: " + s.url("/sitemap.xml") + "\n")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", cacheDay)
	_, _ = w.Write([]byte(b.String()))
}
