package web

import "encoding/json"

// locateScripts and locateStyles are what the location picker of the
// admin forms runs (web/static/locate.js): Leaflet and the offline
// background of the map page.
var (
	locateScripts = []string{"vendor/leaflet/leaflet.js", "vendor/topojson-client/topojson-client.min.js", "mapback.js", "locate.js"}
	locateStyles  = []string{"vendor/leaflet/leaflet.css", "map.css"}
)

// mapBackground names the files of the maps' offline background and the
// address of their place names.
func mapBackground() mapBack {
	return mapBack{
		World110: assets.url("vendor/world-atlas/countries-110m.json"),
		World50:  assets.url("vendor/world-atlas/countries-50m.json"),
		States:   assets.url("vendor/us-atlas/states-10m.json"),
		Places:   "/map/places",
	}
}

// mapBackgroundJSON is mapBackground for a data attribute.
func mapBackgroundJSON() string {
	b, err := json.Marshal(mapBackground())
	if err != nil {
		panic(err) // four strings always encode
	}
	return string(b)
}

// withLocationPicker lets the page run the location picker under its
// latitude and longitude fields: its scripts and styles, and reading the
// background from this instance.
func (p *adminPage) withLocationPicker() {
	for _, f := range locateStyles {
		p.Styles = append(p.Styles, assets.url(f))
	}
	for _, f := range locateScripts {
		p.Scripts = append(p.Scripts, assets.url(f))
	}
	p.Fetches = true
}
