package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// EnterprisePoints runs a validated query for the enterprises with
// coordinates inside a validated area.
func (db *DB) EnterprisePoints(ctx context.Context, q directory.EnterpriseQuery, a directory.Area) (*directory.EnterprisePoints, error) {
	s, err := enterpriseSearch(q, q.Page.Normal())
	if err != nil {
		return nil, err
	}
	var items []directory.EnterpriseResult
	res := &directory.EnterprisePoints{Items: []*directory.Enterprise{}}
	err = db.read(ctx, "map enterprises", func(tx pgx.Tx) (err error) {
		items, res.Truncated, err = s.points(ctx, tx, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		res.Items = append(res.Items, it.Enterprise)
	}
	return res, nil
}

// ListingPoints runs a validated query for the listings with coordinates
// inside a validated area.
func (db *DB) ListingPoints(ctx context.Context, q directory.ListingQuery, a directory.Area) (*directory.ListingPoints, error) {
	s, err := listingSearch(q, q.Page.Normal())
	if err != nil {
		return nil, err
	}
	var items []directory.ListingResult
	res := &directory.ListingPoints{Items: []*directory.Listing{}}
	err = db.read(ctx, "map listings", func(tx pgx.Tx) (err error) {
		items, res.Truncated, err = s.points(ctx, tx, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		res.Items = append(res.Items, it.Listing)
	}
	return res, nil
}

// points reads up to a.Limit matches with coordinates inside a.Box, newest
// first, and tells whether there were more.
func (s *search[T]) points(ctx context.Context, tx pgx.Tx, a directory.Area) ([]T, bool, error) {
	if err := s.lookUp(ctx, tx); err != nil {
		return nil, false, err
	}
	w := s.clone()
	if b := a.Box; b != nil {
		w.add(s.alias + ".lat BETWEEN " + w.arg(b.MinLat) + " AND " + w.arg(b.MaxLat))
		if b.CrossesAntimeridian() {
			w.add("(" + s.alias + ".lon >= " + w.arg(b.MinLon) + " OR " + s.alias + ".lon <= " + w.arg(b.MaxLon) + ")")
		} else {
			w.add(s.alias + ".lon BETWEEN " + w.arg(b.MinLon) + " AND " + w.arg(b.MaxLon))
		}
	} else {
		w.add(s.alias + ".lat IS NOT NULL AND " + s.alias + ".lon IS NOT NULL")
	}
	args, ph := w.with(a.Limit + 1)
	rows, err := tx.Query(ctx, `SELECT `+s.columns+` FROM `+s.table+s.join+w.String()+`
		ORDER BY `+s.alias+`.id DESC LIMIT `+ph[0], args...)
	if err != nil {
		return nil, false, err
	}
	items, _, err := s.scanAll(rows)
	if err != nil || len(items) <= a.Limit {
		return items, false, err
	}
	return items[:a.Limit], true, nil
}
