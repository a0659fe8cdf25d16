package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// featureCollection is a GeoJSON answer as a client reads it.
type featureCollection struct {
	Type     string
	Features []struct {
		Type     string
		ID       string
		Geometry struct {
			Type        string
			Coordinates []float64
		}
		Properties struct {
			Name, Entry, Kind, Category, Label, Origin, URL, Enterprise, Address string
		}
	}
	Truncated bool
	Limit     int
}

// features GETs path (with the headers given as name, value pairs), checks
// that the answer is GeoJSON and decodes it.
func (e *env) features(t *testing.T, path string, header ...string) featureCollection {
	t.Helper()
	r := e.fetch(t, path, header...).want(t, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "application/geo+json" {
		t.Fatalf("%s: Content-Type %q", path, ct)
	}
	var fc featureCollection
	if err := json.Unmarshal(r.Body, &fc); err != nil || fc.Type != "FeatureCollection" {
		t.Fatalf("%s: %v\n%s", path, err, r.Body)
	}
	return fc
}

func (fc featureCollection) names() []string {
	out := []string{}
	for _, f := range fc.Features {
		out = append(out, f.Properties.Name)
	}
	return out
}

func TestGeoJSON(t *testing.T) {
	e := newEnv(t) // shakyhands has a point, riverside has none
	sys := directory.AsSystem(context.Background())
	l := &directory.Listing{Type: directory.Need, Title: "Plastisol ink", Category: "goods"}
	if err := e.svc.CreateListing(sys, "shakyhands", l); err != nil {
		t.Fatal(err)
	}

	t.Run("answers a directory search as a FeatureCollection in longitude, latitude order", func(t *testing.T) {
		fc := e.features(t, "/directory?format=geojson")
		if len(fc.Features) != 1 || fc.Truncated || fc.Limit != directory.MaxPoints {
			t.Fatalf("features %+v", fc)
		}
		f := fc.Features[0]
		p := f.Properties
		if f.Type != "Feature" || f.Geometry.Type != "Point" || len(f.Geometry.Coordinates) != 2 ||
			f.Geometry.Coordinates[0] != -87.91 || f.Geometry.Coordinates[1] != 43.04 {
			t.Errorf("geometry %+v", f.Geometry)
		}
		if p.Name != "Shaky Hands Carpentry" || p.Entry != "enterprise" || p.Kind != "worker_coop" || p.Label != "Worker co-op" ||
			p.Origin != "local" || p.URL != e.srv.URL+"/enterprises/shakyhands" || f.ID != p.URL || p.Address != "Milwaukee, WI" {
			t.Errorf("properties %+v (id %s)", p, f.ID)
		}
	})

	t.Run("leaves out entries without coordinates", func(t *testing.T) {
		if fc := e.features(t, "/directory?format=geojson&q=riverside"); len(fc.Features) != 0 {
			t.Errorf("riverside has no point but is a feature: %+v", fc.Features)
		}
	})

	t.Run("answers Accept: application/geo+json on the board and the listing API", func(t *testing.T) {
		for _, path := range []string{"/board", "/board?type=need&category=goods", "/directory?show=needs", "/api/v1/listings?type=need"} {
			fc := e.features(t, path, "Accept", "application/geo+json")
			if len(fc.Features) != 1 {
				t.Fatalf("%s: %+v", path, fc)
			}
			p := fc.Features[0].Properties
			if p.Name != "Plastisol ink" || p.Entry != "need" || p.Category != "goods" || !strings.HasPrefix(p.Label, "Need · ") ||
				p.Enterprise != "Shaky Hands Carpentry" || p.URL != fmt.Sprintf("%s/listings/%d", e.srv.URL, l.ID) {
				t.Errorf("%s: properties %+v", path, p)
			}
		}
		if fc := e.features(t, "/board?type=offer", "Accept", "application/geo+json"); len(fc.Features) != 0 {
			t.Errorf("offers: %+v", fc.Features)
		}
		if ct := e.fetch(t, "/board", "Accept", "text/html, application/geo+json;q=0").Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("geo+json with q=0 got %q", ct)
		}
	})

	t.Run("gives every match, not one page, up to the limit it states", func(t *testing.T) {
		for i := range 60 {
			lat, lon := 42.0+float64(i)/100, -88.0
			ent := &directory.Enterprise{Handle: fmt.Sprintf("coop%02d", i), Name: fmt.Sprintf("Mapped Co-op %02d", i),
				Kind: directory.KindMutualAid, Location: directory.Location{Lat: &lat, Lon: &lon}}
			if err := e.svc.CreateEnterprise(sys, ent); err != nil {
				t.Fatal(err)
			}
		}
		if fc := e.features(t, "/map?kind=mutual_aid&page=2&format=geojson"); len(fc.Features) != 60 || fc.Truncated {
			t.Errorf("%d features (truncated %v), want all 60", len(fc.Features), fc.Truncated)
		}
		fc := e.features(t, "/api/v1/enterprises?kind=mutual_aid&format=geojson&limit=10&per_page=5")
		if len(fc.Features) != 10 || !fc.Truncated || fc.Limit != 10 || fc.Features[0].Properties.Name != "Mapped Co-op 59" {
			t.Errorf("limit 10: %d features, truncated %v, limit %d, first %q", len(fc.Features), fc.Truncated, fc.Limit, fc.names())
		}
	})

	t.Run("keeps to a bbox of west, south, east, north", func(t *testing.T) {
		fc := e.features(t, "/directory?kind=mutual_aid&format=geojson&bbox=-88.5,42.095,-87.5,42.125")
		if got := strings.Join(fc.names(), ","); got != "Mapped Co-op 12,Mapped Co-op 11,Mapped Co-op 10" {
			t.Errorf("in the box: %s", got)
		}
		if fc := e.features(t, "/directory?format=geojson&bbox=170,-20,-170,-10"); len(fc.Features) != 0 {
			t.Errorf("across the antimeridian: %v", fc.names())
		}
	})

	t.Run("refuses bad input with problem details", func(t *testing.T) {
		for path, field := range map[string]string{
			"/directory?format=geojson&bbox=1,2,3":             "bbox",
			"/directory?format=geojson&bbox=0,0,1,91":          "bbox",
			"/map?format=geojson&bbox=NaN,0,1,1":               "bbox",
			"/board?format=geojson&bbox=0,10,1,5":              "bbox",
			"/directory?format=geojson&bbox=-181,0,1,1":        "bbox",
			"/directory?format=geojson&limit=0x10":             "limit",
			"/directory?format=geojson&limit=100000":           "limit",
			"/directory?format=geojson&near=91,0":              "near",
			"/directory?format=geojson&kind=castle":            "kind",
			"/api/v1/enterprises?format=geojson&bbox=a,b,c,d":  "bbox",
			"/api/v1/listings?format=geojson&near=0,0":         "within_km",
			"/api/v1/listings?format=kml":                      "format",
			"/api/v1/enterprises?format=geojson&limit=-1":      "limit",
			"/api/v1/listings?format=geojson&bbox=0,-90.5,1,0": "bbox",
		} {
			r := e.fetch(t, path)
			var p struct {
				Status int
				Errors []directory.FieldError
			}
			if r.Status != http.StatusBadRequest || r.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(r.Body, &p) != nil {
				t.Errorf("%s: %d %s %s", path, r.Status, r.Header.Get("Content-Type"), r.Body)
				continue
			}
			if len(p.Errors) == 0 || p.Errors[0].Field != field {
				t.Errorf("%s: errors %+v, want one on %s", path, p.Errors, field)
			}
		}
	})
}
