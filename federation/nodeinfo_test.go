package federation

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func discoveryGET(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

func TestNodeInfo(t *testing.T) {
	rec := discoveryGET(t, fixtureDiscovery(t).Routes(), "/nodeinfo/2.1")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"` {
		t.Errorf("Content-Type %q", ct)
	}
	var ni struct {
		Version  string
		Software struct{ Name, Version string }
		Usage    struct {
			Users      struct{ Total int }
			LocalPosts int
		}
		OpenRegistrations bool
		Metadata          map[string]any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &ni); err != nil {
		t.Fatal(err)
	}
	if ni.Version != "2.1" || ni.Software.Name != "coopdir" || ni.Software.Version != "1.2.3" ||
		ni.Usage.Users.Total != 4 || ni.Usage.LocalPosts != 57 || ni.OpenRegistrations {
		t.Errorf("nodeinfo %+v", ni)
	}
	if ni.Metadata["nodeName"] != "Cooperation Springfield" || ni.Metadata["instanceActor"] != "https://coop.example/actor" ||
		ni.Metadata["enterprises"] != 12.0 || ni.Metadata["listings"] != 30.0 {
		t.Errorf("metadata %v", ni.Metadata)
	}
}

func TestNodeInfoIndexLinksTheInstanceActor(t *testing.T) {
	rec := discoveryGET(t, fixtureDiscovery(t).Routes(), "/.well-known/nodeinfo")
	var idx struct{ Links []JRDLink }
	if err := json.Unmarshal(rec.Body.Bytes(), &idx); err != nil {
		t.Fatal(err)
	}
	want := []JRDLink{
		{Rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", Href: "https://coop.example/nodeinfo/2.1"},
		{Rel: "https://www.w3.org/ns/activitystreams#Application", Href: "https://coop.example/actor"},
	}
	if len(idx.Links) != 2 || idx.Links[0] != want[0] || idx.Links[1] != want[1] {
		t.Errorf("links %+v", idx.Links)
	}
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Error("no CORS header")
	}
}

func TestNodeInfoHidesAFailingCount(t *testing.T) {
	d := fixtureDiscovery(t)
	d.Usage = func(context.Context) (NodeUsage, error) { return NodeUsage{}, errors.New("database is down") }
	rec := discoveryGET(t, d.Routes(), "/nodeinfo/2.1")
	if rec.Code != http.StatusInternalServerError || rec.Body.String() != "internal error\n" {
		t.Errorf("status %d body %q", rec.Code, rec.Body)
	}
}

func TestNodeInfoNamesTheSoftwareSafely(t *testing.T) {
	d := fixtureDiscovery(t)
	d.Software, d.Version = "Coop Dir!", ""
	if d.softwareName() != "coopdir" || d.softwareVersion() != "unknown" {
		t.Errorf("name %q version %q", d.softwareName(), d.softwareVersion())
	}
}
