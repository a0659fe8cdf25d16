package directory

import "math"

// Location is where an enterprise or listing is. Address is free text (a city is
// enough); Lat/Lon are optional but come together; RadiusKM is an optional
// service area around the point.
type Location struct {
	Address  string   `json:"address,omitempty"`
	Lat      *float64 `json:"lat,omitempty"`
	Lon      *float64 `json:"lon,omitempty"`
	RadiusKM *float64 `json:"radius_km,omitempty"`
}

// HasPoint reports whether the location has coordinates.
func (l Location) HasPoint() bool { return l.Lat != nil && l.Lon != nil }

// Point is a WGS84 coordinate in degrees.
type Point struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// EarthRadiusKM is the mean Earth radius used by every distance computation,
// in Go and in both engines' SQL, so that all agree.
const EarthRadiusKM = 6371.0088

// DistanceKM returns the great-circle (haversine) distance between a and b.
func DistanceKM(a, b Point) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusKM * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Box is a latitude/longitude rectangle. When MinLon > MaxLon the box crosses
// the antimeridian: longitudes >= MinLon or <= MaxLon are inside.
type Box struct {
	MinLat, MaxLat, MinLon, MaxLon float64
}

// CrossesAntimeridian reports whether the box wraps around longitude ±180.
func (b Box) CrossesAntimeridian() bool { return b.MinLon > b.MaxLon }

// BoundingBox returns a box that contains every point within km of p. Engines
// filter on it with an index before computing the exact distance.
func BoundingBox(p Point, km float64) Box {
	dLat := km / EarthRadiusKM * 180 / math.Pi
	b := Box{MinLat: p.Lat - dLat, MaxLat: p.Lat + dLat}
	if b.MinLat <= -90 || b.MaxLat >= 90 {
		// A pole is inside: every longitude qualifies.
		b.MinLat, b.MaxLat = math.Max(b.MinLat, -90), math.Min(b.MaxLat, 90)
		b.MinLon, b.MaxLon = -180, 180
		return b
	}
	// Widest longitude span at the latitude farthest from the equator.
	maxAbsLat := math.Max(math.Abs(b.MinLat), math.Abs(b.MaxLat)) * math.Pi / 180
	dLon := dLat / math.Cos(maxAbsLat)
	if dLon >= 180 {
		b.MinLon, b.MaxLon = -180, 180
		return b
	}
	b.MinLon, b.MaxLon = p.Lon-dLon, p.Lon+dLon
	if b.MinLon < -180 {
		b.MinLon += 360
	}
	if b.MaxLon > 180 {
		b.MaxLon -= 360
	}
	return b
}

// InnerBox returns a box whose every point lies within km of p, for
// engines to accept most points of a distance filter without computing
// their distance. ok is false where no simple box is safe: a distance over
// 1000 km, near a pole, or across longitude ±180.
func InnerBox(p Point, km float64) (b Box, ok bool) {
	if km <= 0 || km > 1000 {
		return b, false
	}
	// A square inscribed in the circle, shrunk by 1%, which covers the
	// difference between the flat square and the sphere up to 1000 km.
	half := 0.99 * km / math.Sqrt2
	dLat := half / EarthRadiusKM * 180 / math.Pi
	if math.Abs(p.Lat)+dLat >= 89 {
		return b, false
	}
	// A degree of longitude is longest at the latitude nearest the equator.
	nearest := math.Max(0, math.Abs(p.Lat)-dLat) * math.Pi / 180
	dLon := dLat / math.Cos(nearest)
	b = Box{MinLat: p.Lat - dLat, MaxLat: p.Lat + dLat, MinLon: p.Lon - dLon, MaxLon: p.Lon + dLon}
	if b.MinLon < -180 || b.MaxLon > 180 {
		return Box{}, false
	}
	return b, true
}

func validateLocation(fe *fieldErrors, prefix string, l *Location) {
	l.Address = cleanLine(l.Address)
	if n := len([]rune(l.Address)); n > 300 {
		fe.add(prefix+".address", "max_length", "must be at most 300 characters")
	}
	if (l.Lat == nil) != (l.Lon == nil) {
		fe.add(prefix+".lat", "pair", "latitude and longitude must be given together")
	}
	if l.Lat != nil && (math.IsNaN(*l.Lat) || *l.Lat < -90 || *l.Lat > 90) {
		fe.add(prefix+".lat", "range", "must be between -90 and 90")
	}
	if l.Lon != nil && (math.IsNaN(*l.Lon) || *l.Lon < -180 || *l.Lon > 180) {
		fe.add(prefix+".lon", "range", "must be between -180 and 180")
	}
	if l.RadiusKM != nil {
		if math.IsNaN(*l.RadiusKM) || *l.RadiusKM <= 0 || *l.RadiusKM > 20000 {
			fe.add(prefix+".radius_km", "range", "must be more than 0 and at most 20000")
		} else if !l.HasPoint() {
			fe.add(prefix+".radius_km", "requires_point", "a service area needs latitude and longitude")
		}
	}
}
