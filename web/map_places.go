package web

import (
	"net/http"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/places"
)

// mapPlacesLimit is how many place names the map asks for at once by
// default: about what fits on a screen without overlapping.
const mapPlacesLimit = 60

// placeFeatureProps are what a place name of the map's background carries.
type placeFeatureProps struct {
	Name       string `json:"name"`
	Population int    `json:"population"`
}

// placeFeature is one place of the gazetteer as a GeoJSON Feature.
type placeFeature struct {
	Type       string            `json:"type"`
	Properties placeFeatureProps `json:"properties"`
	Geometry   pointGeom         `json:"geometry"`
}

// placeCollection is the answer of /map/places, with the credit the
// GeoNames licence asks for.
type placeCollection struct {
	Type        string         `json:"type"`
	Features    []placeFeature `json:"features"`
	Attribution string         `json:"attribution"`
}

// mapPlaces answers GET /map/places?bbox=west,south,east,north[&limit=N]:
// the biggest places of the embedded gazetteer in the box, biggest first,
// as GeoJSON, for the names on the map's offline background. It reads no
// database, so the answer is the same for everyone and cached.
func (s *server) mapPlaces(w http.ResponseWriter, r *http.Request) {
	p := &queryParams{v: r.URL.Query()}
	a := p.area()
	if p.str("bbox") == "" {
		p.fail("bbox", "required", "is needed: west,south,east,north such as -88.1,42.9,-87.8,43.2")
	}
	if b := a.Box; b != nil && !boxInRange(*b) {
		p.fail("bbox", "range", "must have longitudes within -180..180 and latitudes within -90..90, south below north")
	}
	if a.Limit < 0 || a.Limit > places.MaxWithin {
		p.fail("limit", "range", "must be between 1 and %d", places.MaxWithin)
	}
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	if a.Limit == 0 {
		a.Limit = mapPlacesLimit
	}
	b := a.Box
	fc := placeCollection{Type: "FeatureCollection", Features: []placeFeature{}, Attribution: places.Attribution}
	for _, pl := range places.Within(b.MinLon, b.MinLat, b.MaxLon, b.MaxLat, a.Limit) {
		fc.Features = append(fc.Features, placeFeature{Type: "Feature",
			Properties: placeFeatureProps{Name: pl.Name, Population: pl.Population},
			Geometry:   pointGeom{Type: "Point", Coordinates: [2]float64{pl.Lon, pl.Lat}}})
	}
	body, err := marshalJSON(fc)
	if err != nil {
		s.fail(w, r, directory.Internal(err, "encode place names"))
		return
	}
	w.Header().Set("Content-Type", geoJSONType)
	w.Header().Set("Cache-Control", cachePublic)
	_, _ = w.Write(body)
}

// boxInRange reports whether b lies on the globe, with south below north.
func boxInRange(b directory.Box) bool {
	lon := func(v float64) bool { return v >= -180 && v <= 180 }
	lat := func(v float64) bool { return v >= -90 && v <= 90 }
	return lon(b.MinLon) && lon(b.MaxLon) && lat(b.MinLat) && lat(b.MaxLat) && b.MinLat <= b.MaxLat
}
