package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// LocalEnterprisesAfter returns up to limit local enterprises with an ID
// above afterID, by ID.
func (db *DB) LocalEnterprisesAfter(ctx context.Context, afterID int64, limit int) ([]*directory.Enterprise, error) {
	var out []*directory.Enterprise
	err := db.read(ctx, "enterprises", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, func(row pgx.Row) (*directory.Enterprise, error) { return scanEnterprise(row) },
			`SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.origin = '' AND e.id > $1 ORDER BY e.id LIMIT $2`,
			afterID, limit)
		return err
	})
	return out, err
}

// OpenListingsAfter returns up to limit open local listings not expired on
// today with an ID above afterID, by ID. EINVALID when today is not
// YYYY-MM-DD.
func (db *DB) OpenListingsAfter(ctx context.Context, afterID int64, today string, limit int) ([]*directory.Listing, error) {
	if !directory.ValidDay(today) {
		return nil, directory.Errorf(directory.EINVALID, "days must be YYYY-MM-DD")
	}
	var out []*directory.Listing
	err := db.read(ctx, "listings", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, func(row pgx.Row) (*directory.Listing, error) { return scanListing(row) },
			`SELECT `+listingColumns+listingFrom+`
			WHERE l.origin = '' AND l.id > $1 AND l.status = 'open'
				AND (l.valid_until IS NULL OR l.valid_until >= $2::date)
			ORDER BY l.id LIMIT $3`, afterID, today, limit)
		return err
	})
	return out, err
}
