package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestMapPlaces(t *testing.T) {
	e := newEnv(t)
	type answer struct {
		Type     string
		Features []struct {
			Properties struct {
				Name       string
				Population int
			}
			Geometry struct{ Coordinates []float64 }
		}
		Attribution string
	}
	get := func(t *testing.T, query string) (reply, answer) {
		t.Helper()
		res := e.fetch(t, "/map/places?"+query)
		var a answer
		if res.Status == http.StatusOK {
			if err := json.Unmarshal(res.Body, &a); err != nil {
				t.Fatal(err)
			}
		}
		return res, a
	}

	t.Run("names the biggest places in view, biggest first, with the GeoNames credit", func(t *testing.T) {
		res, a := get(t, "bbox=-92.9,41.5,-86.2,47.1&limit=8")
		if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/geo+json" {
			t.Fatalf("status %d, type %q", res.Status, res.Header.Get("Content-Type"))
		}
		if a.Type != "FeatureCollection" || len(a.Features) != 8 || !strings.Contains(a.Attribution, "GeoNames") {
			t.Fatalf("answer %+v", a)
		}
		if f := a.Features[0]; f.Properties.Name != "Chicago" || f.Geometry.Coordinates[0] > -87 || f.Geometry.Coordinates[1] < 41 {
			t.Errorf("first %+v, want Chicago in lon, lat order", f)
		}
		if !strings.Contains(res.Header.Get("Cache-Control"), "public") {
			t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
		}
	})
	t.Run("gives the default number without a limit", func(t *testing.T) {
		if _, a := get(t, "bbox=-180,-90,180,90"); len(a.Features) != 60 {
			t.Errorf("%d places, want %d", len(a.Features), 60)
		}
	})
	t.Run("refuses a missing or bad box and a bad limit", func(t *testing.T) {
		for _, q := range []string{"", "bbox=1,2,3", "bbox=a,b,c,d", "bbox=-200,0,10,10", "bbox=0,50,10,40",
			"bbox=0,0,10,NaN", "bbox=0,0,1,1&limit=100000", "bbox=0,0,1,1&limit=-1", "bbox=0,0,1,1&bbox=0,0,2,2"} {
			if res, _ := get(t, q); res.Status != http.StatusBadRequest {
				t.Errorf("%q: status %d, want 400", q, res.Status)
			}
		}
	})
}
