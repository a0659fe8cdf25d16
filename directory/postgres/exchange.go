package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// withKey scans a row's columns, then its import key into key.
type withKey struct {
	row pgx.Row
	key *string
}

func (w withKey) Scan(dest ...any) error { return w.row.Scan(append(dest, w.key)...) }

// The export reads sort keys and handles byte-wise (COLLATE "C"), as
// SQLite does, so that both engines write the same file.
const (
	exportEnterprisesSQL = `SELECT ` + enterpriseColumns + ` FROM enterprises e
		WHERE e.origin = '' ORDER BY e.handle COLLATE "C"`
	exportListingsSQL = `SELECT ` + listingColumns + `, l.import_key` + listingFrom + `
		WHERE e.origin = '' AND l.origin = '' ORDER BY e.handle COLLATE "C", l.import_key COLLATE "C"`
	exportAnnouncementsSQL = `SELECT ` + announcementColumns + `, a.import_key FROM ` + announcementFrom + `
		WHERE e.origin = '' AND a.origin = '' ORDER BY e.handle COLLATE "C", a.import_key COLLATE "C"`
	exportImagesSQL = `SELECT i.id, i.content_type, i.data, i.width, i.height, i.created_at
		FROM images i JOIN enterprises e ON e.id = i.enterprise_id
		WHERE e.origin = '' AND e.logo = '` + directory.MediaPrefix + `' || i.id ORDER BY i.id COLLATE "C"`
)

// ExportDirectory reads the local directory from one snapshot, calling
// sink's functions in the order ExchangeStore documents.
func (db *DB) ExportDirectory(ctx context.Context, sink directory.ExportSink) error {
	var sinkErr error
	// emit hands v to fn (when set), keeping fn's error apart from the
	// driver's, which are translated.
	emit := func(fn func() error) error {
		if sinkErr = fn(); sinkErr != nil {
			return sinkErr
		}
		return nil
	}
	err := db.read(ctx, "export", func(tx pgx.Tx) error {
		err := exportRows(ctx, tx, exportEnterprisesSQL, func(r pgx.Rows) error {
			e, err := scanEnterprise(r)
			if err != nil || sink.Enterprise == nil {
				return err
			}
			return emit(func() error { return sink.Enterprise(e) })
		})
		if err != nil {
			return err
		}
		err = exportRows(ctx, tx, exportListingsSQL, func(r pgx.Rows) error {
			var key string
			l, err := scanListing(withKey{r, &key})
			if err != nil || sink.Listing == nil {
				return err
			}
			l.Key = key
			return emit(func() error { return sink.Listing(l) })
		})
		if err != nil {
			return err
		}
		err = exportRows(ctx, tx, exportAnnouncementsSQL, func(r pgx.Rows) error {
			var key string
			a, err := scanAnnouncement(withKey{r, &key})
			if err != nil || sink.Announcement == nil {
				return err
			}
			a.Key = key
			return emit(func() error { return sink.Announcement(a) })
		})
		if err != nil {
			return err
		}
		return exportRows(ctx, tx, exportImagesSQL, func(r pgx.Rows) error {
			img := &directory.Image{}
			if err := r.Scan(&img.ID, &img.ContentType, &img.Data, &img.Width, &img.Height, &img.CreatedAt); err != nil {
				return err
			}
			img.CreatedAt = img.CreatedAt.UTC()
			if sink.Image == nil {
				return nil
			}
			return emit(func() error { return sink.Image(img) })
		})
	})
	if sinkErr != nil {
		return sinkErr
	}
	return err
}

// exportRows runs query and calls fn for every row, stopping at its first
// error.
func exportRows(ctx context.Context, tx pgx.Tx, query string, fn func(pgx.Rows) error) error {
	rows, err := tx.Query(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindKeyedListing returns the listing of local enterprise handle with
// this key. ENOTFOUND.
func (db *DB) FindKeyedListing(ctx context.Context, handle, key string) (*directory.Listing, error) {
	var l *directory.Listing
	err := db.readOne(ctx, "listing", func(q querier) error {
		var k string
		var err error
		l, err = scanListing(withKey{q.QueryRow(ctx, `SELECT `+listingColumns+`, l.import_key`+listingFrom+`
			WHERE e.origin = '' AND e.handle = $1 AND l.import_key = $2`, handle, key), &k})
		if err == nil {
			l.Key = k
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// FindKeyedAnnouncement returns the announcement of local enterprise
// handle with this key. ENOTFOUND.
func (db *DB) FindKeyedAnnouncement(ctx context.Context, handle, key string) (*directory.Announcement, error) {
	var a *directory.Announcement
	err := db.readOne(ctx, "announcement", func(q querier) error {
		var k string
		var err error
		a, err = scanAnnouncement(withKey{q.QueryRow(ctx, `SELECT `+announcementColumns+`, a.import_key FROM `+announcementFrom+`
			WHERE e.origin = '' AND e.handle = $1 AND a.import_key = $2`, handle, key), &k})
		if err == nil {
			a.Key = k
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
