package federation

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// fixtureDiscovery answers for an instance at https://coop.example with one
// enterprise, shakyhands.
func fixtureDiscovery(t testing.TB) *Discovery {
	return &Discovery{
		URLs: fixtureURLs(t),
		Lookup: func(_ context.Context, handle string) (bool, error) {
			if handle == "broken" {
				return false, errors.New("database is down")
			}
			return handle == "shakyhands", nil
		},
		Software: "coopdir", Version: "1.2.3",
		NetworkName: func(context.Context) string { return "Cooperation Springfield" },
		Usage: func(context.Context) (NodeUsage, error) {
			return NodeUsage{Users: 4, Enterprises: 12, Listings: 30, LocalPosts: 57}, nil
		},
	}
}

func askWebFinger(t *testing.T, d *Discovery, resource string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	target := "/.well-known/webfinger"
	if resource != "" {
		target += "?resource=" + url.QueryEscape(resource)
	}
	d.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

func TestWebFingerResolves(t *testing.T) {
	d := fixtureDiscovery(t)
	for _, c := range []struct{ name, resource, subject, self, page string }{
		{"an enterprise by acct", "acct:shakyhands@coop.example", "acct:shakyhands@coop.example",
			"https://coop.example/enterprises/shakyhands", "https://coop.example/enterprises/shakyhands"},
		{"an enterprise by its actor URL", "https://coop.example/enterprises/shakyhands", "acct:shakyhands@coop.example",
			"https://coop.example/enterprises/shakyhands", "https://coop.example/enterprises/shakyhands"},
		{"the host in any case", "acct:ShakyHands@COOP.Example", "acct:shakyhands@coop.example",
			"https://coop.example/enterprises/shakyhands", "https://coop.example/enterprises/shakyhands"},
		{"an address without the acct scheme", "shakyhands@coop.example", "acct:shakyhands@coop.example",
			"https://coop.example/enterprises/shakyhands", "https://coop.example/enterprises/shakyhands"},
		{"the network", "acct:network@coop.example", "acct:network@coop.example",
			"https://coop.example/network", "https://coop.example/"},
		{"the instance", "acct:instance@coop.example", "acct:instance@coop.example",
			"https://coop.example/actor", "https://coop.example/"},
		{"the instance by its actor URL", "https://coop.example/actor", "acct:instance@coop.example",
			"https://coop.example/actor", "https://coop.example/"},
		{"needs", "acct:needs@coop.example", "acct:needs@coop.example",
			"https://coop.example/needs", "https://coop.example/needs"},
		{"offers", "https://coop.example/offers", "acct:offers@coop.example",
			"https://coop.example/offers", "https://coop.example/offers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := askWebFinger(t, d, c.resource)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/jrd+json" {
				t.Errorf("Content-Type %q", ct)
			}
			if o := rec.Header().Get("Access-Control-Allow-Origin"); o != "*" {
				t.Errorf("Access-Control-Allow-Origin %q", o)
			}
			var j JRD
			if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil {
				t.Fatal(err)
			}
			if j.Subject != c.subject || len(j.Aliases) != 1 || j.Aliases[0] != c.self {
				t.Errorf("subject %q aliases %v", j.Subject, j.Aliases)
			}
			want := []JRDLink{
				{Rel: "self", Type: "application/activity+json", Href: c.self},
				{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: c.page},
			}
			if len(j.Links) != 2 || j.Links[0] != want[0] || j.Links[1] != want[1] {
				t.Errorf("links %+v, want %+v", j.Links, want)
			}
		})
	}
}

func TestWebFingerRefuses(t *testing.T) {
	d := fixtureDiscovery(t)
	for _, c := range []struct {
		name, resource string
		status         int
	}{
		{"a missing resource", "", http.StatusBadRequest},
		{"an acct without host", "acct:shakyhands", http.StatusBadRequest},
		{"an acct without user", "acct:@coop.example", http.StatusBadRequest},
		{"a bare word", "shakyhands", http.StatusBadRequest},
		{"an unknown enterprise", "acct:nobody@coop.example", http.StatusNotFound},
		{"another host", "acct:shakyhands@other.example", http.StatusNotFound},
		{"our host with another port", "acct:shakyhands@coop.example:8443", http.StatusNotFound},
		{"a reserved handle that is no actor", "acct:admin@coop.example", http.StatusNotFound},
		{"an invalid handle", "acct:Bad..Handle@coop.example", http.StatusNotFound},
		{"a page that is no actor", "https://coop.example/enterprises/shakyhands/outbox", http.StatusNotFound},
		{"an actor URL of another host", "https://other.example/enterprises/shakyhands", http.StatusNotFound},
		{"another scheme", "mailto:shakyhands@coop.example", http.StatusNotFound},
		{"a failing lookup, without details", "acct:broken@coop.example", http.StatusInternalServerError},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := askWebFinger(t, d, c.resource)
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, c.status, rec.Body)
			}
			if o := rec.Header().Get("Access-Control-Allow-Origin"); o != "*" {
				t.Errorf("Access-Control-Allow-Origin %q", o)
			}
			if c.status == http.StatusInternalServerError && rec.Body.String() != "internal error\n" {
				t.Errorf("body %q leaks the cause", rec.Body)
			}
		})
	}
}

func TestWebFingerComparesThePort(t *testing.T) {
	d := fixtureDiscovery(t)
	u, err := NewURLs("http://localhost:8080/")
	if err != nil {
		t.Fatal(err)
	}
	d.URLs = u
	if rec := askWebFinger(t, d, "acct:shakyhands@LOCALHOST:8080"); rec.Code != http.StatusOK {
		t.Errorf("with the port: status %d", rec.Code)
	}
	if rec := askWebFinger(t, d, "acct:shakyhands@localhost"); rec.Code != http.StatusNotFound {
		t.Errorf("without the port: status %d, want 404", rec.Code)
	}
	var j JRD
	rec := askWebFinger(t, d, "http://localhost:8080/enterprises/shakyhands")
	_ = json.Unmarshal(rec.Body.Bytes(), &j)
	if j.Subject != "acct:shakyhands@localhost:8080" {
		t.Errorf("subject %q", j.Subject)
	}
}

func TestDiscoveryRefusesOtherMethods(t *testing.T) {
	rec := httptest.NewRecorder()
	fixtureDiscovery(t).Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/.well-known/webfinger?resource=acct:shakyhands@coop.example", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("status %d, want 405", rec.Code)
	}
}
