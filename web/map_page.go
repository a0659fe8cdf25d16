package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// mapPerPage is the number of results, and so of markers at most, on a
// page of the map.
const mapPerPage = 50

// mapData is the JSON island that web/static/map.js draws from.
type mapData struct {
	Tiles   *mapTiles   `json:"tiles,omitempty"`
	Near    *mapNear    `json:"near,omitempty"`
	Markers []mapMarker `json:"markers"`
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

// mapMarker is one result with coordinates.
type mapMarker struct {
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
	Name string  `json:"name"`
	URL  string  `json:"url"`
	Meta string  `json:"meta,omitempty"`
}

// mapPage answers GET /map: the search of /directory, its results as
// markers on a map and, under it, as a list that works without JavaScript.
func (s *server) mapPage(w http.ResponseWriter, r *http.Request) {
	v, status := s.search(r, "/map", mapPerPage)
	if status == 0 {
		s.failPage(w, r, v.err)
		return
	}
	st := s.settings(r)
	v.Map = &mapData{Markers: markers(v)}
	if g := v.Geo; g != nil {
		v.Map.Near = &mapNear{Lat: g.Near.Lat, Lon: g.Near.Lon, KM: g.KM}
	}
	l := s.searchLayout(r, "Map", v)
	l.Styles = []string{assets.url("vendor/leaflet/leaflet.css")}
	l.Scripts = []string{assets.url("vendor/leaflet/leaflet.js"), assets.url("map.js"), assets.url("geo.js")}
	l.ImgSrc = "'self'"
	if src := tileSource(st.TileURL); src != "" {
		v.Map.Tiles = &mapTiles{URL: st.TileURL, Attribution: st.TileAttribution}
		l.ImgSrc += " " + src
	}
	v.layout = l
	s.render(w, r, status, "map.html", v)
}

// markers returns the results of v that have coordinates.
func markers(v *searchView) []mapMarker {
	out := []mapMarker{}
	for _, c := range v.Enterprises {
		if loc := c.Location; loc.HasPoint() {
			out = append(out, mapMarker{Lat: *loc.Lat, Lon: *loc.Lon, Name: c.Name, URL: c.URL, Meta: joinMeta(c.Kind.Label(), loc.Address)})
		}
	}
	for _, c := range v.Listings {
		if loc := c.Location; loc.HasPoint() {
			kind := "Offer"
			if c.Type == directory.Need {
				kind = "Need"
			}
			out = append(out, mapMarker{Lat: *loc.Lat, Lon: *loc.Lon, Name: c.Title, URL: c.URL,
				Meta: joinMeta(kind, c.Category.Label(), c.EnterpriseName)})
		}
	}
	return out
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
	if v.Map == nil {
		return 0
	}
	return len(v.Enterprises) + len(v.Listings) - len(v.Map.Markers)
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
