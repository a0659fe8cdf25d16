package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// SearchListings runs a validated query.
func (db *DB) SearchListings(ctx context.Context, q directory.ListingQuery) (*directory.ListingPage, error) {
	p := q.Page.Normal()
	res := &directory.ListingPage{Items: []directory.ListingResult{}, Page: p}
	s, err := listingSearch(q, p)
	if err != nil {
		return nil, err
	}
	err = db.read(ctx, "listings", func(tx pgx.Tx) (err error) {
		res.Items, res.Total, err = s.run(ctx, tx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	res.Total, res.TotalCapped = directory.CappedCount(res.Total, s.limit)
	return res, nil
}

// listingSearch builds the search of q for page p.
func listingSearch(q directory.ListingQuery, p directory.Page) (*search[directory.ListingResult], error) {
	s := &search[directory.ListingResult]{table: "listings l", alias: "l", join: " JOIN enterprises e ON e.id = l.enterprise_id",
		reader: q.Language, lang: "(SELECT e.languages[1] FROM enterprises e WHERE e.id = l.enterprise_id)"}
	s.tsq = s.text("l", q.Text)
	s.capAt(q.CountCap, p)
	if q.Type != "" {
		s.add("l.type = " + s.arg(string(q.Type)))
	}
	if len(q.Categories) > 0 {
		cats := make([]string, len(q.Categories))
		for i, c := range q.Categories {
			cats[i] = string(c)
		}
		s.add("l.category = ANY(" + s.arg(cats) + ")")
	}
	statusFilter(&s.where, q.Status, q.Today)
	if q.Enterprise != "" {
		s.add("l.enterprise_id IN (SELECT id FROM enterprises WHERE handle = " + s.arg(q.Enterprise) + ")")
	}
	s.origin("l", q.Origin)
	dist := "NULL::float8"
	if q.Geo != nil {
		dist = s.near("l", q.Geo)
	}
	if s.tsq == "" && q.Geo == nil && q.Enterprise == "" {
		// Every condition is on type, category, status, valid_until or
		// origin: listing_counts has the total.
		s.counts = "listing_counts l"
	}
	s.columns = listingColumns + ", " + dist + " AS distance_km"
	var err error
	if s.order, err = sortSQL(q.Sort, s.tsq, q.Geo, "l.title_key, l.id", "l"); err != nil {
		return nil, err
	}
	s.scan = func(rows pgx.Rows) (r directory.ListingResult, id int64, err error) {
		r.Listing, err = scanListing(rows, &r.DistanceKM)
		if err != nil {
			return r, 0, err
		}
		return r, r.ID, nil
	}
	return s, err
}

// statusFilter adds the condition of a status query. Expired is not stored:
// it is an open listing whose valid-until date lies before today. Without
// today (the Service always sets it) nothing has expired.
func statusFilter(w *where, status directory.Status, today string) {
	if today == "" {
		today = "-infinity"
	}
	switch status {
	case "":
	case directory.StatusOpen:
		w.add("l.status = 'open' AND (l.valid_until IS NULL OR l.valid_until >= " + w.arg(today) + "::date)")
	case directory.StatusExpired:
		w.add("l.status = 'open' AND l.valid_until < " + w.arg(today) + "::date")
	default:
		w.add("l.status = " + w.arg(string(status)))
	}
}
