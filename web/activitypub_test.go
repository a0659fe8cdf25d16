package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/web"
)

// apStub stands in for the federation server: it names the request it got.
var apStub = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/activity+json")
	_, _ = w.Write([]byte("activitypub " + r.Method + " " + r.URL.Path))
})

func withActivityPub(o *web.Options) { o.ActivityPub = apStub }

func (e *env) getAccept(path, accept string) reply {
	e.t.Helper()
	return e.doAccept(http.MethodGet, path, accept)
}

func (e *env) doAccept(method, path, accept string) reply {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return readReply(e.t, e.srv.Client(), req)
}

func wentToActivityPub(r reply) bool { return strings.HasPrefix(string(r.Body), "activitypub ") }

const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

func TestActivityPubNegotiation(t *testing.T) {
	e := newEnv(t, withActivityPub)
	tests := []struct {
		name, method, path, accept string
		toAP                       bool
	}{
		{"WebFinger goes to ActivityPub whatever the Accept", "GET", "/.well-known/webfinger?resource=acct:x@y", browserAccept, true},
		{"NodeInfo goes to ActivityPub", "GET", "/nodeinfo/2.1", "", true},
		{"any method under /.well-known goes to ActivityPub", "POST", "/.well-known/host-meta", "", true},
		{"the network actor asked as activity+json", "GET", "/network", "application/activity+json", true},
		{"the network actor for a browser is a page", "GET", "/network", browserAccept, false},
		{"the instance actor asked as activity+json", "GET", "/actor", "application/activity+json", true},
		{"an instance actor's collection goes to ActivityPub", "GET", "/needs/outbox", "", true},
		{"an enterprise asked as activity+json", "GET", "/enterprises/shakyhands", "application/activity+json", true},
		{"an enterprise asked as ld+json with the profile", "GET", "/enterprises/shakyhands",
			`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, true},
		{"an enterprise asked as ld+json without the profile", "HEAD", "/enterprises/shakyhands", "application/ld+json", true},
		{"a listing asked among other types", "GET", "/listings/1", "text/html;q=0.5, application/activity+json", true},
		{"an announcement's Create", "GET", "/announcements/1/create", "application/activity+json", true},
		{"an enterprise for a browser", "GET", "/enterprises/shakyhands", browserAccept, false},
		{"an enterprise without Accept", "GET", "/enterprises/shakyhands", "", false},
		{"an ActivityPub type refused with q=0", "GET", "/enterprises/shakyhands", "application/activity+json;q=0, text/html", false},
		{"a POST with an ActivityPub Accept", "POST", "/enterprises/shakyhands", "application/activity+json", false},
		{"a page that is no ActivityPub object", "GET", "/directory", "application/activity+json", false},
		{"the API", "GET", "/api/v1/enterprises", "application/ld+json", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			r := e.doAccept(tt.method, tt.path, tt.accept)
			if tt.method == http.MethodHead {
				if got := r.Header.Get("Content-Type") == "application/activity+json"; got != tt.toAP {
					t.Errorf("went to ActivityPub: %v, want %v (Content-Type %q)", got, tt.toAP, r.Header.Get("Content-Type"))
				}
				return
			}
			if got := wentToActivityPub(r); got != tt.toAP {
				t.Errorf("went to ActivityPub: %v, want %v (status %d, body %.80q)", got, tt.toAP, r.Status, r.Body)
			}
		})
	}
}

func TestHTMLAtSharedURLsVariesByAccept(t *testing.T) {
	e := newEnv(t, withActivityPub)
	r := e.getAccept("/enterprises/shakyhands", browserAccept).want(t, http.StatusOK)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	if !varies(r.Header, "Accept") || !varies(r.Header, "Cookie") {
		t.Errorf("Vary %q, want Accept beside the page's own Cookie", r.Header.Values("Vary"))
	}
	if r := e.getAccept("/enterprises/nobody", browserAccept); r.Status != http.StatusNotFound || !varies(r.Header, "Accept") {
		t.Errorf("missing enterprise: status %d, Vary %q", r.Status, r.Header.Values("Vary"))
	}
	// The search pages vary by Accept for their GeoJSON (geojson_test.go).
	if h := e.getAccept("/", browserAccept).Header; varies(h, "Accept") {
		t.Errorf("a page only web serves varies by Accept: %q", h.Values("Vary"))
	}
}

// varies reports whether the Vary headers of h name the header token.
func varies(h http.Header, token string) bool {
	for _, v := range h.Values("Vary") {
		for part := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}

func TestWithoutActivityPubEveryPathStaysWeb(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/network/outbox", "/.well-known/webfinger?resource=acct:shakyhands@x"} {
		if r := e.getAccept(path, "application/activity+json"); r.Status != http.StatusNotFound || wentToActivityPub(r) {
			t.Errorf("%s: status %d, body %.80q", path, r.Status, r.Body)
		}
	}
	if r := e.getAccept("/enterprises/shakyhands", "application/activity+json"); r.Status != http.StatusOK ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Errorf("enterprise page: status %d, Content-Type %q", r.Status, r.Header.Get("Content-Type"))
	}
}
