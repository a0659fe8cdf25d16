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

// mapIsland is the data of a map page as map.js reads it.
type mapIsland struct {
	GeoJSON    string `json:"geojson"`
	Background struct {
		World110, World50, States string
	} `json:"background"`
	Tiles *struct {
		URL         string `json:"url"`
		Attribution string `json:"attribution"`
	} `json:"tiles"`
	Near *struct {
		Lat, Lon, KM float64
	} `json:"near"`
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
	t.Run("reads every match of the search as GeoJSON and lists a page under the map", func(t *testing.T) {
		r := e.get("/map?show=needs&page=2").want(t, http.StatusOK)
		page := string(r.Body)
		d := readIsland(t, page)
		if d.GeoJSON != "/map?format=geojson&show=needs" || d.Tiles != nil {
			t.Fatalf("map data %+v", d)
		}
		fc := e.features(t, d.GeoJSON)
		if len(fc.Features) == 0 || fc.Features[0].Properties.Entry != "need" {
			t.Errorf("the map's GeoJSON %+v", fc)
		}
		contains(t, page, `<div id="map"`, "The map needs JavaScript. The results are listed below.",
			`<a href="#after-map">Skip the map</a>`, `id="after-map"`, `<form class="search" method="get" action="/map"`)
		if r.Header.Get("Vary") == "" || !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Accept") {
			t.Errorf("Vary %q: the same address also answers GeoJSON", r.Header.Values("Vary"))
		}
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self';") || !strings.Contains(csp, "script-src 'self'; connect-src 'self';") {
			t.Errorf("CSP %q", csp)
		}
		if csp := e.get("/directory").Header.Get("Content-Security-Policy"); strings.Contains(csp, "connect-src") {
			t.Errorf("a page whose scripts read nothing may connect: %q", csp)
		}
	})
	t.Run("ships its background data, which parses as TopoJSON with names", func(t *testing.T) {
		d := readIsland(t, e.page(t, "/map", http.StatusOK))
		for file, object := range map[string]string{d.Background.World110: "countries", d.Background.World50: "countries", d.Background.States: "states"} {
			var topo struct {
				Type    string
				Objects map[string]struct {
					Geometries []struct {
						Properties struct{ Name string }
					}
				}
			}
			body := e.fetch(t, file).want(t, http.StatusOK).Body
			if err := json.Unmarshal(body, &topo); err != nil || topo.Type != "Topology" {
				t.Fatalf("%s: %v", file, err)
			}
			geoms := topo.Objects[object].Geometries
			if len(geoms) < 50 || geoms[0].Properties.Name == "" {
				t.Errorf("%s has %d %s", file, len(geoms), object)
			}
		}
	})
	t.Run("loads no script or style from another site", func(t *testing.T) {
		page := e.page(t, "/map", http.StatusOK)
		refs := scriptsAndStyles(page)
		if len(refs) != 12 {
			t.Errorf("scripts and styles %v", refs)
		}
		for _, ref := range refs {
			if !strings.HasPrefix(ref, "/static/") {
				t.Errorf("%s is not served by the instance", ref)
			}
		}
		contains(t, page, "/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css", "/mapback.js", "/map.js", "/map.css",
			"/vendor/leaflet.markercluster/leaflet.markercluster.js", "/vendor/topojson-client/topojson-client.min.js")
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
		if d.GeoJSON != "/map?format=geojson&near=43.04%2C-87.9&within_km=10" {
			t.Errorf("GeoJSON address %q", d.GeoJSON)
		}
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' https://*.tiles.example.org;") {
			t.Errorf("CSP %q", csp)
		}
		if csp := e.get("/directory").Header.Get("Content-Security-Policy"); strings.Contains(csp, "tiles.example.org") {
			t.Errorf("another page allows the tile host: %q", csp)
		}
	})
	t.Run("says which results have no place on the map", func(t *testing.T) {
		page := newEnv(t).page(t, "/map", http.StatusOK)
		contains(t, page, "1 of the results on this page has no location")
	})
	t.Run("keeps names inside the data island and the GeoJSON", func(t *testing.T) {
		lat, lon := 43.0, -87.9
		ent := &directory.Enterprise{Handle: "evil", Name: `</script><script>alert(1)</script>`, Kind: directory.KindOther,
			Location: directory.Location{Address: "Milwaukee, WI", Lat: &lat, Lon: &lon}}
		if err := e.svc.CreateEnterprise(directory.AsSystem(context.Background()), ent); err != nil {
			t.Fatal(err)
		}
		page := e.page(t, "/map?q=alert", http.StatusOK)
		lacks(t, page, "<script>alert")
		if fc := e.features(t, readIsland(t, page).GeoJSON); len(fc.Features) != 1 || fc.Features[0].Properties.Name != ent.Name {
			t.Errorf("features %+v", fc.Features)
		}
	})
	t.Run("shows an empty map of an empty directory", func(t *testing.T) {
		b := newBareEnv(t)
		page := b.page(t, "/map", http.StatusOK)
		if fc := b.features(t, readIsland(t, page).GeoJSON); len(fc.Features) != 0 {
			t.Errorf("features %+v", fc.Features)
		}
		contains(t, page, "Nothing matches yet")
	})
}
