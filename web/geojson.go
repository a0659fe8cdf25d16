package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// geoJSONType is the media type of GeoJSON (RFC 7946).
const geoJSONType = "application/geo+json"

// featureCollection is a GeoJSON FeatureCollection of the entries of a
// search that have coordinates. Truncated and Limit are foreign members:
// with more matches than Limit, the newest Limit are given and Truncated
// is set, and a client narrows the search (a bbox) to see the rest.
type featureCollection struct {
	Type      string    `json:"type"`
	Features  []feature `json:"features"`
	Truncated bool      `json:"truncated"`
	Limit     int       `json:"limit"`
}

// feature is one entry as a GeoJSON Point feature; its id is its page.
type feature struct {
	Type       string       `json:"type"`
	ID         string       `json:"id"`
	Geometry   pointGeom    `json:"geometry"`
	Properties featureProps `json:"properties"`
}

// pointGeom is a GeoJSON Point: longitude, then latitude.
type pointGeom struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// featureProps describes the entry of a feature.
type featureProps struct {
	Name       string `json:"name"`
	Entry      string `json:"entry"`              // enterprise, need or offer
	Kind       string `json:"kind,omitempty"`     // an enterprise's kind
	Category   string `json:"category,omitempty"` // a listing's category
	Label      string `json:"label"`              // kind or type and category, for people
	Origin     string `json:"origin"`             // "local" or the partner's host
	URL        string `json:"url"`                // the entry's page
	Enterprise string `json:"enterprise,omitempty"`
	Address    string `json:"address,omitempty"`
}

// wantsGeoJSON reports whether a search asks for GeoJSON: format=geojson,
// or an Accept header that names application/geo+json.
func wantsGeoJSON(r *http.Request) bool {
	return r.URL.Query().Get("format") == "geojson" || asksFor(r.Header.Values("Accept"), geoJSONType)
}

// area reads bbox=west,south,east,north (the order of RFC 7946's bbox:
// longitudes first; west above east crosses the antimeridian) and limit.
func (p *queryParams) area() directory.Area {
	a := directory.Area{Limit: p.integer("limit")}
	s := p.str("bbox")
	if s == "" {
		return a
	}
	parts := strings.Split(s, ",")
	var v [4]float64
	ok := len(parts) == 4
	for i := 0; ok && i < 4; i++ {
		v[i], ok = parseNumber(strings.TrimSpace(parts[i]))
	}
	if !ok {
		p.fail("bbox", "format", "must be four numbers west,south,east,north such as -88.1,42.9,-87.8,43.2, not %q", truncate(s, 60))
		return a
	}
	a.Box = &directory.Box{MinLon: v[0], MinLat: v[1], MaxLon: v[2], MaxLat: v[3]}
	return a
}

// geoJSONSearch answers a directory, map or board search (base) that asks
// for GeoJSON: every match with coordinates, not one page.
func (s *server) geoJSONSearch(w http.ResponseWriter, r *http.Request, base string) {
	p := &queryParams{v: r.URL.Query()}
	f := parseSearchForm(base, r.URL.Query(), p)
	a := p.area()
	geo, err := s.resolveNear(r.Context(), f, &searchView{Form: f})
	if err == nil {
		err = p.err()
	}
	if err != nil {
		s.fail(w, r, badQuery(err))
		return
	}
	if f.IsListings() {
		s.listingFeatures(w, r, f.listingQuery(geo, 1), a)
	} else {
		s.enterpriseFeatures(w, r, f.enterpriseQuery(geo, 1), a)
	}
}

// enterpriseFeatures answers with the enterprises of q in a as GeoJSON.
func (s *server) enterpriseFeatures(w http.ResponseWriter, r *http.Request, q directory.EnterpriseQuery, a directory.Area) {
	pts, err := s.svc.EnterprisePoints(r.Context(), q, a)
	if err != nil {
		s.fail(w, r, badQuery(err))
		return
	}
	fc := newFeatureCollection(pts.Truncated, a.Limit)
	for _, e := range pts.Items {
		props := featureProps{Name: e.Name, Entry: "enterprise", Kind: string(e.Kind), Label: e.Kind.Label(),
			Origin: originName(e.Origin), URL: s.absURL(enterpriseURL(e)), Address: e.Location.Address}
		fc.add(e.Location, props)
	}
	s.writeGeoJSON(w, r, fc)
}

// listingFeatures answers with the listings of q in a as GeoJSON.
func (s *server) listingFeatures(w http.ResponseWriter, r *http.Request, q directory.ListingQuery, a directory.Area) {
	pts, err := s.svc.ListingPoints(r.Context(), q, a)
	if err != nil {
		s.fail(w, r, badQuery(err))
		return
	}
	fc := newFeatureCollection(pts.Truncated, a.Limit)
	for _, l := range pts.Items {
		props := featureProps{Name: l.Title, Entry: string(l.Type), Category: string(l.Category),
			Label: joinMeta(typeLabel(l.Type), l.Category.Label()), Origin: originName(l.Origin),
			URL: s.absURL(listingPath(l.ID)), Enterprise: l.EnterpriseName, Address: l.Location.Address}
		fc.add(l.Location, props)
	}
	s.writeGeoJSON(w, r, fc)
}

func newFeatureCollection(truncated bool, limit int) *featureCollection {
	if limit == 0 {
		limit = directory.MaxPoints
	}
	return &featureCollection{Type: "FeatureCollection", Features: []feature{}, Truncated: truncated, Limit: limit}
}

// add appends the entry at loc, unless it has no coordinates.
func (fc *featureCollection) add(loc directory.Location, props featureProps) {
	if !loc.HasPoint() {
		return
	}
	fc.Features = append(fc.Features, feature{Type: "Feature", ID: props.URL, Properties: props,
		Geometry: pointGeom{Type: "Point", Coordinates: [2]float64{*loc.Lon, *loc.Lat}}})
}

func (s *server) writeGeoJSON(w http.ResponseWriter, r *http.Request, fc *featureCollection) {
	body, err := marshalJSON(fc)
	if err != nil {
		s.fail(w, r, directory.Internal(err, "encode GeoJSON"))
		return
	}
	w.Header().Set("Content-Type", geoJSONType)
	w.Header().Set("Cache-Control", cachePublic)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// originName is the origin of an entry as GeoJSON gives it: "local", or
// the host of the partner it comes from.
func originName(origin string) string {
	if origin == "" {
		return directory.OriginLocal
	}
	return origin
}

// typeLabel names a listing type for people.
func typeLabel(t directory.ListingType) string {
	if t == directory.Need {
		return "Need"
	}
	return "Offer"
}

// geoJSONQuery reads an API search that asks for GeoJSON: the query of
// parse, and the area (bbox, limit). Every malformed parameter of both is
// named in one 400; format, when given, must be geojson.
func geoJSONQuery[Q any](v url.Values, parse func(url.Values) (Q, error)) (Q, directory.Area, error) {
	p := &queryParams{v: v}
	a := p.area()
	if f := p.str("format"); f != "" && f != "geojson" {
		p.fail("format", "enum", "must be geojson, or left out")
	}
	q, err := parse(v)
	var re *requestError
	switch {
	case errors.As(err, &re):
		p.errs = append(p.errs, re.fields...)
	case err != nil:
		return q, a, err
	}
	return q, a, p.err()
}
