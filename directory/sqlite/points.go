package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/coopdir/coopdir/directory"
)

// EnterprisePoints runs a validated query for the enterprises with
// coordinates inside a validated area.
func (db *DB) EnterprisePoints(ctx context.Context, q directory.EnterpriseQuery, a directory.Area) (*directory.EnterprisePoints, error) {
	s := enterpriseSearch(q, false)
	res := &directory.EnterprisePoints{Items: []*directory.Enterprise{}}
	err := db.inRead(ctx, "map enterprises", func(tx *sql.Tx) error {
		hits, err := s.points(ctx, tx, a)
		if err != nil || len(hits) == 0 {
			return err
		}
		hits, res.Truncated = cut(hits, a.Limit)
		byID, err := loadEnterprises(ctx, tx, hits)
		for _, h := range hits {
			if e := byID[h.id]; e != nil {
				res.Items = append(res.Items, e)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ListingPoints runs a validated query for the listings with coordinates
// inside a validated area.
func (db *DB) ListingPoints(ctx context.Context, q directory.ListingQuery, a directory.Area) (*directory.ListingPoints, error) {
	s := listingSearch(q)
	res := &directory.ListingPoints{Items: []*directory.Listing{}}
	err := db.inRead(ctx, "map listings", func(tx *sql.Tx) error {
		hits, err := s.points(ctx, tx, a)
		if err != nil || len(hits) == 0 {
			return err
		}
		hits, res.Truncated = cut(hits, a.Limit)
		byID, err := loadListings(ctx, tx, hits)
		for _, h := range hits {
			if l := byID[h.id]; l != nil {
				res.Items = append(res.Items, l)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// cut keeps the first limit hits and tells whether there were more.
func cut(hits []hit, limit int) ([]hit, bool) {
	if len(hits) > limit {
		return hits[:limit], true
	}
	return hits, false
}

// points returns the ids of up to a.Limit+1 matches with coordinates inside
// a.Box, newest first: one more than the limit tells that there are more.
// The (lat, lon) index serves the box unless a narrower filter has its own.
func (s *search) points(ctx context.Context, tx *sql.Tx, a directory.Area) ([]hit, error) {
	if b := a.Box; b != nil {
		box := fmt.Sprintf("t.lat BETWEEN %s AND %s AND ", s.arg(b.MinLat), s.arg(b.MaxLat))
		if b.CrossesAntimeridian() {
			box += fmt.Sprintf("(t.lon >= %s OR t.lon <= %s)", s.arg(b.MinLon), s.arg(b.MaxLon))
		} else {
			box += fmt.Sprintf("t.lon BETWEEN %s AND %s", s.arg(b.MinLon), s.arg(b.MaxLon))
		}
		s.narrow = append(s.narrow, box)
	} else {
		s.narrow = append(s.narrow, "t.lat IS NOT NULL AND t.lon IS NOT NULL")
	}
	if s.via == "" {
		s.via = s.near
	}
	var extra []string
	if s.match != "" {
		extra = append(extra, s.matches(false))
	}
	return s.hits(ctx, tx, fmt.Sprintf("SELECT t.id, NULL, 0 FROM %s WHERE %s ORDER BY t.id DESC LIMIT %s",
		s.from(byFilter), s.cond(extra...), s.arg(a.Limit+1)))
}
