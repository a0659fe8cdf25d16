package instance_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// TestGeoJSONOnBothEngines reads the demo directory as GeoJSON from a real
// instance on each engine: the same features, in longitude, latitude
// order, for the pages and the API; a bad bbox is refused with problem
// details.
func TestGeoJSONOnBothEngines(t *testing.T) {
	for _, engine := range instancetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			srv := instancetest.Start(t, engine, func(c *instance.Config) { c.Demo = true })
			read := func(t *testing.T, path, accept string) (names []string, lonLat [][]float64) {
				t.Helper()
				status, ct, body := instancetest.Fetch(t, srv.URLOf(path), accept)
				if status != http.StatusOK || ct != "application/geo+json" {
					t.Fatalf("%s: %d %s %s", path, status, ct, body)
				}
				var fc struct {
					Type     string
					Features []struct {
						Geometry   struct{ Coordinates []float64 }
						Properties struct{ Name, Origin string }
					}
				}
				if err := json.Unmarshal(body, &fc); err != nil || fc.Type != "FeatureCollection" {
					t.Fatalf("%s: %v %s", path, err, body)
				}
				for _, f := range fc.Features {
					names, lonLat = append(names, f.Properties.Name), append(lonLat, f.Geometry.Coordinates)
				}
				return names, lonLat
			}
			names, points := read(t, "/map?format=geojson", "")
			if len(names) != 5 {
				t.Fatalf("demo enterprises %q", names)
			}
			for _, p := range points {
				if len(p) != 2 || p[0] > -87 || p[0] < -89 || p[1] < 42 || p[1] > 44 {
					t.Errorf("point %v is not Milwaukee's longitude, latitude", p)
				}
			}
			if api, _ := read(t, "/api/v1/enterprises", "application/geo+json"); len(api) != len(names) {
				t.Errorf("the API gives %q, the map %q", api, names)
			}
			needs, _ := read(t, "/board?type=need&format=geojson&bbox=-88.5,42.5,-87.5,43.5", "")
			if away, _ := read(t, "/board?type=need&format=geojson&bbox=10,40,11,41", ""); len(needs) == 0 || len(away) != 0 {
				t.Errorf("needs in Milwaukee %q, in Italy %q", needs, away)
			}
			for _, bad := range []string{"bbox=0,0,1,91", "bbox=NaN,0,1,1", "bbox=1,2"} {
				status, ct, body := instancetest.Fetch(t, srv.URLOf("/directory?format=geojson&"+bad), "")
				if status != http.StatusBadRequest || ct != "application/problem+json" {
					t.Errorf("%s: %d %s %s", bad, status, ct, body)
				}
			}
		})
	}
}
