package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// withKey scans a row's columns, then its import key into key.
type withKey struct {
	row scanner
	key *string
}

func (w withKey) Scan(dest ...any) error { return w.row.Scan(append(dest, w.key)...) }

const (
	exportListingsSQL = `SELECT ` + listingColumns + `, l.import_key FROM ` + listingFrom + `
		WHERE e.origin = '' AND l.origin = '' ORDER BY e.handle, l.import_key`
	exportAnnouncementsSQL = `SELECT ` + announcementColumns + `, a.import_key FROM ` + announcementFrom + `
		WHERE e.origin = '' AND a.origin = '' ORDER BY e.handle, a.import_key`
	exportImagesSQL = `SELECT i.id, i.content_type, i.data, i.width, i.height, i.created_at
		FROM images i JOIN enterprises e ON e.id = i.enterprise_id
		WHERE e.origin = '' AND e.logo = '` + directory.MediaPrefix + `' || i.id ORDER BY i.id`
)

// ExportDirectory reads the local directory from one snapshot, calling
// sink's functions in the order ExchangeStore documents.
func (db *DB) ExportDirectory(ctx context.Context, sink directory.ExportSink) error {
	return db.inRead(ctx, "export directory", func(tx *sql.Tx) error {
		err := exportRows(ctx, tx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.origin = '' ORDER BY e.handle`,
			func(r *sql.Rows) error {
				e, err := scanEnterprise(r)
				return emit(e, err, sink.Enterprise)
			})
		if err != nil {
			return err
		}
		err = exportRows(ctx, tx, exportListingsSQL, func(r *sql.Rows) error {
			var key string
			l, err := scanListing(withKey{r, &key})
			if l != nil {
				l.Key = key
			}
			return emit(l, err, sink.Listing)
		})
		if err != nil {
			return err
		}
		err = exportRows(ctx, tx, exportAnnouncementsSQL, func(r *sql.Rows) error {
			var key string
			a, err := scanAnnouncement(withKey{r, &key})
			if a != nil {
				a.Key = key
			}
			return emit(a, err, sink.Announcement)
		})
		if err != nil {
			return err
		}
		return exportRows(ctx, tx, exportImagesSQL, func(r *sql.Rows) error {
			img, err := scanImage(r)
			return emit(img, err, sink.Image)
		})
	})
}

// emit hands a scanned value to fn (when set), or reports the scan error.
func emit[T any](v *T, err error, fn func(*T) error) error {
	if err != nil {
		return directory.Internal(err, "scan export")
	}
	if fn == nil {
		return nil
	}
	return fn(v)
}

// exportRows runs query and calls fn for every row, stopping at its first
// error.
func exportRows(ctx context.Context, tx *sql.Tx, query string, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return directory.Internal(err, "export query")
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return directory.Internal(err, "export rows")
	}
	return nil
}

func scanImage(r scanner) (*directory.Image, error) {
	var (
		img     directory.Image
		created int64
	)
	if err := r.Scan(&img.ID, &img.ContentType, &img.Data, &img.Width, &img.Height, &created); err != nil {
		return nil, err
	}
	img.CreatedAt = fromMicros(created)
	return &img, nil
}

// FindKeyedListing returns the listing of local enterprise handle with
// this key. ENOTFOUND.
func (db *DB) FindKeyedListing(ctx context.Context, handle, key string) (*directory.Listing, error) {
	var k string
	l, err := scanListing(withKey{db.read.QueryRowContext(ctx, `SELECT `+listingColumns+`, l.import_key
		FROM `+listingFrom+` WHERE e.origin = '' AND e.handle = ? AND l.import_key = ?`, handle, key), &k})
	if err != nil {
		return nil, notFound(err, "listing not found", "find keyed listing")
	}
	l.Key = k
	return l, nil
}

// FindKeyedAnnouncement returns the announcement of local enterprise
// handle with this key. ENOTFOUND.
func (db *DB) FindKeyedAnnouncement(ctx context.Context, handle, key string) (*directory.Announcement, error) {
	var k string
	a, err := scanAnnouncement(withKey{db.read.QueryRowContext(ctx, `SELECT `+announcementColumns+`, a.import_key
		FROM `+announcementFrom+` WHERE e.origin = '' AND e.handle = ? AND a.import_key = ?`, handle, key), &k})
	if err != nil {
		return nil, notFound(err, "announcement not found", "find keyed announcement")
	}
	a.Key = k
	return a, nil
}
