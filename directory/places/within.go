package places

// MaxWithin is the most places Within returns.
const MaxWithin = 200

// Within returns the biggest places (at most n, at most MaxWithin) inside
// the box west,south,east,north in degrees, biggest first; west above east
// is a box across the antimeridian. The map labels its background with
// them, so it is one pass over the places in order of size that stops at
// n: the cost is bounded by where the n-th biggest place of the box falls.
func Within(west, south, east, north float64, n int) []Place {
	n = min(max(n, 0), MaxWithin)
	if n == 0 || south > north {
		return nil
	}
	g := mustLoad()
	out := make([]Place, 0, n)
	for _, p := range g.places {
		if p.Lat < south || p.Lat > north || !inLongitudes(p.Lon, west, east) {
			continue
		}
		if out = append(out, p); len(out) == n {
			break
		}
	}
	return out
}

// inLongitudes reports whether lon lies between west and east, going east
// from west (across ±180 when west is above east).
func inLongitudes(lon, west, east float64) bool {
	if west <= east {
		return lon >= west && lon <= east
	}
	return lon >= west || lon <= east
}
