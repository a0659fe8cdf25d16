package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// getRaw sends a GET with the given headers (name, value, ...) and reads the
// body as it came, without the client's transparent gzip decoding.
func (e *env) getRaw(path string, headers ...string) reply {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return readReply(e.t, &http.Client{Transport: &http.Transport{DisableCompression: true}}, req)
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCompression(t *testing.T) {
	e := newEnv(t, withActivityPub)
	e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Walnut","category":"goods"}`)
	for _, tt := range []struct{ path, accept, contentType string }{
		{"/", "text/html", "text/html"},
		{"/directory?q=wood", "text/html", "text/html"},
		{"/api/v1/enterprises", "application/json", "application/json"},
		{"/api/v1/listings/999", "application/json", "application/problem+json"},
		{"/feeds/needs.atom", "", "application/atom+xml"},
		{"/sitemap.xml", "", "application/xml"},
		{"/enterprises/shakyhands", "application/activity+json", "application/activity+json"},
	} {
		t.Run("gzips "+tt.path+" as "+tt.contentType, func(t *testing.T) {
			plain := e.getRaw(tt.path, "Accept", tt.accept)
			if plain.Header.Get("Content-Encoding") != "" {
				t.Fatalf("compressed for a client that did not ask: %q", plain.Header.Get("Content-Encoding"))
			}
			r := e.getRaw(tt.path, "Accept", tt.accept, "Accept-Encoding", "gzip")
			if !strings.HasPrefix(r.Header.Get("Content-Type"), tt.contentType) {
				t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
			}
			if r.Header.Get("Content-Encoding") != "gzip" || !varies(r.Header, "Accept-Encoding") || r.Status != plain.Status {
				t.Fatalf("status %d, Content-Encoding %q, Vary %q", r.Status, r.Header.Get("Content-Encoding"), r.Header.Values("Vary"))
			}
			if got := gunzip(t, r.Body); !bytes.Equal(got, plain.Body) {
				t.Errorf("decompressed body differs from the plain one:\n%s\n---\n%s", got, plain.Body)
			}
		})
	}
	t.Run("leaves an image alone", func(t *testing.T) {
		if r := e.getRaw("/favicon.ico", "Accept-Encoding", "gzip"); r.Header.Get("Content-Encoding") != "" {
			t.Errorf("favicon sent with Content-Encoding %q", r.Header.Get("Content-Encoding"))
		}
	})
}

func TestFaviconAndRobots(t *testing.T) {
	e := newEnv(t)
	t.Run("serves the icon at /favicon.ico, and pages link it", func(t *testing.T) {
		r := e.get("/favicon.ico").want(t, http.StatusOK)
		if r.Header.Get("Content-Type") != "image/x-icon" || !bytes.HasPrefix(r.Body, []byte{0, 0, 1, 0}) || r.Header.Get("Cache-Control") == "" {
			t.Fatalf("Content-Type %q, %d bytes starting %x", r.Header.Get("Content-Type"), len(r.Body), r.Body[:min(4, len(r.Body))])
		}
		page := e.page(t, "/", http.StatusOK)
		contains(t, page, `<link rel="icon" href="/favicon.ico" sizes="32x32">`, `favicon.svg" type="image/svg+xml">`)
	})
	t.Run("robots.txt keeps crawlers out of accounts and names the sitemap", func(t *testing.T) {
		r := e.get("/robots.txt").want(t, http.StatusOK)
		body := string(r.Body)
		contains(t, body, "User-agent: *\n", "Disallow: /admin\n", "Disallow: /login\n", "Disallow: /invitations/\n",
			"Sitemap: "+e.srv.URL+"/sitemap.xml\n")
		lacks(t, body, "Disallow: /\n", "Disallow: /directory")
	})
}

type sitemapDoc struct {
	Sitemaps []string `xml:"sitemap>loc"`
	URLs     []string `xml:"url>loc"`
}

func (e *env) sitemap(t *testing.T, path string) sitemapDoc {
	t.Helper()
	r := e.get(path).want(t, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	var d sitemapDoc
	if err := xml.Unmarshal(r.Body, &d); err != nil {
		t.Fatalf("%s: %v", r.Body, err)
	}
	return d
}

func TestSitemap(t *testing.T) {
	e := newEnv(t)
	ctx := directory.AsSystem(context.Background())
	open := e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Walnut","category":"goods"}`)
	gone := e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Given","category":"goods","status":"fulfilled"}`)
	a := &directory.Announcement{Content: "Open house"}
	if err := e.svc.CreateAnnouncement(ctx, "riverside", a); err != nil {
		t.Fatal(err)
	}
	url := func(p string) string { return e.srv.URL + p }

	t.Run("the index lists a part of each kind", func(t *testing.T) {
		d := e.sitemap(t, "/sitemap.xml")
		want := []string{url("/sitemaps/pages.xml"), url("/sitemaps/enterprises-1.xml"), url("/sitemaps/listings-1.xml"), url("/sitemaps/announcements-1.xml")}
		if fmt.Sprint(d.Sitemaps) != fmt.Sprint(want) {
			t.Fatalf("index %v, want %v", d.Sitemaps, want)
		}
	})
	t.Run("the parts list the public pages", func(t *testing.T) {
		pages := e.sitemap(t, "/sitemaps/pages.xml").URLs
		for _, p := range []string{"/", "/directory", "/board", "/announcements"} {
			if !containsString(pages, url(p)) {
				t.Errorf("pages lack %s: %v", p, pages)
			}
		}
		if got := e.sitemap(t, "/sitemaps/enterprises-1.xml").URLs; fmt.Sprint(got) != fmt.Sprint([]string{url("/enterprises/riverside"), url("/enterprises/shakyhands")}) {
			t.Errorf("enterprises %v", got)
		}
		got := e.sitemap(t, "/sitemaps/listings-1.xml").URLs
		if !containsString(got, url(fmt.Sprintf("/listings/%d", open.ID))) || containsString(got, url(fmt.Sprintf("/listings/%d", gone.ID))) {
			t.Errorf("listings %v: want the open one only", got)
		}
		if got := e.sitemap(t, "/sitemaps/announcements-1.xml").URLs; fmt.Sprint(got) != fmt.Sprint([]string{url(fmt.Sprintf("/announcements/%d", a.ID))}) {
			t.Errorf("announcements %v", got)
		}
	})
	t.Run("a part that does not exist is not found", func(t *testing.T) {
		for _, p := range []string{"listings-0", "listings-2", "listings-01", "listings-x", "listings--1", "listings", "people-1", "pages-1", "listings-99999999999999999999"} {
			if r := e.get("/sitemaps/" + p + ".xml"); r.Status != http.StatusNotFound {
				t.Errorf("%s: status %d", p, r.Status)
			}
		}
	})
	t.Run("pages a large directory", func(t *testing.T) {
		for i := range 1001 {
			l := &directory.Listing{Type: directory.Offer, Title: fmt.Sprintf("Spare part %d", i), Category: "goods"}
			if err := e.svc.CreateListing(ctx, "riverside", l); err != nil {
				t.Fatal(err)
			}
		}
		d := e.sitemap(t, "/sitemap.xml")
		if !containsString(d.Sitemaps, url("/sitemaps/listings-2.xml")) || containsString(d.Sitemaps, url("/sitemaps/listings-3.xml")) {
			t.Fatalf("index %v", d.Sitemaps)
		}
		first, second := e.sitemap(t, "/sitemaps/listings-1.xml").URLs, e.sitemap(t, "/sitemaps/listings-2.xml").URLs
		if len(first) != 1000 || len(second) != 2 {
			t.Fatalf("%d and %d listings, want 1000 and 2", len(first), len(second))
		}
		for _, u := range second {
			if containsString(first, u) {
				t.Errorf("%s is in both parts", u)
			}
		}
	})
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
