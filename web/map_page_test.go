package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// mapIsland is the marker data of a map page as map.js reads it.
type mapIsland struct {
	Tiles *struct {
		URL         string `json:"url"`
		Attribution string `json:"attribution"`
	} `json:"tiles"`
	Near *struct {
		Lat, Lon, KM float64
	} `json:"near"`
	Markers []struct {
		Lat  float64 `json:"lat"`
		Lon  float64 `json:"lon"`
		Name string  `json:"name"`
		URL  string  `json:"url"`
		Meta string  `json:"meta"`
	} `json:"markers"`
}

func readIsland(t *testing.T, page string) mapIsland {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="map-data">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no map data in:\n%s", page)
	}
	var d mapIsland
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatalf("map data does not parse: %v\n%s", err, m[1])
	}
	return d
}

// scriptsAndStyles lists the script and stylesheet addresses of a page.
func scriptsAndStyles(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<script[^>]*\ssrc="([^"]+)"|<link rel="stylesheet" href="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]+m[2]))
	}
	return out
}

func TestMapPage(t *testing.T) {
	e := newDemoEnv(t)
	t.Run("draws the results as markers and lists them under the map", func(t *testing.T) {
		r := e.get("/map").want(t, http.StatusOK)
		page := string(r.Body)
		d := readIsland(t, page)
		if len(d.Markers) != 5 || d.Tiles != nil {
			t.Fatalf("map data %+v", d)
		}
		for _, m := range d.Markers {
			if !strings.HasPrefix(m.URL, "/enterprises/") || m.Lat != 43.0389 || m.Name == "" {
				t.Errorf("marker %+v", m)
			}
		}
		contains(t, page, `<div id="map"`, "The map needs JavaScript. The results are listed below.",
			"5 enterprises", `href="/enterprises/mkemesh"`, `<form class="search" method="get" action="/map"`)
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self';") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP %q", csp)
		}
	})
	t.Run("loads no script or style from another site", func(t *testing.T) {
		page := e.page(t, "/map", http.StatusOK)
		refs := scriptsAndStyles(page)
		if len(refs) != 5 {
			t.Errorf("scripts and styles %v", refs)
		}
		for _, ref := range refs {
			if !strings.HasPrefix(ref, "/static/") {
				t.Errorf("%s is not served by the instance", ref)
			}
		}
		contains(t, page, "/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css", "/map.js")
	})
	t.Run("uses the tile server of the settings and allows only its images", func(t *testing.T) {
		tiles, credit, name := "https://{s}.tiles.example.org/{z}/{x}/{y}.png", "© Example </script> maps", "Testville"
		if _, err := e.svc.UpdateSettings(directory.AsSystem(context.Background()), directory.SettingsUpdate{NetworkName: &name, TileURL: &tiles, TileAttribution: &credit}); err != nil {
			t.Fatal(err)
		}
		r := e.get("/map?near=43.04,-87.9&within_km=10").want(t, http.StatusOK)
		d := readIsland(t, string(r.Body))
		if d.Tiles == nil || d.Tiles.URL != tiles || d.Tiles.Attribution != credit || d.Near == nil || d.Near.KM != 10 {
			t.Fatalf("map data %+v", d)
		}
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' https://*.tiles.example.org;") {
			t.Errorf("CSP %q", csp)
		}
		if csp := e.get("/directory").Header.Get("Content-Security-Policy"); strings.Contains(csp, "tiles.example.org") {
			t.Errorf("another page allows the tile host: %q", csp)
		}
	})
	t.Run("marks needs and offers, which have their enterprise's place by default", func(t *testing.T) {
		page := e.page(t, "/map?show=needs", http.StatusOK)
		d := readIsland(t, page)
		if len(d.Markers) == 0 || len(d.Markers) != total(t, page) {
			t.Fatalf("%d markers for %d needs", len(d.Markers), total(t, page))
		}
		if m := d.Markers[0]; !strings.HasPrefix(m.URL, "/listings/") || !strings.HasPrefix(m.Meta, "Need · ") {
			t.Errorf("marker %+v", m)
		}
	})
	t.Run("says which results have no place on the map", func(t *testing.T) {
		page := newEnv(t).page(t, "/map", http.StatusOK)
		if d := readIsland(t, page); len(d.Markers) != 1 {
			t.Errorf("markers %+v", d.Markers)
		}
		contains(t, page, "1 of the results on this page have no location")
	})
	t.Run("keeps names inside the data island", func(t *testing.T) {
		lat, lon := 43.0, -87.9
		ent := &directory.Enterprise{Handle: "evil", Name: `</script><script>alert(1)</script>`, Kind: directory.KindOther,
			Location: directory.Location{Address: "Milwaukee, WI", Lat: &lat, Lon: &lon}}
		if err := e.svc.CreateEnterprise(directory.AsSystem(context.Background()), ent); err != nil {
			t.Fatal(err)
		}
		page := e.page(t, "/map?q=alert", http.StatusOK)
		lacks(t, page, "<script>alert")
		if d := readIsland(t, page); len(d.Markers) != 1 || d.Markers[0].Name != ent.Name {
			t.Errorf("markers %+v", d.Markers)
		}
	})
	t.Run("shows an empty map of an empty directory", func(t *testing.T) {
		page := newBareEnv(t).page(t, "/map", http.StatusOK)
		if d := readIsland(t, page); len(d.Markers) != 0 {
			t.Errorf("markers %+v", d.Markers)
		}
		contains(t, page, "Nothing matches yet")
	})
}
