package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// The pages walk the primary key: the unary + keeps SQLite from choosing
// an index on origin or status, which would read and sort every remaining
// row for each page.

// LocalEnterprisesAfter returns up to limit local enterprises with an ID
// above afterID, by ID.
func (db *DB) LocalEnterprisesAfter(ctx context.Context, afterID int64, limit int) ([]*directory.Enterprise, error) {
	return readPage(ctx, db, "page enterprises", scanEnterprise,
		`SELECT `+enterpriseColumns+` FROM enterprises e WHERE +e.origin = '' AND e.id > ? ORDER BY e.id LIMIT ?`,
		afterID, limit)
}

// OpenListingsAfter returns up to limit open local listings not expired on
// today with an ID above afterID, by ID.
func (db *DB) OpenListingsAfter(ctx context.Context, afterID int64, today string, limit int) ([]*directory.Listing, error) {
	if !directory.ValidDay(today) {
		return nil, directory.Errorf(directory.EINVALID, "days must be YYYY-MM-DD")
	}
	return readPage(ctx, db, "page listings", scanListing,
		`SELECT `+listingColumns+` FROM `+listingFrom+` WHERE +l.origin = '' AND l.id > ? AND +l.status = 'open'
		AND (l.valid_until IS NULL OR l.valid_until >= ?) ORDER BY l.id LIMIT ?`,
		afterID, today, limit)
}

// readPage runs a query of rows that scan reads.
func readPage[T any](ctx context.Context, db *DB, what string, scan func(scanner) (*T, error), query string, args ...any) ([]*T, error) {
	var out []*T
	err := db.inRead(ctx, what, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return directory.Internal(err, what)
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return directory.Internal(err, what)
			}
			out = append(out, v)
		}
		if err := rows.Err(); err != nil {
			return directory.Internal(err, what)
		}
		return nil
	})
	return out, err
}
