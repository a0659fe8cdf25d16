package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCompressTypes(t *testing.T) {
	body := strings.Repeat(`{"type":"Feature","geometry":{"type":"Point","coordinates":[-87.91,43.04]}}`, 50)
	for ct, want := range map[string]string{
		"application/geo+json":      "gzip",
		"application/activity+json": "gzip",
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`: "gzip",
		"application/jrd+json":     "gzip",
		"text/html; charset=utf-8": "gzip",
		"image/png":                "",
		"application/octet-stream": "",
	} {
		h := compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write([]byte(body))
		}))
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if got := rec.Header().Get("Content-Encoding"); got != want {
			t.Errorf("%s: Content-Encoding %q, want %q", ct, got, want)
		}
		if want != "" && rec.Body.Len() >= len(body)/4 {
			t.Errorf("%s: %d bytes of %d", ct, rec.Body.Len(), len(body))
		}
	}
}
