package web

import (
	"net/http"
	"net/url"
	"strings"
)

// mapPerPage is the number of results listed under the map on a page;
// the map itself shows every match (see geojson.go).
const mapPerPage = 50

// mapData is the JSON island that web/static/map.js draws from: where to
// read the matches (GeoJSON, every match of the search), where its
// background data lies, the tile layer if any, and the circle of a
// distance search.
type mapData struct {
	GeoJSON    string    `json:"geojson"`
	Background mapBack   `json:"background"`
	Tiles      *mapTiles `json:"tiles,omitempty"`
	Near       *mapNear  `json:"near,omitempty"`
}

// mapBack names the TopoJSON files of the offline background, countries
// at two scales and the US states, and where the names of the biggest
// places in view are read (GET /map/places).
type mapBack struct {
	World110 string `json:"world110"`
	World50  string `json:"world50"`
	States   string `json:"states"`
	Places   string `json:"places"`
}

// mapTiles is the tile layer of the map: its address template and the
// credit its provider asks for (plain text).
type mapTiles struct {
	URL         string `json:"url"`
	Attribution string `json:"attribution"`
}

// mapNear is the circle of a distance search.
type mapNear struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
	KM  float64 `json:"km"`
}

// mapScripts are the scripts of the map page, in the order they run.
var mapScripts = []string{"vendor/leaflet/leaflet.js", "vendor/leaflet.markercluster/leaflet.markercluster.js",
	"vendor/topojson-client/topojson-client.min.js", "mapback.js", "map.js", "geo.js"}

// mapStyles are its stylesheets.
var mapStyles = []string{"vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css",
	"vendor/leaflet.markercluster/MarkerCluster.Default.css", "map.css"}

// mapPage answers GET /map: the search of /directory, every match on a
// map (read in the background as GeoJSON) and, under it, a page of them as
// a list that works without JavaScript. With format=geojson (or Accept:
// application/geo+json) it answers the GeoJSON itself.
func (s *server) mapPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	if wantsGeoJSON(r) {
		s.geoJSONSearch(w, r, "/map")
		return
	}
	v, status := s.search(r, "/map", mapPerPage)
	if status == 0 {
		s.failPage(w, r, v.err)
		return
	}
	st := s.settings(r)
	v.Map = &mapData{GeoJSON: geoJSONURL(v.Form), Background: mapBackground()}
	if g := v.Geo; g != nil {
		v.Map.Near = &mapNear{Lat: g.Near.Lat, Lon: g.Near.Lon, KM: g.KM}
	}
	l := s.searchLayout(r, "Map", v)
	l.Styles, l.Scripts = nil, nil
	for _, f := range mapStyles {
		l.Styles = append(l.Styles, assets.url(f))
	}
	for _, f := range mapScripts {
		l.Scripts = append(l.Scripts, assets.url(f))
	}
	l.ImgSrc, l.Fetches = "'self'", true
	if src := tileSource(st.TileURL); src != "" {
		v.Map.Tiles = &mapTiles{URL: st.TileURL, Attribution: st.TileAttribution}
		l.ImgSrc += " " + src
	}
	v.layout = l
	s.render(w, r, status, "map.html", v)
}

// geoJSONURL is the address of every match of the search of f as GeoJSON.
func geoJSONURL(f searchForm) string {
	f.Page = 0
	q := f.values()
	q.Set("format", "geojson")
	return f.Base + "?" + q.Encode()
}

func joinMeta(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " · ")
}

// Unmapped counts the results of the page that have no coordinates.
func (v *searchView) Unmapped() int {
	n := 0
	for _, c := range v.Enterprises {
		if !c.Location.HasPoint() {
			n++
		}
	}
	for _, c := range v.Listings {
		if !c.Location.HasPoint() {
			n++
		}
	}
	return n
}

// tileSource is the Content-Security-Policy source of a tile address
// template, such as https://tile.openstreetmap.org or, for a {s}
// subdomain, https://*.tile.example.org; "" when there are no tiles or the
// template is not an http(s) address.
func tileSource(tmpl string) string {
	if tmpl == "" {
		return ""
	}
	sample := strings.NewReplacer("{s}", "tile-subdomain", "{z}", "0", "{x}", "0", "{y}", "0", "{r}", "").Replace(tmpl)
	u, err := url.Parse(sample)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(u.Host, "'; ") {
		return ""
	}
	host := u.Host
	if i := strings.Index(host, "tile-subdomain"); i >= 0 {
		// A wildcard may only stand for whole leftmost labels.
		dot := strings.Index(host[i:], ".")
		if dot < 0 {
			return ""
		}
		host = "*" + host[i+dot:]
	}
	return u.Scheme + "://" + host
}
