package web

import "encoding/json"

// locateScripts and locateStyles are what the location picker of the
// admin forms (web/static/locate.js) loads when the editor opens it:
// Leaflet and the offline background of the map page. The form pages
// themselves run locate.js alone, so they stay light.
var (
	locateScripts = []string{"vendor/leaflet/leaflet.js", "vendor/topojson-client/topojson-client.min.js", "mapback.js"}
	locateStyles  = []string{"vendor/leaflet/leaflet.css", "map.css"}
)

// locateAssets is the JSON of what the location picker loads: its
// stylesheets and scripts, in order, at their versioned addresses.
func locateAssets() string {
	var a struct {
		Styles  []string `json:"styles"`
		Scripts []string `json:"scripts"`
	}
	for _, f := range locateStyles {
		a.Styles = append(a.Styles, assets.url(f))
	}
	for _, f := range locateScripts {
		a.Scripts = append(a.Scripts, assets.url(f))
	}
	b, err := json.Marshal(a)
	if err != nil {
		panic(err) // strings always encode
	}
	return string(b)
}

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
// latitude and longitude fields (locate.js, which loads the rest when the
// editor opens the map) and read the background from this instance.
func (p *adminPage) withLocationPicker() {
	p.Scripts = append(p.Scripts, assets.url("locate.js"))
	p.Fetches = true
}
