package directory

import (
	"context"
	"math"
)

// MaxPoints is the most entries a point search returns: a map asks for
// every match of a search at once, so this bounds the answer. With more
// matches, the newest MaxPoints (by id) come back, marked Truncated, and a
// map asks again for the part of the world it shows.
const MaxPoints = 2000

// Area bounds a point search: only entries with coordinates, inside Box
// when it is set, at most Limit of them (0: MaxPoints).
type Area struct {
	Box   *Box
	Limit int
}

// EnterprisePoints are the enterprises with coordinates that match a
// query, newest first. Truncated says that more matched than Limit.
type EnterprisePoints struct {
	Items     []*Enterprise
	Truncated bool
}

// ListingPoints are the listings with coordinates that match a query,
// newest first, bounded as EnterprisePoints are.
type ListingPoints struct {
	Items     []*Listing
	Truncated bool
}

// Validate normalises a and checks it: latitudes between -90 and 90 with
// MinLat at most MaxLat, longitudes between -180 and 180 (MinLon above
// MaxLon crosses the antimeridian), Limit between 1 and MaxPoints.
func (a *Area) Validate() error {
	var fe fieldErrors
	if a.Limit == 0 {
		a.Limit = MaxPoints
	}
	if a.Limit < 1 || a.Limit > MaxPoints {
		fe.add("limit", "range", "must be between 1 and %d", MaxPoints)
	}
	if b := a.Box; b != nil {
		if !inRange(b.MinLat, -90, 90) || !inRange(b.MaxLat, -90, 90) || b.MinLat > b.MaxLat {
			fe.add("bbox", "range", "latitudes must lie between -90 and 90, the south one first")
		}
		if !inRange(b.MinLon, -180, 180) || !inRange(b.MaxLon, -180, 180) {
			fe.add("bbox", "range", "longitudes must lie between -180 and 180")
		}
	}
	return fe.err("area")
}

func inRange(v, lo, hi float64) bool { return !math.IsNaN(v) && v >= lo && v <= hi }

// EnterprisePoints validates q and a and returns the enterprises with
// coordinates that match q inside a, whatever q's page. EINVALID.
func (s *Service) EnterprisePoints(ctx context.Context, q EnterpriseQuery, a Area) (*EnterprisePoints, error) {
	q.Page = Page{Page: 1, PerPage: 1}
	if err := validateBoth(q.Validate(), a.Validate()); err != nil {
		return nil, err
	}
	return s.store.EnterprisePoints(ctx, q, a)
}

// ListingPoints validates q and a and returns the listings with
// coordinates that match q inside a, whatever q's page. EINVALID.
func (s *Service) ListingPoints(ctx context.Context, q ListingQuery, a Area) (*ListingPoints, error) {
	q.Page = Page{Page: 1, PerPage: 1}
	if err := validateBoth(q.Validate(), a.Validate()); err != nil {
		return nil, err
	}
	q.Today = s.now().Format(DateLayout)
	return s.store.ListingPoints(ctx, q, a)
}

// validateBoth joins the field errors of a query and of its area into one
// EINVALID error.
func validateBoth(errs ...error) error {
	var fe fieldErrors
	for _, err := range errs {
		if err == nil {
			continue
		}
		fields := ErrorFields(err)
		if len(fields) == 0 {
			return err
		}
		fe = append(fe, fields...)
	}
	return fe.err("query")
}
